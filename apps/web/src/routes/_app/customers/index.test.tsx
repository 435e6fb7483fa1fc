import { createRoute } from '@tanstack/react-router';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../i18n';
import type { RouterOutputs } from '../../../lib/api-types';
import { chooseOption } from '../../../test/antd';
import {
  customerRow,
  industryCurrent,
  members,
  ownerShell,
  REP_ID,
  tags,
  USER_ID,
  viewerShell,
} from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc, callsOf, type Resolvers } from '../../../test/trpc-msw';
import { Route as rootRoute } from '../../__root';
import { Route as customersRoute } from './index';

const HUPAN = customerRow({
  id: '3e1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
  name: '杭州湖畔咖啡有限公司',
  kind: 'company',
  lifecycleStage: 'loyal',
  amount12m: '128000.00',
  orderCount: 14,
  lastDealAt: '2026-02-20T06:00:00.000Z',
  phone: '0571-8888 1234',
  ownerUserId: USER_ID,
  ownerName: '王经理',
  tagIds: [tags[0]?.id ?? ''],
  completeness: 92,
});
const ZHANG = customerRow({
  id: '4f2a3b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c',
  name: '张晓梅',
  kind: 'person',
  lifecycleStage: 'new',
  amount12m: '3680.50',
  orderCount: 2,
  phone: '138 1234 5678',
  ownerUserId: REP_ID,
  ownerName: '李销售',
  completeness: 65,
});
const NINGBO = customerRow({
  id: '5a3b4c6d-7e8f-4a9b-8c1d-2e3f4a5b6c7d',
  name: '宁波海曙五金店',
  kind: 'company',
  lifecycleStage: 'at_risk',
  completeness: 40,
  stale: true,
});
const PAGE_TWO = customerRow({
  id: '6b4c5d7e-8f9a-4b0c-9d2e-3f4a5b6c7d8e',
  name: '温州鹿城眼镜行',
  lifecycleStage: 'returning',
  amount12m: '56000.00',
  orderCount: 6,
});
const ALL = [HUPAN, ZHANG, NINGBO];

const summary: RouterOutputs['customers']['completenessSummary'] = {
  customers: 4,
  average: 66,
  completeShare: 25,
  complete: 1,
  stale: 1,
  goal: 90,
};

/** What the list page asks besides the list itself. */
const pageAnswers: Resolvers = {
  'customers.completenessSummary': () => summary,
  'members.list': () => members,
  'tags.list': () => tags,
  'customFields.list': () => [],
  'industry.current': () => industryCurrent,
  'views.list': () => [],
  'customers.count': () => ({ total: 3, exact: true }),
};

/** customers.list over the fixtures: search by name, stage filter, two pages of keyset. */
function answerList() {
  answerTrpc({
    ...pageAnswers,
    'customers.list': (input) => {
      if (input?.cursor === 'page-2') return { items: [PAGE_TWO], nextCursor: null };
      const items = ALL.filter(
        (customer) =>
          (!input?.search || customer.name.includes(input.search)) &&
          (!input?.lifecycleStages || input.lifecycleStages.includes(customer.lifecycleStage)),
      );
      const filtered = Boolean(input?.search || input?.lifecycleStages);
      return { items, nextCursor: filtered ? null : 'page-2' };
    },
  });
}

/** Where a row click goes. */
const profileStandIn = createRoute({
  getParentRoute: () => rootRoute,
  path: '/customers/$customerId',
  component: () => <p data-testid="profile-stand-in" />,
});

function renderList(url = '/customers', shell = ownerShell) {
  return renderRoute({
    url,
    shell,
    app: [
      { route: customersRoute, path: '/customers/' },
      { route: profileStandIn, path: '/customers/$customerId' },
    ],
  });
}

/** The table's data rows (antd adds a hidden measuring row). */
function rows() {
  return [...screen.getByTestId('customers-table').querySelectorAll('tr.ant-table-row')];
}

/** A customer's row, found by the link on its name. */
function rowOf(name: string) {
  const row = screen.getByText(name, { selector: 'a' }).closest('tr');
  if (!row) throw new Error(`No row for ${name}`);
  return within(row);
}

