import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { fanOutToTenants } from '../fan-out';
import { jobScope } from '../scope';
import { scanLeadSlas } from './leads.service';

/** The follow-up SLA scan's jobs: the fan-out, and one tenant's scan (`at` for tests). */
export type LeadJobs = {
  'leads.sla-scan-all': Record<string, never>;
  'leads.sla-scan-tenant': { tenantId: string; at?: string };
};

/** Every 5 minutes: the follow-up SLA scan of every tenant (breaches, escalations). */
export const LEAD_SLA_SCHEDULE = { cron: '*/5 * * * *', tz: 'Asia/Shanghai' } as const;

/**
 * The follow-up SLA scan, fanned out one job per tenant so one tenant's failure is retried
 * alone. Each tenant's scan reads the index of running clocks and is idempotent (a lead is
 * flagged once per deadline; its notifications and task carry the occasion's key).
 */
export function registerLeadJobs(jobs: JobQueue<LeadJobs>, database: CrmDatabase): void {
  jobs.register(
    'leads.sla-scan-all',
    async () => {
      const window = Math.floor(Date.now() / (5 * 60_000));
      await fanOutToTenants(jobs, database, 'leads.sla-scan-tenant', {
        data: (tenantId) => ({ tenantId }),
        key: (tenantId) => `${tenantId}:${window}`,
        singletonSeconds: 5 * 60,
      });
    },
    { retryLimit: 2, retryDelaySeconds: 30, expireInSeconds: 10 * 60 },
  );
  jobs.register(
    'leads.sla-scan-tenant',
    async (job) => {
      const { tenantId } = job.data;
      const at = job.data.at ? new Date(job.data.at) : new Date();
      await database.withTenant(tenantId, (trx) => scanLeadSlas(jobScope(trx, tenantId), at));
    },
    { retryLimit: 4, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 10 * 60 },
  );
}
