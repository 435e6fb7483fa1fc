import { z } from 'zod';
import type {
  Cadence,
  CustomerKindValue,
  CustomFieldDefinition,
  KpiTargets,
  LeadGrade,
  LeadRegradeRule,
  LifecycleThresholds,
  LoyaltyDefinition,
  PipelineDefinition,
  PoolDefinition,
  Reminder,
  SurveyDefinition,
  TicketsDefinition,
} from './contributions';
import type { Labels } from './labels';
import { isSettingRef, type NumberPath, readSettingPath, type WithSettingPaths } from './setting-paths';
import { type ResolvedTierModel, resolveTierModel, type TierModel, tierModelSchema } from './tiering';

/** The envelope format `definePlugin` writes; the host refuses envelopes of another. */
export const API_VERSION = 1 as const;

/**
 * A plugin's settings: one zod object whose every field has a default (thresholds, weights,
 * SLAs, cadences), so `schema.parse({})` gives the plugin's defaults and a tenant's overrides
 * are merged onto them. An object without transforms: overrides are stored as JSON and parsed
 * again on every read; refinements (`.superRefine`) are welcome.
 */
export type SettingsSchema = z.ZodObject;

export type SettingsOf<S extends SettingsSchema> = z.output<S>;

/** The paths to the numbers of a plugin's settings: what `{ setting: … }` may name. */
export type SettingsPath<S extends SettingsSchema> = NumberPath<z.output<S>>;

export type PluginSettings<S extends SettingsSchema> = {
  schema: S;
  /** Bumped whenever stored overrides of an older version need `migrate`. Starts at 1. */
  version: number;
  /**
   * Turns a tenant's overrides stored under `fromVersion` into overrides of `version`. Must
   * be idempotent: migrating overrides that are already current changes nothing.
   */
  migrate?: (fromVersion: number, overrides: Readonly<Record<string, unknown>>) => z.input<S>;
};

/**
 * What a plugin declares. Every rule is data; any number an admin may tune is a literal or
 * `{ setting: 'path' }` — `P`, the paths to the numbers of the settings, comes from the schema.
 */
export type PluginSpec<S extends SettingsSchema, P extends string = SettingsPath<S>> = {
  /** Kebab-case, stable forever: tenants store it, and it prefixes every contributed key. */
  id: string;
  /** The plugin's own version (semver). */
  version: string;
  /** The SDK versions the plugin is written for, e.g. `^1.0.0`. */
  sdk: string;
  labels: Labels;
  description?: Labels;
  /** How customers are tiered (the tiering engine's model: weighted, thresholds or RFM). */
  tierModel?: WithSettingPaths<TierModel, P>;
  leadGrades?: readonly LeadGrade<P>[];
  /** 线索升降级规则: how behaviour moves a lead between `leadGrades` (needs them). */
  leadRegradeRules?: readonly LeadRegradeRule<P>[];
  surveys?: readonly SurveyDefinition<P>[];
  customFields?: readonly CustomFieldDefinition[];
  /**
   * The kind a new customer starts as in the create form: `company` for a profile whose
   * customers are organisations (B2B, corporate banking), `person` (the default) otherwise.
   */
  defaultCustomerKind?: CustomerKindValue;
  cadences?: readonly Cadence<P>[];
  reminders?: readonly Reminder<P>[];
  lifecycle?: LifecycleThresholds<P>;
  /** Ticket (工单) categories a tenant starts with, and SLA targets per priority and tier. */
  tickets?: TicketsDefinition<P>;
  /** Growth points and referral rules (转介绍, 成长值). */
  loyalty?: LoyaltyDefinition<P>;
  /** 商机阶段: the stages of the sales pipeline, their standard actions and gates, and lost reasons. */
  pipeline?: PipelineDefinition<P>;
  /** 公海: recycle rules per lead grade and customer tier, the warning, the daily claim limit. */
  pool?: PoolDefinition<P>;
  /** 指标目标: targets for the dashboards' KPIs, replacing the core's defaults (a tenant may set its own). */
  kpiTargets?: KpiTargets;
  settings: PluginSettings<S>;
};

/** What `definePlugin` returns: the spec, stamped with the envelope format and frozen. */
export type PluginEnvelope<
  S extends SettingsSchema = SettingsSchema,
  P extends string = SettingsPath<S>,
> = Readonly<PluginSpec<S, P> & { apiVersion: typeof API_VERSION }>;

/** Any plugin, whatever its settings: what the host's plugin list holds. */
export type AnyPlugin = PluginEnvelope<SettingsSchema, string>;

/**
 * Declares a plugin. The settings type flows from `settings.schema` into every
 * `{ setting: … }` reference (a path that does not name a number does not compile) and into
 * `migrate`, so plugins need no casts.
 */
export function definePlugin<S extends SettingsSchema>(
  spec: PluginSpec<S, NoInfer<SettingsPath<S>>>,
): PluginEnvelope<S> {
  const envelope = { apiVersion: API_VERSION, ...spec };
  return deepFreeze(envelope);
}

/**
 * Freezes plain data all the way down. Zod schemas are left alone (zod fills caches on
 * first use), and so are functions (`migrate`).
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (value instanceof z.ZodType) return value;
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return Object.freeze(value);
}

/** `T` with every setting reference replaced by its number. */
export type Resolved<T> = T extends { setting: string }
  ? number
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends readonly (infer Item)[]
      ? readonly Resolved<Item>[]
      : { readonly [K in keyof T]: Resolved<T[K]> };

