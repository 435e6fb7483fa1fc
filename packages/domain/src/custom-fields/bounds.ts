import { normalizeCreditCode } from '../dedup/credit-code';
import { parseBankCard, parseNationalId } from '../identity';

/*
 * The one rule for a custom field's value: its type, its options and its bounds. The server
 * runs it on every path that writes a value (create, update, imports, the API) and the form
 * runs it while the user types, so a value is refused with the same words everywhere.
 * Pure: no I/O, no zod, the field described structurally (the plugin SDK's
 * `CustomFieldValidation` and a stored definition's `validation` both fit).
 */

export type BoundLabels = { 'zh-CN': string; en: string };

/** The bounds of a custom field's values (every rule optional). */
export type CustomFieldBounds = {
  /** 统一社会信用代码, 居民身份证号 or a Luhn-checked number. */
  checkDigit?: 'credit-code' | 'national-id' | 'luhn';
  /** A regular expression the whole text must match (Unicode mode). */
  pattern?: string;
  /** Shown after the field's name when `pattern` does not match. */
  patternMessage?: BoundLabels;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  integer?: boolean;
  /** A star rating: whole numbers from `min` (default 1) to `max` (default 5). */
  rating?: boolean;
};

export type CustomFieldKind = 'text' | 'number' | 'money' | 'date' | 'enum' | 'multi_enum' | 'boolean';

/** What the rule needs of a field. */
export type CustomFieldRules = {
  type: CustomFieldKind;
  labelZh: string;
  labelEn: string;
  options?: readonly { value: string }[];
  validation?: CustomFieldBounds | null;
};

/** A value as stored: decimals and dates as strings, options by value. */
export type CustomFieldStoredValue = string | boolean | string[] | null;

export type CustomValueProblem =
  | 'TYPE'
  | 'OPTION'
  | 'BELOW_MIN'
  | 'ABOVE_MAX'
  | 'INTEGER'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'PATTERN'
  | 'CHECK_DIGIT';

export type CustomValueResult =
  | { ok: true; value: CustomFieldStoredValue }
  | {
      ok: false;
      problem: CustomValueProblem;
      /** The rule in words, after the field's name: `不能小于 0` / `must be at least 0`. */
      rule: BoundLabels;
      /** The whole message: `员工人数不能小于 0` / `Employees must be at least 0`. */
      message: BoundLabels;
    };

/** Text fields hold at most this many characters. */
export const CUSTOM_TEXT_MAX = 1000;

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
const MONEY = /^\d{1,14}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The number range a number or money field admits, and whether only whole numbers. */
export function numberBounds(rules: Pick<CustomFieldRules, 'type' | 'validation'>): {
  min: number | undefined;
  max: number | undefined;
  integer: boolean;
  rating: boolean;
} {
  const v = rules.validation ?? {};
  const rating = rules.type === 'number' && v.rating === true;
  const min = rating ? (v.min ?? 1) : rules.type === 'money' ? Math.max(v.min ?? 0, 0) : v.min;
  const max = rating ? (v.max ?? 5) : v.max;
  return { min, max, integer: rating || (rules.type === 'number' && v.integer === true), rating };
}

/** A number as people write it in bounds: 10,000,000, 0.5 (no exponent). */
function show(value: number): string {
  const plain = Number.isInteger(value) ? value : Number(value.toFixed(6));
  // Grouped from five digits on (10,000,000), as people read large bounds.
  return Math.abs(plain) >= 10_000
    ? plain.toLocaleString('en-US', { maximumFractionDigits: 6 })
    : String(plain);
}

/**
 * The bounds in a few words for the form's placeholder and help: `0–10,000,000，整数` /
 * `0–10,000,000, whole numbers`; null when the field has none worth showing.
 */
export function describeBounds(rules: Pick<CustomFieldRules, 'type' | 'validation'>): BoundLabels | null {
  const parts: { zh: string; en: string }[] = [];
  if (rules.type === 'number' || rules.type === 'money') {
    const { min, max, integer } = numberBounds(rules);
    if (min !== undefined && max !== undefined)
      parts.push({ zh: `${show(min)}–${show(max)}`, en: `${show(min)}–${show(max)}` });
    else if (min !== undefined) parts.push({ zh: `≥ ${show(min)}`, en: `≥ ${show(min)}` });
    else if (max !== undefined) parts.push({ zh: `≤ ${show(max)}`, en: `≤ ${show(max)}` });
    if (integer) parts.push({ zh: '整数', en: 'whole numbers' });
  }
  if (rules.type === 'text') {
    const v = rules.validation ?? {};
    if (v.minLength !== undefined && v.maxLength !== undefined) {
      parts.push({
        zh: `${v.minLength}–${v.maxLength} 个字`,
        en: `${v.minLength}–${v.maxLength} characters`,
      });
    } else if (v.maxLength !== undefined) {
      parts.push({ zh: `最多 ${v.maxLength} 个字`, en: `at most ${v.maxLength} characters` });
    } else if (v.minLength !== undefined) {
      parts.push({ zh: `至少 ${v.minLength} 个字`, en: `at least ${v.minLength} characters` });
    }
  }
  if (parts.length === 0) return null;
  return { 'zh-CN': parts.map((part) => part.zh).join('，'), en: parts.map((part) => part.en).join(', ') };
}

