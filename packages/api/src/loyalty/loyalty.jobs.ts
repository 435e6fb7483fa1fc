import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { fanOutToTenants } from '../fan-out';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope } from '../scope';
import { expireTenantPoints, settleTenantOrders } from './loyalty.service';

export type LoyaltyJobs = {
  'loyalty.expire-all': Record<string, never>;
  'loyalty.expire-tenant': { tenantId: string; at?: string };
};

/**
 * Every night, per tenant in set-based statements: orders not settled yet (imported ones:
 * the import writes orders without the loyalty rules) earn their points and pay their
 * referrals, then points past their expiry expire.
 */
export const LOYALTY_EXPIRY_SCHEDULE = { cron: '25 2 * * *', tz: 'Asia/Shanghai' } as const;

/** The nightly run fanned out one job per tenant; idempotent (a second run settles and expires nothing more). */
export function registerLoyaltyJobs(
  jobs: JobQueue<LoyaltyJobs>,
  database: CrmDatabase,
  plugins?: PluginRegistry,
): void {
  jobs.register(
    'loyalty.expire-all',
    async () => {
      const day = new Date().toISOString().slice(0, 10);
      await fanOutToTenants(jobs, database, 'loyalty.expire-tenant', {
        data: (tenantId) => ({ tenantId }),
        key: (tenantId) => `${tenantId}:${day}`,
        singletonSeconds: 24 * 3600,
      });
    },
    { retryLimit: 2, retryDelaySeconds: 60, expireInSeconds: 30 * 60 },
  );
  jobs.register(
    'loyalty.expire-tenant',
    async (job) => {
      const { tenantId } = job.data;
      const at = job.data.at ? new Date(job.data.at) : new Date();
      await database.withTenant(tenantId, async (trx) => {
        const scope = jobScope(trx, tenantId);
        await settleTenantOrders(scope, { plugins });
        await expireTenantPoints(scope, at);
      });
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
}
