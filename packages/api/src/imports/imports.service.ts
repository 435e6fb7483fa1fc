import type { ImportEntity, ImportRun } from '@crm/db';
import { sql } from 'kysely';
import type { TenantContext } from '../context';
import { listCustomFieldDefinitions } from '../custom-fields/custom-fields.repository';
import { appError } from '../errors';
import type { Locale } from '../i18n';
import { decodeCursor, encodeCursor } from '../keyset';
import type { ImportErrorItem, RunOutput, StartInput } from './imports.schemas';
import { importSessionName } from './pipeline';
import { formatImportMessage, IMPORT_READ_MESSAGES } from './read/messages';
import { targetsFor } from './targets';

type Scope = Pick<TenantContext, 'trx' | 'tenantId'> & { userId: string; locale: Locale };

const iso = (value: Date | string | null) =>
  value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString();

function failureMessage(failure: string | null, locale: Locale): string | null {
  if (!failure) return null;
  const en = locale === 'en';
  if (failure === 'HAS_ERRORS')
    return en
      ? 'Some rows have errors; nothing was imported. Fix them and import again'
      : '部分行有错误，未导入任何数据。请修正后重新导入';
  if (failure === 'TIMEOUT')
    return en
      ? 'The import ran past its time limit and was stopped; nothing was imported. Split the file and import the parts'
      : '导入超过时限，已停止，未导入任何数据。请把文件拆成几份分别导入';
  if (failure === 'EXPIRED')
    return en
      ? 'The import stopped responding and was ended; nothing was imported. Start it again'
      : '导入长时间无响应，已结束，未导入任何数据。请重新开始导入';
  if (failure === 'TEXT')
    return en
      ? 'The file holds characters that cannot be saved; nothing was imported. Remove them and import again'
      : '文件中有无法保存的字符，未导入任何数据。请删除后重新导入';
  if (failure.startsWith('READ:')) {
    // READ:<code> or READ:<code> <params as JSON> (ImportReadError's message).
    const [code = '', ...rest] = failure.slice(5).split(' ');
    const params = rest.length > 0 ? safeParams(rest.join(' ')) : {};
    if (Object.hasOwn(IMPORT_READ_MESSAGES, code))
      return formatImportMessage(code as keyof typeof IMPORT_READ_MESSAGES, locale, params);
  }
  return en ? 'The import failed; nothing was imported' : '导入失败，未导入任何数据';
}

function safeParams(text: string): Record<string, string | number> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string | number>) : {};
  } catch {
    return {};
  }
}

export function toRunOutput(run: ImportRun, locale: Locale): RunOutput {
  return {
    id: run.id,
    entity: run.entity,
    fileName: run.file_name,
    fileSize: Number(run.file_size),
    dryRun: run.dry_run,
    onMatch: run.on_match,
    status: run.status,
    failure: run.failure,
    failureMessage: failureMessage(run.failure, locale),
    rowsRead: Number(run.rows_read),
    bytesRead: Number(run.bytes_read),
    totalRows: Number(run.total_rows),
    validRows: Number(run.valid_rows),
    errorRows: Number(run.error_rows),
    errorCount: Number(run.error_count),
    created: Number(run.created_count),
    updated: Number(run.updated_count),
    skipped: Number(run.skipped_count),
    cancelRequested: run.cancel_requested,
    createdAt: iso(run.created_at) as string,
    startedAt: iso(run.started_at),
    finishedAt: iso(run.finished_at),
  };
}

/** The mapping as the run will use it: known targets only, each once, required ones present. */
export async function checkMapping(
  scope: Pick<Scope, 'trx' | 'tenantId'>,
  entity: ImportEntity,
  mapping: Record<string, string>,
): Promise<Record<string, string>> {
  const definitions =
    entity === 'customers' ? await listCustomFieldDefinitions(scope.trx, scope.tenantId) : [];
  const targets = targetsFor(entity, definitions);
  const known = new Map(targets.map((target) => [target.key, target]));
  const cleaned: Record<string, string> = {};
  const used = new Set<string>();
  for (const [header, key] of Object.entries(mapping)) {
    if (!key) continue;
    const target = known.get(key);
    if (!target) throw appError('IMPORT_MAPPING_UNKNOWN_FIELD', { header, target: key }, `mapping.${header}`);
    if (used.has(key))
      throw appError('IMPORT_MAPPING_FIELD_TWICE', { target: target.zh }, `mapping.${header}`);
    used.add(key);
    cleaned[header] = key;
  }
  for (const target of targets) {
    if (target.required && target.type !== 'custom' && !used.has(target.key))
      throw appError('IMPORT_MAPPING_REQUIRED_MISSING', { label: target.zh, labelEn: target.en }, 'mapping');
  }
  if (
    entity !== 'customers' &&
    !['customer.number', 'customer.credit_code', 'customer.phone', 'customer.name'].some((key) =>
      used.has(key),
    )
  )
    throw appError(
      'IMPORT_MAPPING_REQUIRED_MISSING',
      {
        label: '客户（编号、信用代码、电话或名称）',
        labelEn: 'Customer (number, credit code, phone or name)',
      },
      'mapping',
    );
  return cleaned;
}

