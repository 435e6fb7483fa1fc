import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from '../index';
import { checkPluginContract, describePluginContract, runTierModel } from './index';

const labels = (zh: string, en: string) => ({ 'zh-CN': zh, en });

const tiny = definePlugin({
  id: 'tiny',
  version: '0.1.0',
  sdk: '^1.0.0',
  labels: labels('小型示例', 'Tiny example'),
  settings: {
    version: 1,
    schema: z.object({
      weights: z
        .object({
          amount: z
            .number()
            .min(0)
            .default(60)
            .meta({ labels: labels('金额权重', 'Amount weight') }),
          recency: z
            .number()
            .min(0)
            .default(40)
            .meta({ labels: labels('近度权重', 'Recency weight') }),
        })
        .prefault({})
        .meta({ labels: labels('权重', 'Weights') }),
      keyFrom: z
        .number()
        .min(0)
        .max(100)
        .default(60)
        .meta({ labels: labels('重点客户分数线', 'Key from') }),
    }),
  },
  tierModel: {
    kind: 'weighted',
    tiers: [
      { key: 'key', labels: labels('重点客户', 'Key') },
      { key: 'ordinary', labels: labels('普通客户', 'Ordinary') },
    ],
    dimensions: [
      {
        key: 'amount',
        labels: labels('近 12 个月金额', 'Amount, 12 months'),
        metric: 'amount_12m',
        normalise: { kind: 'minmax' },
        weight: { setting: 'weights.amount' },
      },
      {
        key: 'recency',
        labels: labels('距上次下单天数', 'Days since last order'),
        metric: 'recency_days',
        normalise: { kind: 'range', min: 0, max: 365 },
        invert: true,
        weight: { setting: 'weights.recency' },
      },
    ],
    thresholds: [{ tier: 'key', minScore: { setting: 'keyFrom' } }],
    defaultTier: 'ordinary',
  },
});

describePluginContract(tiny);

describe('the test kit', () => {
  it('finds no problem with a good plugin', () => {
    expect(checkPluginContract(tiny)).toEqual([]);
  });

  it('reports the problems validatePlugin finds', () => {
    const broken = { ...tiny, sdk: '^2.0.0' };
    expect(checkPluginContract(broken).map((problem) => problem.code)).toEqual(['PLUGIN_SDK_UNSUPPORTED']);
  });

  it('requires an envelope made by definePlugin', () => {
    const unfrozen = { ...tiny, labels: { ...tiny.labels } };
    expect(checkPluginContract(unfrozen).map((problem) => problem.code)).toEqual(['PLUGIN_ENVELOPE_INVALID']);
  });

  it('catches rules that are not deterministic', () => {
    let calls = 0;
    const fickle = Object.freeze({
      ...tiny,
      get cadences() {
        calls += 1;
        return [
          {
            key: 'tiny_key_call',
            tier: 'key',
            channels: ['phone' as const],
            interval: { every: calls, unit: 'month' as const },
            labels: labels('电话回访', 'Call-back'),
          },
        ];
      },
    });
    expect(checkPluginContract(fickle).map((problem) => problem.code)).toEqual([
      'PLUGIN_RULES_NOT_DETERMINISTIC',
    ]);
  });

  it('runs the tier model on fixture customers and explains each placement', () => {
    const customers = [
      { id: 'big', facts: { amount_12m: 200_000, recency_days: 10 } },
      { id: 'small', facts: { amount_12m: 1_000, recency_days: 300 } },
    ];
    const [big, small] = runTierModel(tiny, {}, customers);
    expect(big).toMatchObject({ id: 'big', tier: 'key' });
    expect(small).toMatchObject({ id: 'small', tier: 'ordinary' });
    expect(big?.explanation.dimensions.map((d) => [d.key, d.raw, d.normalised, d.weight])).toEqual([
      ['amount', 200_000, 100, 60],
      ['recency', 10, 97.26, 40],
    ]);
    expect(big?.explanation.rule).toMatchObject({ tier: 'key', minScore: 60 });
    // Settings are a tenant's overrides, typed from the schema.
    const raised = runTierModel(tiny, { keyFrom: 99.5 }, customers);
    expect(raised.map((result) => result.tier)).toEqual(['ordinary', 'ordinary']);
    expect(() => runTierModel(tiny, { keyFrom: 120 }, customers)).toThrow(/keyFrom/);
  });
});
