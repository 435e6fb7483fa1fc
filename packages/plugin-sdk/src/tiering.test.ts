import { describe, expect, it } from 'vitest';
import {
  evaluateTierModel,
  round,
  type TierCustomer,
  type TierModel,
  type TierProblemCode,
  validateTierModel,
} from './tiering';

const L = (text: string) => ({ 'zh-CN': text, en: text });
const tiers = (...keys: string[]) => keys.map((key) => ({ key, labels: L(key) }));

/** A one-dimension weighted model over `metric`, tiers a ≥ 50 > b. */
function oneDimension(
  normalise: unknown,
  metric = 'amount_12m',
  extra: Record<string, unknown> = {},
): TierModel {
  return {
    kind: 'weighted',
    tiers: tiers('a', 'b'),
    dimensions: [{ key: 'd', labels: L('d'), metric, normalise, weight: 1, ...extra }],
    thresholds: [{ tier: 'a', minScore: 50 }],
    defaultTier: 'b',
  } as TierModel;
}

const amounts = (...values: number[]): TierCustomer[] =>
  values.map((amount_12m, index) => ({ id: `c${index}`, facts: { amount_12m } }));

describe('weighted normalisations', () => {
  it.each([
    ['min–max', { kind: 'minmax' }, [0, 50, 100], [0, 50, 100]],
    ['min–max, all equal: every score 0', { kind: 'minmax' }, [7, 7, 7], [0, 0, 0]],
    ['min–max, one customer', { kind: 'minmax' }, [5], [0]],
    ['percentile', { kind: 'percentile' }, [10, 20, 30, 40, 50], [0, 25, 50, 75, 100]],
    ['percentile, ties share the lower rank', { kind: 'percentile' }, [10, 10, 30], [0, 0, 100]],
    ['percentile, one customer', { kind: 'percentile' }, [10], [0]],
    ['percentile, two customers', { kind: 'percentile' }, [3, 1], [100, 0]],
    [
      'bands: the last band reached',
      {
        kind: 'bands',
        bands: [
          { from: 0, points: 10 },
          { from: 100, points: 60 },
          { from: 1000, points: 100 },
        ],
      },
      [-5, 0, 99.99, 100, 5000],
      [0, 10, 10, 60, 100],
    ],
    ['range, clamped', { kind: 'range', min: 0, max: 200 }, [-10, 0, 50, 200, 300], [0, 0, 25, 100, 100]],
  ] as const)('%s', (_name, normalise, values, expected) => {
    const results = evaluateTierModel(oneDimension(normalise), {}, amounts(...values));
    expect(results.map((r) => r.explanation.dimensions[0]?.normalised)).toEqual(expected);
    expect(results.map((r) => r.score)).toEqual(expected);
  });

  it('inverts risk dimensions', () => {
    const model = oneDimension(
      {
        kind: 'bands',
        bands: [
          { from: 0, points: 0 },
          { from: 3, points: 100 },
        ],
      },
      'months_without_order',
      { invert: true },
    );
    const customers: TierCustomer[] = [
      { id: 'active', facts: { recency_days: 10 } },
      { id: 'quiet', facts: { recency_days: 95 } },
    ];
    expect(evaluateTierModel(model, {}, customers).map((r) => [r.id, r.score, r.tier])).toEqual([
      ['active', 100, 'a'],
      ['quiet', 0, 'b'],
    ]);
  });

  it('scores option fields by their points, other and empty values by otherPoints', () => {
    const model = oneDimension(
      { kind: 'points', points: { high: 100, mid: 50 }, otherPoints: 10 },
      'custom_enum:willingness',
    );
    const customers: TierCustomer[] = [
      { id: 'h', customFields: { willingness: 'high' } },
      { id: 'm', customFields: { willingness: 'mid' } },
      { id: 'x', customFields: { willingness: 'shrug' } },
      { id: 'e' },
    ];
    expect(
      evaluateTierModel(model, {}, customers).map((r) => [r.score, r.explanation.dimensions[0]?.raw]),
    ).toEqual([
      [100, 'high'],
      [50, 'mid'],
      [10, 'shrug'],
      [10, null],
    ]);
  });

  it('reads numeric custom fields and ratings as numbers; empty or not a number takes `missing`', () => {
    const model = oneDimension({ kind: 'range', min: 1, max: 5 }, 'rating:stars', { missing: 1 });
    const customers: TierCustomer[] = [
      { id: 'text', customFields: { stars: '5' } },
      { id: 'number', customFields: { stars: 3 } },
      { id: 'bad', customFields: { stars: 'n/a' } },
      { id: 'none' },
    ];
    expect(evaluateTierModel(model, {}, customers).map((r) => r.score)).toEqual([100, 50, 0, 0]);
  });

  it('no orders: facts are 0 and the customer still gets a tier', () => {
    const [result] = evaluateTierModel(oneDimension({ kind: 'minmax' }), {}, [{ id: 'new' }]);
    expect(result).toMatchObject({ tier: 'b', score: 0, explanation: { rule: { index: null, tier: 'b' } } });
  });
});