export type Enqueue = (runId: string) => Promise<void>;

/**
 * Creates a run (dry run or commit) and queues its job in the same transaction. A commit of
 * a file this tenant has committed (or is committing) for the same entity starts nothing
 * and returns that run.
 */
export async function startImport(scope: Scope, input: StartInput, enqueue: Enqueue) {
  const { trx, tenantId } = scope;
  const file = await trx
    .selectFrom('import_files')
    .select(['id', 'name', 'sha256', 'size'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', input.fileId)
    .executeTakeFirst();
  if (!file?.sha256) throw appError('IMPORT_FILE_NOT_FOUND', {}, 'fileId');
  const mapping = await checkMapping(scope, input.entity, input.mapping);
  if (input.mappingId) {
    const saved = await trx
      .selectFrom('import_mappings')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', input.mappingId)
      .executeTakeFirst();
    if (!saved) throw appError('IMPORT_MAPPING_NOT_FOUND', {}, 'mappingId');
  }
  if (!input.dryRun) {
    const earlier = await trx
      .selectFrom('import_runs')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('entity', '=', input.entity)
      .where('file_sha256', '=', file.sha256)
      .where('dry_run', '=', false)
      .where('status', 'in', ['created', 'validating', 'validated', 'committing', 'committed'])
      .executeTakeFirst();
    if (earlier) return { runId: earlier.id, alreadyImported: true };
  }
  const run = await trx
    .insertInto('import_runs')
    .values({
      tenant_id: tenantId,
      entity: input.entity,
      file_id: file.id,
      file_name: file.name,
      file_sha256: file.sha256,
      file_size: file.size,
      mapping: JSON.stringify(mapping),
      mapping_id: input.mappingId ?? null,
      on_match: input.onMatch,
      dry_run: input.dryRun,
      created_by: scope.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await enqueue(run.id);
  return { runId: run.id, alreadyImported: false };
}

async function findRun(scope: Pick<Scope, 'trx' | 'tenantId'>, runId: string) {
  const run = await scope.trx
    .selectFrom('import_runs')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!run) throw appError('IMPORT_RUN_NOT_FOUND', {}, 'runId');
  return run;
}

export async function getRun(scope: Scope, runId: string, errorLimit = 50) {
  const run = await findRun(scope, runId);
  const page = await listErrors(scope, runId, null, errorLimit, false);
  return { ...toRunOutput(run, scope.locale), errors: page.items, errorsCursor: page.nextCursor };
}

/** A run's errors in file order, a page at a time. */
export async function listErrors(
  scope: Scope,
  runId: string,
  cursor: string | null | undefined,
  limit: number,
  check = true,
): Promise<{ items: ImportErrorItem[]; nextCursor: string | null }> {
  if (check) await findRun(scope, runId);
  const [row, seq] = cursor ? decodeCursor(cursor, [/^\d{1,9}$/, /^\d{1,4}$/]).map(Number) : [0, -1];
  const rows = await scope.trx
    .selectFrom('import_errors')
    .select(['row_number', 'seq', 'column_name', 'value', 'reason', 'message_zh', 'message_en'])
    .where('tenant_id', '=', scope.tenantId)
    .where('run_id', '=', runId)
    .where(sql<boolean>`(row_number, seq) > (${row ?? 0}, ${seq ?? -1})`)
    .orderBy('row_number')
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((item) => ({
    rowNumber: item.row_number,
    column: item.column_name,
    value: item.value,
    reason: item.reason,
    message: scope.locale === 'en' ? item.message_en : item.message_zh,
  }));
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor([String(last.row_number), String(last.seq)]) : null };
}

/**
 * Cancels a run in any unfinished state. Not started: cancelled at once. Running: its
 * session (named after the run) is asked to stop the statement it is in, and the run rolls
 * back and ends cancelled. Marked running but with no session left (its worker died): ended
 * cancelled here, since nothing is left to roll back.
 */
export async function cancelRun(scope: Scope, runId: string) {
  const run = await findRun(scope, runId);
  if (['committed', 'failed', 'cancelled', 'validated'].includes(run.status))
    throw appError('IMPORT_RUN_FINISHED');
  let endNow = run.status === 'created';
  if (!endNow) {
    const session = await sql<{ pid: number; cancelled: boolean }>`
      select pid, pg_cancel_backend(pid) as cancelled from pg_stat_activity
      where application_name = ${importSessionName(runId)}`.execute(scope.trx);
    const startedLongAgo =
      run.started_at !== null && Date.now() - new Date(run.started_at).getTime() > RUN_CLAIM_WINDOW_MS;
    endNow = session.rows.length === 0 && startedLongAgo;
  }
  const updated = await scope.trx
    .updateTable('import_runs')
    .set({
      cancel_requested: true,
      ...(endNow && { status: 'cancelled' as const, finished_at: new Date() }),
      updated_at: new Date(),
    })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', runId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRunOutput(updated, scope.locale);
}

/** A run claimed this recently may not have opened its session yet (pipeline.ts claimRun). */
const RUN_CLAIM_WINDOW_MS = 2 * 60 * 1000;

export async function listRuns(scope: Scope, limit: number) {
  const runs = await scope.trx
    .selectFrom('import_runs')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return runs.map((run) => toRunOutput(run, scope.locale));
}

// Saved mappings

export async function listMappings(scope: Pick<Scope, 'trx' | 'tenantId'>, entity?: ImportEntity) {
  let query = scope.trx
    .selectFrom('import_mappings')
    .select(['id', 'entity', 'name', 'columns', 'updated_at'])
    .where('tenant_id', '=', scope.tenantId);
  if (entity) query = query.where('entity', '=', entity);
  const rows = await query.orderBy('name').execute();
  return rows.map((row) => ({
    id: row.id,
    entity: row.entity,
    name: row.name,
    columns:
      typeof row.columns === 'string' ? (JSON.parse(row.columns) as Record<string, string>) : row.columns,
    updatedAt: iso(row.updated_at) as string,
  }));
}

export async function saveMapping(
  scope: Scope,
  input: { id?: string | null; entity: ImportEntity; name: string; columns: Record<string, string> },
) {
  const columns = Object.fromEntries(Object.entries(input.columns).filter(([, key]) => key));
  const definitions =
    input.entity === 'customers' ? await listCustomFieldDefinitions(scope.trx, scope.tenantId) : [];
  const known = new Set(targetsFor(input.entity, definitions).map((target) => target.key));
  for (const [header, key] of Object.entries(columns))
    if (!known.has(key))
      throw appError('IMPORT_MAPPING_UNKNOWN_FIELD', { header, target: key }, `columns.${header}`);
  const clash = await scope.trx
    .selectFrom('import_mappings')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('entity', '=', input.entity)
    .where('name', '=', input.name)
    .executeTakeFirst();
  if (clash && clash.id !== input.id) throw appError('IMPORT_MAPPING_NAME_TAKEN', {}, 'name');
  let id: string;
  if (input.id) {
    const updated = await scope.trx
      .updateTable('import_mappings')
      .set({
        name: input.name,
        columns: JSON.stringify(columns),
        entity: input.entity,
        updated_at: new Date(),
      })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', input.id)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw appError('IMPORT_MAPPING_NOT_FOUND', {}, 'id');
    id = updated.id;
  } else {
    const created = await scope.trx
      .insertInto('import_mappings')
      .values({
        tenant_id: scope.tenantId,
        entity: input.entity,
        name: input.name,
        columns: JSON.stringify(columns),
        created_by: scope.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = created.id;
  }
  const saved = (await listMappings(scope, input.entity)).find((mapping) => mapping.id === id);
  return saved as NonNullable<typeof saved>;
}

export async function deleteMapping(scope: Pick<Scope, 'trx' | 'tenantId'>, id: string) {
  const result = await scope.trx
    .deleteFrom('import_mappings')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw appError('IMPORT_MAPPING_NOT_FOUND', {}, 'id');
  return { deleted: true };
}
