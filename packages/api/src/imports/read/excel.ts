import { excelSerialToDate } from '@crm/domain';
import type ExcelJS from 'exceljs';

/** A cell's value as the text a user sees, with dates as ISO and numbers without float noise. */
export function cellText(value: ExcelJS.CellValue | undefined, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    // A formula whose cached result is an error comes back as NaN.
    if (!Number.isFinite(value)) return '';
    return numFmt && isDateFormat(numFmt) ? formatExcelDate(excelSerialToDate(value)) : formatNumber(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatExcelDate(value);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText.map((run) => run.text ?? '').join('');
    }
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null) return '';
      if (typeof result === 'object' && result !== null && 'error' in result) {
        return String((result as { error: unknown }).error);
      }
      return cellText(result as ExcelJS.CellValue, numFmt);
    }
    if ('error' in value) return String(value.error);
    if ('text' in value) {
      const text = (value as { text: unknown }).text;
      return typeof text === 'string' ? text : cellText(text as ExcelJS.CellValue, numFmt);
    }
  }
  return String(value);
}

/** Whether an Excel number format shows a date or time (d, m, y, h, s outside quotes and brackets). */
export function isDateFormat(format: string): boolean {
  const stripped = format
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '');
  if (/^general$/i.test(stripped.trim())) return false;
  return /[dmyhs]/i.test(stripped) && !/[0#?]/.test(stripped.replace(/\.0+/g, ''));
}

function pad(value: number, length = 2): string {
  return String(value).padStart(length, '0');
}

/** 'YYYY-MM-DD' for midnight, else 'YYYY-MM-DD HH:mm:ss' (the wall-clock time as written). */
export function formatExcelDate(date: Date): string {
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  const day = `${pad(rounded.getUTCFullYear(), 4)}-${pad(rounded.getUTCMonth() + 1)}-${pad(rounded.getUTCDate())}`;
  const hours = rounded.getUTCHours();
  const minutes = rounded.getUTCMinutes();
  const seconds = rounded.getUTCSeconds();
  if (hours === 0 && minutes === 0 && seconds === 0) return day;
  return `${day} ${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
}

/** A number as plain decimal text with at most 15 significant digits (no 0.30000000000000004, no 1e21). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const precise = Number(value.toPrecision(15));
  const text = String(precise);
  if (!/e/i.test(text)) return text;
  // Expand exponent notation by hand.
  const [mantissa = '0', exponentText = '0'] = text.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}
