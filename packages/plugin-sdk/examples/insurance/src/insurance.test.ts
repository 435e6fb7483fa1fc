import { resolvePlugin, validateSettings } from '@crm/plugin-sdk';
import { checkPluginContract, describePluginContract, runTierModel } from '@crm/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import insurance from './index';

// Everything the host checks at start-up, as one test per kind of problem.
describePluginContract(insurance);

const customers = [
  { id: 'big-premium', facts: { amount_12m: 68_000 }, customFields: { insurance_policy_count: 1 } },
  { id: 'many-policies', facts: { amount_12m: 8_000 }, customFields: { insurance_policy_count: 6 } },
  { id: 'family', facts: { amount_12m: 12_500 }, customFields: { insurance_policy_count: 2 } },
  { id: 'one-policy', facts: { amount_12m: 3_600 }, customFields: { insurance_policy_count: 1 } },
  { id: 'prospect', facts: {} },
];

describe('insurance profile', () => {
  it('has no contract problems', () => {
    expect(checkPluginContract(insurance)).toEqual([]);
  });

  it('tiers customers by annual premium or number of policies', () => {
    const results = runTierModel(insurance, {}, customers);
    expect(results.map((result) => [result.id, result.tier])).toEqual([
      ['big-premium', 'vip'],
      ['many-policies', 'vip'],
      ['family', 'key'],
      ['one-policy', 'standard'],
      ['prospect', 'standard'],
    ]);
    // The explanation names the rule and the numbers the settings gave it.
    expect(results[1]?.explanation.rule).toEqual({
      index: 1,
      tier: 'vip',
      conditions: [{ metric: 'custom_number:insurance_policy_count', op: 'gte', value: 5 }],
    });
  });

  it('follows the settings an admin changes', () => {
    const results = runTierModel(insurance, { tiers: { vipPolicies: 8, keyPremium: 15_000 } }, customers);
    expect(results.map((result) => result.tier)).toEqual(['vip', 'key', 'key', 'standard', 'standard']);
    const resolved = resolvePlugin(insurance, insurance.settings.schema.parse({ cadenceMonths: { key: 2 } }));
    expect(resolved.cadences.map((cadence) => [cadence.tier, cadence.interval.every])).toEqual([
      ['vip', 1],
      ['key', 2],
      ['standard', 12],
    ]);
    expect(resolved.reminders[0]?.trigger.offsetDays).toBe(-30);
  });

  it('brings its own pipeline stages, gates and lost reasons', () => {
    const { pipeline } = resolvePlugin(insurance);
    expect(pipeline?.stages.map((stage) => [stage.key, stage.kind])).toEqual([
      ['insurance_stage_needs', 'open'],
      ['insurance_stage_quote', 'open'],
      ['insurance_stage_underwriting', 'open'],
      ['insurance_stage_won', 'won'],
      ['insurance_stage_lost', 'lost'],
    ]);
    expect(pipeline?.stages[0]?.gates).toEqual([{ minNeeds: 2 }]);
    expect(pipeline?.lostReasons?.map((reason) => reason.key)).toContain('insurance_lost_premium');
  });

  it('refuses settings an admin may not save', () => {
    const problems = validateSettings(insurance, { renewalOffsetDays: 10 });
    expect(problems.map((problem) => [problem.code, problem.setting])).toEqual([
      ['PLUGIN_SETTINGS_INVALID', 'renewalOffsetDays'],
    ]);
  });
});
