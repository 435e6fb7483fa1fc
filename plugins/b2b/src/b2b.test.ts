import { defaultSettingsOf, resolvePlugin, validateSettings } from '@crm/plugin-sdk';
import {
  checkPluginContract,
  describePluginContract,
  runTierModel,
  SAMPLE_CUSTOMERS,
  type TierCustomer,
} from '@crm/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import b2b, { migrateB2bSettings } from './index';

type Ratings = { growth?: 'high' | 'medium' | 'low'; willingness?: number; extensibility?: number };

function company(
  id: string,
  amount12m: number,
  profit12m: number,
  monthsWithoutDeal: number,
  ratings: Ratings,
): TierCustomer {
  return {
    id,
    facts: {
      amount_12m: amount12m,
      profit_12m: profit12m,
      order_count_12m: amount12m > 0 ? 4 : 0,
      order_count: amount12m > 0 ? 10 : 0,
      months_without_order: monthsWithoutDeal,
      recency_days: monthsWithoutDeal * 30,
    },
    customFields: {
      ...(ratings.growth && { b2b_industry_growth: ratings.growth }),
      // Ratings arrive as numbers or as the numeric strings a form may store.
      ...(ratings.willingness !== undefined && { b2b_willingness: ratings.willingness }),
      ...(ratings.extensibility !== undefined && { b2b_need_extensibility: String(ratings.extensibility) }),
    },
  };
}

/** Five customers: amounts and profits spread so that percentiles are 100, 75, 50, 25 and 0. */
const FIXTURES: TierCustomer[] = [
  company('top', 3_000_000, 600_000, 0, { growth: 'high', willingness: 5, extensibility: 5 }),
  company('second', 1_200_000, 250_000, 1, { growth: 'medium', willingness: 4, extensibility: 4 }),
  company('middle', 500_000, 90_000, 2, { growth: 'medium', willingness: 3, extensibility: 3 }),
  company('lapsing', 200_000, 30_000, 3, { growth: 'low', willingness: 2, extensibility: 2 }),
  company('prospect', 0, 0, 0, {}),
];

const run = (settings: Parameters<typeof runTierModel<typeof b2b.settings.schema>>[1] = {}) =>
  new Map(runTierModel(b2b, settings, FIXTURES).map((result) => [result.id, result]));

describePluginContract(b2b, { customers: [...SAMPLE_CUSTOMERS, ...FIXTURES] });

