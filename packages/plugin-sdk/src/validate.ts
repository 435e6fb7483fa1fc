import { z } from 'zod';
import {
  type Cadence,
  CUSTOMER_KIND_VALUES,
  type CustomFieldDefinition,
  cadenceShape,
  coreFieldShadowedBy,
  customFieldShape,
  KEY_PATTERN,
  KPI_TARGET_UNITS,
  kpiTargetsShape,
  type LeadCondition,
  type LeadGrade,
  type LeadRegradeRule,
  type LifecycleThresholds,
  type LoyaltyDefinition,
  leadGradeShape,
  leadRegradeRuleShape,
  lifecycleShape,
  loyaltyShape,
  type PipelineDefinition,
  type PoolDefinition,
  pipelineShape,
  poolShape,
  type Reminder,
  reminderShape,
  type SurveyDefinition,
  surveyShape,
  type TicketsDefinition,
  ticketsShape,
} from './contributions';
import {
  type AnyPlugin,
  API_VERSION,
  keyPrefixOf,
  type MissingSetting,
  type Resolved,
  resolveSettingRefs,
} from './define-plugin';
import { LABEL_PROPERTIES, type Labels, LOCALES, labelsShape } from './labels';
import { isValidRange, parseVersion, satisfies } from './semver';
import { checkSurveyForm, checkSurveySchedule } from './surveys';
import {
  metricsOf,
  type TierModel,
  type TierProblemCode,
  tierModelSchema,
  validateTierModel,
} from './tiering';

/** The version of the plugin contract this SDK implements; a plugin's `sdk` range must admit it. */
export const SDK_VERSION = '1.0.0';

export type ProblemCode =
  | 'PLUGIN_ENVELOPE_INVALID'
  | 'PLUGIN_API_VERSION_UNSUPPORTED'
  | 'PLUGIN_ID_INVALID'
  | 'PLUGIN_ID_DUPLICATE'
  | 'PLUGIN_VERSION_INVALID'
  | 'PLUGIN_SDK_RANGE_INVALID'
  | 'PLUGIN_SDK_UNSUPPORTED'
  | 'PLUGIN_LABEL_MISSING'
  | 'PLUGIN_KEY_INVALID'
  | 'PLUGIN_KEY_NOT_PREFIXED'
  | 'PLUGIN_KEY_DUPLICATE'
  | 'PLUGIN_CUSTOM_FIELD_INVALID'
  | 'PLUGIN_CUSTOM_FIELD_COLLISION'
  | 'PLUGIN_FIELD_UNKNOWN'
  | 'PLUGIN_TIER_UNKNOWN'
  | 'PLUGIN_RULE_INVALID'
  | 'PLUGIN_SETTING_MISSING'
  | 'PLUGIN_SETTINGS_SCHEMA_INVALID'
  | 'PLUGIN_SETTINGS_DEFAULT_INVALID'
  | 'PLUGIN_SETTINGS_DEFAULT_UNSTABLE'
  | 'PLUGIN_SETTINGS_INVALID'
  | 'PLUGIN_SETTINGS_MIGRATION_FAILED'
  | 'PLUGIN_SETTINGS_MIGRATION_NOT_IDEMPOTENT'
  | 'PLUGIN_RULES_NOT_DETERMINISTIC'
  | 'PLUGIN_TIER_MODEL_FAILED'
  | TierProblemCode;

/** One thing wrong with a plugin: what, where in the envelope, and a message naming the plugin. */
export type Problem = {
  code: ProblemCode;
  /** The plugin's id (or `?` when it has none). */
  plugin: string;
  /** Where in the envelope, dotted: `customFields.2.key`, `settings.schema.tiers.high`. */
  path: string;
  /** The settings path a problem is about, when a number came from settings (for the admin form). */
  setting?: string;
  message: Labels;
};

export type ValidateOptions = {
  /** The SDK version the host runs (default: this SDK's). */
  sdkVersion?: string;
  /** Ids of plugins already registered. */
  existingIds?: Iterable<string>;
  /** Custom field keys of the core (a plugin may not contribute one of them). */
  coreCustomFieldKeys?: Iterable<string>;
  /** Custom field keys other registered plugins contribute, each with its plugin's id. */
  otherCustomFieldKeys?: ReadonlyMap<string, string>;
};

const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ID_MAX_LENGTH = 24;

type Report = (code: ProblemCode, path: string, zh: string, en: string, setting?: string) => void;

function reporterFor(plugin: string, problems: Problem[]): Report {
  return (code, path, zh, en, setting) => {
    problems.push({
      code,
      plugin,
      path,
      ...(setting ? { setting } : {}),
      message: { 'zh-CN': `插件「${plugin}」：${zh}`, en: `Plugin "${plugin}": ${en}` },
    });
  };
}

const envelopeShape = z.strictObject({
  apiVersion: z.number(),
  id: z.string(),
  version: z.string(),
  sdk: z.string(),
  labels: labelsShape,
  description: labelsShape.optional(),
  tierModel: z.unknown().optional(),
  leadGrades: z.array(leadGradeShape).optional(),
  leadRegradeRules: z.array(leadRegradeRuleShape).optional(),
  surveys: z.array(surveyShape).optional(),
  customFields: z.array(customFieldShape).optional(),
  defaultCustomerKind: z.enum(CUSTOMER_KIND_VALUES).optional(),
  cadences: z.array(cadenceShape).optional(),
  reminders: z.array(reminderShape).optional(),
  lifecycle: lifecycleShape.optional(),
  tickets: ticketsShape.optional(),
  loyalty: loyaltyShape.optional(),
  pipeline: pipelineShape.optional(),
  pool: poolShape.optional(),
  kpiTargets: kpiTargetsShape.optional(),
  settings: z.strictObject({
    schema: z.custom<z.ZodObject>((value) => value instanceof z.ZodObject, {
      error: 'must be a zod object schema (z.object({...}))',
    }),
    version: z.number().int().min(1),
    migrate: z
      .custom<NonNullable<AnyPlugin['settings']['migrate']>>((value) => typeof value === 'function', {
        error: 'must be a function',
      })
      .optional(),
  }),
});

/**
 * Everything wrong with a plugin, as values (never throws): the envelope's shape and format,
 * its id, version and SDK range, labels in both languages everywhere (settings fields
 * included), contributed keys (prefixed, well-formed, unique, no clash with the core's or
 * another plugin's custom fields), the settings' defaults (`parse({})` succeeds and is
 * stable), the settings migration (idempotent), and every rule resolved with the defaults
 * (setting references, tier model, tiers referenced by cadences, surveys and reminders …).
 */
export function validatePlugin(envelope: unknown, options: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const id =
    envelope !== null && typeof envelope === 'object' && typeof (envelope as { id?: unknown }).id === 'string'
      ? (envelope as { id: string }).id
      : '?';
  const report = reporterFor(id, problems);
  try {
    validateInto(envelope, options, report);
  } catch (error) {
    report(
      'PLUGIN_ENVELOPE_INVALID',
      '',
      `检查时出错：${(error as Error).message}`,
      `checking it failed: ${(error as Error).message}`,
    );
  }
  return problems;
}

