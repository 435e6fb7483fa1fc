import { createRoute } from '@tanstack/react-router';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultColumns } from '../../../features/customers/list/columns';
import { TierTag } from '../../../features/industry/TierTag';
import { i18n } from '../../../i18n';
import type { RouterOutputs } from '../../../lib/api-types';
import {
  customerRecord,
  customerRow,
  industryCurrent,
  members,
  ownerShell,
  tags,
} from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc, callsOf, type Resolvers } from '../../../test/trpc-msw';
import { Route as rootRoute } from '../../__root';
import { Route as profileRoute } from './$customerId';
import { Route as customersRoute } from './index';

/*
 * Tiers from the first save, on screen: the tier column and score are in a tiered tenant's
 * default columns, the tier tag says when it was computed, a tier waiting for the nightly run
 * says 待重算 and when, and the profile's tier card follows a queued re-tier without a reload.
 */

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const NEXT_RUN = '2026-12-07T19:30:00.000Z';

const TIERED = customerRow({
  id: '3e1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
  name: '杭州湖畔咖啡有限公司',
  tier: 'head',
  tierScore: '86.50',
  tierComputedAt: minutesAgo(3),
});
const PENDING = customerRow({
  id: '4f2a3b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c',
  name: '宁波海曙五金店',
  tier: null,
  tierPendingSince: minutesAgo(1),
  tierNextRunAt: NEXT_RUN,
});

