import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import type { Logger } from '../context';
import { pruneFiles } from './files';
import { runImport } from './pipeline';

export type ImportJobs = {
  'imports.run': { tenantId: string; runId: string };
  'imports.prune-all': { day: string };
};

/** Daily at 04:00 Beijing time: uploaded files older than 7 days are deleted. */
export const IMPORT_PRUNE_SCHEDULE = { cron: '0 4 * * *', tz: 'Asia/Shanghai' } as const;

export function registerImportJobs(jobs: JobQueue<ImportJobs>, database: CrmDatabase, logger: Logger): void {
  // A run is one transaction: a crashed attempt left nothing, so running it again is safe.
  jobs.register('imports.run', (job) => runImport({ database, logger }, job.data.tenantId, job.data.runId), {
    retryLimit: 1,
    retryDelaySeconds: 30,
    expireInSeconds: 6 * 60 * 60,
    concurrency: 2,
  });
  jobs.register(
    'imports.prune-all',
    async () => {
      const tenants = await database.withoutTenant((db) =>
        db.selectFrom('tenant_directory').select('id').execute(),
      );
      for (const tenant of tenants) await database.withTenant(tenant.id, (trx) => pruneFiles(trx, tenant.id));
    },
    { retryLimit: 2, retryDelaySeconds: 300, expireInSeconds: 60 * 60 },
  );
}
