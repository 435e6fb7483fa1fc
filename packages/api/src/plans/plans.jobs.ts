import { boundTransaction, type CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { fanOutToTenants } from '../fan-out';
import type { Logger } from '../logger';
import { effectiveSettings, tenantProfileId } from '../plugins/effective-settings';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope } from '../scope';
import { replanCustomers, replansInline, syncTenantCadences } from './plans.service';

/**
 * The daily extension of every tenant's plans (each plan's occurrences up to the horizon become
 * tasks; new customers get their plans), and the re-plan of one tenant on demand (after a
 * 行业配置 save of a tenant too large to re-plan inside the request, after a plugin upgrade).
 */
export type PlansJobs = {
  'plans.extend-all': { day: string };
  /** `day`: the daily run's, naming it (a re-plan after a save has none). */
  'plans.replan-tenant': { tenantId: string; day?: string };
};

/** Daily at 02:30 Beijing time: the day's new horizon before anyone opens 我的任务. */
export const PLANS_SCHEDULE = { cron: '30 2 * * *', tz: 'Asia/Shanghai' } as const;

/** Enqueues a tenant's re-plan (it runs after the enqueuing transaction commits). */
export async function enqueueReplan(
  jobs: Pick<JobQueue<PlansJobs>, 'enqueue'>,
  tenantId: string,
): Promise<void> {
  await jobs.enqueue('plans.replan-tenant', { tenantId });
}

export function registerPlansJobs(jobs: JobQueue<PlansJobs>, database: CrmDatabase): void {
  // Fans out one job per tenant, so one tenant's failure is retried alone and harms no other.
  jobs.register(
    'plans.extend-all',
    async (job) => {
      // The run's day names it (one per tenant and day); each tenant's today is its own calendar's.
      const day = job.data.day || new Date().toISOString().slice(0, 10);
      await fanOutToTenants(jobs, database, 'plans.replan-tenant', {
        data: (tenantId) => ({ tenantId, day }),
        key: (tenantId) => `${tenantId}:${day}`,
        singletonSeconds: 6 * 60 * 60,
      });
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  // Idempotent: a second run the same day adds, moves and cancels nothing (occasion keys).
  jobs.register(
    'plans.replan-tenant',
    async (job) => {
      const { tenantId } = job.data;
      await database.withTenant(tenantId, async (trx) => {
        await boundTransaction(trx, { statementTimeout: '25min' });
        await replanCustomers(jobScope(trx, tenantId), 'all');
      });
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
}

/**
 * At start-up: every tenant on a loaded plugin has its profile's cadences in force (a plugin
 * upgrade may change one); a tenant whose cadences changed is re-planned — inside its own
 * transaction when small, by a job when large. A failure for one tenant is logged and does
 * not stop the others.
 */
export async function syncAllPlanCadences(
  database: CrmDatabase,
  registry: PluginRegistry,
  logger: Logger,
  jobs: Pick<JobQueue<PlansJobs>, 'enqueue'>,
): Promise<{ tenants: number; changed: number }> {
  const tenants = await database.withoutTenant((db) =>
    db.selectFrom('tenant_directory').select('id').execute(),
  );
  let changed = 0;
  for (const { id: tenantId } of tenants) {
    try {
      const queue = await database.withTenant(tenantId, async (trx) => {
        const scope = jobScope(trx, tenantId);
        const profileId = await tenantProfileId(trx, tenantId);
        if (registry.status(profileId).state !== 'ok') return null;
        const effective = await effectiveSettings(trx, tenantId, registry);
        if (!(await syncTenantCadences(scope, effective.plugin, effective.settings))) return null;
        changed += 1;
        if (!(await replansInline(scope))) return true;
        await replanCustomers(scope, 'all');
        return false;
      });
      if (queue) await enqueueReplan(jobs, tenantId);
    } catch (error) {
      logger.error({ tenantId, err: error }, 'maintenance plans: cadence sync failed for a tenant');
    }
  }
  if (changed > 0) logger.info({ tenants: tenants.length, changed }, 'maintenance plan cadences synced');
  return { tenants: tenants.length, changed };
}
