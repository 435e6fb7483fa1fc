import type { Database, Transaction } from '@crm/db';
import { type TierProblemCode, validateSettings } from '@crm/plugin-sdk';
import { z } from 'zod';
import { appError, type LocalizedFieldError } from '../errors';
import { describeIssue } from '../i18n';
import type { HostPlugin } from './host-plugin';
import type { PluginRegistry } from './registry';
import { type JsonObject, mergeSettings, overridesOf } from './settings-merge';

/** The latest saved version of a tenant's overrides (none: the plugin's defaults are in force). */
export type StoredOverrides = {
  version: number;
  pluginId: string;
  overrides: JsonObject;
  settingsVersion: number;
  changedBy: string | null;
  changedAt: Date;
  note: string | null;
};

export async function latestOverrides(
  trx: Transaction<Database>,
  tenantId: string,
): Promise<StoredOverrides | null> {
  const row = await trx
    .selectFrom('tenant_plugin_settings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    version: row.version,
    pluginId: row.plugin_id,
    overrides: row.overrides as JsonObject,
    settingsVersion: row.settings_version,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
    note: row.note,
  };
}

/** The profile the tenant is on: its chosen plugin id (the tenant's industry). */
export async function tenantProfileId(trx: Transaction<Database>, tenantId: string): Promise<string> {
  const row = await trx
    .selectFrom('tenants')
    .select('industry')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return row.industry;
}

/** The tenant's plugin, or INDUSTRY_PROFILE_UNAVAILABLE when its profile was refused or is not configured. */
export async function requireTenantPlugin(
  trx: Transaction<Database>,
  tenantId: string,
  registry: PluginRegistry,
): Promise<HostPlugin> {
  const profileId = await tenantProfileId(trx, tenantId);
  const status = registry.status(profileId);
  if (status.state !== 'ok') throw appError('INDUSTRY_PROFILE_UNAVAILABLE', { profile: profileId });
  return status.plugin;
}

export function defaultsOf(plugin: HostPlugin): JsonObject {
  return plugin.settings.schema.parse({}) as JsonObject;
}

/**
 * A stored version's overrides in the plugin's current settings version: migrated by the
 * plugin when they were saved under an older one (overrides of another plugin count as none).
 */
export function currentOverrides(plugin: HostPlugin, stored: StoredOverrides | null): JsonObject {
  if (!stored || stored.pluginId !== plugin.id) return {};
  if (stored.settingsVersion >= plugin.settings.version || !plugin.settings.migrate) return stored.overrides;
  const migrated = plugin.settings.migrate(stored.settingsVersion, stored.overrides);
  return overridesOf(mergeSettings(defaultsOf(plugin), migrated), defaultsOf(plugin));
}

const TIER_CODES = new Set<string>([
  'TIER_MODEL_INVALID',
  'TIER_UNKNOWN',
  'TIER_DUPLICATE',
  'TIER_SETTING_MISSING',
  'TIER_THRESHOLDS_OVERLAP',
  'TIER_WEIGHTS_INVALID',
  'TIER_BANDS_INVALID',
  'TIER_METRIC_INVALID',
] satisfies TierProblemCode[]);

/** The `{ setting }` references inside a value of the envelope, with where they are. */
function settingRefs(value: unknown, at: string): { at: string; setting: string }[] {
  if (value === null || typeof value !== 'object') return [];
  const setting = (value as { setting?: unknown }).setting;
  if (typeof setting === 'string' && Object.keys(value).length === 1) return [{ at, setting }];
  return Object.entries(value).flatMap(([key, child]) => settingRefs(child, at ? `${at}.${key}` : key));
}

/**
 * The settings a problem at an envelope path is about: `tierModel.thresholds.1.minScore`
 * reads `tiers.keyMin`; a problem with the weights as a whole is shown on every weight.
 */
function settingsBehind(plugin: HostPlugin, path: string, code: string): string[] {
  let node: unknown = plugin;
  for (const part of path.split('.').filter(Boolean)) {
    if (node === null || typeof node !== 'object') return [];
    node = (node as Record<string, unknown>)[part];
  }
  const refs = settingRefs(node, '');
  const chosen = code === 'TIER_WEIGHTS_INVALID' ? refs.filter((ref) => /(^|\.)weight$/.test(ref.at)) : refs;
  return [...new Set(chosen.map((ref) => ref.setting))];
}

export type CheckedSettings = {
  settings: JsonObject;
  overrides: JsonObject;
};

/**
 * Validates settings (the full object, defaults ⊕ overrides) by the plugin's schema and by
 * the tier model they parameterise. Every problem comes back as a field error on the
 * setting it is about, in both languages; the first decides the error code
 * (INDUSTRY_SETTINGS_INVALID for the schema, TIER_THRESHOLDS_OVERLAP, TIER_WEIGHTS_INVALID …
 * for the model).
 */
