import type { LinkProps } from '@tanstack/react-router';
import type { Permission } from '../../lib/api-types';

/**
 * The areas under 任务, shown as a switcher above them when a member has more than one:
 * 我的任务 here; the calendar (week / month) and the team's overdue board add themselves by
 * adding an entry and a route under routes/_app/tasks/.
 */
export type TaskArea = {
  key: string;
  to: LinkProps['to'];
  /** A key under `tasks.areas` in the i18n files. */
  label: `tasks.areas.${string}`;
  /** Shown only to members with this permission. */
  permission?: Permission;
};

export const TASK_AREAS: TaskArea[] = [
  { key: 'mine', to: '/tasks', label: 'tasks.areas.mine' },
  { key: 'calendar', to: '/tasks/calendar', label: 'tasks.areas.calendar' },
  { key: 'board', to: '/tasks/board', label: 'tasks.areas.board', permission: 'tasks.manage' },
];
