import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../i18n';
import type { RouterOutputs } from '../../../lib/api-types';
import { queryClient, trpc } from '../../../lib/trpc';
import {
  customerRecord,
  industryCurrent,
  ownerShell,
  tags,
  USER_ID,
  viewerShell,
} from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc, callsOf, TrpcTestError } from '../../../test/trpc-msw';
import { Route as customerRoute } from './$customerId';

const CUSTOMER_ID = '3e1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b';

const hupan = customerRecord({
  id: CUSTOMER_ID,
  name: '杭州湖畔咖啡有限公司',
  kind: 'company',
  customerNumber: 'C-2026-0042',
  industry: '连锁餐饮',
  creditCode: '91330106MA2B3C4D5E',
  phone: '0571-8888 1234',
  email: 'purchase@hupan-coffee.cn',
  ownerUserId: USER_ID,
  ownerName: '王经理',
  lifecycleStage: 'loyal',
  lifecycleChangedAt: '2026-01-10T04:00:00.000Z',
  valueLevel: 'high',
  activityLevel: 'mid',
  needType: 'product',
  tagIds: [tags[0]?.id ?? ''],
  amount12m: '128000.00',
  amountLifetime: '356000.00',
  orderCount: 14,
  averageOrderValue: '25428.57',
  firstDealAt: '2024-05-06T04:00:00.000Z',
  lastDealAt: '2026-02-20T04:00:00.000Z',
  completeness: 92,
  addresses: [
    {
      label: '总部',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      street: '文三路 100 号',
      postcode: '310000',
    },
  ],
  tier: 'head',
  tierScore: '86.50',
});

const contacts: RouterOutputs['contacts']['list'] = [
  {
    id: '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
    customerId: CUSTOMER_ID,
    name: '陈采购',
    title: '采购经理',
    phones: ['139 0571 2233'],
    emails: ['chen@hupan-coffee.cn'],
    birthday: null,
    birthdayCalendar: 'solar',
    anniversaryOn: null,
    isPrimary: true,
    note: null,
  },
  {
    id: '9d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a',
    customerId: CUSTOMER_ID,
    name: '刘财务',
    title: '财务',
    phones: [],
    emails: ['finance@hupan-coffee.cn'],
    birthday: null,
    birthdayCalendar: 'solar',
    anniversaryOn: null,
    isPrimary: false,
    note: '月底对账',
  },
];

const orders: RouterOutputs['orders']['list'] = {
  items: [
    {
      id: 'ae3f4a5b-6c7d-4e8f-8a9b-1c2d3e4f5a6b',
      customerId: CUSTOMER_ID,
      customerName: hupan.name,
      orderNumber: 'SO-2026-0311',
      orderedAt: '2026-02-20T04:00:00.000Z',
      currency: 'CNY',
      amount: '36000.00',
      profit: null,
      paymentMethod: 'bank_transfer',
      status: 'completed',
      voidReason: null,
      note: null,
      lines: [
        { product: '云南小粒咖啡豆 1kg', quantity: '120', unitPrice: '250.00', amount: '30000.00' },
        { product: '滤纸', quantity: '300', unitPrice: '20.00', amount: '6000.00' },
      ],
      createdAt: '2026-02-20T04:00:00.000Z',
    },
    {
      id: 'bf4a5b6c-7d8e-4f9a-9b0c-2d3e4f5a6b7c',
      customerId: CUSTOMER_ID,
      customerName: hupan.name,
      orderNumber: 'SO-2026-0298',
      orderedAt: '2026-01-15T04:00:00.000Z',
      currency: 'CNY',
      amount: '8800.00',
      profit: null,
      paymentMethod: 'wechat_pay',
      status: 'pending',
      voidReason: null,
      note: null,
      lines: [],
      createdAt: '2026-01-15T04:00:00.000Z',
    },
  ],
  nextCursor: null,
};

