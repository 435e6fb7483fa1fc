import { IMPORT_VALUE_MESSAGES, type ImportLocale, type ImportValueReason } from '@crm/domain';
import type { ReadErrorCode } from './errors';

export type { ImportLocale } from '@crm/domain';

type Messages = Record<ImportLocale, string>;

export { IMPORT_VALUE_MESSAGES, type ImportValueReason } from '@crm/domain';

/** Why a whole file cannot be read, by {@link ImportReadError} code. */
export const IMPORT_READ_MESSAGES = {
  FILE_EMPTY: { 'zh-CN': '文件是空的', en: 'The file is empty' },
  FILE_BINARY: {
    'zh-CN': '这不是 CSV 或 Excel 表格，看起来是{kind}。请上传 CSV 或 Excel（.xlsx）文件',
    en: 'This is not a CSV or Excel sheet; it looks like {kind}. Upload a CSV or Excel (.xlsx) file',
  },
  FILE_FORMAT_UNSUPPORTED: {
    'zh-CN': '不支持 .{extension} 文件，请上传 CSV 或 Excel（.xlsx）文件',
    en: '.{extension} files are not supported; upload a CSV or Excel (.xlsx) file',
  },
  FILE_XLS_UNSUPPORTED: {
    'zh-CN': '不支持旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再上传',
    en: 'Old Excel (.xls) files are not supported; save it as .xlsx or CSV in Excel or WPS and upload that',
  },
  FILE_NO_HEADER: { 'zh-CN': '文件中没有表头行', en: 'The file has no header row' },
  CSV_MALFORMED: {
    'zh-CN': 'CSV 文件在第 {row} 行附近格式有误（如引号未闭合），无法继续读取',
    en: 'The CSV file is malformed near row {row} (e.g. an unclosed quote) and cannot be read further',
  },
  XLSX_MALFORMED: {
    'zh-CN': 'Excel 文件已损坏或不是 .xlsx 格式',
    en: 'The Excel file is damaged or not in .xlsx format',
  },
  SHEET_NOT_FOUND: { 'zh-CN': '工作簿中没有工作表“{sheet}”', en: 'The workbook has no sheet "{sheet}"' },
  SHEET_EMPTY: { 'zh-CN': '工作表“{sheet}”是空的', en: 'The sheet "{sheet}" is empty' },
} as const satisfies Record<ReadErrorCode, Messages>;

/** A message with its placeholders filled. */
export function formatImportMessage(
  code: ImportValueReason | ReadErrorCode,
  locale: ImportLocale,
  params: Record<string, string | number> = {},
): string {
  const messages: Messages =
    code in IMPORT_VALUE_MESSAGES
      ? IMPORT_VALUE_MESSAGES[code as ImportValueReason]
      : IMPORT_READ_MESSAGES[code as ReadErrorCode];
  // A parameter may come in both languages: `{kind}` is filled from `kindEn` in English.
  return messages[locale].replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = locale === 'en' && params[`${key}En`] !== undefined ? params[`${key}En`] : params[key];
    return value === undefined ? whole : String(value);
  });
}
