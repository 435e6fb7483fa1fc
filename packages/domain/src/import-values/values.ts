/**
 * Parsers for the text of one imported cell. Each returns `{ ok: true, value }` or
 * `{ ok: false, reason, params? }` whose reason has a message in zh-CN and en in
 * `IMPORT_VALUE_MESSAGES`. An empty cell (after clean-up) is `{ ok: true, value: null }`:
 * whether a field may be empty is the caller's rule, not the parser's.
 */

import { z } from 'zod';
import { normalizePhone } from '../customers/phone';
import { normalizeCreditCode } from '../dedup/credit-code';
import { parseBankCard, parseNationalId } from '../identity';
import type { ImportValueReason } from './messages';
import { matchKey, normalizeText, type TextMode } from './text';

export type ValueParams = Record<string, string | number>;
export type ParseResult<T> =
  | { ok: true; value: T | null }
  | { ok: false; reason: ImportValueReason; params?: ValueParams };

const ok = <T>(value: T | null): ParseResult<T> => ({ ok: true, value });
const fail = <T>(reason: ImportValueReason, params?: ValueParams): ParseResult<T> =>
  params ? { ok: false, reason, params } : { ok: false, reason };

// ---------------------------------------------------------------------------------------------
// Text

/** Cleaned text (see {@link normalizeText}), at most `max` characters. */
export function parseText(
  input: string,
  options: { max?: number; mode?: TextMode } = {},
): ParseResult<string> {
  const text = normalizeText(input, options.mode ?? 'text');
  if (text === '') return ok(null);
  if (options.max !== undefined && [...text].length > options.max) {
    return fail('TEXT_TOO_LONG', { max: options.max });
  }
  return ok(text);
}

/**
 * A list in one cell (tags, product names): split at , ; 、 | / and line breaks (ASCII or
 * full-width), trimmed, empty and repeated items dropped.
 */
export function parseList(
  input: string,
  options: { max?: number; maxLength?: number } = {},
): ParseResult<string[]> {
  const items = normalizeText(input.replace(/[，；、｜／]/g, ','), 'prose')
    .split(/[,;|/\n]+/)
    .map((item) => normalizeText(item, 'text'))
    .filter((item) => item !== '');
  const unique = [...new Set(items)];
  if (unique.length === 0) return ok(null);
  if (options.max !== undefined && unique.length > options.max)
    return fail('LIST_TOO_MANY', { max: options.max });
  if (options.maxLength !== undefined) {
    const long = unique.find((item) => [...item].length > (options.maxLength as number));
    if (long) return fail('TEXT_TOO_LONG', { max: options.maxLength, value: long });
  }
  return ok(unique);
}

// ---------------------------------------------------------------------------------------------
// Numbers and amounts

const UNIT_VALUES: Record<string, bigint> = {
  十: 10n,
  百: 100n,
  千: 1000n,
  万: 10_000n,
  亿: 100_000_000n,
  k: 1000n,
  w: 10_000n,
  m: 1_000_000n,
};
const UNITS = /(十万|百万|千万|十亿|百亿|千亿|万亿|千|万|亿|[kKwWM])$/;
const CURRENCY_PREFIX = /^(?:人民币|rmb|cny|¥)\s*/i;
const CURRENCY_SUFFIX = /\s*(?:元整|元|圆|块钱|块|rmb|cny|人民币)$/i;

type Decimal = { negative: boolean; digits: string; scale: number };

/**
 * A decimal number as written: digits with an optional decimal point, thousands separated by
 * commas or spaces (in groups of three). A comma as the decimal point (1.234,56) is refused as
 * ambiguous rather than guessed.
 */
