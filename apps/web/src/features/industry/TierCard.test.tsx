import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppProviders } from '../../components/AppProviders';
import { i18n } from '../../i18n';
import type { RouterOutputs } from '../../lib/api-types';
import { answerTrpc } from '../../test/trpc-msw';
import { TierCard } from './TierCard';

/**
 * The tier card explains a placement in words a user reads: custom fields by their label and
 * options by their label (never b2b_industry_growth or "high"), a value-threshold rule as the
 * rule itself with its money in 万元 / ¥, and only the columns that model has.
 */
const CUSTOMER_ID = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

type CustomField = RouterOutputs['customFields']['list'][number];
const field = (
  key: string,
  type: CustomField['type'],
  labelZh: string,
  labelEn: string,
  options: CustomField['options'] = [],
): CustomField => ({
  id: `0a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c${String(key.length).padStart(2, '0')}`,
  key,
  labelZh,
  labelEn,
  type,
  options,
  required: false,
  position: 0,
  source: 'plugin',
  archived: false,
  sensitive: false,
  validation: {},
});

const fields: CustomField[] = [
  field('b2b_industry_growth', 'enum', '行业成长性', 'Industry growth outlook', [
    { value: 'high', labelZh: '高', labelEn: 'High' },
    { value: 'low', labelZh: '低', labelEn: 'Low' },
  ]),
  field('bank_settlement_volume', 'money', '年结算量', 'Yearly settlement volume'),
];

const base = {
  tierLabels: { 'zh-CN': '重点客户', en: 'Key' },
  changedAt: '2026-02-21T04:00:00.000Z',
  computedAt: '2026-02-21T04:00:00.000Z',
  pendingSince: null,
  nextRunAt: null,
  queued: false,
  settingsVersion: 1,
  history: [],
};

const weighted: RouterOutputs['industry']['customerTier'] = {
  ...base,
  tier: 'b2b_key',
  score: 72.73,
  explanation: {
    kind: 'weighted',
    score: 72.73,
    dimensions: [
      {
        key: 'amount_12m',
        metric: 'amount_12m',
        raw: 86500,
        normalised: 91.2,
        weight: 40,
        contribution: 33.16,
      },
      {
        key: 'growth',
        metric: 'custom_enum:b2b_industry_growth',
        raw: 'high',
        normalised: 100,
        weight: 10,
        contribution: 9.09,
      },
    ],
    rule: { index: 1, tier: 'b2b_key', minScore: 70 },
  },
  dimensionLabels: {},
};

const thresholds: RouterOutputs['industry']['customerTier'] = {
  ...base,
  tier: 'bank_important',
  tierLabels: { 'zh-CN': '重要客户', en: 'Important' },
  score: null,
  explanation: {
    kind: 'thresholds',
    score: null,
    dimensions: [
      {
        key: 'custom_number:bank_settlement_volume',
        metric: 'custom_number:bank_settlement_volume',
        raw: 117959000,
        normalised: 117959000,
        weight: null,
        contribution: null,
      },
      {
        key: 'amount_12m',
        metric: 'amount_12m',
        raw: 12000,
        normalised: 12000,
        weight: null,
        contribution: null,
      },
    ],
    rule: {
      index: 2,
      tier: 'bank_important',
      conditions: [
        { metric: 'custom_number:bank_settlement_volume', op: 'gte', value: 100000000 },
        { metric: 'amount_12m', op: 'gt', value: 10000 },
      ],
    },
  },
  dimensionLabels: {},
};

const rfm: RouterOutputs['industry']['customerTier'] = {
  ...base,
  tier: 'retail_head',
  tierLabels: { 'zh-CN': '头部客户', en: 'Head' },
  score: 83.33,
  explanation: {
    kind: 'rfm',
    score: 83.33,
    dimensions: [
      { key: 'r', metric: 'recency_days', raw: 13, normalised: 5, weight: null, contribution: null },
      { key: 'f', metric: 'order_count_12m', raw: 5, normalised: 3, weight: null, contribution: null },
      { key: 'm', metric: 'amount_12m', raw: 121790, normalised: 5, weight: null, contribution: null },
      {
        key: 'amount_12m',
        metric: 'amount_12m',
        raw: 121790,
        normalised: 121790,
        weight: null,
        contribution: null,
      },
      { key: 'order_count', metric: 'order_count', raw: 5, normalised: 5, weight: null, contribution: null },
    ],
    rule: { index: 0, tier: 'retail_head', conditions: [{ metric: 'amount_12m', op: 'gt', value: 10000 }] },
  },
  dimensionLabels: {},
};

function show(tier: RouterOutputs['industry']['customerTier']) {
  answerTrpc({
    'industry.customerTier': () => tier,
    'customFields.list': () => fields,
    'industry.current': () => ({ state: 'unavailable', profileId: 'test', message: '' }),
  });
  render(
    <AppProviders>
      <TierCard customerId={CUSTOMER_ID} />
    </AppProviders>,
  );
}

afterEach(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('the tier card', () => {
  it('names a custom option by its label, money as money, with a normalised score column', async () => {
    show(weighted);
    const table = within(await screen.findByTestId('customer-tier-dimensions'));
    expect(await table.findByText('行业成长性')).toBeInTheDocument();
    expect(table.getByText('高')).toBeInTheDocument();
    expect(table.queryByText('high')).not.toBeInTheDocument();
    expect(table.getByText('¥86,500.00')).toBeInTheDocument();
    expect(table.getByText('标准化得分')).toBeInTheDocument();
    expect(table.getByText('91.2')).toBeInTheDocument();
  });

  it('says a value-threshold rule in words and shows no score column (there is no score)', async () => {
    show(thresholds);
    const rule = await screen.findByTestId('customer-tier-rule');
    await expect
      .poll(() => rule.textContent)
      .toBe('归入依据：年结算量 ≥ 1 亿元 且 近 12 个月交易额 > 1 万元，归入「重要客户」');
    const table = within(screen.getByTestId('customer-tier-dimensions'));
    expect(table.getByText('¥117,959,000.00')).toBeInTheDocument();
    expect(table.queryByText('标准化得分')).not.toBeInTheDocument();
    expect(screen.getByTestId('customer-tier-card').textContent).not.toMatch(
      /bank_settlement_volume|第 \d+ 条/,
    );
  });

  it('in English', async () => {
    await i18n.changeLanguage('en');
    show(thresholds);
    const rule = await screen.findByTestId('customer-tier-rule');
    await expect
      .poll(() => rule.textContent)
      .toBe(
        'Why this tier: Yearly settlement volume ≥ ¥100,000,000 and 12-month amount > ¥10,000: placed in "Important"',
      );
  });

  it('names R, F and M on their lines, scores them 1–5, and lists a segment metric once', async () => {
    show(rfm);
    const table = within(await screen.findByTestId('customer-tier-dimensions'));
    expect(await table.findByText('R · 距上次成交天数')).toBeInTheDocument();
    expect(table.getByText('M · 近 12 个月交易额')).toBeInTheDocument();
    expect(table.getByText('得分（1–5）')).toBeInTheDocument();
    expect(table.getAllByText('近 12 个月交易额', { exact: false })).toHaveLength(1);
    expect(
      within(table.getByText('累计订单数').closest('tr') as HTMLElement).getByText('—'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('customer-tier-rule')).toHaveTextContent(
      '近 12 个月交易额 > 1 万元，归入「头部客户」',
    );
  });
});
