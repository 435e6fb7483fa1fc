import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '../i18n';

/**
 * The error file of an import run: the rows that were not imported, exactly as the file had
 * them (every column, in the file's order, under the file's headers), with two columns added
 * on the right — 行号 (the row's number in the uploaded file) and 错误原因 (every reason, each
 * after its column's header). Fixed in Excel and uploaded again, it imports: the two added
 * columns are not mapped, and a report's own 行号 / 错误原因 columns are replaced, not doubled.
 * CSV is UTF-8 with a BOM (Excel opens Chinese correctly; any text survives, which GBK would
 * not promise); Excel writes every cell as text, so long digit strings (phones, credit codes,
 * bank numbers, IDs) never turn into 1.23E+17.
 */

export type ReportFormat = 'csv' | 'xlsx';

export const REPORT_LABELS = {
  'zh-CN': {
    row: '行号',
    reason: '错误原因',
    column: '列',
    value: '值',
    sheet: '未导入的行',
    suffix: '错误行',
  },
  en: {
    row: 'Row',
    reason: 'Error',
    column: 'Column',
    value: 'Value',
    sheet: 'Rows not imported',
    suffix: 'errors',
  },
} as const;

/** Headers a report adds (in either language): dropped from a re-uploaded report's columns. */
export const REPORT_COLUMNS = new Set<string>([
  REPORT_LABELS['zh-CN'].row,
  REPORT_LABELS['zh-CN'].reason,
  REPORT_LABELS.en.row,
  REPORT_LABELS.en.reason,
]);

/** A row's errors as one cell: "手机：格式不正确；邮箱：…" (a whole-row error without a column). */
export function reasonText(errors: { column: string; message: string }[], locale: Locale): string {
  const en = locale === 'en';
  return errors
    .map((error) => (error.column ? `${error.column}${en ? ': ' : '：'}${error.message}` : error.message))
    .join(en ? '; ' : '；');
}

/** The report's download name: the uploaded file's name with "-错误行" and the format's extension. */
export function reportFileName(fileName: string, format: ReportFormat, locale: Locale): string {
  const base = fileName.replace(/\.[^./\\]{1,5}$/, '') || 'import';
  return `${base}-${REPORT_LABELS[locale === 'en' ? 'en' : 'zh-CN'].suffix}.${format}`;
}

/**
 * One CSV cell. A value that Excel would run as a formula (= or @ first, or + / - before
 * anything but a digit, space or bracket) gets a leading apostrophe; phones (+86 …) and
 * negative amounts stay as they are, so the file imports again unchanged.
 */
export function csvCell(value: string): string {
  const safe = /^[=@\t\r]/.test(value) || /^[+-](?![\d\s(])/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Lines of cells as a UTF-8 CSV with a BOM, pulled a few hundred lines at a time. */
export function csvStream(lines: AsyncIterable<string[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = lines[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = started ? '' : '\uFEFF';
      started = true;
      for (let count = 0; count < 500; count += 1) {
        const next = await iterator.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += `${next.value.map(csvCell).join(',')}\r\n`;
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/**
 * Lines of cells as an .xlsx workbook through ExcelJS's streaming writer (rows committed as
 * they come). Every cell is a string and every column is formatted as text (@), so Excel
 * keeps 13800138000 and 91330100MA27XYZ12X as typed, also when a cell is edited.
 */
export function xlsxStream(lines: AsyncIterable<string[]>, sheetName: string): ReadableStream<Uint8Array> {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const write = async () => {
    let header = true;
    for await (const line of lines) {
      if (header) {
        sheet.columns = line.map((title, index) => ({
          key: `c${index}`,
          width: Math.min(40, Math.max(12, title.length * 2 + 4)),
          style: { numFmt: '@' },
        }));
      }
      const row = sheet.addRow(line.map((cell) => String(cell)));
      if (header) row.font = { bold: true };
      row.eachCell({ includeEmpty: true }, (cell) => {
        cell.numFmt = '@';
      });
      row.commit();
      header = false;
      // Let the reader catch up: the zip is written into `output` as rows are committed.
      if (output.writableNeedDrain) await new Promise((resolve) => output.once('drain', resolve));
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) =>
    output.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return Readable.toWeb(output) as ReadableStream<Uint8Array>;
}