const customerTier: RouterOutputs['industry']['customerTier'] = {
  tier: 'head',
  tierLabels: { 'zh-CN': '头部客户', en: 'Head' },
  score: 86.5,
  changedAt: '2026-02-21T04:00:00.000Z',
  computedAt: '2026-02-21T04:00:00.000Z',
  pendingSince: null,
  nextRunAt: null,
  queued: false,
  settingsVersion: 3,
  explanation: {
    kind: 'rfm',
    score: null,
    dimensions: [
      { key: 'r', metric: 'rfm_r', raw: 12, normalised: 5, weight: null, contribution: null },
      { key: 'f', metric: 'rfm_f', raw: 14, normalised: 5, weight: null, contribution: null },
      { key: 'm', metric: 'rfm_m', raw: 128000, normalised: 5, weight: null, contribution: null },
    ],
    rule: {
      index: 0,
      tier: 'head',
      conditions: [
        { metric: 'amount_12m', op: 'gt', value: 10000 },
        { metric: 'recency_days', op: 'lt', value: 180 },
      ],
    },
  },
  dimensionLabels: {
    r: { 'zh-CN': '最近消费 R', en: 'Recency R' },
    f: { 'zh-CN': '消费频次 F', en: 'Frequency F' },
    m: { 'zh-CN': '消费金额 M', en: 'Monetary M' },
  },
  history: [],
};

/** The customer's maintenance plan: monthly store visits, two coming, approved with a comment. */
const customerPlans: RouterOutputs['plans']['forCustomer'] = {
  plans: [
    {
      id: '7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
      customerId: CUSTOMER_ID,
      customerName: '杭州湖畔咖啡有限公司',
      owner: { id: ownerShell.me.user.id, name: '王经理' },
      tier: 'head',
      tierLabels: { 'zh-CN': '头部客户', en: 'Head' },
      status: 'active',
      cadenceKey: 'retail_head_visit',
      cadence: {
        key: 'retail_head_visit',
        tier: 'head',
        labels: { 'zh-CN': '月度到店拜访或视频通话', en: 'Monthly store visit or video call' },
        every: 1,
        unit: 'month',
        taskType: 'visit',
        goals: [{ 'zh-CN': '年度复购金额增长 ≥ 20%', en: 'Annual repeat spend up ≥ 20 %' }],
        requiresApproval: false,
      },
      goals: ['春季新品试饮'],
      anchorOn: '2026-03-09',
      submittedAt: null,
      activatedAt: '2026-03-01T02:00:00.000Z',
      decidedAt: '2026-03-01T02:00:00.000Z',
      decidedBy: '刘志强',
      decisionComment: '同意，首访带上新品资料',
      endedAt: null,
      endReason: null,
      next: [
        {
          taskId: '8e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
          dueOn: '2026-03-09',
          title: '月度到店拜访或视频通话',
          type: 'visit',
        },
        {
          taskId: '9f3a4b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c',
          dueOn: '2026-04-09',
          title: '月度到店拜访或视频通话',
          type: 'visit',
        },
      ],
      decisions: [
        {
          action: 'approve',
          comment: '同意，首访带上新品资料',
          by: '刘志强',
          at: '2026-03-01T02:00:00.000Z',
        },
      ],
    },
  ],
};

function answerProfile() {
  answerTrpc({
    'plans.forCustomer': () => customerPlans,
    'loyalty.customer': () => ({
      balance: 0,
      expiringSoon: 0,
      entries: [],
      referrals: [],
      referredBy: null,
      discounts: [],
    }),
    'customers.get': ({ id }) => {
      if (id !== CUSTOMER_ID) throw new TrpcTestError('NOT_FOUND', 'CUSTOMER_NOT_FOUND', '客户不存在');
      return hupan;
    },
    'tags.list': () => tags,
    'customFields.list': () => [],
    'industry.current': () => industryCurrent,
    'industry.customerTier': () => customerTier,
    'contacts.list': () => contacts,
    'orders.list': () => orders,
    'surveys.customer': () => ({
      lastNps: null,
      lastNpsAt: null,
      lastCsat: null,
      lastCsatAt: null,
      responses: 0,
      pendingInvitations: 0,
      openFollowUps: 0,
      recent: [],
    }),
    'surveys.list': () => ({ items: [] }),
  });
}

function renderProfile(url: string, shell = ownerShell) {
  return renderRoute({ url, shell, app: [{ route: customerRoute, path: '/customers/$customerId' }] });
}

