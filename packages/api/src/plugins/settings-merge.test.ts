import { describe, expect, it } from 'vitest';
import { jsonEqual, mergeSettings, overridesOf, settingChanges } from './settings-merge';

const defaults = {
  weights: { amount: 40, profit: 30, growth: 10 },
  tiers: [
    { tier: 'strategic', min: 90 },
    { tier: 'key', min: 70 },
  ],
  window: 12,
  mode: 'score',
};

describe('mergeSettings', () => {
  it.each([
    ['no overrides', {}, defaults],
    ['undefined overrides', undefined, defaults],
    ['a scalar', { window: 6 }, { ...defaults, window: 6 }],
    [
      'one nested key',
      { weights: { profit: 20 } },
      { ...defaults, weights: { amount: 40, profit: 20, growth: 10 } },
    ],
    [
      'an array replaced whole',
      { tiers: [{ tier: 'key', min: 60 }] },
      { ...defaults, tiers: [{ tier: 'key', min: 60 }] },
    ],
    ['a key the defaults do not have', { extra: true }, { ...defaults, extra: true }],
  ])('%s', (_name, overrides, expected) => {
    expect(mergeSettings(defaults, overrides)).toEqual(expected);
  });

  it('does not share objects with its inputs', () => {
    const merged = mergeSettings(defaults, {}) as typeof defaults;
    merged.weights.amount = 1;
    expect(defaults.weights.amount).toBe(40);
  });
});

describe('overridesOf', () => {
  it.each([
    ['the defaults themselves', defaults, {}],
    [
      'a changed weight',
      { ...defaults, weights: { ...defaults.weights, growth: 5 } },
      { weights: { growth: 5 } },
    ],
    [
      'a changed threshold (the list whole)',
      {
        ...defaults,
        tiers: [
          { tier: 'strategic', min: 85 },
          { tier: 'key', min: 70 },
        ],
      },
      {
        tiers: [
          { tier: 'strategic', min: 85 },
          { tier: 'key', min: 70 },
        ],
      },
    ],
    ['a scalar', { ...defaults, mode: 'rfm' }, { mode: 'rfm' }],
  ])('%s', (_name, settings, expected) => {
    expect(overridesOf(settings, defaults)).toEqual(expected);
    expect(jsonEqual(mergeSettings(defaults, overridesOf(settings, defaults)), settings)).toBe(true);
  });
});

describe('settingChanges', () => {
  it('lists leaf changes with their paths', () => {
    const after = { ...defaults, weights: { ...defaults.weights, amount: 50 }, window: 6 };
    expect(settingChanges(defaults, after)).toEqual([
      { path: 'weights.amount', from: 40, to: 50 },
      { path: 'window', from: 12, to: 6 },
    ]);
  });
  it('compares arrays whole and reports added keys as from null', () => {
    expect(settingChanges({ a: [1, 2] }, { a: [1, 3], b: 1 })).toEqual([
      { path: 'a', from: [1, 2], to: [1, 3] },
      { path: 'b', from: null, to: 1 },
    ]);
  });
  it('is empty for equal settings', () => {
    expect(settingChanges(defaults, structuredClone(defaults))).toEqual([]);
  });
});
