import { describe, expect, it } from 'vitest';
import { en } from './en';
import { i18n } from './index';

/**
 * English counts follow the plural rules (i18next's `_one` / `_other`, chosen by
 * Intl.PluralRules): "1 item", "2 items" — never "1 items" and never "item(s)".
 */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    flatten(child, prefix ? `${prefix}.${key}` : key),
  );
}

const messages = flatten(en);
const keys = new Set(messages.map(([key]) => key));

// Placeholders that hold names or dates ("{{name}} was …") are not counts.
// A range is never one: "{{min}}–{{max}} touches" reads right for every pair of numbers.
const RANGES = new Set(['customerSettings.tags.system.activity.midRule']);

describe('English plurals', () => {
  it('writes no "(s)" plural', () => {
    expect(messages.filter(([, text]) => /[a-z]\(s\)/.test(text))).toEqual([]);
  });

  it('gives every number followed by a plural noun its _one form', () => {
    const missing = messages.filter(
      ([key, text]) =>
        /\{\{(?!name|email|role|tenant|inviter|label|value|time|date)[^}]+\}\} [a-z]{2,}s\b/.test(text) &&
        !RANGES.has(key) &&
        !(key.endsWith('_other') && keys.has(key.replace(/_other$/, '_one'))),
    );
    expect(missing).toEqual([]);
  });

  it('says 1 in the singular and 2 in the plural', async () => {
    await i18n.changeLanguage('en');
    try {
      expect(i18n.t('orders.lineCount', { count: 1 })).toBe('1 item');
      expect(i18n.t('orders.lineCount', { count: 2 })).toBe('2 items');
      for (const [key] of messages.filter(([key]) => key.endsWith('_one'))) {
        const base = key.replace(/_one$/, '') as 'orders.lineCount';
        expect(i18n.t(base, { count: 1 }), base).not.toBe(i18n.t(base, { count: 2 }));
      }
    } finally {
      await i18n.changeLanguage('zh-CN');
    }
  });
});
