import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../../../i18n';
import type { RouterOutputs } from '../../../lib/api-types';
import { ownerShell } from '../../../test/fixtures';
import { renderRoute } from '../../../test/render';
import { answerTrpc } from '../../../test/trpc-msw';
import { Route as duplicatesRoute } from './duplicates';

/*
 * The 查重 queue says which pairs the identity rule calls the same customer (同一客户, as the
 * create check refuses them), and shows a pair sharing only a phone as a candidate (电话相同).
 */

type Pair = RouterOutputs['duplicates']['list']['items'][number];

const brief = (id: string, name: string, phone: string | null = null): Pair['a'] => ({
  id,
  name,
  kind: 'company',
  phone,
  email: null,
  creditCode: null,
  ownerName: '周经理',
  archivedAt: null,
  orderCount: 0,
  createdAt: '2026-12-01T08:00:00.000Z',
});

const pair = (id: string, a: Pair['a'], b: Pair['b'], reasons: string[], sameBy: Pair['sameBy']): Pair => ({
  id,
  a,
  b,
  reasons,
  confidence: reasons.includes('phone') ? 0.7 : 0.6,
  sameBy,
  status: 'pending',
  source: 'scan',
  detectedAt: '2026-12-07T01:47:00.000Z',
  resolvedAt: null,
});

const SAME = pair(
  '0b6c1f2e-6f1a-4c55-9a51-3f7a0e2c1d01',
  brief('1a6c1f2e-6f1a-4c55-9a51-3f7a0e2c1d01', '华辰工业科技有限公司'),
  brief('2a6c1f2e-6f1a-4c55-9a51-3f7a0e2c1d01', '华辰工业科技股份有限公司'),
  ['name'],
  'name',
);
const CANDIDATE = pair(
  '0b6c1f2e-6f1a-4c55-9a51-3f7a0e2c1d02',
  brief('3a6c1f2e-6f1a-4c55-9a51-3f7a0e2c1d01', '沧州恒远机械有限公司', '+8631755512340'),
  brief('4a6c1f2e-6f1a-4c55-9a51-3f7a0e2c1d01', '邯郸宏图物流有限公司', '+8631755512340'),
  ['phone'],
  null,
);

afterEach(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('the 查重 queue', () => {
  it('marks the same customer and shows a shared phone as a candidate, in both languages', async () => {
    answerTrpc({
      'duplicates.list': () => ({ items: [CANDIDATE, SAME], nextCursor: null }),
      'duplicates.count': () => ({ total: 2, exact: true }),
      'duplicates.lastScan': () => null,
    });
    renderRoute({
      url: '/customers/duplicates',
      shell: ownerShell,
      app: [{ route: duplicatesRoute, path: '/customers/duplicates' }],
    });
    const rowOf = async (name: string) =>
      within((await screen.findByText(name, {}, { timeout: 20_000 })).closest('tr') as HTMLElement);
    const same = await rowOf('华辰工业科技股份有限公司');
    expect(same.getByTestId('duplicate-exact')).toHaveTextContent('同一客户');
    expect(same.getByTestId('duplicate-reason')).toHaveTextContent('名称相近');
    const candidate = await rowOf('邯郸宏图物流有限公司');
    expect(candidate.queryByTestId('duplicate-exact')).toBeNull();
    expect(candidate.getByTestId('duplicate-reason')).toHaveTextContent('电话相同');

    await i18n.changeLanguage('en');
    expect(await same.findByText('Same customer')).toBeInTheDocument();
    expect(same.getByTestId('duplicate-reason')).toHaveTextContent('Similar names');
  }, 30_000);
});
