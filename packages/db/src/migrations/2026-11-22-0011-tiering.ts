import { type Kysely, sql } from 'kysely';

/*
 * Tiering (客户分层) and industry plugin settings. Customers carry their tier, score (0–100),
 * the explanation of how they got there and the settings version that placed them; every
 * move between tiers is a row of tier_history (shown on the timeline). A tenant's choice of
 * industry plugin and its settings overrides are versioned: one row per saved version, the
 * latest is in force (effective settings = the plugin's defaults ⊕ its overrides).
 * The re-tier job's queues. Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = ['tier_history', 'tenant_plugin_settings'];

const statements = [
  `alter table customers
     add column tier text check (tier ~ '^[a-z][a-z0-9_-]{0,62}$'),
     add column tier_score numeric(5, 2) check (tier_score between 0 and 100),
     add column tier_explanation jsonb check (jsonb_typeof(tier_explanation) = 'object'),
     add column tier_changed_at timestamptz,
     add column tier_settings_version integer`,
  // Filter by tier; and the preview of a threshold change reads every listed customer's tier
  // and score from this index alone (an index-only scan, not the wide rows).
  `create index customers_tier_idx on customers (tenant_id, tier, tier_score, id)
     where merged_into is null and archived_at is null`,
  // Sort by score, keyset-paged (unscored customers sort lowest).
  `create index customers_tier_score_idx on customers (tenant_id, (coalesce(tier_score, -1)) desc, id desc)`,

  `create table tier_history (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     customer_id uuid not null,
     from_tier text,
     to_tier text not null,
     score numeric(5, 2),
     reason text not null check (reason in ('retier', 'settings', 'quarterly', 'plugin')),
     settings_version integer,
     changed_by uuid,
     changed_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
   )`,
  `create index tier_history_customer_idx on tier_history (tenant_id, customer_id, changed_at desc)`,

  `create table tenant_plugin_settings (
     tenant_id uuid not null references tenants (id) on delete cascade,
     version integer not null check (version >= 1),
     plugin_id text not null check (plugin_id ~ '^[a-z][a-z0-9-]{0,62}$'),
     overrides jsonb not null default '{}' check (jsonb_typeof(overrides) = 'object'),
     settings_version integer not null check (settings_version >= 1),
     changed_by uuid,
     changed_at timestamptz not null default now(),
     note text check (length(note) <= 500),
     primary key (tenant_id, version)
   )`,

  // Tier columns are derived: a re-tier is not an edit of the customer (moves are in
  // tier_history), so the audit trigger skips them like the other derived columns.
  `create or replace function audit_changes() returns trigger language plpgsql as $$
     declare
       ignored text[] := array['tenant_id', 'id', 'created_at', 'updated_at', 'first_deal_at', 'last_deal_at',
         'order_count', 'amount_12m', 'amount_lifetime', 'lifecycle_stage', 'lifecycle_changed_at',
         'value_level', 'activity_level', 'recent_touches', 'completeness', 'search_grams',
         'tier', 'tier_score', 'tier_explanation', 'tier_changed_at', 'tier_settings_version'];
       entity_name text := TG_ARGV[0];
     begin
       if TG_OP = 'INSERT' then
         insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
         select n.tenant_id, app_user_id(), entity_name, n.id,
                case when entity_name = 'customer' then n.id else (to_jsonb(n) ->> 'customer_id')::uuid end,
                'create', audit_diff(null, to_jsonb(n), ignored)
         from new_rows n;
       elsif TG_OP = 'UPDATE' then
         insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
         select n.tenant_id, app_user_id(), entity_name, n.id,
                case when entity_name = 'customer' then n.id else (to_jsonb(n) ->> 'customer_id')::uuid end,
                'update', d.changes
         from new_rows n
         join old_rows o on o.tenant_id = n.tenant_id and o.id = n.id
         cross join lateral (select audit_diff(to_jsonb(o), to_jsonb(n), ignored) as changes) d
         where d.changes <> '{}'::jsonb;
       else
         insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
         select o.tenant_id, app_user_id(), entity_name, o.id,
                case when entity_name = 'customer' then o.id else (to_jsonb(o) ->> 'customer_id')::uuid end,
                'delete', audit_diff(null, to_jsonb(o), ignored)
         from old_rows o;
       end if;
       return null;
     end $$`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  // History is kept: versions and moves are only ever added.
  `grant select, insert on tier_history, tenant_plugin_settings to crm_app`,

  `select pgboss.create_queue('tiering.retier-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('tiering.retier-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The tiering migration cannot be reverted.');
}
