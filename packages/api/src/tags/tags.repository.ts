import type { Database, TagColor, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { appError } from '../errors';
import { violatedConstraint } from '../keyset';

async function uniqueName<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (violatedConstraint(error, '23505')) throw appError('TAG_NAME_TAKEN', {}, 'name');
    throw error;
  }
}

export function listTags(trx: Transaction<Database>, tenantId: string) {
  return trx
    .selectFrom('tags')
    .select(['id', 'name', 'color', 'description'])
    .where('tenant_id', '=', tenantId)
    .orderBy('name')
    .execute();
}

export function insertTag(
  trx: Transaction<Database>,
  tenantId: string,
  userId: string,
  input: { name: string; color: TagColor; description?: string | null },
) {
  return uniqueName(
    trx
      .insertInto('tags')
      .values({
        tenant_id: tenantId,
        name: input.name,
        color: input.color,
        description: input.description ?? null,
        created_by: userId,
      })
      .returning(['id', 'name', 'color', 'description'])
      .executeTakeFirstOrThrow(),
  );
}

export async function updateTag(
  trx: Transaction<Database>,
  tenantId: string,
  input: { id: string; name?: string; color?: TagColor; description?: string | null },
) {
  const { id, ...changes } = input;
  const row = await uniqueName(
    trx
      .updateTable('tags')
      .set(changes)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning(['id', 'name', 'color', 'description'])
      .executeTakeFirst(),
  );
  if (!row) throw appError('TAG_NOT_FOUND');
  return row;
}

/** Deletes a tag and takes it off every customer, in one transaction. */
export async function deleteTag(trx: Transaction<Database>, tenantId: string, id: string) {
  const removed = await trx
    .deleteFrom('tags')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) throw appError('TAG_NOT_FOUND');
  const result = await sql`update customers set tag_ids = array_remove(tag_ids, ${id}::uuid)
    where tenant_id = ${tenantId} and tag_ids @> array[${id}::uuid]`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Refuses ids that are not tags of this tenant (all or nothing). */
export async function assertTagsExist(
  trx: Transaction<Database>,
  tenantId: string,
  ids: string[],
  field: string,
) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  const found = await trx
    .selectFrom('tags')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', unique)
    .executeTakeFirstOrThrow();
  if (Number(found.n) !== unique.length) throw appError('TAG_NOT_FOUND', {}, field);
  return unique;
}

/**
 * Adds and removes free tags on many customers in one statement, over the ones the member
 * sees; returns how many rows it touched (customers that already had the change count too).
 */
export async function retagCustomers(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  ids: string[],
  add: string[],
  remove: string[],
) {
  const result = await trx
    .updateTable('customers')
    .set({
      tag_ids: sql<string[]>`array(
        select distinct t from unnest(customers.tag_ids || ${add}::uuid[]) t
        where not (t = any(${remove}::uuid[])) order by t)`,
      updated_at: sql<Date>`now()`,
    })
    .where('customers.tenant_id', '=', tenantId)
    .where('customers.id', 'in', ids)
    .where(visibleCustomer(access))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