function validateInto(envelope: unknown, options: ValidateOptions, report: Report): void {
  const shape = envelopeShape.safeParse(envelope);
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      const path = issue.path.map(String).join('.');
      report(
        'PLUGIN_ENVELOPE_INVALID',
        path,
        `「${path || '插件'}」格式不正确（${issue.message}），请用 definePlugin 声明插件`,
        `${path || 'the envelope'} is malformed (${issue.message}); declare the plugin with definePlugin`,
      );
    }
    return;
  }
  const plugin = envelope as AnyPlugin;
  const sdkVersion = options.sdkVersion ?? SDK_VERSION;

  if (plugin.apiVersion !== API_VERSION) {
    report(
      'PLUGIN_API_VERSION_UNSUPPORTED',
      'apiVersion',
      `插件格式版本 ${plugin.apiVersion} 不受支持（支持 ${API_VERSION}），请用当前 SDK 的 definePlugin 重新构建`,
      `envelope format ${plugin.apiVersion} is not supported (this host reads ${API_VERSION}); rebuild it with the current SDK's definePlugin`,
    );
  }
  if (!ID_PATTERN.test(plugin.id) || plugin.id.length > ID_MAX_LENGTH) {
    report(
      'PLUGIN_ID_INVALID',
      'id',
      `标识「${plugin.id}」须为小写字母、数字和连字符（kebab-case），以字母开头，最长 ${ID_MAX_LENGTH} 个字符`,
      `the id "${plugin.id}" must be kebab-case (lower-case letters, digits and hyphens, starting with a letter), at most ${ID_MAX_LENGTH} characters`,
    );
  }
  if (new Set(options.existingIds ?? []).has(plugin.id)) {
    report(
      'PLUGIN_ID_DUPLICATE',
      'id',
      `标识「${plugin.id}」已被另一个已注册的插件使用`,
      `the id "${plugin.id}" is already used by another registered plugin`,
    );
  }
  if (!parseVersion(plugin.version)) {
    report(
      'PLUGIN_VERSION_INVALID',
      'version',
      `版本号「${plugin.version}」须为 主版本.次版本.修订号（如 1.0.0）`,
      `the version "${plugin.version}" must be major.minor.patch (e.g. 1.0.0)`,
    );
  }
  if (!isValidRange(plugin.sdk)) {
    report(
      'PLUGIN_SDK_RANGE_INVALID',
      'sdk',
      `SDK 版本范围「${plugin.sdk}」无法识别（示例：^1.0.0）`,
      `the SDK range "${plugin.sdk}" is not a version range (e.g. ^1.0.0)`,
    );
  } else if (!satisfies(sdkVersion, plugin.sdk)) {
    report(
      'PLUGIN_SDK_UNSUPPORTED',
      'sdk',
      `适用的 SDK 版本为「${plugin.sdk}」，而本系统运行的是 SDK ${sdkVersion}`,
      `it targets SDK "${plugin.sdk}", but this server runs SDK ${sdkVersion}`,
    );
  }

  checkLabels(plugin, '', report);
  checkKeys(plugin, report);
  checkKpiTargets(plugin, report);
  checkCustomFields(plugin, options, report);

  const defaults = checkSettings(plugin, report);
  if (defaults === undefined) return;
  checkRules(plugin, defaults, report);
}

// ---------------------------------------------------------------------------------------------
// KPI targets

/** A KPI target must be a finite number its unit admits: 0–100 for a share, −100–100 for NPS, ≥ 0 otherwise. */
function checkKpiTargets(plugin: AnyPlugin, report: Report): void {
  for (const [key, target] of Object.entries(plugin.kpiTargets ?? {})) {
    const unit = KPI_TARGET_UNITS[key as keyof typeof KPI_TARGET_UNITS];
    const [min, max] = key === 'nps' ? [-100, 100] : unit === 'percent' ? [0, 100] : [0, 1_000_000_000];
    if (typeof target !== 'number' || !Number.isFinite(target) || target < min || target > max) {
      report(
        'PLUGIN_RULE_INVALID',
        `kpiTargets.${key}`,
        `指标「${key}」的目标 ${String(target)} 须在 ${min} 到 ${max} 之间`,
        `the target of the KPI "${key}" (${String(target)}) must be between ${min} and ${max}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Labels

function checkLabels(value: unknown, path: string, report: Report): void {
  if (value === null || typeof value !== 'object' || value instanceof z.ZodType) return;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    if ((LABEL_PROPERTIES as readonly string[]).includes(key) && item !== null && typeof item === 'object') {
      checkLabelPair(item as Record<string, unknown>, itemPath, report);
    } else {
      checkLabels(item, itemPath, report);
    }
  }
}

function checkLabelPair(labels: Record<string, unknown>, path: string, report: Report): void {
  for (const locale of LOCALES) {
    const text = labels[locale];
    if (typeof text !== 'string' || text.trim() === '') {
      report(
        'PLUGIN_LABEL_MISSING',
        `${path}.${locale}`,
        `「${path}」缺少${locale === 'zh-CN' ? '中文' : '英文'}文本（${locale}）`,
        `${path} has no ${locale === 'zh-CN' ? 'Chinese' : 'English'} text (${locale})`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

function contributedKeys(plugin: AnyPlugin): { key: string; path: string }[] {
  const keys: { key: string; path: string }[] = [];
  const collect = (items: readonly { key: string }[] | undefined, section: string) => {
    items?.forEach((item, index) => {
      keys.push({ key: item.key, path: `${section}.${index}.key` });
    });
  };
  collect(plugin.customFields, 'customFields');
  collect(plugin.surveys, 'surveys');
  collect(plugin.leadGrades, 'leadGrades');
  collect(plugin.leadRegradeRules, 'leadRegradeRules');
  collect(plugin.cadences, 'cadences');
  collect(plugin.reminders, 'reminders');
  collect(plugin.tickets?.categories, 'tickets.categories');
  collect(plugin.loyalty?.referralRules, 'loyalty.referralRules');
  collect(plugin.pipeline?.stages, 'pipeline.stages');
  plugin.pipeline?.stages.forEach((stage, index) => {
    collect(stage.actions, `pipeline.stages.${index}.actions`);
  });
  collect(plugin.pipeline?.lostReasons, 'pipeline.lostReasons');
  return keys;
}

function checkKeys(plugin: AnyPlugin, report: Report): void {
  const prefix = keyPrefixOf(plugin.id);
  const seen = new Map<string, string>();
  for (const { key, path } of contributedKeys(plugin)) {
    if (!KEY_PATTERN.test(key)) {
      report(
        'PLUGIN_KEY_INVALID',
        path,
        `键「${key}」须为小写字母、数字和下划线，以字母开头，最长 40 个字符`,
        `the key "${key}" must be lower-case letters, digits and underscores, starting with a letter, at most 40 characters`,
      );
    } else if (!key.startsWith(prefix) || key.length === prefix.length) {
      report(
        'PLUGIN_KEY_NOT_PREFIXED',
        path,
        `键「${key}」须以插件前缀「${prefix}」开头（如 ${prefix}${key}）`,
        `the key "${key}" must start with the plugin's prefix "${prefix}" (e.g. ${prefix}${key})`,
      );
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      report(
        'PLUGIN_KEY_DUPLICATE',
        path,
        `键「${key}」重复（已用于 ${earlier}）`,
        `the key "${key}" is used twice (also at ${earlier})`,
      );
    } else {
      seen.set(key, path);
    }
  }
  plugin.surveys?.forEach((survey, index) => {
    checkUnique(
      survey.questions.map((question) => question.key),
      `surveys.${index}.questions`,
      '题目键',
      'question key',
      report,
    );
    survey.questions.forEach((question, questionIndex) => {
      checkUnique(
        (question.options ?? []).map((option) => option.value),
        `surveys.${index}.questions.${questionIndex}.options`,
        '选项值',
        'option value',
        report,
      );
    });
  });
  plugin.customFields?.forEach((field, index) => {
    checkUnique(
      (field.options ?? []).map((option) => option.value),
      `customFields.${index}.options`,
      '选项值',
      'option value',
      report,
    );
  });
}