describe('weighted total', () => {
  // The B2B template: weights add up to 110 %; the total is divided by their sum, so 0–100.
  const b2b: TierModel = {
    kind: 'weighted',
    tiers: tiers('strategic', 'key', 'ordinary', 'potential'),
    dimensions: [
      { key: 'amount', labels: L('amount'), metric: 'amount_12m', normalise: { kind: 'minmax' }, weight: 40 },
      { key: 'profit', labels: L('profit'), metric: 'profit_12m', normalise: { kind: 'minmax' }, weight: 30 },
      {
        key: 'growth',
        labels: L('growth'),
        metric: 'custom_number:growth',
        normalise: { kind: 'range', min: 0, max: 10 },
        weight: 10,
      },
      {
        key: 'will',
        labels: L('will'),
        metric: 'custom_number:will',
        normalise: { kind: 'range', min: 0, max: 10 },
        weight: 10,
      },
      {
        key: 'need',
        labels: L('need'),
        metric: 'custom_number:need',
        normalise: { kind: 'range', min: 0, max: 10 },
        weight: 10,
      },
      {
        key: 'churn',
        labels: L('churn'),
        metric: 'months_without_order',
        normalise: {
          kind: 'bands',
          bands: [
            { from: 0, points: 0 },
            { from: 3, points: 100 },
          ],
        },
        invert: true,
        weight: { setting: 'weights.churn' },
      },
    ],
    thresholds: [
      { tier: 'strategic', minScore: { setting: 'strategic' } },
      { tier: 'key', minScore: 70 },
      { tier: 'ordinary', minScore: 50 },
    ],
    defaultTier: 'potential',
  };
  const settings = { weights: { churn: 10 }, strategic: 90 };
  const customers: TierCustomer[] = [
    {
      id: 'top',
      facts: { amount_12m: 1000, profit_12m: 300, recency_days: 5 },
      customFields: { growth: '10', will: '10', need: '10' },
    },
    {
      id: 'mid',
      facts: { amount_12m: 500, profit_12m: 150, recency_days: 40 },
      customFields: { growth: '5', will: '5', need: '5' },
    },
    { id: 'low', facts: { amount_12m: 0, profit_12m: 0, recency_days: 400 } },
  ];

  it('scales the weighted sum to 0–100 and explains every dimension', () => {
    const results = evaluateTierModel(b2b, settings, customers);
    expect(results.map((r) => [r.id, r.score, r.tier])).toEqual([
      ['top', 100, 'strategic'],
      // Half of every dimension, and no churn risk (1 month without an order): 6000 / 110.
      ['mid', round(6000 / 110), 'ordinary'],
      ['low', 0, 'potential'],
    ]);
    const mid = results[1]?.explanation;
    expect(mid?.dimensions.map((d) => [d.key, d.raw, d.normalised, d.weight, d.contribution])).toEqual([
      ['amount', 500, 50, 40, round((50 * 40) / 110)],
      ['profit', 150, 50, 30, round((50 * 30) / 110)],
      ['growth', 5, 50, 10, round((50 * 10) / 110)],
      ['will', 5, 50, 10, round((50 * 10) / 110)],
      ['need', 5, 50, 10, round((50 * 10) / 110)],
      ['churn', 1, 100, 10, round((100 * 10) / 110)],
    ]);
    expect(mid?.rule).toEqual({ index: 2, tier: 'ordinary', minScore: 50 });
  });

  it('is deterministic: the same input gives the same result', () => {
    expect(evaluateTierModel(b2b, settings, customers)).toEqual(evaluateTierModel(b2b, settings, customers));
  });

  it('a score exactly on a threshold belongs to the tier above', () => {
    const results = evaluateTierModel(b2b, { ...settings, strategic: 100 }, customers);
    expect(results[0]?.tier).toBe('strategic');
  });
});

