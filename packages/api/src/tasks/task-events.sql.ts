import { type RawBuilder, sql } from 'kysely';

/**
 * What a task event carries (`task.created`, `task.completed`, `task.overdue`; docs/api.md):
 * the task's row as a jsonb object, from the rows named `alias` — a table or the rows a
 * statement returned, so a statement that makes thousands of tasks (plans, reminders) announces
 * them itself (`webhooks.outbox.ts`).
 */
export function taskPayload(alias: string): RawBuilder<unknown> {
  const t = sql.ref(alias);
  return sql`jsonb_build_object('id', ${t}.id, 'title', ${t}.title, 'type', ${t}.type, 'status', ${t}.status,
    'priority', ${t}.priority, 'dueOn', ${t}.due_on::text, 'dueAt', ${t}.due_at, 'ownerUserId', ${t}.owner_user_id,
    'teamId', ${t}.team_id, 'customerId', ${t}.customer_id, 'contactId', ${t}.contact_id,
    'relatedKind', ${t}.related_kind, 'relatedId', ${t}.related_id, 'source', ${t}.source,
    'statusReason', ${t}.status_reason, 'closedAt', ${t}.closed_at, 'createdAt', ${t}.created_at)`;
}
