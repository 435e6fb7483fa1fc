import { hasPermission } from '@crm/auth';
import { localDayOf } from '@crm/domain';
import { readCalendarSettings } from '../calendar/calendar.service';
import { assertContactOfCustomer } from '../contacts/contacts.service';
import { getCustomer } from '../customers/customers.service';
import { appError } from '../errors';
import { logInteraction } from '../interactions/interactions.service';
import { decodeCursor, encodeCursor, UUID } from '../keyset';
import { notifyUsers } from '../notifications/notifications.service';
import type { MemberScope, Scope } from '../scope';
import { announceTasks } from './task-backbone.service';
import {
  countOpenTasks,
  countOverdueTasks,
  insertTasks,
  moveOpenTasks,
  selectAssignableMember,
  selectTask,
  selectTaskPage,
  selectTasksDueBetween,
  setTaskInteraction,
  setTaskStatus,
  type TaskClock,
  type TaskCursor,
  type TaskRow,
  updateOpenTask,
} from './tasks.repository';
import type {
  BulkTasksInput,
  CompleteTaskInput,
  CreateTaskInput,
  ListTasksInput,
  OverdueBoardOutput,
  TaskCalendarInput,
  TaskCalendarOutput,
  TaskCountsOutput,
  TaskFilters,
  TaskOutput,
  TaskPageOutput,
  TaskSort,
  UpdateTaskInput,
} from './tasks.schemas';
import { TASK_CALENDAR_LIMIT, TASK_CALENDAR_MAX_DAYS } from './tasks.schemas';

/**
 * The use cases of tasks (任务) as members work them: 我的任务 and its counts, create, edit,
 * complete (logging the interaction in the same transaction), cancel, skip, reopen, and bulk
 * changes. Each runs in the caller's transaction. Who sees a task is `visibleTask`
 * (customers/access.ts); who may change one: its owner with tasks.write, or anyone who sees
 * it with tasks.manage. Other capabilities put tasks on the backbone through
 * task-backbone.service.ts.
 */

/** The day `now` falls on in a time zone: 'YYYY-MM-DD'. */
export function dayIn(timeZone: string, now: Date): string {
  return localDayOf({ timeZone }, now);
}

/**
 * The clock "today" and "overdue" are measured against: now, and the day it is in the
 * tenant's time zone (its work calendar's; China time by default).
 */
async function clockOf(scope: Scope): Promise<TaskClock> {
  const now = new Date();
  const { timeZone } = await readCalendarSettings(scope);
  return { today: dayIn(timeZone, now), now };
}

/** Whether the actor may work every task they see (the system always may). */
function canManage(scope: Scope): boolean {
  return scope.role === null || hasPermission(scope.role, 'tasks.manage');
}

function toOutput(row: TaskRow): TaskOutput {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    notes: row.notes,
    customerId: row.customer_id,
    customerName: row.customer_name,
    contactId: row.contact_id,
    contactName: row.contact_name,
    relatedKind: row.related_kind,
    relatedId: row.related_id,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    teamId: row.team_id,
    dueOn: row.due_on,
    dueAt: row.due_at ? new Date(row.due_at).toISOString() : null,
    priority: row.priority,
    status: row.status,
    statusReason: row.status_reason,
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
    closedByName: row.closed_by_name,
    interactionId: row.interaction_id,
    source: row.source,
    sourceId: row.source_id,
    createdAt: new Date(row.created_at).toISOString(),
    overdue: row.overdue,
  };
}

