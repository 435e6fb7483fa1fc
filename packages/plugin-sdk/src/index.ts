export * from './contributions';
export {
  type AnyPlugin,
  API_VERSION,
  defaultSettingsOf,
  definePlugin,
  keyPrefixOf,
  type MissingSetting,
  type PluginEnvelope,
  type PluginSettings,
  PluginSettingsError,
  type PluginSpec,
  parseSettings,
  type Resolved,
  type ResolvedPlugin,
  resolvePlugin,
  resolveSettingRefs,
  type SettingsOf,
  type SettingsPath,
  type SettingsSchema,
  tierModelOf,
} from './define-plugin';
export {
  bilingual,
  keepValidOverrides,
  LABEL_PROPERTIES,
  type Labels,
  LOCALES,
  type Locale,
  type SettingMeta,
  settingsGroup,
  settingsIssue,
} from './labels';
export { isValidRange, parseVersion, satisfies } from './semver';
export type { NumberPath, NumberRef, SettingRef, WithSettingPaths } from './setting-paths';
export * from './surveys';
export * from './tiering';
export {
  jsonEqual,
  longestBehaviourWindow,
  type Problem,
  type ProblemCode,
  SDK_VERSION,
  type ValidateOptions,
  validatePlugin,
  validateSettings,
} from './validate';
