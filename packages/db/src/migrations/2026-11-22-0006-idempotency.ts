import { type Kysely, sql } from 'kysely';

/*
 * Idempotency keys for create and import mutations (SECURITY.md R5.1).
 * Frozen in time; runs as the owner role.
 */
const statements: string[] = [
  // The first successful result of a create or import call, by the key its client sent.
  // A failed call rolls back with everything it wrote, so only results are saved.
  `create table idempotency_keys (
     tenant_id uuid not null references tenants (id) on delete cascade,
     user_id uuid not null,
     key text not null check (length(key) between 1 and 255),
     procedure text not null check (length(procedure) <= 200),
     request_hash text not null check (length(request_hash) = 64),
     response text not null,
     created_at timestamptz not null default now(),
     primary key (tenant_id, user_id, key)
   )`,
  `create index idempotency_keys_created_idx on idempotency_keys (tenant_id, created_at)`,
  `alter table idempotency_keys enable row level security`,
  `alter table idempotency_keys force row level security`,
  `create policy tenant_isolation on idempotency_keys
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert, delete on idempotency_keys to crm_app`,
  `grant update (response) on idempotency_keys to crm_app`,
  `select pgboss.create_queue('idempotency.prune', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