const pageAnswers: Resolvers = {
  'customers.completenessSummary': () => ({
    customers: 2,
    average: 60,
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
  'customers.list': () => ({ items: [TIERED, PENDING], nextCursor: null }),
  'customers.count': () => ({ total: 2, exact: true }),
};

const profileStandIn = createRoute({
  getParentRoute: () => rootRoute,
  path: '/customers/$customerId',
  component: () => <p data-testid="profile-stand-in" />,
});

function renderList() {
  return renderRoute({
    url: '/customers',
    shell: ownerShell,
    app: [
      { route: customersRoute, path: '/customers/' },
      { route: profileStandIn, path: '/customers/$customerId' },
    ],
  });
}

function headers() {
  return [...screen.getByTestId('customers-table').querySelectorAll('thead th')].map(
    (th) => th.textContent ?? '',
  );
}

afterEach(async () => {
  localStorage.clear();
  await i18n.changeLanguage('zh-CN');
});

describe('tiers in the customer list', () => {
  it('shows tier and score by default in a tenant with a tier model', async () => {
    expect(defaultColumns(false)).not.toContain('tier');
    expect(defaultColumns(true)).toEqual(expect.arrayContaining(['tier', 'tierScore']));
    answerTrpc(pageAnswers);
    renderList();
    expect(
      await screen.findByText('杭州湖畔咖啡有限公司', { selector: 'a' }, { timeout: 30_000 }),
    ).toBeInTheDocument();
    await waitFor(() => expect(headers()).toEqual(expect.arrayContaining(['客户层级', '分层得分'])));
    const row = within(
      screen.getByText('杭州湖畔咖啡有限公司', { selector: 'a' }).closest('tr') as HTMLElement,
    );
    expect(row.getByText('86.5')).toBeInTheDocument();
  }, 40_000);

  it('says when a tier was computed, and that a pending one waits for the nightly run', async () => {
    const user = userEvent.setup();
    render(
      <>
        <TierTag
          tier="head"
          label="头部客户"
          computedAt={minutesAgo(3)}
          pendingSince={null}
          nextRunAt={null}
        />
        <TierTag tier={null} label="" computedAt={null} pendingSince={minutesAgo(1)} nextRunAt={NEXT_RUN} />
      </>,
    );
    const tag = screen.getByTestId('tier-tag');
    expect(tag).toHaveTextContent('头部客户');
    await user.hover(tag);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      /^3 分钟前计算（\d{4}-\d\d-\d\d \d\d:\d\d）$/,
    );
    await user.unhover(tag);

    const pending = screen.getByTestId('tier-pending');
    expect(pending).toHaveTextContent('待重算');
    await user.hover(pending);
    await waitFor(() =>
      expect(
        screen
          .getAllByRole('tooltip')
          .map((tip) => tip.textContent)
          .join(),
      ).toMatch(/每晚全量分层时统一计算，下次为/),
    );
    expect(
      screen
        .getAllByRole('tooltip')
        .map((tip) => tip.textContent)
        .join(),
    ).toMatch(/2026-12-0[78] \d\d:30/);
  });

  it('says the same in English', async () => {
    await i18n.changeLanguage('en');
    const user = userEvent.setup();
    render(
      <>
        <TierTag tier="head" label="Head" computedAt={minutesAgo(3)} pendingSince={null} nextRunAt={null} />
        <TierTag
          tier="tail"
          label="Long tail"
          computedAt={null}
          pendingSince={minutesAgo(1)}
          nextRunAt={NEXT_RUN}
        />
      </>,
    );
    await user.hover(screen.getByTestId('tier-tag'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(/^computed 3 minutes ago \(/);
    // A tier waiting for the nightly run keeps its former tier beside the mark.
    expect(screen.getByTestId('tier-pending')).toHaveTextContent('Long tailPending recalculation');
  });
});

describe('the tier card of a customer just saved', () => {
  const base: RouterOutputs['industry']['customerTier'] = {
    tier: null,
    tierLabels: null,
    score: null,
    changedAt: null,
    computedAt: null,
    pendingSince: null,
    nextRunAt: null,
    queued: true,
    settingsVersion: null,
    explanation: null,
    dimensionLabels: {},
    history: [],
  };
  const placed: RouterOutputs['industry']['customerTier'] = {
    ...base,
    tier: 'tail',
    tierLabels: { 'zh-CN': '长尾客户', en: 'Long tail' },
    score: 0,
    changedAt: minutesAgo(0),
    computedAt: minutesAgo(0),
    queued: false,
    explanation: {
      kind: 'rfm',
      score: 0,
      dimensions: [{ key: 'r', metric: 'rfm_r', raw: 0, normalised: 5, weight: null, contribution: null }],
      rule: { index: null, tier: 'tail' },
    },
  };

  function renderProfile(answer: () => RouterOutputs['industry']['customerTier']) {
    const customer = customerRecord({ id: TIERED.id, name: TIERED.name });
    answerTrpc({
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
      'industry.customerTier': answer,
      'contacts.list': () => [],
      'orders.list': () => ({ items: [], nextCursor: null }),
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
    } as Resolvers);
    return renderRoute({
      url: `/customers/${TIERED.id}`,
      shell: ownerShell,
      app: [{ route: profileRoute, path: '/customers/$customerId' }],
    });
  }

  it('shows the tier once the queued re-tier has run, without a reload, and when it was computed', async () => {
    let calls = 0;
    renderProfile(() => {
      calls += 1;
      // Computed just now (not when the file loaded: a busy machine takes its time).
      return calls === 1 ? base : { ...placed, computedAt: new Date().toISOString() };
    });
    expect(await screen.findByTestId('customer-tier-queued', {}, { timeout: 30_000 })).toHaveTextContent(
      '正在计算层级',
    );
    expect(await screen.findByTestId('customer-tier', {}, { timeout: 20_000 })).toHaveTextContent('长尾客户');
    expect(screen.getByTestId('customer-tier-computed')).toHaveTextContent('几秒前计算');
    expect(screen.queryByTestId('customer-tier-queued')).toBeNull();
    expect(callsOf('industry.customerTier').length).toBeGreaterThanOrEqual(2);
  }, 40_000);

  it('says 待重算 with the time of the nightly run', async () => {
    renderProfile(() => ({ ...base, queued: false, pendingSince: minutesAgo(1), nextRunAt: NEXT_RUN }));
    const pending = await screen.findByTestId('customer-tier-pending');
    expect(pending).toHaveTextContent('待重算');
    expect(pending).toHaveTextContent(/2026-12-0[78] \d\d:30/);
    expect(screen.queryByText(/还没有分层/)).toBeNull();
  });
});
