import { describe, expect, it } from 'vitest';
import { formatFigure } from './dashboards.service';

describe('a figure in its unit, in the reader’s language', () => {
  it.each([
    ['currency', 2500, 'CNY', 'zh-CN', '¥2,500.00'],
    ['currency', 2500, 'CNY', 'en', '¥2,500.00'],
    ['currency', 99.5, 'USD', 'zh-CN', '$99.50'],
    ['currency', 99.5, 'USD', 'en', '$99.50'],
    ['percent', 66.666, 'CNY', 'zh-CN', '66.7%'],
    ['percent', 66.666, 'CNY', 'en', '66.7 %'],
    ['count', 12_345.04, 'CNY', 'zh-CN', '12,345'],
    ['count', 0.25, 'CNY', 'en', '0.3'],
    ['hours', 12, 'CNY', 'zh-CN', '12 小时'],
    ['days', 3.5, 'CNY', 'en', '3.5 days'],
  ] as const)('%s %d %s in %s: %s', (unit, value, currency, locale, expected) => {
    expect(formatFigure(unit, value, currency, locale)).toBe(expected);
  });

  it('formats the same with the kept formats as a fresh one each time', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      expect(formatFigure('count', 1234.56, 'CNY', locale)).toBe(
        (1234.56).toLocaleString(locale, { maximumFractionDigits: 1, minimumFractionDigits: 0 }),
      );
      expect(formatFigure('currency', 1234.5, 'EUR', locale)).toBe(
        (1234.5).toLocaleString(locale, {
          style: 'currency',
          currency: 'EUR',
          currencyDisplay: 'narrowSymbol',
        }),
      );
    }
  });
});
