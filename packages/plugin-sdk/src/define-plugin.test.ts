import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultSettingsOf, definePlugin, keyPrefixOf, PluginSettingsError, resolvePlugin } from './index';

const settings = z.object({
  highAmount: z.number().positive().default(100_000),
  followUpHours: z.number().int().positive().default(24),
});

const plugin = definePlugin({
  id: 'tiny-shop',
  version: '1.0.0',
  sdk: '^1.0.0',
  labels: { 'zh-CN': '小店', en: 'Tiny shop' },
  settings: { schema: settings, version: 1 },
  tierModel: {
    kind: 'thresholds',
    tiers: [
      { key: 'high', labels: { 'zh-CN': '高价值客户', en: 'High value' } },
      { key: 'low', labels: { 'zh-CN': '低价值客户', en: 'Low value' } },
    ],
    rules: [{ tier: 'high', when: [{ metric: 'amount_12m', op: 'gt', value: { setting: 'highAmount' } }] }],
    defaultTier: 'low',
  },
  leadGrades: [
    {
      key: 'tiny_shop_lead_a',
      grade: 'A',
      labels: { 'zh-CN': 'A 级线索', en: 'Grade A lead' },
      when: { field: 'budget', op: 'gte', value: { setting: 'highAmount' } },
      followUpWithinHours: { setting: 'followUpHours' },
    },
  ],
  customFields: [
    { key: 'tiny_shop_member_card', type: 'text', labels: { 'zh-CN': '会员卡号', en: 'Membership card' } },
  ],
});

describe('definePlugin', () => {
  it('stamps the envelope format', () => {
    expect(plugin.apiVersion).toBe(1);
    expect(plugin.id).toBe('tiny-shop');
  });

  it('freezes the envelope all the way down, but not the zod schema', () => {
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(Object.isFrozen(plugin.labels)).toBe(true);
    expect(Object.isFrozen(plugin.customFields)).toBe(true);
    expect(Object.isFrozen(plugin.customFields?.[0]?.labels)).toBe(true);
    expect(Object.isFrozen(plugin.tierModel?.tiers)).toBe(true);
    expect(Object.isFrozen(plugin.settings)).toBe(true);
    expect(Object.isFrozen(plugin.settings.schema)).toBe(false);
    expect(() => {
      (plugin.labels as { en: string }).en = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (plugin.leadGrades as unknown[]).push({});
    }).toThrow(TypeError);
    // zod still works on the schema after freezing the envelope around it.
    expect(defaultSettingsOf(plugin)).toEqual({ highAmount: 100_000, followUpHours: 24 });
  });

  it('resolves setting references into frozen data', () => {
    const resolved = resolvePlugin(plugin, { highAmount: 50_000, followUpHours: 12 });
    expect(resolved.tierModel).toMatchObject({
      kind: 'thresholds',
      rules: [{ tier: 'high', when: [{ metric: 'amount_12m', op: 'gt', value: 50_000 }] }],
    });
    expect(resolved.leadGrades[0]).toMatchObject({
      followUpWithinHours: 12,
      when: { field: 'budget', op: 'gte', value: 50_000 },
    });
    expect(resolved.surveys).toEqual([]);
    expect(resolved.lifecycle).toBeNull();
    expect(Object.isFrozen(resolved.leadGrades[0])).toBe(true);
    expect(resolvePlugin(plugin).leadGrades[0]?.followUpWithinHours).toBe(24);
  });

  it('refuses to resolve a reference that names no number', () => {
    expect(() => resolvePlugin(plugin, { highAmount: 50_000 })).toThrow(PluginSettingsError);
    expect(() => resolvePlugin(plugin, { highAmount: 50_000 })).toThrow(
      /leadGrades\.0\.followUpWithinHours reads the setting "followUpHours"/,
    );
  });

  it('derives the key prefix from the id', () => {
    expect(keyPrefixOf('corporate-banking')).toBe('corporate_banking_');
    expect(keyPrefixOf('b2b')).toBe('b2b_');
  });
});
