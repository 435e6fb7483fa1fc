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
  type ViewRow,
} from './views.repository';
import type { CreateViewInput, UpdateViewInput, ViewOutput } from './views.schemas';

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

/** A view the member may change: their own, or a shared one when they may share views. */
async function changeableView(scope: MemberScope, id: string): Promise<ViewRow> {
  const row = await selectView(scope, id);
  const mine = row?.owner_user_id === scope.userId;
  if (!row || (!mine && !row.shared)) throw appError('VIEW_NOT_FOUND');
  if (!mine && !hasPermission(scope.role, 'views.share')) throw appError('FORBIDDEN');
  return row;
}

async function viewOrThrow(scope: MemberScope, id: string): Promise<ViewOutput> {
  const row = await selectView(scope, id);
  if (!row) throw appError('VIEW_NOT_FOUND');
  return toOutput(row, scope.userId);
}

export async function listViews(scope: MemberScope): Promise<ViewOutput[]> {
  const rows = await selectVisibleViews(scope, scope.userId);
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
  await changeableView(scope, id);
  await deleteViewRow(scope, id);
  return { id };
}
