import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../../../i18n';
import type { Ticket, TicketDetail, TicketSettings } from '../../../lib/api-types';
import { formatDateTime } from '../../../lib/format';
import type { Shell } from '../../../lib/shell-context';
import { me, tenant } from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc, callsOf } from '../../../test/trpc-msw';
import { Route as ticketRoute } from './$ticketId';
import { Route as ticketsRoute } from './index';

/*
 * 工单: the list with its view counts and SLA badges (time left, at risk, breached), its
 * filters sent to tickets.list; the detail with its SLA clocks, a reply, and the move to
 * 等待客户 with a comment — in zh-CN and in English.
 */

const agentShell: Shell = {
  me,
  tenant: {
    ...tenant,
    role: 'service_agent',
    permissions: ['customers.read', 'tickets.create', 'tickets.work'],
  },
};

const SETTINGS: TicketSettings = {
  categories: [
    { key: 'quality', labelZh: '质量问题', labelEn: 'Quality', origin: 'plugin', hidden: false },
    { key: 'delivery', labelZh: '物流配送', labelEn: 'Delivery', origin: 'plugin', hidden: false },
  ],
  policies: [
    {
      id: null,
      origin: 'default',
      priority: null,
      tier: null,
      firstResponseMinutes: 1440,
      resolutionMinutes: 4320,
      mode: null,
    },
  ],
  tiers: [{ key: 'strategic', labelZh: '战略客户', labelEn: 'Strategic' }],
  warnAtPercent: 80,
  escalateAtPercent: 150,
  defaultMode: 'business',
};

const SLA: Ticket['sla'] = {
  state: 'on_track',
  clock: 'first_response',
  dueAt: '2026-12-08T02:00:00.000Z',
  remainingMs: 5 * 3600_000,
  mode: 'business',
  firstResponseMinutes: 1440,
  resolutionMinutes: 4320,
  policy: 'default',
  firstResponseDueAt: '2026-12-08T02:00:00.000Z',
  resolutionDueAt: '2026-12-10T02:00:00.000Z',
  firstRespondedAt: null,
  firstResponseBreached: false,
  resolutionBreached: false,
  pausedAt: null,
};

const BASE: Ticket = {
  id: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a10',
  number: 1024,
  type: 'complaint',
  category: 'quality',
  subject: '收到的货物外包装破损',
  customerId: '8b3c4d5e-6f70-4a1b-9c2d-3e4f5a6b7c8d',
  customerName: '杭州东方贸易有限公司',
  customerTier: 'strategic',
  contactId: null,
  contactName: null,
  priority: 'high',
  channel: 'phone',
  status: 'in_progress',
  assigneeUserId: me.user.id,
  assigneeName: '王经理',
  teamId: null,
  source: 'manual',
  interactionId: null,
  createdAt: '2026-12-07T01:00:00.000Z',
  updatedAt: '2026-12-07T01:00:00.000Z',
  resolvedAt: null,
  closedAt: null,
  sla: SLA,
};

const AT_RISK: Ticket = {
  ...BASE,
  id: '2f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a11',
  number: 1025,
  subject: '发票抬头开错',
  category: null,
  priority: 'normal',
  sla: { ...SLA, state: 'at_risk', remainingMs: 40 * 60_000 },
};

const BREACHED: Ticket = {
  ...BASE,
  id: '3f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a12',
  number: 1026,
  subject: '安装师傅未按约定上门',
  category: 'delivery',
  status: 'new',
  assigneeUserId: null,
  assigneeName: null,
  sla: { ...SLA, state: 'breached', remainingMs: -3 * 3600_000, firstResponseBreached: true },
};

/** Open for months in calendar time: its overdue span in days and hours, not thousands of hours. */
const LONG_OVERDUE: Ticket = {
  ...BASE,
  id: '4f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a13',
  number: 1027,
  subject: '会员积分查询',
  sla: {
    ...SLA,
    state: 'breached',
    clock: 'resolution',
    mode: 'calendar',
    remainingMs: -2918 * 3600_000,
    resolutionBreached: true,
  },
};

const KPIS = {
  by: 'category' as const,
  rows: [],
  total: {
    key: null,
    label: null,
    opened: 12,
    closed: 9,
    closureRate: 0.75,
    firstResponseHours: 3.5,
    resolutionHours: 20,
    firstResponseMetRate: 0.9,
    resolutionMetRate: 0.8,
    breached: 1,
  },
};