/** Nobody's tasks are a manager's pool: listing them needs tasks.manage. */
function assertOwnerFilter(scope: Scope, owner: TaskFilters['owner']): void {
  if (owner === 'unassigned' && !canManage(scope)) throw appError('FORBIDDEN');
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
const TIMESTAMP_OR_NONE = /^$|^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

function encodeTaskCursor(sort: TaskSort, row: TaskRow): string {
  switch (sort) {
    case 'priority':
      return encodeCursor(['priority', String(row.priority_rank), row.due_on, row.id]);
    case 'created':
      return encodeCursor(['created', row.created_at_text, row.id]);
    case 'closed':
      return encodeCursor(['closed', row.closed_at_text ?? '', row.id]);
    default:
      return encodeCursor(['due', row.due_on, row.due_at_text ?? '', row.id]);
  }
}

function decodeTaskCursor(sort: TaskSort, cursor: string): TaskCursor {
  switch (sort) {
    case 'priority': {
      const [, rank = '', dueOn = '', id = ''] = decodeCursor(cursor, ['priority', /^[1-4]$/, DAY, UUID]);
      return { sort, rank: Number(rank), dueOn, id };
    }
    case 'created':
    case 'closed': {
      const [, timestamp = '', id = ''] = decodeCursor(cursor, [sort, TIMESTAMP, UUID]);
      return { sort, timestamp, id };
    }
    default: {
      const [, dueOn = '', dueAt = '', id = ''] = decodeCursor(cursor, ['due', DAY, TIMESTAMP_OR_NONE, UUID]);
      return { sort: 'due', dueOn, dueAt: dueAt === '' ? null : dueAt, id };
    }
  }
}

/** A page of tasks the filters match, by keyset; `today` is the tenant's. */
export async function listTasks(scope: Scope, input: ListTasksInput): Promise<TaskPageOutput> {
  assertOwnerFilter(scope, input.owner);
  // Only closed tasks have a closing time to sort by.
  const requested = input.sort ?? (input.view === 'done' ? 'closed' : 'due');
  const sort: TaskSort = requested === 'closed' && input.view !== 'done' ? 'due' : requested;
  const clock = await clockOf(scope);
  const after = input.cursor ? decodeTaskCursor(sort, input.cursor) : null;
  const rows = await selectTaskPage(scope, input, sort, clock, after, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toOutput),
    nextCursor: rows.length > input.limit && last ? encodeTaskCursor(sort, last) : null,
    today: clock.today,
  };
}

/** Open tasks due today, overdue, and in the next seven days: the navigation's badge. */
export async function countTasks(scope: Scope, owner: TaskFilters['owner']): Promise<TaskCountsOutput> {
  assertOwnerFilter(scope, owner);
  return countOpenTasks(scope, owner, (await clockOf(scope)).today);
}

export async function getTask(scope: Scope, id: string): Promise<TaskOutput> {
  const row = await selectTask(scope, id, await clockOf(scope));
  if (!row) throw appError('TASK_NOT_FOUND');
  return toOutput(row);
}

/**
 * The owner a member may give a task to, with their team: themselves always; anyone else
 * needs tasks.manage and must be a member within the actor's task scope (their team for a
 * manager). A member of another tenant answers like one that does not exist.
 */
async function assignableOwner(
  scope: Scope,
  userId: string,
  field: string,
): Promise<{ userId: string; teamId: string | null }> {
  if (userId !== scope.userId && !canManage(scope)) throw appError('FORBIDDEN');
  const member = await selectAssignableMember(scope, userId);
  if (!member) throw appError('TASK_OWNER_INVALID', {}, field);
  return { userId, teamId: member.teamId };
}

export async function createTask(scope: MemberScope, input: CreateTaskInput): Promise<TaskOutput> {
  const owner = await assignableOwner(scope, input.ownerUserId ?? scope.userId, 'ownerUserId');
  if (input.customerId) {
    const customer = await getCustomer(scope, input.customerId);
    if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
    if (input.contactId) await assertContactOfCustomer(scope, input.customerId, input.contactId, 'contactId');
  } else if (input.contactId) {
    throw appError('CONTACT_NOT_FOUND', {}, 'contactId');
  }
  const [id] = await insertTasks(scope, [
    {
      title: input.title,
      type: input.type,
      notes: input.notes ?? null,
      customerId: input.customerId ?? null,
      contactId: input.contactId ?? null,
      ownerUserId: owner.userId,
      teamId: owner.teamId,
      dueOn: input.dueOn,
      dueAt: input.dueAt ?? null,
      priority: input.priority,
      source: 'manual',
    },
  ]);
  if (!id) throw appError('TASK_NOT_FOUND');
  const task = await getTask(scope, id);
  await notifyAssigned(scope, task);
  await announceTasks(scope, 'task.created', [id]);
  return task;
}

/**
 * Tells a member that someone else gave them a task (任务分配), in the same transaction as the
 * assignment: nothing is said about a change that rolls back. Giving oneself a task says nothing.
 */
async function notifyAssigned(scope: MemberScope, task: TaskOutput): Promise<void> {
  if (task.ownerUserId === null || task.ownerUserId === scope.userId) return;
  await notifyUsers(scope, [
    {
      userId: task.ownerUserId,
      kind: 'task_assigned',
      message: 'task_assigned',
      params: { title: task.title, due: task.dueOn },
      link: task.customerId ? `/customers/${task.customerId}` : '/tasks',
      entity: { kind: 'task', id: task.id },
    },
  ]);
}

