/**
 * The part of JSON Schema (draft 2020-12, as zod 4's `z.toJSONSchema` writes it) that a
 * plugin's settings use, and how its labels, help and units are read.
 *
 * A settings schema names its fields with `.meta({ label: { 'zh-CN', en }, help: { … },
 * unit })`; a field without a bilingual label falls back to its `title`, to a description
 * written as "中文 / English", and last to its key.
 */
export type Bilingual = { 'zh-CN'?: string; en?: string };

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  default?: unknown;
  title?: string;
  description?: string;
  label?: Bilingual | string;
  /** The SDK's name for a bilingual label (`labels: { 'zh-CN', en }`), same as `label`. */
  labels?: Bilingual | string;
  help?: Bilingual | string;
  unit?: Bilingual | string;
  /** Labels of an enum's values: `{ value: { 'zh-CN', en } }`. */
  enumLabels?: Record<string, Bilingual | string>;
  optionLabels?: Record<string, Bilingual | string>;
  /** Display hint: 'percent' shows a number as a percentage. */
  display?: string;
  [key: string]: unknown;
};

export type Language = 'zh-CN' | 'en';

export function languageOf(language: string): Language {
  return language === 'en' ? 'en' : 'zh-CN';
}

function pick(value: Bilingual | string | undefined, language: Language): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return value[language] ?? value['zh-CN'] ?? value.en;
}

/** "中文 / English" → the half in the language asked for. */
function splitBilingual(text: string, language: Language): string {
  const parts = text.split(' / ');
  if (parts.length !== 2) return text;
  const [zh = text, en = text] = parts;
  return language === 'en' ? en.trim() : zh.trim();
}

/** A readable name for a key like `amount12m` or `min_score` when nothing else names it. */
function humanise(key: string): string {
  return key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/^./, (first) => first.toUpperCase());
}

export function labelOf(schema: JsonSchema, key: string, language: Language): string {
  const label = pick(schema.labels, language) ?? pick(schema.label, language);
  if (label) return label;
  if (schema.title) return splitBilingual(schema.title, language);
  if (schema.description && schema.help === undefined) return splitBilingual(schema.description, language);
  return humanise(key);
}

/** Help text: `help` in meta, else the description when the label came from elsewhere. */
export function helpOf(schema: JsonSchema, language: Language): string | undefined {
  const help = pick(schema.help, language);
  if (help) return help;
  const hasLabel = schema.label !== undefined || schema.labels !== undefined || schema.title !== undefined;
  if (hasLabel && schema.description) return splitBilingual(schema.description, language);
  return undefined;
}

export function unitOf(schema: JsonSchema, language: Language): string | undefined {
  const unit = pick(schema.unit, language);
  if (unit) return unit;
  return isPercent(schema) ? '%' : undefined;
}

export function isPercent(schema: JsonSchema): boolean {
  return schema.display === 'percent' || schema.format === 'percent' || schema.unit === '%';
}

export function enumLabel(schema: JsonSchema, value: unknown, language: Language): string {
  const label =
    pick(schema.enumLabels?.[String(value)], language) ??
    pick(schema.optionLabels?.[String(value)], language);
  return label ?? String(value);
}

/** A nullable or optional field's one real branch (`anyOf: [X, { type: 'null' }]`). */
export function unwrap(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && !branches.every((branch) => branch.const !== undefined)) {
    const real = branches.filter((branch) => branch.type !== 'null');
    if (real.length === 1 && real[0]) {
      const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
      return { ...rest, ...real[0] };
    }
  }
  return schema;
}

export type FieldKind = 'object' | 'array' | 'number' | 'integer' | 'enum' | 'boolean' | 'string' | 'unknown';

/** Enum values, from `enum` or from `oneOf`/`anyOf` of consts. */
export function enumValues(schema: JsonSchema): unknown[] | null {
  if (schema.enum) return schema.enum;
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches?.length && branches.every((branch) => branch.const !== undefined)) {
    return branches.map((branch) => branch.const);
  }
  return null;
}

