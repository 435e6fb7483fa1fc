import { hasPermission } from '@crm/auth';
import type { ExportRun } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { sortSpecOf } from '../customers/list-query';
import { appError, type ErrorCode, isErrorCode, translateError } from '../errors';
import type { Locale } from '../i18n';
import type { MemberScope, Scope } from '../scope';
import {
  compileCustomerFilters,
  countActiveRuns,
  countTenantActiveRuns,
  insertRun,
  pruneExpiredRuns,
  selectChunk,
  selectChunkSeqs,
  selectDefinitionsByKey,
  selectRun,
  selectRuns,
} from './exports.repository';
import type { CreateExportInput, ExportRunOutput } from './exports.schemas';
import { ENTITY_FILE_NAMES } from './labels';

/**
 * The use cases of exports a member asks for: queue one, follow it, list them, download the
 * file. The file itself is built by the `exports.run` job (run-export.ts).
 */

/** Runs a member may have queued or running at once (each holds a database connection while it runs). */
export const MAX_RUNNING_EXPORTS = 3;
/** Exports a tenant may have queued or running at once, all members together. */
export const MAX_TENANT_RUNNING_EXPORTS = 6;

/** The job that builds a run's file (exports.jobs.ts registers it). */
export type ExportRunJobs = { 'exports.run': { tenantId: string; runId: string } };

/** Owners and admins may open any export of the tenant; everyone else only their own. */
export const seesAllExports = (role: string) => role === 'owner' || role === 'admin';

function toRunOutput(run: ExportRun, locale: Locale): ExportRunOutput {
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

/** 客户_2026-11-22.csv: the list's name and the day in Beijing time. */
function fileNameFor(entity: keyof typeof ENTITY_FILE_NAMES, format: string, locale: 'zh-CN' | 'en') {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return `${ENTITY_FILE_NAMES[entity][locale]}_${day}.${format}`;
}

/** A run the member may open (their own, or any for an owner or admin), not expired. */
async function runOrThrow(scope: MemberScope, id: string): Promise<ExportRun> {
  const run = await selectRun(scope, id, seesAllExports(scope.role) ? null : scope.userId);
  if (!run || run.status === 'expired' || new Date(run.expires_at).getTime() <= Date.now())
    throw appError('EXPORT_NOT_FOUND');
  return run;
}

/**
 * Queues an export of a list as it is filtered, sorted and shown; the job builds the file.
 * Revealing sensitive values needs `sensitive.reveal` and is audited per customer by the job.
 */
export async function createExport(
  scope: MemberScope,
  jobs: JobQueue<ExportRunJobs>,
  input: CreateExportInput,
): Promise<ExportRunOutput> {
  const revealSensitive = input.entity === 'customers' && input.revealSensitive;
  if (revealSensitive && !hasPermission(scope.role, 'sensitive.reveal')) throw appError('FORBIDDEN');
  const userId = scope.userId;
  const running = await countActiveRuns(scope, userId);
  if (running >= MAX_RUNNING_EXPORTS) throw appError('EXPORT_TOO_MANY_RUNNING', { count: running });
  // A fair share of the export workers per tenant (SECURITY.md T5.9): one tenant's many members
  // cannot queue exports without end ahead of every other tenant's.
  const tenantRunning = await countTenantActiveRuns(scope);
  if (tenantRunning >= MAX_TENANT_RUNNING_EXPORTS)
    throw appError('EXPORT_TENANT_TOO_MANY_RUNNING', { count: tenantRunning });
  let sort = {};
  if (input.entity === 'customers') {
    // Refused now, with a message, rather than failing in the job: unknown custom fields
    // in the filters or sort.
    const definitions = await selectDefinitionsByKey(scope);
    sortSpecOf(input.sort.sort, definitions);
    compileCustomerFilters(scope, input.filters, definitions);
    sort = input.sort;
  }
  if (input.entity === 'leads') sort = input.sort;
  const run = await insertRun(scope, {
    entity: input.entity,
    format: input.format,
    locale: scope.locale,
    filters: JSON.stringify(input.filters),
    columns: JSON.stringify(input.columns),
    sort: JSON.stringify(sort),
    reveal_sensitive: revealSensitive,
    file_name: fileNameFor(input.entity, input.format, scope.locale),
    created_by: userId,
  });
  await jobs.enqueue(
    'exports.run',
    { tenantId: scope.tenantId, runId: run.id },
    { trx: scope.trx, id: run.id, retryLimit: 2, expireInSeconds: 60 * 60 },
  );
  return toRunOutput(run, scope.locale);
}

export async function getExport(scope: MemberScope, id: string): Promise<ExportRunOutput> {
  return toRunOutput(await runOrThrow(scope, id), scope.locale);
}

/** The member's own recent exports (files are kept 24 hours). */
export async function listExports(scope: MemberScope, limit: number): Promise<ExportRunOutput[]> {
  const runs = await selectRuns(scope, scope.userId, limit);
  return runs.map((run) => toRunOutput(run, scope.locale));
}

/** A finished run's file: the run and its chunks' numbers, in order (EXPORT_NOT_READY before it is done). */
export async function openExportFile(
  scope: MemberScope,
  id: string,
): Promise<{ run: ExportRun; seqs: number[] }> {
  const run = await runOrThrow(scope, id);
  if (run.status !== 'done') throw appError('EXPORT_NOT_READY');
  return { run, seqs: await selectChunkSeqs(scope, id) };
}

/** One chunk of a run's file (read in a short transaction of its own), undefined when it is gone. */
export function readExportChunk(scope: Scope, runId: string, seq: number): Promise<Uint8Array | undefined> {
  return selectChunk(scope, runId, seq);
}

/**
 * Deletes the files of expired runs and marks them expired (the runs stay as a record of what
 * was exported, by whom and when). One tenant per call; the job walks the tenants.
 */
export function pruneExpiredExports(scope: Scope): Promise<number> {
  return pruneExpiredRuns(scope);
}