const TYPE_RULE: Record<CustomFieldKind, BoundLabels> = {
  text: {
    'zh-CN': `须为不超过 ${CUSTOM_TEXT_MAX} 字的文本`,
    en: `must be text of at most ${CUSTOM_TEXT_MAX} characters`,
  },
  number: { 'zh-CN': '须为数字', en: 'must be a number' },
  money: {
    'zh-CN': '须为金额，不能为负，最多两位小数',
    en: 'must be an amount, not negative, with at most two decimals',
  },
  date: { 'zh-CN': '须为有效日期', en: 'must be a valid date' },
  enum: { 'zh-CN': '须为给定选项之一', en: 'must be one of the listed options' },
  multi_enum: { 'zh-CN': '须为给定选项，且不重复', en: 'must be listed options, each once' },
  boolean: { 'zh-CN': '须为“是”或“否”', en: 'must be yes or no' },
};

const CHECK_DIGIT_RULE: Record<NonNullable<CustomFieldBounds['checkDigit']>, BoundLabels> = {
  'credit-code': {
    'zh-CN': '不是有效的统一社会信用代码（18 位，校验位正确）',
    en: 'is not a valid unified social credit code (18 characters with a correct check character)',
  },
  'national-id': {
    'zh-CN': '不是有效的身份证号（18 位，校验位正确）',
    en: 'is not a valid national ID number (18 characters with a correct check character)',
  },
  luhn: {
    'zh-CN': '不是有效的卡号（校验位不正确）',
    en: 'is not a valid card number (wrong check digit)',
  },
};

function refuse(rules: CustomFieldRules, problem: CustomValueProblem, rule: BoundLabels): CustomValueResult {
  return {
    ok: false,
    problem,
    rule,
    message: { 'zh-CN': `${rules.labelZh}${rule['zh-CN']}`, en: `${rules.labelEn} ${rule.en}` },
  };
}

function isValidDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** Whether a value counts as not given (null, blank text, an empty list). */
export function isEmptyCustomValue(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function checkNumber(rules: CustomFieldRules, value: unknown): CustomValueResult {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const pattern = rules.type === 'money' ? MONEY : DECIMAL;
  if (typeof text !== 'string' || !pattern.test(text.trim())) {
    // A negative amount says which bound it breaks.
    if (rules.type === 'money' && typeof text === 'string' && DECIMAL.test(text.trim()) && Number(text) < 0) {
      return refuse(rules, 'BELOW_MIN', {
        'zh-CN': `不能小于 ${show(numberBounds(rules).min ?? 0)}`,
        en: `must be at least ${show(numberBounds(rules).min ?? 0)}`,
      });
    }
    return refuse(rules, 'TYPE', TYPE_RULE[rules.type]);
  }
  const stored = text.trim();
  const numeric = Number(stored);
  const { min, max, integer, rating } = numberBounds(rules);
  if (integer && !Number.isInteger(numeric)) {
    return refuse(
      rules,
      'INTEGER',
      rating
        ? {
            'zh-CN': `须为 ${show(min ?? 1)}–${show(max ?? 5)} 的整数评分`,
            en: `must be a whole rating from ${show(min ?? 1)} to ${show(max ?? 5)}`,
          }
        : { 'zh-CN': '须为整数', en: 'must be a whole number' },
    );
  }
  if (min !== undefined && numeric < min) {
    return refuse(rules, 'BELOW_MIN', {
      'zh-CN': `不能小于 ${show(min)}`,
      en: `must be at least ${show(min)}`,
    });
  }
  if (max !== undefined && numeric > max) {
    return refuse(rules, 'ABOVE_MAX', {
      'zh-CN': `不能大于 ${show(max)}`,
      en: `must be at most ${show(max)}`,
    });
  }
  return { ok: true, value: stored };
}

function checkText(rules: CustomFieldRules, value: unknown): CustomValueResult {
  if (typeof value !== 'string') return refuse(rules, 'TYPE', TYPE_RULE.text);
  let text = value.trim();
  const v = rules.validation ?? {};
  const length = [...text].length;
  if (length > Math.min(v.maxLength ?? CUSTOM_TEXT_MAX, CUSTOM_TEXT_MAX)) {
    const max = Math.min(v.maxLength ?? CUSTOM_TEXT_MAX, CUSTOM_TEXT_MAX);
    return refuse(rules, 'TOO_LONG', {
      'zh-CN': `最多 ${max} 个字`,
      en: `must have at most ${max} characters`,
    });
  }
  if (v.minLength !== undefined && length < v.minLength) {
    return refuse(rules, 'TOO_SHORT', {
      'zh-CN': `至少 ${v.minLength} 个字`,
      en: `must have at least ${v.minLength} characters`,
    });
  }
  if (v.checkDigit) {
    const normalized =
      v.checkDigit === 'credit-code'
        ? normalizeCreditCode(text)
        : v.checkDigit === 'national-id'
          ? (() => {
              const parsed = parseNationalId(text);
              return parsed.ok ? parsed.value : null;
            })()
          : (() => {
              const parsed = parseBankCard(text);
              return parsed.ok ? parsed.value : null;
            })();
    if (!normalized) return refuse(rules, 'CHECK_DIGIT', CHECK_DIGIT_RULE[v.checkDigit]);
    text = normalized;
  }
  if (v.pattern !== undefined) {
    let matches = false;
    try {
      matches = new RegExp(`^(?:${v.pattern})$`, 'u').test(text);
    } catch {
      matches = false;
    }
    if (!matches) {
      return refuse(
        rules,
        'PATTERN',
        v.patternMessage ?? { 'zh-CN': '格式不正确', en: 'is not in the expected format' },
      );
    }
  }
  return { ok: true, value: text };
}

/**
 * One value of a custom field, checked against its type, options and bounds: the stored form
 * (decimals as strings, text trimmed, check-digit codes normalised), or why not in both
 * languages. Call it with a non-empty value; whether a field may be empty is the caller's
 * rule (required fields).
 */
export function checkCustomFieldValue(rules: CustomFieldRules, value: unknown): CustomValueResult {
  const optionValues = new Set((rules.options ?? []).map((option) => option.value));
  switch (rules.type) {
    case 'text':
      return checkText(rules, value);
    case 'number':
    case 'money':
      return checkNumber(rules, value);
    case 'date':
      if (typeof value !== 'string' || !isValidDate(value)) return refuse(rules, 'TYPE', TYPE_RULE.date);
      return { ok: true, value };
    case 'enum':
      if (typeof value !== 'string' || !optionValues.has(value))
        return refuse(rules, 'OPTION', TYPE_RULE.enum);
      return { ok: true, value };
    case 'multi_enum': {
      if (!Array.isArray(value) || value.length > 100) return refuse(rules, 'OPTION', TYPE_RULE.multi_enum);
      const picked = value.filter(
        (item): item is string => typeof item === 'string' && optionValues.has(item),
      );
      if (picked.length !== value.length || new Set(picked).size !== picked.length) {
        return refuse(rules, 'OPTION', TYPE_RULE.multi_enum);
      }
      return { ok: true, value: picked };
    }
    case 'boolean':
      if (typeof value !== 'boolean') return refuse(rules, 'TYPE', TYPE_RULE.boolean);
      return { ok: true, value };
  }
}

/**
 * What an administrator's bounds for a field of this type get wrong, in both languages (the
 * tenant's custom field settings and the plugin SDK ask the same): rules of another type,
 * a minimum above the maximum, a pattern that is not a regular expression.
 */
export function boundsProblem(type: CustomFieldKind, bounds: CustomFieldBounds): BoundLabels | null {
  const numeric = type === 'number' || type === 'money';
  if (!numeric && (bounds.min !== undefined || bounds.max !== undefined)) {
    return {
      'zh-CN': '只有数字和金额字段可以设置最小值和最大值',
      en: 'Only number and money fields take a minimum and a maximum',
    };
  }
  if (type !== 'number' && (bounds.integer || bounds.rating)) {
    return {
      'zh-CN': '只有数字字段可以设为整数或评分',
      en: 'Only number fields can be whole numbers or ratings',
    };
  }
  if (
    type !== 'text' &&
    (bounds.pattern !== undefined ||
      bounds.minLength !== undefined ||
      bounds.maxLength !== undefined ||
      bounds.checkDigit !== undefined)
  ) {
    return {
      'zh-CN': '只有文本字段可以设置长度、格式和校验位',
      en: 'Only text fields take a length, a pattern or a check digit',
    };
  }
  if (bounds.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max) {
    return { 'zh-CN': '最小值不能大于最大值', en: 'The minimum cannot be above the maximum' };
  }
  if (
    bounds.minLength !== undefined &&
    bounds.maxLength !== undefined &&
    bounds.minLength > bounds.maxLength
  ) {
    return {
      'zh-CN': '最短长度不能大于最长长度',
      en: 'The minimum length cannot be above the maximum length',
    };
  }
  if (bounds.rating) {
    const min = bounds.min ?? 1;
    const max = bounds.max ?? 5;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 10 || min >= max) {
      return {
        'zh-CN': '评分的最小值和最大值须为 0–10 之间的整数，且最小值小于最大值',
        en: 'A rating’s minimum and maximum must be whole numbers from 0 to 10, the minimum below the maximum',
      };
    }
  }
  if (bounds.patternMessage !== undefined && bounds.pattern === undefined) {
    return { 'zh-CN': '填写了格式提示，但没有格式（正则表达式）', en: 'A pattern message needs a pattern' };
  }
  if (bounds.pattern !== undefined) {
    try {
      new RegExp(bounds.pattern, 'u');
    } catch {
      return { 'zh-CN': '格式不是有效的正则表达式', en: 'The pattern is not a valid regular expression' };
    }
  }
  return null;
}
