import { type Kysely, sql } from 'kysely';

/*
 * Re-grade requests: a tenant's row says "events arrived since the last event-driven re-grade
 * started". The statement that records an event writes it (insert … on conflict do nothing),
 * so only the first event after a run started queues the next run, in its own transaction;
 * the run removes the row when it starts. No row, no run waiting for this tenant.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `create table lead_regrade_requests (
     tenant_id uuid not null references tenants (id) on delete cascade,
     requested_at timestamptz not null default now(),
     primary key (tenant_id)
   )`,
  `alter table lead_regrade_requests enable row level security`,
  `alter table lead_regrade_requests force row level security`,
  `create policy tenant_isolation on lead_regrade_requests
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert, update, delete on lead_regrade_requests to crm_app`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The lead re-grade requests migration cannot be reverted.');
}
