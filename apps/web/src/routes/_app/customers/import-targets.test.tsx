import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../i18n';
import {
  customerRecord,
  industryCurrent,
  members,
  ownerShell,
  tags,
  USER_ID,
  viewerShell,
} from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc } from '../../../test/trpc-msw';
import { Route as customerRoute } from './$customerId';
import { Route as customersRoute } from './index';

/*
 * A company's first hour (issue 15): a new tenant's empty customer list offers import, the
 * template and 新建客户; a customer imported with opening figures shows them on its profile.
 */

function answerEmptyList(customers: number) {
  answerTrpc({
    'customers.completenessSummary': () => ({
      customers,
      average: 0,
      completeShare: 0,
      complete: 0,
      stale: 0,
      goal: 90,
    }),
    'members.list': () => members,
    'tags.list': () => tags,
    'customFields.list': () => [],
    'industry.current': () => industryCurrent,
    'plans.forCustomer': () => ({ plans: [] }),
    'loyalty.customer': () => ({
      balance: 0,
      expiringSoon: 0,
      entries: [],
      referrals: [],
      referredBy: null,
      discounts: [],
    }),
    'views.list': () => [],
    'customers.list': () => ({ items: [], nextCursor: null }),
    'customers.count': () => ({ total: customers, exact: true }),
  });
}

describe('the empty customer list of a new tenant', () => {
  it('offers 导入客户, 下载模板 (CSV or Excel, headers in either language) and 新建客户', async () => {
    answerEmptyList(0);
    const { user } = renderRoute({
      url: '/customers',
      shell: ownerShell,
      app: [{ route: customersRoute, path: '/customers/' }],
    });
    const empty = await screen.findByTestId('customers-empty-first');
    expect(empty).toHaveTextContent('还没有客户');
    expect(within(empty).getByTestId('customers-empty-import').closest('a')).toHaveAttribute(
      'href',
      '/customers/import',
    );
    expect(within(empty).getByTestId('customers-empty-new')).toHaveTextContent('新建客户');
    await user.click(within(empty).getByTestId('import-template'));
    const xlsx = await screen.findByTestId('import-template-xlsx');
    expect(xlsx).toHaveAttribute('href', '/api/imports/template?kind=customers&format=xlsx&locale=zh-CN');
    await user.click(within(screen.getByTestId('import-template-language')).getByText('English'));
    expect(screen.getByTestId('import-template-csv')).toHaveAttribute(
      'href',
      '/api/imports/template?kind=customers&format=csv&locale=en',
    );
  });

  it('a role that may neither import nor create, or a tenant with customers, gets the plain empty table', async () => {
    answerEmptyList(0);
    renderRoute({
      url: '/customers',
      shell: viewerShell,
      app: [{ route: customersRoute, path: '/customers/' }],
    });
    expect(await screen.findByText('还没有客户')).toBeInTheDocument();
    expect(screen.queryByTestId('customers-empty-first')).toBeNull();
  });

  it('speaks English', async () => {
    await i18n.changeLanguage('en');
    try {
      answerEmptyList(0);
      renderRoute({
        url: '/customers',
        shell: ownerShell,
        app: [{ route: customersRoute, path: '/customers/' }],
      });
      const empty = await screen.findByTestId('customers-empty-first');
      expect(empty).toHaveTextContent('No customers yet');
      expect(empty).toHaveTextContent('Import customers');
      expect(empty).toHaveTextContent('Download template');
    } finally {
      await i18n.changeLanguage('zh-CN');
    }
  });
});

const CUSTOMER_ID = '3e1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b';

function answerProfile(openingBalance: boolean) {
  const customer = customerRecord({
    id: CUSTOMER_ID,
    name: '杭州老客户有限公司',
    kind: 'company',
    ownerUserId: USER_ID,
    ownerName: '王经理',
    lifecycleStage: 'loyal',
    amount12m: '505000.00',
    amountLifetime: '1205000.00',
    orderCount: 19,
    firstCooperationOn: '2019-03-05',
    openingBalance: openingBalance
      ? {
          asOf: '2026-12-01',
          amount12m: '500000.00',
          amountLifetime: '1200000.00',
          orderCount: 18,
          lastDealOn: '2026-11-20',
        }
      : null,
  });
  answerTrpc({
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
    'customers.get': () => customer,
    'tags.list': () => tags,
    'customFields.list': () => [],
    'industry.current': () => industryCurrent,
    'plans.forCustomer': () => ({ plans: [] }),
    'loyalty.customer': () => ({
      balance: 0,
      expiringSoon: 0,
      entries: [],
      referrals: [],
      referredBy: null,
      discounts: [],
    }),
    'industry.customerTier': () => ({
      tier: null,
      tierLabels: null,
      score: null,
      changedAt: null,
      computedAt: null,
      pendingSince: null,
      nextRunAt: null,
      queued: false,
      settingsVersion: null,
      explanation: null,
      dimensionLabels: {},
      history: [],
    }),
    'contacts.list': () => [],
    'orders.list': () => ({ items: [], nextCursor: null }),
  });
}

describe('the customer 360 of an imported customer', () => {
  it('shows the imported opening balance with its as-of date, and the first cooperation date', async () => {
    answerProfile(true);
    renderRoute({
      url: `/customers/${CUSTOMER_ID}`,
      shell: ownerShell,
      app: [{ route: customerRoute, path: '/customers/$customerId' }],
    });
    const card = await screen.findByTestId('customer-opening-balance');
    expect(card).toHaveTextContent('导入的期初数据');
    expect(screen.getByTestId('customer-opening-as-of')).toHaveTextContent('截至 2026-12-01');
    expect(screen.getByTestId('customer-opening-amount12m')).toHaveTextContent('¥500,000.00');
    expect(screen.getByTestId('customer-opening-amountLifetime')).toHaveTextContent('¥1,200,000.00');
    expect(screen.getByTestId('customer-opening-orderCount')).toHaveTextContent('18');
    expect(screen.getByTestId('customer-opening-lastDealOn')).toHaveTextContent('2026-11-20');
    expect(card).toHaveTextContent('2026-12-01 之后的已完成订单');
    // The facts build on it.
    expect(screen.getByTestId('customer-amount-12m')).toHaveTextContent('¥505,000.00');
    expect(screen.getByTestId('customer-first-cooperation')).toHaveTextContent('2019-03-05');
  });

  it('says nothing of an opening balance when the customer has none', async () => {
    answerProfile(false);
    renderRoute({
      url: `/customers/${CUSTOMER_ID}`,
      shell: ownerShell,
      app: [{ route: customerRoute, path: '/customers/$customerId' }],
    });
    expect(await screen.findByTestId('customer-amount-12m')).toBeInTheDocument();
    expect(screen.queryByTestId('customer-opening-balance')).toBeNull();
  });

  it('in English: "Opening balance (imported)"', async () => {
    await i18n.changeLanguage('en');
    try {
      answerProfile(true);
      renderRoute({
        url: `/customers/${CUSTOMER_ID}`,
        shell: ownerShell,
        app: [{ route: customerRoute, path: '/customers/$customerId' }],
      });
      const card = await screen.findByTestId('customer-opening-balance');
      expect(card).toHaveTextContent('Opening balance (imported)');
      expect(card).toHaveTextContent('As of 2026-12-01');
    } finally {
      await i18n.changeLanguage('zh-CN');
    }
  });
});
