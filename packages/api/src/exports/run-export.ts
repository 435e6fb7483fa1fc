import { Writable } from 'node:stream';
import { hasPermission } from '@crm/auth';
import type { CrmDatabase, ExportRun, HeavyReads } from '@crm/db';
import ExcelJS from 'exceljs';
import { memberAccess } from '../customers/access';
import { AppError, appError } from '../errors';
import type { Locale } from '../i18n';
import { jobScope, type Scope } from '../scope';
import { getCipher, maskHint } from '../sensitive/sensitive.service';
import type { ExportColumn } from './columns';
import {
  copyQueries,
  countSourceRows,
  type ExportSource,
  exportSource,
  finishRunRow,
  insertChunk,
  insertRevealAudit,
  type RenderedRow,
  restartRun,
  selectRenderedRows,
  selectRun,
  setRunTotal,
} from './exports.repository';
import { csvLine, FileSink, UTF8_BOM } from './file-sink';

/**
 * The use case of the `exports.run` job: building one export's file. It runs over several
 * short transactions of its own (and, the fast way, a COPY on a connection of its own), so it
 * takes the database and builds a `jobScope` for each transaction, acting for the member who
 * asked for the export.
 */

/** Rows read per round trip where the file is built row by row. */
export const BATCH_ROWS = 2000;

type Plan = {
  run: ExportRun;
  source: ExportSource;
  userId: string;
};

export type ExportOutcome = {
  status: 'done' | 'failed' | 'skipped';
  rows: number;
  bytes: number;
  /** Where the rows were read: the replica, or the primary (and why). */
  reads?: HeavyReads['reason'];
};

/**
 * Builds one export's file and stores it in chunks. Idempotent: a run that is already done
 * is left alone, and a retried run starts its file again. A CSV without revealed values on a
 * PostgreSQL server goes the fast way — the ids of the filtered list into a temporary table
 * by the list's own parameterised query, then `COPY (SELECT …) TO STDOUT` of the rendered
 * rows — and everything else (Excel files, revealed values, the embedded database) reads
 * keyset batches of rendered rows.
 */
export async function runExport(
  database: CrmDatabase,
  tenantId: string,
  runId: string,
): Promise<ExportOutcome> {
  let plan: Plan | null;
  try {
    plan = await prepare(database, tenantId, runId);
  } catch (error) {
    // The creator may no longer export: the run fails with that reason, and is not retried.
    if (!(error instanceof AppError && error.code === 'FORBIDDEN')) throw error;
    await finishRun(database, tenantId, runId, { status: 'failed', error_code: error.code });
    return { status: 'failed', rows: 0, bytes: 0 };
  }
  if (!plan) return { status: 'skipped', rows: 0, bytes: 0 };
  const { run } = plan;
  const sink = new FileSink((seq, bytes) =>
    database.withTenant(tenantId, (trx) =>
      insertChunk(jobScope(trx, tenantId), runId, seq, bytes, progress.rows),
    ),
  );
  const progress = { rows: 0 };
  let readsFrom: HeavyReads['reason'] | undefined;
  try {
    // The rows come from the replica when there is one that has caught up (docs/scaling.md).
    // Revealing values writes an audit row per reveal, so those exports read the primary.
    const reads: HeavyReads = run.reveal_sensitive
      ? { source: 'primary', reason: 'no-replica', withTenant: database.withTenant }
      : await database.heavyReads();
    const fast =
      run.format === 'csv' &&
      !run.reveal_sensitive &&
      reads.source === 'primary' &&
      database.copyOut !== undefined;
    readsFrom = reads.reason;
    if (fast) await copyCsv(database, plan, sink, progress);
    else await batches(database, reads, plan, sink, progress);
    await sink.close();
  } catch (error) {
    // Marked failed for the list; the queue logs the error and tries again.
    await finishRun(database, tenantId, runId, { status: 'failed', error_code: 'EXPORT_FAILED' });
    throw error;
  }
  await finishRun(database, tenantId, runId, {
    status: 'done',
    rows_done: progress.rows,
    rows_total: progress.rows,
    file_size: sink.size,
  });
  return { status: 'done', rows: progress.rows, bytes: sink.size, reads: readsFrom };
}

