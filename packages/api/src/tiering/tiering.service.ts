import type { Database, TierChangeReason, Transaction } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { tierModelOf } from '@crm/plugin-sdk';
import { replanCustomers } from '../plans/plans.service';
import { effectiveSettings } from '../plugins/effective-settings';
import type { HostPlugin } from '../plugins/host-plugin';
import type { PluginRegistry } from '../plugins/registry';
import type { JsonObject } from '../plugins/settings-merge';
import type { Scope } from '../scope';
import { noteWebhookDeliveries } from '../webhooks/webhooks.service';
import {
  countActiveCustomers,
  hasPending,
  insertTouches,
  markPending,
  previewTiering,
  resolveSource,
  retierCustomers,
  retierTenant,
  type TierSource,
  takeTouches,
} from './tiering.repository';
import { TIER_RERANK_LIMIT, TIER_TOUCH_DEBOUNCE_SECONDS } from './tiering.schedule';
import { ranksAcrossTenant } from './tiering.sql';

/**
 * The tiering use cases — where the industry settings meet the tier model: the
 * preview of a change, the re-tier a save performs, and the tier source the re-tier jobs use.
 */

/**
 * Tenants up to this many active customers are re-tiered inside the save's transaction (the
 * re-tier is one set-based statement: the customers have moved when the save returns); larger
 * ones get a re-tier job that runs right after the save commits (docs/tiering.md).
 */
export const TIERING_INLINE_LIMIT = 200_000;

/** How many moving customers a preview lists per from → to pair. */
export const PREVIEW_SAMPLES_PER_CELL = 5;
/** And in all. */
export const PREVIEW_SAMPLE = 20;

export type TierPreview = {
  matrix: { from: string | null; to: string; count: number }[];
  total: number;
  moving: number;
  sample: { customerId: string; name: string; from: string | null; to: string; score: number | null }[];
};

/**
 * The tier model and effective settings a tenant is on (null: its profile has no tier model,
 * or was refused at start-up). `settingsVersion` is the saved version in force (0: defaults).
 */
export function pluginTierSource(registry: PluginRegistry) {
  return async (trx: Transaction<Database>, tenantId: string): Promise<TierSource | null> => {
    const tenant = await trx
      .selectFrom('tenants')
      .select('industry')
      .where('id', '=', tenantId)
      .executeTakeFirst();
    const plugin = tenant ? registry.get(tenant.industry) : undefined;
    if (!plugin?.tierModel) return null;
    const effective = await effectiveSettings(trx, tenantId, registry);
    return {
      model: tierModelOf(plugin),
      settings: effective.settings,
      settingsVersion: effective.stored?.version ?? 0,
    };
  };
}

export async function previewTenantTiers(
  trx: Transaction<Database>,
  tenantId: string,
  plugin: HostPlugin,
  settings: JsonObject,
  current: JsonObject,
): Promise<TierPreview> {
  const model = tierModelOf(plugin);
  const preview = await previewTiering(
    trx,
    tenantId,
    { model, settings },
    { current: { model, settings: current }, samplesPerCell: PREVIEW_SAMPLES_PER_CELL },
  );
  const sample = preview.cells
    .filter((cell) => cell.from !== cell.to)
    .flatMap((cell) =>
      cell.sample.map((customer) => ({
        customerId: customer.id,
        name: customer.name,
        from: cell.from,
        to: cell.to,
        score: customer.score,
      })),
    )
    .slice(0, PREVIEW_SAMPLE);
  return {
    matrix: preview.cells.map((cell) => ({ from: cell.from, to: cell.to, count: cell.count })),
    total: preview.total,
    moving: preview.moving,
    sample,
  };
}

/** Re-tiers the tenant in this transaction; returns how many customers changed tier. */
export async function retierTenantNow(
  trx: Transaction<Database>,
  tenantId: string,
  plugin: HostPlugin,
  settings: JsonObject,
  options: { reason: TierChangeReason; settingsVersion: number; changedBy: string | null },
): Promise<number> {
  const result = await retierTenant(trx, tenantId, options.reason, options.changedBy, {
    model: tierModelOf(plugin),
    settings,
    settingsVersion: options.settingsVersion,
  });
  noteWebhookDeliveries(trx, result.webhookDeliveries);
  return result.moved;
}

/**
 * Re-tiers the whole tenant and re-plans the customers that moved, in this transaction (the
 * quarterly and on-demand jobs).
 */
export async function retierTenantAndReplan(
  scope: Scope,
  source: TierSource,
  options: { reason: TierChangeReason; changedBy: string | null },
): Promise<RetierOutcome> {
  const { webhookDeliveries, ...result } = await retierTenant(
    scope.trx,
    scope.tenantId,
    options.reason,
    options.changedBy,
    source,
  );
  noteWebhookDeliveries(scope.trx, webhookDeliveries);
  if (result.moved > 0) await replanCustomers(scope, 'changed_now');
  return result;
}

