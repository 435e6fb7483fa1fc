import { type Kysely, sql } from 'kysely';

/*
 * Maintenance plans (维护计划): the tenant's contact cadences in force (its industry plugin's
 * cadences resolved against its settings, kept by the server on every 行业配置 save, at tenant
 * creation and at start-up), one plan per active customer and cadence of its tier, and the
 * plan's approval trail. Plans put their next occurrences on the tasks table (source 'plan').
 * Only one plan of a customer and cadence is open at a time; an ended plan stays as history
 * and a plan started again later is a new row, so its occurrences are new occasions.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `create table plan_cadences (
     tenant_id uuid not null,
     cadence_key text not null check (length(cadence_key) between 1 and 80),
     tier text not null check (length(tier) between 1 and 80),
     every_count int not null check (every_count between 1 and 366),
     unit text not null check (unit in ('day', 'week', 'month')),
     task_type text not null,
     title_zh text not null check (length(title_zh) between 1 and 200),
     title_en text not null check (length(title_en) between 1 and 200),
     goals jsonb not null default '[]' check (jsonb_typeof(goals) = 'array'),
     requires_approval boolean not null default false,
     position int not null default 0,
     updated_at timestamptz not null default now(),
     primary key (tenant_id, cadence_key)
   )`,
  `create index plan_cadences_tier_idx on plan_cadences (tenant_id, tier)`,

  `create table maintenance_plans (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     customer_id uuid not null,
     cadence_key text not null,
     tier text not null,
     status text not null check (status in ('draft', 'pending', 'active', 'rejected', 'ended')),
     anchor_on date not null,
     goals jsonb not null default '[]' check (jsonb_typeof(goals) = 'array'),
     created_at timestamptz not null default now(),
     submitted_at timestamptz,
     activated_at timestamptz,
     decided_by uuid,
     decided_at timestamptz,
     decision_comment text check (length(decision_comment) <= 1000),
     ended_at timestamptz,
     end_reason text check (end_reason in ('tier_changed', 'cadence_removed', 'customer_inactive')),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     check ((status = 'ended') = (ended_at is not null)),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, decided_by) references memberships (tenant_id, user_id) on delete set null (decided_by)
   )`,
  // One open plan per customer and cadence: the generator's "does it have one" and the card's read.
  `create unique index maintenance_plans_open_idx on maintenance_plans (tenant_id, customer_id, cadence_key)
     where status <> 'ended'`,
  // The approvals inbox.
  `create index maintenance_plans_pending_idx on maintenance_plans (tenant_id, submitted_at, id) where status = 'pending'`,
  `create index maintenance_plans_cadence_idx on maintenance_plans (tenant_id, cadence_key) where status <> 'ended'`,

  `create table plan_decisions (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     plan_id uuid not null,
     action text not null check (action in ('submit', 'approve', 'reject')),
     comment text check (length(comment) <= 1000),
     decided_by uuid,
     decided_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, plan_id) references maintenance_plans (tenant_id, id) on delete cascade,
     foreign key (tenant_id, decided_by) references memberships (tenant_id, user_id) on delete set null (decided_by)
   )`,
  `create index plan_decisions_plan_idx on plan_decisions (tenant_id, plan_id, decided_at)`,

  // Tenant settings of plans: every plan needs a manager's approval; how far ahead plans make tasks.
  `alter table tenants
     add column plans_require_approval boolean not null default false,
     add column plan_horizon_days int not null default 90 check (plan_horizon_days between 7 and 366)`,

  ...['plan_cadences', 'maintenance_plans', 'plan_decisions'].flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
    `grant select, insert, update, delete on ${table} to crm_app`,
  ]),

  `select pgboss.create_queue('plans.extend-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('plans.replan-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The maintenance plans migration cannot be reverted.');
}