function finishRun(
  database: CrmDatabase,
  tenantId: string,
  runId: string,
  values: Parameters<typeof finishRunRow>[2],
) {
  return database.withTenant(tenantId, (trx) => finishRunRow(jobScope(trx, tenantId), runId, values));
}

/** Reads the run, checks its creator may still export, marks it running and drops any earlier attempt's file. */
async function prepare(database: CrmDatabase, tenantId: string, runId: string): Promise<Plan | null> {
  const run = await database.withTenant(tenantId, (trx) => selectRun(jobScope(trx, tenantId), runId, null));
  if (!run || run.status === 'done' || run.status === 'expired') return null;
  return database.withMember(tenantId, run.created_by, async (trx, membership) => {
    // What the creator may see now, not when they asked: a member who lost the permission
    // or left gets no file.
    if (!membership || !hasPermission(membership.role, 'customers.export')) throw appError('FORBIDDEN');
    if (run.reveal_sensitive && !hasPermission(membership.role, 'sensitive.reveal'))
      throw appError('FORBIDDEN');
    const scope = jobScope(trx, tenantId, {
      locale: run.locale as Locale,
      member: {
        userId: run.created_by,
        role: membership.role,
        access: memberAccess(run.created_by, membership.teamId, membership.role),
      },
    });
    await restartRun(scope, runId);
    const source = await exportSource(scope, run);
    return { run, source, userId: run.created_by };
  });
}

function headerLine(columns: ExportColumn[]): string {
  return csvLine(columns.map((column) => column.header));
}

async function setTotal(database: CrmDatabase, tenantId: string, runId: string, total: number) {
  await database.withTenant(tenantId, (trx) => setRunTotal(jobScope(trx, tenantId), runId, total));
}

const NEWLINE = 0x0a;

/** The fast way: ids into a temporary table, then COPY of the rendered rows in list order. */
async function copyCsv(database: CrmDatabase, plan: Plan, sink: FileSink, progress: { rows: number }) {
  const copyOut = database.copyOut;
  if (!copyOut) throw new Error('COPY needs a PostgreSQL server');
  const { run, source } = plan;
  const { statements, copy } = copyQueries(database.db, source, run.tenant_id);
  await sink.write(UTF8_BOM);
  await sink.write(headerLine(source.columns));
  await copyOut(
    { tenantId: run.tenant_id, userId: plan.userId },
    statements,
    copy,
    async (output, counts) => {
      const total = counts[2] ?? 0;
      await setTotal(database, run.tenant_id, run.id, total);
      // Progress counts line ends; a line break inside a quoted value overcounts, so it is capped.
      let lines = 0;
      for await (const chunk of output) {
        for (let index = chunk.indexOf(NEWLINE); index !== -1; index = chunk.indexOf(NEWLINE, index + 1))
          lines += 1;
        progress.rows = Math.min(lines, total);
        await sink.write(chunk);
      }
      progress.rows = total;
    },
  );
}

/**
 * Everything else — and every export read from a replica, where a hot standby allows no
 * temporary table: keyset batches of rendered rows, each batch in its own short transaction.
 */
