import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { fanOutToTenants } from '../fan-out';
import { jobScope } from '../scope';
import { scanTicketSlas, type TicketJobs } from './tickets.service';

export type { TicketJobs } from './tickets.service';

/** Every 5 minutes: the SLA scan of every tenant (warnings, breaches, escalations). */
export const TICKET_SLA_SCHEDULE = { cron: '*/5 * * * *', tz: 'Asia/Shanghai' } as const;

/**
 * The SLA scan, fanned out one job per tenant so one tenant's failure is retried alone. Each
 * tenant's scan reads the index on `sla_next_at` and is idempotent (every step's task and
 * notification carry the occasion's key). `tickets.closed` is enqueued by the service when a
 * ticket closes; its handler belongs to surveys (a CSAT survey to the customer).
 */
export function registerTicketJobs(jobs: JobQueue<TicketJobs>, database: CrmDatabase): void {
  jobs.register(
    'tickets.sla-scan-all',
    async () => {
      const window = Math.floor(Date.now() / (5 * 60_000));
      await fanOutToTenants(jobs, database, 'tickets.sla-scan-tenant', {
        data: (tenantId) => ({ tenantId }),
        key: (tenantId) => `${tenantId}:${window}`,
        singletonSeconds: 5 * 60,
      });
    },
    { retryLimit: 2, retryDelaySeconds: 30, expireInSeconds: 10 * 60 },
  );
  jobs.register(
    'tickets.sla-scan-tenant',
    async (job) => {
      const { tenantId } = job.data;
      const at = job.data.at ? new Date(job.data.at) : new Date();
      await database.withTenant(tenantId, (trx) => scanTicketSlas(jobScope(trx, tenantId), at));
    },
    { retryLimit: 4, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 10 * 60 },
  );
}
