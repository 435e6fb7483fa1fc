import { type Kysely, sql } from 'kysely';

/*
 * Tiers from the first save: a customer created, imported, merged, edited or given an order is
 * "touched" (a row of tier_touches, in the writing transaction) and a debounced job per tenant
 * re-tiers the touched customers set-based. Customers carry when their tier was last computed
 * and, in a large tenant whose model ranks customers against each other, since when it waits
 * for the next full run (待重算). The tenant records its last full re-tier. Frozen in time; runs
 * as the owner role.
 */
const statements = [
  `alter table customers
     add column tier_computed_at timestamptz,
     add column tier_pending_since timestamptz`,
  // The nightly run finds a tenant's pending customers at once.
  `create index customers_tier_pending_idx on customers (tenant_id) where tier_pending_since is not null`,
  `alter table tenants add column tiers_computed_at timestamptz`,
  // A move after the customer's own change (a save, an order, an import, a merge).
  `alter table tier_history drop constraint tier_history_reason_check,
     add constraint tier_history_reason_check check (reason in ('retier', 'settings', 'quarterly', 'plugin', 'change'))`,

  `create table tier_touches (
     tenant_id uuid not null,
     customer_id uuid not null,
     touched_at timestamptz not null default now(),
     primary key (tenant_id, customer_id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
   )`,
  `alter table tier_touches enable row level security`,
  `alter table tier_touches force row level security`,
  `create policy tenant_isolation on tier_touches
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert, update, delete on tier_touches to crm_app`,

  // The new tier columns are derived like the others: not edits of the customer.
  `create or replace function audit_changes() returns trigger language plpgsql as $$
     declare
       ignored text[] := array['tenant_id', 'id', 'created_at', 'updated_at', 'first_deal_at', 'last_deal_at',
         'order_count', 'amount_12m', 'amount_lifetime', 'lifecycle_stage', 'lifecycle_changed_at',
         'value_level', 'activity_level', 'recent_touches', 'completeness', 'search_grams',
         'tier', 'tier_score', 'tier_explanation', 'tier_changed_at', 'tier_settings_version',
         'tier_computed_at', 'tier_pending_since'];
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

  // Stately: at most one job waiting per tenant (and one running), so a burst of touches is one run.
  `select pgboss.create_queue('tiering.retier-touched', '{"policy":"stately"}')`,
  `select pgboss.create_queue('tiering.retier-pending', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The incremental tiers migration cannot be reverted.');
}
