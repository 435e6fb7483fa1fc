import type { Database, ExportRun, ExportRunsTable, Transaction } from '@crm/db';
import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import { appError, type ErrorCode, isErrorCode, translateError } from '../errors';
import type { Locale } from '../i18n';
import type { ExportRunOutput } from './exports.schemas';

/** Runs a member may have queued or running at once (each holds a database connection while it runs). */
export const MAX_RUNNING_EXPORTS = 3;

export function toRunOutput(run: ExportRun, locale: Locale): ExportRunOutput {
  const code = run.error_code;
  return {
    id: run.id,
    entity: run.entity,
    format: run.format,
    status: run.status,
    rowsDone: run.rows_done,
    rowsTotal: run.rows_total,
    fileName: run.file_name,
    fileSize: run.file_size === null ? null : Number(run.file_size),
    revealSensitive: run.reveal_sensitive,
    error: code ? translateError((isErrorCode(code) ? code : 'EXPORT_FAILED') as ErrorCode, locale) : null,
    createdAt: run.created_at.toISOString(),
    finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
    expiresAt: new Date(run.expires_at).toISOString(),
    downloadUrl: run.status === 'done' ? `/api/exports/${run.id}/file` : null,
  };
}

/** A run of the tenant that `userId` created (or any run, for a member who may see all). */
export async function findRun(
  trx: Transaction<Database>,
  tenantId: string,
  id: string,
  userId: string | null,
): Promise<ExportRun> {
  let query = trx
    .selectFrom('export_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (userId) query = query.where('created_by', '=', userId);
  const run = await query.executeTakeFirst();
  if (!run || run.status === 'expired' || new Date(run.expires_at).getTime() <= Date.now())
    throw appError('EXPORT_NOT_FOUND');
  return run;
}

export async function countActiveRuns(trx: Transaction<Database>, tenantId: string, userId: string) {
  const row = await trx
    .selectFrom('export_runs')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('tenant_id', '=', tenantId)
    .where('created_by', '=', userId)
    .where('status', 'in', ['queued', 'running'])
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** The member's own exports, newest first, not yet expired. */
export async function listRuns(trx: Transaction<Database>, tenantId: string, userId: string, limit: number) {
  return trx
    .selectFrom('export_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('created_by', '=', userId)
    .where('status', '<>', 'expired')
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Deletes the files of expired runs and marks them expired (the runs stay as a record of what
 * was exported, by whom and when). One tenant per call; the job walks the tenants.
 */
export async function pruneExpired(trx: Transaction<Database>, tenantId: string): Promise<number> {
  const expired = await trx
    .updateTable('export_runs')
    .set({ status: 'expired' })
    .where('tenant_id', '=', tenantId)
    .where('expires_at', '<=', sql<Date>`now()`)
    .where('status', '<>', 'expired')
    .returning('id')
    .execute();
  if (expired.length === 0) return 0;
  await trx
    .deleteFrom('export_file_chunks')
    .where('tenant_id', '=', tenantId)
    .where(
      'run_id',
      'in',
      expired.map((run) => run.id),
    )
    .execute();
  return expired.length;
}

/** A new export run, queued. */
export function insertRun(trx: Transaction<Database>, run: Insertable<ExportRunsTable>) {
  return trx.insertInto('export_runs').values(run).returningAll().executeTakeFirstOrThrow();
}
