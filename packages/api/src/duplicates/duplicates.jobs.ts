import { boundTransaction, type CrmDatabase, type Database, type Transaction } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { sql } from 'kysely';
import { scanTenant } from './pairs';

/** The nightly scan of every tenant, and one tenant's scan (nightly or asked for). */
export type DuplicatesJobs = {
  'duplicates.scan-all': { day: string };
  'duplicates.scan-tenant': { tenantId: string; scanId: string | null };
};

/** Nightly at 02:30 Beijing time, before the lifecycle re-derivation. */
export const DUPLICATES_SCHEDULE = { cron: '30 2 * * *', tz: 'Asia/Shanghai' } as const;

/** Runs one scan and records it in `duplicate_scans` (a new row when none was queued). */
export async function runScan(
  trx: Transaction<Database>,
  tenantId: string,
  scanId: string | null,
  cap?: number,
) {
  const id =
    scanId ??
    (
      await trx
        .insertInto('duplicate_scans')
        .values({ tenant_id: tenantId, status: 'running' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  await sql`update duplicate_scans set status = 'running', started_at = clock_timestamp()
    where tenant_id = ${tenantId} and id = ${id}`.execute(trx);
  const result = await scanTenant(trx, tenantId, cap);
  await sql`update duplicate_scans set status = 'done', finished_at = clock_timestamp(), pairs = ${result.pairs},
      new_pairs = ${result.newPairs}, removed_pairs = ${result.removedPairs},
      capped_keys = ${JSON.stringify(result.cappedKeys)}::jsonb
    where tenant_id = ${tenantId} and id = ${id}`.execute(trx);
  return { id, ...result };
}

export function registerDuplicatesJobs(jobs: JobQueue<DuplicatesJobs>, database: CrmDatabase): void {
  jobs.register(
    'duplicates.scan-all',
    async (job) => {
      const day = job.data.day || new Date().toISOString().slice(0, 10);
      const tenants = await database.withoutTenant((db) =>
        db.selectFrom('tenant_directory').select('id').execute(),
      );
      for (const tenant of tenants) {
        await jobs.enqueue(
          'duplicates.scan-tenant',
          { tenantId: tenant.id, scanId: null },
          { singletonKey: `${tenant.id}:${day}`, singletonSeconds: 6 * 60 * 60 },
        );
      }
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  // Re-running is harmless: pairs are upserted, dismissed ones stay dismissed.
  jobs.register(
    'duplicates.scan-tenant',
    async (job) => {
      const { tenantId, scanId } = job.data;
      try {
        await database.withTenant(tenantId, async (trx) => {
          await boundTransaction(trx, { statementTimeout: '50min' });
          await runScan(trx, tenantId, scanId);
        });
      } catch (error) {
        if (scanId) {
          await database.withTenant(tenantId, (trx) =>
            sql`update duplicate_scans set status = 'failed', finished_at = clock_timestamp()
              where tenant_id = ${tenantId} and id = ${scanId}`.execute(trx),
          );
        }
        throw error;
      }
    },
    { retryLimit: 2, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 60 * 60 },
  );
}
