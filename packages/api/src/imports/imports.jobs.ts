import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import type { Logger } from '../logger';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope } from '../scope';
import { hasTouches } from '../tiering/tiering.repository';
import { queueTouchedRetier, type TouchedRetierJobs } from '../tiering/tiering.service';
import { pruneFiles } from './imports.repository';
import { IMPORT_RUN_EXPIRY_SECONDS, runImport } from './pipeline';

/** How long a run waits before it looks again whether the tenant's other import has finished. */
const IMPORT_DEFER_SECONDS = 5;

export type ImportJobs = {
  'imports.run': { tenantId: string; runId: string };
  'imports.prune-all': { day: string };
};

/** Daily at 04:00 Beijing time: uploaded files older than 7 days are deleted. */
export const IMPORT_PRUNE_SCHEDULE = { cron: '0 4 * * *', tz: 'Asia/Shanghai' } as const;

export function registerImportJobs(
  jobs: JobQueue<ImportJobs & TouchedRetierJobs>,
  database: CrmDatabase,
  logger: Logger,
  /** The industry plugins: imported leads are graded by them. */
  plugins?: PluginRegistry,
): void {
  // A run is one transaction: a crashed attempt left nothing, so running it again is safe.
  // Its failures are the run's status (runImport does not throw for them); a throw here is
  // the database going away, retried once, then the job is failed for good.
  jobs.register(
    'imports.run',
    async (job) => {
      const outcome = await runImport({ database, logger, plugins }, job.data.tenantId, job.data.runId);
      // The tenant's other import is running: wait for it rather than take a second worker.
      if (outcome === 'deferred')
        await jobs.enqueue('imports.run', job.data, { startAfter: IMPORT_DEFER_SECONDS });
      // The customers it wrote get their tiers (the run has committed: the touches are visible).
      else if (await database.withTenant(job.data.tenantId, (trx) => hasTouches(trx, job.data.tenantId)))
        await queueTouchedRetier(jobs, job.data.tenantId);
    },
    {
      retryLimit: 1,
      // A killed worker's run is failed within its lease (20 s) and a maintenance round (20 s):
      // the retry follows 10 s later, under a minute in all.
      retryDelaySeconds: 10,
      expireInSeconds: IMPORT_RUN_EXPIRY_SECONDS,
      concurrency: 2,
    },
  );
  jobs.register(
    'imports.prune-all',
    async () => {
      const tenants = await database.withoutTenant((db) =>
        db.selectFrom('tenant_directory').select('id').execute(),
      );
      for (const tenant of tenants)
        await database.withTenant(tenant.id, (trx) => pruneFiles(jobScope(trx, tenant.id)));
    },
    { retryLimit: 2, retryDelaySeconds: 300, expireInSeconds: 60 * 60 },
  );
}