describe('value thresholds', () => {
  const retail: TierModel = {
    kind: 'thresholds',
    tiers: tiers('high', 'mid', 'low'),
    rules: [
      { tier: 'high', when: [{ metric: 'amount_12m', op: 'gt', value: { setting: 'high' } }] },
      {
        tier: 'mid',
        when: [
          { metric: 'amount_12m', op: 'gte', value: { setting: 'mid' } },
          { metric: 'amount_12m', op: 'lte', value: { setting: 'high' } },
        ],
      },
    ],
    defaultTier: 'low',
  };
  it.each([
    [150_000, 'high', 0],
    [100_000.01, 'high', 0],
    [100_000, 'mid', 1],
    [30_000, 'mid', 1],
    [29_999.99, 'low', null],
    [0, 'low', null],
  ] as const)('%d a year → %s', (amount, tier, index) => {
    const [result] = evaluateTierModel(retail, { high: 100_000, mid: 30_000 }, amounts(amount));
    expect(result?.tier).toBe(tier);
    expect(result?.score).toBeNull();
    expect(result?.explanation.rule.index).toBe(index);
    expect(result?.explanation.dimensions[0]).toMatchObject({ metric: 'amount_12m', raw: amount });
  });

  it('an empty custom field matches no condition', () => {
    const model: TierModel = {
      kind: 'thresholds',
      tiers: tiers('rated', 'other'),
      rules: [{ tier: 'rated', when: [{ metric: 'rating:stars', op: 'gte', value: 0 }] }],
      defaultTier: 'other',
    };
    const results = evaluateTierModel(model, {}, [{ id: 'a', customFields: { stars: '2' } }, { id: 'b' }]);
    expect(results.map((r) => r.tier)).toEqual(['rated', 'other']);
  });
});

