import type { WebhookEventType } from '@crm/domain';
import type { RawBuilder } from 'kysely';
import type { Scope } from '../scope';
import { recordWebhookEventsFrom } from '../webhooks/webhooks.service';
import {
  completeOpenTasksByKey,
  completeOpenTasksOfByKey,
  insertInteractionFollowUps,
  insertTasks,
  markOverdueAnnounced,
  moveOpenTasksByKey,
  type NewTask,
  taskEventPayloads,
} from './tasks.repository';

export type { NewTask } from './tasks.repository';

/*
 * The task backbone's service for other capabilities: maintenance plans, reminders, rules
 * (SLAs, escalations), interactions' 下一步 and later leads, tickets and surveys put their
 * follow-ups on it through these functions, in the caller's transaction (`scope.trx`).
 * Kept apart from tasks.service.ts, which logs interactions through the interactions
 * service: interactions call this module, and one file would make an import cycle.
 */

/**
 * Puts tasks on the backbone, set-based (multi-row statements). A task whose `sourceKey`
 * (its occasion: 'plan:<plan>:<date>', 'reminder:birthday:<customer>:2027' …) the tenant
 * already has is skipped, so a generator that runs twice never makes a task twice. Owners
 * must be members of the tenant (the database refuses others); `teamId` defaults to the
 * owner's team. Returns how many were inserted.
 */
export async function createTasks(scope: Scope, tasks: readonly NewTask[]): Promise<number> {
  if (tasks.length === 0) return 0;
  const ids = await insertTasks(scope, tasks);
  await announceTasks(scope, 'task.created', ids);
  return ids.length;
}

/**
 * The webhook events of tasks a change touched (`task.created`, `task.completed`,
 * `task.overdue`), written in the change's transaction: one statement however many.
 */
export async function announceTasks(
  scope: Scope,
  type: Extract<WebhookEventType, `task.${string}`>,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await recordWebhookEventsFrom(scope, type, taskEventPayloads(scope, ids));
}

/** How long after its due day a task first seen overdue is still announced (`task.overdue`). */
export const OVERDUE_ANNOUNCE_GRACE_DAYS = 7;

/**
 * The overdue scan (each morning, with the task notifications): every open task due before
 * the tenant's `today` is announced overdue once, ever (`task.overdue`). A task already
 * overdue for more than a week when the scan first sees it is marked without an event.
 * Returns how many were announced.
 */
export async function announceOverdueTasks(scope: Scope, today: string): Promise<number> {
  const ids = await markOverdueAnnounced(scope, today, OVERDUE_ANNOUNCE_GRACE_DAYS);
  await announceTasks(scope, 'task.overdue', ids);
  return ids.length;
}

/** The default title of an interaction's follow-up when its 下一步 has no words. */
const FOLLOW_UP_TITLE = { 'zh-CN': '跟进', en: 'Follow up' } as const;

/**
 * An interaction's 下一步 with a 截止日期 becomes an open follow-up task of its author (or,
 * when the author is gone, of the customer's owner), keyed 'interaction:<id>': once, ever.
 * For these interactions, or every interaction of the customers a statement selects (an
 * import: its staged rows' customers, however many, without their ids passing through the
 * process). Interactions cannot be edited, so a task never has to follow a changed step.
 * Returns how many were made.
 */
export async function createInteractionFollowUps(
  scope: Scope,
  of: { interactionIds: readonly string[] } | { customersOf: RawBuilder<unknown> },
): Promise<number> {
  if ('interactionIds' in of && of.interactionIds.length === 0) return 0;
  const made = await insertInteractionFollowUps(scope, of, FOLLOW_UP_TITLE[scope.locale]);
  await announceTasks(scope, 'task.created', made);
  return made.length;
}

/**
 * Closes a record's open generated tasks whose occasion key starts with one of these
 * prefixes, as done, with a reason (a ticket's SLA warnings once it is answered or resolved).
 * Returns how many were closed.
 */
export async function completeGeneratedTasks(
  scope: Scope,
  related: { kind: 'lead' | 'opportunity' | 'ticket' | 'survey_response'; id: string },
  keyPrefixes: readonly string[],
  reason: string,
): Promise<number> {
  const closed = await completeOpenTasksByKey(scope, related, keyPrefixes, reason);
  await announceTasks(scope, 'task.completed', closed);
  return closed.length;
}

/**
 * Gives records' open generated tasks whose occasion key starts with one of these prefixes —
 * and the previous owner's other open tasks on the record, when a move names them — to the
 * records' new owners and teams (a lead reassigned, claimed from or released to the 公海), in
 * one statement. Returns how many moved.
 */
export function moveGeneratedTasks(
  scope: Scope,
  kind: 'lead' | 'opportunity' | 'ticket' | 'survey_response',
  moves: readonly {
    id: string;
    ownerUserId: string | null;
    teamId: string | null;
    fromOwnerUserId?: string | null;
  }[],
  keyPrefixes: readonly string[],
): Promise<number> {
  if (moves.length === 0) return Promise.resolve(0);
  return moveOpenTasksByKey(scope, kind, moves, keyPrefixes);
}

/** `completeGeneratedTasks` over many records of one kind at once (one statement). */
export async function completeGeneratedTasksOf(
  scope: Scope,
  kind: 'lead' | 'opportunity' | 'ticket' | 'survey_response',
  ids: readonly string[],
  keyPrefixes: readonly string[],
  reason: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const closed = await completeOpenTasksOfByKey(scope, kind, ids, keyPrefixes, reason);
  await announceTasks(scope, 'task.completed', closed);
  return closed.length;
}
