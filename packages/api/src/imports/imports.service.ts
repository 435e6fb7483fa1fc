import { hasPermission } from '@crm/auth';
import type { ImportEntity, ImportRowOutcome, ImportRun } from '@crm/db';
import { IMPORT_ENTITIES } from '@crm/domain';
import { listDefinitions } from '../custom-fields/custom-fields.service';
import { appError } from '../errors';
import type { Locale } from '../i18n';
import { decodeCursor, encodeCursor } from '../keyset';
import type { Scope } from '../scope';
import {
  countActiveRuns,
  deleteMappingRow,
  insertMapping,
  insertRun,
  interruptSession,
  markCancelRequested,
  readFileChunks,
  selectEarlierCommit,
  selectErrors,
  selectErrorsOfRows,
  selectFile,
  selectFileChunk,
  selectMappingByName,
  selectMappingId,
  selectMappings,
  selectNamedCustomers,
  selectOutcomes,
  selectRun,
  selectRuns,
  selectTemplateContext,
  setFileFormat,
  storeFile,
  updateMappingRow,
} from './imports.repository';
import type {
  ImportErrorItem,
  RowOutcomeItem,
  RunOutput,
  StartInput,
  TemplateInput,
} from './imports.schemas';
import { SKIP_MESSAGES } from './messages';
import { importSessionName } from './pipeline';
import { ImportReadError } from './read/errors';
import { suggestMapping } from './read/mapping';
import { formatImportMessage, IMPORT_READ_MESSAGES } from './read/messages';
import { openTable } from './read/table';
import { targetsFor } from './targets';
import { type TemplateFile, templateFile } from './templates';

/** The use cases of imports: files, runs (their job is pipeline.ts), errors, saved mappings. */
type MemberScope = Scope & { userId: string };

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
    skipErrorRows: run.skip_error_rows,
    outcomes: outcomeCounts(run.outcome_counts),
    cancelRequested: run.cancel_requested,
    createdAt: iso(run.created_at) as string,
    startedAt: iso(run.started_at),
    finishedAt: iso(run.finished_at),
  };
}

function outcomeCounts(stored: unknown) {
  const counts = (typeof stored === 'string' ? JSON.parse(stored) : (stored ?? {})) as Record<
    string,
    unknown
  >;
  const count = (key: string) => Number(counts[key] ?? 0) || 0;
  return {
    new: count('new'),
    update: count('update'),
    skip: count('skip'),
    error: count('error'),
    candidate: count('candidate'),
  };
}

