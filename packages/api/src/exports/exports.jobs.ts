import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { jobScope } from '../scope';
import { allTenantIds } from '../sensitive/sensitive.service';
import type { ExportRunJobs } from './exports.service';
import { pruneExpiredExports } from './exports.service';
import { runExport } from './run-export';

export type ExportJobs = ExportRunJobs & {
  'exports.prune': { hour: string };
};

/** Hourly: files older than 24 hours are deleted. */
export const EXPORT_PRUNE_SCHEDULE = { cron: '17 * * * *', tz: 'Asia/Shanghai' } as const;

export function registerExportJobs(jobs: JobQueue<ExportJobs>, database: CrmDatabase): void {
  jobs.register(
    'exports.run',
    async (job) => {
      await runExport(database, job.data.tenantId, job.data.runId);
    },
    { retryLimit: 2, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 60 * 60, concurrency: 2 },
  );
  jobs.register(
    'exports.prune',
    async () => {
      for (const tenantId of await allTenantIds(database)) {
        await database.withTenant(tenantId, (trx) => pruneExpiredExports(jobScope(trx, tenantId)));
      }
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
}
