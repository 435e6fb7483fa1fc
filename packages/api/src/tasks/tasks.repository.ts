import type { TaskPriority, TaskSource, TaskStatus, TaskType } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import { visibleTask } from '../customers/access';
import type { Scope } from '../scope';
import { taskPayload } from './task-events.sql';
import type { TaskFilters, TaskSort } from './tasks.schemas';

/**
 * Every query of tasks. Functions take the scope first and return rows or counts. A task is
 * read and changed only through `visibleTask` (customers/access.ts); what a member may
 * change narrows that further (`manageable`: their own tasks, or any they see with
 * tasks.manage), decided by the service and passed in as `canManage`.
 */

export type TaskRow = {
  id: string;
  title: string;
  type: TaskType;
  notes: string | null;
  customer_id: string | null;
  customer_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  related_kind: string | null;
  related_id: string | null;
  owner_user_id: string | null;
  owner_name: string | null;
  team_id: string | null;
  due_on: string;
  due_at: Date | null;
  priority: TaskPriority;
  status: TaskStatus;
  status_reason: string | null;
  closed_at: Date | null;
  closed_by_name: string | null;
  interaction_id: string | null;
  source: TaskSource;
  source_id: string | null;
  created_at: Date;
  overdue: boolean;
  /** The sort values of the row, for the next page's cursor. */
  due_at_text: string | null;
  created_at_text: string;
  closed_at_text: string | null;
  priority_rank: number;
};

/** The clock a query is measured against: the tenant's today and the instant now. */
export type TaskClock = { today: string; now: Date };

const PRIORITY_RANK = sql<number>`array_position(array['low', 'normal', 'high', 'urgent']::text[], tasks.priority)`;

function ownerCondition(scope: Scope, owner: TaskFilters['owner']): RawBuilder<boolean> {
  if (owner === 'any') return sql<boolean>`true`;
  if (owner === 'unassigned') return sql<boolean>`tasks.owner_user_id is null`;
  const userId = owner === 'me' ? scope.access.userId : owner;
  return sql<boolean>`tasks.owner_user_id = ${userId}::uuid`;
}