/** The mapping as the run will use it: known targets only, each once, required ones present. */
export async function checkMapping(
  scope: Scope,
  entity: ImportEntity,
  mapping: Record<string, string>,
): Promise<Record<string, string>> {
  const definitions = entity === 'customers' ? await listDefinitions(scope) : [];
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
  if (entity === 'leads' && !used.has('person_name') && !used.has('company_name'))
    throw appError(
      'IMPORT_MAPPING_REQUIRED_MISSING',
      { label: '联系人姓名或公司名称', labelEn: 'Contact name or company' },
      'mapping',
    );
  if (
    (entity === 'orders' || entity === 'interactions') &&
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
/** Imports (dry runs and commits) a tenant may have waiting or working at once. */
export const MAX_TENANT_ACTIVE_IMPORTS = 4;

export async function startImport(scope: MemberScope, input: StartInput, enqueue: Enqueue) {
  // Leads are imported by those who create them (the import pipeline's own permission, customers.import, is the router's).
  if (input.entity === 'leads' && !(scope.role && hasPermission(scope.role, 'leads.create')))
    throw appError('FORBIDDEN');
  const file = await selectFile(scope, input.fileId);
  if (!file?.sha256) throw appError('IMPORT_FILE_NOT_FOUND', {}, 'fileId');
  const mapping = await checkMapping(scope, input.entity, input.mapping);
  if (input.mappingId && !(await selectMappingId(scope, input.mappingId)))
    throw appError('IMPORT_MAPPING_NOT_FOUND', {}, 'mappingId');
  if (!input.dryRun) {
    const earlier = await selectEarlierCommit(scope, input.entity, file.sha256);
    if (earlier) return { runId: earlier.id, alreadyImported: true };
  }
  // A fair share of the import workers per tenant (SECURITY.md T5.9): runs of one tenant wait
  // for each other, so a flood of them would only queue ahead of every other tenant's.
  const active = await countActiveRuns(scope);
  if (active >= MAX_TENANT_ACTIVE_IMPORTS)
    throw appError('IMPORT_TENANT_TOO_MANY_RUNNING', { count: active });
  const run = await insertRun(scope, {
    entity: input.entity,
    file: { id: file.id, name: file.name, sha256: file.sha256, size: file.size },
    mapping,
    mappingId: input.mappingId ?? null,
    onMatch: input.onMatch,
    dryRun: input.dryRun,
    skipErrorRows: !input.dryRun && input.skipErrorRows,
    createdBy: scope.userId,
  });
  await enqueue(run.id);
  return { runId: run.id, alreadyImported: false };
}

async function findRun(scope: Scope, runId: string) {
  const run = await selectRun(scope, runId);
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
  const rows = await selectErrors(scope, runId, [row ?? 0, seq ?? -1], limit + 1);
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
 * A run's rows with their outcomes in file order, a page at a time (keyset on the row
 * number), optionally of one outcome: new, update (of which customer, by which key), skip
 * (why), error (every error of the row), candidate.
 */
export async function listRowOutcomes(
  scope: Scope,
  input: { runId: string; outcome?: ImportRowOutcome | null; cursor?: string | null; limit: number },
): Promise<{ items: RowOutcomeItem[]; nextCursor: string | null }> {
  await findRun(scope, input.runId);
  const after = input.cursor ? Number(decodeCursor(input.cursor, [/^\d{1,9}$/])[0]) : 0;
  const rows = await selectOutcomes(scope, input.runId, input.outcome ?? null, after, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const errors = await selectErrorsOfRows(
    scope,
    input.runId,
    page.filter((row) => row.outcome === 'error').map((row) => row.row_number),
  );
  const en = scope.locale === 'en';
  const items = page.map((row) => ({
    rowNumber: row.row_number,
    outcome: row.outcome,
    matchKind: row.match_kind,
    matchValue: row.match_value,
    matchedId: row.matched_id,
    customerId: row.customer_id,
    customerName: row.customer_name ?? null,
    matchedName: row.matched_name ?? null,
    reason: row.reason,
    message:
      row.outcome === 'error' || !row.reason
        ? null
        : (SKIP_MESSAGES[row.reason]?.[en ? 'en' : 'zh-CN'] ?? null),
    errors: errors
      .filter((error) => error.row_number === row.row_number)
      .map((error) => ({
        column: error.column_name,
        value: error.value,
        message: en ? error.message_en : error.message_zh,
      })),
  }));
  const last = rows.length > input.limit ? page.at(-1) : undefined;
  return { items, nextCursor: last ? encodeCursor([String(last.row_number)]) : null };
}

/** What the error file is made from: the run, and its stored file while it is kept (7 days). */
export async function errorReportSource(scope: Scope, runId: string) {
  const run = await findRun(scope, runId);
  const file = run.file_id ? await selectFile(scope, run.file_id) : undefined;
  return {
    fileName: run.file_name,
    fileId: file?.id ?? null,
    chunkCount: file?.chunk_count ?? 0,
  };
}

/** One chunk of a stored file's bytes (the error file reads the file again, chunk by chunk). */
export async function readFileChunk(scope: Scope, fileId: string, seq: number): Promise<Uint8Array> {
  const bytes = await selectFileChunk(scope, fileId, seq);
  if (!bytes) throw appError('IMPORT_FILE_NOT_FOUND', {}, 'fileId');
  return bytes;
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
    const running = await interruptSession(scope, importSessionName(runId));
    const startedLongAgo =
      run.started_at !== null && Date.now() - new Date(run.started_at).getTime() > RUN_CLAIM_WINDOW_MS;
    endNow = !running && startedLongAgo;
  }
  const updated = await markCancelRequested(scope, runId, endNow);
  return toRunOutput(updated, scope.locale);
}

/** A run claimed this recently may not have opened its session yet (pipeline.ts claimRun). */
const RUN_CLAIM_WINDOW_MS = 2 * 60 * 1000;

export async function listRuns(scope: Scope, limit: number) {
  const runs = await selectRuns(scope, limit);
  return runs.map((run) => toRunOutput(run, scope.locale));
}

// Saved mappings

export async function listMappings(scope: Scope, entity?: ImportEntity) {
  const rows = await selectMappings(scope, entity);
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
  scope: MemberScope,
  input: { id?: string | null; entity: ImportEntity; name: string; columns: Record<string, string> },
) {
  const columns = Object.fromEntries(Object.entries(input.columns).filter(([, key]) => key));
  const definitions = input.entity === 'customers' ? await listDefinitions(scope) : [];
  const known = new Set(targetsFor(input.entity, definitions).map((target) => target.key));
  for (const [header, key] of Object.entries(columns))
    if (!known.has(key))
      throw appError('IMPORT_MAPPING_UNKNOWN_FIELD', { header, target: key }, `columns.${header}`);
  const clash = await selectMappingByName(scope, input.entity, input.name);
  if (clash && clash.id !== input.id) throw appError('IMPORT_MAPPING_NAME_TAKEN', {}, 'name');
  let id: string;
  if (input.id) {
    const updated = await updateMappingRow(scope, input.id, {
      entity: input.entity,
      name: input.name,
      columns,
    });
    if (!updated) throw appError('IMPORT_MAPPING_NOT_FOUND', {}, 'id');
    id = updated.id;
  } else {
    const created = await insertMapping(scope, { entity: input.entity, name: input.name, columns });
    id = created.id;
  }
  const saved = (await listMappings(scope, input.entity)).find((mapping) => mapping.id === id);
  return saved as NonNullable<typeof saved>;
}

export async function deleteMapping(scope: Scope, id: string) {
  if (!(await deleteMappingRow(scope, id))) throw appError('IMPORT_MAPPING_NOT_FOUND', {}, 'id');
  return { deleted: true };
}

// Uploads

/** An upload: the file's name, its bytes as they arrive, and the size it may reach. */
export type UploadInput = { fileName: string; body: AsyncIterable<Uint8Array>; maxBytes: number };

const PREVIEW_ROWS = 20;
/** Files up to this size are counted at upload (reading 10 MB takes well under a second). */
const COUNT_ROWS_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Stores an uploaded file (streamed, in the caller's transaction: a refused file leaves
 * nothing) and answers with what the mapping step needs: its format, headers, a preview,
 * each entity's targets and suggested mapping, and the saved mappings that fit it. A file
 * that is not a readable table is refused with IMPORT_FILE_UNREADABLE and its reason.
 */
export async function receiveUpload(scope: MemberScope, input: UploadInput) {
  const file = await storeFile(scope, input.fileName, input.body, input.maxBytes);
  const stored = await selectFile(scope, file.id);
  let table: Awaited<ReturnType<typeof openTable>>;
  try {
    table = await openTable(readFileChunks(scope, file.id, stored?.chunk_count ?? 0), {
      fileName: file.name,
    });
  } catch (error) {
    if (error instanceof ImportReadError)
      throw appError('IMPORT_FILE_UNREADABLE', {
        reason: formatImportMessage(error.code, scope.locale, error.params),
      });
    throw error;
  }
  const preview: { rowNumber: number; cells: string[] }[] = [];
  // A file up to COUNT_ROWS_MAX_BYTES is read to its end to say how many rows it has; a
  // bigger one is counted by its dry run.
  const countRows = file.size <= COUNT_ROWS_MAX_BYTES;
  let rowCount = 0;
  for await (const row of table.rows) {
    rowCount += 1;
    if (preview.length < PREVIEW_ROWS) preview.push({ rowNumber: row.rowNumber, cells: row.cells });
    else if (!countRows) break;
  }
  await setFileFormat(scope, file.id, table.format, table.encoding ?? null);
  const customFields = await listDefinitions(scope);
  const targets = Object.fromEntries(
    IMPORT_ENTITIES.map((entity) => [
      entity,
      targetsFor(entity, customFields).map((target) => ({
        key: target.key,
        label: scope.locale === 'en' ? target.en : target.zh,
        required: target.required === true,
      })),
    ]),
  );
  const suggestions = Object.fromEntries(
    IMPORT_ENTITIES.map((entity) => [
      entity,
      Object.fromEntries(
        suggestMapping(table.headers, entity, targetsFor(entity, customFields))
          .filter((suggestion) => suggestion.target !== null && suggestion.header !== '')
          .map((suggestion) => [suggestion.header, suggestion.target as string]),
      ),
    ]),
  );
  // Saved mappings that fit: every column they name is in this file.
  const headerSet = new Set(table.headers);
  const mappings = (await listMappings(scope)).filter((mapping) =>
    Object.keys(mapping.columns).every((header) => headerSet.has(header)),
  );
  return {
    fileId: file.id,
    name: file.name,
    size: file.size,
    sha256: file.sha256,
    format: table.format,
    encoding: table.encoding ?? null,
    sheet: table.sheet ?? null,
    headers: table.headers,
    /** The data rows, for a file of up to 10 MB (null for a bigger one). */
    rowCount: countRows ? rowCount : null,
    preview,
    suggestions,
    targets,
    mappings,
  };
}

/**
 * An import template for the kind (docs/imports.md, "Templates"): headers in the chosen
 * language, the tenant's custom fields, example rows that import cleanly as they are.
 */
export async function downloadTemplate(scope: MemberScope, input: TemplateInput): Promise<TemplateFile> {
  const context = await selectTemplateContext(scope);
  const definitions = input.kind === 'customers' ? await listDefinitions(scope) : [];
  const customerNames = input.kind === 'customers' ? [] : await selectNamedCustomers(scope, 2);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return templateFile(input.kind, input.format, {
    locale: input.locale ?? scope.locale,
    industry: context.industry,
    currency: context.currency,
    email: context.email,
    definitions,
    customerNames,
    today,
  });
}
