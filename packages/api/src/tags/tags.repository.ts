import type { TagColor } from '@crm/db';
import { sql } from 'kysely';
import { violatedConstraint } from '../keyset';
import type { Scope } from '../scope';
import type { TagOutput } from './tags.schemas';

/**
 * Every query of free tags. Functions take the scope first and return rows or counts; they
 * throw nothing of their own but what the database raises (the service decides what a
 * missing row or a taken name means).
 */

const COLUMNS = ['id', 'name', 'color', 'description'] as const;

export function selectTags(scope: Scope): Promise<TagOutput[]> {
  return scope.trx
    .selectFrom('tags')
    .select(COLUMNS)
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('name')
    .execute();
}

/** The new tag, or 'NAME_TAKEN' when the tenant has a tag of that name. */
export async function insertTag(
  scope: Scope,
  values: { name: string; color: TagColor; description: string | null },
): Promise<TagOutput | 'NAME_TAKEN'> {
  return nameTaken(
    scope.trx
      .insertInto('tags')
      .values({ tenant_id: scope.tenantId, ...values, created_by: scope.userId })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow(),
  );
}

/** The changed tag, undefined when there is none with that id, or 'NAME_TAKEN'. */
export async function updateTagRow(
  scope: Scope,
  id: string,
  changes: { name?: string; color?: TagColor; description?: string | null },
): Promise<TagOutput | undefined | 'NAME_TAKEN'> {
  return nameTaken(
    scope.trx
      .updateTable('tags')
      .set(changes)
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirst(),
  );
}

/** Whether a tag was deleted. */
export async function deleteTagRow(scope: Scope, id: string): Promise<boolean> {
  const removed = await scope.trx
    .deleteFrom('tags')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}

/** Takes a tag off every customer that has it (set-based); how many customers changed. */
export async function untagAllCustomers(scope: Scope, id: string): Promise<number> {
  const result = await sql`update customers set tag_ids = array_remove(tag_ids, ${id}::uuid)
    where tenant_id = ${scope.tenantId} and tag_ids @> array[${id}::uuid]`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0);
}

/** How many of `ids` (distinct) are tags of this tenant. */
export async function countTags(scope: Scope, ids: readonly string[]): Promise<number> {
  const found = await scope.trx
    .selectFrom('tags')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', scope.tenantId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(found.n);
}

async function nameTaken<T>(work: Promise<T>): Promise<T | 'NAME_TAKEN'> {
  try {
    return await work;
  } catch (error) {
    if (violatedConstraint(error, '23505')) return 'NAME_TAKEN';
    throw error;
  }
}