function checkUnique(
  values: readonly string[],
  path: string,
  zhName: string,
  enName: string,
  report: Report,
) {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) {
      report(
        'PLUGIN_KEY_DUPLICATE',
        `${path}.${index}`,
        `${zhName}「${value}」重复`,
        `the ${enName} "${value}" is used twice`,
      );
    }
    seen.add(value);
  });
}

// ---------------------------------------------------------------------------------------------
// Custom fields

const TEXT_ONLY_VALIDATION = ['checkDigit', 'pattern', 'patternMessage', 'minLength', 'maxLength'] as const;
const NUMBER_ONLY_VALIDATION = ['min', 'max'] as const;
const WHOLE_NUMBER_VALIDATION = ['integer', 'rating'] as const;

function checkCustomFields(plugin: AnyPlugin, options: ValidateOptions, report: Report): void {
  const core = new Set(options.coreCustomFieldKeys ?? []);
  plugin.customFields?.forEach((field, index) => {
    const path = `customFields.${index}`;
    const invalid = (where: string, zh: string, en: string) =>
      report(
        'PLUGIN_CUSTOM_FIELD_INVALID',
        `${path}${where}`,
        `自定义字段「${field.key}」${zh}`,
        `custom field "${field.key}" ${en}`,
      );
    if (field.sensitive && field.type !== 'text') {
      invalid('.sensitive', '只有文本字段可以设为敏感字段', 'can be sensitive only if it is a text field');
    }
    const hasOptions = (field.options?.length ?? 0) > 0;
    if ((field.type === 'enum' || field.type === 'multi_enum') && !hasOptions) {
      invalid('.options', '是选项字段，须列出选项', 'is an option field and needs its options');
    }
    if (field.type !== 'enum' && field.type !== 'multi_enum' && field.options !== undefined) {
      invalid('.options', '不是选项字段，不能有选项', 'is not an option field and cannot have options');
    }
    for (const rule of TEXT_ONLY_VALIDATION) {
      if (field.validation?.[rule] !== undefined && field.type !== 'text') {
        invalid(
          `.validation.${rule}`,
          `的校验规则 ${rule} 只适用于文本字段`,
          `: the rule ${rule} applies to text fields only`,
        );
      }
    }
    for (const rule of NUMBER_ONLY_VALIDATION) {
      if (field.validation?.[rule] !== undefined && field.type !== 'number' && field.type !== 'money') {
        invalid(
          `.validation.${rule}`,
          `的校验规则 ${rule} 只适用于数字和金额字段`,
          `: the rule ${rule} applies to number and money fields only`,
        );
      }
    }
    for (const rule of WHOLE_NUMBER_VALIDATION) {
      if (field.validation?.[rule] !== undefined && field.type !== 'number') {
        invalid(
          `.validation.${rule}`,
          `的校验规则 ${rule} 只适用于数字字段`,
          `: the rule ${rule} applies to number fields only`,
        );
      }
    }
    const v = field.validation;
    if (v?.min !== undefined && v.max !== undefined && v.min > v.max) {
      invalid('.validation.min', '的最小值大于最大值', 'has a minimum above its maximum');
    }
    if (v?.minLength !== undefined && v.maxLength !== undefined && v.minLength > v.maxLength) {
      invalid(
        '.validation.minLength',
        '的最短长度大于最长长度',
        'has a minimum length above its maximum length',
      );
    }
    if (v?.rating) {
      const min = v.min ?? 1;
      const max = v.max ?? 5;
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 10 || min >= max) {
        invalid(
          '.validation.rating',
          '是评分字段，最小值和最大值须为 0–10 之间的整数且最小值小于最大值',
          'is a rating: its minimum and maximum must be whole numbers from 0 to 10, the minimum below the maximum',
        );
      }
    }
    if (v?.patternMessage !== undefined && v.pattern === undefined) {
      invalid(
        '.validation.patternMessage',
        '有格式提示但没有正则表达式',
        'has a pattern message but no pattern',
      );
    }
    if (field.validation?.pattern !== undefined) {
      try {
        new RegExp(field.validation.pattern, 'u');
      } catch {
        invalid('.validation.pattern', '的正则表达式无效', 'has an invalid pattern');
      }
    }
    const shadowed = coreFieldShadowedBy(field, keyPrefixOf(plugin.id));
    if (shadowed) {
      report(
        'PLUGIN_CUSTOM_FIELD_COLLISION',
        `${path}.key`,
        `自定义字段「${field.key}」（${field.labels['zh-CN']}）与系统字段「${shadowed.labels['zh-CN']}」重复，请直接使用系统字段`,
        `custom field "${field.key}" (${field.labels.en}) repeats the core field "${shadowed.labels.en}"; use the core field instead`,
      );
    } else if (core.has(field.key)) {
      report(
        'PLUGIN_CUSTOM_FIELD_COLLISION',
        `${path}.key`,
        `自定义字段「${field.key}」与系统字段同名`,
        `custom field "${field.key}" has the name of a core field`,
      );
    }
    const owner = options.otherCustomFieldKeys?.get(field.key);
    if (owner !== undefined) {
      report(
        'PLUGIN_CUSTOM_FIELD_COLLISION',
        `${path}.key`,
        `自定义字段「${field.key}」已由插件「${owner}」提供`,
        `custom field "${field.key}" is already contributed by plugin "${owner}"`,
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Settings

/**
 * JSON-equal: what `JSON.stringify` would write is the same, key order and `undefined` keys
 * aside (dates compared by their time). The one JSON-equality of the product.
 */
export function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (left instanceof Date || right instanceof Date) {
    return left instanceof Date && right instanceof Date && left.getTime() === right.getTime();
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => jsonEqual(item, right[index]))
    );
  }
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  const keys = (value: object) =>
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key]) => key)
      .sort();
  const leftKeys = keys(left);
  const rightKeys = keys(right);
  return (
    leftKeys.length === rightKeys.length &&
    leftKeys.every(
      (key, index) =>
        key === rightKeys[index] &&
        jsonEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]),
    )
  );
}

