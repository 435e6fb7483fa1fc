import type { Database, Transaction } from '@crm/db';
import type { Labels } from '@crm/plugin-sdk';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { ApiDependencies } from '../context';
import { visibleCustomer } from '../customers/access';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { appError, translateError } from '../errors';
import { enqueueReplan } from '../plans/plans.jobs';
import {
  previewReplan,
  replanAfterSettings,
  replansInline,
  syncTenantCadences,
} from '../plans/plans.service';
import {
  checkSettings,
  defaultsOf,
  effectiveSettings,
  latestOverrides,
  requireTenantPlugin,
  settingsJsonSchema,
  tenantProfileId,
} from '../plugins/effective-settings';
import type { HostPlugin } from '../plugins/host-plugin';
import { syncPluginLifecycle } from '../plugins/lifecycle-sync';
import type { PluginRegistry } from '../plugins/registry';
import { type JsonObject, jsonEqual, mergeSettings, settingChanges } from '../plugins/settings-merge';
import type { MemberScope, Scope } from '../scope';
import { nextPendingRunAt } from '../tiering/tiering.schedule';
import {
  enqueueRetier,
  previewTenantTiers,
  retierTenantNow,
  TIERING_INLINE_LIMIT,
} from '../tiering/tiering.service';
import {
  countActiveCustomers,
  insertSettingsVersion,
  lockSettings,
  selectCustomerTier,
  selectPerson,
  selectSettingsVersions,
  selectTierMoves,
} from './industry.repository';
import type {
  currentOutput,
  customerTierOutput,
  historyOutput,
  previewOutput,
  profileChoicesOutput,
  profileOutput,
  saveOutput,
  settingsOutput,
} from './industry.schemas';

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
  scope: Scope,
  registry: PluginRegistry,
): Promise<z.infer<typeof currentOutput>> {
  const locale = scope.locale;
  const profileId = await tenantProfileId(scope.trx, scope.tenantId);
  const status = registry.status(profileId);
  if (status.state === 'ok') return { state: 'ok', profileId, profile: profileOf(status.plugin) };
  return {
    state: 'unavailable',
    profileId,
    message: translateError('INDUSTRY_PROFILE_UNAVAILABLE', locale, { profile: profileId }),
  };
}

export async function readSettings(
  scope: Scope,
  registry: PluginRegistry,
): Promise<z.infer<typeof settingsOutput>> {
  const effective = await effectiveSettings(scope.trx, scope.tenantId, registry);
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
    changedBy: await selectPerson(scope, stored?.changedBy ?? null),
    storedInvalid: effective.invalidStored,
  };
}

export async function previewSettings(
  scope: Scope,
  registry: PluginRegistry,
  candidate: Record<string, unknown>,
): Promise<z.infer<typeof previewOutput>> {
  const { trx, tenantId } = scope;
  const current = await effectiveSettings(trx, tenantId, registry);
  const { plugin } = current;
  const { settings } = checkSettings(plugin, candidate);
  if (!plugin.tierModel) return { tiers: [], matrix: [], total: 0, moving: 0, sample: [], plans: null };
  const preview = await previewTenantTiers(trx, tenantId, plugin, settings, current.settings);
  // Tasks added, moved, cancelled: the save's own re-tier and re-plan, run and rolled back.
  const plans = (await replansInline(scope))
    ? await previewReplan(scope, async () => {
        await retierTenantNow(trx, tenantId, plugin, settings, {
          reason: 'settings',
          settingsVersion: current.stored?.version ?? 0,
          changedBy: null,
        });
        return replanAfterSettings(scope, plugin, settings);
      })
    : null;
  return { tiers: profileOf(plugin).tiers, ...preview, plans };
}

async function assertVersion(scope: Scope, expected: number): Promise<number> {
  await lockSettings(scope);
  const latest = await latestOverrides(scope.trx, scope.tenantId);
  const current = latest?.version ?? 0;
  if (current !== expected) throw appError('INDUSTRY_SETTINGS_STALE', { version: current });
  return current;
}

