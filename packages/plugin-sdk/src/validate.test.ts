import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { definePlugin, type Problem, SDK_VERSION, validatePlugin, validateSettings } from './index';

const labels = (zh: string, en: string) => ({ 'zh-CN': zh, en });

const schema = z.object({
  tiers: z
    .object({
      high: z
        .number()
        .positive()
        .default(100_000)
        .meta({ labels: labels('高价值门槛', 'High value from') }),
    })
    .prefault({})
    .meta({ labels: labels('分层', 'Tiers') }),
  leadSlaHours: z
    .number()
    .int()
    .positive()
    .default(24)
    .meta({ labels: labels('A 级线索跟进时限', 'Grade A follow-up') }),
  atRiskDays: z
    .number()
    .int()
    .default(90)
    .meta({ labels: labels('流失风险天数', 'At risk after') }),
  dormantDays: z
    .number()
    .int()
    .default(180)
    .meta({ labels: labels('沉睡天数', 'Dormant after') }),
});

const base = {
  id: 'tiny-shop',
  version: '1.2.0',
  sdk: '^1.0.0',
  labels: labels('小店', 'Tiny shop'),
  settings: { schema, version: 1 },
  tierModel: {
    kind: 'thresholds',
    tiers: [
      { key: 'high', labels: labels('高价值客户', 'High value') },
      { key: 'low', labels: labels('低价值客户', 'Low value') },
    ],
    rules: [{ tier: 'high', when: [{ metric: 'amount_12m', op: 'gt', value: { setting: 'tiers.high' } }] }],
    defaultTier: 'low',
  },
  leadGrades: [
    {
      key: 'tiny_shop_lead_a',
      grade: 'A',
      labels: labels('A 级线索', 'Grade A lead'),
      when: { field: 'budget', op: 'gte', value: 10_000 },
      followUpWithinHours: { setting: 'leadSlaHours' },
    },
    {
      key: 'tiny_shop_lead_b',
      grade: 'B',
      labels: labels('B 级线索', 'Grade B lead'),
      followUpWithinHours: 168,
    },
  ],
  customFields: [
    {
      key: 'tiny_shop_member_card',
      type: 'text',
      labels: labels('会员卡号', 'Membership card'),
      sensitive: true,
      validation: { checkDigit: 'luhn' },
    },
    { key: 'tiny_shop_joined_on', type: 'date', labels: labels('入会日期', 'Joined on') },
  ],
  surveys: [
    {
      key: 'tiny_shop_csat',
      kind: 'csat',
      labels: labels('购后满意度', 'Satisfaction after purchase'),
      questions: [
        {
          key: 'overall',
          type: 'rating',
          labels: labels('总体满意度', 'Overall'),
          scale: { min: 1, max: 5 },
        },
      ],
      schedule: { after: 'first_order', delayDays: 7 },
      audience: { tiers: ['high'] },
    },
  ],
  cadences: [
    {
      key: 'tiny_shop_high_monthly',
      tier: 'high',
      channels: ['visit'],
      interval: { every: 1, unit: 'month' },
      labels: labels('月度拜访', 'Monthly visit'),
    },
  ],
  reminders: [
    {
      key: 'tiny_shop_anniversary',
      trigger: { on: 'date_field', field: 'tiny_shop_joined_on', offsetDays: -3 },
      labels: labels('入会周年问候', 'Membership anniversary'),
    },
  ],
  lifecycle: {
    atRiskDays: { setting: 'atRiskDays' },
    dormantDays: { setting: 'dormantDays' },
    loyalOrders: 5,
  },
} as const;

const valid = definePlugin(base);

/** An envelope like `valid` with some parts replaced — as plain data, so anything can be broken. */
function broken(changes: Record<string, unknown>): unknown {
  return { ...valid, ...changes };
}

function codes(problems: Problem[]): string[] {
  return problems.map((problem) => problem.code);
}

function only(problems: Problem[], code: string): Problem {
  const found = problems.filter((problem) => problem.code === code);
  expect(found, JSON.stringify(problems, null, 2)).toHaveLength(1);
  return found[0] as Problem;
}

