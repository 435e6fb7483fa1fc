import { type Kysely, sql } from 'kysely';

/*
 * Work that runs for every tenant (the daily lifecycle re-derivation) needs the list of
 * tenants without reading any tenant's rows: `tenant_directory` holds ids only, kept by a
 * trigger on tenants. And the two queues of that job. Frozen in time; runs as the owner.
 */
const statements = [
  `create table tenant_directory (
     id uuid primary key references tenants (id) on delete cascade,
     created_at timestamptz not null default now()
   )`,
  `create function register_tenant() returns trigger language plpgsql as $$
     begin
       insert into tenant_directory (id) select id from new_rows;
       return null;
     end $$`,
  `create trigger tenants_directory after insert on tenants
     referencing new table as new_rows for each statement execute function register_tenant()`,
  // The owner is bound by FORCE like everyone; lifting it for this one backfill, inside the
  // migration's transaction, is the only read of all tenants' rows.
  `alter table tenants no force row level security`,
  `insert into tenant_directory (id) select id from tenants`,
  `alter table tenants force row level security`,
  `grant select, insert on tenant_directory to crm_app`,
  `select pgboss.create_queue('lifecycle.rederive-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('lifecycle.rederive-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The lifecycle jobs migration cannot be reverted.');
}