describe('RFM', () => {
  const rfm = (method: 'quantiles' | 'breaks'): TierModel => ({
    kind: 'rfm',
    tiers: tiers('head', 'waist', 'tail', 'dormant'),
    recency:
      method === 'quantiles'
        ? { method, metric: 'recency_days' }
        : { method, metric: 'recency_days', breaks: [30, 90, 180, 365] },
    frequency:
      method === 'quantiles'
        ? { method, metric: 'order_count_12m' }
        : { method, metric: 'order_count_12m', breaks: [1, 2, 4, 8] },
    monetary:
      method === 'quantiles'
        ? { method, metric: 'amount_12m' }
        : { method, metric: 'amount_12m', breaks: [1000, 5000, 10_000, 50_000] },
    segments: [
      { tier: 'dormant', when: [{ metric: 'recency_days', op: 'gt', value: 180 }] },
      { tier: 'head', when: [{ metric: 'amount_12m', op: 'gt', value: 10_000 }] },
      { tier: 'waist', when: [{ metric: 'rfm_m', op: 'gte', value: 3 }] },
    ],
    defaultTier: 'tail',
  });
  const customers: TierCustomer[] = [
    { id: 'vip', facts: { recency_days: 3, order_count_12m: 12, amount_12m: 80_000 } },
    { id: 'regular', facts: { recency_days: 20, order_count_12m: 4, amount_12m: 6000 } },
    { id: 'occasional', facts: { recency_days: 100, order_count_12m: 1, amount_12m: 800 } },
    { id: 'sleeping', facts: { recency_days: 250, order_count_12m: 0, amount_12m: 0 } },
    { id: 'never', facts: { recency_days: 20, order_count_12m: 0, amount_12m: 0 } },
  ];

  it('scores by fixed breaks (recency the other way) and places by segments', () => {
    const results = evaluateTierModel(rfm('breaks'), {}, customers);
    expect(
      results.map((r) => [r.id, r.explanation.dimensions.slice(0, 3).map((d) => d.normalised), r.tier]),
    ).toEqual([
      ['vip', [5, 5, 5], 'head'],
      ['regular', [5, 4, 3], 'waist'],
      ['occasional', [3, 2, 1], 'tail'],
      ['sleeping', [2, 1, 1], 'dormant'],
      ['never', [5, 1, 1], 'tail'],
    ]);
    expect(results[0]?.score).toBe(100);
    expect(results[3]?.score).toBe(round((1 / 12) * 100));
  });

  it('scores by quantiles: ties share a score, the most recent score 5', () => {
    const results = evaluateTierModel(rfm('quantiles'), {}, customers);
    const scores = Object.fromEntries(
      results.map((r) => [r.id, r.explanation.dimensions.slice(0, 3).map((d) => d.normalised)]),
    );
    // Recency 3 → 5; 20 and 20 share; 250 (the longest) → 1.
    expect(scores.vip?.[0]).toBe(5);
    expect(scores.regular?.[0]).toBe(scores.never?.[0]);
    expect(scores.sleeping?.[0]).toBe(1);
    // Frequency 0, 0 share the lowest score.
    expect(scores.sleeping?.[1]).toBe(1);
    expect(scores.never?.[1]).toBe(1);
    expect(scores.vip?.[2]).toBe(5);
  });

  it('quantiles with a single customer score 1', () => {
    const [only] = evaluateTierModel(rfm('quantiles'), {}, customers.slice(0, 1));
    expect(only?.explanation.dimensions.slice(0, 3).map((d) => d.normalised)).toEqual([1, 1, 1]);
  });
});

