import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './text';
import {
  type ChoiceOption,
  parseAmount,
  parseBankCardNumber,
  parseBoolean,
  parseCreditCode,
  parseCurrency,
  parseDate,
  parseDateTime,
  parseDecimal,
  parseEmail,
  parseEmails,
  parseEnum,
  parseEnums,
  parseInteger,
  parseList,
  parseNationalIdNumber,
  parsePhone,
  parsePhones,
  parseQuantity,
  parseText,
} from './values';

const value = <T>(result: { ok: boolean; value?: T | null }) => (result.ok ? result.value : undefined);
const reason = (result: { ok: boolean; reason?: string }) => (result.ok ? 'ok' : result.reason);

describe('normalizeText', () => {
  it('folds full-width letters, digits and the ideographic space, strips zero-width characters, collapses spaces', () => {
    expect(normalizeText('\u3000ＡＢＣ　１２３\u200B  客户 ')).toBe('ABC 123 客户');
    expect(normalizeText('北京（中关村）科技有限公司')).toBe('北京（中关村）科技有限公司');
    expect(normalizeText('a\r\nb')).toBe('a b');
  });

  it('folds punctuation too in code mode', () => {
    expect(normalizeText('１，２３４．５０（元）', 'code')).toBe('1,234.50(元)');
    expect(normalizeText('ｓａｌｅｓ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'code')).toBe('sales@example.com');
  });

  it('keeps line breaks in prose mode', () => {
    expect(normalizeText('  第一行  要点 \r\n\r\n\r\n\r\n第二行\u200D ', 'prose')).toBe(
      '第一行 要点\n\n第二行',
    );
  });
});

describe('parseText and parseList', () => {
  it('cleans text, treats blank as empty, counts characters not UTF-16 units', () => {
    expect(parseText('  张三  ')).toEqual({ ok: true, value: '张三' });
    expect(parseText(' \u200B ')).toEqual({ ok: true, value: null });
    expect(parseText('😀😀', { max: 2 })).toEqual({ ok: true, value: '😀😀' });
    expect(parseText('张三丰', { max: 2 })).toEqual({
      ok: false,
      reason: 'TEXT_TOO_LONG',
      params: { max: 2 },
    });
  });

  it('splits lists at Chinese and ASCII separators, dropping repeats', () => {
    expect(value(parseList('重点客户，VIP、华东;VIP / 老客户'))).toEqual([
      '重点客户',
      'VIP',
      '华东',
      '老客户',
    ]);
    expect(value(parseList(' , ; '))).toBeNull();
    expect(reason(parseList('a,b,c', { max: 2 }))).toBe('LIST_TOO_MANY');
    expect(reason(parseList('短,很长很长的标签', { maxLength: 4 }))).toBe('TEXT_TOO_LONG');
  });
});

describe('parseAmount', () => {
  it.each([
    ['1,234.50', '1234.50'],
    ['1，234.5', '1234.50'],
    ['￥1,234', '1234.00'],
    ['¥ 1234元', '1234.00'],
    ['人民币 1234 元', '1234.00'],
    ['RMB 88', '88.00'],
    ['12.5万', '125000.00'],
    ['12.5万元', '125000.00'],
    ['12.5 万元', '125000.00'],
    ['3亿', '300000000.00'],
    ['1.2千', '1200.00'],
    ['0.8万', '8000.00'],
    ['1.23456万', '12345.60'],
    ['2.5k', '2500.00'],
    ['３万', '30000.00'],
    ['８８００元', '8800.00'],
    ['1 234 567.8', '1234567.80'],
    ['.5', '0.50'],
    ['007', '7.00'],
    ['0', '0.00'],
    ['+12', '12.00'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseAmount(input)).toEqual({ ok: true, value: expected });
  });

  it('reads negatives only where allowed: -1234, (1,234), ¥-5, -¥5', () => {
    expect(value(parseAmount('-1234', { allowNegative: true }))).toBe('-1234.00');
    expect(value(parseAmount('(1,234)', { allowNegative: true }))).toBe('-1234.00');
    expect(value(parseAmount('（1,234.5）', { allowNegative: true }))).toBe('-1234.50');
    expect(value(parseAmount('¥-5', { allowNegative: true }))).toBe('-5.00');
    expect(value(parseAmount('-¥5', { allowNegative: true }))).toBe('-5.00');
    expect(value(parseAmount('-0', { allowNegative: true }))).toBe('0.00');
    expect(reason(parseAmount('-1234'))).toBe('AMOUNT_NEGATIVE');
    expect(reason(parseAmount('(-5)', { allowNegative: true }))).toBe('AMOUNT_FORMAT');
  });

  it.each([
    ['abc', 'AMOUNT_FORMAT'],
    ['很多', 'AMOUNT_FORMAT'],
    ['12.5.6', 'AMOUNT_FORMAT'],
    ['1,23,456', 'AMOUNT_FORMAT'],
    ['$100', 'AMOUNT_FORMAT'],
    ['12万万', 'AMOUNT_FORMAT'],
    ['1234.', 'AMOUNT_FORMAT'],
    ['1.234,56', 'AMOUNT_AMBIGUOUS'],
    ['1.234.567', 'AMOUNT_AMBIGUOUS'],
    ['12,5', 'AMOUNT_AMBIGUOUS'],
    ['1.234', 'AMOUNT_PRECISION'],
    ['0.0000001万', 'AMOUNT_PRECISION'],
    ['123456789012345', 'AMOUNT_TOO_LARGE'],
    ['2亿亿', 'AMOUNT_FORMAT'],
  ])('refuses %s (%s)', (input, expected) => {
    expect(reason(parseAmount(input))).toBe(expected);
  });

  it('is empty for a blank cell', () => {
    expect(parseAmount('  ')).toEqual({ ok: true, value: null });
  });

  const cents = fc.bigInt({ min: 0n, max: 99_999_999_999_999_99n });
  const canonical = (amount: bigint) => `${amount / 100n}.${(amount % 100n).toString().padStart(2, '0')}`;
  const grouped = (whole: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

  it('round-trips any amount however it is written', () => {
    fc.assert(
      fc.property(
        cents,
        fc.constantFrom('plain', 'grouped', 'yuan', 'fullwidth', 'spaced'),
        (amount, style) => {
          const text = canonical(amount);
          const [whole = '', fraction = ''] = text.split('.');
          const written =
            style === 'plain'
              ? text
              : style === 'grouped'
                ? `${grouped(whole)}.${fraction}`
                : style === 'yuan'
                  ? `￥${grouped(whole)}.${fraction}元`
                  : style === 'fullwidth'
                    ? text.replace(/[0-9.]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0))
                    : `¥ ${whole}.${fraction} 元`;
          return value(parseAmount(written)) === text;
        },
      ),
    );
  });

  it('scales 万 and 亿 exactly (no floating point)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 9_999_999_999n }), (yuan) => {
        // yuan / 10000 written as a decimal, plus 万.
        const whole = yuan / 10_000n;
        const fraction = (yuan % 10_000n).toString().padStart(4, '0').replace(/0+$/, '');
        const written = fraction ? `${whole}.${fraction}万` : `${whole}万`;
        return value(parseAmount(written)) === `${yuan}.00`;
      }),
    );
    expect(value(parseAmount('0.1万'))).toBe('1000.00');
    expect(value(parseAmount('0.001万'))).toBe('10.00');
    expect(value(parseAmount('1.1亿'))).toBe('110000000.00');
    expect(value(parseAmount('12.345678亿'))).toBe('1234567800.00');
  });
});

