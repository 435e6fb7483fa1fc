import type { CustomFieldDefinition, Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { appError } from '../errors';
import { violatedConstraint } from '../keyset';
import type {
  CreateCustomFieldInput,
  CustomFieldOutput,
  UpdateCustomFieldInput,
} from './custom-fields.schemas';

export function toCustomFieldOutput(row: CustomFieldDefinition): CustomFieldOutput {
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
  };
}

/** The tenant's definitions, in form order; archived ones too (their values stay readable). */
export function listCustomFieldDefinitions(trx: Transaction<Database>, tenantId: string) {
  return trx
    .selectFrom('custom_field_definitions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
}

export async function findDefinitionByKey(trx: Transaction<Database>, tenantId: string, key: string) {
  return trx
    .selectFrom('custom_field_definitions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .executeTakeFirst();
}

function checkOptions<T extends { value: string }>(type: CustomFieldDefinition['type'], options: T[]): T[] {
  const choice = type === 'enum' || type === 'multi_enum';
  const values = options.map((option) => option.value);
  if (choice && (values.length === 0 || new Set(values).size !== values.length)) {
    throw appError('CUSTOM_FIELD_OPTIONS_REQUIRED', {}, 'options');
  }
  return choice ? options : [];
}

export async function insertCustomField(
  trx: Transaction<Database>,
  tenantId: string,
  input: CreateCustomFieldInput,
  source: 'tenant' | 'plugin' = 'tenant',
) {
  if (input.sensitive && input.type !== 'text')
    throw appError('CUSTOM_FIELD_SENSITIVE_TEXT_ONLY', {}, 'sensitive');
  try {
    return await trx
      .insertInto('custom_field_definitions')
      .values({
        tenant_id: tenantId,
        key: input.key,
        label_zh: input.labelZh,
        label_en: input.labelEn,
        type: input.type,
        options: JSON.stringify(checkOptions(input.type, input.options)),
        required: input.required,
        position: input.position,
        sensitive: input.sensitive ?? false,
        source,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (violatedConstraint(error, '23505')) throw appError('CUSTOM_FIELD_KEY_TAKEN', {}, 'key');
    throw error;
  }
}

async function getDefinition(trx: Transaction<Database>, tenantId: string, id: string) {
  const row = await trx
    .selectFrom('custom_field_definitions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw appError('CUSTOM_FIELD_DEFINITION_NOT_FOUND');
  return row;
}

/** How many of the tenant's customers hold a value for the key (optionally: this option value). */
async function countValues(trx: Transaction<Database>, tenantId: string, key: string, option?: string) {
  const condition =
    option === undefined
      ? sql`custom_fields ? ${key}`
      : sql`(custom_fields -> ${key} = to_jsonb(${option}::text) or custom_fields -> ${key} @> jsonb_build_array(${option}::text))`;
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from customers where tenant_id = ${tenantId} and ${condition}`.execute(trx);
  return rows[0]?.n ?? 0;
}

/** Values of the key in the customers' rows and encrypted ones. */
async function countValuesAnywhere(trx: Transaction<Database>, tenantId: string, key: string) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from customer_secrets where tenant_id = ${tenantId} and field = ${`custom:${key}`}`.execute(
    trx,
  );
  return (rows[0]?.n ?? 0) + (await countValues(trx, tenantId, key));
}

export async function updateCustomField(
  trx: Transaction<Database>,
  tenantId: string,
  input: UpdateCustomFieldInput,
) {
  const current = await getDefinition(trx, tenantId, input.id);
  const type = input.type ?? current.type;
  if (type !== current.type && (await countValues(trx, tenantId, current.key)) > 0) {
    throw appError('CUSTOM_FIELD_TYPE_LOCKED', {}, 'type');
  }
  const sensitive = input.sensitive ?? current.sensitive;
  if (sensitive && type !== 'text') throw appError('CUSTOM_FIELD_SENSITIVE_TEXT_ONLY', {}, 'sensitive');
  // Values already stored stay where they are (plaintext in the row and its history, or
  // encrypted): a field holding values cannot change sides.
  if (sensitive !== current.sensitive && (await countValuesAnywhere(trx, tenantId, current.key)) > 0) {
    throw appError('CUSTOM_FIELD_SENSITIVE_LOCKED', {}, 'sensitive');
  }
  let options = current.options;
  if (input.options !== undefined || type !== current.type) {
    options = checkOptions(type, input.options ?? current.options);
    if (type === current.type) {
      const kept = new Set(options.map((option) => option.value));
      for (const removed of current.options.filter((option) => !kept.has(option.value))) {
        if ((await countValues(trx, tenantId, current.key, removed.value)) > 0) {
          throw appError('CUSTOM_FIELD_OPTION_IN_USE', { value: removed.value }, 'options');
        }
      }
    }
  }
  return trx
    .updateTable('custom_field_definitions')
    .set({
      label_zh: input.labelZh ?? current.label_zh,
      label_en: input.labelEn ?? current.label_en,
      type,
      options: JSON.stringify(options),
      required: input.required ?? current.required,
      position: input.position ?? current.position,
      sensitive,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Retires a field or brings it back. Values stay on the customers; a retired field leaves
 * the forms, filters and the completeness key fields.
 */
export async function setCustomFieldArchived(
  trx: Transaction<Database>,
  tenantId: string,
  id: string,
  archived: boolean,
) {
  const current = await getDefinition(trx, tenantId, id);
  if (archived) {
    await sql`update tenants set completeness_weights = completeness_weights - ${`custom:${current.key}`}::text
      where id = ${tenantId}`.execute(trx);
  }
  return trx
    .updateTable('custom_field_definitions')
    .set({ archived_at: archived ? sql<Date>`coalesce(archived_at, now())` : null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
