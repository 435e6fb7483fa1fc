import type { CustomFieldDefinition, Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { violatedConstraint } from '../keyset';
import { jobScope, type Scope } from '../scope';

/**
 * Every query of custom field definitions. Functions take the scope first and return rows or
 * counts; they throw nothing of their own but what the database raises (the service decides
 * what a missing definition or a taken key means).
 */

/** The tenant's definitions, in form order; archived ones too (their values stay readable). */
export function selectDefinitions(scope: Scope): Promise<CustomFieldDefinition[]> {
  return scope.trx
    .selectFrom('custom_field_definitions')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
}

/**
 * The tenant's definitions, in form order.
 * @deprecated Kept for callers not yet on the scope: use `listDefinitions(scope)` from
 * custom-fields.service.
 */
export function listCustomFieldDefinitions(
  trx: Transaction<Database>,
  tenantId: string,
): Promise<CustomFieldDefinition[]> {
  return selectDefinitions(jobScope(trx, tenantId));
}

export function selectDefinitionByKey(scope: Scope, key: string): Promise<CustomFieldDefinition | undefined> {
  return scope.trx
    .selectFrom('custom_field_definitions')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('key', '=', key)
    .executeTakeFirst();
}

export function selectDefinition(scope: Scope, id: string): Promise<CustomFieldDefinition | undefined> {
  return scope.trx
    .selectFrom('custom_field_definitions')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export type DefinitionValues = {
  key: string;
  labelZh: string;
  labelEn: string;
  type: CustomFieldDefinition['type'];
  options: CustomFieldDefinition['options'];
  required: boolean;
  position: number;
  sensitive: boolean;
  validation: CustomFieldDefinition['validation'];
};

/** The new definition, or 'KEY_TAKEN' when the tenant has a field with that key. */
export async function insertDefinition(
  scope: Scope,
  values: DefinitionValues,
  source: 'tenant' | 'plugin',
): Promise<CustomFieldDefinition | 'KEY_TAKEN'> {
  try {
    return await scope.trx
      .insertInto('custom_field_definitions')
      .values({
        tenant_id: scope.tenantId,
        key: values.key,
        label_zh: values.labelZh,
        label_en: values.labelEn,
        type: values.type,
        options: JSON.stringify(values.options),
        required: values.required,
        position: values.position,
        sensitive: values.sensitive,
        validation: JSON.stringify(values.validation),
        source,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (violatedConstraint(error, '23505')) return 'KEY_TAKEN';
    throw error;
  }
}

/** How many of the tenant's customers hold a value for the key (optionally: this option value). */
export async function countValues(scope: Scope, key: string, option?: string): Promise<number> {
  const condition =
    option === undefined
      ? sql`custom_fields ? ${key}`
      : sql`(custom_fields -> ${key} = to_jsonb(${option}::text) or custom_fields -> ${key} @> jsonb_build_array(${option}::text))`;
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from customers where tenant_id = ${scope.tenantId} and ${condition}`.execute(
    scope.trx,
  );
  return rows[0]?.n ?? 0;
}

/** How many encrypted values of the key the tenant's customers hold. */
export async function countSecretValues(scope: Scope, key: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from customer_secrets where tenant_id = ${scope.tenantId} and field = ${`custom:${key}`}`.execute(
    scope.trx,
  );
  return rows[0]?.n ?? 0;
}

/** Writes a definition's changeable columns; the changed definition. */
export function updateDefinitionRow(
  scope: Scope,
  id: string,
  values: Omit<DefinitionValues, 'key'>,
): Promise<CustomFieldDefinition> {
  return scope.trx
    .updateTable('custom_field_definitions')
    .set({
      label_zh: values.labelZh,
      label_en: values.labelEn,
      type: values.type,
      options: JSON.stringify(values.options),
      required: values.required,
      position: values.position,
      sensitive: values.sensitive,
      validation: JSON.stringify(values.validation),
    })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Takes a field out of the tenant's completeness key fields. */
export async function removeCompletenessWeight(scope: Scope, key: string): Promise<void> {
  await sql`update tenants set completeness_weights = completeness_weights - ${`custom:${key}`}::text
      where id = ${scope.tenantId}`.execute(scope.trx);
}

/** Retires a definition (keeping when it first was) or brings it back; the changed definition. */
export function setDefinitionArchived(
  scope: Scope,
  id: string,
  archived: boolean,
): Promise<CustomFieldDefinition> {
  return scope.trx
    .updateTable('custom_field_definitions')
    .set({ archived_at: archived ? sql<Date>`coalesce(archived_at, now())` : null })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