describe('parseDecimal, parseQuantity, parseInteger', () => {
  it('reads decimals with separators and limits', () => {
    expect(value(parseDecimal('1,234.5000'))).toBe('1234.5');
    expect(value(parseDecimal('-0.25'))).toBe('-0.25');
    expect(value(parseDecimal('１２'))).toBe('12');
    expect(reason(parseDecimal('1.1234567'))).toBe('NUMBER_PRECISION');
    expect(reason(parseDecimal('x'))).toBe('NUMBER_FORMAT');
    expect(reason(parseDecimal('5', { max: 3 }))).toBe('NUMBER_RANGE');
    expect(reason(parseDecimal('-5', { allowNegative: false }))).toBe('NUMBER_RANGE');
  });

  it('reads positive quantities with at most three decimals', () => {
    expect(value(parseQuantity('2'))).toBe('2');
    expect(value(parseQuantity('0.5'))).toBe('0.5');
    expect(reason(parseQuantity('0'))).toBe('NUMBER_RANGE');
    expect(reason(parseQuantity('1.2345'))).toBe('NUMBER_PRECISION');
  });

  it('reads whole numbers', () => {
    expect(value(parseInteger('1,200'))).toBe(1200);
    expect(value(parseInteger('12.0'))).toBe(12);
    expect(value(parseInteger('-3'))).toBe(-3);
    expect(reason(parseInteger('12.5'))).toBe('INTEGER_FORMAT');
    expect(reason(parseInteger('abc'))).toBe('INTEGER_FORMAT');
    expect(reason(parseInteger('200', { min: 0, max: 150 }))).toBe('NUMBER_RANGE');
  });
});