export function checkSettings(plugin: HostPlugin, candidate: unknown): CheckedSettings {
  const defaults = defaultsOf(plugin);
  const merged = mergeSettings(defaults, candidate);
  const parsed = plugin.settings.schema.safeParse(merged);
  if (!parsed.success) {
    const details: LocalizedFieldError[] = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: pluginIssueMessage(issue) ?? {
        'zh-CN': describeIssue(issue, 'zh-CN'),
        en: describeIssue(issue, 'en'),
      },
    }));
    throw appError('INDUSTRY_SETTINGS_INVALID', {}, details[0]?.path ?? null, details);
  }
  const settings = parsed.data as JsonObject;
  // The plugin's rules with these numbers: tier thresholds in order, weights as the model
  // requires, tiers that cadences and surveys name …
  const problems = validateSettings(plugin, settings);
  if (problems.length > 0) {
    const details: LocalizedFieldError[] = problems.flatMap((problem) => {
      const message = {
        'zh-CN': problem.message['zh-CN'].replace(/^插件「[^」]*」：/, ''),
        en: problem.message.en.replace(/^Plugin "[^"]*": /, ''),
      };
      const paths = problem.setting ? [problem.setting] : settingsBehind(plugin, problem.path, problem.code);
      return (paths.length > 0 ? paths : [problem.path]).map((path) => ({ path, message }));
    });
    const first = problems[0];
    const code =
      first && TIER_CODES.has(first.code) ? (first.code as TierProblemCode) : 'INDUSTRY_SETTINGS_INVALID';
    throw appError(
      code,
      { detail: details[0]?.message['zh-CN'] ?? '', detailEn: details[0]?.message.en ?? '' },
      details[0]?.path ?? null,
      details,
    );
  }
  return { settings, overrides: overridesOf(settings, defaults) };
}

/**
 * A plugin's own rule in its settings schema (`.refine(check, settingsIssue(zh, en, path))`
 * from the SDK) speaks for itself: its message, in both languages when it gives both, and
 * in its one language otherwise — never replaced by a generic "invalid".
 */
function pluginIssueMessage(issue: z.core.$ZodIssue): { 'zh-CN': string; en: string } | null {
  if (issue.code !== 'custom') return null;
  const params = (issue.params ?? {}) as Record<string, unknown>;
  const zh = params['zh-CN'];
  const en = params.en;
  if (typeof zh === 'string' && typeof en === 'string') return { 'zh-CN': zh, en };
  const message = issue.message.trim();
  if (message === '' || message === 'Invalid input') return null;
  return { 'zh-CN': message, en: message };
}

/** Defaults ⊕ the tenant's latest overrides (migrated), validated. */
export type EffectiveSettings = {
  plugin: HostPlugin;
  stored: StoredOverrides | null;
  defaults: JsonObject;
  overrides: JsonObject;
  settings: JsonObject;
  /** Problems of stored overrides that no longer validate (the defaults are used instead). */
  invalidStored: boolean;
};

/**
 * What the stored overrides give, per plugin and overrides (a pure function of both, so kept):
 * validating a plugin's settings parses its whole schema, which the hot reads (the kanban,
 * grading, the re-grade) would otherwise do on every call.
 */
const effectiveMemo = new WeakMap<HostPlugin, Map<string, Omit<EffectiveSettings, 'plugin' | 'stored'>>>();
const EFFECTIVE_MEMO_SIZE = 500;

function effectiveOf(plugin: HostPlugin, stored: StoredOverrides | null) {
  const key = stored
    ? `${stored.pluginId}|${stored.settingsVersion}|${JSON.stringify(stored.overrides)}`
    : '';
  let memo = effectiveMemo.get(plugin);
  if (!memo) {
    memo = new Map();
    effectiveMemo.set(plugin, memo);
  }
  const known = memo.get(key);
  if (known) return known;
  const defaults = defaultsOf(plugin);
  const overrides = currentOverrides(plugin, stored);
  let computed: Omit<EffectiveSettings, 'plugin' | 'stored'>;
  try {
    const checked = checkSettings(plugin, overrides);
    computed = { defaults, overrides: checked.overrides, settings: checked.settings, invalidStored: false };
  } catch {
    // Overrides saved under rules that have since changed: the defaults stand until an admin saves again.
    computed = { defaults, overrides: {}, settings: defaults, invalidStored: true };
  }
  if (memo.size >= EFFECTIVE_MEMO_SIZE) memo.clear();
  // Shared by every later call: frozen, so no caller can change another's settings.
  memo.set(key, deepFreeze(computed));
  return computed;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export async function effectiveSettings(
  trx: Transaction<Database>,
  tenantId: string,
  registry: PluginRegistry,
): Promise<EffectiveSettings> {
  // The tenant's profile and its latest overrides in one read.
  const row = await trx
    .selectFrom('tenants as t')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('tenant_plugin_settings as s')
          .selectAll('s')
          .whereRef('s.tenant_id', '=', 't.id')
          .orderBy('s.version', 'desc')
          .limit(1)
          .as('s'),
      (join) => join.onTrue(),
    )
    .select([
      't.industry',
      's.version',
      's.plugin_id',
      's.overrides',
      's.settings_version',
      's.changed_by',
      's.changed_at',
      's.note',
    ])
    .where('t.id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const status = registry.status(row.industry);
  if (status.state !== 'ok') throw appError('INDUSTRY_PROFILE_UNAVAILABLE', { profile: row.industry });
  const plugin = status.plugin;
  const stored: StoredOverrides | null =
    row.version === null || row.plugin_id === null
      ? null
      : {
          version: row.version,
          pluginId: row.plugin_id,
          overrides: row.overrides as JsonObject,
          settingsVersion: row.settings_version as number,
          changedBy: row.changed_by,
          changedAt: row.changed_at as Date,
          note: row.note,
        };
  return { plugin, stored, ...effectiveOf(plugin, stored) };
}

/** The settings' JSON Schema for the web form (labels, help and units travel in meta). */
export function settingsJsonSchema(plugin: HostPlugin): Record<string, unknown> {
  return z.toJSONSchema(plugin.settings.schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