function viewCondition(view: TaskFilters['view'], today: string): RawBuilder<boolean> {
  switch (view) {
    case 'today':
      return sql<boolean>`tasks.status = 'open' and tasks.due_on = ${today}::date`;
    case 'overdue':
      return sql<boolean>`tasks.status = 'open' and tasks.due_on < ${today}::date`;
    case 'next7':
      return sql<boolean>`tasks.status = 'open' and tasks.due_on > ${today}::date and tasks.due_on <= ${today}::date + 7`;
    case 'upcoming':
      return sql<boolean>`tasks.status = 'open' and tasks.due_on > ${today}::date`;
    case 'open':
      return sql<boolean>`tasks.status = 'open'`;
    case 'done':
      return sql<boolean>`tasks.status <> 'open'`;
    default:
      return sql<boolean>`true`;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Every filter of the task list (and of a bulk change by filter), with record access. */
function taskConditions(scope: Scope, filters: TaskFilters, clock: TaskClock): RawBuilder<boolean> {
  const conditions: RawBuilder<boolean>[] = [
    sql<boolean>`tasks.tenant_id = ${scope.tenantId}`,
    visibleTask(scope.access),
    ownerCondition(scope, filters.owner),
    viewCondition(filters.view, clock.today),
  ];
  if (filters.customerId) conditions.push(sql<boolean>`tasks.customer_id = ${filters.customerId}::uuid`);
  if (filters.types?.length) conditions.push(sql<boolean>`tasks.type = any(${filters.types}::text[])`);
  if (filters.sources?.length) conditions.push(sql<boolean>`tasks.source = any(${filters.sources}::text[])`);
  if (filters.priorities?.length)
    conditions.push(sql<boolean>`tasks.priority = any(${filters.priorities}::text[])`);
  if (filters.search) conditions.push(sql<boolean>`tasks.title ilike ${`%${escapeLike(filters.search)}%`}`);
  // A customer tier (the overdue board's rows); null: tasks whose customer has none, or no customer.
  if (filters.tier === null) conditions.push(sql<boolean>`customer_tier.tier is null`);
  else if (filters.tier) conditions.push(sql<boolean>`customer_tier.tier = ${filters.tier}`);
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}

/** Only the member's own tasks, unless they may manage every task they see. */
function manageable(scope: Scope, canManage: boolean): RawBuilder<boolean> {
  if (canManage) return sql<boolean>`true`;
  return sql<boolean>`tasks.owner_user_id = ${scope.access.userId}::uuid`;
}

// The customer's tier placement is joined by its key: a query that reads no tier drops the join.
const FROM = sql`tasks
  left join customers on customers.tenant_id = tasks.tenant_id and customers.id = tasks.customer_id
  left join customer_tiers customer_tier on customer_tier.tenant_id = customers.tenant_id
    and customer_tier.customer_id = customers.id`;

function selectColumns(clock: TaskClock) {
  return sql`tasks.id, tasks.title, tasks.type, tasks.notes, tasks.customer_id, customers.name as customer_name,
    tasks.contact_id, contacts.name as contact_name, tasks.related_kind, tasks.related_id, tasks.owner_user_id,
    owner.name as owner_name, tasks.team_id, tasks.due_on::text as due_on, tasks.due_at, tasks.priority,
    tasks.status, tasks.status_reason, tasks.closed_at, closer.name as closed_by_name, tasks.interaction_id,
    tasks.source, tasks.source_id, tasks.created_at,
    (tasks.status = 'open' and (tasks.due_on < ${clock.today}::date
      or coalesce(tasks.due_at < ${clock.now.toISOString()}::timestamptz, false))) as overdue,
    tasks.due_at::text as due_at_text, tasks.created_at::text as created_at_text,
    tasks.closed_at::text as closed_at_text, ${PRIORITY_RANK} as priority_rank`;
}

const JOINS = sql`
  left join contacts on contacts.tenant_id = tasks.tenant_id and contacts.id = tasks.contact_id
  left join users owner on owner.id = tasks.owner_user_id
  left join users closer on closer.id = tasks.closed_by`;

/** Where the page after `after` starts, and the order, for each sort. */
export type TaskCursor =
  | { sort: 'due'; dueOn: string; dueAt: string | null; id: string }
  | { sort: 'priority'; rank: number; dueOn: string; id: string }
  | { sort: 'created' | 'closed'; timestamp: string; id: string };

function orderOf(sort: TaskSort) {
  switch (sort) {
    case 'priority':
      return sql`${PRIORITY_RANK} desc, tasks.due_on, tasks.id`;
    case 'created':
      return sql`tasks.created_at desc, tasks.id desc`;
    case 'closed':
      return sql`tasks.closed_at desc nulls last, tasks.id desc`;
    default:
      // The order of the open-task indexes: (due_on, due_at nulls last, id).
      return sql`tasks.due_on, tasks.due_at, tasks.id`;
  }
}

function afterCondition(after: TaskCursor | null): RawBuilder<boolean> {
  if (!after) return sql<boolean>`true`;
  switch (after.sort) {
    case 'due':
      return after.dueAt === null
        ? sql<boolean>`(tasks.due_on > ${after.dueOn}::date
            or (tasks.due_on = ${after.dueOn}::date and tasks.due_at is null and tasks.id > ${after.id}::uuid))`
        : sql<boolean>`(tasks.due_on > ${after.dueOn}::date
            or (tasks.due_on = ${after.dueOn}::date and (tasks.due_at is null
              or tasks.due_at > ${after.dueAt}::text::timestamptz
              or (tasks.due_at = ${after.dueAt}::text::timestamptz and tasks.id > ${after.id}::uuid))))`;
    case 'priority':
      return sql<boolean>`(${PRIORITY_RANK} < ${after.rank}::int
        or (${PRIORITY_RANK} = ${after.rank}::int and (tasks.due_on, tasks.id) > (${after.dueOn}::date, ${after.id}::uuid)))`;
    case 'created':
      return sql<boolean>`(tasks.created_at, tasks.id) < (${after.timestamp}::text::timestamptz, ${after.id}::uuid)`;
    case 'closed':
      return sql<boolean>`(tasks.closed_at, tasks.id) < (${after.timestamp}::text::timestamptz, ${after.id}::uuid)`;
  }
}

/** Up to `limit` tasks the filters match after the cursor, in the sort's order. */
export async function selectTaskPage(
  scope: Scope,
  filters: TaskFilters,
  sort: TaskSort,
  clock: TaskClock,
  after: TaskCursor | null,
  limit: number,
): Promise<TaskRow[]> {
  const { rows } = await sql<TaskRow>`
    select ${selectColumns(clock)}
    from ${FROM} ${JOINS}
    where ${taskConditions(scope, filters, clock)} and ${afterCondition(after)}
    order by ${orderOf(sort)}
    limit ${limit}`.execute(scope.trx);
  return rows;
}

/** A visible task, or undefined. */
export async function selectTask(scope: Scope, id: string, clock: TaskClock): Promise<TaskRow | undefined> {
  const { rows } = await sql<TaskRow>`
    select ${selectColumns(clock)}
    from ${FROM} ${JOINS}
    where tasks.tenant_id = ${scope.tenantId} and tasks.id = ${id}::uuid and ${visibleTask(scope.access)}`.execute(
    scope.trx,
  );
  return rows[0];
}

/** Open tasks of an owner due today, overdue, and in the next seven days. */
export async function countOpenTasks(
  scope: Scope,
  owner: TaskFilters['owner'],
  today: string,
): Promise<{ today: number; overdue: number; next7: number }> {
  const { rows } = await sql<{ today: string; overdue: string; next7: string }>`
    select count(*) filter (where tasks.due_on = ${today}::date) as today,
      count(*) filter (where tasks.due_on < ${today}::date) as overdue,
      count(*) filter (where tasks.due_on > ${today}::date) as next7
    from ${FROM}
    where tasks.tenant_id = ${scope.tenantId} and tasks.status = 'open' and ${ownerCondition(scope, owner)}
      and tasks.due_on <= ${today}::date + 7 and ${visibleTask(scope.access)}`.execute(scope.trx);
  const row = rows[0];
  return {
    today: Number(row?.today ?? 0),
    overdue: Number(row?.overdue ?? 0),
    next7: Number(row?.next7 ?? 0),
  };
}

/**
 * A member's team, when `userId` is a member of the tenant the actor may give tasks to:
 * anyone for a tenant-wide task scope, their own team (and themselves) for a team scope,
 * only themselves otherwise.
 */
export async function selectAssignableMember(
  scope: Scope,
  userId: string,
): Promise<{ teamId: string | null } | undefined> {
  const { access } = scope;
  const within =
    access.taskScope === 'all' || userId === access.userId
      ? sql<boolean>`true`
      : access.taskScope === 'team' && access.teamId
        ? sql<boolean>`m.team_id = ${access.teamId}::uuid`
        : sql<boolean>`false`;
  const { rows } = await sql<{ team_id: string | null }>`
    select m.team_id from memberships m
    where m.tenant_id = ${scope.tenantId} and m.user_id = ${userId}::uuid and ${within}`.execute(scope.trx);
  const row = rows[0];
  return row ? { teamId: row.team_id } : undefined;
}

/** A task to put on the backbone: what, by when, about what, for whom, and what made it. */
export type NewTask = {
  title: string;
  type: TaskType;
  notes?: string | null;
  customerId?: string | null;
  contactId?: string | null;
  relatedKind?: string | null;
  relatedId?: string | null;
  /** Null leaves it unassigned (then `teamId` says whose pool it is in). */
  ownerUserId: string | null;
  /** Defaults to the owner's team. */
  teamId?: string | null;
  /** 'YYYY-MM-DD' in the tenant's calendar. */
  dueOn: string;
  dueAt?: Date | string | null;
  priority?: TaskPriority;
  source: TaskSource;
  sourceId?: string | null;
  /** The occasion: a second task with the same key is never made. */
  sourceKey?: string | null;
};

/** Tasks per statement: each chunk travels as one JSON parameter (a few MB at most). */
const INSERT_CHUNK = 10_000;

/**
 * Inserts tasks, a statement per 10,000 (the rows travel as one JSON parameter, not a
 * parameter per value); a task whose `sourceKey` the tenant already has is skipped. A task
 * without `teamId` takes its owner's team. The ids of the tasks inserted.
 */
export async function insertTasks(scope: Scope, tasks: readonly NewTask[]): Promise<string[]> {
  const inserted: string[] = [];
  for (let start = 0; start < tasks.length; start += INSERT_CHUNK) {
    inserted.push(...(await insertTaskChunk(scope, tasks.slice(start, start + INSERT_CHUNK))));
  }
  return inserted;
}

async function insertTaskChunk(scope: Scope, tasks: readonly NewTask[]): Promise<string[]> {
  const rows = JSON.stringify(
    tasks.map((task) => ({
      title: task.title,
      type: task.type,
      notes: task.notes ?? null,
      customer_id: task.customerId ?? null,
      contact_id: task.contactId ?? null,
      related_kind: task.relatedKind ?? null,
      related_id: task.relatedId ?? null,
      owner_user_id: task.ownerUserId,
      team_id: task.teamId ?? null,
      owners_team: task.teamId === undefined && task.ownerUserId !== null,
      due_on: task.dueOn,
      due_at: task.dueAt instanceof Date ? task.dueAt.toISOString() : (task.dueAt ?? null),
      priority: task.priority ?? 'normal',
      source: task.source,
      source_id: task.sourceId ?? null,
      source_key: task.sourceKey ?? null,
    })),
  );
  const { rows: inserted } = await sql<{ id: string }>`
    insert into tasks (tenant_id, title, type, notes, customer_id, contact_id, related_kind, related_id,
      owner_user_id, team_id, due_on, due_at, priority, source, source_id, source_key, created_by)
    select ${scope.tenantId}, r.title, r.type, r.notes, r.customer_id, r.contact_id, r.related_kind, r.related_id,
      r.owner_user_id,
      case when r.owners_team then (select m.team_id from memberships m
        where m.tenant_id = ${scope.tenantId} and m.user_id = r.owner_user_id) else r.team_id end,
      r.due_on, r.due_at, r.priority, r.source, r.source_id, r.source_key, ${scope.userId}::uuid
    from jsonb_to_recordset(${rows}::jsonb) as r(title text, type text, notes text, customer_id uuid,
      contact_id uuid, related_kind text, related_id uuid, owner_user_id uuid, team_id uuid, owners_team boolean,
      due_on date, due_at timestamptz, priority text, source text, source_id uuid, source_key text)
    on conflict (tenant_id, source_key) where source_key is not null do nothing
    returning id`.execute(scope.trx);
  return inserted.map((row) => row.id);
}

/**
 * The follow-up tasks of interactions' 下一步 with a 截止日期 (of these interactions, or of
 * every interaction of these customers), one statement: an open task of the author (or,
 * when the author is gone, the customer's owner) on the step's day, keyed
 * 'interaction:<id>' so it is made once, ever. The ids of the tasks made.
 */
export async function insertInteractionFollowUps(
  scope: Scope,
  of: { interactionIds: readonly string[] } | { customersOf: RawBuilder<unknown> },
  defaultTitle: string,
): Promise<string[]> {
  const which =
    'interactionIds' in of
      ? sql`i.id = any(${[...of.interactionIds]}::uuid[])`
      : sql`i.customer_id in (${of.customersOf})`;
  const result = await sql<{ id: string }>`
    insert into tasks (tenant_id, title, type, customer_id, contact_id, owner_user_id, team_id, due_on, source,
      source_id, source_key, created_by)
    select i.tenant_id, left(coalesce(nullif(btrim(i.next_step), ''), ${defaultTitle}), 200), 'follow_up',
      i.customer_id, i.contact_id, coalesce(i.user_id, c.owner_user_id), m.team_id, i.next_step_due,
      'interaction', i.id, 'interaction:' || i.id, i.user_id
    from interactions i
    join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
    left join memberships m on m.tenant_id = i.tenant_id and m.user_id = coalesce(i.user_id, c.owner_user_id)
    where i.tenant_id = ${scope.tenantId} and ${which} and i.next_step_due is not null
    on conflict (tenant_id, source_key) where source_key is not null do nothing
    returning id`.execute(scope.trx);
  return result.rows.map((row) => row.id);
}

export type TaskChanges = {
  title?: string;
  type?: TaskType;
  notes?: string | null;
  dueOn?: string;
  dueAt?: string | null;
  priority?: TaskPriority;
  owner?: { userId: string | null; teamId: string | null };
  contactId?: string | null;
};

/** Changes an open task the member may manage; whether it did. */
export async function updateOpenTask(
  scope: Scope,
  id: string,
  changes: TaskChanges,
  canManage: boolean,
): Promise<boolean> {
  const result = await scope.trx
    .updateTable('tasks')
    .set({
      ...(changes.title !== undefined && { title: changes.title }),
      ...(changes.type !== undefined && { type: changes.type }),
      ...(changes.notes !== undefined && { notes: changes.notes }),
      ...(changes.dueOn !== undefined && { due_on: changes.dueOn }),
      ...(changes.dueAt !== undefined && { due_at: changes.dueAt }),
      ...(changes.priority !== undefined && { priority: changes.priority }),
      ...(changes.owner !== undefined && {
        owner_user_id: changes.owner.userId,
        team_id: changes.owner.teamId,
      }),
      ...(changes.contactId !== undefined && { contact_id: changes.contactId }),
      updated_at: sql`now()`,
    })
    .where('tasks.tenant_id', '=', scope.tenantId)
    .where('tasks.id', '=', id)
    .where('tasks.status', '=', 'open')
    .where(sql<boolean>`exists (select 1 from ${FROM} where tasks.id = ${id}::uuid
      and tasks.tenant_id = ${scope.tenantId} and ${visibleTask(scope.access)} and ${manageable(scope, canManage)})`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Sets the status of tasks the member may manage, from open to closed (done, cancelled,
 * skipped) or back to open, as one statement over these ids or every task the filters
 * match. The ids changed.
 */
export async function setTaskStatus(
  scope: Scope,
  target: { ids: readonly string[] } | { filters: TaskFilters; clock: TaskClock },
  change: { from: 'open' | 'closed'; to: TaskStatus; reason?: string | null },
  canManage: boolean,
): Promise<string[]> {
  const closing = change.to !== 'open';
  const set = closing
    ? sql`status = ${change.to}, status_reason = ${change.reason ?? null}, closed_at = now(),
        closed_by = ${scope.userId}::uuid, updated_at = now()`
    : sql`status = 'open', status_reason = null, closed_at = null, closed_by = null, interaction_id = null,
        updated_at = now()`;
  return updateTargets(scope, target, set, change.from, canManage);
}

/** Gives open tasks to a member (and their team), or reschedules them: one statement. */
export function moveOpenTasks(
  scope: Scope,
  target: { ids: readonly string[] } | { filters: TaskFilters; clock: TaskClock },
  move: { owner: { userId: string; teamId: string | null } } | { dueOn: string } | { shiftDays: number },
  canManage: boolean,
): Promise<string[]> {
  let set: RawBuilder<unknown>;
  if ('owner' in move) {
    set = sql`owner_user_id = ${move.owner.userId}::uuid, team_id = ${move.owner.teamId}::uuid, updated_at = now()`;
  } else if ('dueOn' in move) {
    // A deadline keeps its time of day on the new day.
    set = sql`due_at = tasks.due_at + (${move.dueOn}::date - tasks.due_on) * interval '1 day',
      due_on = ${move.dueOn}::date, updated_at = now()`;
  } else {
    set = sql`due_at = tasks.due_at + ${move.shiftDays}::int * interval '1 day',
      due_on = tasks.due_on + ${move.shiftDays}::int, updated_at = now()`;
  }
  return updateTargets(scope, target, set, 'open', canManage);
}

async function updateTargets(
  scope: Scope,
  target: { ids: readonly string[] } | { filters: TaskFilters; clock: TaskClock },
  set: RawBuilder<unknown>,
  from: 'open' | 'closed',
  canManage: boolean,
): Promise<string[]> {
  const which =
    'ids' in target
      ? sql<boolean>`tasks.tenant_id = ${scope.tenantId} and tasks.id = any(${[...target.ids]}::uuid[])
          and ${visibleTask(scope.access)}`
      : taskConditions(scope, target.filters, target.clock);
  const status = from === 'open' ? sql<boolean>`tasks.status = 'open'` : sql<boolean>`tasks.status <> 'open'`;
  const { rows } = await sql<{ id: string }>`
    update tasks set ${set}
    where tasks.tenant_id = ${scope.tenantId} and ${status} and tasks.id in (
      select tasks.id from ${FROM}
      where ${which} and ${status} and ${manageable(scope, canManage)})
    returning tasks.id`.execute(scope.trx);
  return rows.map((row) => row.id);
}

/** Records the interaction logged with a task's completion. */
export async function setTaskInteraction(scope: Scope, id: string, interactionId: string): Promise<void> {
  await scope.trx
    .updateTable('tasks')
    .set({ interaction_id: interactionId })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
}

/** Open and done tasks due between two days (inclusive) for the calendar, by day, open ones first; at most `limit`. */
export async function selectTasksDueBetween(
  scope: Scope,
  owner: TaskFilters['owner'],
  from: string,
  to: string,
  clock: TaskClock,
  limit: number,
): Promise<TaskRow[]> {
  const { rows } = await sql<TaskRow>`
    select ${selectColumns(clock)}
    from ${FROM} ${JOINS}
    where tasks.tenant_id = ${scope.tenantId} and ${visibleTask(scope.access)} and ${ownerCondition(scope, owner)}
      and tasks.status in ('open', 'done') and tasks.due_on between ${from}::date and ${to}::date
    order by tasks.due_on, tasks.status <> 'open', tasks.due_at, tasks.id
    limit ${limit}`.execute(scope.trx);
  return rows;
}

export type OverdueByOwnerRow = {
  owner_user_id: string | null;
  owner_name: string | null;
  overdue: number;
  over_week: number;
  due_today: number;
  oldest_due_on: string | null;
};
export type OverdueByTierRow = { tier: string | null; overdue: number; over_week: number };

/**
 * The overdue board: the open tasks a member sees that are due today or earlier, counted by
 * owner (overdue, overdue by more than a week, due today, the oldest day) and by the tier
 * of their customer. Two grouped counts over the open-task index, whatever the team's size.
 */
export async function countOverdueTasks(
  scope: Scope,
  today: string,
): Promise<{ owners: OverdueByOwnerRow[]; tiers: OverdueByTierRow[] }> {
  const open = sql<boolean>`tasks.tenant_id = ${scope.tenantId} and ${visibleTask(scope.access)}
    and tasks.status = 'open' and tasks.due_on <= ${today}::date`;
  const { rows: owners } = await sql<OverdueByOwnerRow>`
    select tasks.owner_user_id, owner.name as owner_name,
      count(*) filter (where tasks.due_on < ${today}::date)::int as overdue,
      count(*) filter (where tasks.due_on < ${today}::date - 7)::int as over_week,
      count(*) filter (where tasks.due_on = ${today}::date)::int as due_today,
      (min(tasks.due_on) filter (where tasks.due_on < ${today}::date))::text as oldest_due_on
    from ${FROM}
    left join users owner on owner.id = tasks.owner_user_id
    where ${open}
    group by tasks.owner_user_id, owner.name
    order by 3 desc, 4 desc, owner.name nulls last`.execute(scope.trx);
  const { rows: tiers } = await sql<OverdueByTierRow>`
    select customer_tier.tier, count(*)::int as overdue,
      count(*) filter (where tasks.due_on < ${today}::date - 7)::int as over_week
    from ${FROM}
    where ${open} and tasks.due_on < ${today}::date
    group by customer_tier.tier
    order by 2 desc, customer_tier.tier nulls last`.execute(scope.trx);
  return { owners, tiers };
}

/**
 * Completes the open tasks of a record whose occasion key starts with one of `keyPrefixes`
 * (an SLA warning once the ticket is answered), as done by the system with a reason. The ids closed.
 */
export async function completeOpenTasksByKey(
  scope: Scope,
  related: { kind: string; id: string },
  keyPrefixes: readonly string[],
  reason: string,
): Promise<string[]> {
  if (keyPrefixes.length === 0) return [];
  const patterns = keyPrefixes.map((prefix) => `${escapeLike(prefix)}%`);
  const { rows } = await sql<{ id: string }>`
    update tasks set status = 'done', status_reason = ${reason}, closed_at = now(), closed_by = ${scope.userId}::uuid,
      updated_at = now()
    where tenant_id = ${scope.tenantId} and related_kind = ${related.kind} and related_id = ${related.id}::uuid
      and status = 'open' and source_key like any(${patterns}::text[])
    returning id`.execute(scope.trx);
  return rows.map((row) => row.id);
}

/**
 * Moves records' open tasks with these key prefixes — and, for a move that names the record's
 * previous owner, that owner's other open tasks on the record — to new owners and teams (one
 * statement).
 */
export async function moveOpenTasksByKey(
  scope: Scope,
  kind: string,
  moves: readonly {
    id: string;
    ownerUserId: string | null;
    teamId: string | null;
    fromOwnerUserId?: string | null;
  }[],
  keyPrefixes: readonly string[],
): Promise<number> {
  if (keyPrefixes.length === 0 || moves.length === 0) return 0;
  const patterns = keyPrefixes.map((prefix) => `${escapeLike(prefix)}%`);
  const rows = JSON.stringify(
    moves.map((move) => ({
      id: move.id,
      owner: move.ownerUserId,
      team: move.teamId,
      from_owner: move.fromOwnerUserId ?? null,
    })),
  );
  const result = await sql`
    update tasks t set owner_user_id = m.owner, team_id = m.team, updated_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as m(id uuid, owner uuid, team uuid, from_owner uuid)
    where t.tenant_id = ${scope.tenantId} and t.related_kind = ${kind} and t.related_id = m.id
      and t.status = 'open'
      and (t.source_key like any(${patterns}::text[])
        or (m.from_owner is not null and t.owner_user_id = m.from_owner))`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Closes the open tasks with these key prefixes of many records of one kind, as done, with a reason. */
export async function completeOpenTasksOfByKey(
  scope: Scope,
  kind: string,
  ids: readonly string[],
  keyPrefixes: readonly string[],
  reason: string,
): Promise<string[]> {
  if (keyPrefixes.length === 0 || ids.length === 0) return [];
  const patterns = keyPrefixes.map((prefix) => `${escapeLike(prefix)}%`);
  const { rows } = await sql<{ id: string }>`
    update tasks set status = 'done', status_reason = ${reason}, closed_at = now(), closed_by = ${scope.userId}::uuid,
      updated_at = now()
    where tenant_id = ${scope.tenantId} and related_kind = ${kind} and related_id = any(${ids as string[]}::uuid[])
      and status = 'open' and source_key like any(${patterns}::text[])
    returning id`.execute(scope.trx);
  return rows.map((row) => row.id);
}

/**
 * The webhook payloads of these tasks (`task.created`, `task.completed`, `task.overdue`), as a
 * query for the outbox: one statement however many tasks a change touched.
 */
export function taskEventPayloads(scope: Scope, ids: readonly string[]): RawBuilder<unknown> {
  return sql`select ${taskPayload('t')} as payload
    from tasks t
    where t.tenant_id = ${scope.tenantId} and t.id = any(${[...ids]}::uuid[])
    order by t.created_at, t.id`;
}

/**
 * The overdue scan's claim: open tasks due before `today` (the tenant's day) and not yet
 * announced are marked announced, in one statement over the open-task index; their ids. A
 * task due more than `graceDays` ago when first seen (a tenant's first scan, a scan missed
 * for a week) is marked without being returned: old news is not announced.
 */
export async function markOverdueAnnounced(
  scope: Scope,
  today: string,
  graceDays: number,
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with marked as (
      update tasks set overdue_announced_at = now()
      where tenant_id = ${scope.tenantId} and status = 'open' and due_on < ${today}::date
        and overdue_announced_at is null
      returning id, due_on
    )
    select id from marked where due_on >= ${today}::date - ${graceDays}::int`.execute(scope.trx);
  return rows.map((row) => row.id);
}