describe('parseDate', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024-3-5', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024.3.5', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['2024 年 3 月 5 日', '2024-03-05'],
    ['2024年3月5号', '2024-03-05'],
    ['２０２４年３月５日', '2024-03-05'],
    ['24年3月5日', '2024-03-05'],
    ['85年3月5日', '1985-03-05'],
    ['20240305', '2024-03-05'],
    ['45356', '2024-03-05'],
    ['45356.75', '2024-03-05'],
    ['2024-03-05 14:30', '2024-03-05'],
    ['2024/3/5 下午2:30', '2024-03-05'],
    ['2024-03-04T20:00:00Z', '2024-03-05'],
    ['2024-03-05T23:30:00+08:00', '2024-03-05'],
    ['13/5/2024', '2024-05-13'],
    ['5/13/2024', '2024-05-13'],
    ['5/5/2024', '2024-05-05'],
    ['Mar 5, 2024', '2024-03-05'],
    ['March 5th, 2024', '2024-03-05'],
    ['5 March 2024', '2024-03-05'],
    ['05-Mar-2024', '2024-03-05'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseDate(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2024年2月30日', 'DATE_INVALID'],
    ['2023-02-29', 'DATE_INVALID'],
    ['1900-02-29', 'DATE_INVALID'],
    ['2024-13-01', 'DATE_INVALID'],
    ['2024-04-31', 'DATE_INVALID'],
    ['2024-00-10', 'DATE_INVALID'],
    ['20240230', 'DATE_INVALID'],
    ['3/5/2024', 'DATE_AMBIGUOUS'],
    ['1899-12-31', 'DATE_OUT_OF_RANGE'],
    ['2101-01-01', 'DATE_OUT_OF_RANGE'],
    ['3月5日', 'DATE_FORMAT'],
    ['24-3-5', 'DATE_FORMAT'],
    ['2024', 'DATE_FORMAT'],
    ['yesterday', 'DATE_FORMAT'],
    ['2024-03-05 25:00', 'TIME_INVALID'],
    ['2024-03-05 14:61', 'TIME_INVALID'],
    ['2024-03-05 14', 'DATE_FORMAT'],
  ])('refuses %s (%s)', (input, expected) => {
    expect(reason(parseDate(input))).toBe(expected);
  });

  it('reads 3/5/2024 as the caller says', () => {
    expect(value(parseDate('3/5/2024', { dayFirst: true }))).toBe('2024-05-03');
    expect(value(parseDate('3/5/2024', { dayFirst: false }))).toBe('2024-03-05');
  });

  it('leaves bare numbers alone when serials are off', () => {
    expect(reason(parseDate('45356', { excelSerial: false }))).toBe('DATE_FORMAT');
  });

  it('gives the year range with DATE_OUT_OF_RANGE', () => {
    expect(parseDate('1800-01-01')).toEqual({
      ok: false,
      reason: 'DATE_OUT_OF_RANGE',
      params: { min: 1900, max: 2100 },
    });
  });

  const day = fc
    .record({
      year: fc.integer({ min: 1900, max: 2100 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
    })
    .filter(({ year, month, day }) => {
      const date = new Date(Date.UTC(year, month - 1, day));
      return date.getUTCMonth() === month - 1;
    });
  const iso = ({ year, month, day }: { year: number; month: number; day: number }) =>
    `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

  it('reads every real date in every Chinese and ISO form', () => {
    fc.assert(
      fc.property(day, ({ year, month, day }) => {
        const expected = iso({ year, month, day });
        return [
          expected,
          `${year}/${month}/${day}`,
          `${year}.${month}.${day}`,
          `${year}年${month}月${day}日`,
          expected.replace(/-/g, ''),
        ].every((form) => value(parseDate(form)) === expected);
      }),
    );
  });

  it('never rolls an impossible day over into the next month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
        return (
          value(parseDate(`${year}年${month}月${last}日`)) === iso({ year, month, day: last }) &&
          reason(parseDate(`${year}年${month}月${last + 1}日`)) === 'DATE_INVALID'
        );
      }),
    );
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2024-03-05', '2024-03-05T00:00:00+08:00'],
    ['2024-03-05 14:30', '2024-03-05T14:30:00+08:00'],
    ['2024-03-05 14:30:15', '2024-03-05T14:30:15+08:00'],
    ['2024-03-05T14:30:15.250', '2024-03-05T14:30:15.250+08:00'],
    ['2024/3/5 下午2:30', '2024-03-05T14:30:00+08:00'],
    ['2024/3/5 上午9:05', '2024-03-05T09:05:00+08:00'],
    ['2024/3/5 上午12:10', '2024-03-05T00:10:00+08:00'],
    ['2024/3/5 中午12:10', '2024-03-05T12:10:00+08:00'],
    ['2024/3/5 晚上8点', '2024-03-05T20:00:00+08:00'],
    ['2024年3月5日下午2点30分', '2024-03-05T14:30:00+08:00'],
    ['2024年3月5日 14时30分15秒', '2024-03-05T14:30:15+08:00'],
    ['2024-03-05 2:30 PM', '2024-03-05T14:30:00+08:00'],
    ['2024-03-05 12:00 am', '2024-03-05T00:00:00+08:00'],
    ['2024-03-05T06:30:00Z', '2024-03-05T14:30:00+08:00'],
    ['2024-03-05T06:30:00+0000', '2024-03-05T14:30:00+08:00'],
    ['2024-03-05T14:30:00+08:00', '2024-03-05T14:30:00+08:00'],
    ['2024-03-05T20:00:00-05:00', '2024-03-06T09:00:00+08:00'],
    ['2024-03-05 14:30 UTC', '2024-03-05T22:30:00+08:00'],
    ['45356.5', '2024-03-05T12:00:00+08:00'],
    ['Mar 5, 2024 2:30 PM', '2024-03-05T14:30:00+08:00'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseDateTime(input)).toEqual({ ok: true, value: expected });
  });

  it('refuses impossible times', () => {
    expect(reason(parseDateTime('2024-03-05 24:00'))).toBe('TIME_INVALID');
    expect(reason(parseDateTime('2024-03-05 下午14:30'))).toBe('ok');
    expect(reason(parseDateTime('2024-03-05 上午14:30'))).toBe('TIME_INVALID');
    expect(reason(parseDateTime('2024-03-05 13:00 pm'))).toBe('ok');
    expect(reason(parseDateTime('2024-03-05T10:00:00+15:00'))).toBe('TIME_INVALID');
  });

  it('matches what the schemas accept', () => {
    const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/;
    for (const input of ['2024-03-05', '2024/3/5 下午2:30', '2024-03-05T06:30:00.5Z']) {
      expect(value(parseDateTime(input))).toMatch(timestamp);
    }
  });
});

describe('parsePhones and parseEmails', () => {
  it('splits phones at Chinese and ASCII separators and stores each in the one form (E.164)', () => {
    expect(value(parsePhones('１３８ ００１３ ８０００'))).toEqual(['+8613800138000']);
    expect(value(parsePhones('13900139000、021-64881234'))).toEqual(['+8613900139000', '+862164881234']);
    expect(value(parsePhones('028-86661234；13800138001'))).toEqual(['+862886661234', '+8613800138001']);
    expect(value(parsePhones('13800138000 13900139000'))).toEqual(['+8613800138000', '+8613900139000']);
    expect(value(parsePhones('+86 138 0013 8000 / 010 1234 5678'))).toEqual([
      '+8613800138000',
      '+861012345678',
    ]);
    expect(value(parsePhones('13800138000\n13800138000'))).toEqual(['+8613800138000']);
    expect(value(parsePhones('13800138000, +86 13800138000'))).toEqual(['+8613800138000']);
    expect(value(parsePhones('0571-8755 8212转123'))).toEqual(['+8657187558212;ext=123']);
    expect(value(parsePhones(' '))).toBeNull();
  });

  it('names the number it refuses', () => {
    expect(parsePhones('13800138000, 12345')).toEqual({
      ok: false,
      reason: 'PHONE_INVALID',
      params: { value: '12345' },
    });
    expect(reason(parsePhones('abc'))).toBe('PHONE_INVALID');
    expect(reason(parsePhones('13800138000,13800138001,13800138002', { max: 2 }))).toBe('PHONE_TOO_MANY');
  });

  it('gives the first phone for single-phone fields', () => {
    expect(value(parsePhone('13900139000、021-64881234'))).toBe('+8613900139000');
  });

  it('lower-cases and validates emails, several in a cell', () => {
    expect(value(parseEmails('Sales@Example.COM; ops@example.cn，  mailto:x@y.com'))).toEqual([
      'sales@example.com',
      'ops@example.cn',
      'x@y.com',
    ]);
    expect(value(parseEmail('ｓａｌｅｓ＠ｅｘａｍｐｌｅ．ｃｏｍ'))).toBe('sales@example.com');
    expect(parseEmails('ok@example.com sz@@example')).toEqual({
      ok: false,
      reason: 'EMAIL_INVALID',
      params: { value: 'sz@@example' },
    });
    expect(reason(parseEmail('no-at-sign'))).toBe('EMAIL_INVALID');
  });
});

describe('parseBoolean, parseEnum, parseCurrency', () => {
  it.each([
    ['是', true],
    ['否', false],
    ['Y', true],
    ['n', false],
    ['TRUE', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['√', true],
    ['×', false],
    ['有', true],
    ['无', false],
  ])('reads %s as %s', (input, expected) => {
    expect(value(parseBoolean(input))).toBe(expected);
  });

  it('refuses other words', () => {
    expect(reason(parseBoolean('maybe'))).toBe('BOOLEAN_INVALID');
    expect(value(parseBoolean(''))).toBeNull();
  });

  const payment: ChoiceOption[] = [
    { value: 'alipay', zh: '支付宝', en: 'Alipay' },
    { value: 'wechat_pay', zh: '微信支付', en: 'WeChat Pay', aliases: ['微信'] },
    { value: 'bank_transfer', zh: '银行转账', en: 'Bank transfer', aliases: ['对公转账'] },
  ];

  it('reads choices by label, code or alias, ignoring case, width, spaces and punctuation', () => {
    expect(value(parseEnum('微信支付', payment))).toBe('wechat_pay');
    expect(value(parseEnum('wechat pay', payment))).toBe('wechat_pay');
    expect(value(parseEnum('WECHAT_PAY', payment))).toBe('wechat_pay');
    expect(value(parseEnum('微信', payment))).toBe('wechat_pay');
    expect(value(parseEnum(' 对公 转账 ', payment))).toBe('bank_transfer');
    expect(value(parseEnum('Ａｌｉｐａｙ', payment))).toBe('alipay');
    expect(parseEnum('现金', payment)).toEqual({
      ok: false,
      reason: 'ENUM_INVALID',
      params: { options: '支付宝、微信支付、银行转账' },
    });
  });

  it('reads several choices in one cell', () => {
    expect(value(parseEnums('支付宝、微信', payment))).toEqual(['alipay', 'wechat_pay']);
    expect(reason(parseEnums('支付宝、现金', payment))).toBe('ENUM_INVALID');
  });

  it('reads currencies by code, name or symbol', () => {
    expect(value(parseCurrency('cny'))).toBe('CNY');
    expect(value(parseCurrency('人民币'))).toBe('CNY');
    expect(value(parseCurrency('美元'))).toBe('USD');
    expect(value(parseCurrency('US$'))).toBe('USD');
    expect(value(parseCurrency('港币'))).toBe('HKD');
    expect(reason(parseCurrency('金子'))).toBe('CURRENCY_INVALID');
  });
});

describe('identifiers', () => {
  it('validates national ID numbers by their check digit', () => {
    expect(value(parseNationalIdNumber('11010519491231002X'))).toBe('11010519491231002X');
    expect(value(parseNationalIdNumber('１１０１０５１９４９１２３１００２ｘ'))).toBe('11010519491231002X');
    expect(reason(parseNationalIdNumber('110105194912310021'))).toBe('NATIONAL_ID_INVALID');
  });

  it('validates bank cards with Luhn', () => {
    expect(value(parseBankCardNumber('6217 0012 3456 7890 122'))).toBe('6217001234567890122');
    expect(value(parseBankCardNumber('6222-0000-0000-0000-004'))).toBe('6222000000000000004');
    expect(reason(parseBankCardNumber('6217 0012 3456 7890 123'))).toBe('BANK_CARD_INVALID');
    expect(reason(parseBankCardNumber('1234'))).toBe('BANK_CARD_INVALID');
  });

  it('validates unified social credit codes', () => {
    expect(value(parseCreditCode('91350100M000100Y43'))).toBe('91350100M000100Y43');
    expect(value(parseCreditCode('９１３５０１００ｍ０００１００ｙ４３'))).toBe('91350100M000100Y43');
    expect(reason(parseCreditCode('91350100M000100Y44'))).toBe('CREDIT_CODE_INVALID');
    expect(reason(parseCreditCode('123'))).toBe('CREDIT_CODE_INVALID');
  });
});
