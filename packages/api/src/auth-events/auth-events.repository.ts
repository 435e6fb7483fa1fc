import { type Database, type Kysely, sql, type Transaction } from '@crm/db';
import type { Scope } from '../scope';
import type { AuthEventName } from './auth-events.schemas';

export type AuthEventRow = {
  id: string;
  occurred_at: Date;
  event: AuthEventName;
  user_id: string | null;
  api_key_id: string | null;
  ip: string | null;
  request_id: string | null;
};

/** A tenant's auth event, in a transaction scoped to that tenant (row-level security checks it). */
export async function insertTenantAuthEvent(
  trx: Transaction<Database>,
  tenantId: string,
  row: { event: AuthEventName; userId: string | null; apiKeyId: string | null; ip: string | null },
): Promise<void> {
  await sql`insert into auth_events (tenant_id, event, user_id, api_key_id, ip)
    values (${tenantId}, ${row.event}, ${row.userId}, ${row.apiKeyId}, ${row.ip})`.execute(trx);
}

/** An auth event no tenant owns (the runtime role may add these and read none). */
export async function insertAccountAuthEvent(
  db: Kysely<Database> | Transaction<Database>,
  row: { event: AuthEventName; userId: string | null; emailSha256: string | null; ip: string | null },
): Promise<void> {
  await sql`insert into account_auth_events (event, user_id, email_sha256, ip)
    values (${row.event}, ${row.userId}, ${row.emailSha256}, ${row.ip})`.execute(db);
}

/** The tenant's newest auth events. */
export async function selectTenantAuthEvents(scope: Scope, limit: number): Promise<AuthEventRow[]> {
  const { rows } = await sql<AuthEventRow>`
    select id, occurred_at, event, user_id, api_key_id, ip, request_id from auth_events
    where tenant_id = ${scope.tenantId}
    order by occurred_at desc, id limit ${limit}`.execute(scope.trx);
  return rows;
}
