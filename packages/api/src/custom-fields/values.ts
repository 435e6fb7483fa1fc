import type { CustomFieldDefinition, CustomFieldValue } from '@crm/db';
import { appError } from '../errors';

type Definition = Pick<
  CustomFieldDefinition,
  'key' | 'label_zh' | 'label_en' | 'type' | 'options' | 'required' | 'archived_at'
>;

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
const MONEY = /^\d{1,14}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What a value of each type must look like, for the error message. */
const EXPECTED: Record<Definition['type'], { zh: string; en: string }> = {
  text: { zh: '须为不超过 1000 字的文本', en: 'enter text of at most 1000 characters' },
  number: { zh: '须为数字', en: 'enter a number' },
  money: { zh: '须为金额，最多两位小数', en: 'enter an amount with at most two decimals' },
  date: { zh: '须为有效日期', en: 'enter a valid date' },
  enum: { zh: '须为给定选项之一', en: 'choose one of the listed options' },
  multi_enum: { zh: '须为给定选项，且不重复', en: 'choose listed options, each once' },
  boolean: { zh: '须为“是”或“否”', en: 'choose yes or no' },
};

/** The label in both languages, as error message parameters. */
export function labelParams(definition: Pick<Definition, 'label_zh' | 'label_en'>) {
  return { label: definition.label_zh, labelEn: definition.label_en };
}

function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

function invalid(definition: Definition) {
  return appError(
    'CUSTOM_FIELD_INVALID',
    {
      ...labelParams(definition),
      expectedZh: EXPECTED[definition.type].zh,
      expectedEn: EXPECTED[definition.type].en,
    },
    `customFields.${definition.key}`,
  );
}

function isValidDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** One value in its stored form: decimals and dates as strings, options by value. */
function normalize(definition: Definition, value: unknown): CustomFieldValue {
  const optionValues = new Set(definition.options.map((option) => option.value));
  switch (definition.type) {
    case 'text':
      if (typeof value !== 'string' || value.trim().length > 1000) throw invalid(definition);
      return value.trim();
    case 'number': {
      const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
      if (typeof text !== 'string' || !DECIMAL.test(text.trim())) throw invalid(definition);
      return text.trim();
    }
    case 'money': {
      const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
      if (typeof text !== 'string' || !MONEY.test(text.trim())) throw invalid(definition);
      return text.trim();
    }
    case 'date':
      if (typeof value !== 'string' || !isValidDate(value)) throw invalid(definition);
      return value;
    case 'enum':
      if (typeof value !== 'string' || !optionValues.has(value)) throw invalid(definition);
      return value;
    case 'multi_enum': {
      if (!Array.isArray(value) || value.length > 100) throw invalid(definition);
      const picked = value.filter(
        (item): item is string => typeof item === 'string' && optionValues.has(item),
      );
      if (picked.length !== value.length || new Set(picked).size !== picked.length) throw invalid(definition);
      return picked;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(definition);
      return value;
  }
}

/**
 * Validates custom field values against the tenant's definitions and returns them in stored
 * form, with null for a value being cleared. On create, every required field must be given;
 * on update, a required field cannot be cleared.
 */
export function validateCustomValues(
  definitions: Definition[],
  values: Record<string, unknown>,
  mode: 'create' | 'update',
): Record<string, CustomFieldValue> {
  const byKey = new Map(definitions.filter((d) => d.archived_at === null).map((d) => [d.key, d]));
  const stored: Record<string, CustomFieldValue> = {};
  for (const [key, value] of Object.entries(values)) {
    const definition = byKey.get(key);
    if (!definition) throw appError('CUSTOM_FIELD_NOT_FOUND', { key }, `customFields.${key}`);
    if (isEmpty(value)) {
      if (definition.required) {
        throw appError('CUSTOM_FIELD_REQUIRED', labelParams(definition), `customFields.${key}`);
      }
      stored[key] = null;
    } else {
      stored[key] = normalize(definition, value);
    }
  }
  if (mode === 'create') {
    for (const definition of byKey.values()) {
      if (definition.required && isEmpty(stored[definition.key])) {
        throw appError('CUSTOM_FIELD_REQUIRED', labelParams(definition), `customFields.${definition.key}`);
      }
    }
  }
  return stored;
}