/** Edits an open task: its owner with tasks.write, anyone who sees it with tasks.manage. */
export async function updateTask(scope: MemberScope, input: UpdateTaskInput): Promise<TaskOutput> {
  const task = await getTask(scope, input.id);
  assertMayWork(scope, task);
  if (task.status !== 'open') throw appError('TASK_CLOSED');
  let owner: { userId: string | null; teamId: string | null } | undefined;
  if (input.ownerUserId !== undefined && input.ownerUserId !== task.ownerUserId) {
    if (input.ownerUserId === null) {
      if (!canManage(scope)) throw appError('FORBIDDEN');
      owner = { userId: null, teamId: task.teamId };
    } else {
      owner = await assignableOwner(scope, input.ownerUserId, 'ownerUserId');
    }
  }
  if (input.contactId) {
    if (!task.customerId) throw appError('CONTACT_NOT_FOUND', {}, 'contactId');
    await assertContactOfCustomer(scope, task.customerId, input.contactId, 'contactId');
  }
  const updated = await updateOpenTask(
    scope,
    input.id,
    {
      title: input.title,
      type: input.type,
      notes: input.notes,
      dueOn: input.dueOn,
      dueAt: input.dueAt,
      priority: input.priority,
      owner,
      contactId: input.contactId,
    },
    canManage(scope),
  );
  if (!updated) throw appError('TASK_NOT_FOUND');
  const result = await getTask(scope, input.id);
  if (owner?.userId) await notifyAssigned(scope, result);
  return result;
}

/** A task the member sees but may not change (someone else's, without tasks.manage). */
function assertMayWork(scope: Scope, task: TaskOutput): void {
  if (task.ownerUserId !== scope.userId && !canManage(scope)) throw appError('FORBIDDEN');
}

/**
 * Completes an open task and, when asked, logs the interaction of the touch in the same
 * transaction through the interactions service (its 下一步 with a 截止日期 becomes the
 * follow-up task there). The completion is written first: if logging fails, the whole
 * transaction — the completion included — rolls back.
 */
export async function completeTask(
  scope: MemberScope,
  input: CompleteTaskInput,
): Promise<{ task: TaskOutput; interactionId: string | null }> {
  const task = await getTask(scope, input.id);
  assertMayWork(scope, task);
  if (task.status !== 'open') throw appError('TASK_CLOSED');
  const closed = await setTaskStatus(
    scope,
    { ids: [task.id] },
    { from: 'open', to: 'done' },
    canManage(scope),
  );
  if (closed.length !== 1) throw appError('TASK_CLOSED');
  await announceTasks(scope, 'task.completed', closed);
  let interactionId: string | null = null;
  if (input.interaction) {
    if (!task.customerId) throw appError('TASK_HAS_NO_CUSTOMER', {}, 'interaction');
    if (!hasPermission(scope.role, 'interactions.write')) throw appError('FORBIDDEN');
    const logged = await logInteraction(scope, {
      customerId: task.customerId,
      contactId: input.interaction.contactId ?? task.contactId,
      kind: input.interaction.kind,
      occurredAt: input.interaction.occurredAt,
      summary: input.interaction.summary,
      outcome: input.interaction.outcome,
      nextStep: input.interaction.nextStep,
      nextStepDue: input.interaction.nextStepDue,
      sentiment: input.interaction.sentiment,
    });
    interactionId = logged.id;
    await setTaskInteraction(scope, task.id, interactionId);
  }
  return { task: await getTask(scope, task.id), interactionId };
}

/** Cancels (no longer needed) or skips (this occurrence passes) an open task, with why. */
export async function closeTask(
  scope: MemberScope,
  id: string,
  status: 'cancelled' | 'skipped',
  reason: string,
): Promise<TaskOutput> {
  const task = await getTask(scope, id);
  assertMayWork(scope, task);
  if (task.status !== 'open') throw appError('TASK_CLOSED');
  const closed = await setTaskStatus(
    scope,
    { ids: [id] },
    { from: 'open', to: status, reason },
    canManage(scope),
  );
  if (closed.length !== 1) throw appError('TASK_CLOSED');
  return getTask(scope, id);
}

