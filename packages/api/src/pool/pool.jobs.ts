import type { CrmDatabase } from '@crm/db';
import { reminderToday } from '@crm/domain';
import type { JobQueue } from '@crm/jobs';
import { fanOutToTenants } from '../fan-out';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope } from '../scope';
import { runPoolRecycle } from './pool.service';

/** The daily 公海 recycle, tenant by tenant. `day` is the tenant's day ('' for today in each tenant's time zone). */
export type PoolJobs = {
  'pool.recycle-all': { day: string };
  'pool.recycle-tenant': { tenantId: string; day: string };
};

/** Daily at 06:20 Beijing time: after the re-grading (a grade decides the days), before anyone starts work. */
export const POOL_RECYCLE_SCHEDULE = { cron: '20 6 * * *', tz: 'Asia/Shanghai' } as const;

export function registerPoolJobs(
  jobs: JobQueue<PoolJobs>,
  database: CrmDatabase,
  registry: PluginRegistry | undefined,
): void {
  // Fans out one job per tenant, so one tenant's failure is retried alone and harms no other.
  jobs.register(
    'pool.recycle-all',
    async (job) => {
      const day = job.data.day;
      const keyDay = day || reminderToday(new Date());
      await fanOutToTenants(jobs, database, 'pool.recycle-tenant', {
        data: (tenantId) => ({ tenantId, day }),
        key: (tenantId) => `${tenantId}:${keyDay}`,
        singletonSeconds: 6 * 60 * 60,
      });
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  // Idempotent: a recycled record is in the pool, and each warning carries its day's key.
  jobs.register(
    'pool.recycle-tenant',
    async (job) => {
      const { tenantId } = job.data;
      const today = job.data.day || undefined;
      await database.withTenant(tenantId, (trx) =>
        runPoolRecycle(jobScope(trx, tenantId), registry, today ? { today } : {}),
      );
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
}
