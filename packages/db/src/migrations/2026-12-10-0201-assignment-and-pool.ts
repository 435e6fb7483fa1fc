import { type Kysely, sql } from 'kysely';

/*
 * Assignment rules (分配规则) and the 公海 (public pool), for leads and customers.
 * - `assignment_rules`: the tenant's ordered rules per list (leads, customers); the first
 *   whose conditions (regions, industries, sources: any of each, empty means any) match a
 *   record decides who gets it — round robin within a team or a list of members, the member
 *   with the fewest open records, one fixed member, or the team's queue (manual: a manager
 *   assigns it). `cursor_user_id` is where round robin stands.
 * - `pool_settings`: one row per tenant: the daily claim limit per role, the warning N days
 *   before a recycle, and what happens to a record no rule matched (the pool or unassigned).
 * - `pool_recycle_rules`: the tenant's overrides of the plugin's recycle rules, per lead
 *   grade key or customer tier key ('*' for any other): days without follow-up before the
 *   record returns to the pool, or null for never.
 * - `pool_moves`: every move of a lead or customer between owners and the pool (assign by a
 *   rule, claim, release with its reason, recycle, a manager's assignment from the pool),
 *   append-only; the timeline and the daily claim count read it.
 * - customers get the pool's flags (as leads have them) and `owner_assigned_at`, kept by a
 *   trigger whenever the owner changes, so the recycle clock starts at the assignment.
 * Frozen in time; runs as the owner role.
 */
const ENTITIES = `'lead', 'customer'`;
const KEY = `'^[a-z*][a-z0-9_]{0,99}$'`;
const MOVE_KINDS = `'assign', 'claim', 'release', 'recycle', 'pool_assign'`;
const RELEASE_REASONS = `'unreachable', 'no_need', 'no_budget', 'not_decision_maker', 'duplicate', 'other'`;
const METHODS = `'round_robin', 'load', 'member', 'manual'`;

function tenantTable(table: string, grants = 'select, insert, update, delete'): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
    `grant ${grants} on ${table} to crm_app`,
  ];
}

const statements = [
  `create table assignment_rules (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     entity text not null check (entity in (${ENTITIES})),
     position integer not null check (position >= 0),
     name text not null check (length(name) between 1 and 100),
     enabled boolean not null default true,
     regions text[] not null default '{}' check (cardinality(regions) <= 50),
     industries text[] not null default '{}' check (cardinality(industries) <= 50),
     sources text[] not null default '{}' check (cardinality(sources) <= 10),
     method text not null check (method in (${METHODS})),
     team_id uuid,
     member_ids uuid[] not null default '{}' check (cardinality(member_ids) <= 200),
     cursor_user_id uuid,
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     check (method <> 'manual' or team_id is not null),
     check (method <> 'member' or cardinality(member_ids) = 1),
     foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete cascade
   )`,
  `create index assignment_rules_order_idx on assignment_rules (tenant_id, entity, position, id)`,
  ...tenantTable('assignment_rules'),

  `create table pool_settings (
     tenant_id uuid not null references tenants (id) on delete cascade,
     -- Claims a member may make per day (the tenant's day), by role; a role not named: default_claim_limit.
     claim_limits jsonb not null default '{}' check (jsonb_typeof(claim_limits) = 'object'),
     default_claim_limit integer check (default_claim_limit between 0 and 10000),
     warn_days_before integer check (warn_days_before between 0 and 60),
     -- A record no assignment rule matched: to the pool, or left unassigned for a manager.
     unmatched text not null default 'pool' check (unmatched in ('pool', 'unassigned')),
     updated_by uuid,
     updated_at timestamptz not null default now(),
     primary key (tenant_id)
   )`,
  ...tenantTable('pool_settings'),

  `create table pool_recycle_rules (
     tenant_id uuid not null references tenants (id) on delete cascade,
     entity text not null check (entity in (${ENTITIES})),
     key text not null check (key ~ ${KEY}),
     -- Days without follow-up before the record returns to the pool; null: never.
     recycle_after_days integer check (recycle_after_days between 1 and 3650),
     updated_by uuid,
     updated_at timestamptz not null default now(),
     primary key (tenant_id, entity, key)
   )`,
  ...tenantTable('pool_recycle_rules'),

  `create table pool_moves (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     entity text not null check (entity in (${ENTITIES})),
     lead_id uuid,
     customer_id uuid,
     kind text not null check (kind in (${MOVE_KINDS})),
     from_user_id uuid,
     to_user_id uuid,
     team_id uuid,
     rule_id uuid,
     reason text check (reason in (${RELEASE_REASONS})),
     note text check (length(note) <= 500),
     -- Recycle: the rule that applied ({ key, days, lastActivityAt }).
     data jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
     actor_user_id uuid,
     occurred_at timestamptz not null default now(),
     primary key (tenant_id, id),
     check ((entity = 'lead') = (lead_id is not null)),
     check ((entity = 'customer') = (customer_id is not null)),
     check (kind <> 'release' or reason is not null),
     foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete cascade,
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
   )`,
  `create index pool_moves_lead_idx on pool_moves (tenant_id, lead_id, occurred_at desc) where lead_id is not null`,
  `create index pool_moves_customer_idx on pool_moves (tenant_id, customer_id, occurred_at desc)
     where customer_id is not null`,
  // The daily claim count of a member.
  `create index pool_moves_claims_idx on pool_moves (tenant_id, actor_user_id, occurred_at desc) where kind = 'claim'`,
  ...tenantTable('pool_moves', 'select, insert'),

  `alter table customers
     add column in_pool boolean not null default false,
     add column released_at timestamptz,
     add column owner_assigned_at timestamptz`,
  `alter table customers add constraint customers_pool_unowned check (not in_pool or owner_user_id is null)`,
  `create index customers_pool_idx on customers (tenant_id, released_at desc, id) where in_pool`,
  `create function crm_customer_owner_assigned() returns trigger language plpgsql as $$
     begin
       if new.owner_user_id is distinct from old.owner_user_id then
         new.owner_assigned_at := case when new.owner_user_id is null then null else now() end;
       end if;
       return new;
     end $$`,
  `create trigger customers_owner_assigned before update of owner_user_id on customers
     for each row execute function crm_customer_owner_assigned()`,

  `select pgboss.create_queue('pool.recycle-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('pool.recycle-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The assignment and pool migration cannot be reverted.');
}
