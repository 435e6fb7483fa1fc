import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { pruneExpired } from './exports.repository';
import { runExport } from './run-export';

export type ExportJobs = {
  'exports.run': { tenantId: string; runId: string };
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
      const tenants = await database.withoutTenant((db) =>
        db.selectFrom('tenant_directory').select('id').execute(),
      );
      for (const tenant of tenants) {
        await database.withTenant(tenant.id, (trx) => pruneExpired(trx, tenant.id));
      }
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
}
