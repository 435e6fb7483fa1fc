import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../i18n';
import type { RouterOutputs } from '../../../lib/api-types';
import { customerRow, industryCurrent, members, ownerShell, tags } from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc, callsOf, type Resolvers } from '../../../test/trpc-msw';
import { Route as customersRoute } from './index';

/** The customer list while it loads (skeleton, never the empty state) and its 共 N 条. */

const ROW = customerRow({ id: '3e1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b', name: '杭州湖畔咖啡有限公司' });

const pageAnswers: Resolvers = {
  'customers.completenessSummary': () => ({
    customers: 0,
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
  'views.list': () => [],
};

/** A promise the test resolves when it chooses: the server's answer "still on its way". */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function renderList(url = '/customers') {
  return renderRoute({ url, shell: ownerShell, app: [{ route: customersRoute, path: '/customers/' }] });
}

const rows = () => [...screen.getByTestId('customers-table').querySelectorAll('tr.ant-table-row')];

describe('customer list while loading', () => {
  it('shows skeleton rows, not the empty state, until the first page arrives', async () => {
    const page = deferred<RouterOutputs['customers']['list']>();
    const count = deferred<RouterOutputs['customers']['count']>();
    answerTrpc({
      ...pageAnswers,
      'customers.list': () => page.promise,
      'customers.count': () => count.promise,
    });
    renderList();

    expect(await screen.findByTestId('list-skeleton')).toBeInTheDocument();
    await waitFor(() => expect(callsOf('customers.list')).toHaveLength(1));
    // The request is out and unanswered: nothing may say there are no customers.
    expect(screen.queryByText('还没有客户')).not.toBeInTheDocument();
    expect(screen.queryByText('暂无数据')).not.toBeInTheDocument();
    expect(screen.getByTestId('list-count')).toHaveAttribute('aria-busy', 'true');

    page.resolve({ items: [ROW], nextCursor: null });
    expect(await screen.findByText('杭州湖畔咖啡有限公司', { selector: 'a' })).toBeInTheDocument();
    expect(screen.queryByTestId('list-skeleton')).not.toBeInTheDocument();
    expect(rows()).toHaveLength(1);
    // The rows did not wait for the count.
    expect(screen.getByTestId('list-count')).toHaveAttribute('aria-busy', 'true');
    count.resolve({ total: 1, exact: true });
    await waitFor(() => expect(screen.getByTestId('list-count')).toHaveTextContent('共 1 条'));
  });

  it('shows the empty state once the server answered an empty page', async () => {
    answerTrpc({
      ...pageAnswers,
      'customers.list': () => ({ items: [], nextCursor: null }),
      'customers.count': () => ({ total: 0, exact: true }),
    });
    renderList();
    expect(await screen.findByText('还没有客户')).toBeInTheDocument();
    expect(screen.queryByTestId('list-skeleton')).not.toBeInTheDocument();
    expect(screen.getByTestId('list-count')).toHaveTextContent('共 0 条');
  });
});

describe('customer list count', () => {
  it('says 共 N 条 exactly and 约 N 条 for an estimate, counting with the list filters', async () => {
    answerTrpc({
      ...pageAnswers,
      'customers.list': () => ({ items: [ROW], nextCursor: 'next' }),
      'customers.count': (input) =>
        input?.lifecycleStages ? { total: 1234, exact: true } : { total: 1_200_000, exact: false },
    });
    const first = renderList();
    await waitFor(() => expect(screen.getByTestId('list-count')).toHaveTextContent('约 1,200,000 条'));
    expect(callsOf('customers.count')[0]?.input).toEqual({ archived: false });
    first.unmount();

    renderList('/customers?f=%7B%22lifecycleStages%22%3A%5B%22new%22%5D%7D');
    await waitFor(() => expect(screen.getByTestId('list-count')).toHaveTextContent('共 1,234 条'));
    expect(callsOf('customers.count').at(-1)?.input).toEqual({ archived: false, lifecycleStages: ['new'] });
  });

  it('speaks English with plural rules', async () => {
    await i18n.changeLanguage('en');
    let total = 1;
    answerTrpc({
      ...pageAnswers,
      'customers.list': () => ({ items: [ROW], nextCursor: null }),
      'customers.count': () => (total === 1 ? { total: 1, exact: true } : { total: 25_000, exact: false }),
    });
    const first = renderList();
    await waitFor(() => expect(screen.getByTestId('list-count')).toHaveTextContent(/^1 customer$/));
    first.unmount();

    total = 25_000;
    renderList('/customers?archived=true');
    await waitFor(() => expect(screen.getByTestId('list-count')).toHaveTextContent('About 25,000 customers'));
  });
});
