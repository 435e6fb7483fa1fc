import { boundTransaction, type CrmDatabase, type Database, type Transaction } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { jobScope } from '../scope';
import { allTenantIds } from '../sensitive/sensitive.service';
import { failScan, type ScanTenantJobs, scanDuplicates } from './duplicates.service';

/** The nightly scan of every tenant, and one tenant's scan (nightly or asked for). */
export type DuplicatesJobs = ScanTenantJobs & {
  'duplicates.scan-all': { day: string };
};

/** Nightly at 02:30 Beijing time, before the lifecycle re-derivation. */
export const DUPLICATES_SCHEDULE = { cron: '30 2 * * *', tz: 'Asia/Shanghai' } as const;

/** Runs one scan of a tenant as the system and records it in `duplicate_scans` (a new row when none was queued). */
export function runScan(trx: Transaction<Database>, tenantId: string, scanId: string | null, cap?: number) {
  return scanDuplicates(jobScope(trx, tenantId), scanId, cap);
}

export function registerDuplicatesJobs(jobs: JobQueue<DuplicatesJobs>, database: CrmDatabase): void {
  jobs.register(
    'duplicates.scan-all',
    async (job) => {
      const day = job.data.day || new Date().toISOString().slice(0, 10);
      for (const tenantId of await allTenantIds(database)) {
        await jobs.enqueue(
          'duplicates.scan-tenant',
          { tenantId, scanId: null },
          { singletonKey: `${tenantId}:${day}`, singletonSeconds: 6 * 60 * 60 },
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
        if (scanId) await database.withTenant(tenantId, (trx) => failScan(jobScope(trx, tenantId), scanId));
        throw error;
      }
    },
    { retryLimit: 2, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 60 * 60 },
  );
}
