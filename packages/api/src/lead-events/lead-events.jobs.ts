import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { fanOutToTenants } from '../fan-out';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope } from '../scope';
import { regradeAfterEvents, regradeTenantDaily, takeRegradeRequest } from './regrade.service';

/**
 * Re-grading on behaviour: within seconds of new events (debounced per tenant, over the leads
 * with new events), and daily over every open lead for the time-based rules ("no activity
 * for 30 days → down one grade").
 */
export type LeadEventJobs = {
  'lead-events.regrade-tenant': { tenantId: string };
  'lead-events.regrade-daily-all': { day: string };
  'lead-events.regrade-daily-tenant': { tenantId: string; day: string };
};

/** Daily at 06:10 Beijing time: quiet leads move down before the morning's follow-up tasks. */
export const REGRADE_DAILY_SCHEDULE = { cron: '10 6 * * *', tz: 'Asia/Shanghai' } as const;

export function registerLeadEventJobs(
  jobs: JobQueue<LeadEventJobs>,
  database: CrmDatabase,
  registry: PluginRegistry | undefined,
): void {
  // Idempotent: a rule that moved a lead waits out its cool-down, so a second run moves nothing.
  jobs.register(
    'lead-events.regrade-tenant',
    async (job) => {
      if (!registry) return;
      const { tenantId } = job.data;
      // The request first, in its own transaction: events recorded from here on ask for the
      // next run; those that saw the request are committed before the run reads them.
      await database.withTenant(tenantId, (trx) => takeRegradeRequest(jobScope(trx, tenantId)));
      await database.withTenant(tenantId, (trx) => regradeAfterEvents(jobScope(trx, tenantId), registry));
    },
    { retryLimit: 4, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 10 * 60 },
  );
  jobs.register(
    'lead-events.regrade-daily-all',
    async (job) => {
      const day = job.data.day || new Date().toISOString().slice(0, 10);
      await fanOutToTenants(jobs, database, 'lead-events.regrade-daily-tenant', {
        data: (tenantId) => ({ tenantId, day }),
        key: (tenantId) => `${tenantId}:${day}`,
        singletonSeconds: 6 * 60 * 60,
      });
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  jobs.register(
    'lead-events.regrade-daily-tenant',
    async (job) => {
      if (!registry) return;
      const { tenantId } = job.data;
      await database.withTenant(tenantId, (trx) => regradeTenantDaily(jobScope(trx, tenantId), registry));
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
}