describe('b2b plugin', () => {
  it('passes the whole contract on its fixtures', () => {
    expect(checkPluginContract(b2b, { customers: FIXTURES })).toEqual([]);
  });

  it('defaults to the playbook’s weights and thresholds', () => {
    const settings = defaultSettingsOf(b2b);
    expect(settings.weights).toEqual({
      amount12m: 40,
      profit12m: 30,
      industryGrowth: 10,
      willingness: 10,
      needExtensibility: 10,
      churnRisk: 10,
    });
    expect(settings.tiers).toEqual({ strategicMin: 90, keyMin: 70, ordinaryMin: 50 });
    expect(settings.scoring.churnMonths).toBe(3);
  });

  it('scores 0–100 with every dimension explained, and places the tiers', () => {
    const results = run();
    expect(Object.fromEntries([...results].map(([id, result]) => [id, [result.tier, result.score]]))).toEqual(
      {
        // (40 + 30 + 10 + 10 + 10 + 10) × 100 ÷ 110
        top: ['b2b_strategic', 100],
        // (40 × 75 + 30 × 75 + 10 × 50 + 10 × 75 + 10 × 75 + 10 × 100) ÷ 110
        second: ['b2b_key', 75],
        // (40 × 50 + 30 × 50 + 10 × 50 + 10 × 50 + 10 × 50 + 10 × 100) ÷ 110
        middle: ['b2b_ordinary', 54.55],
        // (40 × 25 + 30 × 25 + 10 × 0 + 10 × 25 + 10 × 25 + 10 × 0) ÷ 110: 3 months without a deal.
        lapsing: ['b2b_potential', 20.45],
        // Only the churn dimension: a prospect added this month (months are counted from creation until a first deal).
        prospect: ['b2b_potential', 9.09],
      },
    );

    const top = results.get('top');
    expect(top?.explanation.rule).toEqual({ index: 0, tier: 'b2b_strategic', minScore: 90 });
    expect(top?.explanation.dimensions).toEqual([
      {
        key: 'amount_12m',
        metric: 'amount_12m',
        raw: 3_000_000,
        normalised: 100,
        weight: 40,
        contribution: 36.36,
      },
      {
        key: 'profit_12m',
        metric: 'profit_12m',
        raw: 600_000,
        normalised: 100,
        weight: 30,
        contribution: 27.27,
      },
      {
        key: 'industry_growth',
        metric: 'custom_enum:b2b_industry_growth',
        raw: 'high',
        normalised: 100,
        weight: 10,
        contribution: 9.09,
      },
      {
        key: 'willingness',
        metric: 'rating:b2b_willingness',
        raw: 5,
        normalised: 100,
        weight: 10,
        contribution: 9.09,
      },
      {
        key: 'need_extensibility',
        metric: 'rating:b2b_need_extensibility',
        raw: 5,
        normalised: 100,
        weight: 10,
        contribution: 9.09,
      },
      {
        key: 'churn_risk',
        metric: 'months_without_order',
        raw: 0,
        normalised: 100,
        weight: 10,
        contribution: 9.09,
      },
    ]);
    const lapsing = results.get('lapsing')?.explanation.dimensions.find((d) => d.key === 'churn_risk');
    expect(lapsing).toMatchObject({ raw: 3, normalised: 0, contribution: 0 });
    // The potential tier is the default: no threshold reached.
    expect(results.get('prospect')?.explanation.rule).toEqual({ index: null, tier: 'b2b_potential' });
    // Unrated dimensions score nothing (a rating of 1, an outlook of “low”).
    expect(
      results
        .get('prospect')
        ?.explanation.dimensions.filter((d) => d.key !== 'churn_risk')
        .map((d) => d.normalised),
    ).toEqual([0, 0, 0, 0, 0]);
  });

  it('follows the admin’s weights and thresholds', () => {
    const stricter = run({ tiers: { strategicMin: 95, keyMin: 80, ordinaryMin: 55 } });
    expect(stricter.get('second')?.tier).toBe('b2b_ordinary');
    expect(stricter.get('middle')?.tier).toBe('b2b_potential');
    expect(stricter.get('top')?.explanation.rule).toEqual({ index: 0, tier: 'b2b_strategic', minScore: 95 });
    // Only value counts: the score is the amount and profit percentile.
    const valueOnly = run({
      weights: {
        amount12m: 50,
        profit12m: 50,
        industryGrowth: 0,
        willingness: 0,
        needExtensibility: 0,
        churnRisk: 0,
      },
    });
    expect(valueOnly.get('second')?.score).toBe(75);
    expect(valueOnly.get('lapsing')?.score).toBe(25);
  });

  it('reports overlapping thresholds and weights that cannot score', () => {
    const overlap = validateSettings(b2b, { tiers: { strategicMin: 90, keyMin: 95, ordinaryMin: 50 } });
    expect(overlap.map((problem) => problem.code)).toContain('TIER_THRESHOLDS_OVERLAP');
    const zero = validateSettings(b2b, {
      weights: {
        amount12m: 0,
        profit12m: 0,
        industryGrowth: 0,
        willingness: 0,
        needExtensibility: 0,
        churnRisk: 0,
      },
    });
    expect(zero.map((problem) => problem.code)).toContain('TIER_WEIGHTS_INVALID');
    expect(validateSettings(b2b, { weights: { amount12m: -5 } }).map((problem) => problem.setting)).toEqual([
      'weights.amount12m',
    ]);
    expect(validateSettings(b2b, {})).toEqual([]);
  });

  it('declares the cadences, lead grades, surveys and rating fields of the playbook', () => {
    const resolved = resolvePlugin(b2b);
    expect(
      resolved.cadences.map((cadence) => [cadence.tier, cadence.interval.every, cadence.interval.unit]),
    ).toEqual([
      ['b2b_strategic', 1, 'month'],
      ['b2b_key', 3, 'month'],
      ['b2b_ordinary', 6, 'month'],
    ]);
    expect(resolved.leadGrades.map((grade) => [grade.grade, grade.followUpWithinHours])).toEqual([
      ['A', 24],
      ['B', 48],
      ['C', 168],
    ]);
    expect(resolved.leadRegradeRules.map((rule) => [rule.key, rule.change])).toEqual([
      ['b2b_regrade_engaged', { up: 1 }],
      ['b2b_regrade_replied', { up: 1 }],
      ['b2b_regrade_forms', { up: 1 }],
      ['b2b_regrade_quiet', { down: 1 }],
    ]);
    expect(resolved.leadRegradeRules[3]?.when).toEqual({
      behaviour: 'days_since_last_activity',
      op: 'gte',
      value: 30,
    });
    expect(resolved.surveys.map((survey) => [survey.key, survey.kind, survey.schedule])).toEqual([
      ['b2b_quarterly_needs', 'needs', { every: 'quarter' }],
      ['b2b_nps', 'nps', { every: 'half_year' }],
      ['b2b_deal_won_csat', 'csat', { after: 'deal_won', delayDays: 7 }],
      ['b2b_ticket_csat', 'csat', { after: 'ticket_closed', delayDays: 0 }],
    ]);
    expect(resolved.surveys[0]?.questions.flatMap((question) => question.profile?.field ?? [])).toEqual([
      'explicit_needs',
      'implicit_needs',
      'need_type',
    ]);
    expect(resolved.surveys[1]?.questions[0]?.type).toBe('nps');
    const fields = Object.fromEntries(resolved.customFields.map((field) => [field.key, field]));
    // The credit code is the core field (customers.creditCode), not a second custom one.
    expect(Object.keys(fields)).toEqual([
      'b2b_employees',
      'b2b_annual_budget',
      'b2b_industry_growth',
      'b2b_willingness',
      'b2b_need_extensibility',
    ]);
    expect(fields.b2b_employees?.validation).toEqual({ integer: true, min: 0, max: 10_000_000 });
    expect(fields.b2b_willingness?.validation).toEqual({ rating: true, min: 1, max: 5 });
    expect(b2b.defaultCustomerKind).toBe('company');
    expect(fields.b2b_industry_growth?.options?.map((option) => option.labels['zh-CN'])).toEqual([
      '高',
      '中',
      '低',
    ]);
  });

  it('migrates stored overrides idempotently', () => {
    const stored = { weights: { amount12m: 50 }, tiers: { strategicMin: 'high' }, legacy: 1 };
    const once = migrateB2bSettings(1, stored);
    expect(once.weights?.amount12m).toBe(50);
    expect(once.weights?.profit12m).toBe(30);
    expect(once.tiers).toEqual({ strategicMin: 90, keyMin: 70, ordinaryMin: 50 });
    expect(once).not.toHaveProperty('legacy');
    expect(migrateB2bSettings(1, once)).toEqual(once);
  });

  it('defines the pipeline 需求沟通 → 方案制定 → 商务谈判 → 赢单 / 输单 → 售后 with gates an admin can tune', () => {
    const { pipeline } = resolvePlugin(b2b);
    expect(pipeline?.stages.map((stage) => stage.labels['zh-CN'])).toEqual([
      '需求沟通',
      '方案制定',
      '商务谈判',
      '赢单',
      '输单',
      '售后',
    ]);
    expect(pipeline?.stages[0]?.gates).toEqual([{ minNeeds: 3 }]);
    expect(pipeline?.stages[1]?.actions?.[0]?.dueWithinHours).toBe(48);
    const tuned = resolvePlugin(
      b2b,
      b2b.settings.schema.parse({ pipeline: { minNeeds: 5, proposalHours: 24 } }),
    );
    expect(tuned.pipeline?.stages[0]?.gates).toEqual([{ minNeeds: 5 }]);
    expect(tuned.pipeline?.stages[1]?.actions?.[0]?.dueWithinHours).toBe(24);
  });
});
