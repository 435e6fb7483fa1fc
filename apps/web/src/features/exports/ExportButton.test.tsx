import { createRoute } from '@tanstack/react-router';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Route as rootRoute } from '../../routes/__root';
import { ownerShell } from '../../test/fixtures';
import { renderRoute } from '../../test/render';
import { answerTrpc, callsOf } from '../../test/trpc-msw';
import { ExportButton } from './ExportButton';

/*
 * A customer export carries 首次合作时间, 纪念日 and the opening balance unless the user leaves
 * them out, so the file imports again without losing them (issue 15).
 */

const TARGETS = [
  'firstCooperationOn',
  'anniversaryOn',
  'openingAmount12m',
  'openingAmountLifetime',
  'openingOrderCount',
  'openingLastDealOn',
  'openingAsOf',
];

const page = createRoute({
  getParentRoute: () => rootRoute,
  path: '/export',
  component: () => (
    <ExportButton
      request={() => ({ entity: 'customers', filters: { archived: false }, columns: ['name', 'phone'] })}
    />
  ),
});

function answer() {
  answerTrpc({
    'exports.create': () => ({
      id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
      entity: 'customers',
      format: 'csv',
      status: 'queued',
      rowsDone: 0,
      rowsTotal: null,
      fileName: '客户_2026-12-07.csv',
      fileSize: null,
      revealSensitive: false,
      error: null,
      createdAt: '2026-12-07T01:00:00.000Z',
      finishedAt: null,
      expiresAt: '2026-12-08T01:00:00.000Z',
      downloadUrl: null,
    }),
    'exports.list': () => [],
  });
}

describe('customer export: what an import brings', () => {
  it('adds the columns by default, and leaves them out when unticked', async () => {
    answer();
    const { user } = renderRoute({
      url: '/export',
      shell: ownerShell,
      app: [{ route: page, path: '/export' }],
    });
    await user.click(await screen.findByTestId('export-open'));
    expect(await screen.findByText('同时导出首次合作时间、纪念日和导入的期初数据')).toBeInTheDocument();
    await user.click(screen.getByTestId('export-submit'));
    await waitFor(() => expect(callsOf('exports.create')).toHaveLength(1));
    expect(callsOf('exports.create')[0]?.input.columns).toEqual(['name', 'phone', ...TARGETS]);

    await user.click(screen.getByTestId('export-open'));
    await user.click(await screen.findByTestId('export-import-targets'));
    await user.click(screen.getByTestId('export-submit'));
    await waitFor(() => expect(callsOf('exports.create')).toHaveLength(2));
    expect(callsOf('exports.create')[1]?.input.columns).toEqual(['name', 'phone']);
  });
});
