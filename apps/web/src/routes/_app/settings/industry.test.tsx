import { bilingual, settingsGroup } from '@crm/plugin-sdk';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { i18n } from '../../../i18n';
import type { RouterOutputs } from '../../../lib/api-types';
import { industryCurrent, ownerShell, retailProfile, viewerShell } from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc, callsOf } from '../../../test/trpc-msw';
import { Route as industryRoute } from './industry';

/**
 * Part of the retail profile's settings (plugins/retail), made into JSON Schema the way the
 * server makes it (effective-settings.ts: zod's toJSONSchema, input side).
 */
const retailSettings = z.object({
  rfm: settingsGroup(
    {
      headAmount: z
        .number()
        .min(0)
        .max(1_000_000_000)
        .meta({
          labels: bilingual('头部客户年消费额（高于）', 'Head: yearly spend above'),
          unit: bilingual('元', 'CNY'),
        })
        .default(10_000),
      waistAmount: z
        .number()
        .min(0)
        .max(1_000_000_000)
        .meta({
          labels: bilingual('腰部客户年消费额（不低于）', 'Waist: yearly spend from'),
          unit: bilingual('元', 'CNY'),
        })
        .default(1_000),
      dormantDays: z
        .number()
        .int()
        .min(1)
        .max(1_095)
        .meta({
          labels: bilingual('沉睡判定：未购买天数', 'Dormant after days without a purchase'),
          unit: bilingual('天', 'days'),
        })
        .default(180),
    },
    bilingual('RFM 分层', 'RFM tiers'),
    bilingual('按最近消费、消费频次和消费金额分层。', 'Tiers by recency, frequency and monetary value.'),
  ).prefault({}),
});

const SAVED = { rfm: { headAmount: 10_000, waistAmount: 1_000, dormantDays: 180 } };

