import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { type EmailJobs, queueEmailDrain } from '../email/email.jobs';
import { fanOutToTenants } from '../fan-out';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope } from '../scope';
import type { TicketJobs } from '../tickets/tickets.service';
import { scheduleInvitations, sendDueInvitations, surveyToday } from './surveys.service';

export type SurveyJobs = {
  'surveys.schedule-all': { day: string };
  'surveys.schedule-tenant': { tenantId: string; day: string };
  'surveys.send': { tenantId: string };
};

/** Daily at 07:30 Beijing time: the day's invitations, sent before the working day starts. */
export const SURVEY_SCHEDULE = { cron: '30 7 * * *', tz: 'Asia/Shanghai' } as const;

/**
 * The daily scheduling, one job per tenant (set-based, idempotent: the occasion key never
 * invites twice), then the sending; and the CSAT of a closed ticket (`tickets.closed`).
 */
export function registerSurveyJobs(
  jobs: JobQueue<SurveyJobs & EmailJobs & Pick<TicketJobs, 'tickets.closed'>>,
  database: CrmDatabase,
  plugins: PluginRegistry | undefined,
): void {
  const dependencies = { plugins };
  jobs.register(
    'surveys.schedule-all',
    async (job) => {
      const day = job.data.day || surveyToday();
      await fanOutToTenants(jobs, database, 'surveys.schedule-tenant', {
        data: (tenantId) => ({ tenantId, day }),
        key: (tenantId) => `${tenantId}:${day}`,
        singletonSeconds: 6 * 60 * 60,
      });
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  jobs.register(
    'surveys.schedule-tenant',
    async (job) => {
      const { tenantId, day } = job.data;
      await database.withTenant(tenantId, (trx) =>
        scheduleInvitations(jobScope(trx, tenantId), dependencies, day),
      );
      await jobs.enqueue('surveys.send', { tenantId }, { singletonKey: tenantId, singletonSeconds: 60 });
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
  jobs.register(
    'surveys.send',
    async (job) => {
      const { tenantId } = job.data;
      const sent = await database.withTenant(tenantId, (trx) =>
        sendDueInvitations(jobScope(trx, tenantId), dependencies, surveyToday()),
      );
      if (sent.emails > 0) await queueEmailDrain(jobs, tenantId);
    },
    { retryLimit: 4, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  jobs.register(
    'tickets.closed',
    async (job) => {
      const { tenantId, customerId } = job.data;
      const day = surveyToday(new Date(job.data.closedAt));
      const made = await database.withTenant(tenantId, (trx) =>
        scheduleInvitations(jobScope(trx, tenantId), dependencies, day, {
          customerId,
          event: 'ticket_closed',
        }),
      );
      if (made > 0)
        await jobs.enqueue('surveys.send', { tenantId }, { singletonKey: tenantId, singletonSeconds: 10 });
    },
    { retryLimit: 4, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 10 * 60 },
  );
}