async function batches(
  database: CrmDatabase,
  reads: HeavyReads,
  plan: Plan,
  sink: FileSink,
  progress: { rows: number },
) {
  const { run, source } = plan;
  const tenantId = run.tenant_id;
  const total = await reads.withTenant(tenantId, (trx) => countSourceRows(jobScope(trx, tenantId), source));
  await setTotal(database, tenantId, run.id, total);
  const secrets = run.reveal_sensitive ? source.columns.filter((column) => column.secret) : [];
  const output = run.format === 'xlsx' ? xlsxOutput(source.columns, sink) : csvOutput(source.columns, sink);
  await output.start();
  const fetchBatch = (cursor: { key: string; id: string } | null): Promise<RenderedRow[]> =>
    reads.withTenant(
      tenantId,
      async (trx) => {
        const scope = jobScope(trx, tenantId);
        const rows = await selectRenderedRows(scope, source, cursor, secrets, BATCH_ROWS);
        if (secrets.length > 0 && rows.length > 0) await reveal(scope, plan, rows, secrets);
        return rows;
      },
      plan.userId,
    );
  // The next batch is read while this one is written (two batches in memory at most).
  let next: Promise<RenderedRow[]> | null = fetchBatch(null);
  while (next) {
    const batch: RenderedRow[] = await next;
    const last = batch.at(-1);
    next = batch.length === BATCH_ROWS && last ? fetchBatch({ key: last.sort_key, id: last.row_id }) : null;
    // A failed read ahead surfaces when it is awaited; until then it must not go unhandled.
    next?.catch(() => undefined);
    for (const row of batch) await output.row(source.columns.map((_, index) => row[`c${index}`] ?? null));
    progress.rows += batch.length;
  }
  await output.end();
}

/**
 * Puts the plaintext of the revealed columns into the rows and records, for every customer
 * in the batch, who saw which fields (never the values) — in the batch's transaction.
 */
async function reveal(scope: Scope, plan: Plan, rows: RenderedRow[], secrets: ExportColumn[]) {
  const cipher = await getCipher(scope);
  const indexOf = new Map(plan.source.columns.map((column, index) => [column.key, index]));
  for (const row of rows) {
    secrets.forEach((column, secretIndex) => {
      const ciphertext = row[`s${secretIndex}`];
      const target = `c${indexOf.get(column.key)}`;
      if (!ciphertext || !column.secret) return;
      try {
        row[target] = cipher.decrypt(column.secret, row.customer_id, ciphertext);
      } catch {
        row[target] = maskHint(null);
      }
    });
  }
  const fields = secrets.map((column) => column.secret ?? column.key);
  await insertRevealAudit(scope, plan.run.id, plan.userId, fields, [
    ...new Set(rows.map((row) => row.customer_id)),
  ]);
}

type Output = {
  start(): Promise<void>;
  row(values: (string | null)[]): Promise<void>;
  end(): Promise<void>;
};

function csvOutput(columns: ExportColumn[], sink: FileSink): Output {
  return {
    async start() {
      await sink.write(UTF8_BOM);
      await sink.write(headerLine(columns));
    },
    row: (values) => sink.write(csvLine(values)),
    end: async () => undefined,
  };
}

/**
 * Excel through ExcelJS's streaming writer: rows are committed as they come and the zip is
 * written to the sink; between rows the writer waits while a chunk is being stored.
 */
function xlsxOutput(columns: ExportColumn[], sink: FileSink): Output {
  let pending: Promise<void> = Promise.resolve();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      pending = pending.then(() => sink.write(chunk));
      pending.then(() => callback(), callback);
    },
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Sheet1', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: column.header,
    key: column.key,
    width: column.kind === 'number' ? 14 : 20,
    ...(column.kind === 'number' && { style: { numFmt: '0.00' } }),
  }));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', () => resolve());
    stream.on('error', reject);
  });
  let rows = 0;
  return {
    start: async () => undefined,
    async row(values) {
      sheet
        .addRow(
          values.map((value, index) =>
            value !== null && columns[index]?.kind === 'number' && value !== '' ? Number(value) : value,
          ),
        )
        .commit();
      rows += 1;
      if (rows % 500 === 0) await pending;
    },
    async end() {
      sheet.commit();
      await workbook.commit();
      await finished;
      await pending;
    },
  };
}
