import type { Database, Transaction } from '@crm/db';
import type { Labels } from '@crm/plugin-sdk';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { ApiDependencies } from '../context';
import { visibleCustomer } from '../customers/access';
import { appError, translateError } from '../errors';
import type { Locale } from '../i18n';
import {
  checkSettings,
  defaultsOf,
  effectiveSettings,
  latestOverrides,
  requireTenantPlugin,
  settingsJsonSchema,
  tenantProfileId,
} from './effective-settings';
import type { HostPlugin } from './host-plugin';
import type {
  currentOutput,
  customerTierOutput,
  historyOutput,
  previewOutput,
  profileOutput,
  saveOutput,
  settingsOutput,
} from './industry.schemas';
import type { PluginRegistry } from './registry';
import { type JsonObject, jsonEqual, mergeSettings, settingChanges } from './settings-merge';
import { enqueueRetier, previewTenantTiers, retierTenantNow, TIERING_INLINE_LIMIT } from './tiering-port';

type Trx = Transaction<Database>;
type Tenant = { trx: Trx; tenantId: string };

const labelsOf = (value: Labels | undefined | null) =>
  value ? { 'zh-CN': value['zh-CN'], en: value.en } : null;

export function profileOf(plugin: HostPlugin): z.infer<typeof profileOutput> {
  const model = plugin.tierModel;
  return {
    id: plugin.id,
    version: plugin.version,
    labels: { 'zh-CN': plugin.labels['zh-CN'], en: plugin.labels.en },
    description: labelsOf(plugin.description),
    modelKind: model?.kind ?? null,
    tiers: (model?.tiers ?? []).map((tier) => ({
      key: tier.key,
      labels: { 'zh-CN': tier.labels['zh-CN'], en: tier.labels.en },
      description: labelsOf(tier.description),
    })),
  };
}

export async function currentProfile(
  { trx, tenantId }: Tenant,
  registry: PluginRegistry,
  locale: Locale,
): Promise<z.infer<typeof currentOutput>> {
  const profileId = await tenantProfileId(trx, tenantId);
  const status = registry.status(profileId);
  if (status.state === 'ok') return { state: 'ok', profileId, profile: profileOf(status.plugin) };
  return {
    state: 'unavailable',
    profileId,
    message: translateError('INDUSTRY_PROFILE_UNAVAILABLE', locale, { profile: profileId }),
  };
}

async function personOf(trx: Trx, userId: string | null) {
  if (!userId) return null;
  const user = await trx
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return user ? { id: user.id, name: user.name } : null;
}

export async function readSettings(
  { trx, tenantId }: Tenant,
  registry: PluginRegistry,
): Promise<z.infer<typeof settingsOutput>> {
  const effective = await effectiveSettings(trx, tenantId, registry);
  const { plugin, stored } = effective;
  return {
    profile: profileOf(plugin),
    version: stored?.version ?? 0,
    settingsVersion: plugin.settings.version,
    defaults: effective.defaults,
    overrides: effective.overrides,
    settings: effective.settings,
    schema: settingsJsonSchema(plugin),
    changedAt: stored?.changedAt.toISOString() ?? null,
    changedBy: await personOf(trx, stored?.changedBy ?? null),
    storedInvalid: effective.invalidStored,
  };
}

export async function previewSettings(
  { trx, tenantId }: Tenant,
  registry: PluginRegistry,
  candidate: Record<string, unknown>,
): Promise<z.infer<typeof previewOutput>> {
  const current = await effectiveSettings(trx, tenantId, registry);
  const { plugin } = current;
  const { settings } = checkSettings(plugin, candidate);
  if (!plugin.tierModel) return { tiers: [], matrix: [], total: 0, moving: 0, sample: [] };
  const preview = await previewTenantTiers(trx, tenantId, plugin, settings, current.settings);
  return { tiers: profileOf(plugin).tiers, ...preview };
}

async function assertVersion(trx: Trx, tenantId: string, expected: number): Promise<number> {
  // One saver at a time per tenant: the version check and the insert cannot interleave.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`industry-settings:${tenantId}`}, 0))`.execute(
    trx,
  );
  const latest = await latestOverrides(trx, tenantId);
  const current = latest?.version ?? 0;
  if (current !== expected) throw appError('INDUSTRY_SETTINGS_STALE', { version: current });
  return current;
}

async function storeAndRetier(
  tenant: Tenant,
  dependencies: Pick<ApiDependencies, 'jobs'>,
  plugin: HostPlugin,
  settings: JsonObject,
  overrides: JsonObject,
  meta: { version: number; userId: string; note: string | null },
): Promise<z.infer<typeof saveOutput>> {
  const { trx, tenantId } = tenant;
  const version = meta.version + 1;
  await trx
    .insertInto('tenant_plugin_settings')
    .values({
      tenant_id: tenantId,
      version,
      plugin_id: plugin.id,
      overrides: JSON.stringify(overrides),
      settings_version: plugin.settings.version,
      changed_by: meta.userId,
      note: meta.note,
    })
    .execute();
  if (!plugin.tierModel) return { version, retier: 'done', moved: 0 };
  const customers = await trx
    .selectFrom('customers')
    .select(sql<string>`count(*)`.as('count'))
    .where('tenant_id', '=', tenantId)
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(customers.count) > TIERING_INLINE_LIMIT) {
    // A large tenant is re-tiered by the job queue right after this commits (the job reads
    // the settings in force then — these).
    await enqueueRetier(dependencies.jobs, tenantId, meta.userId);
    return { version, retier: 'queued', moved: null };
  }
  const moved = await retierTenantNow(trx, tenantId, plugin, settings, {
    reason: 'settings',
    settingsVersion: version,
    changedBy: meta.userId,
  });
  return { version, retier: 'done', moved };
}