/** Plain, comma-grouped and space-grouped decimals, and .5: whole part, fraction. */
const DECIMAL_FORMS = [
  /^(\d+)(?:\.(\d+))?$/,
  /^(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/,
  /^(\d{1,3}(?: \d{3})+)(?:\.(\d+))?$/,
  /^()\.(\d+)$/,
];
/** A comma as the decimal point, dots as thousands separators: 1.234,56, 1.234.567, 12,5. */
const AMBIGUOUS_DECIMALS = [/^\d{1,3}(?:\.\d{3})+,\d+$/, /^\d{1,3}(?:\.\d{3}){2,}$/, /^\d+,\d{1,2}$/];

function readDecimal(body: string): Decimal | ImportValueReason {
  let text = body.trim();
  let negative = false;
  if (/^[-−]/.test(text)) {
    negative = true;
    text = text.slice(1).trim();
  } else if (text.startsWith('+')) {
    text = text.slice(1).trim();
  }
  const number = DECIMAL_FORMS.map((form) => form.exec(text)).find((match) => match !== null);
  if (!number) {
    return AMBIGUOUS_DECIMALS.some((form) => form.test(text)) ? 'AMOUNT_AMBIGUOUS' : 'AMOUNT_FORMAT';
  }
  const whole = (number[1] || '0').replace(/[, ]/g, '');
  const fraction = number[2] ?? '';
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  return { negative, digits, scale: fraction.length };
}

/** digits × 10^-scale × multiplier as a string with exactly `decimals` places, or null if not exact. */
function scaleExactly(decimal: Decimal, multiplier: bigint, decimals: number): string | null {
  const factor = 10n ** BigInt(decimals);
  const numerator = BigInt(decimal.digits) * multiplier * factor;
  const denominator = 10n ** BigInt(decimal.scale);
  if (numerator % denominator !== 0n) return null;
  const units = numerator / denominator;
  const whole = units / factor;
  const fraction = (units % factor).toString().padStart(decimals, '0');
  const sign = decimal.negative && units !== 0n ? '-' : '';
  return decimals > 0 ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/**
 * Money as the project stores it: a string with two decimals ('1234.50'). Reads 1,234.50,
 * 1，234.5, ￥1,234, ¥ 1234元, 人民币1234元, 12.5万, 12.5万元, 3亿, 1.2千, 12.5k, 1.2M,
 * full-width digits, and (with `allowNegative`, e.g. profit) -1234 and the accountants'
 * (1,234). Scaling is exact decimal arithmetic, never floating point. Other currencies' symbols
 * are not guessed (the currency is a column of its own); more than two decimals after scaling is
 * refused rather than rounded.
 */
export function parseAmount(input: string, options: { allowNegative?: boolean } = {}): ParseResult<string> {
  let text = normalizeText(input, 'code');
  if (text === '') return ok(null);
  let negative = false;
  const parenthesised = /^\((.+)\)$/.exec(text);
  if (parenthesised) {
    negative = true;
    text = (parenthesised[1] as string).trim();
  }
  const stripSign = () => {
    const sign = /^[-−]\s*/.exec(text);
    if (sign) {
      if (negative) return false;
      negative = true;
      text = text.slice(sign[0].length);
    }
    return true;
  };
  if (!stripSign()) return fail('AMOUNT_FORMAT');
  text = text.replace(CURRENCY_PREFIX, '');
  if (!stripSign()) return fail('AMOUNT_FORMAT');
  text = text.replace(CURRENCY_SUFFIX, '').trim();
  let multiplier = 1n;
  const unit = UNITS.exec(text);
  if (unit) {
    for (const char of unit[1] as string) {
      multiplier *= UNIT_VALUES[char.toLowerCase()] ?? UNIT_VALUES[char] ?? 1n;
    }
    text = text.slice(0, unit.index).trim();
  }
  const decimal = readDecimal(text);
  if (typeof decimal === 'string') return fail(decimal);
  if (decimal.negative) {
    if (negative) return fail('AMOUNT_FORMAT');
    negative = true;
  }
  decimal.negative = negative;
  const value = scaleExactly(decimal, multiplier, 2);
  if (value === null) return fail('AMOUNT_PRECISION');
  if (value.startsWith('-') && !options.allowNegative) return fail('AMOUNT_NEGATIVE');
  if (value.replace('-', '').split('.')[0]!.length > 14) return fail('AMOUNT_TOO_LARGE');
  return ok(value);
}

/**
 * A decimal number as a plain string ('12.5', '-3'), e.g. for quantities and custom number
 * fields: thousands separators allowed, at most `maxDecimals` decimals, optional bounds.
 */
export function parseDecimal(
  input: string,
  options: { maxDecimals?: number; allowNegative?: boolean; min?: number; max?: number } = {},
): ParseResult<string> {
  const text = normalizeText(input, 'code');
  if (text === '') return ok(null);
  const decimal = readDecimal(text);
  if (typeof decimal === 'string') return fail('NUMBER_FORMAT');
  const maxDecimals = options.maxDecimals ?? 6;
  // Trailing zeros after the point do not count as precision.
  const fractionDigits = decimal.digits.slice(decimal.digits.length - decimal.scale).replace(/0+$/, '');
  if (fractionDigits.length > maxDecimals) return fail('NUMBER_PRECISION', { max: maxDecimals });
  const value = scaleExactly(decimal, 1n, fractionDigits.length);
  if (value === null) return fail('NUMBER_FORMAT');
  if (value.startsWith('-') && options.allowNegative === false)
    return fail('NUMBER_RANGE', rangeParams(options));
  const numeric = Number(value);
  if (
    (options.min !== undefined && numeric < options.min) ||
    (options.max !== undefined && numeric > options.max)
  ) {
    return fail('NUMBER_RANGE', rangeParams(options));
  }
  return ok(value);
}

function rangeParams(options: { min?: number; max?: number }): ValueParams {
  return { min: options.min ?? 0, max: options.max ?? Number.MAX_SAFE_INTEGER };
}

/** A quantity on an order line: positive, at most three decimals ('2', '0.5'). */
export function parseQuantity(input: string): ParseResult<string> {
  const result = parseDecimal(input, { maxDecimals: 3 });
  if (!result.ok || result.value === null) return result;
  if (Number(result.value) <= 0 || result.value.split('.')[0]!.replace('-', '').length > 11) {
    return fail('NUMBER_RANGE', { min: '0.001', max: '99999999999' });
  }
  return result;
}

/** A whole number within bounds (default: safe integers). '1,200' and '12.0' are whole. */
export function parseInteger(
  input: string,
  options: { min?: number; max?: number } = {},
): ParseResult<number> {
  const text = normalizeText(input, 'code');
  if (text === '') return ok(null);
  const decimal = readDecimal(text);
  if (typeof decimal === 'string') return fail('INTEGER_FORMAT');
  const value = scaleExactly(decimal, 1n, 0);
  if (value === null) return fail('INTEGER_FORMAT');
  const numeric = Number(value);
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(numeric) || numeric < min || numeric > max)
    return fail('NUMBER_RANGE', { min, max });
  return ok(numeric);
}

// ---------------------------------------------------------------------------------------------
// Dates and times

/** Fixed offset of Asia/Shanghai (China has kept no daylight saving time since 1991). */
const SHANGHAI_OFFSET_MINUTES = 8 * 60;
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

export type DateOptions = {
  /** For 03/05/2024-style dates only: read day first (true) or month first (false); otherwise
   * such a date is taken only when one reading is impossible. */
  dayFirst?: boolean;
  /** Read a bare number 10000–99999 as an Excel serial date (default true: the column is a date). */
  excelSerial?: boolean;
};

type DateParts = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  hasTime: boolean;
  /** Minutes east of UTC when the text gave a zone. */
  offset: number | null;
};

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH_NAME =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

