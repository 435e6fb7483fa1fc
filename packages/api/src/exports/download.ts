import { hasPermission } from '@crm/auth';
import { type ApiDependencies, type RequestInfo, RequestSession } from '../context';
import { memberAccess } from '../customers/access';
import { AppError, type ErrorCode, translateError } from '../errors';
import { jobScope, type MemberScope } from '../scope';
import { openExportFile, readExportChunk } from './exports.service';

export type ExportDownload =
  | { ok: true; fileName: string; size: number; contentType: string; body: ReadableStream<Uint8Array> }
  | { ok: false; status: 401 | 403 | 404 | 409; code: ErrorCode; message: string };

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * An export's file for the HTTP download route. The request's session is resolved exactly as
 * for tRPC calls (RequestSession); the member needs `customers.export`, and sees only the
 * runs of their active tenant (RLS) that they created — owners and admins any of them
 * (exports.service decides which run and whether its file is ready; this edge maps its
 * errors to HTTP statuses). Chunks are read one short transaction each, so a slow download
 * holds no transaction open.
 */
export async function openExportDownload(
  dependencies: ApiDependencies,
  request: RequestInfo,
  runId: string,
): Promise<ExportDownload> {
  const refuse = (status: 401 | 403 | 404 | 409, code: ErrorCode): ExportDownload => ({
    ok: false,
    status,
    code,
    message: translateError(code, request.locale),
  });
  const auth = await new RequestSession(dependencies, request).resolve();
  const tenantId = auth?.session.active_tenant_id;
  if (!auth || !tenantId) return refuse(401, 'UNAUTHENTICATED');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(runId))
    return refuse(404, 'EXPORT_NOT_FOUND');
  const { database } = dependencies;
  const userId = auth.user.id;
  const opened = await database.withMember(tenantId, userId, async (trx, membership) => {
    if (!membership) return refuse(403, 'NOT_A_MEMBER');
    if (!hasPermission(membership.role, 'customers.export')) return refuse(403, 'FORBIDDEN');
    const scope: MemberScope = {
      trx,
      tenantId,
      userId,
      role: membership.role,
      access: memberAccess(userId, membership.teamId, membership.role),
      locale: request.locale,
    };
    try {
      return await openExportFile(scope, runId);
    } catch (error) {
      if (error instanceof AppError)
        return error.code === 'EXPORT_NOT_READY'
          ? refuse(409, 'EXPORT_NOT_READY')
          : refuse(404, 'EXPORT_NOT_FOUND');
      throw error;
    }
  });
  if ('ok' in opened) return opened;
  const { run, seqs } = opened;
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const seq = seqs[next];
      next += 1;
      if (seq === undefined) {
        controller.close();
        return;
      }
      const bytes = await database.withTenant(
        tenantId,
        (trx) => readExportChunk(jobScope(trx, tenantId), runId, seq),
        userId,
      );
      if (!bytes) {
        controller.error(new Error('An export chunk disappeared while it was downloaded'));
        return;
      }
      controller.enqueue(new Uint8Array(bytes));
    },
  });
  return {
    ok: true,
    fileName: run.file_name,
    size: Number(run.file_size ?? 0),
    contentType: CONTENT_TYPES[run.format],
    body,
  };
}

/** `attachment; filename="customers_2026-11-22.csv"; filename*=UTF-8''%E5%AE%A2…` (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
