import { hasPermission } from '@crm/auth';
import { type CustomerQuery, customerQueryInput } from '../customers/customers.schemas';
import { appError } from '../errors';
import type { MemberScope } from '../scope';
import { assertTagsExist } from '../tags/tags.service';
import {
  countMembers,
  deleteViewRow,
  insertView,
  selectView,
  selectVisibleViews,
  updateViewRow,
  upsertListView,
  type ViewRow,
} from './views.repository';
import {
  type CreateViewInput,
  type ListSearchViewsInput,
  type SaveSearchViewInput,
  SEARCH_VIEW_LISTS,
  type SearchViewOutput,
  type UpdateViewInput,
  type ViewOutput,
} from './views.schemas';

/** Saved customer list views: each member's own, and views shared with the whole tenant. */

function toOutput(row: ViewRow, userId: string): ViewOutput {
  return {
    id: row.id,
    name: row.name,
    shared: row.shared,
    mine: row.owner_user_id === userId,
    ownerName: row.owner_name,
    // Stored queries were validated on write; parsing again fills defaults added since.
    query: customerQueryInput.parse(row.query),
    columns: row.columns,
  };
}

/** A view names only this tenant's tags and members: anything else is refused, not stored. */
async function checkQueryIds(scope: MemberScope, query: CustomerQuery) {
  await assertTagsExist(scope, query.tagIds ?? [], 'query');
  const owners = [...new Set(query.ownerUserIds ?? [])];
  if (owners.length > 0 && (await countMembers(scope, owners)) !== owners.length)
    throw appError('OWNER_NOT_MEMBER', {}, 'query');
}

/**
 * A view the member may change: their own, or a shared one when they may share views (of the
 * customer list unless `anyList`: only deleting works on every list's views).
 */
async function changeableView(scope: MemberScope, id: string, anyList = false): Promise<ViewRow> {
  const found = await selectView(scope, id);
  const row = found && (anyList || found.entity === 'customers') ? found : undefined;
  const mine = row?.owner_user_id === scope.userId;
  if (!row || (!mine && !row.shared)) throw appError('VIEW_NOT_FOUND');
  if (!mine && !hasPermission(scope.role, 'views.share')) throw appError('FORBIDDEN');
  return row;
}

async function viewOrThrow(scope: MemberScope, id: string): Promise<ViewOutput> {
  const row = await selectView(scope, id);
  if (!row || row.entity !== 'customers') throw appError('VIEW_NOT_FOUND');
  return toOutput(row, scope.userId);
}

export async function listViews(scope: MemberScope): Promise<ViewOutput[]> {
  const rows = await selectVisibleViews(scope, scope.userId, 'customers');
  return rows.map((row) => toOutput(row, scope.userId));
}

export async function createView(scope: MemberScope, input: CreateViewInput): Promise<ViewOutput> {
  if (input.shared && !hasPermission(scope.role, 'views.share')) throw appError('FORBIDDEN');
  await checkQueryIds(scope, input.query);
  const created = await insertView(scope, scope.userId, input);
  if (created === 'NAME_TAKEN') throw appError('VIEW_NAME_TAKEN', {}, 'name');
  return viewOrThrow(scope, created.id);
}

export async function updateView(scope: MemberScope, input: UpdateViewInput): Promise<ViewOutput> {
  const current = await changeableView(scope, input.id);
  const shared = input.shared ?? current.shared;
  if (shared !== current.shared && !hasPermission(scope.role, 'views.share')) throw appError('FORBIDDEN');
  if (input.query) await checkQueryIds(scope, input.query);
  const updated = await updateViewRow(scope, input.id, {
    name: input.name ?? current.name,
    shared,
    query: input.query ?? current.query,
    columns: input.columns ?? current.columns,
  });
  if (updated === 'NAME_TAKEN') throw appError('VIEW_NAME_TAKEN', {}, 'name');
  return viewOrThrow(scope, input.id);
}

export async function deleteView(scope: MemberScope, id: string): Promise<{ id: string }> {
  await changeableView(scope, id, true);
  await deleteViewRow(scope, id);
  return { id };
}

function toSearchOutput(row: ViewRow, userId: string): SearchViewOutput | null {
  const list = SEARCH_VIEW_LISTS.find((candidate) => candidate === row.entity);
  if (!list) return null;
  return {
    id: row.id,
    list,
    name: row.name,
    shared: row.shared,
    mine: row.owner_user_id === userId,
    ownerName: row.owner_name,
    search: row.query,
  };
}

/** The saved views of the 线索 or 商机 list the member sees: their own and the shared ones. */
export async function listSearchViews(
  scope: MemberScope,
  input: ListSearchViewsInput,
): Promise<SearchViewOutput[]> {
  const rows = await selectVisibleViews(scope, scope.userId, input.list);
  return rows.flatMap((row) => toSearchOutput(row, scope.userId) ?? []);
}

/**
 * Saves the 线索 or 商机 list's filters as a view: a new one, or the member's view of that name
 * replaced. Sharing with the tenant needs views.share; a member named in the filters must be
 * one of the tenant's.
 */
export async function saveSearchView(
  scope: MemberScope,
  input: SaveSearchViewInput,
): Promise<SearchViewOutput> {
  if (input.shared && !hasPermission(scope.role, 'views.share')) throw appError('FORBIDDEN');
  if (input.list === 'leads') {
    const owner = input.search.owner;
    if (owner && owner !== 'me' && owner !== 'unassigned' && (await countMembers(scope, [owner])) !== 1)
      throw appError('OWNER_NOT_MEMBER', {}, 'search');
  }
  const id = await upsertListView(scope, scope.userId, input.list, {
    name: input.name,
    shared: input.shared,
    query: input.search,
  });
  const row = await selectView(scope, id);
  const output = row ? toSearchOutput(row, scope.userId) : null;
  if (!output) throw appError('VIEW_NOT_FOUND');
  return output;
}
