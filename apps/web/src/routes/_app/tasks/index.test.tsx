import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../../../i18n';
import type { Task } from '../../../lib/api-types';
import type { Shell } from '../../../lib/shell-context';
import { me, tenant } from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc, callsOf } from '../../../test/trpc-msw';
import { Route as tasksRoute } from './index';

/*
 * 我的任务: the tabs with their counts, an overdue task in red with how late it is, and the
 * 完成 dialog that completes the task and logs the interaction in one call.
 */

const repShell: Shell = {
  me,
  tenant: {
    ...tenant,
    role: 'sales_rep',
    permissions: [
      'customers.read',
      'customers.create',
      'customers.update',
      'interactions.write',
      'tasks.write',
    ],
  },
};

const TASK: Task = {
  id: '5e1d2c3b-4a59-4867-9756-4a3b2c1d0e0f',
  title: '季度回访：确认续约意向',
  type: 'callback',
  notes: null,
  customerId: '8b3c4d5e-6f70-4a1b-9c2d-3e4f5a6b7c8d',
  customerName: '杭州东方贸易有限公司',
  contactId: null,
  contactName: null,
  relatedKind: null,
  relatedId: null,
  ownerUserId: me.user.id,
  ownerName: '王经理',
  teamId: null,
  dueOn: '2026-12-04',
  dueAt: null,
  priority: 'high',
  status: 'open',
  statusReason: null,
  closedAt: null,
  closedByName: null,
  interactionId: null,
  source: 'plan',
  sourceId: null,
  createdAt: '2026-11-01T02:00:00.000Z',
  overdue: true,
};

afterEach(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('我的任务', () => {
  it('shows the overdue tab with counts, and completes a task while logging the call', async () => {
    answerTrpc({
      'tasks.list': () => ({ items: [TASK], nextCursor: null, today: '2026-12-07' }),
      'tasks.counts': () => ({ today: 2, overdue: 1, next7: 5 }),
      'contacts.list': () => [],
      'tasks.complete': (input) => ({
        task: { ...TASK, status: 'done', overdue: false, closedAt: '2026-12-07T03:00:00.000Z' },
        interactionId: input.interaction ? '9c4d5e6f-7081-4b2c-8d3e-4f5a6b7c8d9e' : null,
      }),
    });
    const { user } = renderRoute({
      url: '/tasks?view=overdue',
      shell: repShell,
      app: [{ route: tasksRoute, path: '/tasks' }],
    });

    const row = within(
      (await screen.findByText(TASK.title, {}, { timeout: 20_000 })).closest('tr') as HTMLElement,
    );
    expect(row.getByTestId('task-overdue')).toHaveTextContent('逾期 3 天');
    expect(row.getByText('计划')).toBeInTheDocument();
    expect(row.getByText('回访')).toBeInTheDocument();
    expect(await screen.findByTestId('task-view-today')).toHaveTextContent('2');
    expect(screen.getByTestId('task-view-next7')).toHaveTextContent('5');
    expect(callsOf('tasks.list').at(-1)?.input).toMatchObject({ view: 'overdue', owner: 'me' });

    await user.click(row.getByTestId('task-complete'));
    await user.type(await screen.findByTestId('task-complete-summary'), '电话回访，客户同意续约');
    await user.click(screen.getByTestId('task-complete-submit'));
    await waitFor(() => expect(callsOf('tasks.complete')).toHaveLength(1));
    expect(callsOf('tasks.complete')[0]?.input).toEqual({
      id: TASK.id,
      interaction: { kind: 'call', summary: '电话回访，客户同意续约', sentiment: 'neutral' },
    });
    expect(await screen.findByText('任务已完成，沟通已记录')).toBeInTheDocument();

    await i18n.changeLanguage('en');
    expect(await screen.findByText('3 days overdue')).toBeInTheDocument();
    expect(screen.getByTestId('task-view-overdue')).toHaveTextContent('Overdue');
  }, 60_000);
});