/** Opens a done, cancelled or skipped task again (the logged interaction stays logged). */
export async function reopenTask(scope: MemberScope, id: string): Promise<TaskOutput> {
  const task = await getTask(scope, id);
  assertMayWork(scope, task);
  if (task.status === 'open') throw appError('TASK_ALREADY_OPEN');
  const opened = await setTaskStatus(scope, { ids: [id] }, { from: 'closed', to: 'open' }, canManage(scope));
  if (opened.length !== 1) throw appError('TASK_ALREADY_OPEN');
  return getTask(scope, id);
}

/**
 * One change over many open tasks, one statement: these ids (all of them, or nothing: an id
 * that is not an open task the member may manage fails the whole change) or every open
 * task the filters match. How many changed.
 */
export async function bulkTasks(scope: MemberScope, input: BulkTasksInput): Promise<{ changed: number }> {
  const manage = canManage(scope);
  let target: { ids: readonly string[] } | { filters: TaskFilters; clock: TaskClock };
  let expected: number | null = null;
  if ('ids' in input.target) {
    const ids = [...new Set(input.target.ids)];
    target = { ids };
    expected = ids.length;
  } else {
    assertOwnerFilter(scope, input.target.filter.owner);
    target = { filters: input.target.filter, clock: await clockOf(scope) };
  }
  let changed: string[];
  switch (input.action) {
    case 'reassign': {
      const owner = await assignableOwner(scope, input.ownerUserId, 'ownerUserId');
      changed = await moveOpenTasks(scope, target, { owner }, manage);
      if (owner.userId !== null && owner.userId !== scope.userId && changed.length > 0) {
        // One notification for the batch, not one per task.
        await notifyUsers(scope, [
          {
            userId: owner.userId,
            kind: 'task_assigned',
            message: 'tasks_assigned',
            params: { count: changed.length },
            link: '/tasks',
          },
        ]);
      }
      break;
    }
    case 'reschedule': {
      if ((input.dueOn === undefined) === (input.shiftDays === undefined))
        throw appError('TASK_RESCHEDULE_HOW', {}, 'dueOn');
      changed = await moveOpenTasks(
        scope,
        target,
        input.dueOn !== undefined ? { dueOn: input.dueOn } : { shiftDays: input.shiftDays ?? 0 },
        manage,
      );
      break;
    }
    case 'complete':
      changed = await setTaskStatus(scope, target, { from: 'open', to: 'done' }, manage);
      await announceTasks(scope, 'task.completed', changed);
      break;
    case 'cancel':
      changed = await setTaskStatus(
        scope,
        target,
        { from: 'open', to: 'cancelled', reason: input.reason },
        manage,
      );
      break;
  }
  // All or nothing: the error rolls the statement back with the transaction.
  if (expected !== null && changed.length !== expected) throw appError('TASK_NOT_FOUND', {}, 'target');
  return { changed: changed.length };
}

/** The tasks due between two days, open and done, for the calendar's week or month. */
export async function listCalendarTasks(scope: Scope, input: TaskCalendarInput): Promise<TaskCalendarOutput> {
  assertOwnerFilter(scope, input.owner);
  const span = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000;
  if (!(span >= 0 && span < TASK_CALENDAR_MAX_DAYS))
    throw appError('TASK_CALENDAR_RANGE', { days: TASK_CALENDAR_MAX_DAYS }, 'to');
  const clock = await clockOf(scope);
  const rows = await selectTasksDueBetween(
    scope,
    input.owner,
    input.from,
    input.to,
    clock,
    TASK_CALENDAR_LIMIT + 1,
  );
  return {
    items: rows.slice(0, TASK_CALENDAR_LIMIT).map(toOutput),
    truncated: rows.length > TASK_CALENDAR_LIMIT,
    today: clock.today,
  };
}

/** The overdue board of the tasks the member sees (the team's for a manager, all for an admin). */
export async function overdueBoard(scope: Scope): Promise<OverdueBoardOutput> {
  const { today } = await clockOf(scope);
  const { owners, tiers } = await countOverdueTasks(scope, today);
  return {
    today,
    total: owners.reduce((sum, owner) => sum + owner.overdue, 0),
    overWeek: owners.reduce((sum, owner) => sum + owner.over_week, 0),
    reps: owners.map((owner) => ({
      userId: owner.owner_user_id,
      name: owner.owner_name,
      overdue: owner.overdue,
      overWeek: owner.over_week,
      dueToday: owner.due_today,
      oldestDueOn: owner.oldest_due_on,
    })),
    tiers: tiers.map((tier) => ({ tier: tier.tier, overdue: tier.overdue, overWeek: tier.over_week })),
  };
}
