import {
  boundTransaction,
  type CrmDatabase,
  type Database,
  type TierChangeReason,
  type Transaction,
} from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { fanOutToTenants } from '../fan-out';
import { jobScope } from '../scope';
import { hasPending, hasTouches, lockTenantTiers, type TierSource } from './tiering.repository';
import { TIERING_PENDING_SCHEDULE, TIERING_SCHEDULE } from './tiering.schedule';
import {
  queueTouchedRetier,
  retierTenantAndReplan,
  retierTouched,
  type TouchedRetierJobs,
} from './tiering.service';

export { TIERING_PENDING_SCHEDULE, TIERING_SCHEDULE };

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
  /** Nightly: tenants with customers waiting (待重算) or touches left over are run. */
  'tiering.retier-pending': { day: string };
} & TouchedRetierJobs;

export type TieringJobOptions = {
  /** Tenants up to this many active customers are re-ranked whole after a touch (TIER_RERANK_LIMIT). */
  rerankLimit?: number;
};

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
  options: TieringJobOptions = {},
): void {
  // Fans out one job per tenant, so one tenant's failure is retried alone and harms no other.
  jobs.register(
    'tiering.retier-all',
    async (job) => {
      const quarter = job.data.quarter || quarterOf(new Date());
      await fanOutToTenants(jobs, database, 'tiering.retier-tenant', {
        data: (tenantId) => ({ tenantId, reason: 'quarterly' as const, quarter }),
        key: (tenantId) => `${tenantId}:${quarter}`,
        singletonSeconds: 6 * 60 * 60,
      });
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
  // Idempotent: re-tiering twice writes nothing the second time and records no second move.
  jobs.register(
    'tiering.retier-tenant',
    async (job) => {
      const { tenantId, reason, actorUserId } = job.data;
      await database.withTenant(tenantId, async (trx) => {
        // The bound: BM4's first placement of a million customers took 533 s (2026-11-23) when
        // it rewrote the wide customer row; customer_tiers (2026-12-16) writes a narrow row and
        // two index entries per customer instead and is not yet measured at that size
        // (docs/benchmarks.md, BM4), so 25 minutes is a margin, not a forecast.
        await boundTransaction(trx, { statementTimeout: '25min' });
        await lockTenantTiers(trx, tenantId);
        const source = await resolveSource(trx, tenantId);
        if (source)
          await retierTenantAndReplan(jobScope(trx, tenantId), source, {
            reason,
            changedBy: actorUserId ?? null,
          });
      });
    },
    { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
  // The debounced run after touches (tiering.service.ts): one per tenant waits at a time.
  jobs.register(
    'tiering.retier-touched',
    async (job) => {
      const { tenantId, nightly } = job.data;
      await database.withTenant(tenantId, async (trx) => {
        await boundTransaction(trx, { statementTimeout: '25min' });
        await lockTenantTiers(trx, tenantId);
        const source = await resolveSource(trx, tenantId);
        await retierTouched(jobScope(trx, tenantId), source, { rerankLimit: options.rerankLimit, nightly });
      });
      // Touches committed while this run worked whose own enqueue found it still waiting.
      if (await database.withTenant(tenantId, (trx) => hasTouches(trx, tenantId)))
        await queueTouchedRetier(jobs, tenantId);
    },
    { retryLimit: 4, retryDelaySeconds: 10, retryBackoff: true, expireInSeconds: 30 * 60 },
  );
  jobs.register(
    'tiering.retier-pending',
    async () => {
      const tenants = await database.withoutTenant((db) =>
        db.selectFrom('tenant_directory').select('id').execute(),
      );
      for (const tenant of tenants) {
        const due = await database.withTenant(
          tenant.id,
          async (trx) => (await hasPending(trx, tenant.id)) || (await hasTouches(trx, tenant.id)),
        );
        if (due)
          await jobs.enqueue(
            'tiering.retier-touched',
            { tenantId: tenant.id, nightly: true },
            { debounceKey: `${tenant.id}:nightly` },
          );
      }
    },
    { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  );
}
