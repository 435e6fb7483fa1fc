import { Readable } from 'node:stream';
import { normalizeHeader } from '@crm/domain';
import ExcelJS from 'exceljs';
import { binarySignature, binaryText } from './binary';
import { CsvSyntaxError, CsvTokenizer } from './csv';
import { decodeStream, detectEncoding, ENCODING_SAMPLE_BYTES, type TextEncodingName } from './encoding';
import { ImportReadError } from './errors';
import { cellText } from './excel';

/** Bytes of a file, or a function that opens them (called once per `openTable`). */
export type ByteSource = AsyncIterable<Uint8Array> | (() => AsyncIterable<Uint8Array>);

export type OpenTableOptions = {
  /** The uploaded file's name: its extension decides the format when the content does not. */
  fileName: string;
  /** For workbooks: the sheet by name or by 0-based position; the first sheet by default. */
  sheet?: string | number;
};

export type TableRow = {
  /** The row number the user sees in Excel (or a spreadsheet opening the CSV); the header row is usually 1. */
  rowNumber: number;
  /** One cell per header, as text: '' for an empty cell. */
  cells: string[];
  /** Non-empty cells beyond the last header (a ragged row); absent when there are none. */
  extraCells?: string[];
};

export type OpenedTable = {
  format: 'csv' | 'xlsx';
  /** CSV only: the detected text encoding. */
  encoding?: TextEncodingName;
  /** CSV only: the detected delimiter. */
  delimiter?: string;
  /** Header cells, trimmed (full-width letters and digits folded); '' for an unnamed column. */
  headers: string[];
  headerRowNumber: number;
  /** Workbooks only: every sheet's name in workbook order, and the one being read. */
  sheets?: string[];
  sheet?: string;
  /**
   * The data rows after the header, streamed: iterate once. Rows whose cells are all empty are
   * skipped (their numbers are not reused). Stopping early (break) releases the source.
   */
  rows: AsyncIterable<TableRow>;
};

const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * Opens an uploaded CSV or .xlsx file as a header and a stream of rows. Reads only as far as the
 * header before returning; the rows are read as they are iterated, so memory stays flat however
 * big the file is. Throws {@link ImportReadError} for a file that cannot be read at all.
 */
export async function openTable(source: ByteSource, options: OpenTableOptions): Promise<OpenedTable> {
  const iterable = typeof source === 'function' ? source() : source;
  const { head, rest, ended } = await peekBytes(iterable, ENCODING_SAMPLE_BYTES);
  if (head.length === 0) throw new ImportReadError('FILE_EMPTY');
  const signature = binarySignature(head);
  if (signature) throw new ImportReadError('FILE_BINARY', { kind: signature.zh, kindEn: signature.en });
  const format = detectFormat(head, options.fileName);
  if (format === 'xlsx') return openXlsx(replay(head, rest), options);
  // ASCII reads the same in every candidate encoding: when the first 64 KB are all ASCII (an
  // English header, numbers), look further, to the first other byte, before deciding.
  const sample = ended ? { head, rest, ended } : await peekPastAscii(head, rest);
  return openCsv(replay(sample.head, sample.rest), sample.head, sample.ended);
}

/** Far enough into a file to see its first non-ASCII bytes (bounded, to keep memory flat). */
export const MAX_ASCII_LOOKAHEAD_BYTES = 8 * 1024 * 1024;

async function peekPastAscii(head: Uint8Array, rest: AsyncIterator<Uint8Array>): Promise<Peeked> {
  const firstNonAscii = head.findIndex((byte) => byte >= 0x80);
  if (firstNonAscii !== -1) return { head, rest, ended: false };
  const chunks: Uint8Array[] = [head];
  let length = head.length;
  let wanted = MAX_ASCII_LOOKAHEAD_BYTES;
  let ended = false;
  while (length < wanted) {
    const next = await rest.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    if (wanted === MAX_ASCII_LOOKAHEAD_BYTES) {
      const index = next.value.findIndex((byte) => byte >= 0x80);
      if (index !== -1) wanted = Math.min(MAX_ASCII_LOOKAHEAD_BYTES, length + index + ENCODING_SAMPLE_BYTES);
    }
    length += next.value.length;
  }
  return { head: Buffer.concat(chunks, length), rest, ended };
}

function detectFormat(head: Uint8Array, fileName: string): 'csv' | 'xlsx' {
  // Content first: a renamed file still opens.
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new ImportReadError('FILE_XLS_UNSUPPORTED');
  }
  const extension = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase() ?? '';
  if (extension === 'xlsx' || extension === 'xlsm') {
    throw new ImportReadError('XLSX_MALFORMED');
  }
  if (extension === 'xls' || extension === 'et' || extension === 'numbers') {
    throw new ImportReadError('FILE_XLS_UNSUPPORTED');
  }
  if (['csv', 'txt', 'tsv', ''].includes(extension)) return 'csv';
  throw new ImportReadError('FILE_FORMAT_UNSUPPORTED', { extension });
}

type Peeked = { head: Uint8Array; rest: AsyncIterator<Uint8Array>; ended: boolean };