describe('validatePlugin', () => {
  it('finds nothing wrong with a valid plugin', () => {
    expect(validatePlugin(valid)).toEqual([]);
  });

  it('exports the SDK version of the package', () => {
    expect(SDK_VERSION).toBe(packageJson.version);
  });

  it('refuses what definePlugin did not make', () => {
    expect(codes(validatePlugin(null))).toEqual(['PLUGIN_ENVELOPE_INVALID']);
    const problems = validatePlugin(broken({ cadence: [] }));
    expect(only(problems, 'PLUGIN_ENVELOPE_INVALID').message.en).toContain('Plugin "tiny-shop"');
    expect(codes(validatePlugin(broken({ settings: { schema: z.number(), version: 1 } })))).toEqual([
      'PLUGIN_ENVELOPE_INVALID',
    ]);
    // A typo in an optional flag is not silently dropped.
    const typo = validatePlugin(
      broken({
        customFields: [{ key: 'tiny_shop_id', type: 'text', labels: labels('证件', 'ID'), sensitve: true }],
      }),
    );
    expect(only(typo, 'PLUGIN_ENVELOPE_INVALID').path).toBe('customFields.0');
  });

  it('checks the envelope format, id, version and SDK range', () => {
    expect(codes(validatePlugin(broken({ apiVersion: 2 })))).toEqual(['PLUGIN_API_VERSION_UNSUPPORTED']);
    const id = only(validatePlugin(broken({ id: 'Tiny_Shop' })), 'PLUGIN_ID_INVALID');
    expect(id.message['zh-CN']).toContain('插件「Tiny_Shop」');
    expect(id.message.en).toContain('kebab-case');
    expect(codes(validatePlugin(valid, { existingIds: ['retail', 'tiny-shop'] }))).toEqual([
      'PLUGIN_ID_DUPLICATE',
    ]);
    expect(codes(validatePlugin(broken({ version: '1.2' })))).toEqual(['PLUGIN_VERSION_INVALID']);
    expect(codes(validatePlugin(broken({ sdk: 'latest' })))).toEqual(['PLUGIN_SDK_RANGE_INVALID']);
    const sdk = only(validatePlugin(valid, { sdkVersion: '2.0.0' }), 'PLUGIN_SDK_UNSUPPORTED');
    expect(sdk.message.en).toBe(
      'Plugin "tiny-shop": it targets SDK "^1.0.0", but this server runs SDK 2.0.0',
    );
  });

  it('finds every missing or blank label, settings fields included', () => {
    const problems = validatePlugin(
      definePlugin({
        ...base,
        labels: { 'zh-CN': '小店', en: ' ' },
        surveys: [
          {
            ...base.surveys[0],
            questions: [{ key: 'overall', type: 'rating', labels: { 'zh-CN': '', en: 'Overall' } }],
          },
        ],
        settings: { schema: schema.extend({ extra: z.number().default(1) }), version: 1 },
      }),
    );
    expect(problems.filter((p) => p.code === 'PLUGIN_LABEL_MISSING').map((p) => p.path)).toEqual([
      'labels.en',
      'surveys.0.questions.0.labels.zh-CN',
      'settings.schema.extra',
    ]);
    expect(problems.find((p) => p.path === 'settings.schema.extra')?.message.en).toContain('.meta({ labels:');
  });

  it('checks contributed keys: format, prefix, uniqueness', () => {
    const field = base.customFields[1];
    const problems = validatePlugin(
      broken({
        customFields: [
          field,
          { ...field, key: 'joined_on' },
          { ...field, key: 'tiny_shop_Joined' },
          { ...field, key: 'tiny_shop_joined_on' },
        ],
      }),
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_KEY_NOT_PREFIXED', 'customFields.1.key'],
      ['PLUGIN_KEY_INVALID', 'customFields.2.key'],
      ['PLUGIN_KEY_DUPLICATE', 'customFields.3.key'],
    ]);
    expect(problems[0]?.message.en).toBe(
      'Plugin "tiny-shop": the key "joined_on" must start with the plugin\'s prefix "tiny_shop_" (e.g. tiny_shop_joined_on)',
    );
    // Keys are unique across kinds too: one key, one thing.
    const across = validatePlugin(broken({ surveys: [{ ...base.surveys[0], key: 'tiny_shop_lead_a' }] }));
    expect(only(across, 'PLUGIN_KEY_DUPLICATE').path).toBe('leadGrades.0.key');
  });

  it('checks custom fields and their collisions with the core and other plugins', () => {
    const problems = validatePlugin(
      broken({
        customFields: [
          { key: 'tiny_shop_level', type: 'enum', labels: labels('等级', 'Level'), sensitive: true },
          { key: 'tiny_shop_joined_on', type: 'date', labels: labels('入会日期', 'Joined on') },
        ],
      }),
      {
        coreCustomFieldKeys: ['tiny_shop_joined_on'],
        otherCustomFieldKeys: new Map([['tiny_shop_level', 'retail']]),
      },
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_CUSTOM_FIELD_INVALID', 'customFields.0.sensitive'],
      ['PLUGIN_CUSTOM_FIELD_INVALID', 'customFields.0.options'],
      ['PLUGIN_CUSTOM_FIELD_COLLISION', 'customFields.0.key'],
      ['PLUGIN_CUSTOM_FIELD_COLLISION', 'customFields.1.key'],
    ]);
    expect(problems[2]?.message['zh-CN']).toBe(
      '插件「tiny-shop」：自定义字段「tiny_shop_level」已由插件「retail」提供',
    );
  });

  it('refuses a custom field that repeats a core field, by key or by label', () => {
    const problems = validatePlugin(
      broken({
        customFields: [
          { key: 'tiny_shop_credit_code', type: 'text', labels: labels('信用代码', 'Credit code') },
          { key: 'tiny_shop_uscc', type: 'text', labels: labels('统一社会信用代码', 'USCC') },
          { key: 'tiny_shop_card', type: 'text', labels: labels('卡号', 'Bank card number') },
          {
            key: 'tiny_shop_legal_rep_id',
            type: 'text',
            labels: labels('法定代表人身份证号', 'Legal rep ID'),
          },
        ],
      }),
    );
    expect(problems.filter((p) => p.path.startsWith('customFields')).map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_CUSTOM_FIELD_COLLISION', 'customFields.0.key'],
      ['PLUGIN_CUSTOM_FIELD_COLLISION', 'customFields.1.key'],
      ['PLUGIN_CUSTOM_FIELD_COLLISION', 'customFields.2.key'],
    ]);
    expect(problems[1]?.message['zh-CN']).toBe(
      '插件「tiny-shop」：自定义字段「tiny_shop_uscc」（统一社会信用代码）与系统字段「统一社会信用代码」重复，请直接使用系统字段',
    );
  });

  it('checks the bounds of custom fields', () => {
    const problems = validatePlugin(
      broken({
        customFields: [
          {
            key: 'tiny_shop_visits',
            type: 'number',
            labels: labels('到店次数', 'Visits'),
            validation: { integer: true, min: 0 },
          },
          {
            key: 'tiny_shop_stars',
            type: 'number',
            labels: labels('满意度', 'Stars'),
            validation: { rating: true },
          },
          {
            key: 'tiny_shop_bad_range',
            type: 'money',
            labels: labels('额度', 'Limit'),
            validation: { min: 10, max: 1 },
          },
          {
            key: 'tiny_shop_note',
            type: 'text',
            labels: labels('备注', 'Note'),
            validation: { integer: true },
          },
          {
            key: 'tiny_shop_big_rating',
            type: 'number',
            labels: labels('评分', 'Score'),
            validation: { rating: true, max: 100 },
          },
          {
            key: 'tiny_shop_code',
            type: 'text',
            labels: labels('编码', 'Code'),
            validation: { patternMessage: labels('须为数字', 'must be digits') },
          },
          {
            key: 'tiny_shop_ref',
            type: 'text',
            labels: labels('编号', 'Ref'),
            validation: { pattern: '^[0-9]+$', patternMessage: { 'zh-CN': '须为数字' } },
          },
          { key: 'tiny_shop_x', type: 'number', labels: labels('某值', 'X'), validation: { minimum: 1 } },
        ],
      }),
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_ENVELOPE_INVALID', 'customFields.7.validation'],
    ]);
    const withoutUnknown = validatePlugin(
      broken({
        customFields: [
          {
            key: 'tiny_shop_visits',
            type: 'number',
            labels: labels('到店次数', 'Visits'),
            validation: { integer: true, min: 0 },
          },
          {
            key: 'tiny_shop_stars',
            type: 'number',
            labels: labels('满意度', 'Stars'),
            validation: { rating: true },
          },
          {
            key: 'tiny_shop_bad_range',
            type: 'money',
            labels: labels('额度', 'Limit'),
            validation: { min: 10, max: 1 },
          },
          {
            key: 'tiny_shop_note',
            type: 'text',
            labels: labels('备注', 'Note'),
            validation: { integer: true },
          },
          {
            key: 'tiny_shop_big_rating',
            type: 'number',
            labels: labels('评分', 'Score'),
            validation: { rating: true, max: 100 },
          },
          {
            key: 'tiny_shop_code',
            type: 'text',
            labels: labels('编码', 'Code'),
            validation: { patternMessage: labels('须为数字', 'must be digits') },
          },
          {
            key: 'tiny_shop_ref',
            type: 'text',
            labels: labels('编号', 'Ref'),
            validation: { pattern: '^[0-9]+$', patternMessage: { 'zh-CN': '须为数字' } },
          },
        ],
      }),
    );
    expect(
      withoutUnknown.filter((p) => p.path.startsWith('customFields')).map((p) => [p.code, p.path]),
    ).toEqual([
      ['PLUGIN_LABEL_MISSING', 'customFields.6.validation.patternMessage.en'],
      ['PLUGIN_CUSTOM_FIELD_INVALID', 'customFields.2.validation.min'],
      ['PLUGIN_CUSTOM_FIELD_INVALID', 'customFields.3.validation.integer'],
      ['PLUGIN_CUSTOM_FIELD_INVALID', 'customFields.4.validation.rating'],
      ['PLUGIN_CUSTOM_FIELD_INVALID', 'customFields.5.validation.patternMessage'],
    ]);
  });

  it('checks that the defaults parse and stay the same through JSON', () => {
    const noDefault = validatePlugin(
      broken({
        settings: {
          schema: schema.extend({ budget: z.number().meta({ labels: labels('预算', 'Budget') }) }),
          version: 1,
        },
      }),
    );
    const problem = only(noDefault, 'PLUGIN_SETTINGS_DEFAULT_INVALID');
    expect(problem.path).toBe('settings.schema.budget');
    expect(problem.message.en).toContain('Every setting needs a valid default');

    const badDefault = validatePlugin(
      broken({
        settings: {
          schema: schema.extend({
            share: z
              .number()
              .max(1)
              .default(5)
              .meta({ labels: labels('占比', 'Share') }),
          }),
          version: 1,
        },
      }),
    );
    expect(only(badDefault, 'PLUGIN_SETTINGS_DEFAULT_INVALID').setting).toBe('share');

    // zod 4: .default({}) on an object returns {} as is; its fields' defaults never apply.
    const unstable = validatePlugin(
      broken({
        settings: {
          schema: schema.extend({
            group: z
              .object({
                n: z
                  .number()
                  .default(1)
                  .meta({ labels: labels('数', 'N') }),
              })
              .default({ n: 1 })
              .meta({ labels: labels('组', 'Group') }),
            nested: z
              .object({
                n: z
                  .number()
                  .default(1)
                  .meta({ labels: labels('数', 'N') }),
              })
              .default({} as { n: number })
              .meta({ labels: labels('组', 'Group') }),
          }),
          version: 1,
        },
      }),
    );
    expect(only(unstable, 'PLUGIN_SETTINGS_DEFAULT_UNSTABLE').message.en).toContain('.prefault({})');
  });

  it('catches a settings migration that is not idempotent, or fails, or gives invalid settings', () => {
    const withMigration = (migrate: (from: number, old: Readonly<Record<string, unknown>>) => object) =>
      validatePlugin(broken({ settings: { schema, version: 2, migrate } }));

    // Renaming an old key is idempotent: the second run finds nothing to rename.
    const rename = (_from: number, old: Readonly<Record<string, unknown>>) => {
      const { leadHours, ...rest } = old;
      return typeof leadHours === 'number' ? { ...rest, leadSlaHours: leadHours } : rest;
    };
    expect(withMigration(rename)).toEqual([]);

    // Scaling a number every time it runs is not.
    const scale = (_from: number, old: Readonly<Record<string, unknown>>) => ({
      ...old,
      atRiskDays: (typeof old.atRiskDays === 'number' ? old.atRiskDays : 90) + 1,
    });
    const problem = only(withMigration(scale), 'PLUGIN_SETTINGS_MIGRATION_NOT_IDEMPOTENT');
    expect(problem.path).toBe('settings.migrate');
    expect(problem.message.en).toContain('not idempotent');

    expect(
      codes(
        withMigration(() => {
          throw new Error('boom');
        }),
      ),
    ).toEqual(['PLUGIN_SETTINGS_MIGRATION_FAILED']);
    expect(codes(withMigration(() => ({ leadSlaHours: -1 })))).toEqual(['PLUGIN_SETTINGS_MIGRATION_FAILED']);
  });

  it('checks setting references and the tier model with the defaults', () => {
    const missing = only(
      validatePlugin(broken({ lifecycle: { ...base.lifecycle, atRiskDays: { setting: 'atRisk' } } })),
      'PLUGIN_SETTING_MISSING',
    );
    expect([missing.path, missing.setting]).toEqual(['lifecycle.atRiskDays', 'atRisk']);

    const tier = validatePlugin(broken({ tierModel: { ...base.tierModel, defaultTier: 'mid' } }));
    expect(tier.map((p) => p.code)).toContain('TIER_UNKNOWN');
    expect(tier[0]?.message['zh-CN']).toMatch(/^插件「tiny-shop」：分层模型：/);
  });

  it('checks that tiers referenced by cadences, surveys and reminders exist', () => {
    const problems = validatePlugin(
      broken({
        cadences: [{ ...base.cadences[0], tier: 'vip' }],
        surveys: [{ ...base.surveys[0], audience: { tiers: ['high', 'gold'] } }],
      }),
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_TIER_UNKNOWN', 'cadences.0.tier'],
      ['PLUGIN_TIER_UNKNOWN', 'surveys.0.audience.tiers.1'],
    ]);
    expect(problems[0]?.message.en).toBe(
      'Plugin "tiny-shop": the tier "vip" is not in the tier model (it has: high, low)',
    );
    const noModel = validatePlugin(broken({ tierModel: undefined }));
    expect(codes(noModel)).toEqual(['PLUGIN_TIER_UNKNOWN', 'PLUGIN_TIER_UNKNOWN']);
  });

  it('checks fields that rules refer to', () => {
    const problems = validatePlugin(
      broken({
        reminders: [
          {
            ...base.reminders[0],
            trigger: { on: 'date_field', field: 'tiny_shop_member_card', offsetDays: 0 },
          },
        ],
      }),
    );
    expect(only(problems, 'PLUGIN_FIELD_UNKNOWN').message.en).toContain(
      'not a date field the plugin declares',
    );
  });

  it('checks rules once their numbers are resolved', () => {
    const problems = validatePlugin(
      broken({
        leadGrades: [{ ...base.leadGrades[1] }, { ...base.leadGrades[0], followUpWithinHours: 0 }],
        cadences: [{ ...base.cadences[0], interval: { every: 1.5, unit: 'month' } }],
        lifecycle: { atRiskDays: 200, dormantDays: { setting: 'dormantDays' }, loyalOrders: 5 },
      }),
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_RULE_INVALID', 'leadGrades.0.when'],
      ['PLUGIN_RULE_INVALID', 'leadGrades.1.followUpWithinHours'],
      ['PLUGIN_RULE_INVALID', 'cadences.0.interval.every'],
      ['PLUGIN_RULE_INVALID', 'lifecycle.dormantDays'],
    ]);
    expect(problems[3]?.message['zh-CN']).toBe('插件「tiny-shop」：沉睡天数（180）须大于流失风险天数（200）');
  });

  it('checks KPI targets: known KPIs only, within what their unit admits', () => {
    expect(
      validatePlugin(broken({ kpiTargets: { retention_rate: 90, nps: -20, sales_cycle_days: 42 } })),
    ).toEqual([]);
    const unknown = only(
      validatePlugin(broken({ kpiTargets: { retention: 90 } })),
      'PLUGIN_ENVELOPE_INVALID',
    );
    expect(unknown.path).toBe('kpiTargets');
    expect(unknown.message.en).toContain('retention');
    const problems = validatePlugin(
      broken({ kpiTargets: { csat: 120, nps: -101, average_order_value: -1 } }),
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_RULE_INVALID', 'kpiTargets.csat'],
      ['PLUGIN_RULE_INVALID', 'kpiTargets.nps'],
      ['PLUGIN_RULE_INVALID', 'kpiTargets.average_order_value'],
    ]);
    expect(problems[0]?.message['zh-CN']).toBe(
      '插件「tiny-shop」：指标「csat」的目标 120 须在 0 到 100 之间',
    );
  });

  it('checks a pipeline: stage kinds and order, probabilities, gates naming their own actions', () => {
    const open = (key: string, extra: Record<string, unknown> = {}) => ({
      key,
      kind: 'open',
      labels: labels('阶段', 'Stage'),
      probability: 30,
      ...extra,
    });
    const closing = [
      { key: 'tiny_shop_won', kind: 'won', labels: labels('赢单', 'Won'), probability: 100 },
      { key: 'tiny_shop_lost', kind: 'lost', labels: labels('输单', 'Lost'), probability: 0 },
    ];
    const good = {
      stages: [
        open('tiny_shop_needs', {
          actions: [
            {
              key: 'tiny_shop_quote',
              labels: labels('报价', 'Quote'),
              dueWithinHours: { setting: 'leadSlaHours' },
            },
          ],
          gates: [{ minNeeds: 3 }, { actionsDone: ['tiny_shop_quote'] }, { fieldsPresent: ['amount'] }],
        }),
        ...closing,
      ],
      lostReasons: [{ key: 'tiny_shop_lost_price', labels: labels('价格', 'Price') }],
    };
    expect(validatePlugin(broken({ pipeline: good }))).toEqual([]);
    const unprefixed = validatePlugin(
      broken({ pipeline: { ...good, lostReasons: [{ key: 'price', labels: labels('价格', 'Price') }] } }),
    );
    expect(unprefixed.map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_KEY_NOT_PREFIXED', 'pipeline.lostReasons.0.key'],
    ]);
    const rules = validatePlugin(
      broken({
        pipeline: {
          stages: [
            open('tiny_shop_needs', {
              probability: 120,
              actions: [{ key: 'tiny_shop_quote', labels: labels('报价', 'Quote'), dueWithinHours: 0 }],
              gates: [{ minNeeds: 0 }, { actionsDone: ['tiny_shop_visit'] }],
            }),
            ...closing,
            open('tiny_shop_late'),
          ],
        },
      }),
    );
    expect(rules.map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_RULE_INVALID', 'pipeline.stages.3'],
      ['PLUGIN_RULE_INVALID', 'pipeline.stages.0.probability'],
      ['PLUGIN_RULE_INVALID', 'pipeline.stages.0.actions.0.dueWithinHours'],
      ['PLUGIN_RULE_INVALID', 'pipeline.stages.0.gates.0.minNeeds'],
      ['PLUGIN_RULE_INVALID', 'pipeline.stages.0.gates.1.actionsDone.0'],
    ]);
    expect(rules[4]?.message['zh-CN']).toBe(
      '插件「tiny-shop」：关卡要求的标准动作「tiny_shop_visit」不是阶段「tiny_shop_needs」的动作',
    );
    const noWon = validatePlugin(
      broken({ pipeline: { stages: [open('tiny_shop_a'), open('tiny_shop_b'), closing[1]] } }),
    );
    expect(noWon.map((p) => p.path)).toEqual(['pipeline.stages']);
  });

  it('accepts behaviour in grades and re-grade rules, and explains what is wrong with them', () => {
    const engaged = {
      key: 'tiny_shop_regrade_engaged',
      labels: labels(
        '7 天内打开 2 次且点击 1 次 → 升一级',
        'Two opens and a click within 7 days → up one grade',
      ),
      when: {
        all: [
          { behaviour: 'email_open', withinDays: 7, op: 'gte', value: 2 },
          { behaviour: 'link_click', withinDays: 7, op: 'gte', value: 1 },
        ],
      },
      change: { up: 1 },
    };
    const quiet = {
      key: 'tiny_shop_regrade_quiet',
      labels: labels('30 天无活动 → 降一级', 'No activity for 30 days → down one grade'),
      when: { behaviour: 'days_since_last_activity', op: 'gte', value: { setting: 'dormantDays' } },
      change: { down: 1 },
    };
    const gradeOnBehaviour = {
      ...base.leadGrades[0],
      when: { any: [base.leadGrades[0].when, { behaviour: 'reply', withinDays: 14, op: 'gte', value: 1 }] },
    };
    expect(
      validatePlugin(
        broken({ leadGrades: [gradeOnBehaviour, base.leadGrades[1]], leadRegradeRules: [engaged, quiet] }),
      ),
    ).toEqual([]);

    const problems = validatePlugin(
      broken({
        leadRegradeRules: [
          { ...engaged, key: 'regrade_engaged' },
          { ...engaged, key: 'tiny_shop_regrade_fields', when: { field: 'budget', op: 'gte', value: 1 } },
          {
            ...engaged,
            key: 'tiny_shop_regrade_window',
            when: { behaviour: 'reply', withinDays: 0, op: 'gte', value: 1.5 },
          },
          { ...quiet, key: 'tiny_shop_regrade_to', change: { to: 'tiny_shop_lead_z' } },
          { ...quiet, key: 'tiny_shop_regrade_far', change: { down: 3 }, cooldownDays: 400 },
        ],
      }),
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['PLUGIN_KEY_NOT_PREFIXED', 'leadRegradeRules.0.key'],
      ['PLUGIN_RULE_INVALID', 'leadRegradeRules.1.when'],
      ['PLUGIN_RULE_INVALID', 'leadRegradeRules.2.when.withinDays'],
      ['PLUGIN_RULE_INVALID', 'leadRegradeRules.2.when.value'],
      ['PLUGIN_RULE_INVALID', 'leadRegradeRules.3.change.to'],
      ['PLUGIN_RULE_INVALID', 'leadRegradeRules.4.change.down'],
      ['PLUGIN_RULE_INVALID', 'leadRegradeRules.4.cooldownDays'],
    ]);
    expect(problems[4]?.message.en).toBe(
      'Plugin "tiny-shop": re-grade rule "tiny_shop_regrade_to" moves leads to "tiny_shop_lead_z", which is not one of the plugin\'s lead grades',
    );
    expect(problems[5]?.message['zh-CN']).toBe(
      '插件「tiny-shop」：升降级规则「tiny_shop_regrade_far」一次升降 1 到 1 级（现为 3）',
    );

    const shape = validatePlugin(broken({ leadRegradeRules: [{ ...engaged, change: { sideways: 1 } }] }));
    expect(codes(shape)).toEqual(['PLUGIN_ENVELOPE_INVALID']);
    expect(shape[0]?.path).toBe('leadRegradeRules.0.change');
  });

  it('never throws, even when a plugin does', () => {
    const hostile = {
      ...valid,
      get customFields(): never {
        throw new Error('no');
      },
    };
    expect(codes(validatePlugin(hostile))).toEqual(['PLUGIN_ENVELOPE_INVALID']);
  });
});

describe('validateSettings', () => {
  it('accepts the defaults and valid overrides', () => {
    expect(validateSettings(valid, {})).toEqual([]);
    expect(validateSettings(valid, { tiers: { high: 50_000 }, atRiskDays: 30 })).toEqual([]);
  });

  it('names the setting an admin has to change', () => {
    const invalid = validateSettings(valid, { leadSlaHours: -3 });
    expect(invalid.map((p) => [p.code, p.setting])).toEqual([['PLUGIN_SETTINGS_INVALID', 'leadSlaHours']]);
    // zod's own messages in each language.
    expect(invalid[0]?.message.en).toMatch(/leadSlaHours" is invalid: Too small/);
    expect(invalid[0]?.message['zh-CN']).toMatch(/^插件「tiny-shop」：设置项「leadSlaHours」无效：.*过小/);
    const order = validateSettings(valid, { atRiskDays: 365 });
    expect(order.map((p) => [p.code, p.path])).toEqual([['PLUGIN_RULE_INVALID', 'lifecycle.dormantDays']]);
  });
});
