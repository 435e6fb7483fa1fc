import type { CustomFieldDefinition } from '@crm/db';
import { boundsProblem } from '@crm/domain';
import { coreFieldShadowedBy, jsonEqual } from '@crm/plugin-sdk';
import { refreshCompleteness } from '../customers/completeness.repository';
import { appError } from '../errors';
import type { Scope } from '../scope';
import {
  countSecretValues,
  countValues,
  insertDefinition,
  removeCompletenessWeight,
  selectDefinition,
  selectDefinitions,
  setDefinitionArchived,
  updateDefinitionRow,
} from './custom-fields.repository';
import type {
  CreateCustomFieldInput,
  CustomFieldOutput,
  UpdateCustomFieldInput,
} from './custom-fields.schemas';

/**
 * Tenant-defined fields on customers (plugins add theirs through the same table). A field's
 * values live on the customers (or, for a sensitive field, encrypted beside them): a field
 * holding values cannot change its type or side, and an option in use cannot go.
 */

function toOutput(row: CustomFieldDefinition): CustomFieldOutput {
  return {
    id: row.id,
    key: row.key,
    labelZh: row.label_zh,
    labelEn: row.label_en,
    type: row.type,
    options: row.options,
    required: row.required,
    position: row.position,
    source: row.source,
    archived: row.archived_at !== null,
    sensitive: row.sensitive,
    validation: row.validation ?? {},
  };
}

/** Bounds that fit the field's type (`boundsProblem`, the rule plugins follow too). */
function checkBounds(
  type: CustomFieldDefinition['type'],
  bounds: CustomFieldDefinition['validation'],
): CustomFieldDefinition['validation'] {
  const problem = boundsProblem(type, bounds);
  if (problem) {
    throw appError(
      'CUSTOM_FIELD_BOUNDS_INVALID',
      { problemZh: problem['zh-CN'], problemEn: problem.en },
      'validation',
    );
  }
  return bounds;
}

/** A tenant's field may not repeat a core field (统一社会信用代码, 身份证号 …): it would be offered twice. */
function refuseCoreShadow(labelZh: string, labelEn: string, key?: string): void {
  const shadowed = coreFieldShadowedBy({ key: key ?? '', labels: { 'zh-CN': labelZh, en: labelEn } });
  if (shadowed) {
    throw appError(
      'CUSTOM_FIELD_SHADOWS_CORE',
      { label: shadowed.labels['zh-CN'], labelEn: shadowed.labels.en },
      key !== undefined && shadowed.key === key ? 'key' : 'labelZh',
    );
  }
}

/** The options a field of this type keeps: choice fields need distinct values, other fields none. */
function checkOptions<T extends { value: string }>(type: CustomFieldDefinition['type'], options: T[]): T[] {
  const choice = type === 'enum' || type === 'multi_enum';
  const values = options.map((option) => option.value);
  if (choice && (values.length === 0 || new Set(values).size !== values.length)) {
    throw appError('CUSTOM_FIELD_OPTIONS_REQUIRED', {}, 'options');
  }
  return choice ? options : [];
}

async function definitionOrThrow(scope: Scope, id: string): Promise<CustomFieldDefinition> {
  const row = await selectDefinition(scope, id);
  if (!row) throw appError('CUSTOM_FIELD_DEFINITION_NOT_FOUND');
  return row;
}

/** The tenant's definitions as stored, in form order (for other capabilities: forms, imports, filters). */
export function listDefinitions(scope: Scope): Promise<CustomFieldDefinition[]> {
  return selectDefinitions(scope);
}

export async function listCustomFields(scope: Scope): Promise<CustomFieldOutput[]> {
  return (await selectDefinitions(scope)).map(toOutput);
}