function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

const ENGLISH = z.locales.en().localeError;
const CHINESE = z.locales.zhCN().localeError;

type BilingualIssue = { path: string; zh: string; en: string };

/** The schema's issues with `data` in both languages (zod's own messages; a refinement's message as written). */
function bilingualIssues(schema: z.ZodType, data: unknown): BilingualIssue[] {
  const english = schema.safeParse(data, { error: ENGLISH });
  if (english.success) return [];
  const chinese = schema.safeParse(data, { error: CHINESE });
  return english.error.issues.map((issue, index) => ({
    path: issuePath(issue),
    en: issue.message,
    zh: (chinese.success ? undefined : chinese.error.issues[index]?.message) ?? issue.message,
  }));
}

/** Checks the settings and returns the defaults (undefined when they do not parse). */
function checkSettings(plugin: AnyPlugin, report: Report): Record<string, unknown> | undefined {
  const { schema } = plugin.settings;
  checkSettingLabels(schema, report);
  const parsed = schema.safeParse({});
  if (!parsed.success) {
    for (const issue of bilingualIssues(schema, {})) {
      const field = issue.path;
      report(
        'PLUGIN_SETTINGS_DEFAULT_INVALID',
        `settings.schema${field ? `.${field}` : ''}`,
        `设置项「${field || '（全部）'}」的默认值无效：${issue.zh}。每个设置项都须有有效的默认值`,
        `the default of the setting "${field || '(all)'}" is invalid: ${issue.en}. Every setting needs a valid default`,
        field || undefined,
      );
    }
    return undefined;
  }
  const defaults = parsed.data;
  let stored: unknown;
  try {
    stored = JSON.parse(JSON.stringify(defaults));
  } catch {
    stored = undefined;
  }
  // zod 4 returns a `.default(value)` as it is, unchecked: parsing the stored defaults again
  // is what finds a default that breaks its own field's rules.
  const reparsed = schema.safeParse(stored);
  if (!reparsed.success) {
    for (const issue of bilingualIssues(schema, stored)) {
      const field = issue.path;
      report(
        'PLUGIN_SETTINGS_DEFAULT_INVALID',
        `settings.schema${field ? `.${field}` : ''}`,
        `设置项「${field || '（全部）'}」的默认值不符合它自己的规则：${issue.zh}`,
        `the default of the setting "${field || '(all)'}" breaks its own rules: ${issue.en}`,
        field || undefined,
      );
    }
    return undefined;
  }
  if (!jsonEqual(reparsed.data, defaults) || !jsonEqual(stored, defaults)) {
    report(
      'PLUGIN_SETTINGS_DEFAULT_UNSTABLE',
      'settings.schema',
      '默认设置保存为 JSON 后再次解析结果不同（嵌套对象请用 .prefault({}) 而不是 .default({})，且不要用 transform 或日期类型）',
      'the default settings change when stored as JSON and parsed again (use .prefault({}) rather than .default({}) on nested objects, and no transforms or dates)',
    );
  }
  checkMigration(plugin, defaults, report);
  return defaults;
}

/** Every settings field (and group) needs `.meta({ labels: { 'zh-CN', en } })` for the admin form. */
function checkSettingLabels(schema: z.ZodObject, report: Report): void {
  let json: Record<string, unknown>;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch (error) {
    report(
      'PLUGIN_SETTINGS_SCHEMA_INVALID',
      'settings.schema',
      `设置的结构无法生成表单：${(error as Error).message}`,
      `the settings cannot be turned into a form: ${(error as Error).message}`,
    );
    return;
  }
  const walk = (node: Record<string, unknown>, path: string) => {
    const properties = node.properties;
    if (properties === null || typeof properties !== 'object') return;
    for (const [name, child] of Object.entries(properties as Record<string, Record<string, unknown>>)) {
      const childPath = path ? `${path}.${name}` : name;
      const labels = child.labels ?? child.label;
      if (labels === null || typeof labels !== 'object') {
        report(
          'PLUGIN_LABEL_MISSING',
          `settings.schema.${childPath}`,
          `设置项「${childPath}」缺少名称，请加上 .meta({ labels: { 'zh-CN': …, en: … } })`,
          `the setting "${childPath}" has no name; add .meta({ labels: { 'zh-CN': …, en: … } })`,
          childPath,
        );
      } else {
        checkLabelPair(labels as Record<string, unknown>, `settings.schema.${childPath}.labels`, report);
      }
      for (const property of ['help', 'description'] as const) {
        const text = child[property];
        if (text !== null && typeof text === 'object') {
          checkLabelPair(text as Record<string, unknown>, `settings.schema.${childPath}.${property}`, report);
        }
      }
      walk(child, childPath);
    }
  };
  walk(json, '');
}

/**
 * A migration must turn stored overrides into overrides that parse, and be idempotent:
 * migrate(from, migrate(from, x)) = migrate(from, x), tried for every older version `from`
 * and the current one, with x = no overrides and x = the defaults.
 */
