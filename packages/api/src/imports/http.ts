import { z } from 'zod';
import { type ApiDependencies, createContext, type RequestInfo } from '../context';
import { AppError, httpStatusOf, translateError } from '../errors';
import type { Locale } from '../i18n';
import { createCallerFactory, permittedProcedure, router } from '../trpc';
import type { ImportErrorItem } from './imports.schemas';
import {
  errorReportSource,
  listErrors,
  readFileChunk,
  receiveUpload,
  type UploadInput,
} from './imports.service';
import { ImportReadError } from './read/errors';
import { openTable } from './read/table';
import {
  csvStream,
  REPORT_COLUMNS,
  REPORT_LABELS,
  type ReportFormat,
  reasonText,
  reportFileName,
  xlsxStream,
} from './report';

/**
 * The procedures behind the two HTTP routes (a file upload and a CSV download are not JSON
 * calls). They are tenant procedures like every other: the caller below runs them through
 * the same session check, tenant transaction and permission check as /trpc; they are not
 * part of the tRPC router.
 */
const httpRouter = router({
  upload: permittedProcedure('customers.import')
    .input(z.custom<UploadInput>((value) => typeof value === 'object' && value !== null))
    .mutation(({ ctx, input }) => receiveUpload(ctx.scope, input)),

  reportSource: permittedProcedure('customers.import')
    .input(z.object({ runId: z.uuid() }))
    .query(({ ctx, input }) => errorReportSource(ctx.scope, input.runId)),

  fileChunk: permittedProcedure('customers.import')
    .input(z.object({ fileId: z.uuid(), seq: z.number().int().min(0) }))
    .query(({ ctx, input }) => readFileChunk(ctx.scope, input.fileId, input.seq)),

  errorsPage: permittedProcedure('customers.import')
    .input(z.object({ runId: z.uuid(), cursor: z.string().nullable(), limit: z.number().int() }))
    .query(({ ctx, input }) => listErrors(ctx.scope, input.runId, input.cursor, input.limit)),
});

const createHttpCaller = createCallerFactory(httpRouter);

export type UploadResult = Awaited<ReturnType<ReturnType<typeof createHttpCaller>['upload']>>;
export type HttpFailure = { ok: false; status: number; code: string; message: string };

/** The REST edge's one mapping of an error value: its code's HTTP status and message. */
export function failure(error: unknown, locale: Locale): HttpFailure {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof AppError)
    return {
      ok: false,
      status: httpStatusOf(cause.code),
      code: cause.code,
      message: translateError(cause.code, locale, cause.params),
    };
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'BAD_REQUEST')
    return { ok: false, status: 400, code: 'BAD_REQUEST', message: translateError('INVALID_INPUT', locale) };
  throw error;
}

/** POST /api/imports/files: stores the body and answers with what the mapping step needs. */
export async function uploadImportFile(
  dependencies: ApiDependencies,
  request: RequestInfo,
  input: UploadInput,
): Promise<{ ok: true; result: UploadResult } | HttpFailure> {
  const caller = createHttpCaller(await createContext(dependencies, request));
  try {
    return { ok: true, result: await caller.upload(input) };
  } catch (error) {
    return failure(error, request.locale);
  }
}

/**
 * GET /api/imports/runs/:id/errors.csv and errors.xlsx: the rows that were not imported, as
 * the file had them, plus 行号 and 错误原因 (report.ts). The stored file is read again chunk
 * by chunk and merged with the run's errors in row order, each read its own short
 * transaction: memory stays flat however big the file. Once the file is gone (kept 7 days)
 * the report lists the errors instead: 行号, 列, 值, 错误原因.
 */
export async function openErrorReport(
  dependencies: ApiDependencies,
  request: RequestInfo,
  runId: string,
  format: ReportFormat = 'csv',
): Promise<{ ok: true; body: ReadableStream<Uint8Array>; fileName: string } | HttpFailure> {
  const caller = createHttpCaller(await createContext(dependencies, request));
  const locale = request.locale;
  let source: Awaited<ReturnType<typeof caller.reportSource>>;
  try {
    source = await caller.reportSource({ runId });
  } catch (error) {
    return failure(error, locale);
  }
  const lines = reportLines(caller, runId, source, locale);
  const labels = REPORT_LABELS[locale === 'en' ? 'en' : 'zh-CN'];
  return {
    ok: true,
    body: format === 'xlsx' ? xlsxStream(lines, labels.sheet) : csvStream(lines),
    fileName: reportFileName(source.fileName, format, locale),
  };
}

type HttpCaller = ReturnType<typeof createHttpCaller>;
type ReportSource = Awaited<ReturnType<HttpCaller['reportSource']>>;

/** The report's lines: its header, then each row with errors (see openErrorReport). */
async function* reportLines(
  caller: HttpCaller,
  runId: string,
  source: ReportSource,
  locale: Locale,
): AsyncGenerator<string[]> {
  const labels = REPORT_LABELS[locale === 'en' ? 'en' : 'zh-CN'];
  const errors = errorRows(caller, runId);
  const table = source.fileId ? await openStoredTable(caller, source) : null;
  if (!table) {
    yield [labels.row, labels.column, labels.value, labels.reason];
    for await (const row of errors)
      for (const item of row.items)
        yield [
          String(row.rowNumber),
          item.column,
          item.value ?? '',
          reasonText([{ ...item, column: '' }], locale),
        ];
    return;
  }
  const kept = table.headers.flatMap((header, index) => (REPORT_COLUMNS.has(header) ? [] : [index]));
  yield [...kept.map((index) => table.headers[index] ?? ''), labels.row, labels.reason];
  let next = await errors.next();
  for await (const row of table.rows) {
    if (next.done) break;
    if (row.rowNumber < next.value.rowNumber) continue;
    if (row.rowNumber === next.value.rowNumber) {
      yield [
        ...kept.map((index) => row.cells[index] ?? ''),
        String(row.rowNumber),
        reasonText(next.value.items, locale),
      ];
      next = await errors.next();
    }
  }
  // Errors of rows the file no longer yields (not expected): listed with their reasons.
  while (!next.done) {
    yield [...kept.map(() => ''), String(next.value.rowNumber), reasonText(next.value.items, locale)];
    next = await errors.next();
  }
}

async function openStoredTable(caller: HttpCaller, source: ReportSource) {
  const fileId = source.fileId as string;
  async function* bytes() {
    for (let seq = 0; seq < source.chunkCount; seq += 1) yield await caller.fileChunk({ fileId, seq });
  }
  try {
    return await openTable(bytes(), { fileName: source.fileName });
  } catch (error) {
    if (error instanceof ImportReadError) return null;
    throw error;
  }
}

/** A run's errors grouped by row, in row order, read 5,000 at a time. */
async function* errorRows(caller: HttpCaller, runId: string) {
  let cursor: string | null = null;
  let current: { rowNumber: number; items: ImportErrorItem[] } | null = null;
  do {
    const page: Awaited<ReturnType<HttpCaller['errorsPage']>> = await caller.errorsPage({
      runId,
      cursor,
      limit: 5000,
    });
    for (const item of page.items) {
      if (current && current.rowNumber !== item.rowNumber) {
        yield current;
        current = null;
      }
      current ??= { rowNumber: item.rowNumber, items: [] };
      current.items.push(item);
    }
    cursor = page.nextCursor;
  } while (cursor);
  if (current) yield current;
}
