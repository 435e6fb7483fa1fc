import { createHash } from 'node:crypto';
import type { CrmDatabase, Database, Transaction } from '@crm/db';
import type { Scope } from '../scope';
import {
  insertAccountAuthEvent,
  insertTenantAuthEvent,
  selectTenantAuthEvents,
} from './auth-events.repository';
import type { AuthEventName, AuthEventOutput } from './auth-events.schemas';

/**
 * Auth events (SECURITY.md T5.7a): one row per sign-up, sign-in, failed sign-in, sign-out,
 * password change, API key created, used (at most once a minute per key, when its last use is
 * recorded) and revoked, and invitation accepted. A tenant's events (`auth_events`) are its
 * own to read; events of no tenant go to `account_auth_events`, which no tenant reads.
 */
export type AuthEventFacts = {
  event: AuthEventName;
  userId?: string | null;
  apiKeyId?: string | null;
  ip?: string | null;
};

/** Records a tenant's event in `trx`, which is scoped to `tenantId`: it commits with the change it records. */
export function recordTenantAuthEvent(
  trx: Transaction<Database>,
  tenantId: string,
  facts: AuthEventFacts,
): Promise<void> {
  return insertTenantAuthEvent(trx, tenantId, {
    event: facts.event,
    userId: facts.userId ?? null,
    apiKeyId: facts.apiKeyId ?? null,
    ip: facts.ip?.slice(0, 64) ?? null,
  });
}

/**
 * Records an event in `trx`: in the tenant's log when the tenant is known (`trx` is then
 * scoped to it), else in the account log, where an address that belongs to no account is kept
 * only as its SHA-256.
 */
export function recordAuthEventIn(
  trx: Transaction<Database>,
  tenantId: string | null,
  facts: AuthEventFacts & { email?: string },
): Promise<void> {
  if (tenantId) return recordTenantAuthEvent(trx, tenantId, facts);
  return insertAccountAuthEvent(trx, {
    event: facts.event,
    userId: facts.userId ?? null,
    emailSha256:
      facts.userId || !facts.email
        ? null
        : createHash('sha256').update(facts.email.trim().toLowerCase()).digest('hex'),
    ip: facts.ip?.slice(0, 64) ?? null,
  });
}

/** Records an event in a transaction of its own (a failure, whose own transaction rolled back or never opened). */
export function recordAuthEvent(
  database: CrmDatabase,
  tenantId: string | null,
  facts: AuthEventFacts & { email?: string },
): Promise<void> {
  return database.withScope({ tenantId, userId: facts.userId ?? null }, (trx) =>
    recordAuthEventIn(trx, tenantId, facts),
  );
}

/** The newest auth events of the scope's tenant. */
export async function listAuthEvents(scope: Scope, limit: number): Promise<AuthEventOutput[]> {
  const rows = await selectTenantAuthEvents(scope, limit);
  return rows.map((row) => ({
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    event: row.event,
    userId: row.user_id,
    apiKeyId: row.api_key_id,
    ip: row.ip,
    requestId: row.request_id,
  }));
}
