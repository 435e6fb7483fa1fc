import {
  boundTransaction,
  type CrmDatabase,
  type Database,
  type TierChangeReason,
  type Transaction,
} from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { retierTenant, type TierSource } from './tiering.repository';

/** Re-tiering: every tenant each quarter, or one tenant on demand (after a settings save, say). */
export type TieringJobs = {
  'tiering.retier-all': { quarter: string };
  'tiering.retier-tenant': {
    tenantId: string;
    reason: TierChangeReason;
    actorUserId?: string | null;
    /** Deduplicates the quarterly run of a tenant. */
    quarter?: string;
  };
};

/** Quarterly, on the first day of January, April, July and October at 04:00 Beijing time. */
export const TIERING_SCHEDULE = { cron: '0 4 1 1,4,7,10 *', tz: 'Asia/Shanghai' } as const;

/**
 * The tier model and effective settings a tenant is on, or null when it has none (no
 * industry profile, or a profile without a tier model, or one refused at start-up).
 */
export type TierSourceResolver = (trx: Transaction<Database>, tenantId: string) => Promise<TierSource | null>;

const NO_SOURCE: TierSourceResolver = async () => null;

function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

export function registerTieringJobs(
  jobs: JobQueue<TieringJobs>,
  database: CrmDatabase,
  resolveSource: TierSourceResolver = NO_SOURCE,
): void {
  // Fans out one job per tenant, so one tenant's failure is retried alone and harms no other.
  jobs.register(
    'tiering.retier-all',
    async (job) => {
      const quarter = job.data.quarter || quarterOf(new Date());
      const tenants = await database.withoutTenant((db) =>
        db.selectFrom('tenant_directory').select('id').execute(),
      );
      for (const tenant of tenants) {
        await jobs.enqueue(
          'tiering.retier-tenant',
          { tenantId: tenant.id, reason: 'quarterly', quarter },
          { singletonKey: `${tenant.id}:${quarter}`, singletonSeconds: 6 * 60 * 60 },
        );
      }
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  // Idempotent: re-tiering twice writes nothing the second time and records no second move.
  jobs.register(
    'tiering.retier-tenant',
    async (job) => {
      const { tenantId, reason, actorUserId } = job.data;
      await database.withTenant(tenantId, async (trx) => {
        // BM4: a million customers re-tier in about 9 minutes.
        await boundTransaction(trx, { statementTimeout: '25min' });
        const source = await resolveSource(trx, tenantId);
        if (source) await retierTenant(trx, tenantId, reason, actorUserId ?? null, source);
      });
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
}
