import {
  type ApiDependencies,
  contentDisposition,
  downloadTicketAttachment,
  openErrorReport,
  openExportDownload,
  openImportTemplate,
  REST_ROUTES,
  type RequestInfo,
  type RestRouteId,
  resolveLocale,
  TICKET_ATTACHMENT_MAX_BYTES,
  translateError,
  uploadImportFile,
  uploadTicketAttachment,
} from '@crm/api';
import type { Context, Hono } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import { clientIp } from './middleware/client-ip';
import { originCheck } from './middleware/origin-check';

export type RestRoutesOptions = {
  dependencies: ApiDependencies;
  publicUrl: string;
  trustProxyHops: number;
  /** The largest file an upload may send. */
  maxBytes: number;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One REST route's work, once the common door (below) has let the request in. */
type Handler = (
  c: Context,
  request: RequestInfo,
  headers: Headers,
  options: RestRoutesOptions,
) => Promise<Response>;

function json(headers: Headers, status: number, body: unknown): Response {
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * The request as the API sees it, with cookies set on `headers` — what /trpc builds, so the
 * session is resolved and refreshed exactly as for tRPC calls.
 */
function requestInfo(c: Context, options: RestRoutesOptions, headers: Headers): RequestInfo {
  const { sessionCookie } = options.dependencies;
  return {
    requestId: c.get('requestId') as string,
    sessionToken: getCookie(c, sessionCookie.name) ?? null,
    clientIp: clientIp(c, options.trustProxyHops),
    locale: resolveLocale(c.req.header('x-locale'), c.req.header('accept-language')),
    idempotencyKey: null,
    setSessionCookie: (token, expiresAt) =>
      headers.append(
        'Set-Cookie',
        generateCookie(sessionCookie.name, token, { ...sessionCookie.attributes, expires: expiresAt }),
      ),
    clearSessionCookie: () =>
      headers.append(
        'Set-Cookie',
        generateCookie(sessionCookie.name, '', { ...sessionCookie.attributes, maxAge: 0 }),
      ),
  };
}

async function errorReport(
  c: Context,
  request: RequestInfo,
  headers: Headers,
  options: RestRoutesOptions,
  format: 'csv' | 'xlsx',
): Promise<Response> {
  const report = await openErrorReport(options.dependencies, request, c.req.param('id') as string, format);
  if (!report.ok) return json(headers, report.status, { code: report.code, message: report.message });
  headers.set(
    'Content-Type',
    format === 'csv'
      ? 'text/csv; charset=utf-8'
      : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  headers.set('Content-Disposition', contentDisposition(report.fileName));
  return new Response(report.body, { status: 200, headers });
}

/** The body, up to `maxBytes`; null when it is larger. */
async function readBody(c: Context, maxBytes: number): Promise<Uint8Array | null> {
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The handlers, one per route of the registry (a route without one does not compile). */
const HANDLERS: Record<RestRouteId, Handler> = {
  /**
   * POST /api/imports/files — the file as the raw body (`Content-Type:
   * application/octet-stream`, its name URI-encoded in `X-File-Name`), streamed into the
   * database; answers with the file id, format, headers, a preview and suggested mappings.
   */
  'imports.upload': async (c, request, headers, options) => {
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > options.maxBytes) {
      const megabytes = Math.floor(options.maxBytes / 1048576);
      return json(headers, 413, {
        code: 'IMPORT_FILE_TOO_LARGE',
        message:
          request.locale === 'en'
            ? `The file is too large (at most ${megabytes} MB)`
            : `文件过大，最大 ${megabytes} MB`,
      });
    }
    let fileName = 'import.csv';
    try {
      fileName = decodeURIComponent(c.req.header('x-file-name') ?? fileName);
    } catch {
      // A malformed name is replaced, not refused.
    }
    const stream = c.req.raw.body;
    const body: AsyncIterable<Uint8Array> = stream ?? (async function* () {})();
    const outcome = await uploadImportFile(options.dependencies, request, {
      fileName,
      body,
      maxBytes: options.maxBytes,
    });
    if (!outcome.ok) return json(headers, outcome.status, { code: outcome.code, message: outcome.message });
    return json(headers, 201, outcome.result);
  },

  /** GET /api/imports/runs/:id/errors.csv — the rows not imported, with 行号 and 错误原因 (CSV). */
  'imports.errorReport': (c, request, headers, options) => errorReport(c, request, headers, options, 'csv'),

  /** GET /api/imports/runs/:id/errors.xlsx — the same as an Excel workbook (every cell text). */
  'imports.errorWorkbook': (c, request, headers, options) =>
    errorReport(c, request, headers, options, 'xlsx'),

  /**
   * GET /api/imports/template?kind=customers|orders|interactions&format=csv|xlsx&locale=zh-CN|en —
   * an import template with example rows.
   */
  'imports.template': async (c, request, headers, options) => {
    const template = await openImportTemplate(options.dependencies, request, c.req.query());
    if (!template.ok)
      return json(headers, template.status, { code: template.code, message: template.message });
    headers.set('Content-Type', template.file.contentType);
    headers.set('Content-Length', String(template.file.bytes.byteLength));
    headers.set('Content-Disposition', contentDisposition(template.file.fileName));
    return new Response(template.file.bytes, { status: 200, headers });
  },

  /**
   * POST /api/tickets/:id/attachments — a file for a ticket the member works, as the raw body
   * (`application/octet-stream`, its name URI-encoded in `X-File-Name`), at most 10 MB; its
   * type is read from its first bytes, never from the name or the header.
   */
  'tickets.attach': async (c, request, headers, options) => {
    const tooLarge = () =>
      json(headers, 413, {
        code: 'TICKET_ATTACHMENT_TOO_LARGE',
        message: translateError('TICKET_ATTACHMENT_TOO_LARGE', request.locale, {
          megabytes: TICKET_ATTACHMENT_MAX_BYTES / 1048576,
        }),
      });
    if (Number(c.req.header('content-length') ?? '0') > TICKET_ATTACHMENT_MAX_BYTES) return tooLarge();
    const bytes = await readBody(c, TICKET_ATTACHMENT_MAX_BYTES);
    if (!bytes) return tooLarge();
    let fileName = 'attachment';
    try {
      fileName = decodeURIComponent(c.req.header('x-file-name') ?? fileName);
    } catch {
      // A malformed name is replaced, not refused.
    }
    const outcome = await uploadTicketAttachment(options.dependencies, request, {
      ticketId: c.req.param('id') as string,
      fileName,
      bytes,
    });
    if (!outcome.ok) return json(headers, outcome.status, { code: outcome.code, message: outcome.message });
    return json(headers, 201, outcome.result);
  },

  /** GET /api/tickets/attachments/:id — a ticket's file, as an attachment (never rendered inline). */
  'tickets.attachment': async (c, request, headers, options) => {
    const outcome = await downloadTicketAttachment(
      options.dependencies,
      request,
      c.req.param('id') as string,
    );
    if (!outcome.ok) return json(headers, outcome.status, { code: outcome.code, message: outcome.message });
    headers.set('Content-Type', outcome.file.contentType);
    headers.set('Content-Length', String(outcome.file.bytes.byteLength));
    headers.set('Content-Disposition', contentDisposition(outcome.file.fileName));
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(outcome.file.bytes, { status: 200, headers });
  },

  /** GET /api/exports/:id/file — an export's file, streamed from the database. */
  'exports.file': async (c, request, headers, options) => {
    const download = await openExportDownload(options.dependencies, request, c.req.param('id') as string);
    if (!download.ok)
      return json(headers, download.status, { code: download.code, message: download.message });
    headers.set('Content-Type', download.contentType);
    headers.set('Content-Length', String(download.size));
    headers.set('Content-Disposition', contentDisposition(download.fileName));
    return new Response(download.body, { status: 200, headers });
  },
};

/**
 * Mounts every route of the registry (REST_ROUTES in @crm/api) through one door: a POST
 * passes the CSRF check with its declared content type; an `:id` that is not a UUID answers
 * 404 before anything else; every answer is no-store; the handler authenticates with the
 * session cookie through the tenant procedures of the API.
 */
export function mountRestRoutes(app: Hono<{ Variables: { requestId: string } }>, options: RestRoutesOptions) {
  for (const route of REST_ROUTES) {
    const handler = HANDLERS[route.id];
    const door = async (c: Context) => {
      const headers = new Headers({ 'Cache-Control': 'no-store' });
      const id = c.req.param('id');
      const request = requestInfo(c, options, headers);
      if (id !== undefined && !UUID.test(id)) {
        const code = 'notFound' in route ? route.notFound : 'NOT_FOUND';
        const message = 'notFound' in route ? translateError(route.notFound, request.locale) : 'Not found';
        return json(headers, 404, { code, message });
      }
      return handler(c, request, headers, options);
    };
    if (route.method === 'POST') {
      const contentType = 'contentType' in route ? route.contentType : 'application/json';
      app.post(
        route.path,
        originCheck({ allowedOrigins: [options.publicUrl], contentTypes: [contentType] }),
        door,
      );
    } else {
      app.get(route.path, door);
    }
  }
}