describe('customer profile page', () => {
  it('shows who the customer is, their figures, tier and basic information', async () => {
    answerProfile();
    renderProfile(`/customers/${CUSTOMER_ID}`);

    expect(await screen.findByTestId('customer-title')).toHaveTextContent('杭州湖畔咖啡有限公司');
    expect(screen.getByTestId('customer-owner-name')).toHaveTextContent('负责人：王经理');
    expect(screen.getByText('C-2026-0042 · 连锁餐饮')).toBeInTheDocument();
    expect(screen.getByTestId('customer-stage')).toHaveTextContent('忠诚');
    const headerTags = within(screen.getAllByTestId('customer-tags')[0] as HTMLElement);
    expect(headerTags.getByText('高价值')).toBeInTheDocument();
    expect(headerTags.getByText('中活跃')).toBeInTheDocument();
    expect(headerTags.getByText('产品需求')).toBeInTheDocument();
    expect(await headerTags.findByText('重点客户')).toBeInTheDocument();

    expect(screen.getByTestId('customer-amount-12m')).toHaveTextContent('¥128,000.00');
    expect(screen.getByTestId('customer-amount-lifetime')).toHaveTextContent('¥356,000.00');
    expect(screen.getByTestId('customer-order-count')).toHaveTextContent('14');
    expect(screen.getByTestId('customer-average-order')).toHaveTextContent('¥25,428.57');

    // Basic information, the default tab.
    expect(screen.getByText('0571-8888 1234')).toBeInTheDocument();
    expect(screen.getByText('purchase@hupan-coffee.cn')).toHaveAttribute(
      'href',
      'mailto:purchase@hupan-coffee.cn',
    );
    expect(screen.getByTestId('customer-credit-code-value')).toHaveTextContent('91330106MA2B3C4D5E');
    expect(screen.getByTestId('customer-addresses')).toHaveTextContent(
      '总部浙江省 杭州市 西湖区 文三路 100 号 310000',
    );

    expect(await screen.findByTestId('customer-tier')).toHaveTextContent('头部客户');
    expect(screen.getByTestId('customer-tier-rule')).toHaveTextContent(
      '归入依据：近 12 个月交易额 > 1 万元 且 距上次成交天数 < 180 天，归入「头部客户」',
    );
    const dimensions = within(screen.getByTestId('customer-tier-dimensions'));
    expect(dimensions.getByText('M · 消费金额 M')).toBeInTheDocument();
    expect(dimensions.getByText('128,000')).toBeInTheDocument();
    expect(callsOf('customers.get')[0]?.input).toEqual({ id: CUSTOMER_ID });
    expect(callsOf('industry.customerTier')[0]?.input).toEqual({ customerId: CUSTOMER_ID });
    // Its maintenance plan: the cadence, goals, the next visits and the manager's comment.
    const plan = within(await screen.findByTestId('plan-card'));
    expect(plan.getByText('月度到店拜访或视频通话')).toBeInTheDocument();
    expect(plan.getByText('执行中')).toBeInTheDocument();
    expect(plan.getByText('每月 · 拜访')).toBeInTheDocument();
    expect(plan.getByText('年度复购金额增长 ≥ 20%')).toBeInTheDocument();
    expect(plan.getByText('春季新品试饮')).toBeInTheDocument();
    expect(plan.getAllByTestId('plan-next').map((tag) => tag.textContent)).toEqual([
      '2026-03-09',
      '2026-04-09',
    ]);
    expect(plan.getByText('刘志强批准：同意，首访带上新品资料')).toBeInTheDocument();
    // Contacts and orders load with their tabs.
    expect(callsOf('contacts.list')).toHaveLength(0);
    expect(callsOf('orders.list')).toHaveLength(0);
  });

  it('keeps what the user types in the edit drawer when the customer is fetched again meanwhile', async () => {
    answerProfile();
    answerTrpc({ 'members.list': () => [] });
    renderProfile(`/customers/${CUSTOMER_ID}`);
    fireEvent.click(await screen.findByTestId('customer-edit'));
    const name = await screen.findByTestId('customer-name');
    await waitFor(() => expect(name).toHaveValue('杭州湖畔咖啡有限公司'));
    fireEvent.change(name, { target: { value: '杭州湖畔咖啡连锁有限公司' } });
    // A refetch lands while the drawer is open, with the customer changed meanwhile (a job
    // re-tiered it, a colleague edited another field …).
    answerTrpc({
      'customers.get': () => ({ ...hupan, updatedAt: '2026-03-02T08:00:00.000Z', tierScore: '71.50' }),
    });
    const before = callsOf('customers.get').length;
    await queryClient.invalidateQueries(trpc.customers.get.queryFilter({ id: CUSTOMER_ID }));
    await waitFor(() => expect(callsOf('customers.get').length).toBeGreaterThan(before));
    await waitFor(() =>
      expect(queryClient.getQueryData(trpc.customers.get.queryKey({ id: CUSTOMER_ID }))?.updatedAt).toBe(
        '2026-03-02T08:00:00.000Z',
      ),
    );
    // React applies the refetched customer; the drawer still holds what was typed.
    await act(async () => {});
    expect(screen.getByTestId('customer-name')).toHaveValue('杭州湖畔咖啡连锁有限公司');
  });

  it('lists the contacts, the primary one marked, on the contacts tab', async () => {
    answerProfile();
    const { user, router } = renderProfile(`/customers/${CUSTOMER_ID}`);

    await user.click(await screen.findByTestId('customer-tab-contacts'));

    const table = within(screen.getByTestId('contacts-table'));
    expect(await table.findByText('陈采购')).toBeInTheDocument();
    expect(table.getByText('采购经理')).toBeInTheDocument();
    expect(table.getByText('主要联系人')).toBeInTheDocument();
    expect(table.getByText('139 0571 2233')).toBeInTheDocument();
    expect(table.getByText('刘财务')).toBeInTheDocument();
    expect(table.getByText('finance@hupan-coffee.cn')).toBeInTheDocument();
    expect(table.getByText('月底对账')).toBeInTheDocument();
    expect(callsOf('contacts.list')[0]?.input).toEqual({ customerId: CUSTOMER_ID });
    await waitFor(() => expect(router.state.location.search).toEqual({ tab: 'contacts' }));
  });

  it('lists the orders with amount, payment method and status on the orders tab', async () => {
    answerProfile();
    renderProfile(`/customers/${CUSTOMER_ID}?tab=orders`);

    const number = await screen.findByText('SO-2026-0311');
    const first = within(number.closest('tr') as HTMLElement);
    expect(first.getByText('¥36,000.00')).toBeInTheDocument();
    expect(first.getByText('银行转账')).toBeInTheDocument();
    expect(first.getByText('已完成')).toBeInTheDocument();
    expect(first.getByText(/云南小粒咖啡豆 1kg、滤纸/)).toBeInTheDocument();
    const second = within(screen.getByText('SO-2026-0298').closest('tr') as HTMLElement);
    expect(second.getByText('¥8,800.00')).toBeInTheDocument();
    expect(second.getByText('微信支付')).toBeInTheDocument();
    expect(second.getByText('待完成')).toBeInTheDocument();
    expect(callsOf('orders.list')[0]?.input).toEqual({
      customerId: CUSTOMER_ID,
      includeVoid: true,
      limit: 20,
      cursor: null,
    });
  });

  it('speaks English, and offers no edit or archive to a viewer', async () => {
    await i18n.changeLanguage('en');
    answerProfile();
    renderProfile(`/customers/${CUSTOMER_ID}`, viewerShell);

    expect(await screen.findByTestId('customer-owner-name')).toHaveTextContent('Owner: 王经理');
    expect(screen.getByTestId('customer-stage')).toHaveTextContent('Loyal');
    expect(screen.getByTestId('customer-tab-contacts')).toHaveTextContent('Contacts');
    expect(screen.getByTestId('customer-tab-orders')).toHaveTextContent('Orders');
    expect(await screen.findByTestId('customer-tier')).toHaveTextContent('Head');
    expect(screen.getByTestId('customer-tier-rule')).toHaveTextContent(
      '12-month amount > ¥10,000 and Days since last deal < 180 days: placed in "Head"',
    );
    expect(screen.queryByTestId('customer-edit')).not.toBeInTheDocument();
    expect(screen.queryByTestId('customer-archive')).not.toBeInTheDocument();
  });

  it('says the customer does not exist when the server does not find it', async () => {
    answerProfile();
    renderProfile('/customers/0a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d');

    expect(await screen.findByText('页面不存在')).toBeInTheDocument();
    expect(screen.queryByTestId('customer-title')).not.toBeInTheDocument();
  });
});
