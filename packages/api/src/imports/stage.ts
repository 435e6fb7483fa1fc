import {
  type CopyIn,
  type CrmDatabase,
  copyText,
  type Database,
  type ImportRun,
  type Transaction,
} from '@crm/db';
import { findUnsafeCharacter, replaceUnstorable } from '@crm/domain';
import { sql } from 'kysely';
import { listDefinitions } from '../custom-fields/custom-fields.service';
import { jobScope } from '../scope';
import { getCipher } from '../sensitive/sensitive.service';
import { loadAccess, loadMembers } from './import-access';
import { readFileChunks } from './imports.repository';
import { fill, ROW_MESSAGES } from './messages';
import { type CellResult, type Members, parseCell } from './parse';
import {
  BATCH_BYTES,
  BATCH_ROWS,
  ERROR_VALUE_CHARS,
  ImportCancelled,
  OUTCOME_COLUMNS,
  type Totals,
} from './plan';
import { PLANS } from './plans';
import { ImportReadError } from './read/errors';
import { formatImportMessage } from './read/messages';
import { openTable } from './read/table';
import { type Target, targetsFor } from './targets';

/** What staging leaves for the commit: the staged rows (in temp tables), the totals so far and the run's context. */
export type StagedFile = Awaited<ReturnType<typeof stageFile>>;

/**
 * Reads the stored file as a stream, maps each row's cells to their targets, parses them,
 * and stages valid rows in the temp table `import_stage` and cell errors in
 * `import_stage_errors`, by COPY in batches. Progress goes out in its own short transactions
 * on a server, where a cancel is seen.
 */
export async function stageFile(
  database: CrmDatabase,
  trx: Transaction<Database>,
  copyIn: CopyIn,
  run: ImportRun,
) {
  const tenantId = run.tenant_id;
  const file = await trx
    .selectFrom('import_files')
    .select(['id', 'name', 'chunk_count', 'size'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', run.file_id ?? '00000000-0000-0000-0000-000000000000')
    .executeTakeFirst();
  if (!file) throw new ImportReadError('FILE_EMPTY');
  const definitions = run.entity === 'customers' ? await listDefinitions(jobScope(trx, tenantId)) : [];
  const targets = new Map(targetsFor(run.entity, definitions).map((target) => [target.key, target]));
  const members = await loadMembers(trx, tenantId);
  const access = await loadAccess(trx, tenantId, run.created_by);
  const mapping = run.mapping as Record<string, string>;
  const usesSecrets = Object.values(mapping).some((key) => key === 'national_id' || key === 'bank_card');
  const cipher = usesSecrets ? await getCipher(jobScope(trx, tenantId)) : null;
  const plan = PLANS[run.entity];
  const phases: Record<string, number> = {};
  let phaseStarted = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - phaseStarted);
    phaseStarted = now;
  };

  await sql
    .raw(
      `create temp table import_stage (row_number integer not null, ${[
        ...plan.columns,
        // The outcome columns a plan does not stage itself (customers stage match_kind and candidate_of).
        ...OUTCOME_COLUMNS.filter((extra) => !plan.columns.some((column) => column.name === extra.name)),
      ]
        .map((column) => `${column.name} ${column.type}`)
        .join(', ')}) on commit drop`,
    )
    .execute(trx);
  await sql`create temp table import_stage_errors (row_number integer not null, seq integer not null,
      column_name text not null, value text, reason text not null, message_zh text not null, message_en text not null)
      on commit drop`.execute(trx);
  // Rows with a cell error are not staged; the group they belong to (an order number) is, so
  // the rest of the group is not written without them.
  await sql`create temp table import_stage_groups (row_number integer not null, key text not null)
      on commit drop`.execute(trx);

  let bytesRead = 0;
  async function* bytes() {
    for await (const chunk of readFileChunks(
      jobScope(trx, tenantId),
      file?.id as string,
      file?.chunk_count ?? 0,
    )) {
      bytesRead += chunk.byteLength;
      yield chunk;
    }
  }
  const table = await openTable(bytes(), { fileName: file.name });
  const columnTargets: { index: number; header: string; target: Target; cache: CellCache }[] = [];
  table.headers.forEach((header, index) => {
    const key = mapping[header];
    const target = key ? targets.get(key) : undefined;
    if (target && !columnTargets.some((column) => column.header === header))
      columnTargets.push({ index, header, target, cache: new Map() });
  });
  const requiredMissing = [...targets.values()].filter(
    (target) =>
      target.required && target.type !== 'custom' && !columnTargets.some((c) => c.target.key === target.key),
  );

  const columnNames = ['row_number', ...plan.columns.map((column) => column.name)];
  let stagedLines: string[] = [];
  let stagedBytes = 0;
  let errorLines: string[] = [];
  let groupLines: string[] = [];
  const totals: Totals = {
    total: 0,
    valid: 0,
    errorRows: 0,
    errorCount: 0,
    created: 0,
    updated: 0,
    skipped: 0,
  };
  const side = database.kind === 'postgres';

  const flush = async () => {
    if (stagedLines.length > 0) await copyIn('import_stage', columnNames, stagedLines);
    if (errorLines.length > 0)
      await copyIn(
        'import_stage_errors',
        ['row_number', 'seq', 'column_name', 'value', 'reason', 'message_zh', 'message_en'],
        errorLines,
      );
    if (groupLines.length > 0) await copyIn('import_stage_groups', ['row_number', 'key'], groupLines);
    stagedLines = [];
    stagedBytes = 0;
    errorLines = [];
    groupLines = [];
    if (side) {
      // Progress in its own short transaction, so the page sees it; a cancel is seen here.
      const progress = await database.withTenant(tenantId, (other) =>
        other
          .updateTable('import_runs')
          .set({ rows_read: totals.total, bytes_read: bytesRead, updated_at: new Date() })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', run.id)
          .returning('cancel_requested')
          .executeTakeFirst(),
      );
      if (progress?.cancel_requested) throw new ImportCancelled();
    }
  };

  const error = (
    rowNumber: number,
    seq: number,
    header: string,
    value: string | null,
    code: string,
    zh: string,
    en: string,
  ) => {
    errorLines.push(
      [
        rowNumber,
        seq,
        copyText(header),
        copyText(value === null ? null : replaceUnstorable(value.slice(0, ERROR_VALUE_CHARS))),
        code,
        copyText(zh),
        copyText(en),
      ].join('\t') + '\n',
    );
    totals.errorCount += 1;
  };
  // A column's error names its column already (the report's 列, the error file's
  // "列名：原因"): its message does not repeat it. A required field without a column does.
  const required = (target: Target) => ({
    zh: fill(ROW_MESSAGES.REQUIRED['zh-CN'], { label: target.zh }),
    en: fill(ROW_MESSAGES.REQUIRED.en, { label: target.en }),
  });
  const empty = { zh: ROW_MESSAGES.EMPTY['zh-CN'], en: ROW_MESSAGES.EMPTY.en };

  for await (const row of table.rows) {
    totals.total += 1;
    const parsed = new Map<string, unknown>();
    let seq = 0;
    for (const missing of requiredMissing) {
      const message = required(missing);
      error(row.rowNumber, seq++, '', null, 'REQUIRED', message.zh, message.en);
    }
    if (row.extraCells && row.extraCells.length > 0) {
      const extra = row.extraCells.join(', ');
      error(
        row.rowNumber,
        seq++,
        '',
        extra,
        'ROW_EXTRA_CELLS',
        formatImportMessage('ROW_EXTRA_CELLS', 'zh-CN', { value: extra }),
        formatImportMessage('ROW_EXTRA_CELLS', 'en', { value: extra }),
      );
    }
    for (const column of columnTargets) {
      const raw = row.cells[column.index] ?? '';
      const { target } = column;
      const result = readCell(column.cache, target, raw, members);
      if (!result.ok) {
        error(row.rowNumber, seq++, column.header, raw, result.code, result.zh, result.en);
      } else if (result.value !== null) {
        parsed.set(target.key, result.value);
      } else if (target.required) {
        error(row.rowNumber, seq++, column.header, raw, 'REQUIRED', empty.zh, empty.en);
      }
    }
    if (seq > 0 && plan.group) {
      const key = parsed.get(plan.group.target);
      if (typeof key === 'string' && key !== '') groupLines.push(`${row.rowNumber}\t${copyText(key)}\n`);
    }
    if (seq === 0) {
      const staged = plan.stage(parsed, {
        rowNumber: row.rowNumber,
        cipher,
        tenantId,
        userId: run.created_by,
      });
      const line = `${[row.rowNumber, ...plan.columns.map((column) => copyText(staged[column.name] as string | null))].join('\t')}\n`;
      stagedLines.push(line);
      stagedBytes += line.length;
    }
    if (stagedLines.length >= BATCH_ROWS || stagedBytes >= BATCH_BYTES || errorLines.length >= BATCH_ROWS)
      await flush();
  }
  await flush();
  phase('readMs');
  return { file, access, cipher, plan, totals, phase, phases };
}

