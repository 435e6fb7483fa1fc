import { z } from 'zod';
import { type ApiDependencies, createContext, type RequestInfo } from '../context';
import { AppError, appError, httpStatusOf, translateError } from '../errors';
import type { Locale } from '../i18n';
import { createCallerFactory, permittedProcedure, router } from '../trpc';
import { listErrors, receiveUpload, type UploadInput } from './imports.service';

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
 * GET /api/imports/runs/:id/errors.csv: the error report as CSV with a UTF-8 BOM (Excel
 * opens Chinese correctly), read page by page (each page its own short transaction).
 */
export async function openErrorReport(
  dependencies: ApiDependencies,
  request: RequestInfo,
  runId: string,
): Promise<{ ok: true; body: ReadableStream<Uint8Array> } | HttpFailure> {
  const caller = createHttpCaller(await createContext(dependencies, request));
  const locale = request.locale;
  let first: Awaited<ReturnType<typeof caller.errorsPage>>;
  try {
    first = await caller.errorsPage({ runId, cursor: null, limit: 5000 });
  } catch (error) {
    return failure(error, locale);
  }
  const encoder = new TextEncoder();
  const header = locale === 'en' ? ['Row', 'Column', 'Value', 'Reason'] : ['行号', '列', '值', '原因'];
  let page: typeof first | null = first;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${header.join(',')}\r\n`));
      }
      if (!page) {
        controller.close();
        return;
      }
      const lines = page.items.map(
        (item) =>
          `${[String(item.rowNumber), item.column, item.value ?? '', item.message].map(csvCell).join(',')}\r\n`,
      );
      controller.enqueue(encoder.encode(lines.join('')));
      page = page.nextCursor
        ? await caller.errorsPage({ runId, cursor: page.nextCursor, limit: 5000 })
        : null;
    },
  });
  return { ok: true, body };
}

/** One CSV cell: quoted when needed; a leading = + - @ is defused (formula injection). */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
