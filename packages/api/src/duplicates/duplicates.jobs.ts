import {
  boundTransaction,
  type CrmDatabase,
  type Database,
  type HeavyReads,
  type Transaction,
} from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { jobScope } from '../scope';
import { allTenantIds } from '../sensitive/sensitive.service';
import {
  beginScan,
  completeScan,
  failScan,
  readScanPairs,
  type ScanTenantJobs,
  scanDuplicates,
} from './duplicates.service';
import type { ScanResult } from './pairs';

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
      await scanTenantWhereRead(database, job.data.tenantId, job.data.scanId);
    },
    { retryLimit: 2, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 60 * 60 },
  );
}

/**
 * One tenant's scan. With a read replica that has replayed everything committed before the
 * scan (docs/scaling.md, "Read replica"), the pairs are found there — the scan's heavy
 * self-join of match keys — and written on the primary in one statement; otherwise (no
 * replica, lagging, not answering) one statement on the primary finds and writes them. The
 * same pairs either way. A failed scan is marked failed (and its job retried).
 */
export async function scanTenantWhereRead(
  database: CrmDatabase,
  tenantId: string,
  scanId: string | null,
): Promise<{ id: string; reads: HeavyReads['reason'] } & ScanResult> {
  let started = scanId;
  try {
    const reads = await database.heavyReads();
    if (reads.source !== 'replica') {
      const result = await database.withTenant(tenantId, async (trx) => {
        await boundTransaction(trx, { statementTimeout: '50min' });
        return runScan(trx, tenantId, scanId);
      });
      return { ...result, reads: reads.reason };
    }
    const id = await database.withTenant(tenantId, (trx) => beginScan(jobScope(trx, tenantId), scanId));
    started = id;
    const found = await reads.withTenant(tenantId, async (trx) => {
      await boundTransaction(trx, { statementTimeout: '50min' });
      return readScanPairs(trx, tenantId);
    });
    const result = await database.withTenant(tenantId, async (trx) => {
      await boundTransaction(trx, { statementTimeout: '50min' });
      return completeScan(jobScope(trx, tenantId), id, found);
    });
    return { ...result, reads: reads.reason };
  } catch (error) {
    const failed = started;
    if (failed) await database.withTenant(tenantId, (trx) => failScan(jobScope(trx, tenantId), failed));
    throw error;
  }
}