export async function saveSettings(
  tenant: Tenant,
  dependencies: Pick<ApiDependencies, 'jobs'>,
  registry: PluginRegistry,
  userId: string,
  input: { settings: Record<string, unknown>; expectedVersion: number; note?: string | undefined },
): Promise<z.infer<typeof saveOutput>> {
  const plugin = await requireTenantPlugin(tenant.trx, tenant.tenantId, registry);
  const { settings, overrides } = checkSettings(plugin, input.settings);
  const version = await assertVersion(tenant.trx, tenant.tenantId, input.expectedVersion);
  return storeAndRetier(tenant, dependencies, plugin, settings, overrides, {
    version,
    userId,
    note: input.note || null,
  });
}

export async function resetSettings(
  tenant: Tenant,
  dependencies: Pick<ApiDependencies, 'jobs'>,
  registry: PluginRegistry,
  userId: string,
  input: { expectedVersion: number; note?: string | undefined },
): Promise<z.infer<typeof saveOutput>> {
  const plugin = await requireTenantPlugin(tenant.trx, tenant.tenantId, registry);
  const version = await assertVersion(tenant.trx, tenant.tenantId, input.expectedVersion);
  return storeAndRetier(
    tenant,
    dependencies,
    plugin,
    defaultsOf(plugin),
    {},
    {
      version,
      userId,
      note: input.note || null,
    },
  );
}

/**
 * Every saved version, newest first: who saved it, when, and what changed against the
 * version before it (as effective settings: defaults ⊕ overrides, so a reset lists every
 * setting that went back to its default).
 */
export async function settingsHistory(
  { trx, tenantId }: Tenant,
  registry: PluginRegistry,
  limit = 50,
): Promise<z.infer<typeof historyOutput>> {
  const rows = await trx
    .selectFrom('tenant_plugin_settings as s')
    .leftJoin('users as u', 'u.id', 's.changed_by')
    .select([
      's.version',
      's.plugin_id',
      's.overrides',
      's.settings_version',
      's.changed_at',
      's.changed_by',
      's.note',
      'u.name as changed_by_name',
    ])
    .where('s.tenant_id', '=', tenantId)
    .orderBy('s.version', 'desc')
    .limit(limit + 1)
    .execute();
  const entries = rows.map((row, index) => {
    const previous = rows[index + 1];
    const plugin = registry.get(row.plugin_id);
    const defaults = plugin ? defaultsOf(plugin) : {};
    const after = mergeSettings(defaults, row.overrides);
    const before =
      previous && previous.plugin_id === row.plugin_id
        ? mergeSettings(defaults, previous.overrides)
        : defaults;
    return {
      version: row.version,
      pluginId: row.plugin_id,
      settingsVersion: row.settings_version,
      changedAt: row.changed_at.toISOString(),
      changedBy: row.changed_by ? { id: row.changed_by, name: row.changed_by_name ?? '' } : null,
      note: row.note,
      reset: jsonEqual(row.overrides, {}) && index + 1 < rows.length,
      changes: settingChanges(before, after),
    };
  });
  return entries.slice(0, limit);
}

/** A customer's tier, score and explanation, with the moves that led there (record access applies). */
export async function customerTier(
  { trx, tenantId, access }: Tenant & { access: Parameters<typeof visibleCustomer>[0] },
  registry: PluginRegistry,
  customerId: string,
): Promise<z.infer<typeof customerTierOutput>> {
  const customer = await trx
    .selectFrom('customers')
    .select(['tier', 'tier_score', 'tier_explanation', 'tier_changed_at', 'tier_settings_version'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', customerId)
    .where(visibleCustomer(access))
    .executeTakeFirst();
  if (!customer) throw appError('CUSTOMER_NOT_FOUND');
  const profileId = await tenantProfileId(trx, tenantId);
  const plugin = registry.get(profileId);
  const profile = plugin ? profileOf(plugin) : null;
  const tier = profile?.tiers.find((candidate) => candidate.key === customer.tier);
  const dimensionLabels: Record<string, { 'zh-CN': string; en: string }> = {};
  const model = plugin?.tierModel;
  if (model?.kind === 'weighted') {
    for (const dimension of model.dimensions) {
      dimensionLabels[dimension.key] = { 'zh-CN': dimension.labels['zh-CN'], en: dimension.labels.en };
    }
  }
  const history = await trx
    .selectFrom('tier_history')
    .select(['from_tier', 'to_tier', 'score', 'reason', 'changed_at'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .orderBy('changed_at', 'desc')
    .limit(20)
    .execute();
  return {
    tier: customer.tier,
    tierLabels: tier?.labels ?? null,
    score: customer.tier_score === null ? null : Number(customer.tier_score),
    changedAt: customer.tier_changed_at?.toISOString() ?? null,
    settingsVersion: customer.tier_settings_version,
    explanation: customer.tier_explanation,
    dimensionLabels,
    history: history.map((row) => ({
      from: row.from_tier,
      to: row.to_tier,
      score: row.score === null ? null : Number(row.score),
      reason: row.reason,
      changedAt: row.changed_at.toISOString(),
    })),
  };
}
