import { type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { normalizePhoneKey } from '../dedup/phone';

/**
 * Phone numbers in ONE stored form, whichever way they came in (form, import, contacts, API):
 * E.164 (`+8613812345678`, `+8657187558212`, `+14155550100`), an extension kept after
 * `;ext=` (RFC 3966: `+861012345678;ext=123`). Parsing and formatting are libphonenumber-js's
 * (Google's metadata); a Chinese number must also be a real mobile (1[3-9] and 9 digits), a
 * landline with its area code (010 / 02x and 8 digits, other area codes 7 or 8) or a 400/800
 * number — the same rule as the duplicate match key (`normalizePhoneKey`), so a stored phone
 * always has a key. A number without a country code is read as Chinese.
 */

/** An extension written after 转, 分机, ext, x or # (or as a trailing group: 010-12345678-123). */
const EXTENSION_MARKER = /^(.*?[0-9)])[ \t]*(?:转|分机|;ext=|ext\.?|x|#)[ \t]*([0-9]{1,6})[ \t]*$/i;
const TRAILING_GROUP = /^(.*[0-9])[ \t]*-[ \t]*([0-9]{1,6})$/;

function halfWidth(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .trim();
}

function parsed(text: string): PhoneNumber | null {
  const number = parsePhoneNumberFromString(text, 'CN');
  if (!number) return null;
  if (number.countryCallingCode === '86') {
    // libphonenumber's small metadata checks lengths only: the Chinese rule decides.
    const national = number.nationalNumber;
    const key =
      /^1[3-9][0-9]{9}$/.test(national) || /^[48]00[0-9]{7}$/.test(national) ? national : `0${national}`;
    return normalizePhoneKey(key) === key ? number : null;
  }
  return number.isValid() ? number : null;
}

/**
 * The stored form of a phone number, or null when it is not one (too short, a local number
 * without area code, letters, two numbers in one field).
 */
export function normalizePhone(input: string | null | undefined): string | null {
  if (input == null) return null;
  const text = halfWidth(input);
  if (text === '') return null;
  let main = text;
  let extension: string | null = null;
  const marked = EXTENSION_MARKER.exec(text);
  if (marked) {
    main = marked[1] as string;
    extension = marked[2] as string;
  }
  if (!/^[+0-9 ().-]+$/.test(main)) return null;
  let number = parsed(main);
  if (!number && !extension) {
    const trailing = TRAILING_GROUP.exec(text);
    if (trailing) {
      number = parsed(trailing[1] as string);
      if (number) extension = trailing[2] as string;
    }
  }
  if (!number) return null;
  // The duplicate key of what was typed must be the stored number's (an ambiguous 86 prefix
  // before a landline, 86028…, is refused rather than guessed).
  if (normalizePhoneKey(text) !== normalizePhoneKey(number.number)) return null;
  return extension ? `${number.number};ext=${extension}` : number.number;
}

/**
 * How a stored phone is shown: Chinese mobiles `138 1234 5678`, landlines `0571-8755 8212`
 * (`010-1234 5678`), 400 numbers `400 810 8888`, other countries `+1 415 555 0100`; an
 * extension as ` 转 123` (zh) or ` ext. 123` (en). Anything that does not parse (an old value
 * kept as it was written) is shown as it is.
 */
export function formatPhone(stored: string | null | undefined, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (!stored) return '';
  const [main = '', ...parameters] = stored.split(';');
  const extension = parameters.find((part) => part.startsWith('ext='))?.slice(4) ?? null;
  if (!/^\+[1-9][0-9]{6,14}$/.test(main)) return stored;
  const number = parsePhoneNumberFromString(main);
  if (!number) return stored;
  const shown =
    number.countryCallingCode === '86'
      ? chineseNational(number.nationalNumber)
      : number.formatInternational();
  if (!extension) return shown;
  return locale === 'en' ? `${shown} ext. ${extension}` : `${shown} 转 ${extension}`;
}

/**
 * A Chinese number as it is written at home (the same rule as `crm_format_phone` in SQL, which
 * exports use): mobiles 3-4-4, 400/800 numbers 3-3-4, landlines with the trunk 0, the area code
 * joined by a dash and the local number in two groups (0571-8755 8212, 010-1234 5678,
 * 0755-123 4567). libphonenumber's small metadata formats some area codes as unknown.
 */
function chineseNational(national: string): string {
  if (/^1[3-9][0-9]{9}$/.test(national))
    return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
  if (/^[48]00[0-9]{7}$/.test(national))
    return `${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`;
  const area = /^(10|2[0-9])/.test(national) ? 2 : 3;
  const local = national.slice(area);
  const split = local.length - 4;
  return `0${national.slice(0, area)}-${local.slice(0, split)} ${local.slice(split)}`;
}

/**
 * @deprecated The old name: validates like {@link normalizePhone} and returns the stored form.
 */
export const normalizeChinesePhone = (input: string): string | null => normalizePhone(input);
