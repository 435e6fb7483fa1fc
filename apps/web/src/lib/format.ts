import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** An instant's wall-clock time in the tenant's time zone (deadlines are set and read there), e.g. 14:05. */
export function formatTimeIn(iso: string, timeZone: string): string {
  return dayjs(iso).tz(timeZone).format('HH:mm');
}

/** An instant as a dayjs value in the tenant's time zone (hour() and minute() read its wall clock). */
export function inTimeZone(iso: string, timeZone: string): dayjs.Dayjs {
  return dayjs(iso).tz(timeZone);
}

/** A day ('2026-12-08') at a wall-clock time in the tenant's time zone, as an ISO instant. */
export function instantAt(day: string, hour: number, minute: number, timeZone: string): string {
  const clock = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return dayjs.tz(`${day} ${clock}`, 'YYYY-MM-DD HH:mm', timeZone).toISOString();
}

/** Date and time in the UI language's conventions, e.g. 2026-03-08 14:05. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD') : '';
}

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  CNY: '¥',
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  HKD: 'HK$',
};

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/** '1234567' → '1,234,567' (leading zeros dropped, '0' kept). */
function groupThousands(integer: string): string {
  return integer.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Money for display from the API's decimal string, e.g. ('1234567.5', 'CNY') → '¥1,234,567.50'.
 * Works on the digits as text: the amount never goes through a float. At least two decimals
 * are shown, more only when the value has them. Anything that is not a plain decimal is
 * returned as it came.
 */
export function formatMoney(value: string | number | null | undefined, currency = 'CNY'): string {
  if (value === null || value === undefined) return '';
  const text = String(value).trim();
  const match = DECIMAL.exec(text);
  if (!match) return text;
  const [, sign, integer = '0', decimals = ''] = match;
  const negative = sign === '-' && /[1-9]/.test(`${integer}${decimals}`);
  const symbol = CURRENCY_SYMBOLS[currency];
  const digits = `${groupThousands(integer)}.${decimals.padEnd(2, '0')}`;
  return `${negative ? '-' : ''}${symbol ?? `${currency} `}${digits}`;
}

/** A quantity from its decimal string without trailing zeros: '1500.000' → '1,500', '2.500' → '2.5'. */
export function formatQuantity(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const match = DECIMAL.exec(value.trim());
  if (!match) return value;
  const [, sign, integer = '0', decimals = ''] = match;
  const fraction = decimals.replace(/0+$/, '');
  return `${sign === '-' ? '-' : ''}${groupThousands(integer)}${fraction ? `.${fraction}` : ''}`;
}

/** The sign shown before an amount, e.g. 'CNY' → '¥'; the code itself for a currency without one here. */
export function currencySymbol(currency = 'CNY'): string {
  return CURRENCY_SYMBOLS[currency] ?? currency;
}