/**
 * A column's cells read so far, by their text: the same text reads the same way in a column
 * (the reading is pure), and files repeat cells — an order's number, customer, time, amount,
 * payment and status on each of its lines, a status or a product on many rows — so a repeated
 * cell is not parsed again. Bounded (short cells only, emptied when full): a column of
 * distinct values costs one lookup a cell and a few hundred short entries of memory. A cached
 * value is shared by the rows that repeat it: plans read it, never change it.
 */
type CellCache = Map<string, CellResult>;
const CELL_CACHE_ENTRIES = 512;
/** Longer cells (notes, needs) are rarely repeated and cheap to read again: not kept. */
const CELL_CACHE_CHARS = 64;

/** A cell read for its target (a control character refused first), through its column's cache. */
function readCell(cache: CellCache, target: Target, raw: string, members: Members): CellResult {
  const known = cache.get(raw);
  if (known) return known;
  const unsafe = findUnsafeCharacter(raw, { multiline: true });
  let result: CellResult;
  if (unsafe) {
    const params = {
      codePoint: unsafe.codePoint,
      position: [...raw.slice(0, unsafe.index)].length + 1,
      picture: replaceUnstorable(raw.charAt(unsafe.index)),
    };
    result = {
      ok: false,
      code: 'CONTROL_CHARACTER',
      zh: formatImportMessage('CONTROL_CHARACTER', 'zh-CN', params),
      en: capitalize(formatImportMessage('CONTROL_CHARACTER', 'en', params)),
    };
  } else result = parseCell(target, raw, members);
  if (raw.length <= CELL_CACHE_CHARS) {
    if (cache.size >= CELL_CACHE_ENTRIES) cache.clear();
    cache.set(raw, result);
  }
  return result;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
