import type { SavedView } from '@crm/db';
import type { SavedViewList } from '@crm/domain';
import { sql } from 'kysely';
import { violatedConstraint } from '../keyset';
import type { Scope } from '../scope';

/** A saved view's row with its owner's name. */
export type ViewRow = SavedView & { owner_name: string | null };

function selectViews(scope: Scope) {
  return scope.trx
    .selectFrom('saved_views')
    .leftJoin('users', 'users.id', 'saved_views.owner_user_id')
    .selectAll('saved_views')
    .select('users.name as owner_name')
    .where('saved_views.tenant_id', '=', scope.tenantId);
}

/** The views of a list a member sees: their own and the shared ones, shared last, by name. */
export function selectVisibleViews(scope: Scope, userId: string, list: SavedViewList): Promise<ViewRow[]> {
  return selectViews(scope)
    .where('saved_views.entity', '=', list)
    .where((eb) => eb.or([eb('saved_views.owner_user_id', '=', userId), eb('saved_views.shared', '=', true)]))
    .orderBy('saved_views.shared')
    .orderBy('saved_views.name')
    .execute();
}

export function selectView(scope: Scope, id: string): Promise<ViewRow | undefined> {
  return selectViews(scope).where('saved_views.id', '=', id).executeTakeFirst();
}

type ViewValues = { name: string; shared: boolean; query: unknown; columns: string[] };

/** The new view's id, or 'NAME_TAKEN'. */
export async function insertView(
  scope: Scope,
  ownerUserId: string,
  values: ViewValues,
  list: SavedViewList = 'customers',
) {
  return nameTaken(
    scope.trx
      .insertInto('saved_views')
      .values({
        tenant_id: scope.tenantId,
        owner_user_id: ownerUserId,
        entity: list,
        name: values.name,
        shared: values.shared,
        query: JSON.stringify(values.query),
        columns: values.columns,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
}

export async function updateViewRow(scope: Scope, id: string, values: ViewValues) {
  return nameTaken(
    scope.trx
      .updateTable('saved_views')
      .set({
        name: values.name,
        shared: values.shared,
        query: JSON.stringify(values.query),
        columns: values.columns,
        updated_at: sql<Date>`now()`,
      })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', id)
      .execute(),
  );
}

export async function deleteViewRow(scope: Scope, id: string): Promise<void> {
  await scope.trx
    .deleteFrom('saved_views')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
}

/** How many of `userIds` (distinct) are members of this tenant. */
export async function countMembers(scope: Scope, userIds: readonly string[]): Promise<number> {
  const found = await scope.trx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', 'in', userIds)
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

/**
 * Saves a member's view of a list by name: a new one, or their view of that name with its
 * filters and sharing replaced. The view's id.
 */
export async function upsertListView(
  scope: Scope,
  ownerUserId: string,
  list: SavedViewList,
  values: { name: string; shared: boolean; query: unknown },
): Promise<string> {
  const row = await scope.trx
    .insertInto('saved_views')
    .values({
      tenant_id: scope.tenantId,
      owner_user_id: ownerUserId,
      entity: list,
      name: values.name,
      shared: values.shared,
      query: JSON.stringify(values.query),
      columns: [],
    })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'owner_user_id', 'entity', 'name']).doUpdateSet({
        shared: values.shared,
        query: JSON.stringify(values.query),
        updated_at: sql<Date>`now()`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