/** The plugin's contributions for one set of settings: plain data, every number resolved, frozen. */
export type ResolvedPlugin = {
  id: string;
  version: string;
  settingsVersion: number;
  tierModel: ResolvedTierModel | null;
  leadGrades: readonly Resolved<LeadGrade>[];
  leadRegradeRules: readonly Resolved<LeadRegradeRule>[];
  surveys: readonly Resolved<SurveyDefinition>[];
  customFields: readonly CustomFieldDefinition[];
  cadences: readonly Resolved<Cadence>[];
  reminders: readonly Resolved<Reminder>[];
  lifecycle: Resolved<LifecycleThresholds> | null;
  tickets: Resolved<TicketsDefinition> | null;
  loyalty: Resolved<LoyaltyDefinition> | null;
  pipeline: Resolved<PipelineDefinition> | null;
  pool: Resolved<PoolDefinition> | null;
  kpiTargets: KpiTargets;
};

/** The plugin's default settings: `schema.parse({})`. Throws when a default is broken. */
export function defaultSettingsOf<S extends SettingsSchema>(
  plugin: PluginEnvelope<S, string>,
): SettingsOf<S> {
  return plugin.settings.schema.parse({});
}

/** Parses settings (defaults ⊕ overrides) with the plugin's schema. */
export function parseSettings<S extends SettingsSchema>(
  plugin: PluginEnvelope<S, string>,
  input: unknown,
): z.ZodSafeParseResult<SettingsOf<S>> {
  return plugin.settings.schema.safeParse(input);
}

/** A setting reference that names no number of the settings. */
export type MissingSetting = { path: string; setting: string };

export class PluginSettingsError extends Error {
  constructor(
    readonly pluginId: string,
    readonly missing: readonly MissingSetting[],
  ) {
    super(
      `plugin ${pluginId}: ${missing.map((m) => `${m.path} reads the setting "${m.setting}", which is not a number`).join('; ')}`,
    );
    this.name = 'PluginSettingsError';
  }
}

/** Replaces every `{ setting }` in `value` by the number it names; collects the ones that name none. */
export function resolveSettingRefs<T>(
  value: T,
  settings: unknown,
  path: string,
  missing: MissingSetting[],
): Resolved<T> {
  if (isSettingRef(value)) {
    const number = readSettingPath(settings, value.setting);
    if (typeof number === 'number' && Number.isFinite(number)) return number as Resolved<T>;
    missing.push({ path, setting: value.setting });
    return Number.NaN as Resolved<T>;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      resolveSettingRefs(item, settings, path ? `${path}.${index}` : String(index), missing),
    ) as Resolved<T>;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveSettingRefs(item, settings, path ? `${path}.${key}` : key, missing),
      ]),
    ) as Resolved<T>;
  }
  return value as Resolved<T>;
}

/**
 * The plugin's contributions with every number read from `settings` (already parsed —
 * `parseSettings`; the defaults when omitted). This is what the core compiles to SQL,
 * validates, explains and previews. Throws PluginSettingsError when a reference names no
 * number, and the tiering engine's TierModelError when the tier model does not validate.
 */
export function resolvePlugin(
  plugin: AnyPlugin,
  settings: unknown = defaultSettingsOf(plugin),
): ResolvedPlugin {
  const missing: MissingSetting[] = [];
  const resolve = <T>(value: T, path: string) => resolveSettingRefs(value, settings, path, missing);
  const resolved: ResolvedPlugin = {
    id: plugin.id,
    version: plugin.version,
    settingsVersion: plugin.settings.version,
    tierModel: null,
    leadGrades: resolve(plugin.leadGrades ?? [], 'leadGrades'),
    leadRegradeRules: resolve(plugin.leadRegradeRules ?? [], 'leadRegradeRules'),
    surveys: resolve(plugin.surveys ?? [], 'surveys'),
    customFields: plugin.customFields ?? [],
    cadences: resolve(plugin.cadences ?? [], 'cadences'),
    reminders: resolve(plugin.reminders ?? [], 'reminders'),
    lifecycle: plugin.lifecycle ? resolve(plugin.lifecycle, 'lifecycle') : null,
    tickets: plugin.tickets ? resolve(plugin.tickets, 'tickets') : null,
    loyalty: plugin.loyalty ? resolve(plugin.loyalty, 'loyalty') : null,
    pipeline: plugin.pipeline ? resolve(plugin.pipeline, 'pipeline') : null,
    pool: plugin.pool ? resolve(plugin.pool, 'pool') : null,
    kpiTargets: plugin.kpiTargets ?? {},
  };
  if (missing.length > 0) throw new PluginSettingsError(plugin.id, missing);
  if (plugin.tierModel) {
    resolved.tierModel = resolveTierModel(tierModelOf(plugin), settingsRecord(settings));
  }
  return deepFreeze(structuredClone(resolved));
}

/** The plugin's tier model as the tiering engine's type (parsed, so a malformed one throws). */
export function tierModelOf(plugin: AnyPlugin): TierModel {
  return tierModelSchema.parse(plugin.tierModel);
}

function settingsRecord(settings: unknown): Readonly<Record<string, unknown>> {
  return settings !== null && typeof settings === 'object' ? (settings as Record<string, unknown>) : {};
}

/**
 * The prefix of every key a plugin contributes: its id in snake case and an underscore
 * (`corporate-banking` → `corporate_banking_`), so keys fit the core's key format
 * `^[a-z][a-z0-9_]{0,39}$` and one key serves every layer.
 */
export function keyPrefixOf(id: string): string {
  return `${id.replaceAll('-', '_')}_`;
}
