import type { CrmDatabase } from '@crm/db';
import { reminderToday } from '@crm/domain';
import type { JobQueue } from '@crm/jobs';
import { fanOutToTenants } from '../fan-out';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope } from '../scope';
import { runReminders } from './reminders.service';

/** The daily reminder run, tenant by tenant. `day` is the reps' day ('' for today in each tenant's time zone). */
export type ReminderJobs = {
  'reminders.run-all': { day: string };
  'reminders.run-tenant': { tenantId: string; day: string };
};

/** Daily at 05:30 Beijing time: after the nightly re-derivations, before anyone starts work. */
export const REMINDERS_SCHEDULE = { cron: '30 5 * * *', tz: 'Asia/Shanghai' } as const;

export function registerReminderJobs(
  jobs: JobQueue<ReminderJobs>,
  database: CrmDatabase,
  registry: PluginRegistry | undefined,
): void {
  // Fans out one job per tenant, so one tenant's failure is retried alone and harms no other.
  jobs.register(
    'reminders.run-all',
    async (job) => {
      // Each tenant runs on its own day (its work calendar's time zone) unless a day is given.
      const day = job.data.day;
      const keyDay = day || reminderToday(new Date());
      await fanOutToTenants(jobs, database, 'reminders.run-tenant', {
        data: (tenantId) => ({ tenantId, day }),
        key: (tenantId) => `${tenantId}:${keyDay}`,
        singletonSeconds: 6 * 60 * 60,
      });
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  // Idempotent: every task carries its occasion's key, unique per tenant.
  jobs.register(
    'reminders.run-tenant',
    async (job) => {
      const { tenantId } = job.data;
      const day = job.data.day || undefined;
      await database.withTenant(tenantId, (trx) => runReminders(jobScope(trx, tenantId), registry, day));
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
}
