import { Writable } from 'node:stream';
import { hasPermission, ROLE_RECORD_SCOPE } from '@crm/auth';
import type { CrmDatabase, Database, ExportRun, Transaction } from '@crm/db';
import ExcelJS from 'exceljs';
import { type RawBuilder, sql } from 'kysely';
import type { RecordAccess } from '../customers/access';
import type { Locale } from '../i18n';
import { getTenantCipher, maskHint } from '../sensitive';
import type { ExportColumn } from './columns';
import { csvLine, FileSink, UTF8_BOM } from './file-sink';
import { type ExportSource, exportSource, renderedColumns } from './sources';

/** Rows read per round trip where the file is built row by row. */
export const BATCH_ROWS = 2000;

type Plan = {
  run: ExportRun;
  source: ExportSource;
  access: RecordAccess;
  userId: string;
};

export type ExportOutcome = { status: 'done' | 'failed' | 'skipped'; rows: number; bytes: number };

class ExportRefused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

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
    if (!(error instanceof ExportRefused)) throw error;
    await finishRun(database, tenantId, runId, { status: 'failed', error_code: error.code });
    return { status: 'failed', rows: 0, bytes: 0 };
  }
  if (!plan) return { status: 'skipped', rows: 0, bytes: 0 };
  const { run } = plan;
  const sink = new FileSink((seq, bytes) =>
    database.withTenant(tenantId, async (trx) => {
      await trx
        .insertInto('export_file_chunks')
        .values({ tenant_id: tenantId, run_id: runId, seq, bytes })
        .execute();
      await trx
        .updateTable('export_runs')
        .set({ rows_done: progress.rows })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', runId)
        .execute();
    }),
  );
  const progress = { rows: 0 };
  try {
    const fast = run.format === 'csv' && !run.reveal_sensitive && database.copyOut !== undefined;
    if (fast) await copyCsv(database, plan, sink, progress);
    else await batches(database, plan, sink, progress);
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
  return { status: 'done', rows: progress.rows, bytes: sink.size };
}

