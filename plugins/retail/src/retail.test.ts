import { defaultSettingsOf, resolvePlugin, validateSettings } from '@crm/plugin-sdk';
import {
  checkPluginContract,
  describePluginContract,
  runTierModel,
  SAMPLE_CUSTOMERS,
  type TierCustomer,
} from '@crm/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import retail, { migrateRetailSettings } from './index';

/** A customer who buys: its 12-month spend, orders in 12 months and lifetime, days since the last order. */
function buyer(
  id: string,
  amount12m: number,
  orders12m: number,
  recencyDays: number,
  orders = orders12m,
): TierCustomer {
  return {
    id,
    facts: {
      amount_12m: amount12m,
      amount_lifetime: amount12m,
      order_count_12m: orders12m,
      order_count: orders,
      recency_days: recencyDays,
      months_without_order: Math.floor(recencyDays / 30),
    },
  };
}

const FIXTURES: TierCustomer[] = [
  buyer('high-value', 120_000, 14, 6),
  buyer('mid-value', 45_000, 6, 20),
  buyer('waist', 5_000, 3, 40),
  buyer('long-tail', 600, 1, 100),
  { id: 'enquired', facts: {} },
  buyer('dormant-7-months', 0, 0, 210, 4),
  buyer('quiet-5-months', 2_000, 1, 150),
];

const placed = (settings: Parameters<typeof runTierModel<typeof retail.settings.schema>>[1] = {}) =>
  new Map(runTierModel(retail, settings, FIXTURES).map((result) => [result.id, result]));

describePluginContract(retail, { customers: [...SAMPLE_CUSTOMERS, ...FIXTURES] });

describe('retail plugin', () => {
  it('passes the whole contract on its fixtures', () => {
    expect(checkPluginContract(retail, { customers: FIXTURES })).toEqual([]);
  });

  it('defaults to the playbook’s numbers', () => {
    const settings = defaultSettingsOf(retail);
    expect(settings.valueLevels).toEqual({ highAmount: 100_000, midAmount: 30_000 });
    expect(settings.rfm).toMatchObject({ headAmount: 10_000, waistAmount: 1_000, dormantDays: 180 });
    expect(settings.leads).toEqual({ aHours: 24, bHours: 48, cHours: 168 });
    expect(settings.surveys.csatDelayDays).toBe(7);
  });

  it('places customers in head, waist, long tail and dormant, and explains why', () => {
    const results = placed();
    const tiers = Object.fromEntries([...results].map(([id, result]) => [id, result.tier]));
    expect(tiers).toEqual({
      'high-value': 'retail_head',
      'mid-value': 'retail_head',
      waist: 'retail_waist',
      'long-tail': 'retail_long_tail',
      enquired: 'retail_long_tail',
      'dormant-7-months': 'retail_dormant',
      'quiet-5-months': 'retail_waist',
    });

    // Spend 120,000 a year: a head customer whose monetary score is 5 — the 高价值 band.
    const high = results.get('high-value');
    expect(high?.explanation.kind).toBe('rfm');
    expect(high?.explanation.rule).toEqual({
      index: 1,
      tier: 'retail_head',
      conditions: [{ metric: 'amount_12m', op: 'gt', value: 10_000 }],
    });
    const scores = (id: string) =>
      Object.fromEntries(
        (results.get(id)?.explanation.dimensions ?? [])
          .filter((dimension) => ['r', 'f', 'm'].includes(dimension.key))
          .map((dimension) => [dimension.key, [dimension.raw, dimension.normalised]]),
      );
    expect(scores('high-value')).toEqual({ r: [6, 5], f: [14, 5], m: [120_000, 5] });
    // 45,000: 中价值 (M = 4); 5,000: M = 2.
    expect(scores('mid-value').m).toEqual([45_000, 4]);
    expect(scores('waist')).toEqual({ r: [40, 4], f: [3, 2], m: [5_000, 2] });
    // (R + F + M − 3) ÷ 12 × 100
    expect(high?.score).toBe(100);
    expect(results.get('waist')?.score).toBe(41.67);

    // Seven months without a purchase: dormant, by the first segment, with the settings' numbers.
    expect(results.get('dormant-7-months')?.explanation.rule).toEqual({
      index: 0,
      tier: 'retail_dormant',
      conditions: [
        { metric: 'order_count', op: 'gte', value: 1 },
        { metric: 'recency_days', op: 'gte', value: 180 },
      ],
    });
    // Enquired but never bought: long tail by default, not dormant.
    expect(results.get('enquired')?.explanation.rule).toEqual({ index: null, tier: 'retail_long_tail' });
  });

  it('follows the admin’s settings', () => {
    const results = placed({ rfm: { dormantDays: 240, headAmount: 20_000, waistAmount: 1_000 } });
    expect(results.get('dormant-7-months')?.tier).toBe('retail_long_tail');
    expect(results.get('high-value')?.tier).toBe('retail_head');
    const raised = placed({ valueLevels: { highAmount: 150_000, midAmount: 50_000 } });
    expect(
      raised.get('high-value')?.explanation.dimensions.find((dimension) => dimension.key === 'm')?.normalised,
    ).toBe(4);
  });

  it('reports thresholds out of order with the setting to change', () => {
    const problems = validateSettings(retail, { rfm: { headAmount: 40_000 } });
    expect(problems.map((problem) => problem.code)).toContain('TIER_THRESHOLDS_OVERLAP');
    expect(validateSettings(retail, { leads: { aHours: 0 } }).map((problem) => problem.setting)).toEqual([
      'leads.aHours',
    ]);
    expect(validateSettings(retail, {})).toEqual([]);
  });

  it('declares the cadences, lead grades, survey and custom fields of the playbook', () => {
    const resolved = resolvePlugin(retail);
    expect(
      resolved.cadences.map((cadence) => [cadence.tier, cadence.interval.every, cadence.interval.unit]),
    ).toEqual([
      ['retail_head', 1, 'month'],
      ['retail_head', 3, 'month'],
      ['retail_waist', 2, 'week'],
      ['retail_long_tail', 1, 'week'],
      ['retail_dormant', 1, 'month'],
    ]);
    expect(resolved.leadGrades.map((grade) => [grade.grade, grade.followUpWithinHours])).toEqual([
      ['A', 24],
      ['B', 48],
      ['C', 168],
    ]);
    const [csat] = resolved.surveys;
    expect(csat?.kind).toBe('csat');
    expect(csat?.schedule).toEqual({ after: 'first_order', delayDays: 7 });
    expect(csat?.questions.filter((question) => question.type === 'rating').map((q) => q.scale)).toEqual([
      { min: 1, max: 5 },
      { min: 1, max: 5 },
      { min: 1, max: 5 },
    ]);
    expect(resolved.customFields.map((field) => [field.key, field.labels['zh-CN']])).toEqual([
      ['retail_member_card', '会员卡号'],
      ['retail_member_grade', '会员等级'],
      ['retail_preferred_channels', '偏好渠道'],
    ]);
    expect(resolved.lifecycle).toEqual({ atRiskDays: 90, dormantDays: 180, loyalOrders: 5 });
  });

  it('migrates stored overrides idempotently', () => {
    const stored = { rfm: { headAmount: 20_000 }, leads: { aHours: 'soon' }, retired: true };
    const once = migrateRetailSettings(1, stored);
    expect(once.rfm?.headAmount).toBe(20_000);
    expect(once).not.toHaveProperty('retired');
    expect(once.leads).toEqual({ aHours: 24, bHours: 48, cHours: 168 });
    expect(migrateRetailSettings(1, once)).toEqual(once);
  });
});