export function kindOf(schema: JsonSchema): FieldKind {
  if (enumValues(schema)) return 'enum';
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return 'object';
    case 'array':
      return 'array';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    default:
      return schema.properties ? 'object' : 'unknown';
  }
}

/** The bounds an input should enforce (JSON Schema's exclusive bounds kept as exclusive). */
export function boundsOf(schema: JsonSchema): { min?: number; max?: number; step?: number } {
  const safe = (value: number | undefined) =>
    value === undefined || Math.abs(value) >= Number.MAX_SAFE_INTEGER ? undefined : value;
  const integer = kindOf(schema) === 'integer';
  const min =
    safe(schema.minimum) ??
    (schema.exclusiveMinimum === undefined
      ? undefined
      : integer
        ? schema.exclusiveMinimum + 1
        : schema.exclusiveMinimum);
  const max =
    safe(schema.maximum) ??
    (schema.exclusiveMaximum === undefined
      ? undefined
      : integer
        ? schema.exclusiveMaximum - 1
        : schema.exclusiveMaximum);
  const step = schema.multipleOf ?? (integer ? 1 : undefined);
  return {
    ...(safe(min) !== undefined && { min: safe(min) }),
    ...(safe(max) !== undefined && { max: safe(max) }),
    ...(step !== undefined && { step }),
  };
}

/** A value to start a new array item from: the item schema's defaults, else empty. */
export function emptyValue(schema: JsonSchema): unknown {
  const real = unwrap(schema);
  if (real.default !== undefined) return structuredClone(real.default);
  switch (kindOf(real)) {
    case 'object':
      return Object.fromEntries(
        Object.entries(real.properties ?? {}).map(([key, child]) => [key, emptyValue(child)]),
      );
    case 'array':
      return [];
    case 'enum':
      return enumValues(real)?.[0];
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

/** The schema of the setting at a dotted path (`weights.amount`, `tiers.0.min`), if any. */
export function schemaAt(schema: JsonSchema, path: string): JsonSchema | undefined {
  let current: JsonSchema | undefined = unwrap(schema);
  for (const part of path.split('.').filter(Boolean)) {
    if (!current) return undefined;
    if (kindOf(current) === 'array') {
      current = /^\d+$/.test(part) && current.items ? unwrap(current.items) : undefined;
      continue;
    }
    const next: JsonSchema | undefined = current.properties?.[part];
    current = next ? unwrap(next) : undefined;
  }
  return current;
}

/** A setting's name for people: the labels along its path, e.g. 「权重 › 近 12 个月交易额」. */
export function labelForPath(schema: JsonSchema, path: string, language: Language): string {
  const parts = path.split('.').filter(Boolean);
  const names: string[] = [];
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index] ?? '';
    if (/^\d+$/.test(part)) {
      names.push(language === 'en' ? `row ${Number(part) + 1}` : `第 ${Number(part) + 1} 行`);
      continue;
    }
    const at = schemaAt(schema, parts.slice(0, index + 1).join('.'));
    names.push(at ? labelOf(at, part, language) : part);
  }
  return names.join(' › ');
}

/** A setting's value for people: numbers with their unit, lists and objects compactly. */
export function formatSettingValue(
  schema: JsonSchema | undefined,
  value: unknown,
  language: Language,
): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    const unit = schema ? unitOf(schema, language) : undefined;
    return `${value.toLocaleString(language)}${unit ? ` ${unit}` : ''}`;
  }
  if (typeof value === 'string')
    return schema && enumValues(schema) ? enumLabel(schema, value, language) : value;
  if (typeof value === 'boolean') return language === 'en' ? (value ? 'yes' : 'no') : value ? '是' : '否';
  if (Array.isArray(value)) {
    const items = schema?.items ? unwrap(schema.items) : undefined;
    return `[${value.map((item) => formatSettingValue(items, item, language)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => {
        const child = schema?.properties?.[key];
        return `${child ? labelOf(unwrap(child), key, language) : key}: ${formatSettingValue(child ? unwrap(child) : undefined, item, language)}`;
      })
      .join(', ')}}`;
  }
  return String(value);
}
