import type { CustomFieldDefinition, CustomFieldValue } from '@crm/db';
import { type CustomFieldRules, checkCustomFieldValue, isEmptyCustomValue } from '@crm/domain';
import { appError } from '../errors';

type Definition = Pick<
  CustomFieldDefinition,
  'key' | 'label_zh' | 'label_en' | 'type' | 'options' | 'required' | 'archived_at' | 'validation'
>;

/** The label in both languages, as error message parameters. */
export function labelParams(definition: Pick<Definition, 'label_zh' | 'label_en'>) {
  return { label: definition.label_zh, labelEn: definition.label_en };
}

/** What the one value rule (`checkCustomFieldValue` in @crm/domain) needs of a stored definition. */
export function rulesOf(definition: Omit<Definition, 'required' | 'archived_at' | 'key'>): CustomFieldRules {
  return {
    type: definition.type,
    labelZh: definition.label_zh,
    labelEn: definition.label_en,
    options: definition.options,
    validation: definition.validation ?? {},
  };
}

/**
 * One value in its stored form, or the error naming the field and the bound it breaks in
 * words ("员工人数不能小于 0" / "Employees must be at least 0").
 */
function normalize(definition: Definition, value: unknown): CustomFieldValue {
  const result = checkCustomFieldValue(rulesOf(definition), value);
  if (result.ok) return result.value;
  const field = `customFields.${definition.key}`;
  if (result.problem === 'TYPE' || result.problem === 'OPTION') {
    throw appError(
      'CUSTOM_FIELD_INVALID',
      { ...labelParams(definition), expectedZh: result.rule['zh-CN'], expectedEn: result.rule.en },
      field,
    );
  }
  throw appError(
    'CUSTOM_FIELD_OUT_OF_BOUNDS',
    { ...labelParams(definition), ruleZh: result.rule['zh-CN'], ruleEn: result.rule.en },
    field,
  );
}

/**
 * Validates custom field values against the tenant's definitions and returns them in stored
 * form, with null for a value being cleared. On create, every required field must be given;
 * on update, a required field cannot be cleared. The same rule as imports (plans/customers)
 * and the form: `checkCustomFieldValue`.
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
    if (isEmptyCustomValue(value)) {
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
      if (definition.required && isEmptyCustomValue(stored[definition.key])) {
        throw appError('CUSTOM_FIELD_REQUIRED', labelParams(definition), `customFields.${definition.key}`);
      }
    }
  }
  return stored;
}
