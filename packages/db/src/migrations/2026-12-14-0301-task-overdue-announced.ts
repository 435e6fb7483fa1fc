import { type Kysely, sql } from 'kysely';

/*
 * Tasks: when the overdue scan announced a task overdue (the `task.overdue` webhook event,
 * once per task). The scan reads the open-task index on the due day (tasks_open_due_idx) and
 * skips tasks already announced. A nullable column without a default: no table rewrite.
 * Frozen in time; runs as the owner role.
 */
const statements = [`alter table tasks add column overdue_announced_at timestamptz`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
