import { createRoute } from '@tanstack/react-router';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Route as rootRoute } from '../../routes/__root';
import { customerRecord, ownerShell } from '../../test/fixtures';
import { renderRoute } from '../../test/render';
import { answerTrpc, callsOf } from '../../test/trpc-msw';
import { MergeDialog } from './MergeDialog';

/*
 * Merging customers that an import brought (issue 15): the dialog offers 纪念日 like the other
 * fields and says how 首次合作时间 and the opening figures combine.
 */

const A = '6d7e8f9a-0b1c-4d2e-8f3a-4b5c6d7e8f9a';
const B = '7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b';
const survivor = customerRecord({
  id: A,
  name: '杭州云帆科技有限公司',
  kind: 'company',
  orderCount: 3,
  firstCooperationOn: '2021-05-01',
  anniversaryOn: null,
  openingBalance: {
    asOf: '2026-10-01',
    amount12m: '1200.00',
    amountLifetime: '5000.00',
    orderCount: 10,
    lastDealOn: '2026-09-20',
  },
});
const merged = customerRecord({
  id: B,
  name: '杭州云帆科技有限公司（老系统）',
  kind: 'company',
  firstCooperationOn: '2019-03-05',
  anniversaryOn: '2015-10-01',
});

const page = createRoute({
  getParentRoute: () => rootRoute,
  path: '/merge',
  component: () => <MergeDialog open onClose={() => {}} customerIds={[A, B]} />,
});

describe('merge dialog: what an import brought', () => {
  it('offers 纪念日 and says how first cooperation and the opening figures combine', async () => {
    answerTrpc({
      'customers.get': (input) => (input.id === A ? survivor : merged),
      'customFields.list': () => [],
      'customers.merge': () => ({
        mergeId: '8f9a0b1c-2d3e-4f4a-8b5c-6d7e8f9a0b1c',
        survivorId: A,
        mergedId: B,
      }),
    });
    const { user } = renderRoute({
      url: '/merge',
      shell: ownerShell,
      app: [{ route: page, path: '/merge' }],
    });
    expect(await screen.findByTestId('merge-targets-hint')).toHaveTextContent(
      '首次合作时间取两者中较早的日期',
    );
    expect(screen.getByText('纪念日')).toBeInTheDocument();
    // The survivor has none: the merged customer's is taken unless the user says otherwise.
    const choice = screen.getByTestId('merge-choice-anniversaryOn-merged');
    await waitFor(() =>
      expect(choice.tagName === 'INPUT' ? choice : choice.querySelector('input')).toBeChecked(),
    );
    await user.click(screen.getByTestId('merge-submit'));
    await waitFor(() => expect(callsOf('customers.merge')).toHaveLength(1));
    expect(callsOf('customers.merge')[0]?.input).toMatchObject({
      survivorId: A,
      mergedId: B,
      choices: { anniversaryOn: 'merged' },
    });
  });
});
