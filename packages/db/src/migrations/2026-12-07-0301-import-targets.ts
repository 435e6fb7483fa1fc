import { type Kysely, sql } from 'kysely';

/*
 * What a spreadsheet from another CRM or Excel brings besides the profile: the first
 * cooperation date (首次合作时间) and an anniversary (纪念日) on the customer, an anniversary
 * on contacts, notes on the timeline (备注), and the historical transaction figures as an
 * opening balance (期初数据) that the derived facts add to the orders placed after its as-of
 * date. Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = ['customer_notes', 'customer_opening_balances'];

const statements = [
  `alter table customers
     add column first_cooperation_on date,
     add column anniversary_on date`,
  `alter table contacts add column anniversary_on date`,
  // A stage moved because imported opening figures arrived.
  `alter table lifecycle_changes drop constraint lifecycle_changes_reason_check,
     add constraint lifecycle_changes_reason_check check (reason in ('order', 'daily', 'interaction', 'settings', 'import'))`,

  `create table customer_notes (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     customer_id uuid not null,
     body text not null check (length(body) between 1 and 4000),
     created_by uuid,
     created_at timestamptz not null default now(),
     import_run_id uuid,
     primary key (tenant_id, id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
   )`,
  `create index customer_notes_customer_idx on customer_notes (tenant_id, customer_id, created_at desc)`,

  // One opening balance per customer: the figures another system had as of a date.
  `create table customer_opening_balances (
     tenant_id uuid not null,
     customer_id uuid not null,
     as_of date not null,
     amount_12m numeric(16, 2) not null default 0 check (amount_12m >= 0),
     amount_lifetime numeric(16, 2) not null default 0 check (amount_lifetime >= 0),
     order_count integer not null default 0 check (order_count >= 0),
     last_deal_on date,
     import_run_id uuid,
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, customer_id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     check (amount_12m <= amount_lifetime)
   )`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  `grant select, insert, update, delete on customer_notes, customer_opening_balances to crm_app`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The import targets migration cannot be reverted.');
}