describe('customer list page', () => {
  it('shows the customers with their stage, amounts, owner and tags, and the completeness summary', async () => {
    answerList();
    renderList();

    expect(await screen.findByText('杭州湖畔咖啡有限公司', { selector: 'a' })).toBeInTheDocument();
    expect(rows()).toHaveLength(3);
    const hupan = rowOf('杭州湖畔咖啡有限公司');
    expect(hupan.getByText('忠诚')).toBeInTheDocument();
    expect(hupan.getByText('企业')).toBeInTheDocument();
    expect(hupan.getByText('¥128,000.00')).toBeInTheDocument();
    expect(hupan.getByText('14')).toBeInTheDocument();
    expect(hupan.getByText('重点客户')).toBeInTheDocument();
    expect(hupan.getByText('王经理')).toBeInTheDocument();
    expect(hupan.getByText('0571-8888 1234')).toBeInTheDocument();
    const zhang = rowOf('张晓梅');
    expect(zhang.getByText('个人')).toBeInTheDocument();
    expect(zhang.getByText('新客')).toBeInTheDocument();
    expect(zhang.getByText('¥3,680.50')).toBeInTheDocument();
    expect(zhang.getByText('李销售')).toBeInTheDocument();
    expect(rowOf('宁波海曙五金店').getByText('流失预警')).toBeInTheDocument();

    expect(await screen.findByTestId('completeness-summary')).toHaveTextContent(
      '平均完整度 66%，达标（≥ 90%）客户占 25%，1 位客户超过 30 天未更新',
    );
    expect(screen.getByText('第 1 页')).toBeInTheDocument();
    expect(callsOf('customers.list')[0]?.input).toEqual({
      archived: false,
      sort: 'createdAt',
      direction: 'desc',
      cursor: null,
      limit: 50,
    });
  });

  it('pages on with the cursor the server gave', async () => {
    answerList();
    const { user } = renderList();

    await screen.findByText('张晓梅', { selector: 'a' });
    await user.click(screen.getByTestId('customers-next'));

    expect(await screen.findByText('温州鹿城眼镜行', { selector: 'a' })).toBeInTheDocument();
    expect(rows()).toHaveLength(1);
    expect(screen.getByText('第 2 页')).toBeInTheDocument();
    expect(callsOf('customers.list').at(-1)?.input).toMatchObject({ cursor: 'page-2', limit: 50 });
    expect(screen.getByTestId('customers-next')).toBeDisabled();
    expect(screen.getByTestId('customers-prev')).toBeEnabled();
  });

  it('searches by what the user types and keeps it in the URL', async () => {
    answerList();
    const { user, router } = renderList();

    await screen.findByText('张晓梅', { selector: 'a' });
    await user.type(screen.getByLabelText('搜索姓名、电话、编号或联系人'), '湖畔');

    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByText('杭州湖畔咖啡有限公司', { selector: 'a' })).toBeInTheDocument();
    expect(callsOf('customers.list').at(-1)?.input).toMatchObject({ search: '湖畔', cursor: null });
    expect(router.state.location.search).toMatchObject({ search: '湖畔' });
  });

  it('searches a phone number given in a link (?search=13812345678 reads as a number)', async () => {
    answerList();
    renderList('/customers?search=13812345678');
    await waitFor(() =>
      expect(callsOf('customers.list').at(-1)?.input).toMatchObject({ search: '13812345678' }),
    );
    expect(screen.getByLabelText('搜索姓名、电话、编号或联系人')).toHaveValue('13812345678');
  });

  it('filters by lifecycle stage, and offers to clear filters when nothing matches', async () => {
    answerList();
    const { user, router } = renderList();

    await screen.findByText('张晓梅', { selector: 'a' });
    await chooseOption(user, '生命周期', '新客');

    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByText('张晓梅', { selector: 'a' })).toBeInTheDocument();
    expect(callsOf('customers.list').at(-1)?.input).toMatchObject({ lifecycleStages: ['new'] });

    await user.type(screen.getByLabelText('搜索姓名、电话、编号或联系人'), '湖畔');
    expect(await screen.findByText('没有符合条件的客户')).toBeInTheDocument();
    await user.click(screen.getAllByText('清除筛选')[0] as HTMLElement);
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(router.state.location.search).not.toHaveProperty('f');
    expect(router.state.location.search).not.toHaveProperty('search');
  });

  it('builds the more-filters drawer when first opened, applies it, and keeps its values when opened again', async () => {
    answerList();
    const { user } = renderList();

    await screen.findByText('张晓梅', { selector: 'a' });
    // Not built with the first rows: no drawer (nor its form) in the page yet.
    expect(document.querySelector('.ant-drawer')).toBeNull();
    expect(screen.queryByText('更多筛选条件')).toBeNull();

    await user.click(screen.getByTestId('customers-more-filters'));
    expect(await screen.findByText('更多筛选条件')).toBeInTheDocument();
    await chooseOption(user, '客户类型', '企业');
    await user.click(screen.getByTestId('filters-apply'));
    await waitFor(() => expect(callsOf('customers.list').at(-1)?.input).toMatchObject({ kind: 'company' }));

    await user.click(screen.getByTestId('customers-more-filters'));
    const kind = screen.getByLabelText('客户类型').closest('.ant-select');
    expect(within(kind as HTMLElement).getByText('企业')).toBeInTheDocument();
  });

  it('opens a customer’s profile from the row', async () => {
    answerList();
    const { user, router } = renderList();

    await user.click(await screen.findByText('宁波海曙五金店'));

    expect(await screen.findByTestId('profile-stand-in')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/customers/${NINGBO.id}`);
  });

  it('speaks English, and hides what a viewer may not do', async () => {
    await i18n.changeLanguage('en');
    answerList();
    renderList('/customers', viewerShell);

    expect(await screen.findByText('杭州湖畔咖啡有限公司', { selector: 'a' })).toBeInTheDocument();
    expect(screen.getByText('Lifecycle', { selector: 'th, th *' })).toBeInTheDocument();
    expect(screen.getByText('Last 12 months', { selector: 'th, th *' })).toBeInTheDocument();
    expect(rowOf('杭州湖畔咖啡有限公司').getByText('Loyal')).toBeInTheDocument();
    expect(rowOf('张晓梅').getByText('Individual')).toBeInTheDocument();
    expect(await screen.findByTestId('completeness-summary')).toHaveTextContent(
      'Average completeness 66%, 25% of customers at goal (≥ 90%), 1 not updated for over 30 days',
    );
    expect(screen.getByText('Page 1')).toBeInTheDocument();
    expect(callsOf('customers.list')[0]?.locale).toBe('en');

    expect(screen.queryByTestId('customers-new')).not.toBeInTheDocument();
    expect(screen.queryByTestId('customers-import')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Owner')).not.toBeInTheDocument();
    expect(callsOf('members.list')).toHaveLength(0);
  });

  it('shows every row of a full page of 50 (the first ones rendered first), each completeness as a bar', async () => {
    const page = Array.from({ length: 50 }, (_, index) =>
      customerRow({
        id: `3e1f2a4b-5c6d-4e7f-8a9b-${String(index).padStart(12, '0')}`,
        name: `客户${index + 1}`,
        completeness: index === 0 ? 43 : index === 1 ? 95 : 70,
        stale: index === 0,
      }),
    );
    answerTrpc({ ...pageAnswers, 'customers.list': () => ({ items: page, nextCursor: null }) });
    const { user } = renderList();

    expect(await screen.findByText('客户1', { selector: 'a' })).toBeInTheDocument();
    expect(rows().length).toBeGreaterThanOrEqual(15);
    await waitFor(() => expect(rows()).toHaveLength(50));
    expect(screen.getByText('客户50', { selector: 'a' })).toBeInTheDocument();

    const bar = (name: string) => rowOf(name).getByRole('progressbar');
    expect(bar('客户3')).toHaveAttribute('aria-valuenow', '70');
    expect(bar('客户3')).toHaveTextContent('70%');
    expect(bar('客户2')).toHaveClass('crm-completeness-success');
    // Not updated for over 30 days: red, and why on hover (the tooltip mounts on the first hover).
    expect(bar('客户1')).toHaveClass('crm-completeness-exception');
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
    await user.hover(bar('客户1'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent('超过 30 天未更新');
  });
});