function checkMigration(plugin: AnyPlugin, defaults: Record<string, unknown>, report: Report): void {
  const { migrate, schema, version } = plugin.settings;
  if (!migrate) return;
  for (let from = 1; from <= version; from++) {
    for (const [name, input] of [
      ['{}', {}],
      ['defaults', defaults],
    ] as const) {
      const path = 'settings.migrate';
      let once: unknown;
      let twice: unknown;
      try {
        once = migrate(from, structuredClone(input));
        twice = migrate(from, structuredClone(once as Record<string, unknown>));
      } catch (error) {
        report(
          'PLUGIN_SETTINGS_MIGRATION_FAILED',
          path,
          `从设置版本 ${from} 迁移（${name}）时出错：${(error as Error).message}`,
          `migrating settings from version ${from} (${name}) failed: ${(error as Error).message}`,
        );
        return;
      }
      const parsed = schema.safeParse(once);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        report(
          'PLUGIN_SETTINGS_MIGRATION_FAILED',
          path,
          `从设置版本 ${from} 迁移（${name}）的结果无效：${issue ? `${issuePath(issue)} ${issue.message}` : ''}`,
          `migrating settings from version ${from} (${name}) gives invalid settings: ${issue ? `${issuePath(issue)} ${issue.message}` : ''}`,
        );
        return;
      }
      if (!jsonEqual(once, twice)) {
        report(
          'PLUGIN_SETTINGS_MIGRATION_NOT_IDEMPOTENT',
          path,
          `设置迁移不是幂等的：从版本 ${from} 迁移（${name}）两次与迁移一次结果不同（已是新格式的设置不应再被改动）`,
          `the settings migration is not idempotent: migrating (${name}) from version ${from} twice differs from migrating once (settings already in the new form must be left as they are)`,
        );
        return;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rules, resolved with settings

type ResolvedRules = {
  leadGrades: readonly Resolved<LeadGrade>[];
  leadRegradeRules: readonly Resolved<LeadRegradeRule>[];
  surveys: readonly Resolved<SurveyDefinition>[];
  cadences: readonly Resolved<Cadence>[];
  reminders: readonly Resolved<Reminder>[];
  lifecycle: Resolved<LifecycleThresholds> | null;
  tickets: Resolved<TicketsDefinition> | null;
  loyalty: Resolved<LoyaltyDefinition> | null;
  pipeline: Resolved<PipelineDefinition> | null;
  pool: Resolved<PoolDefinition> | null;
};

function checkRules(plugin: AnyPlugin, settings: Record<string, unknown>, report: Report): void {
  const missing: MissingSetting[] = [];
  const rules: ResolvedRules = {
    leadGrades: resolveSettingRefs(plugin.leadGrades ?? [], settings, 'leadGrades', missing),
    leadRegradeRules: resolveSettingRefs(
      plugin.leadRegradeRules ?? [],
      settings,
      'leadRegradeRules',
      missing,
    ),
    surveys: resolveSettingRefs(plugin.surveys ?? [], settings, 'surveys', missing),
    cadences: resolveSettingRefs(plugin.cadences ?? [], settings, 'cadences', missing),
    reminders: resolveSettingRefs(plugin.reminders ?? [], settings, 'reminders', missing),
    lifecycle: plugin.lifecycle ? resolveSettingRefs(plugin.lifecycle, settings, 'lifecycle', missing) : null,
    tickets: plugin.tickets ? resolveSettingRefs(plugin.tickets, settings, 'tickets', missing) : null,
    loyalty: plugin.loyalty ? resolveSettingRefs(plugin.loyalty, settings, 'loyalty', missing) : null,
    pipeline: plugin.pipeline ? resolveSettingRefs(plugin.pipeline, settings, 'pipeline', missing) : null,
    pool: plugin.pool ? resolveSettingRefs(plugin.pool, settings, 'pool', missing) : null,
  };
  for (const { path, setting } of missing) {
    report(
      'PLUGIN_SETTING_MISSING',
      path,
      `「${path}」读取的设置项「${setting}」不存在或不是数字`,
      `${path} reads the setting "${setting}", which is missing or not a number`,
      setting,
    );
  }

  let tierKeys: Set<string> | null = null;
  let tierModel: TierModel | null = null;
  if (plugin.tierModel !== undefined) {
    for (const tierProblem of validateTierModel(plugin.tierModel, settings)) {
      report(
        tierProblem.code,
        `tierModel${tierProblem.path ? `.${tierProblem.path}` : ''}`,
        `分层模型：${tierProblem.message['zh-CN']}`,
        `tier model: ${tierProblem.message.en}`,
        tierProblem.setting,
      );
    }
    const parsed = tierModelSchema.safeParse(plugin.tierModel);
    if (parsed.success) {
      tierModel = parsed.data;
      tierKeys = new Set(parsed.data.tiers.map((tier) => tier.key));
    }
  }
  checkTierReferences(plugin, tierKeys, report);
  checkFieldReferences(plugin, tierModel, report);
  if (missing.length === 0) checkResolvedRules(rules, plugin.customFields ?? [], report);
}

function checkTierReferences(plugin: AnyPlugin, tierKeys: Set<string> | null, report: Report): void {
  const check = (tier: string, path: string) => {
    if (tierKeys === null) {
      report(
        'PLUGIN_TIER_UNKNOWN',
        path,
        `引用了层级「${tier}」，但插件没有声明分层模型`,
        `it refers to the tier "${tier}" but declares no tier model`,
      );
    } else if (!tierKeys.has(tier)) {
      report(
        'PLUGIN_TIER_UNKNOWN',
        path,
        `引用的层级「${tier}」不在分层模型中（现有：${[...tierKeys].join('、')}）`,
        `the tier "${tier}" is not in the tier model (it has: ${[...tierKeys].join(', ')})`,
      );
    }
  };
  plugin.cadences?.forEach((cadence, index) => {
    check(cadence.tier, `cadences.${index}.tier`);
  });
  plugin.surveys?.forEach((survey, index) => {
    survey.audience?.tiers?.forEach((tier, tierIndex) => {
      check(tier, `surveys.${index}.audience.tiers.${tierIndex}`);
    });
  });
  plugin.reminders?.forEach((reminder, index) => {
    reminder.audience?.tiers?.forEach((tier, tierIndex) => {
      check(tier, `reminders.${index}.audience.tiers.${tierIndex}`);
    });
  });
  plugin.tickets?.slaPolicies?.forEach((policy, index) => {
    policy.tiers?.forEach((tier, tierIndex) => {
      check(tier, `tickets.slaPolicies.${index}.tiers.${tierIndex}`);
    });
  });
  plugin.pool?.customers?.forEach((rule, index) => {
    check(rule.tier, `pool.customers.${index}.tier`);
  });
}

function checkFieldReferences(plugin: AnyPlugin, tierModel: TierModel | null, report: Report): void {
  const fields = new Map<string, CustomFieldDefinition>(
    (plugin.customFields ?? []).map((field) => [field.key, field]),
  );
  const unknown = (path: string, key: string, zhKind: string, enKind: string) =>
    report(
      'PLUGIN_FIELD_UNKNOWN',
      path,
      `引用的自定义字段「${key}」不是本插件声明的${zhKind}字段`,
      `it refers to the custom field "${key}", which is not a ${enKind === 'custom' ? '' : `${enKind} `}field the plugin declares`,
    );
  plugin.reminders?.forEach((reminder, index) => {
    if (reminder.trigger.on === 'date_field' && fields.get(reminder.trigger.field)?.type !== 'date') {
      unknown(`reminders.${index}.trigger.field`, reminder.trigger.field, '日期', 'date');
    }
  });
  if (tierModel) {
    for (const metric of metricsOf(tierModel)) {
      const colon = metric.indexOf(':');
      if (colon < 0) continue;
      const kind = metric.slice(0, colon);
      const key = metric.slice(colon + 1);
      const type = fields.get(key)?.type;
      const numeric = type === 'number' || type === 'money';
      if (kind === 'custom_enum' ? type !== 'enum' : !numeric) {
        unknown(
          'tierModel',
          key,
          kind === 'custom_enum' ? '选项' : '数字',
          kind === 'custom_enum' ? 'option' : 'number',
        );
      }
    }
  }
  const walkCondition = (condition: LeadCondition | undefined, path: string) => {
    if (!condition) return;
    if ('all' in condition) {
      condition.all.forEach((item, i) => {
        walkCondition(item, `${path}.all.${i}`);
      });
    } else if ('any' in condition) {
      condition.any.forEach((item, i) => {
        walkCondition(item, `${path}.any.${i}`);
      });
    } else if ('behaviour' in condition) {
      return;
    } else if (
      condition.field.startsWith('custom:') &&
      !fields.has(condition.field.slice('custom:'.length))
    ) {
      unknown(`${path}.field`, condition.field.slice('custom:'.length), '', 'custom');
    }
  };
  plugin.leadGrades?.forEach((grade, index) => {
    walkCondition(grade.when, `leadGrades.${index}.when`);
  });
  plugin.leadRegradeRules?.forEach((regrade, index) => {
    walkCondition(regrade.when, `leadRegradeRules.${index}.when`);
  });
}

function checkResolvedRules(
  rules: ResolvedRules,
  customFields: readonly CustomFieldDefinition[],
  report: Report,
): void {
  const rule = (path: string, zh: string, en: string, setting?: string) =>
    report('PLUGIN_RULE_INVALID', path, zh, en, setting);
  const isWhole = (value: number, min: number, max: number) =>
    Number.isInteger(value) && value >= min && value <= max;

  rules.leadGrades.forEach((grade, index) => {
    if (grade.when === undefined && index !== rules.leadGrades.length - 1) {
      rule(
        `leadGrades.${index}.when`,
        `线索等级「${grade.grade}」没有条件，只有最后一个等级可以不设条件（兜底）`,
        `lead grade "${grade.grade}" has no condition; only the last grade may go without one (the rest)`,
      );
    }
    if (!(grade.followUpWithinHours > 0 && grade.followUpWithinHours <= 24 * 365)) {
      rule(
        `leadGrades.${index}.followUpWithinHours`,
        `线索等级「${grade.grade}」的跟进时限须为 1 小时到 1 年之间（现为 ${grade.followUpWithinHours}）`,
        `lead grade "${grade.grade}" needs a follow-up time between 1 hour and a year (it is ${grade.followUpWithinHours})`,
      );
    }
  });
  checkBehaviour(rules, rule, isWhole);
  rules.surveys.forEach((survey, index) => {
    for (const problem of [...checkSurveyForm(survey, customFields), ...checkSurveySchedule(survey)]) {
      rule(`surveys.${index}.${problem.path}`, problem.message['zh-CN'], problem.message.en);
    }
  });
  rules.cadences.forEach((cadence, index) => {
    if (!isWhole(cadence.interval.every, 1, 365)) {
      rule(
        `cadences.${index}.interval.every`,
        `联系频率「${cadence.key}」的间隔须为 1–365 之间的整数（现为 ${cadence.interval.every}）`,
        `cadence "${cadence.key}" needs an interval of 1–365 whole units (it is ${cadence.interval.every})`,
      );
    }
  });
  rules.reminders.forEach((reminder, index) => {
    if (!isWhole(reminder.trigger.offsetDays, -365, 365)) {
      rule(
        `reminders.${index}.trigger.offsetDays`,
        `提醒「${reminder.key}」的提前/延后天数须为 −365 到 365 之间的整数（现为 ${reminder.trigger.offsetDays}）`,
        `reminder "${reminder.key}" needs an offset of −365 to 365 whole days (it is ${reminder.trigger.offsetDays})`,
      );
    }
  });
  checkTicketRules(rules.tickets, rule);
  checkLoyaltyRules(rules.loyalty, rule);
  checkPipelineRules(rules.pipeline, rule);
  const lifecycle = rules.lifecycle;
  if (lifecycle) {
    if (!isWhole(lifecycle.atRiskDays, 1, 3650) || !isWhole(lifecycle.dormantDays, 1, 3650)) {
      rule(
        'lifecycle',
        '生命周期天数须为 1–3650 之间的整数',
        'lifecycle days must be whole numbers from 1 to 3650',
      );
    } else if (lifecycle.atRiskDays >= lifecycle.dormantDays) {
      rule(
        'lifecycle.dormantDays',
        `沉睡天数（${lifecycle.dormantDays}）须大于流失风险天数（${lifecycle.atRiskDays}）`,
        `dormant days (${lifecycle.dormantDays}) must be more than at-risk days (${lifecycle.atRiskDays})`,
      );
    }
    if (!isWhole(lifecycle.loyalOrders, 2, 1000)) {
      rule(
        'lifecycle.loyalOrders',
        `忠诚客户的订单数须为 2–1000 之间的整数（现为 ${lifecycle.loyalOrders}）`,
        `loyal orders must be a whole number from 2 to 1000 (it is ${lifecycle.loyalOrders})`,
      );
    }
  }
}

/**
 * Everything wrong with settings a tenant's admin wants to save (defaults ⊕ overrides,
 * not yet parsed): the schema's own messages (refinements included), then every rule
 * resolved with them — the tier model's overlapping thresholds or weights that do not add
 * up, lead grade SLAs, cadence intervals, lifecycle days. `setting` names the field.
 */
export function validateSettings(plugin: AnyPlugin, settings: unknown): Problem[] {
  const problems: Problem[] = [];
  const report = reporterFor(plugin.id, problems);
  const parsed = plugin.settings.schema.safeParse(settings);
  if (!parsed.success) {
    for (const issue of bilingualIssues(plugin.settings.schema, settings)) {
      const field = issue.path;
      report(
        'PLUGIN_SETTINGS_INVALID',
        `settings${field ? `.${field}` : ''}`,
        `设置项「${field || '（全部）'}」无效：${issue.zh}`,
        `the setting "${field || '(all)'}" is invalid: ${issue.en}`,
        field || undefined,
      );
    }
    return problems;
  }
  checkRules(plugin, parsed.data, report);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Behaviour in lead grades and re-grade rules

type RuleReport = (path: string, zh: string, en: string, setting?: string) => void;

/** The longest window (days) a condition looks back over; 0 when it tests no behaviour. */
export function longestBehaviourWindow(condition: Resolved<LeadCondition> | undefined): number {
  if (!condition) return 0;
  if ('all' in condition) return Math.max(0, ...condition.all.map(longestBehaviourWindow));
  if ('any' in condition) return Math.max(0, ...condition.any.map(longestBehaviourWindow));
  if (!('behaviour' in condition)) return 0;
  return 'withinDays' in condition ? condition.withinDays : condition.value;
}

function testsBehaviour(condition: Resolved<LeadCondition>): boolean {
  if ('all' in condition) return condition.all.some(testsBehaviour);
  if ('any' in condition) return condition.any.some(testsBehaviour);
  return 'behaviour' in condition;
}

function checkBehaviour(
  rules: ResolvedRules,
  rule: RuleReport,
  isWhole: (value: number, min: number, max: number) => boolean,
): void {
  const walk = (condition: Resolved<LeadCondition> | undefined, path: string) => {
    if (!condition) return;
    if ('all' in condition) {
      for (const [i, item] of condition.all.entries()) walk(item, `${path}.all.${i}`);
      return;
    }
    if ('any' in condition) {
      for (const [i, item] of condition.any.entries()) walk(item, `${path}.any.${i}`);
      return;
    }
    if (!('behaviour' in condition)) return;
    if ('withinDays' in condition) {
      if (!isWhole(condition.withinDays, 1, 365)) {
        rule(
          `${path}.withinDays`,
          `行为条件的统计天数须为 1 到 365 之间的整数（现为 ${condition.withinDays}）`,
          `a behaviour condition counts over 1 to 365 whole days (it is ${condition.withinDays})`,
        );
      }
      if (!isWhole(condition.value, 0, 10_000)) {
        rule(
          `${path}.value`,
          `行为条件的次数须为 0 到 10000 之间的整数（现为 ${condition.value}）`,
          `a behaviour condition compares with a whole count from 0 to 10,000 (it is ${condition.value})`,
        );
      }
    } else if (!isWhole(condition.value, 0, 3650)) {
      rule(
        `${path}.value`,
        `「距上次活动天数」须为 0 到 3650 之间的整数（现为 ${condition.value}）`,
        `days since last activity is a whole number from 0 to 3,650 (it is ${condition.value})`,
      );
    }
  };
  for (const [index, grade] of rules.leadGrades.entries()) walk(grade.when, `leadGrades.${index}.when`);
  if (rules.leadRegradeRules.length > 0 && rules.leadGrades.length < 2) {
    rule(
      'leadRegradeRules',
      '线索升降级规则需要至少两个线索等级（leadGrades）',
      'lead re-grade rules need at least two lead grades (leadGrades)',
    );
  }
  const gradeKeys = new Set(rules.leadGrades.map((grade) => grade.key));
  rules.pool?.leads?.forEach((poolRule, index) => {
    if (!gradeKeys.has(poolRule.grade)) {
      rule(
        `pool.leads.${index}.grade`,
        `公海回收规则指向的线索等级「${poolRule.grade}」不是本插件声明的等级`,
        `the pool's recycle rule names the lead grade "${poolRule.grade}", which is not one of the plugin's lead grades`,
      );
    }
  });
  const poolDays: [string, unknown][] = [
    ...(rules.pool?.leads ?? []).map((poolRule, index): [string, unknown] => [
      `pool.leads.${index}.recycleAfterDays`,
      poolRule.recycleAfterDays,
    ]),
    ...(rules.pool?.customers ?? []).map((poolRule, index): [string, unknown] => [
      `pool.customers.${index}.recycleAfterDays`,
      poolRule.recycleAfterDays,
    ]),
    ['pool.leadDefaultDays', rules.pool?.leadDefaultDays],
    ['pool.customerDefaultDays', rules.pool?.customerDefaultDays],
  ];
  for (const [path, days] of poolDays) {
    if (days !== null && days !== undefined && !isWhole(days as number, 1, 3650)) {
      rule(
        path,
        `公海回收天数须为 1 到 3650 的整数（现为 ${days}）`,
        `recycle days are a whole number from 1 to 3650 (it is ${days})`,
      );
    }
  }
  rules.leadRegradeRules.forEach((regrade, index) => {
    const path = `leadRegradeRules.${index}`;
    walk(regrade.when, `${path}.when`);
    if (!testsBehaviour(regrade.when)) {
      rule(
        `${path}.when`,
        `升降级规则「${regrade.key}」的条件须至少包含一项行为（打开、点击、表单、回复或距上次活动天数）`,
        `re-grade rule "${regrade.key}" must test behaviour (opens, clicks, forms, replies or days since last activity) in its condition`,
      );
    }
    const change = regrade.change;
    if ('to' in change) {
      if (!gradeKeys.has(change.to)) {
        rule(
          `${path}.change.to`,
          `升降级规则「${regrade.key}」指向的线索等级「${change.to}」不是本插件声明的等级`,
          `re-grade rule "${regrade.key}" moves leads to "${change.to}", which is not one of the plugin's lead grades`,
        );
      }
    } else {
      const steps = 'up' in change ? change.up : change.down;
      const max = Math.max(1, rules.leadGrades.length - 1);
      if (!isWhole(steps, 1, max)) {
        rule(
          `${path}.change.${'up' in change ? 'up' : 'down'}`,
          `升降级规则「${regrade.key}」一次升降 1 到 ${max} 级（现为 ${steps}）`,
          `re-grade rule "${regrade.key}" moves a lead 1 to ${max} grades (it is ${steps})`,
        );
      }
    }
    if (regrade.cooldownDays !== undefined && !isWhole(regrade.cooldownDays, 1, 365)) {
      rule(
        `${path}.cooldownDays`,
        `升降级规则「${regrade.key}」的间隔天数须为 1 到 365 之间的整数（现为 ${regrade.cooldownDays}）`,
        `re-grade rule "${regrade.key}" needs a cool-down of 1 to 365 whole days (it is ${regrade.cooldownDays})`,
      );
    }
  });
}

/** Growth points: a rate of 0–100 points per yuan, 0–120 months to expiry, rewards of 1–1,000,000 points or 1–100 % off. */
function checkLoyaltyRules(
  loyalty: Resolved<LoyaltyDefinition> | null,
  rule: (path: string, zh: string, en: string) => void,
): void {
  if (!loyalty) return;
  const rate = loyalty.pointsPerYuan;
  if (rate !== undefined && !(Number.isFinite(rate) && rate >= 0 && rate <= 100)) {
    rule(
      'loyalty.pointsPerYuan',
      `每元积分须在 0 到 100 之间（现为 ${rate}）`,
      `points per yuan must be 0–100 (it is ${rate})`,
    );
  }
  const months = loyalty.expiryMonths;
  if (months !== undefined && !(Number.isInteger(months) && months >= 0 && months <= 120)) {
    rule(
      'loyalty.expiryMonths',
      `积分有效期须为 0 到 120 个整月（现为 ${months}）`,
      `points expire after a whole 0–120 months (it is ${months})`,
    );
  }
  loyalty.referralRules?.forEach((referral, index) => {
    const ok =
      referral.reward === 'points'
        ? Number.isInteger(referral.value) && referral.value >= 1 && referral.value <= 1_000_000
        : Number.isFinite(referral.value) && referral.value > 0 && referral.value <= 100;
    if (!ok) {
      rule(
        `loyalty.referralRules.${index}.value`,
        referral.reward === 'points'
          ? `转介绍奖励积分须为 1 到 1,000,000 的整数（现为 ${referral.value}）`
          : `转介绍折扣须在 0 到 100% 之间（现为 ${referral.value}）`,
        referral.reward === 'points'
          ? `a referral's points must be a whole 1–1,000,000 (it is ${referral.value})`
          : `a referral's discount must be above 0 and at most 100 % (it is ${referral.value})`,
      );
    }
  });
}

/** Ticket SLA targets: 1 hour to a year, the response no later than the resolution; sensible escalation shares. */
function checkTicketRules(
  tickets: Resolved<TicketsDefinition> | null,
  rule: (path: string, zh: string, en: string) => void,
): void {
  if (!tickets) return;
  const isWhole = (value: number, min: number, max: number) =>
    Number.isInteger(value) && value >= min && value <= max;
  tickets.slaPolicies?.forEach((policy, index) => {
    const path = `tickets.slaPolicies.${index}`;
    const hours = (value: number) => Number.isFinite(value) && value > 0 && value <= 24 * 365;
    if (!hours(policy.firstResponseHours) || !hours(policy.resolutionHours)) {
      rule(
        path,
        `工单时效的首次响应和解决时限须为 1 小时到 1 年之间（现为 ${policy.firstResponseHours} / ${policy.resolutionHours} 小时）`,
        `ticket SLA targets must be between 1 hour and a year (they are ${policy.firstResponseHours} / ${policy.resolutionHours} h)`,
      );
    } else if (policy.firstResponseHours > policy.resolutionHours) {
      rule(
        `${path}.firstResponseHours`,
        `首次响应时限（${policy.firstResponseHours} 小时）不能长于解决时限（${policy.resolutionHours} 小时）`,
        `the first response target (${policy.firstResponseHours} h) cannot be longer than the resolution target (${policy.resolutionHours} h)`,
      );
    }
  });
  const policies = tickets.slaPolicies ?? [];
  const seen = new Set<string>();
  policies.forEach((policy, index) => {
    for (const tier of policy.tiers ?? ['*']) {
      const match = `${tier}/${policy.priority ?? '*'}`;
      if (seen.has(match))
        rule(
          `tickets.slaPolicies.${index}`,
          `工单时效规则重复：层级「${tier}」、优先级「${policy.priority ?? '全部'}」已有规则`,
          `duplicate ticket SLA policy: tier "${tier}" and priority "${policy.priority ?? 'any'}" already have one`,
        );
      seen.add(match);
    }
  });
  const warn = tickets.warnAtPercent ?? 80;
  const escalate = tickets.escalateAtPercent ?? 125;
  if (!(isWhole(warn, 10, 99) && isWhole(escalate, 100, 1000))) {
    rule(
      'tickets.warnAtPercent',
      `工单预警须在时限的 10%–99% 之间，升级须在 100%–1000% 之间（现为 ${warn}% / ${escalate}%）`,
      `ticket warnings must come at 10–99 % of a target and escalations at 100–1000 % (they are ${warn} % / ${escalate} %)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Pipeline

/**
 * A pipeline the core can run: open stages first (in the order a deal moves), then exactly
 * one won and one lost stage, and at most one after-sales stage; probabilities 0–100 (won
 * 100, lost 0); gates only on open stages, naming actions of their own stage; SLA actions
 * due within 1 hour to a year; at most 50 needs asked for.
 */
function checkPipelineRules(pipeline: Resolved<PipelineDefinition> | null, rule: RuleReport): void {
  if (!pipeline) return;
  const count = (kind: string) => pipeline.stages.filter((stage) => stage.kind === kind).length;
  if (count('open') < 1 || count('won') !== 1 || count('lost') !== 1 || count('after_sales') > 1) {
    rule(
      'pipeline.stages',
      `商机阶段须有至少一个进行中阶段（open）、恰好一个赢单阶段（won）和一个输单阶段（lost），售后阶段（after_sales）至多一个`,
      `the pipeline needs at least one open stage, exactly one won and one lost stage, and at most one after-sales stage`,
    );
  }
  const firstClosed = pipeline.stages.findIndex((stage) => stage.kind !== 'open');
  const lastOpen = pipeline.stages.map((stage) => stage.kind).lastIndexOf('open');
  if (firstClosed >= 0 && lastOpen > firstClosed) {
    rule(
      `pipeline.stages.${lastOpen}`,
      '进行中的阶段须排在赢单、输单和售后阶段之前',
      'open stages must come before the won, lost and after-sales stages',
    );
  }
  pipeline.stages.forEach((stage, index) => {
    const path = `pipeline.stages.${index}`;
    const expected =
      stage.kind === 'won' || stage.kind === 'after_sales' ? 100 : stage.kind === 'lost' ? 0 : null;
    if (
      !(stage.probability >= 0 && stage.probability <= 100) ||
      (expected !== null && stage.probability !== expected)
    ) {
      rule(
        `${path}.probability`,
        `阶段「${stage.key}」的赢率须为 0–100（赢单和售后为 100，输单为 0；现为 ${stage.probability}）`,
        `stage "${stage.key}" needs a probability of 0–100 (100 when won or after sales, 0 when lost; it is ${stage.probability})`,
      );
    }
    const actionKeys = new Set((stage.actions ?? []).map((action) => action.key));
    (stage.actions ?? []).forEach((action, actionIndex) => {
      if (
        action.dueWithinHours !== undefined &&
        !(action.dueWithinHours >= 1 && action.dueWithinHours <= 24 * 365)
      ) {
        rule(
          `${path}.actions.${actionIndex}.dueWithinHours`,
          `标准动作「${action.key}」的完成时限须为 1 小时到 1 年之间（现为 ${action.dueWithinHours}）`,
          `standard action "${action.key}" needs a time limit between 1 hour and a year (it is ${action.dueWithinHours})`,
        );
      }
    });
    (stage.gates ?? []).forEach((gate, gateIndex) => {
      const gatePath = `${path}.gates.${gateIndex}`;
      if (stage.kind !== 'open') {
        rule(
          gatePath,
          `只有进行中的阶段可以设关卡（「${stage.key}」是 ${stage.kind}）`,
          `only open stages have gates ("${stage.key}" is ${stage.kind})`,
        );
      }
      if (
        'minNeeds' in gate &&
        !(Number.isInteger(gate.minNeeds) && gate.minNeeds >= 1 && gate.minNeeds <= 50)
      ) {
        rule(
          `${gatePath}.minNeeds`,
          `关卡要求的核心需求数须为 1–50 之间的整数（现为 ${gate.minNeeds}）`,
          `a gate's number of core needs must be a whole number from 1 to 50 (it is ${gate.minNeeds})`,
        );
      }
      if ('actionsDone' in gate) {
        gate.actionsDone.forEach((key, keyIndex) => {
          if (!actionKeys.has(key)) {
            rule(
              `${gatePath}.actionsDone.${keyIndex}`,
              `关卡要求的标准动作「${key}」不是阶段「${stage.key}」的动作`,
              `the gate asks for the action "${key}", which is not an action of the stage "${stage.key}"`,
            );
          }
        });
      }
    });
  });
}
