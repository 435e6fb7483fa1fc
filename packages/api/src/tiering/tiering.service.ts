import type { Database, TierChangeReason, Transaction } from '@crm/db';
import { tierModelOf } from '@crm/plugin-sdk';
import type { ApiDependencies } from '../context';
import { effectiveSettings } from '../plugins/effective-settings';
import type { HostPlugin } from '../plugins/host-plugin';
import type { PluginRegistry } from '../plugins/registry';
import type { JsonObject } from '../plugins/settings-merge';
import { previewTiering, retierTenant, type TierSource } from './tiering.repository';

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
  return result.moved;
}

export async function enqueueRetier(
  jobs: ApiDependencies['jobs'],
  tenantId: string,
  actorUserId: string,
): Promise<void> {
  await jobs.enqueue('tiering.retier-tenant', { tenantId, reason: 'settings', actorUserId });
}