export async function createCustomField(
  scope: Scope,
  input: CreateCustomFieldInput,
  source: 'tenant' | 'plugin' = 'tenant',
): Promise<CustomFieldOutput> {
  if (input.sensitive && input.type !== 'text')
    throw appError('CUSTOM_FIELD_SENSITIVE_TEXT_ONLY', {}, 'sensitive');
  if (source === 'tenant') refuseCoreShadow(input.labelZh, input.labelEn, input.key);
  const validation = checkBounds(input.type, input.validation ?? {});
  const row = await insertDefinition(
    scope,
    {
      key: input.key,
      labelZh: input.labelZh,
      labelEn: input.labelEn,
      type: input.type,
      options: checkOptions(input.type, input.options),
      required: input.required,
      position: input.position,
      sensitive: input.sensitive ?? false,
      validation,
    },
    source,
  );
  if (row === 'KEY_TAKEN') throw appError('CUSTOM_FIELD_KEY_TAKEN', {}, 'key');
  return toOutput(row);
}

export async function updateCustomField(
  scope: Scope,
  input: UpdateCustomFieldInput,
): Promise<CustomFieldOutput> {
  const current = await definitionOrThrow(scope, input.id);
  const type = input.type ?? current.type;
  if (type !== current.type && (await countValues(scope, current.key)) > 0) {
    throw appError('CUSTOM_FIELD_TYPE_LOCKED', {}, 'type');
  }
  const sensitive = input.sensitive ?? current.sensitive;
  if (sensitive && type !== 'text') throw appError('CUSTOM_FIELD_SENSITIVE_TEXT_ONLY', {}, 'sensitive');
  // Values already stored stay where they are (plaintext in the row and its history, or
  // encrypted): a field holding values cannot change sides.
  if (
    sensitive !== current.sensitive &&
    (await countSecretValues(scope, current.key)) + (await countValues(scope, current.key)) > 0
  ) {
    throw appError('CUSTOM_FIELD_SENSITIVE_LOCKED', {}, 'sensitive');
  }
  let options = current.options;
  if (input.options !== undefined || type !== current.type) {
    options = checkOptions(type, input.options ?? current.options);
    if (type === current.type) {
      const kept = new Set(options.map((option) => option.value));
      for (const removed of current.options.filter((option) => !kept.has(option.value))) {
        if ((await countValues(scope, current.key, removed.value)) > 0) {
          throw appError('CUSTOM_FIELD_OPTION_IN_USE', { value: removed.value }, 'options');
        }
      }
    }
  }
  if (current.source === 'tenant' && (input.labelZh !== undefined || input.labelEn !== undefined)) {
    refuseCoreShadow(input.labelZh ?? current.label_zh, input.labelEn ?? current.label_en);
  }
  if (
    current.source === 'plugin' &&
    input.validation !== undefined &&
    !jsonEqual(input.validation, current.validation)
  ) {
    // The industry plugin sets its fields' bounds (and restores them at every start).
    throw appError(
      'CUSTOM_FIELD_BOUNDS_INVALID',
      {
        problemZh: '行业插件的字段由插件设定取值范围',
        problemEn: 'an industry plugin sets the bounds of its fields',
      },
      'validation',
    );
  }
  const validation = checkBounds(type, input.validation ?? (type === current.type ? current.validation : {}));
  const row = await updateDefinitionRow(scope, input.id, {
    labelZh: input.labelZh ?? current.label_zh,
    labelEn: input.labelEn ?? current.label_en,
    type,
    options,
    required: input.required ?? current.required,
    position: input.position ?? current.position,
    sensitive,
    validation,
  });
  return toOutput(row);
}

/**
 * Retires a field or brings it back. Values stay on the customers; a retired field leaves
 * the forms, filters and the completeness key fields (and everyone's completeness moves
 * with it).
 */
export async function archiveCustomField(
  scope: Scope,
  id: string,
  archived: boolean,
): Promise<CustomFieldOutput> {
  const current = await definitionOrThrow(scope, id);
  if (archived) await removeCompletenessWeight(scope, current.key);
  const row = await setDefinitionArchived(scope, id, archived);
  // A retired field may have been a key field: everyone's completeness moves with it.
  if (archived) await refreshCompleteness(scope, 'all');
  return toOutput(row);
}
