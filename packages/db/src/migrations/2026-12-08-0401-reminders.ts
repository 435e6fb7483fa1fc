import { type Kysely, sql } from 'kysely';

/*
 * Reminders (提醒). Many Chinese customers keep their birthday on the lunar calendar
 * (农历生日): `birthday_calendar` says which calendar a customer's or contact's birthday is
 * kept on; the birthday itself stays the solar day of birth, and its lunar anniversary is
 * computed by the reminder run. `reminder_settings` holds a tenant's choices about the
 * reminders its industry plugin and the core offer: on or off, and another offset in days.
 * The two queues of the daily run. Frozen in time; runs as the owner role.
 */
const statements = [
  `alter table customers add column birthday_calendar text not null default 'solar'
     check (birthday_calendar in ('solar', 'lunar'))`,
  `alter table contacts add column birthday_calendar text not null default 'solar'
     check (birthday_calendar in ('solar', 'lunar'))`,

  `create table reminder_settings (
     tenant_id uuid not null references tenants (id) on delete cascade,
     reminder_key text not null check (reminder_key ~ '^[a-z][a-z0-9_]{0,39}$'),
     enabled boolean not null,
     offset_days integer check (offset_days between -365 and 365),
     updated_by uuid,
     updated_at timestamptz not null default now(),
     primary key (tenant_id, reminder_key)
   )`,
  `alter table reminder_settings enable row level security`,
  `alter table reminder_settings force row level security`,
  `create policy tenant_isolation on reminder_settings
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert, update, delete on reminder_settings to crm_app`,

  `select pgboss.create_queue('reminders.run-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('reminders.run-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The reminders migration cannot be reverted.');
}
