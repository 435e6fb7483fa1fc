import { type Kysely, sql } from 'kysely';

/*
 * Customer 360: teams, the four field groups of a profile, contacts, orders with lines,
 * interactions, lifecycle history and an insert-only audit log written by statement-level
 * triggers (set-based, so bulk changes are audited without per-row work in Node).
 * Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = [
  'teams',
  'contacts',
  'orders',
  'order_lines',
  'interactions',
  'lifecycle_changes',
  'audit_log',
];

const statements = [
  `alter table tenants
     add column currency char(3) not null default 'CNY' check (currency ~ '^[A-Z]{3}$'),
     add column lifecycle_at_risk_days integer not null default 90 check (lifecycle_at_risk_days between 1 and 3650),
     add column lifecycle_dormant_days integer not null default 180 check (lifecycle_dormant_days between 1 and 3650),
     add column lifecycle_loyal_orders integer not null default 5 check (lifecycle_loyal_orders between 2 and 1000),
     add constraint tenants_lifecycle_order check (lifecycle_at_risk_days < lifecycle_dormant_days)`,

  `create table teams (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 100),
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, name)
   )`,
  `alter table memberships add column team_id uuid,
     add foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete set null (team_id)`,
  `create index memberships_team_idx on memberships (tenant_id, team_id)`,

  `alter table customers
     add column customer_number text check (length(customer_number) <= 64),
     add column industry text check (length(industry) <= 100),
     add column birthday date,
     add column founded_on date,
     add column addresses jsonb not null default '[]' check (jsonb_typeof(addresses) = 'array'),
     add column explicit_needs text check (length(explicit_needs) <= 4000),
     add column implicit_needs text check (length(implicit_needs) <= 4000),
     add column pain_points text check (length(pain_points) <= 4000),
     add column purchase_plan text check (length(purchase_plan) <= 4000),
     add column purchase_plan_amount numeric(16, 2) check (purchase_plan_amount >= 0),
     add column purchase_plan_expected_on date,
     add column first_deal_at timestamptz,
     add column last_deal_at timestamptz,
     add column order_count integer not null default 0,
     add column amount_12m numeric(16, 2) not null default 0,
     add column amount_lifetime numeric(16, 2) not null default 0,
     add column lifecycle_stage text not null default 'potential'
       check (lifecycle_stage in ('potential', 'new', 'returning', 'loyal', 'at_risk', 'dormant')),
     add column lifecycle_changed_at timestamptz`,
  `create unique index customers_number_key on customers (tenant_id, customer_number) where customer_number is not null`,
  `create index customers_amount_12m_idx on customers (tenant_id, amount_12m desc, id desc)`,
  `create index customers_stage_idx on customers (tenant_id, lifecycle_stage, amount_12m desc, id desc)`,

  `create table contacts (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     customer_id uuid not null,
     name text not null check (length(name) between 1 and 100),
     title text check (length(title) <= 100),
     phones text[] not null default '{}' check (cardinality(phones) <= 10),
     emails text[] not null default '{}' check (cardinality(emails) <= 10),
     birthday date,
     is_primary boolean not null default false,
     note text check (length(note) <= 2000),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
   )`,
  `create index contacts_customer_idx on contacts (tenant_id, customer_id)`,

  `create table orders (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     customer_id uuid not null,
     order_number text check (length(order_number) <= 64),
     ordered_at timestamptz not null,
     currency char(3) not null default 'CNY' check (currency ~ '^[A-Z]{3}$'),
     amount numeric(16, 2) not null check (amount >= 0),
     profit numeric(16, 2),
     payment_method text check (payment_method in
       ('bank_transfer', 'alipay', 'wechat_pay', 'card', 'cash', 'credit', 'other')),
     status text not null default 'completed' check (status in ('pending', 'completed', 'refunded', 'void')),
     void_reason text check (length(void_reason) <= 500),
     note text check (length(note) <= 2000),
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id)
   )`,
  `create index orders_customer_idx on orders (tenant_id, customer_id, ordered_at desc)`,
  `create index orders_ordered_at_idx on orders (tenant_id, ordered_at desc, id desc)`,
  `create unique index orders_number_key on orders (tenant_id, order_number) where order_number is not null`,

  `create table order_lines (
     tenant_id uuid not null,
     order_id uuid not null,
     line_no integer not null check (line_no between 1 and 1000),
     product text not null check (length(product) between 1 and 200),
     quantity numeric(14, 3) not null check (quantity > 0),
     unit_price numeric(16, 2) not null check (unit_price >= 0),
     primary key (tenant_id, order_id, line_no),
     foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
   )`,

  `create table interactions (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     customer_id uuid not null,
     contact_id uuid,
     kind text not null check (kind in ('call', 'visit', 'message', 'email', 'meeting', 'event')),
     occurred_at timestamptz not null,
     user_id uuid,
     summary text not null check (length(summary) between 1 and 4000),
     outcome text check (length(outcome) <= 2000),
     next_step text check (length(next_step) <= 1000),
     next_step_due date,
     sentiment text not null default 'neutral' check (sentiment in ('praise', 'neutral', 'complaint')),
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id),
     foreign key (tenant_id, user_id) references memberships (tenant_id, user_id) on delete set null (user_id)
   )`,
  `create index interactions_customer_idx on interactions (tenant_id, customer_id, occurred_at desc)`,
  `create index interactions_contact_idx on interactions (tenant_id, contact_id)`,
  `create index interactions_user_idx on interactions (tenant_id, user_id)`,

  `create table lifecycle_changes (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     customer_id uuid not null,
     from_stage text not null,
     to_stage text not null,
     changed_at timestamptz not null default now(),
     reason text not null check (reason in ('order', 'daily')),
     primary key (tenant_id, id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
   )`,
  `create index lifecycle_changes_customer_idx on lifecycle_changes (tenant_id, customer_id, changed_at desc)`,

  `create table audit_log (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     occurred_at timestamptz not null default clock_timestamp(),
     actor_user_id uuid,
     entity text not null check (entity in ('customer', 'contact', 'order', 'interaction')),
     entity_id uuid not null,
     customer_id uuid,
     action text not null check (action in ('create', 'update', 'delete')),
     changes jsonb not null,
     primary key (tenant_id, id)
   )`,
  `create index audit_log_customer_idx on audit_log (tenant_id, customer_id, occurred_at desc)`,
  `create index audit_log_occurred_idx on audit_log (tenant_id, occurred_at desc)`,

  // {field: {from, to}} of the fields that changed, leaving out bookkeeping and derived ones.
  `create function audit_diff(old_row jsonb, new_row jsonb, ignored text[]) returns jsonb
     language sql immutable as $$
       select coalesce(jsonb_object_agg(key, jsonb_build_object('from', old_row -> key, 'to', value)), '{}'::jsonb)
       from jsonb_each(new_row)
       where not (key = any (ignored))
         and (old_row is null and value <> 'null'::jsonb or old_row is not null and old_row -> key is distinct from value)
     $$`,
  `create function audit_changes() returns trigger language plpgsql as $$
     declare
       ignored text[] := array['tenant_id', 'id', 'created_at', 'updated_at', 'first_deal_at', 'last_deal_at',
         'order_count', 'amount_12m', 'amount_lifetime', 'lifecycle_stage', 'lifecycle_changed_at'];
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
  ...[
    ['customers', 'customer'],
    ['contacts', 'contact'],
    ['orders', 'order'],
    ['interactions', 'interaction'],
  ].flatMap(([table, entity]) => [
    `create trigger ${table}_audit_insert after insert on ${table}
       referencing new table as new_rows for each statement execute function audit_changes('${entity}')`,
    `create trigger ${table}_audit_update after update on ${table}
       referencing old table as old_rows new table as new_rows for each statement execute function audit_changes('${entity}')`,
    `create trigger ${table}_audit_delete after delete on ${table}
       referencing old table as old_rows for each statement execute function audit_changes('${entity}')`,
  ]),

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  `grant select, insert, update, delete on teams, contacts, orders, order_lines, interactions to crm_app`,
  `grant select, insert on lifecycle_changes to crm_app`,
  // The audit log is insert-only for the runtime role.
  `grant select, insert on audit_log to crm_app`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The customer 360 migration cannot be reverted.');
}
