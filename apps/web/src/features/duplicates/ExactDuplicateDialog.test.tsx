import { createRoute } from '@tanstack/react-router';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Route as rootRoute } from '../../routes/__root';
import { customerRecord, industryCurrent, members, ownerShell, tags } from '../../test/fixtures';
import { renderRoute } from '../../test/render';
import { answerTrpc, callsOf, TrpcTestError } from '../../test/trpc-msw';
import { CustomerFormDrawer } from '../customers/CustomerFormDrawer';

/*
 * An exact duplicate is not saved with one click (issue 15): the server refuses it naming the
 * existing customer; the dialog links to it, or creates anyway (仍然新建) with a reason that
 * is required and sent as `force.reason`.
 */

const EXISTING_ID = '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const existing = {
  id: EXISTING_ID,
  name: '华辰工业科技有限公司',
  kind: 'company' as const,
  phone: '+8657187558212',
  email: null,
  creditCode: null,
  ownerName: '王经理',
  archivedAt: null,
  orderCount: 3,
  createdAt: '2026-01-05T02:00:00.000Z',
};

const formRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/new',
  component: () => <CustomerFormDrawer open onClose={() => {}} />,
});
const profileStandIn = createRoute({
  getParentRoute: () => rootRoute,
  path: '/customers/$customerId',
  component: () => <p data-testid="profile-stand-in" />,
});

function answerForm() {
  answerTrpc({
    'members.list': () => members,
    'tags.list': () => tags,
    'customFields.list': () => [],
    'industry.current': () => industryCurrent,
    // The create form starts at the profile's defaultCustomerKind (none listed: 个人).
    'industry.profiles': () => [],
    'duplicates.check': (input) =>
      input.name?.startsWith('华辰')
        ? { matches: [{ customer: existing, reasons: ['name'], confidence: 0.6, exact: true }], hidden: 0 }
        : { matches: [], hidden: 0 },
    'customers.create': (input) => {
      if (!input.force)
        throw new TrpcTestError(
          'CONFLICT',
          'CUSTOMER_EXACT_DUPLICATE',
          '已有同一客户「华辰工业科技有限公司」（企业名称相同）。请打开已有客户；如确需新建，请选择“仍然新建”并填写原因',
          [],
          { existingId: EXISTING_ID, name: '华辰工业科技有限公司' },
        );
      return customerRecord({
        id: '9d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
        name: input.name,
        kind: 'company',
      });
    },
  });
}

describe('仍然新建: an exact duplicate on create', () => {
  it('warns 同一客户 with 名称相近, then on save opens the existing customer or creates anyway with a required reason', async () => {
    answerForm();
    const { user } = renderRoute({
      url: '/new',
      shell: ownerShell,
      app: [
        { route: formRoute, path: '/new' },
        { route: profileStandIn, path: '/customers/$customerId' },
      ],
    });
    // The form resets once its custom fields have loaded: fill it after that.
    await waitFor(() => expect(callsOf('customFields.list').length).toBeGreaterThan(0));
    await user.type(await screen.findByTestId('customer-name'), '华辰工业科技股份有限公司');
    await user.click(screen.getByTestId('customer-kind-company'));

    // The warning while typing: the same customer, by a similar (not identical) name.
    const warning = await screen.findByTestId('duplicate-warning', {}, { timeout: 3000 });
    expect(within(warning).getByTestId('duplicate-exact')).toHaveTextContent('同一客户');
    expect(within(warning).getByTestId('duplicate-reason')).toHaveTextContent('名称相近');
    expect(within(warning).getByText('0571-8755 8212')).toBeInTheDocument();

    await user.click(screen.getByTestId('customer-submit'));
    const refusal = await screen.findByTestId('exact-duplicate');
    expect(refusal).toHaveTextContent('已有同一客户「华辰工业科技有限公司」');
    expect(screen.getByTestId('exact-duplicate-open')).toHaveAttribute('href', `/customers/${EXISTING_ID}`);
    expect(callsOf('customers.create')).toHaveLength(1);

    // No reason, no create.
    await user.click(screen.getByTestId('create-anyway'));
    expect(await screen.findByText('请填写仍然新建的原因')).toBeInTheDocument();
    expect(callsOf('customers.create')).toHaveLength(1);

    await user.type(screen.getByTestId('create-anyway-reason'), '同名的另一家公司，注册地在苏州');
    await user.click(screen.getByTestId('create-anyway'));
    await waitFor(() => expect(callsOf('customers.create')).toHaveLength(2));
    expect(callsOf('customers.create')[1]?.input).toMatchObject({
      name: '华辰工业科技股份有限公司',
      kind: 'company',
      force: { reason: '同名的另一家公司，注册地在苏州' },
    });
  });
});