afterEach(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('工单', () => {
  it('lists tickets with counts and SLA badges, and sends the filters', async () => {
    answerTrpc({
      'tickets.list': () => ({ items: [BASE, AT_RISK, BREACHED, LONG_OVERDUE], nextCursor: null }),
      'tickets.counts': () => ({ mine: 2, unassigned: 1, atRisk: 1, breached: 1 }),
      'tickets.settings': () => SETTINGS,
      'tickets.kpis': () => KPIS,
    });
    const { user } = renderRoute({
      url: '/tickets',
      shell: agentShell,
      app: [{ route: ticketsRoute, path: '/tickets/' }],
    });

    const row = (subject: string) =>
      within(screen.getByText(subject, { exact: false }).closest('tr') as HTMLElement);
    await screen.findByText('收到的货物外包装破损', { exact: false }, { timeout: 20_000 });
    expect(row('收到的货物外包装破损').getByTestId('ticket-sla')).toHaveTextContent('首次响应 · 剩余 5 小时');
    expect(row('发票抬头开错').getByTestId('ticket-sla')).toHaveAttribute('data-state', 'at_risk');
    expect(row('发票抬头开错').getByTestId('ticket-sla')).toHaveTextContent('剩余 40 分钟');
    expect(row('安装师傅未按约定上门').getByTestId('ticket-sla')).toHaveTextContent('超时 3 小时');
    expect(row('安装师傅未按约定上门').getByText('待分配')).toBeInTheDocument();
    expect(row('会员积分查询').getByTestId('ticket-sla')).toHaveTextContent('解决 · 超时 121 天 14 小时');
    expect(row('收到的货物外包装破损').getByText('质量问题', { exact: false })).toBeInTheDocument();
    expect(await screen.findByTestId('ticket-view-mine')).toHaveTextContent('2');
    expect(screen.getByTestId('ticket-view-breached')).toHaveTextContent('1');
    expect(within(screen.getByTestId('ticket-kpis')).getByText('75%')).toBeInTheDocument();

    await user.click(screen.getByTestId('ticket-view-breached'));
    await waitFor(() => expect(callsOf('tickets.list').at(-1)?.input).toMatchObject({ view: 'breached' }));

    await i18n.changeLanguage('en');
    expect(await screen.findByText('First response · 40 min left')).toBeInTheDocument();
    expect(screen.getByText('First response · 3 h over')).toBeInTheDocument();
    expect(screen.getByText('Resolution · 121 d 14 h over')).toBeInTheDocument();
    expect(screen.getByTestId('ticket-view-unassigned')).toHaveTextContent('Unassigned');
  }, 60_000);

  it('shows the SLA clocks, replies, and moves the ticket to waiting on the customer', async () => {
    const detail: TicketDetail = {
      ticket: BASE,
      description: '客户反馈：12 月 5 日收到的 20 箱货物中有 3 箱外包装破损。',
      events: [
        {
          id: '4a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
          kind: 'created',
          authorUserId: me.user.id,
          authorName: '王经理',
          body: null,
          fromStatus: null,
          toStatus: null,
          data: { source: 'manual' },
          createdAt: '2026-12-07T01:00:00.000Z',
        },
      ],
      attachments: [
        {
          id: '5a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3e',
          fileName: '破损照片.jpg',
          contentType: 'image/jpeg',
          size: 204800,
          createdAt: '2026-12-07T01:10:00.000Z',
          createdByName: '王经理',
        },
      ],
      moves: ['waiting_on_customer', 'resolved'],
      canWork: true,
      canAssign: false,
    };
    answerTrpc({
      'tickets.get': () => detail,
      'tickets.settings': () => SETTINGS,
      'tickets.reply': (input) => ({
        ...detail,
        events: [
          ...detail.events,
          {
            id: '6a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3f',
            kind: input.kind ?? 'reply',
            authorUserId: me.user.id,
            authorName: '王经理',
            body: input.body,
            fromStatus: null,
            toStatus: null,
            data: {},
            createdAt: '2026-12-07T02:00:00.000Z',
          },
        ],
      }),
      'tickets.move': (input) => ({
        ...detail,
        ticket: {
          ...BASE,
          status: input.to,
          sla: {
            ...SLA,
            state: 'paused',
            clock: null,
            remainingMs: null,
            pausedAt: '2026-12-07T02:00:00.000Z',
          },
        },
      }),
    });
    const { user } = renderRoute({
      url: `/tickets/${BASE.id}`,
      shell: agentShell,
      app: [{ route: ticketRoute, path: '/tickets/$ticketId' }],
    });

    expect(await screen.findByTestId('ticket-title', {}, { timeout: 20_000 })).toHaveTextContent(
      '#1024 收到的货物外包装破损',
    );
    const sla = screen.getByTestId('ticket-sla-card');
    expect(within(sla).getByText('首次响应 24 小时 · 解决 72 小时 · 按工作时间')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('ticket-attachments')).getByText('破损照片.jpg', { exact: false }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('ticket-attachments')).getByRole('link', { name: '破损照片.jpg' }),
    ).toHaveAttribute('href', '/api/tickets/attachments/5a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3e');

    await user.type(screen.getByTestId('ticket-reply-body'), '您好，已安排补发，请提供破损照片。');
    await user.click(screen.getByTestId('ticket-reply-send'));
    await waitFor(() => expect(callsOf('tickets.reply')).toHaveLength(1));
    expect(callsOf('tickets.reply')[0]?.input).toEqual({
      id: BASE.id,
      kind: 'reply',
      body: '您好，已安排补发，请提供破损照片。',
    });

    await user.click(screen.getByTestId('ticket-move-waiting_on_customer'));
    await user.type(await screen.findByTestId('ticket-move-comment'), '等客户补充照片');
    await user.click(screen.getByTestId('ticket-move-confirm'));
    await waitFor(() => expect(callsOf('tickets.move')).toHaveLength(1));
    expect(callsOf('tickets.move')[0]?.input).toEqual({
      id: BASE.id,
      to: 'waiting_on_customer',
      comment: '等客户补充照片',
    });
    expect(await screen.findByText('工单已改为「等待客户」')).toBeInTheDocument();

    await i18n.changeLanguage('en');
    expect(
      await screen.findByText('First response 24 h · resolution 72 h · Working time'),
    ).toBeInTheDocument();
  }, 60_000);
  it("shows a resolved ticket's resolution time, not a stopped deadline or a pause", async () => {
    const resolved: Ticket = {
      ...BASE,
      status: 'closed',
      resolvedAt: '2026-12-07T06:30:00.000Z',
      closedAt: '2026-12-07T07:00:00.000Z',
      sla: {
        ...SLA,
        state: 'met',
        clock: null,
        dueAt: null,
        remainingMs: null,
        firstRespondedAt: '2026-12-07T02:00:00.000Z',
        resolutionDueAt: null,
        // The clock stops at resolution; the row keeps when it stopped.
        pausedAt: '2026-12-07T06:30:00.000Z',
      },
    };
    answerTrpc({
      'tickets.get': () => ({
        ticket: resolved,
        description: null,
        events: [
          {
            id: '7a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c40',
            kind: 'assigned',
            authorUserId: me.user.id,
            authorName: '王经理',
            body: null,
            fromStatus: null,
            toStatus: null,
            data: { from: null, to: me.user.id },
            createdAt: '2026-12-07T01:05:00.000Z',
          },
          {
            id: '8a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c41',
            kind: 'assigned',
            authorUserId: '9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c42',
            authorName: '李主管',
            body: null,
            fromStatus: null,
            toStatus: null,
            data: { from: '9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c42', to: me.user.id },
            createdAt: '2026-12-07T01:10:00.000Z',
          },
        ],
        attachments: [],
        moves: ['in_progress'],
        canWork: true,
        canAssign: false,
      }),
      'tickets.settings': () => SETTINGS,
    });
    renderRoute({
      url: `/tickets/${BASE.id}`,
      shell: agentShell,
      app: [{ route: ticketRoute, path: '/tickets/$ticketId' }],
    });
    const sla = await screen.findByTestId('ticket-sla-card', {}, { timeout: 20_000 });
    expect(within(sla).getByText('解决时间')).toBeInTheDocument();
    expect(within(sla).getByTestId('ticket-sla-resolution')).toHaveTextContent(
      formatDateTime(resolved.resolvedAt),
    );
    expect(within(sla).queryByText('解决截止')).not.toBeInTheDocument();
    expect(within(sla).queryByText('暂停于')).not.toBeInTheDocument();
    expect(screen.getByTestId('ticket-move-in_progress')).toHaveTextContent('重新打开');
    // Who a ticket went to: taken by the member, or given by a manager to the assignee by name.
    const events = screen.getByTestId('ticket-events');
    expect(within(events).getByText('领取了工单')).toBeInTheDocument();
    expect(within(events).getByText('将工单分配给 王经理')).toBeInTheDocument();

    await i18n.changeLanguage('en');
    expect(await within(sla).findByText('Resolved')).toBeInTheDocument();
    expect(within(sla).queryByText('Paused since')).not.toBeInTheDocument();
    expect(within(events).getByText('took the ticket')).toBeInTheDocument();
    expect(within(events).getByText('assigned it to 王经理')).toBeInTheDocument();
  }, 60_000);
});
