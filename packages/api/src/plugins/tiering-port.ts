import type { Database, Transaction } from '@crm/db';
import type { ApiDependencies } from '../context';
import type { HostPlugin } from './host-plugin';
import type { JsonObject } from './settings-merge';

/**
 * Where the industry settings meet the tiering engine (packages/api/src/tiering): the
 * preview of a change and the re-tier a save performs.
 */

/**
 * Tenants up to this many active customers are re-tiered inside the save's transaction (the
 * re-tier is one set-based statement: the customers have moved when the save returns); larger
 * ones get a re-tier job that runs right after the save commits.
 */
export const TIERING_INLINE_LIMIT = 200_000;

/** How many moving customers a preview lists. */
export const PREVIEW_SAMPLE = 20;

export type TierPreview = {
  matrix: { from: string | null; to: string; count: number }[];
  total: number;
  moving: number;
  sample: { customerId: string; name: string; from: string | null; to: string; score: number | null }[];
};

export async function previewTenantTiers(
  _trx: Transaction<Database>,
  _tenantId: string,
  _plugin: HostPlugin,
  _settings: JsonObject,
): Promise<TierPreview> {
  throw new Error('tiering engine not wired yet');
}

export async function retierTenantNow(
  _trx: Transaction<Database>,
  _tenantId: string,
  _plugin: HostPlugin,
  _settings: JsonObject,
  _options: { reason: 'settings'; settingsVersion: number; changedBy: string },
): Promise<number> {
  throw new Error('tiering engine not wired yet');
}

export async function enqueueRetier(_jobs: ApiDependencies['jobs'], _tenantId: string): Promise<void> {
  throw new Error('tiering engine not wired yet');
}
