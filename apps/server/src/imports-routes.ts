import {
  type ApiDependencies,
  openErrorReport,
  type RequestInfo,
  resolveLocale,
  uploadImportFile,
} from '@crm/api';
import type { Context, Hono } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import { clientIp } from './middleware/client-ip';
import { originCheck } from './middleware/origin-check';

export type ImportRoutesOptions = {
  dependencies: ApiDependencies;
  publicUrl: string;
  trustProxyHops: number;
  /** The largest file an upload may send. */
  maxBytes: number;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The request as the API sees it, with cookies set on `headers` — what /trpc builds, so the
 * session is resolved and refreshed exactly as for tRPC calls.
 */
function requestInfo(c: Context, options: ImportRoutesOptions, headers: Headers): RequestInfo {
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

function json(headers: Headers, status: number, body: unknown): Response {
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * POST /api/imports/files — the file as the raw body (`Content-Type:
 * application/octet-stream`, its name URI-encoded in `X-File-Name`), streamed into the
 * database; answers with the file id, format, headers, a preview and suggested mappings.
 * GET /api/imports/runs/:id/errors.csv — a run's error report.
 * Both authenticate with the session cookie through the same tenant procedures as /trpc
 * (permission customers.import); the upload passes the same CSRF check with the upload's
 * content type.
 */
export function mountImportRoutes(
  app: Hono<{ Variables: { requestId: string } }>,
  options: ImportRoutesOptions,
) {
  app.post(
    '/api/imports/files',
    originCheck({ allowedOrigins: [options.publicUrl], contentTypes: ['application/octet-stream'] }),
    async (c) => {
      const headers = new Headers({ 'Cache-Control': 'no-store' });
      const declared = Number(c.req.header('content-length') ?? '0');
      const request = requestInfo(c, options, headers);
      if (declared > options.maxBytes) {
        return json(headers, 413, {
          code: 'IMPORT_FILE_TOO_LARGE',
          message:
            request.locale === 'en'
              ? `The file is too large (at most ${Math.floor(options.maxBytes / 1048576)} MB)`
              : `文件过大，最大 ${Math.floor(options.maxBytes / 1048576)} MB`,
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
  );

  app.get('/api/imports/runs/:id/errors.csv', async (c) => {
    const headers = new Headers({ 'Cache-Control': 'no-store' });
    const request = requestInfo(c, options, headers);
    const runId = c.req.param('id');
    if (!UUID.test(runId)) return json(headers, 404, { code: 'IMPORT_RUN_NOT_FOUND', message: 'Not found' });
    const report = await openErrorReport(options.dependencies, request, runId);
    if (!report.ok) return json(headers, report.status, { code: report.code, message: report.message });
    const name = request.locale === 'en' ? 'import-errors.csv' : '导入错误报告.csv';
    headers.set('Content-Type', 'text/csv; charset=utf-8');
    headers.set(
      'Content-Disposition',
      `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    return new Response(report.body, { status: 200, headers });
  });
}
