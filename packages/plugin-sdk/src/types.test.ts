import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type AnyPlugin, defaultSettingsOf, definePlugin, type SettingsOf, type SettingsPath } from './index';

// Checked by `pnpm typecheck`: every `@ts-expect-error` below must stay an error.

const schema = z.object({
  tiers: z.object({ high: z.number().default(100_000), mid: z.number().default(30_000) }).default({
    high: 100_000,
    mid: 30_000,
  }),
  slaHours: z.number().default(24),
  surveyDelayDays: z.number().int().default(7),
});

const labels = { 'zh-CN': '示例', en: 'Example' };

const plugin = definePlugin({
  id: 'typed',
  version: '1.0.0',
  sdk: '^1.0.0',
  labels,
  settings: { schema, version: 1 },
  tierModel: {
    kind: 'thresholds',
    tiers: [
      { key: 'high', labels },
      { key: 'low', labels },
    ],
    // The path is checked against the schema: only paths to numbers compile.
    rules: [{ tier: 'high', when: [{ metric: 'amount_12m', op: 'gt', value: { setting: 'tiers.high' } }] }],
    defaultTier: 'low',
  },
  surveys: [
    {
      key: 'typed_csat',
      kind: 'csat',
      labels,
      questions: [{ key: 'overall', type: 'rating', labels, scale: { min: 1, max: 5 } }],
      schedule: { after: 'first_order', delayDays: { setting: 'surveyDelayDays' } },
    },
  ],
});

describe('types', () => {
  it('flows the settings type from the schema', () => {
    expectTypeOf(defaultSettingsOf(plugin)).toEqualTypeOf<{
      tiers: { high: number; mid: number };
      slaHours: number;
      surveyDelayDays: number;
    }>();
    expectTypeOf<SettingsOf<typeof schema>>().toHaveProperty('slaHours');
    expectTypeOf<SettingsPath<typeof schema>>().toEqualTypeOf<
      'tiers.high' | 'tiers.mid' | 'slaHours' | 'surveyDelayDays'
    >();
    const list: AnyPlugin[] = [plugin];
    expectTypeOf(list).toBeArray();
  });

  it('rejects misuse at compile time', () => {
    definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^1.0.0',
      labels,
      settings: { schema, version: 1 },
      leadGrades: [
        {
          key: 'typed_a',
          grade: 'A',
          labels,
          // @ts-expect-error a setting that does not exist
          followUpWithinHours: { setting: 'slaHourz' },
        },
      ],
    });
    definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^1.0.0',
      labels,
      settings: { schema, version: 1 },
      tierModel: {
        kind: 'thresholds',
        tiers: [{ key: 'high', labels }],
        // @ts-expect-error a path to an object, not to a number
        rules: [{ tier: 'high', when: [{ metric: 'amount_12m', op: 'gt', value: { setting: 'tiers' } }] }],
        defaultTier: 'high',
      },
    });
    definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^1.0.0',
      // @ts-expect-error labels need both languages
      labels: { 'zh-CN': '示例' },
      settings: { schema, version: 1 },
    });
    // @ts-expect-error settings are required
    definePlugin({ id: 'typed', version: '1.0.0', sdk: '^1.0.0', labels });
    definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^1.0.0',
      labels,
      settings: { schema, version: 1 },
      // @ts-expect-error rules are data, not functions
      cadences: () => [],
    });
    definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^1.0.0',
      labels,
      settings: { schema, version: 1 },
      // @ts-expect-error an unknown field type
      customFields: [{ key: 'typed_x', type: 'json', labels }],
    });
    definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^1.0.0',
      labels,
      settings: { schema, version: 1 },
      // @ts-expect-error an unknown survey kind
      surveys: [{ key: 'typed_s', kind: 'poll', labels, questions: [], schedule: { every: 'quarter' } }],
    });
    definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^1.0.0',
      labels,
      // @ts-expect-error a settings schema must be an object
      settings: { schema: z.number().default(1), version: 1 },
    });
    definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^1.0.0',
      labels,
      settings: {
        schema,
        version: 2,
        // @ts-expect-error a migration returns overrides of the current schema
        migrate: () => ({ slaHours: 'twenty-four' }),
      },
    });
    const frozen = definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^1.0.0',
      labels,
      settings: { schema, version: 1 },
    });
    expect(() => {
      // @ts-expect-error the envelope is read-only
      frozen.id = 'other';
    }).toThrow(TypeError);
  });
});
