import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { readCalendarSettings } from '../calendar/calendar.service';
import { fanOutToTenants } from '../fan-out';
import { jobScope } from '../scope';
import { announceOverdueTasks } from '../tasks/task-backbone.service';
import { dayIn } from '../tasks/tasks.service';
import { runMorningNotifications } from './notifications.service';

/**
 * Each morning, one job per tenant: the overdue scan (`task.overdue`, once per task),
 * task_due / task_overdue notifications for the day, then the daily digest emails.
 */
export type NotificationJobs = {
  'notifications.digest-all': { day?: string };
  /** `day`: the tenant's date to report on; default today in the tenant's time zone. */
  'notifications.digest-tenant': { tenantId: string; day?: string };
};

/** 07:30 Beijing time, before the working day starts. */
export const DIGEST_SCHEDULE = { cron: '30 7 * * *', tz: 'Asia/Shanghai' } as const;

export function registerNotificationJobs(jobs: JobQueue<NotificationJobs>, database: CrmDatabase): void {
  // Fans out one job per tenant, so one tenant's failure is retried alone and harms no other.
  jobs.register(
    'notifications.digest-all',
    async (job) => {
      const stamp = job.data.day || new Date().toISOString().slice(0, 10);
      await fanOutToTenants(jobs, database, 'notifications.digest-tenant', {
        data: (tenantId) => ({ tenantId, ...(job.data.day ? { day: job.data.day } : {}) }),
        key: (tenantId) => `${tenantId}:${stamp}`,
        singletonSeconds: 12 * 60 * 60,
      });
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  // Idempotent: dedup keys (task_due:<task>, digest:<member>:<day>) write each once.
  jobs.register(
    'notifications.digest-tenant',
    async (job) => {
      const { tenantId } = job.data;
      await database.withTenant(tenantId, async (trx) => {
        const scope = jobScope(trx, tenantId);
        const day = job.data.day ?? dayIn((await readCalendarSettings(scope)).timeZone, new Date());
        await announceOverdueTasks(scope, day);
        await runMorningNotifications(scope, day);
      });
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
}