function monthNumber(name: string): number {
  const key = name.toLowerCase().replace('.', '');
  return MONTHS[key.slice(0, key.startsWith('sept') ? 4 : 3)] ?? MONTHS[key.slice(0, 3)] ?? 0;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const TIME =
  /^(?:(上午|下午|中午|晚上|凌晨|早上|早晨|傍晚|夜里|夜间|am|pm)\s*)?(\d{1,2})(?:(:|时|点)\s*(\d{1,2})?(?:\s*(?::|分)\s*(?:(\d{1,2})(?:\.(\d{1,9}))?\s*秒?)?)?)\s*(am|pm|a\.m\.|p\.m\.)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$/i;

type TimeParts = Pick<DateParts, 'hour' | 'minute' | 'second' | 'millisecond' | 'offset'>;

function readTime(text: string): TimeParts | ImportValueReason {
  const match = TIME.exec(text.trim());
  if (!match) return 'DATE_FORMAT';
  const [, before, hourText, separator, minuteText, secondText, fractionText, after, zone] = match;
  if (separator === ':' && minuteText === undefined) return 'DATE_FORMAT';
  let hour = Number(hourText);
  const minute = Number(minuteText ?? 0);
  const second = Number(secondText ?? 0);
  const millisecond = fractionText ? Math.floor(Number(`0.${fractionText}`) * 1000) : 0;
  const marker = (before ?? after ?? '').toLowerCase().replace(/\./g, '');
  if (marker) {
    if (hour > 12 && !['下午', '晚上', '傍晚', '夜里', '夜间', 'pm', '中午'].includes(marker))
      return 'TIME_INVALID';
    if (['上午', '凌晨', '早上', '早晨', 'am'].includes(marker)) {
      if (hour === 12) hour = 0;
    } else if (marker === '中午') {
      if (hour < 11) hour += 12;
    } else if (hour < 12) {
      // 下午, 晚上, 傍晚, 夜里, pm; 晚上12点 is midnight and stays out of reach on purpose.
      hour += 12;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return 'TIME_INVALID';
  let offset: number | null = null;
  if (zone) {
    const lower = zone.toLowerCase();
    if (lower === 'z' || lower === 'utc' || lower === 'gmt') offset = 0;
    else {
      const digits = lower.replace(':', '');
      const sign = digits.startsWith('-') ? -1 : 1;
      const hours = Number(digits.slice(1, 3));
      const minutes = Number(digits.slice(3, 5) || 0);
      if (hours > 14 || minutes > 59) return 'TIME_INVALID';
      offset = sign * (hours * 60 + minutes);
    }
  }
  return { hour, minute, second, millisecond, offset };
}

/** Two-digit years as Excel reads them: 00–29 are 2000–2029, 30–99 are 1930–1999. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length > 2) return year;
  return year < 30 ? 2000 + year : 1900 + year;
}

type CalendarDate = { year: number; month: number; day: number; rest: string };

/** The date forms, each giving the date and the text after it (a time, perhaps). */
const DATE_FORMS: {
  pattern: RegExp;
  read: (match: RegExpExecArray, options: DateOptions) => CalendarDate | ImportValueReason;
}[] = [
  {
    pattern: /^(\d{4})(\d{2})(\d{2})$/,
    read: (match) => ({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), rest: '' }),
  },
  {
    pattern:
      /^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})\s*[日号]?(?:(?:t|\s+|(?=[上下中晚凌早傍夜]))(.*))?$/,
    read: (match) => ({
      year: Number(match[1]),
      month: Number(match[3]),
      day: Number(match[4]),
      rest: match[5] ?? '',
    }),
  },
  {
    pattern: /^(\d{4}|\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*(.*)$/,
    read: (match) => ({
      year: fullYear(match[1] as string),
      month: Number(match[2]),
      day: Number(match[3]),
      rest: match[4] ?? '',
    }),
  },
  {
    pattern: /^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})(?:,?\s+(.*))?$/,
    read: (match, options) => {
      const first = Number(match[1]);
      const second = Number(match[3]);
      const date = { year: Number(match[4]), rest: match[5] ?? '' };
      const dayFirst = { ...date, day: first, month: second };
      const monthFirst = { ...date, month: first, day: second };
      if (options.dayFirst === true) return dayFirst;
      if (options.dayFirst === false) return monthFirst;
      if (first > 12 && second <= 12) return dayFirst;
      if (second > 12 && first <= 12) return monthFirst;
      if (first === second) return monthFirst;
      return 'DATE_AMBIGUOUS';
    },
  },
  {
    pattern: new RegExp(`^${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?:,?\\s+(.*))?$`),
    read: (match) => ({
      year: Number(match[3]),
      month: monthNumber(match[1] as string),
      day: Number(match[2]),
      rest: match[4] ?? '',
    }),
  },
  {
    pattern: new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?[\\s-]+${MONTH_NAME}[\\s-]+(\\d{4})(?:,?\\s+(.*))?$`),
    read: (match) => ({
      year: Number(match[3]),
      month: monthNumber(match[2] as string),
      day: Number(match[1]),
      rest: match[4] ?? '',
    }),
  },
];

const EXCEL_SERIAL = /^(\d{5})(\.\d+)?$/;

function readDateParts(input: string, options: DateOptions): DateParts | ImportValueReason {
  const text = normalizeText(input, 'code').toLowerCase();
  const serial = options.excelSerial === false ? null : EXCEL_SERIAL.exec(text);
  if (serial) {
    const date = excelSerialToDate(Number(text));
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      millisecond: 0,
      hasTime: serial[2] !== undefined,
      offset: null,
    };
  }
  let found: CalendarDate | ImportValueReason = 'DATE_FORMAT';
  for (const form of DATE_FORMS) {
    const match = form.pattern.exec(text);
    if (match) {
      found = form.read(match, options);
      break;
    }
  }
  if (typeof found === 'string') return found;
  const { year, month, day, rest } = found;
  if (year < MIN_YEAR || year > MAX_YEAR) return 'DATE_OUT_OF_RANGE';
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'DATE_INVALID';
  const parts: DateParts = {
    year,
    month,
    day,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
    hasTime: false,
    offset: null,
  };
  if (rest.trim() !== '') {
    const time = readTime(rest);
    if (typeof time === 'string') return time;
    Object.assign(parts, time, { hasTime: true });
  }
  return parts;
}

/** The same instant's wall-clock fields in Asia/Shanghai. */
function toShanghai(parts: DateParts): DateParts {
  if (parts.offset === null || parts.offset === SHANGHAI_OFFSET_MINUTES) return parts;
  const instant =
    Date.UTC(
      parts.year,
      parts.month - 1,
      parts.day,
      parts.hour,
      parts.minute,
      parts.second,
      parts.millisecond,
    ) -
    parts.offset * 60_000;
  const local = new Date(instant + SHANGHAI_OFFSET_MINUTES * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
    hasTime: true,
    offset: SHANGHAI_OFFSET_MINUTES,
  };
}

const two = (value: number) => String(value).padStart(2, '0');

function formatDate(parts: DateParts): string {
  return `${String(parts.year).padStart(4, '0')}-${two(parts.month)}-${two(parts.day)}`;
}

/**
 * A calendar date, 'YYYY-MM-DD'. Reads 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日,
 * 24年3月5日 (two-digit years only with 年: 00–29 → 20xx, 30–99 → 19xx), 20240305,
 * Mar 5, 2024 / 5 March 2024, 3/5/2024 only when unambiguous (or with `dayFirst`), Excel serial
 * numbers (45356), and any of these with a time (dropped; a time with a zone counts in
 * Asia/Shanghai). Impossible dates (2月30日) are refused, never rolled over; years 1900–2100.
 */
export function parseDate(input: string, options: DateOptions = {}): ParseResult<string> {
  if (normalizeText(input, 'code') === '') return ok(null);
  const parts = readDateParts(input, options);
  if (typeof parts === 'string') return fail(parts, parts === 'DATE_OUT_OF_RANGE' ? yearRange() : undefined);
  return ok(formatDate(toShanghai(parts)));
}

/**
 * A point in time as ISO 8601 with the Asia/Shanghai offset, '2024-03-05T14:30:00+08:00'. Takes
 * everything {@link parseDate} does plus times: 14:30, 14:30:15, 下午2:30, 2:30 PM, 14时30分,
 * 14点, and ISO forms with a zone (2024-03-05T06:30:00Z is converted). Times without a zone are
 * Asia/Shanghai; a date without a time is its midnight there.
 */
export function parseDateTime(input: string, options: DateOptions = {}): ParseResult<string> {
  if (normalizeText(input, 'code') === '') return ok(null);
  const read = readDateParts(input, options);
  if (typeof read === 'string') return fail(read, read === 'DATE_OUT_OF_RANGE' ? yearRange() : undefined);
  const parts = toShanghai(read);
  const millis = parts.millisecond > 0 ? `.${String(parts.millisecond).padStart(3, '0')}` : '';
  return ok(
    `${formatDate(parts)}T${two(parts.hour)}:${two(parts.minute)}:${two(parts.second)}${millis}+08:00`,
  );
}

function yearRange(): ValueParams {
  return { min: MIN_YEAR, max: MAX_YEAR };
}

// ---------------------------------------------------------------------------------------------
// Phones and emails

const SEPARATORS = /[,;/|、\n]+/;

/**
 * Phone numbers in one cell, split at ，、;/| or line breaks, or at spaces between complete
 * numbers (138 0013 8000 stays one number). Each is returned in the one stored form
 * (`normalizePhone`: E.164, +8613800138000); repeats are dropped. Each must be a Chinese
 * mobile, landline with area code or 400 number, or a foreign number with its country code.
 */
export function parsePhones(input: string, options: { max?: number } = {}): ParseResult<string[]> {
  const text = normalizeText(input.replace(/\r?\n/g, ';'), 'code');
  if (text === '') return ok(null);
  const phones: string[] = [];
  const seen = new Set<string>();
  for (const part of text.split(SEPARATORS)) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const numbers = splitPhoneTokens(trimmed);
    if (typeof numbers === 'string') return fail('PHONE_INVALID', { value: numbers });
    for (const phone of numbers) {
      const stored = normalizePhone(phone) as string;
      if (seen.has(stored)) continue;
      seen.add(stored);
      phones.push(stored);
    }
  }
  if (phones.length === 0) return ok(null);
  const max = options.max ?? 10;
  if (phones.length > max) return fail('PHONE_TOO_MANY', { max });
  return ok(phones);
}

/** A single phone number (the first when several are given). */
export function parsePhone(input: string): ParseResult<string> {
  const phones = parsePhones(input);
  if (!phones.ok) return phones;
  return ok(phones.value?.[0] ?? null);
}

/** Space-separated tokens grouped into valid numbers, shortest first; the bad token when none fits. */
function splitPhoneTokens(part: string): string[] | string {
  if (normalizePhone(part)) return [part];
  const tokens = part.split(' ');
  const numbers: string[] = [];
  let start = 0;
  while (start < tokens.length) {
    let end = start;
    let found: string | null = null;
    while (end < tokens.length) {
      const candidate = tokens.slice(start, end + 1).join(' ');
      if (normalizePhone(candidate)) {
        found = candidate;
        break;
      }
      end += 1;
    }
    if (found === null) return part;
    numbers.push(found);
    start = end + 1;
  }
  return numbers;
}

const emailSchema = z.email().max(254);

/** Email addresses in one cell, split at , ; 、 spaces or line breaks; lower-cased, validated. */
export function parseEmails(input: string, options: { max?: number } = {}): ParseResult<string[]> {
  const text = normalizeText(input, 'code');
  if (text === '') return ok(null);
  const emails: string[] = [];
  for (const part of text.split(/[,;、\s]+/)) {
    const email = part
      .replace(/^mailto:/i, '')
      .replace(/^<|>$/g, '')
      .toLowerCase();
    if (email === '') continue;
    if (!emailSchema.safeParse(email).success) return fail('EMAIL_INVALID', { value: part });
    if (!emails.includes(email)) emails.push(email);
  }
  if (emails.length === 0) return ok(null);
  const max = options.max ?? 10;
  if (emails.length > max) return fail('EMAIL_TOO_MANY', { max });
  return ok(emails);
}

/** A single email address (the first when several are given). */
export function parseEmail(input: string): ParseResult<string> {
  const emails = parseEmails(input);
  if (!emails.ok) return emails;
  return ok(emails.value?.[0] ?? null);
}

// ---------------------------------------------------------------------------------------------
// Booleans and choices

const TRUE_WORDS = new Set(['是', '对', '有', '真', 'y', 'yes', 'true', 't', '1', '√', '✓', '✔', 'on']);
const FALSE_WORDS = new Set([
  '否',
  '不是',
  '错',
  '无',
  '没有',
  '假',
  'n',
  'no',
  'false',
  'f',
  '0',
  '×',
  '✗',
  '✘',
  'off',
]);

/** Yes or no: 是/否, 对/错, 有/无, Y/N, yes/no, true/false (Excel's TRUE/FALSE), 1/0, √/×. */
export function parseBoolean(input: string): ParseResult<boolean> {
  const text = normalizeText(input, 'code').toLowerCase();
  if (text === '') return ok(null);
  if (TRUE_WORDS.has(text)) return ok(true);
  if (FALSE_WORDS.has(text)) return ok(false);
  return fail('BOOLEAN_INVALID');
}

/** A choice: its stored value, its labels in zh-CN and en, and other words people use for it. */
export type ChoiceOption = { value: string; zh?: string; en?: string; aliases?: readonly string[] };

/**
 * The option whose code, label (zh-CN or en) or alias matches the cell, ignoring case, width,
 * spaces and punctuation. A refusal lists the labels in `params.options`.
 */
export function parseEnum(input: string, options: readonly ChoiceOption[]): ParseResult<string> {
  const key = matchKey(input);
  if (key === '') return ok(null);
  for (const option of options) {
    const words = [option.value, option.zh, option.en, ...(option.aliases ?? [])];
    if (words.some((word) => word !== undefined && matchKey(word) === key)) return ok(option.value);
  }
  return fail('ENUM_INVALID', {
    options: options.map((option) => option.zh ?? option.en ?? option.value).join('、'),
  });
}

/** Several choices in one cell (a custom multi-choice field), split like {@link parseList}. */
export function parseEnums(input: string, options: readonly ChoiceOption[]): ParseResult<string[]> {
  const items = parseList(input);
  if (!items.ok || items.value === null) return items;
  const values: string[] = [];
  for (const item of items.value) {
    const value = parseEnum(item, options);
    if (!value.ok) return value;
    if (value.value !== null && !values.includes(value.value)) values.push(value.value);
  }
  return ok(values);
}

const CURRENCIES: Record<string, string> = {
  人民币: 'CNY',
  rmb: 'CNY',
  元: 'CNY',
  '¥': 'CNY',
  美元: 'USD',
  美金: 'USD',
  $: 'USD',
  us$: 'USD',
  港币: 'HKD',
  港元: 'HKD',
  hk$: 'HKD',
  欧元: 'EUR',
  '€': 'EUR',
  日元: 'JPY',
  円: 'JPY',
  英镑: 'GBP',
  '£': 'GBP',
  新台币: 'TWD',
  澳门币: 'MOP',
  新加坡元: 'SGD',
};

/** An ISO 4217 code from a code or a common name or symbol (人民币, 美元, ¥, US$). */
export function parseCurrency(input: string): ParseResult<string> {
  const text = normalizeText(input, 'code');
  if (text === '') return ok(null);
  if (/^[A-Za-z]{3}$/.test(text)) return ok(text.toUpperCase());
  const code = CURRENCIES[text.toLowerCase()];
  return code ? ok(code) : fail('CURRENCY_INVALID');
}

// ---------------------------------------------------------------------------------------------
// Identifiers (validated with the domain's check digits)

/** A resident identity card number (18 characters, region, birth date and check digit). */
export function parseNationalIdNumber(input: string): ParseResult<string> {
  const text = normalizeText(input, 'code').replace(/[\s-]/g, '');
  if (text === '') return ok(null);
  const result = parseNationalId(text);
  return result.ok ? ok(result.value) : fail('NATIONAL_ID_INVALID', { problem: result.problem });
}

/** A bank card number (12–19 digits, Luhn check digit); spaces and dashes dropped. */
export function parseBankCardNumber(input: string): ParseResult<string> {
  const text = normalizeText(input, 'code').replace(/[\s-]/g, '');
  if (text === '') return ok(null);
  const result = parseBankCard(text);
  return result.ok ? ok(result.value) : fail('BANK_CARD_INVALID', { problem: result.problem });
}

/** A unified social credit code (统一社会信用代码, GB 32100) with a valid check character. */
export function parseCreditCode(input: string): ParseResult<string> {
  const text = normalizeText(input, 'code');
  if (text === '') return ok(null);
  const code = normalizeCreditCode(text);
  return code ? ok(code) : fail('CREDIT_CODE_INVALID');
}

/** Money, by the name the schemas use for it: {@link parseAmount}. */
export const parseMoney = parseAmount;

/** Excel's serial day number (1900 date system) to a Date whose UTC fields are the wall-clock time. */
export function excelSerialToDate(serial: number): Date {
  // Day 0 is 1899-12-30 once Excel's phantom 1900-02-29 (serial 60) is behind us.
  const milliseconds = Math.round((serial - 25569) * 86_400_000);
  return new Date(milliseconds);
}