describe('validateTierModel', () => {
  const weighted = (thresholds: unknown[], weights: unknown[], extra: Record<string, unknown> = {}) => ({
    kind: 'weighted',
    tiers: tiers('a', 'b', 'c'),
    dimensions: weights.map((weight, index) => ({
      key: `d${index}`,
      labels: L(`d${index}`),
      metric: 'amount_12m',
      normalise: { kind: 'minmax' },
      weight,
    })),
    thresholds,
    defaultTier: 'c',
    ...extra,
  });
  const codes = (model: unknown, settings = {}) => validateTierModel(model, settings).map((p) => p.code);

  it.each<[string, unknown, Record<string, unknown>, TierProblemCode[]]>([
    [
      'a valid model',
      weighted(
        [
          { tier: 'a', minScore: 80 },
          { tier: 'b', minScore: 50 },
        ],
        [40, 30],
      ),
      {},
      [],
    ],
    [
      'thresholds out of order overlap',
      weighted(
        [
          { tier: 'a', minScore: 50 },
          { tier: 'b', minScore: 80 },
        ],
        [1],
      ),
      {},
      ['TIER_THRESHOLDS_OVERLAP'],
    ],
    [
      'equal thresholds overlap',
      weighted(
        [
          { tier: 'a', minScore: { setting: 'x' } },
          { tier: 'b', minScore: { setting: 'y' } },
        ],
        [1],
      ),
      { x: 60, y: 60 },
      ['TIER_THRESHOLDS_OVERLAP'],
    ],
    ['a negative weight', weighted([], [40, -1]), {}, ['TIER_WEIGHTS_INVALID']],
    ['weights adding up to 0', weighted([], [0, 0]), {}, ['TIER_WEIGHTS_INVALID']],
    [
      'weights that must add up to 100',
      weighted([], [40, 30], { weightTotal: 100 }),
      {},
      ['TIER_WEIGHTS_INVALID'],
    ],
    ['weights adding up to 110 without a required total', weighted([], [40, 30, 40]), {}, []],
    ['a missing setting', weighted([], [40, { setting: 'weights.nope' }]), {}, ['TIER_SETTING_MISSING']],
    [
      'a setting that is not a number',
      weighted([], [40, { setting: 'w' }]),
      { w: 'ten' },
      ['TIER_SETTING_MISSING'],
    ],
    ['an undeclared tier', weighted([{ tier: 'zzz', minScore: 10 }], [1]), {}, ['TIER_UNKNOWN']],
    [
      'a malformed model',
      { kind: 'weighted' },
      {},
      ['TIER_MODEL_INVALID', 'TIER_MODEL_INVALID', 'TIER_MODEL_INVALID', 'TIER_MODEL_INVALID'],
    ],
  ])('%s', (_name, model, settings, expected) => {
    expect(codes(model, settings)).toEqual(expected);
  });

  it.each<[string, unknown[], TierProblemCode[]]>([
    [
      'high > 100k, mid 30k–100k: disjoint',
      [
        [{ op: 'gt', value: 100_000 }],
        [
          { op: 'gte', value: 30_000 },
          { op: 'lte', value: 100_000 },
        ],
      ],
      [],
    ],
    [
      'first match wins: high > 100k, mid ≥ 30k',
      [[{ op: 'gt', value: 100_000 }], [{ op: 'gte', value: 30_000 }]],
      [],
    ],
    [
      'a band reaching into the tier above',
      [
        [{ op: 'gt', value: 100_000 }],
        [
          { op: 'gte', value: 30_000 },
          { op: 'lte', value: 150_000 },
        ],
      ],
      ['TIER_THRESHOLDS_OVERLAP'],
    ],
    [
      'a rule that can never fire',
      [[{ op: 'gte', value: 30_000 }], [{ op: 'gt', value: 100_000 }]],
      ['TIER_THRESHOLDS_OVERLAP'],
    ],
    [
      'an empty band',
      [
        [
          { op: 'gte', value: 100 },
          { op: 'lt', value: 50 },
        ],
      ],
      ['TIER_THRESHOLDS_OVERLAP'],
    ],
  ])('value thresholds: %s', (_name, rules, expected) => {
    const model = {
      kind: 'thresholds',
      tiers: tiers('high', 'mid', 'low'),
      rules: rules.map((when, index) => ({
        tier: index === 0 ? 'high' : 'mid',
        when: (when as Array<Record<string, unknown>>).map((c) => ({ metric: 'amount_12m', ...c })),
      })),
      defaultTier: 'low',
    };
    expect(codes(model)).toEqual(expected);
  });

  it('messages come in zh-CN and en', () => {
    const [problem] = validateTierModel(
      weighted(
        [
          { tier: 'a', minScore: 50 },
          { tier: 'b', minScore: 80 },
        ],
        [1],
      ),
    );
    expect(problem?.message['zh-CN']).toMatch(/门槛/);
    expect(problem?.message.en).toMatch(/threshold/);
    expect(problem?.path).toBe('thresholds.1.minScore');
  });

  it('evaluating a model with problems throws them', () => {
    expect(() => evaluateTierModel(weighted([], [-1]) as TierModel, {}, [])).toThrow(/TIER_WEIGHTS_INVALID/);
  });
});
