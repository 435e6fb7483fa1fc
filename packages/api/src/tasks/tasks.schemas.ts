import {
  dateInput,
  dateTimeInput,
  INTERACTION_KINDS,
  SENTIMENTS,
  TASK_PRIORITIES,
  TASK_SOURCES,
  TASK_STATUSES,
  TASK_TYPES,
  userText,
} from '@crm/domain';
import { KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';

/** A task (任务) as every procedure returns it. */
export const taskOutput = z.object({
  id: z.uuid(),
  title: z.string(),
  type: z.enum(TASK_TYPES),
  notes: z.string().nullable(),
  customerId: z.uuid().nullable(),
  customerName: z.string().nullable(),
  contactId: z.uuid().nullable(),
  contactName: z.string().nullable(),
  relatedKind: z.string().nullable(),
  relatedId: z.uuid().nullable(),
  ownerUserId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  teamId: z.uuid().nullable(),
  /** The day it is due, in the tenant's calendar: 'YYYY-MM-DD'. */
  dueOn: z.string(),
  /** A precise deadline, when it has one (ISO instant). */
  dueAt: z.string().nullable(),
  priority: z.enum(TASK_PRIORITIES),
  status: z.enum(TASK_STATUSES),
  statusReason: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedByName: z.string().nullable(),
  interactionId: z.uuid().nullable(),
  source: z.enum(TASK_SOURCES),
  sourceId: z.uuid().nullable(),
  createdAt: z.string(),
  /** Open and past its day (or its deadline), in the tenant's time zone. */
  overdue: z.boolean(),
});
export type TaskOutput = z.infer<typeof taskOutput>;

/** Which of a member's tasks a list shows: open by when they are due, or closed. */
export const TASK_VIEWS = ['today', 'overdue', 'next7', 'upcoming', 'open', 'done', 'all'] as const;
export type TaskView = (typeof TASK_VIEWS)[number];
export const TASK_SORTS = ['due', 'priority', 'created', 'closed'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

/** Whose tasks: mine, one member's, nobody's (needs tasks.manage), or everyone's I see. */
export const taskOwnerInput = z.union([z.enum(['me', 'unassigned', 'any']), z.uuid()]);

export const taskFilterFields = {
  view: z.enum(TASK_VIEWS).default('today'),
  owner: taskOwnerInput.default('me'),
  customerId: z.uuid().optional(),
  types: z.array(z.enum(TASK_TYPES)).max(TASK_TYPES.length).optional(),
  sources: z.array(z.enum(TASK_SOURCES)).max(TASK_SOURCES.length).optional(),
  priorities: z.array(z.enum(TASK_PRIORITIES)).max(TASK_PRIORITIES.length).optional(),
  /** Words in the title. */
  search: z.string().trim().max(100).optional(),
  /** The tier of the task's customer (a plugin's tier key); null: customers without a tier, or none. */
  tier: z.string().regex(KEY_PATTERN).nullable().optional(),
};
export const taskFiltersInput = z.strictObject(taskFilterFields);
export type TaskFilters = z.infer<typeof taskFiltersInput>;

export const listTasksInput = z
  .strictObject({
    ...taskFilterFields,
    /** Defaults to `closed` (newest first) for the done view, the only one it applies to, and `due` otherwise. */
    sort: z.enum(TASK_SORTS).optional(),
    cursor: z.string().max(400).nullish(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .default({ view: 'today', owner: 'me', limit: 50 });
export type ListTasksInput = z.infer<typeof listTasksInput>;

export const taskPageOutput = z.object({
  items: z.array(taskOutput),
  nextCursor: z.string().nullable(),
  /** The tenant's today, the day `today` and `overdue` are measured against. */
  today: z.string(),
});
export type TaskPageOutput = z.infer<typeof taskPageOutput>;

export const taskCountsInput = z
  .strictObject({ owner: taskOwnerInput.default('me') })
  .default({ owner: 'me' });
export const taskCountsOutput = z.object({
  today: z.number().int(),
  overdue: z.number().int(),
  next7: z.number().int(),
});
export type TaskCountsOutput = z.infer<typeof taskCountsOutput>;

export const taskIdInput = z.strictObject({ id: z.uuid() });

const title = userText({ required: true, max: 200 });
const notes = userText({ multiline: true, max: 4000 });

export const createTaskInput = z.strictObject({
  title,
  type: z.enum(TASK_TYPES).default('follow_up'),
  notes: notes.nullish(),
  customerId: z.uuid().nullish(),
  contactId: z.uuid().nullish(),
  /** Defaults to the acting member; anyone else needs tasks.manage. */
  ownerUserId: z.uuid().nullish(),
  dueOn: dateInput,
  dueAt: dateTimeInput.nullish(),
  priority: z.enum(TASK_PRIORITIES).default('normal'),
});
export type CreateTaskInput = z.infer<typeof createTaskInput>;

export const updateTaskInput = z.strictObject({
  id: z.uuid(),
  title: title.optional(),
  type: z.enum(TASK_TYPES).optional(),
  notes: notes.nullish(),
  dueOn: dateInput.optional(),
  dueAt: dateTimeInput.nullish(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  /** Someone else than oneself needs tasks.manage; null leaves it unassigned. */
  ownerUserId: z.uuid().nullish(),
  contactId: z.uuid().nullish(),
});
export type UpdateTaskInput = z.infer<typeof updateTaskInput>;

/** The interaction logged with a completion: what happened, and the next step. */
export const completionInteractionInput = z.strictObject({
  kind: z.enum(INTERACTION_KINDS),
  summary: userText({ required: true, multiline: true, max: 4000 }),
  outcome: z.string().trim().max(2000).nullish(),
  nextStep: z.string().trim().max(1000).nullish(),
  /** A 截止日期 makes the next step a follow-up task of the member. */
  nextStepDue: dateInput.nullish(),
  sentiment: z.enum(SENTIMENTS).optional(),
  contactId: z.uuid().nullish(),
  occurredAt: dateTimeInput.optional(),
});

export const completeTaskInput = z.strictObject({
  id: z.uuid(),
  /** Logs the interaction in the same transaction as the completion. */
  interaction: completionInteractionInput.optional(),
});
export type CompleteTaskInput = z.infer<typeof completeTaskInput>;

export const closeTaskInput = z.strictObject({
  id: z.uuid(),
  reason: userText({ required: true, max: 500 }),
});

export const completeTaskOutput = z.object({ task: taskOutput, interactionId: z.uuid().nullable() });

/** Which tasks a bulk change applies to: these ids, or every open task the filters match. */
const bulkTarget = z.union([
  z.strictObject({ ids: z.array(z.uuid()).min(1).max(500) }),
  z.strictObject({ filter: taskFiltersInput }),
]);

export const bulkTasksInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('reassign'), target: bulkTarget, ownerUserId: z.uuid() }),
  z.strictObject({
    action: z.literal('reschedule'),
    target: bulkTarget,
    /** Either a new day for all of them, or a shift of each by N days. */
    dueOn: dateInput.optional(),
    shiftDays: z.number().int().min(-366).max(366).optional(),
  }),
  z.strictObject({ action: z.literal('complete'), target: bulkTarget }),
  z.strictObject({
    action: z.literal('cancel'),
    target: bulkTarget,
    reason: userText({ required: true, max: 500 }),
  }),
]);
export type BulkTasksInput = z.infer<typeof bulkTasksInput>;
export const bulkTasksOutput = z.object({ changed: z.number().int() });

/** The calendar (任务日历): the tasks due in a week or a month's grid of six weeks. */
export const TASK_CALENDAR_MAX_DAYS = 62;
export const TASK_CALENDAR_LIMIT = 500;
export const taskCalendarInput = z.strictObject({
  from: dateInput,
  to: dateInput,
  owner: taskOwnerInput.default('me'),
});
export type TaskCalendarInput = z.infer<typeof taskCalendarInput>;
export const taskCalendarOutput = z.object({
  /** Open and done tasks by due day, at most TASK_CALENDAR_LIMIT. */
  items: z.array(taskOutput),
  /** More tasks fall in the range than were returned. */
  truncated: z.boolean(),
  today: z.string(),
});
export type TaskCalendarOutput = z.infer<typeof taskCalendarOutput>;

/** The team's overdue board (逾期看板): open tasks past their day, by owner and by customer tier. */
export const overdueBoardOutput = z.object({
  today: z.string(),
  total: z.number().int(),
  overWeek: z.number().int(),
  reps: z.array(
    z.object({
      /** null: nobody's (the team's unassigned tasks). */
      userId: z.uuid().nullable(),
      name: z.string().nullable(),
      overdue: z.number().int(),
      /** Overdue by more than seven days. */
      overWeek: z.number().int(),
      dueToday: z.number().int(),
      oldestDueOn: z.string().nullable(),
    }),
  ),
  tiers: z.array(
    z.object({ tier: z.string().nullable(), overdue: z.number().int(), overWeek: z.number().int() }),
  ),
});
export type OverdueBoardOutput = z.infer<typeof overdueBoardOutput>;
