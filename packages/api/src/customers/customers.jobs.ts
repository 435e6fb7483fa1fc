import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { fanOutToTenants } from '../fan-out';
import { jobScope } from '../scope';
import { refreshCustomerFacts } from './facts.repository';

/** The daily re-derivation of transaction facts and lifecycle stages, tenant by tenant. */
export type LifecycleJobs = {
  'lifecycle.rederive-all': { day: string };
  'lifecycle.rederive-tenant': { tenantId: string; day: string };
};

/** Daily at 03:00 Beijing time, when nobody is working. */
export const LIFECYCLE_SCHEDULE = { cron: '0 3 * * *', tz: 'Asia/Shanghai' } as const;

export function registerLifecycleJobs(jobs: JobQueue<LifecycleJobs>, database: CrmDatabase): void {
  // Fans out one job per tenant, so one tenant's failure is retried alone and harms no other.
  jobs.register(
    'lifecycle.rederive-all',
    async (job) => {
      const day = job.data.day || new Date().toISOString().slice(0, 10);
      await fanOutToTenants(jobs, database, 'lifecycle.rederive-tenant', {
        data: (tenantId) => ({ tenantId, day }),
        key: (tenantId) => `${tenantId}:${day}`,
        singletonSeconds: 6 * 60 * 60,
      });
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  // Idempotent: re-deriving twice gives the same facts and records no second stage move.
  jobs.register(
    'lifecycle.rederive-tenant',
    async (job) => {
      const { tenantId } = job.data;
      await database.withTenant(tenantId, (trx) =>
        refreshCustomerFacts(jobScope(trx, tenantId), 'all', 'daily'),
      );
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
}