const settings: RouterOutputs['industry']['settings'] = {
  profile: retailProfile,
  version: 2,
  settingsVersion: 1,
  defaults: { rfm: { headAmount: 8_000, waistAmount: 1_000, dormantDays: 180 } },
  overrides: { rfm: { headAmount: 10_000 } },
  settings: SAVED,
  schema: z.toJSONSchema(retailSettings, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
  changedAt: '2026-02-01T02:00:00.000Z',
  changedBy: { id: ownerShell.me.user.id, name: '王经理' },
  storedInvalid: false,
};

const history: RouterOutputs['industry']['history'] = [
  {
    version: 2,
    pluginId: 'retail',
    settingsVersion: 1,
    changedAt: '2026-02-01T02:00:00.000Z',
    changedBy: { id: ownerShell.me.user.id, name: '王经理' },
    note: '春节后调整',
    reset: false,
    changes: [{ path: 'rfm.headAmount', from: 8_000, to: 10_000 }],
  },
];

/** The moved customers' maintenance plans: head visits end, waist follow-ups start. */
const PLAN_CHANGES = {
  plansCreated: 116,
  plansPending: 0,
  plansEnded: 172,
  tasksAdded: 348,
  tasksMoved: 0,
  tasksCancelled: 258,
};

/** Raising the head bar to 20,000: 86 head customers drop to waist, the 30 untiered get a tier. */
const preview: RouterOutputs['industry']['preview'] = {
  tiers: retailProfile.tiers,
  matrix: [
    { from: 'head', to: 'head', count: 34 },
    { from: 'head', to: 'waist', count: 86 },
    { from: 'waist', to: 'waist', count: 400 },
    { from: 'tail', to: 'tail', count: 600 },
    { from: 'dormant', to: 'dormant', count: 100 },
    { from: null, to: 'tail', count: 30 },
  ],
  total: 1_250,
  moving: 116,
  sample: [
    {
      customerId: '3e1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
      name: '杭州湖畔咖啡有限公司',
      from: 'head',
      to: 'waist',
      score: 4.2,
    },
    { customerId: '4f2a3b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c', name: '张晓梅', from: null, to: 'tail', score: 2 },
  ],
  plans: PLAN_CHANGES,
};

const reminders: RouterOutputs['reminders']['upcoming'] = {
  today: '2026-12-07',
  days: 30,
  reminders: [
    {
      key: 'retail_birthday_greeting',
      origin: 'plugin',
      trigger: 'birthday',
      holiday: null,
      field: null,
      fieldLabels: null,
      offsetDays: -3,
      defaultOffsetDays: -3,
      enabled: true,
      defaultEnabled: true,
      labels: { 'zh-CN': '生日问候与会员生日礼', en: 'Birthday greeting and member gift' },
      channels: ['wechat', 'sms'],
      tiers: null,
      upcoming: 4,
      nextDueOn: '2026-12-09',
    },
  ],
  items: [
    {
      reminderKey: 'retail_birthday_greeting',
      customerId: '4f2a3b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c',
      customerName: '张晓梅',
      contactId: null,
      contactName: null,
      ownerName: '王经理',
      occasionOn: '2026-12-12',
      dueOn: '2026-12-09',
    },
  ],
};

function answerIndustry() {
  answerTrpc({
    'reminders.upcoming': () => reminders,
    'industry.current': () => industryCurrent,
    'industry.settings': () => settings,
    'industry.history': () => history,
    'industry.preview': () => preview,
    'industry.save': () => ({ version: 3, retier: 'done', moved: 116, plans: PLAN_CHANGES }),
  });
}

/** The owner, who also configures maintenance (plans.manage): the reminders card shows. */
const ownerWithPlans = {
  ...ownerShell,
  tenant: { ...ownerShell.tenant, permissions: [...ownerShell.tenant.permissions, 'plans.manage' as const] },
};

function renderSettings(shell = ownerWithPlans) {
  return renderRoute({
    url: '/settings/industry',
    shell,
    app: [{ route: industryRoute, path: '/settings/industry' }],
  });
}

/** The matrix's column headers, left to right: today's tier, then the tiers under the new settings. */
function matrixHeader() {
  const header = screen.getByTestId('tier-move-matrix').querySelector('thead tr');
  return [...(header?.querySelectorAll('th') ?? [])].map((th) => th.textContent);
}

/** The matrix cell of customers moving from one tier (or '__none__': untiered) to another. */
function cell(from: string, to: string) {
  return screen.getByTestId(`matrix-${from}-${to}`);
}

describe('industry settings page', () => {
  it('shows the profile, its settings and their history', async () => {
    answerIndustry();
    renderSettings();

    expect(await screen.findByTestId('industry-profile-name')).toHaveTextContent('零售');
    expect(await screen.findByTestId('reminder-upcoming-retail_birthday_greeting')).toHaveTextContent(
      '4最近 2026-12-09',
    );
    for (const tier of ['头部客户', '腰部客户', '长尾客户', '沉睡客户']) {
      expect(screen.getByText(tier)).toBeInTheDocument();
    }
    expect(screen.getByLabelText('头部客户年消费额（高于）')).toHaveValue('10000');
    expect(screen.getByLabelText('沉睡判定：未购买天数')).toHaveValue('180');
    expect(await screen.findByTestId('industry-history-change')).toHaveTextContent(
      'RFM 分层 › 头部客户年消费额（高于）：8,000 元 → 10,000 元',
    );
    expect(screen.getByText('春节后调整')).toBeInTheDocument();
  });

  it('previews who moves between tiers after a change, then saves it', async () => {
    answerIndustry();
    const { user } = renderSettings();

    const head = await screen.findByLabelText('头部客户年消费额（高于）');
    await user.clear(head);
    await user.type(head, '20000');
    await user.click(screen.getByTestId('industry-preview'));

    expect(await screen.findByTestId('tier-move-summary')).toHaveTextContent(
      '按新设置，全部 1250 位客户中有 116 位会换层级。',
    );
    expect(callsOf('industry.preview')[0]?.input).toEqual({
      settings: { rfm: { headAmount: 20_000, waistAmount: 1_000, dormantDays: 180 } },
    });
    expect(matrixHeader()).toEqual([
      '现层级 \\ 新层级',
      '头部客户',
      '腰部客户',
      '长尾客户',
      '沉睡客户',
      '合计',
    ]);
    const matrix = within(screen.getByTestId('tier-move-matrix'));
    expect(cell('head', 'head')).toHaveTextContent('34');
    expect(cell('head', 'waist')).toHaveTextContent('86');
    expect(cell('head', 'tail')).toHaveTextContent('0');
    expect(cell('__none__', 'tail')).toHaveTextContent('30');
    expect(cell('tail', 'tail')).toHaveTextContent('600');
    // Rows are today's tiers, the untiered last, each with its total.
    const untiered = within(matrix.getByText('未分层').closest('tr') as HTMLElement);
    expect(untiered.getAllByText('30')).toHaveLength(2);
    const headRow = within(cell('head', 'head').closest('tr') as HTMLElement);
    expect(headRow.getByText('120')).toBeInTheDocument();

    const sample = within(screen.getByTestId('tier-move-sample'));
    const hupan = within(sample.getByText('杭州湖畔咖啡有限公司').closest('tr') as HTMLElement);
    expect(hupan.getByText('头部客户')).toBeInTheDocument();
    expect(hupan.getByText('腰部客户')).toBeInTheDocument();
    expect(hupan.getByText('4.20')).toBeInTheDocument();
    const zhang = within(sample.getByText('张晓梅').closest('tr') as HTMLElement);
    expect(zhang.getByText('未分层')).toBeInTheDocument();
    // And what the save does to maintenance tasks.
    expect(screen.getByTestId('plan-changes-added')).toHaveTextContent('新增任务348');
    expect(screen.getByTestId('plan-changes-cancelled')).toHaveTextContent('取消任务258');

    await user.type(screen.getByTestId('industry-note'), '提高头部门槛');
    await user.click(screen.getByTestId('industry-save'));

    expect(await screen.findByText('已保存第 3 版设置，116 位客户的层级已更新')).toBeInTheDocument();
    expect(callsOf('industry.save')[0]?.input).toEqual({
      settings: { rfm: { headAmount: 20_000, waistAmount: 1_000, dormantDays: 180 } },
      expectedVersion: 2,
      note: '提高头部门槛',
    });
    // The page reloads what the save changed.
    await waitFor(() => expect(callsOf('industry.settings').length).toBeGreaterThan(1));
  });

  it('shows the preview in English', async () => {
    await i18n.changeLanguage('en');
    answerIndustry();
    const { user } = renderSettings();

    const head = await screen.findByLabelText('Head: yearly spend above');
    await user.clear(head);
    await user.type(head, '20000');
    await user.click(screen.getByTestId('industry-preview'));

    expect(await screen.findByTestId('tier-move-summary')).toHaveTextContent(
      'With the new settings, 116 of 1250 customers change tier.',
    );
    expect(matrixHeader()).toEqual(['Now \\ New', 'Head', 'Waist', 'Long tail', 'Dormant', 'Total']);
    expect(within(screen.getByTestId('tier-move-matrix')).getByText('Not tiered')).toBeInTheDocument();
    expect(cell('head', 'waist')).toHaveTextContent('86');
    expect(screen.getByTestId('plan-changes-added')).toHaveTextContent('Tasks added348');
    expect(screen.getByTestId('industry-save')).toHaveTextContent('Save and re-tier');
  });

  it('is read-only for a member who may not change the tenant', async () => {
    answerIndustry();
    renderSettings(viewerShell);

    expect(await screen.findByLabelText('头部客户年消费额（高于）')).toBeDisabled();
    expect(screen.getByText('你可以查看行业配置；只有管理员可以修改。')).toBeInTheDocument();
    expect(screen.queryByTestId('industry-preview')).not.toBeInTheDocument();
  });
});