/** Reads at least `size` bytes (or the whole source when shorter) without losing the rest. */
async function peekBytes(source: AsyncIterable<Uint8Array>, size: number): Promise<Peeked> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    if (next.value.length === 0) continue;
    chunks.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(chunks, length), rest: iterator, ended };
}

async function* replay(head: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await rest.return?.();
  }
}

/** The cells as text; true when every one is empty. */
function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

type RawRow = { rowNumber: number; cells: string[] };

/**
 * Finds the header (the first row with a non-empty cell) and shapes the rows after it to the
 * header's width.
 */
async function splitHeader(
  raw: AsyncGenerator<RawRow>,
): Promise<{ headers: string[]; headerRowNumber: number; rows: AsyncIterable<TableRow> }> {
  let header: RawRow | null = null;
  for (;;) {
    const next = await raw.next();
    if (next.done) break;
    if (!isBlank(next.value.cells)) {
      header = next.value;
      break;
    }
  }
  if (!header) {
    await raw.return(undefined);
    throw new ImportReadError('FILE_NO_HEADER');
  }
  const headerCells = header.cells.map((cell) => normalizeHeader(cell));
  // Trailing unnamed columns (Excel's stray formatting) do not count.
  let width = headerCells.length;
  while (width > 0 && headerCells[width - 1] === '') width -= 1;
  const headers = headerCells.slice(0, width);

  async function* rows(): AsyncGenerator<TableRow> {
    try {
      for (;;) {
        const next = await raw.next();
        if (next.done) return;
        const { rowNumber, cells } = next.value;
        if (isBlank(cells)) continue;
        const shaped = cells.length === width ? cells : cells.slice(0, width);
        while (shaped.length < width) shaped.push('');
        const row: TableRow = { rowNumber, cells: shaped };
        if (cells.length > width) {
          const extra = cells.slice(width);
          if (!isBlank(extra)) row.extraCells = extra;
        }
        yield row;
      }
    } finally {
      await raw.return(undefined);
    }
  }
  return { headers, headerRowNumber: header.rowNumber, rows: rows() };
}

// ---------------------------------------------------------------------------------------------
// CSV

async function openCsv(
  bytes: AsyncGenerator<Uint8Array>,
  head: Uint8Array,
  ended: boolean,
): Promise<OpenedTable> {
  const encoding = detectEncoding(head, ended);
  const text = decodeStream(bytes, encoding);
  const { head: textHead, rest } = await peekText(text, 64 * 1024);
  const binary = binaryText(textHead);
  if (binary) throw new ImportReadError('FILE_BINARY', { kind: binary.zh, kindEn: binary.en });
  const delimiter = sniffDelimiter(textHead);
  const raw = readCsvRecords(replayText(textHead, rest), delimiter);
  const { headers, headerRowNumber, rows } = await splitHeader(raw);
  return { format: 'csv', encoding, delimiter, headers, headerRowNumber, rows };
}

async function peekText(
  source: AsyncGenerator<string>,
  size: number,
): Promise<{ head: string; rest: AsyncGenerator<string> }> {
  let head = '';
  while (head.length < size) {
    const next = await source.next();
    if (next.done) break;
    head += next.value;
  }
  return { head, rest: source };
}

async function* replayText(head: string, rest: AsyncGenerator<string>): AsyncGenerator<string> {
  try {
    // A byte order mark the decoder kept (a UTF-8 mark inside a GB18030 guess cannot happen, but
    // a doubled mark can) is not part of the first header.
    const first = head.startsWith('\uFEFF') ? head.slice(1) : head;
    if (first) yield first;
    yield* rest;
  } finally {
    await rest.return(undefined);
  }
}

/** Counts of `delimiter` per line outside quotes, for the first lines of a CSV text. */
function countPerLine(text: string, delimiter: string, maxLines: number): number[] {
  const counts: number[] = [];
  let count = 0;
  let quoted = false;
  let lineHasContent = false;
  for (let index = 0; index < text.length && counts.length < maxLines; index += 1) {
    const char = text[index];
    if (char === '"') {
      quoted = !quoted;
      lineHasContent = true;
    } else if (!quoted && (char === '\n' || char === '\r')) {
      if (lineHasContent) counts.push(count);
      count = 0;
      lineHasContent = false;
    } else if (!quoted && char === delimiter) {
      count += 1;
      lineHasContent = true;
    } else if (char !== ' ' && char !== '\t') {
      lineHasContent = true;
    }
  }
  // The last line of the sample may be cut off; use it only when it is all there is.
  if (lineHasContent && counts.length === 0) counts.push(count);
  return counts;
}

/**
 * The delimiter among , ; tab | that splits the first lines most consistently into more than one
 * column; a comma when none does.
 */
export function sniffDelimiter(sample: string): string {
  let best: { delimiter: string; score: number; columns: number } = { delimiter: ',', score: 0, columns: 0 };
  for (const delimiter of DELIMITERS) {
    const counts = countPerLine(sample, delimiter, 50);
    if (counts.length === 0) continue;
    const frequency = new Map<number, number>();
    for (const count of counts) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    let modeCount = 0;
    let modeLines = 0;
    for (const [count, lines] of frequency) {
      if (count > 0 && (lines > modeLines || (lines === modeLines && count > modeCount))) {
        modeCount = count;
        modeLines = lines;
      }
    }
    if (modeCount === 0) continue;
    const score = modeLines / counts.length;
    if (score > best.score || (score === best.score && modeCount > best.columns)) {
      best = { delimiter, score, columns: modeCount };
    }
  }
  return best.delimiter;
}

