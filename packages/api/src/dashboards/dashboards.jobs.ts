import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { readCalendarSettings } from '../calendar/calendar.service';
import { fanOutToTenants } from '../fan-out';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope } from '../scope';
import { dayIn } from '../tasks/tasks.service';
import { queueWeeklySummaries } from './dashboards.service';

/** The weekly summary (每周指标摘要): a fan-out on Monday morning, then one job per tenant. */
export type DashboardJobs = {
  'dashboards.weekly-summary-all': { weekStart?: string };
  /** `weekStart`: the Monday after the week to report on; default this week's, in the tenant's time zone. */
  'dashboards.weekly-summary-tenant': { tenantId: string; weekStart?: string };
};

/** Mondays at 08:00 Beijing time, after the daily digest. */
export const WEEKLY_SUMMARY_SCHEDULE = { cron: '0 8 * * 1', tz: 'Asia/Shanghai' } as const;

export function registerDashboardJobs(
  jobs: JobQueue<DashboardJobs>,
  database: CrmDatabase,
  plugins?: PluginRegistry,
): void {
  // One job per tenant, so one tenant's failure is retried alone and harms no other.
  jobs.register(
    'dashboards.weekly-summary-all',
    async (job) => {
      const stamp = job.data.weekStart || new Date().toISOString().slice(0, 10);
      await fanOutToTenants(jobs, database, 'dashboards.weekly-summary-tenant', {
        data: (tenantId) => ({
          tenantId,
          ...(job.data.weekStart ? { weekStart: job.data.weekStart } : {}),
        }),
        key: (tenantId) => `${tenantId}:${stamp}`,
        singletonSeconds: 24 * 60 * 60,
      });
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  // Idempotent: the dedup key weekly_summary:<member>:<monday> writes each email once.
  jobs.register(
    'dashboards.weekly-summary-tenant',
    async (job) => {
      const { tenantId } = job.data;
      await database.withTenant(tenantId, async (trx) => {
        const scope = jobScope(trx, tenantId);
        const weekStart =
          job.data.weekStart ?? dayIn((await readCalendarSettings(scope)).timeZone, new Date());
        await queueWeeklySummaries(scope, { plugins }, weekStart);
      });
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
}