type RetierOutcome = { updated: number; moved: number };

/** The on-demand re-tier of a tenant (tiering.jobs.ts registers it). */
type RetierTenantJobs = {
  'tiering.retier-tenant': { tenantId: string; reason: TierChangeReason; actorUserId?: string | null };
};

export async function enqueueRetier(
  jobs: Pick<JobQueue<RetierTenantJobs>, 'enqueue'>,
  tenantId: string,
  actorUserId: string,
): Promise<void> {
  await jobs.enqueue('tiering.retier-tenant', { tenantId, reason: 'settings', actorUserId });
}

/** The debounced re-tier of a tenant's touched customers (tiering.jobs.ts registers it). */
export type TouchedRetierJobs = {
  'tiering.retier-touched': {
    tenantId: string;
    /** The nightly run: customers waiting (待重算) are placed by a run over the whole tenant. */
    nightly?: boolean;
  };
};

/** Transactions that touched customers' tiers and have not queued their re-tier yet. */
const touchedTransactions = new WeakSet<Transaction<Database>>();

/**
 * Records that these customers' tiers are to be recomputed: they were created, imported,
 * merged, edited or given an order. One statement, in the caller's transaction; the edge that
 * commits it (the tenant procedure, the import job) then queues the tenant's re-tier
 * (`queueTouchedRetier`).
 */
export async function touchTiers(scope: Scope, customerIds: readonly string[]): Promise<void> {
  const unique = [...new Set(customerIds)];
  if (unique.length === 0) return;
  if ((await insertTouches(scope.trx, scope.tenantId, unique)) > 0) touchedTransactions.add(scope.trx);
}

/** Whether the transaction touched tiers (and forgets it: ask once, at the edge, before queueing). */
export function takeTiersTouched(trx: Transaction<Database>): boolean {
  const touched = touchedTransactions.has(trx);
  touchedTransactions.delete(trx);
  return touched;
}

/**
 * Queues the tenant's re-tier of its touched customers, after the touching transaction has
 * committed. Debounced: the queue is stately, so while a run waits (it waits
 * TIER_TOUCH_DEBOUNCE_SECONDS) no second one is queued, and touches meanwhile join it.
 */
export async function queueTouchedRetier(
  jobs: Pick<JobQueue<TouchedRetierJobs>, 'enqueue'>,
  tenantId: string,
): Promise<void> {
  await jobs.enqueue(
    'tiering.retier-touched',
    { tenantId },
    { debounceKey: tenantId, startAfter: TIER_TOUCH_DEBOUNCE_SECONDS },
  );
}

export type TouchedRetierOutcome =
  | { kind: 'none' }
  /** Only the touched customers were placed (a model that does not rank across the tenant). */
  | { kind: 'customers'; touched: number; updated: number; moved: number }
  /** The whole tenant was re-ranked (small tenant, or the nightly run of waiting customers). */
  | { kind: 'tenant'; touched: number; updated: number; moved: number }
  /** A large tenant: the touched customers wait for the nightly run (待重算). */
  | { kind: 'pending'; touched: number; marked: number };

/**
 * The tenant's incremental re-tier, in the job's transaction: takes the touched customers
 * and places them — set-based over their ids when the model places each customer on its own;
 * the whole tenant when the model ranks customers against each other and the tenant has at
 * most `rerankLimit` active customers; otherwise marks them 待重算 for the nightly run.
 */
export async function retierTouched(
  scope: Scope,
  source: TierSource | null,
  options: { rerankLimit?: number; nightly?: boolean } = {},
): Promise<TouchedRetierOutcome> {
  const { trx, tenantId } = scope;
  const touched = await takeTouches(trx, tenantId);
  if (!source) return { kind: 'none' };
  const waiting = options.nightly === true && (await hasPending(trx, tenantId));
  if (touched.length === 0 && !waiting) return { kind: 'none' };
  const model = resolveSource(source.model, source.settings);
  // Customers that moved tier are re-planned in the same transaction (their future plan tasks follow).
  if (!ranksAcrossTenant(model) && !waiting) {
    const { webhookDeliveries, ...result } = await retierCustomers(trx, tenantId, touched, 'change', source);
    noteWebhookDeliveries(trx, webhookDeliveries);
    if (result.moved > 0) await replanCustomers(scope, touched);
    return { kind: 'customers', touched: touched.length, ...result };
  }
  const limit = options.rerankLimit ?? TIER_RERANK_LIMIT;
  if (waiting || (await countActiveCustomers(trx, tenantId, limit)) <= limit) {
    const result = await retierTenantAndReplan(scope, source, { reason: 'change', changedBy: null });
    return { kind: 'tenant', touched: touched.length, ...result };
  }
  return { kind: 'pending', touched: touched.length, marked: await markPending(trx, tenantId, touched) };
}