async function storeAndRetier(
  scope: MemberScope,
  dependencies: Pick<ApiDependencies, 'jobs'>,
  plugin: HostPlugin,
  settings: JsonObject,
  overrides: JsonObject,
  meta: { version: number; note: string | null },
): Promise<z.infer<typeof saveOutput>> {
  const { trx, tenantId, userId } = scope;
  const version = meta.version + 1;
  await insertSettingsVersion(scope, {
    version,
    pluginId: plugin.id,
    overrides,
    settingsVersion: plugin.settings.version,
    changedBy: userId,
    note: meta.note,
  });
  // The lifecycle thresholds are settings of the profile: the stages follow them in the same transaction.
  if (await syncPluginLifecycle(trx, tenantId, plugin, settings)) {
    await refreshCustomerFacts(scope, 'all', 'settings');
  }
  if (!plugin.tierModel) return { version, retier: 'done', moved: 0, plans: null };
  if ((await countActiveCustomers(scope)) > TIERING_INLINE_LIMIT) {
    // A large tenant is re-tiered by the job queue right after this commits (the job reads
    // the settings in force then — these), and re-planned (the re-tier job re-plans the
    // customers it moves; a change of cadences re-plans the whole tenant).
    await enqueueRetier(dependencies.jobs, tenantId, userId);
    if (await syncTenantCadences(scope, plugin, settings)) await enqueueReplan(dependencies.jobs, tenantId);
    return { version, retier: 'queued', moved: null, plans: null };
  }
  const moved = await retierTenantNow(trx, tenantId, plugin, settings, {
    reason: 'settings',
    settingsVersion: version,
    changedBy: userId,
  });
  // Plans follow the new tiers and cadences in the same transaction.
  const plans = await replanAfterSettings(scope, plugin, settings);
  return { version, retier: 'done', moved, plans };
}

export async function saveSettings(
  scope: MemberScope,
  dependencies: Pick<ApiDependencies, 'jobs' | 'plugins'>,
  input: { settings: Record<string, unknown>; expectedVersion: number; note?: string | undefined },
): Promise<z.infer<typeof saveOutput>> {
  const plugin = await requireTenantPlugin(scope.trx, scope.tenantId, dependencies.plugins);
  const { settings, overrides } = checkSettings(plugin, input.settings);
  const version = await assertVersion(scope, input.expectedVersion);
  return storeAndRetier(scope, dependencies, plugin, settings, overrides, {
    version,
    note: input.note || null,
  });
}

export async function resetSettings(
  scope: MemberScope,
  dependencies: Pick<ApiDependencies, 'jobs' | 'plugins'>,
  input: { expectedVersion: number; note?: string | undefined },
): Promise<z.infer<typeof saveOutput>> {
  const plugin = await requireTenantPlugin(scope.trx, scope.tenantId, dependencies.plugins);
  const version = await assertVersion(scope, input.expectedVersion);
  return storeAndRetier(
    scope,
    dependencies,
    plugin,
    defaultsOf(plugin),
    {},
    { version, note: input.note || null },
  );
}

/**
 * Every saved version, newest first: who saved it, when, and what changed against the
 * version before it (as effective settings: defaults ⊕ overrides, so a reset lists every
 * setting that went back to its default).
 */
export async function settingsHistory(
  scope: Scope,
  registry: PluginRegistry,
  limit = 50,
): Promise<z.infer<typeof historyOutput>> {
  const rows = await selectSettingsVersions(scope, limit + 1);
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
  scope: Scope,
  registry: PluginRegistry,
  customerId: string,
): Promise<z.infer<typeof customerTierOutput>> {
  const customer = await selectCustomerTier(scope, customerId);
  if (!customer) throw appError('CUSTOMER_NOT_FOUND');
  const profileId = await tenantProfileId(scope.trx, scope.tenantId);
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
  const history = await selectTierMoves(scope, customerId, 20);
  return {
    tier: customer.tier,
    tierLabels: tier?.labels ?? null,
    score: customer.tier_score === null ? null : Number(customer.tier_score),
    changedAt: customer.tier_changed_at?.toISOString() ?? null,
    computedAt: customer.tier_computed_at ? new Date(customer.tier_computed_at).toISOString() : null,
    pendingSince: customer.tier_pending_since?.toISOString() ?? null,
    nextRunAt: customer.tier_pending_since ? nextPendingRunAt().toISOString() : null,
    queued: customer.tier_queued === true,
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

/** Every profile this server loaded, for sign-up and 新建企业. */
export function listProfileChoices(registry: PluginRegistry): z.infer<typeof profileChoicesOutput> {
  return registry.plugins.map((plugin) => ({
    id: plugin.id,
    labels: { 'zh-CN': plugin.labels['zh-CN'], en: plugin.labels.en },
    description: plugin.description
      ? { 'zh-CN': plugin.description['zh-CN'], en: plugin.description.en }
      : null,
    defaultCustomerKind: plugin.defaultCustomerKind ?? 'person',
  }));
}
