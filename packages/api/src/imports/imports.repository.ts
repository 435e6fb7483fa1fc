/**
 * Every query of the import capability outside the run's staging pipeline (whose set-based
 * statements over the temp tables live in stage.ts, commit.ts and plans/): stored files,
 * runs, their errors and saved mappings. Scope first.
 */
import { createHash } from 'node:crypto';
import type { ImportEntity, ImportRowOutcome, ImportRun } from '@crm/db';
import { sql } from 'kysely';
import { visibleCustomer, visibleLead } from '../customers/access';
import { appError } from '../errors';
import type { Scope } from '../scope';

/** Uploaded files are kept in the database in chunks of this size. */
export const CHUNK_BYTES = 1024 * 1024;
/** Uploaded files are deleted this long after their upload (runs keep their totals and errors). */
export const FILE_RETENTION_DAYS = 7;

export type StoredFile = { id: string; name: string; size: number; sha256: string };

/**
 * Streams an upload into `import_file_chunks` in ~1 MB chunks (never the whole file in
 * memory) and records its size and SHA-256. In the caller's transaction: a failed upload
 * leaves nothing behind.
 */
export async function storeFile(
  scope: Scope & { userId: string },
  name: string,
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<StoredFile> {
  const { trx, tenantId } = scope;
  const file = await trx
    .insertInto('import_files')
    .values({ tenant_id: tenantId, name: cleanFileName(name), uploaded_by: scope.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const hash = createHash('sha256');
  let size = 0;
  let seq = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const bytes = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await trx
      .insertInto('import_file_chunks')
      .values({ tenant_id: tenantId, file_id: file.id, seq, bytes })
      .execute();
    seq += 1;
  };
  for await (const part of body) {
    size += part.byteLength;
    if (size > maxBytes)
      throw appError('IMPORT_FILE_TOO_LARGE', { maxMb: Math.floor(maxBytes / 1024 / 1024) });
    hash.update(part);
    pending.push(part);
    pendingBytes += part.byteLength;
    if (pendingBytes >= CHUNK_BYTES) await flush();
  }
  await flush();
  if (size === 0) throw appError('IMPORT_FILE_EMPTY');
  const sha256 = hash.digest('hex');
  await trx
    .updateTable('import_files')
    .set({ size, sha256, chunk_count: seq })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', file.id)
    .execute();
  return { id: file.id, name: cleanFileName(name), size, sha256 };
}

function cleanFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim();
  return (cleaned || 'import.csv').slice(0, 255);
}

/** The file's bytes, chunk by chunk, read one chunk per statement through `trx`. */
export async function* readFileChunks(
  scope: Scope,
  fileId: string,
  chunkCount: number,
): AsyncGenerator<Uint8Array> {
  for (let seq = 0; seq < chunkCount; seq += 1) {
    const row = await scope.trx
      .selectFrom('import_file_chunks')
      .select('bytes')
      .where('tenant_id', '=', scope.tenantId)
      .where('file_id', '=', fileId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!row) throw new Error(`Import file ${fileId} misses chunk ${seq}`);
    yield row.bytes instanceof Uint8Array ? row.bytes : new Uint8Array(row.bytes as ArrayBufferLike);
  }
}

/** Deletes files uploaded more than FILE_RETENTION_DAYS ago (their chunks go with them). */
export async function pruneFiles(scope: Scope): Promise<number> {
  const result = await sql`
    delete from import_files
    where tenant_id = ${scope.tenantId} and created_at < now() - make_interval(days => ${FILE_RETENTION_DAYS})`.execute(
    scope.trx,
  );
  return Number(result.numAffectedRows ?? 0);
}

// Runs

export function selectFile(scope: Scope, fileId: string) {
  return scope.trx
    .selectFrom('import_files')
    .select(['id', 'name', 'sha256', 'size', 'chunk_count'])
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}

export function setFileFormat(scope: Scope, fileId: string, format: 'csv' | 'xlsx', encoding: string | null) {
  return scope.trx
    .updateTable('import_files')
    .set({ format, encoding })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', fileId)
    .execute();
}

/** A commit of the same bytes for the same entity that is done or on its way, if any. */
export function selectEarlierCommit(scope: Scope, entity: ImportEntity, sha256: string) {
  return scope.trx
    .selectFrom('import_runs')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('entity', '=', entity)
    .where('file_sha256', '=', sha256)
    .where('dry_run', '=', false)
    .where('status', 'in', ['created', 'validating', 'validated', 'committing', 'committed'])
    .executeTakeFirst();
}

/** The tenant's runs waiting or working (begun within the hour: a stuck one stops counting). */
export async function countActiveRuns(scope: Scope): Promise<number> {
  const row = await scope.trx
    .selectFrom('import_runs')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('tenant_id', '=', scope.tenantId)
    .where('status', 'in', ['created', 'validating', 'committing'])
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return row.count;
}

export function insertRun(
  scope: Scope,
  values: {
    entity: ImportEntity;
    file: { id: string; name: string; sha256: string; size: number | string };
    mapping: Record<string, string>;
    mappingId: string | null;
    onMatch: ImportRun['on_match'];
    dryRun: boolean;
    skipErrorRows: boolean;
    createdBy: string;
  },
) {
  return scope.trx
    .insertInto('import_runs')
    .values({
      tenant_id: scope.tenantId,
      entity: values.entity,
      file_id: values.file.id,
      file_name: values.file.name,
      file_sha256: values.file.sha256,
      file_size: values.file.size,
      mapping: JSON.stringify(values.mapping),
      mapping_id: values.mappingId,
      on_match: values.onMatch,
      dry_run: values.dryRun,
      skip_error_rows: values.skipErrorRows,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function selectRun(scope: Scope, runId: string): Promise<ImportRun | undefined> {
  return scope.trx
    .selectFrom('import_runs')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', runId)
    .executeTakeFirst();
}

export function selectRuns(scope: Scope, limit: number): Promise<ImportRun[]> {
  return scope.trx
    .selectFrom('import_runs')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Errors after (row, seq), in file order, `limit` of them. */
export function selectErrors(scope: Scope, runId: string, after: [number, number], limit: number) {
  return scope.trx
    .selectFrom('import_errors')
    .select(['row_number', 'seq', 'column_name', 'value', 'reason', 'message_zh', 'message_en'])
    .where('tenant_id', '=', scope.tenantId)
    .where('run_id', '=', runId)
    .where(sql<boolean>`(row_number, seq) > (${after[0]}, ${after[1]})`)
    .orderBy('row_number')
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/**
 * Row outcomes after `after` (a row number), in file order, optionally of one outcome, with
 * the names of the customers they are about and matched, where the caller may see them.
 */
export function selectOutcomes(
  scope: Scope,
  runId: string,
  outcome: ImportRowOutcome | null,
  after: number,
  limit: number,
) {
  let query = scope.trx
    .selectFrom('import_row_outcomes as o')
    .leftJoin('customers', (join) =>
      join
        .onRef('customers.id', '=', 'o.customer_id')
        .on('customers.tenant_id', '=', scope.tenantId)
        .on(visibleCustomer(scope.access)),
    )
    .select([
      'o.row_number',
      'o.outcome',
      'o.match_kind',
      'o.match_value',
      'o.matched_id',
      'o.customer_id',
      'o.reason',
      'customers.name as customer_name',
    ])
    // The matched customer's or lead's name (an order's or interaction's id matches neither: null).
    .select(
      sql<
        string | null
      >`coalesce((select customers.name from customers where customers.tenant_id = ${scope.tenantId}
        and customers.id = o.matched_id and ${visibleCustomer(scope.access)}),
        (select coalesce(leads.company_name, leads.person_name) from leads where leads.tenant_id = ${scope.tenantId}
          and leads.id = o.matched_id and ${visibleLead(scope.access)}))`.as('matched_name'),
    )
    .where('o.tenant_id', '=', scope.tenantId)
    .where('o.run_id', '=', runId)
    .where('o.row_number', '>', after);
  if (outcome) query = query.where('o.outcome', '=', outcome);
  return query.orderBy('o.row_number').limit(limit).execute();
}

/** Every error of the given rows of a run, in row and column order. */
export function selectErrorsOfRows(scope: Scope, runId: string, rowNumbers: number[]) {
  if (rowNumbers.length === 0) return Promise.resolve([]);
  return scope.trx
    .selectFrom('import_errors')
    .select(['row_number', 'seq', 'column_name', 'value', 'message_zh', 'message_en'])
    .where('tenant_id', '=', scope.tenantId)
    .where('run_id', '=', runId)
    .where('row_number', 'in', rowNumbers)
    .orderBy('row_number')
    .orderBy('seq')
    .execute();
}

/** One stored chunk of a file's bytes, if the file is still kept. */
export async function selectFileChunk(scope: Scope, fileId: string, seq: number) {
  const row = await scope.trx
    .selectFrom('import_file_chunks')
    .select('bytes')
    .where('tenant_id', '=', scope.tenantId)
    .where('file_id', '=', fileId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  if (!row) return undefined;
  return row.bytes instanceof Uint8Array ? row.bytes : new Uint8Array(row.bytes as ArrayBufferLike);
}

/**
 * Interrupts the statement of the session named `sessionName` (a running import's), if there
 * is one; whether a session was found.
 */
export async function interruptSession(scope: Scope, sessionName: string): Promise<boolean> {
  const session = await sql<{ pid: number }>`
    select pid, pg_cancel_backend(pid) as cancelled from pg_stat_activity
    where application_name = ${sessionName}`.execute(scope.trx);
  return session.rows.length > 0;
}

export function markCancelRequested(scope: Scope, runId: string, endNow: boolean): Promise<ImportRun> {
  return scope.trx
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
}

// Saved mappings

export function selectMappings(scope: Scope, entity?: ImportEntity) {
  let query = scope.trx
    .selectFrom('import_mappings')
    .select(['id', 'entity', 'name', 'columns', 'updated_at'])
    .where('tenant_id', '=', scope.tenantId);
  if (entity) query = query.where('entity', '=', entity);
  return query.orderBy('name').execute();
}

export function selectMappingId(scope: Scope, id: string) {
  return scope.trx
    .selectFrom('import_mappings')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function selectMappingByName(scope: Scope, entity: ImportEntity, name: string) {
  return scope.trx
    .selectFrom('import_mappings')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('entity', '=', entity)
    .where('name', '=', name)
    .executeTakeFirst();
}

export function updateMappingRow(
  scope: Scope,
  id: string,
  values: { entity: ImportEntity; name: string; columns: Record<string, string> },
) {
  return scope.trx
    .updateTable('import_mappings')
    .set({
      name: values.name,
      columns: JSON.stringify(values.columns),
      entity: values.entity,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
}

export function insertMapping(
  scope: Scope & { userId: string },
  values: { entity: ImportEntity; name: string; columns: Record<string, string> },
) {
  return scope.trx
    .insertInto('import_mappings')
    .values({
      tenant_id: scope.tenantId,
      entity: values.entity,
      name: values.name,
      columns: JSON.stringify(values.columns),
      created_by: scope.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Whether a mapping was deleted. */
export async function deleteMappingRow(scope: Scope, id: string): Promise<boolean> {
  const result = await scope.trx
    .deleteFrom('import_mappings')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** What an import template's example rows need of the tenant: its industry, currency and the downloader's email. */
export async function selectTemplateContext(scope: Scope & { userId: string }) {
  const { trx, tenantId } = scope;
  const tenant = await trx
    .selectFrom('tenants')
    .select(['industry', 'currency'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const user = await trx
    .selectFrom('users')
    .select('email')
    .where('id', '=', scope.userId)
    .executeTakeFirstOrThrow();
  return { industry: tenant.industry as string | null, currency: tenant.currency, email: user.email };
}

/**
 * Up to `limit` of the tenant's newest customers whose name no other customer has, for order
 * and interaction templates to name (a name two customers share would not say which).
 */
export async function selectNamedCustomers(scope: Scope, limit: number): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select customers.name from customers
    where customers.tenant_id = ${scope.tenantId} and customers.merged_into is null
      and customers.archived_at is null and ${visibleCustomer(scope.access)}
      and not exists (select 1 from customers other
        where other.tenant_id = customers.tenant_id and other.name = customers.name and other.id <> customers.id)
    order by customers.created_at desc, customers.id
    limit ${limit}`.execute(scope.trx);
  return rows.map((row) => row.name);
}