/** Every record of the CSV text, blank ones included, numbered as a spreadsheet shows them. */
async function* readCsvRecords(text: AsyncGenerator<string>, delimiter: string): AsyncGenerator<RawRow> {
  // Large cells are fine; a runaway quote swallowing the whole file is not.
  const tokenizer = new CsvTokenizer(delimiter, 1024 * 1024);
  let rowNumber = 0;
  try {
    for await (const chunk of text) {
      for (const cells of tokenizer.push(chunk)) {
        rowNumber += 1;
        yield { rowNumber, cells };
      }
    }
    for (const cells of tokenizer.end()) {
      rowNumber += 1;
      yield { rowNumber, cells };
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new ImportReadError('CSV_MALFORMED', { row: error.record, detail: error.kind }, { cause: error });
    }
    throw error;
  } finally {
    // Release the file now, not when the garbage collector gets round to it.
    await text.return(undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX

type WorkbookSheetModel = { id: number; name: string; state?: string };
type StreamWorkbookReader = InstanceType<typeof ExcelJS.stream.xlsx.WorkbookReader> & {
  model?: { sheets?: WorkbookSheetModel[] };
};
type StreamWorksheetReader = ExcelJS.stream.xlsx.WorksheetReader & {
  name?: string;
  iterator?: { destroy?: () => void };
};

async function openXlsx(bytes: AsyncGenerator<Uint8Array>, options: OpenTableOptions): Promise<OpenedTable> {
  const input = Readable.from(
    (async function* () {
      for await (const chunk of bytes) {
        yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    })(),
  );
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell dates from numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as StreamWorkbookReader;

  const state: { sheets: string[]; sheet: string | null } = { sheets: [], sheet: null };
  const raw = readXlsxRows(workbook, input, options.sheet, state);
  let split: Awaited<ReturnType<typeof splitHeader>>;
  try {
    split = await splitHeader(raw);
  } catch (error) {
    if (error instanceof ImportReadError && error.code === 'FILE_NO_HEADER' && state.sheet !== null) {
      throw new ImportReadError('SHEET_EMPTY', { sheet: state.sheet });
    }
    throw error;
  }
  return {
    format: 'xlsx',
    headers: split.headers,
    headerRowNumber: split.headerRowNumber,
    sheets: state.sheets,
    sheet: state.sheet ?? undefined,
    rows: split.rows,
  };
}

async function* readXlsxRows(
  workbook: StreamWorkbookReader,
  input: Readable,
  wanted: string | number | undefined,
  state: { sheets: string[]; sheet: string | null },
): AsyncGenerator<RawRow> {
  let found = false;
  try {
    for await (const worksheet of workbook as AsyncIterable<StreamWorksheetReader>) {
      const models =
        (workbook as unknown as { model?: { sheets?: WorkbookSheetModel[] } }).model?.sheets ?? [];
      state.sheets = models.map((sheet) => sheet.name);
      const target =
        typeof wanted === 'number'
          ? models[wanted]?.name
          : typeof wanted === 'string'
            ? models.find((sheet) => sheet.name === wanted)?.name
            : // The first sheet the user can see (a hidden first sheet holds lookup lists).
              (models.find((sheet) => sheet.state === undefined || sheet.state === 'visible') ?? models[0])
                ?.name;
      if (target === undefined && models.length > 0) {
        throw new ImportReadError('SHEET_NOT_FOUND', { sheet: String(wanted) });
      }
      // Without a workbook part (never written by Excel) the first sheet in the file is read.
      if (target !== undefined && worksheet.name !== target) {
        worksheet.iterator?.destroy?.();
        continue;
      }
      found = true;
      state.sheet = worksheet.name ?? target ?? 'Sheet1';
      let expected = 1;
      for await (const row of worksheet) {
        // Rows Excel left out are empty rows; report them so the numbering stays right.
        while (expected < row.number) {
          yield { rowNumber: expected, cells: [] };
          expected += 1;
        }
        yield { rowNumber: row.number, cells: rowCells(row) };
        expected = row.number + 1;
      }
      return;
    }
  } catch (error) {
    if (error instanceof ImportReadError) throw error;
    throw new ImportReadError('XLSX_MALFORMED', {}, { cause: error });
  } finally {
    input.destroy();
  }
  if (!found) {
    throw new ImportReadError(wanted === undefined ? 'FILE_NO_HEADER' : 'SHEET_NOT_FOUND', {
      sheet: String(wanted ?? ''),
    });
  }
}

function rowCells(row: ExcelJS.Row): string[] {
  const cells: string[] = [];
  const count = row.cellCount;
  for (let column = 1; column <= count; column += 1) {
    const cell = row.getCell(column);
    cells.push(cellText(cell.value, cell.numFmt));
  }
  return cells;
}