async function finishRun(
  database: CrmDatabase,
  tenantId: string,
  runId: string,
  values: {
    status: 'done' | 'failed';
    error_code?: string;
    rows_done?: number;
    rows_total?: number;
    file_size?: number;
  },
) {
  await database.withTenant(tenantId, (trx) =>
    trx
      .updateTable('export_runs')
      .set({ ...values, finished_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .execute(),
  );
}

/** Reads the run, checks its creator may still export, marks it running and drops any earlier attempt's file. */
async function prepare(database: CrmDatabase, tenantId: string, runId: string): Promise<Plan | null> {
  const run = await database.withTenant(tenantId, (trx) =>
    trx
      .selectFrom('export_runs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .executeTakeFirst(),
  );
  if (!run || run.status === 'done' || run.status === 'expired') return null;
  return database.withMember(tenantId, run.created_by, async (trx, membership) => {
    // What the creator may see now, not when they asked: a member who lost the permission
    // or left gets no file.
    if (!membership || !hasPermission(membership.role, 'customers.export'))
      throw new ExportRefused('FORBIDDEN');
    if (run.reveal_sensitive && !hasPermission(membership.role, 'sensitive.reveal'))
      throw new ExportRefused('FORBIDDEN');
    const access: RecordAccess = {
      userId: run.created_by,
      teamId: membership.teamId,
      scope: ROLE_RECORD_SCOPE[membership.role],
    };
    await trx
      .deleteFrom('export_file_chunks')
      .where('tenant_id', '=', tenantId)
      .where('run_id', '=', runId)
      .execute();
    await trx
      .updateTable('export_runs')
      .set({ status: 'running', started_at: new Date(), rows_done: 0, rows_total: null })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .execute();
    const source = await exportSource(trx, run, access, run.locale as Locale);
    return { run, source, access, userId: run.created_by };
  });
}

function headerLine(columns: ExportColumn[]): string {
  return csvLine(columns.map((column) => column.header));
}

async function setTotal(database: CrmDatabase, tenantId: string, runId: string, total: number) {
  await database.withTenant(tenantId, (trx) =>
    trx
      .updateTable('export_runs')
      .set({ rows_total: total })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .execute(),
  );
}

const NEWLINE = 0x0a;

/** The fast way: ids into a temporary table, then COPY of the rendered rows in list order. */
async function copyCsv(database: CrmDatabase, plan: Plan, sink: FileSink, progress: { rows: number }) {
  const copyOut = database.copyOut;
  if (!copyOut) throw new Error('COPY needs a PostgreSQL server');
  const { run, source } = plan;
  const direction = sql.raw(source.direction);
  // The ids with their sort value, unsorted: the COPY's one sort puts the rendered rows in
  // list order (sorting here too would sort a million rows twice).
  const fill = sql`insert into export_rows (sort_value, id)
    select f.sort_value, f.id from (${source.ids(database.db)}) f`.compile(database.db);
  const select = sql`select ${renderedColumns(source.columns)}
    from export_rows r ${source.joins(run.tenant_id)}
    order by r.sort_value ${direction}, r.id ${direction}`.compile(database.db);
  if (select.parameters.length > 0) throw new Error('The COPY query must not take parameters');
  const statements = [
    // Room for the join's hash table and the sort of the rendered rows, this transaction only.
    sql`set local work_mem = '64MB'`.compile(database.db),
    sql`create temporary table export_rows (sort_value ${sql.raw(source.sortCast)}, id uuid not null) on commit drop`.compile(
      database.db,
    ),
    fill,
    sql`analyze export_rows`.compile(database.db),
  ];
  await sink.write(UTF8_BOM);
  await sink.write(headerLine(source.columns));
  await copyOut(
    { tenantId: run.tenant_id, userId: plan.userId },
    statements,
    `copy (${select.sql}) to stdout with (format csv)`,
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

type RenderedRow = Record<string, string | null> & { row_id: string; sort_key: string; customer_id: string };

/** Everything else: keyset batches of rendered rows, each batch in its own short transaction. */
async function batches(database: CrmDatabase, plan: Plan, sink: FileSink, progress: { rows: number }) {
  const { run, source } = plan;
  const tenantId = run.tenant_id;
  const total = await database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{
      total: number;
    }>`select count(*)::int as total from (${source.ids(trx)}) f`.execute(trx);
    return rows[0]?.total ?? 0;
  });
  await setTotal(database, tenantId, run.id, total);
  const secrets = run.reveal_sensitive ? source.columns.filter((column) => column.secret) : [];
  const output = run.format === 'xlsx' ? xlsxOutput(source.columns, sink) : csvOutput(source.columns, sink);
  await output.start();
  const direction = sql.raw(source.direction);
  const comparison = sql.raw(source.direction === 'asc' ? '>' : '<');
  const fetchBatch = (cursor: { key: string; id: string } | null): Promise<RenderedRow[]> =>
    database.withTenant(
      tenantId,
      async (trx) => {
        let ids = source.ids(trx);
        if (cursor) {
          const typed = sql`${cursor.key}::text::${sql.raw(source.sortCast)}`;
          ids = ids.where(
            sql<boolean>`(${source.sortExpression}, ${sql.ref(`${source.table}.id`)}) ${comparison} (${typed}, ${cursor.id}::uuid)`,
          );
        }
        const page = ids
          .orderBy(source.sortExpression as RawBuilder<never>, source.direction)
          .orderBy(`${source.table}.id`, source.direction)
          .limit(BATCH_ROWS);
        const secretColumns = secrets.map(
          (column, index) => sql`(select s.ciphertext from customer_secrets s
            where s.tenant_id = customers.tenant_id and s.customer_id = customers.id
              and s.field = ${column.secret ?? ''}) as ${sql.raw(`s${index}`)}`,
        );
        const { rows } = await sql<RenderedRow>`select ${renderedColumns(source.columns)},
            ${secretColumns.length > 0 ? sql`${sql.join(secretColumns)},` : sql``}
            customers.id as customer_id, r.id as row_id, r.sort_key
          from (${page}) r ${source.joins(tenantId)}
          order by r.sort_value ${direction}, r.id ${direction}`.execute(trx);
        if (secrets.length > 0 && rows.length > 0) await reveal(trx, plan, rows, secrets);
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
async function reveal(trx: Transaction<Database>, plan: Plan, rows: RenderedRow[], secrets: ExportColumn[]) {
  const tenantId = plan.run.tenant_id;
  const cipher = await getTenantCipher(trx, tenantId);
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
  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
    select ${tenantId}::uuid, ${plan.userId}::uuid, 'customer', c.id, c.id, 'reveal',
      jsonb_build_object('fields', ${JSON.stringify(fields)}::jsonb, 'export', ${plan.run.id}::text)
    from unnest(${[...new Set(rows.map((row) => row.customer_id))]}::uuid[]) as c(id)`.execute(trx);
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
