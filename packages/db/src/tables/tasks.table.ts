import type { TaskPriority, TaskSource, TaskStatus, TaskType } from '@crm/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';

export {
  TASK_PRIORITIES,
  TASK_RELATED_KINDS,
  TASK_SOURCES,
  TASK_STATUSES,
  TASK_TYPES,
  type TaskPriority,
  type TaskRelatedKind,
  type TaskSource,
  type TaskStatus,
  type TaskType,
} from '@crm/domain';

/**
 * A task (任务): what someone should do, by when, about which record, and what generated it
 * (a plan, a reminder, a rule, an interaction's 下一步, or a person). `due_on` is the day in
 * the tenant's calendar; `due_at` an optional precise deadline. `source_key` names the
 * occasion and is unique per tenant, so generators never make the same task twice.
 */
export type TasksTable = {
  tenant_id: string;
  id: Generated<string>;
  title: string;
  type: TaskType;
  notes: string | null;
  customer_id: string | null;
  contact_id: string | null;
  related_kind: string | null;
  related_id: string | null;
  owner_user_id: string | null;
  team_id: string | null;
  /** 'YYYY-MM-DD'. */
  due_on: ColumnType<string, string, string>;
  due_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  priority: ColumnType<TaskPriority, TaskPriority | undefined, TaskPriority>;
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>;
  status_reason: string | null;
  closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  closed_by: string | null;
  interaction_id: string | null;
  source: ColumnType<TaskSource, TaskSource | undefined, TaskSource>;
  source_id: string | null;
  source_key: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** When the overdue scan announced the task overdue (`task.overdue`, once per task). */
  overdue_announced_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
};
export type Task = Selectable<TasksTable>;
