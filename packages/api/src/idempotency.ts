import { createHash } from 'node:crypto';
import type { CrmDatabase, Database, Transaction } from '@crm/db';
import { sql } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { appError } from './errors';

/**
 * Idempotency keys on create and import calls (SECURITY.md R5.1, after Stripe's semantics):
 * a client sends `Idempotency-Key: <uuid>` with a mutation whose procedure is marked
 * `idempotent`; the first successful result is saved with the key, in the same transaction
 * as what the call wrote, and a later call with the same key and the same input gets that
 * result back without running again. The same key with another input (or procedure) is
 * refused. A concurrent call with the same key waits for the first one (the key's row is
 * locked by its insert) and then gets its result. A failed call rolls back with its key, so
 * a retry runs again — nothing of the failed attempt exists. Keys are per user and tenant
 * and are kept for 24 hours.
 */

/** Printable ASCII without spaces; a v4 UUID is what our own client sends. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** How long a saved result answers a retry. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

export type IdempotencyJobs = { 'idempotency.prune': Record<string, never> };

/** JSON with object keys sorted at every level: the same input always hashes the same. */
function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value);
  const entries = Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function requestHash(procedure: string, input: unknown): string {
  return createHash('sha256').update(procedure).update('\n').update(canonicalJson(input)).digest('hex');
}

export function checkIdempotencyKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw appError('IDEMPOTENCY_KEY_INVALID');
  return key;
}

type Claim = { replay: false } | { replay: true; data: unknown };

/**
 * Claims `key` for this call inside the call's transaction. Either the call is the first with
 * this key (run it, then `saveIdempotentResult`), or an earlier call with the same input
 * succeeded (answer with its data), or the key was used for something else (refused).
 */
export async function claimIdempotencyKey(
  trx: Transaction<Database>,
  scope: { tenantId: string; userId: string; key: string; procedure: string; input: unknown },
): Promise<Claim> {
  const hash = requestHash(scope.procedure, scope.input);
  const inserted = await trx
    .insertInto('idempotency_keys')
    .values({
      tenant_id: scope.tenantId,
      user_id: scope.userId,
      key: scope.key,
      procedure: scope.procedure,
      request_hash: hash,
      response: '',
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return { replay: false };
  // The row is committed (an insert that conflicted waited for its owner's transaction).
  const saved = await trx
    .selectFrom('idempotency_keys')
    .select(['procedure', 'request_hash', 'response'])
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', scope.userId)
    .where('key', '=', scope.key)
    .executeTakeFirstOrThrow();
  if (saved.procedure !== scope.procedure || saved.request_hash !== hash) {
    throw appError('IDEMPOTENCY_KEY_REUSED');
  }
  return { replay: true, data: (JSON.parse(saved.response) as { data?: unknown }).data };
}

export async function saveIdempotentResult(
  trx: Transaction<Database>,
  scope: { tenantId: string; userId: string; key: string },
  data: unknown,
): Promise<void> {
  // Wrapped, so that a call that returned nothing replays as nothing.
  await sql`update idempotency_keys set response = ${JSON.stringify({ data })}
            where tenant_id = ${scope.tenantId} and user_id = ${scope.userId} and key = ${scope.key}`.execute(
    trx,
  );
}

/** Forgets keys older than the retention, tenant by tenant (one statement each). */
export async function pruneIdempotencyKeys(database: CrmDatabase): Promise<number> {
  const tenants = await database.withoutTenant((db) =>
    db.selectFrom('tenant_directory').select('id').execute(),
  );
  let pruned = 0;
  for (const tenant of tenants) {
    const result = await database.withTenant(tenant.id, (trx) =>
      trx
        .deleteFrom('idempotency_keys')
        .where('tenant_id', '=', tenant.id)
        .where(sql<boolean>`created_at < now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})`)
        .executeTakeFirst(),
    );
    pruned += Number(result.numDeletedRows);
  }
  return pruned;
}

/** Hourly: keys past their retention are deleted. */
export function registerIdempotencyJobs(jobs: JobQueue<IdempotencyJobs>, database: CrmDatabase): void {
  jobs.register(
    'idempotency.prune',
    async () => {
      await pruneIdempotencyKeys(database);
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
}
