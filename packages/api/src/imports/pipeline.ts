import { randomUUID } from 'node:crypto';
import { ROLE_RECORD_SCOPE } from '@crm/auth';
import {
  boundTransaction,
  type CopyIn,
  type CrmDatabase,
  copyText,
  type Database,
  type ImportEntity,
  type ImportRun,
  type Transaction,
} from '@crm/db';
import { findUnsafeCharacter, replaceUnstorable } from '@crm/domain';
import { sql } from 'kysely';
import { listCustomFieldDefinitions } from '../custom-fields/custom-fields.repository';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { refreshCustomerFacts } from '../customers/facts.repository';
import type { Logger } from '../logger';
import { getTenantCipher, type TenantCipher } from '../sensitive';
import { readFileChunks } from './files';
import { fill, MATCH_KIND_LABELS, ROW_MESSAGES } from './messages';
import { type Members, parseCell } from './parse';
import { ImportReadError } from './read/errors';
import { formatImportMessage } from './read/messages';
import { openTable } from './read/table';
import { type Target, targetsFor } from './targets';

/**
 * Rows per COPY into the staging table and per progress report (and at most this many bytes
 * of staged text): small enough that a batch dies young in the garbage collector.
 */
const BATCH_ROWS = 5_000;
const BATCH_BYTES = 2 * 1024 * 1024;
/** A cell value kept in the error report is cut to this many characters. */
const ERROR_VALUE_CHARS = 200;

export class ImportCancelled extends Error {
  constructor() {
    super('Import cancelled');
    this.name = 'ImportCancelled';
  }
}

/** Test seams: called at fixed points inside the run's transaction (a throw rolls it back). */
export type RunHooks = { afterWrite?: () => Promise<void> | void };

type StagedRow = Record<string, string | number | boolean | null>;

/** One entity's staging table and how a parsed row fills it. */
type Plan = {
  columns: { name: string; type: string }[];
  /** A valid row's staged values (by column); `id` for new customers. */
  stage(row: Map<string, unknown>, context: RowContext): StagedRow;
};

type RowContext = { rowNumber: number; cipher: TenantCipher | null; tenantId: string; userId: string };

export type RunDependencies = { database: CrmDatabase; logger: Logger };

type Totals = {
  total: number;
  valid: number;
  errorRows: number;
  errorCount: number;
  created: number;
  updated: number;
  skipped: number;
};

/** Import runs of one tenant that may run at once in the whole deployment (the rest wait their turn). */
export const IMPORT_RUNS_PER_TENANT = 1;
/** One statement of a run may take this long (the commit's INSERT of a million customers: minutes). */
export const IMPORT_STATEMENT_TIMEOUT = '20min';
/** A run's transaction may sit idle this long (the worker stopped sending) before PostgreSQL ends it. */
export const IMPORT_IDLE_TIMEOUT = '5min';
/** A run older than this that is still not finished is dead; its job's expiry too. */
export const IMPORT_RUN_EXPIRY_SECONDS = 2 * 60 * 60;

/** How a run left `runImport`: done (whatever its status), or waiting for the tenant's other run. */
export type RunOutcome = 'done' | 'deferred';

/**
 * The name the run's database session carries while it runs, so a cancel can find it in
 * pg_stat_activity and interrupt the statement it is in.
 */
export function importSessionName(runId: string): string {
  return `crm-import:${runId}`;
}

/**
 * Runs an import (dry run or commit) from the stored file: reads it as a stream, maps and
 * parses each row, stages valid rows in a temp table by COPY, validates references and
 * duplicates set-based, writes every error, and — a commit with no errors only — writes
 * the rows into the tenant's tables. All in one transaction: a failure or a cancel leaves
 * nothing but the run's status and its reason. Progress goes out in separate short
 * transactions (server only: PGlite has one session, which the run holds). A tenant runs
 * at most {@link IMPORT_RUNS_PER_TENANT} imports at once: another run of the same tenant
 * returns 'deferred' and the job is queued again.
 */
export async function runImport(
  dependencies: RunDependencies,
  tenantId: string,
  runId: string,
  hooks: RunHooks = {},
): Promise<RunOutcome> {
  const { database, logger } = dependencies;
  const claimed = await claimRun(database, tenantId, runId);
  if (claimed === 'gone') return 'done';
  if (claimed === 'busy') return 'deferred';
  const run = claimed;
  try {
    await database.withTenantCopy(tenantId, run.created_by, async (trx, copyIn) => {
      await boundTransaction(trx, {
        statementTimeout: IMPORT_STATEMENT_TIMEOUT,
        idleTimeout: IMPORT_IDLE_TIMEOUT,
      });
      await sql`select set_config('application_name', ${importSessionName(runId)}, true)`.execute(trx);
      await execute(database, logger, trx, copyIn, run, hooks);
    });
  } catch (error) {
    // A cancel interrupts the running statement (57014 "due to user request"); the cancel's
    // own transaction may commit its flag a moment after.
    const interrupted =
      sqlState(error) === '57014' && error instanceof Error && /user request/i.test(error.message);
    const cancelled =
      error instanceof ImportCancelled ||
      interrupted ||
      (sqlState(error) === '57014' && (await cancelRequested(database, tenantId, runId)));
    if (cancelled) {
      await finish(database, tenantId, runId, { status: 'cancelled' });
      return 'done';
    }
    const failure = failureOf(error);
    logger.error(
      {
        runId,
        tenantId,
        failure,
        sqlState: sqlState(error),
        err: error instanceof Error ? error.message : String(error),
      },
      'import failed',
    );
    await finish(database, tenantId, runId, { status: 'failed', failure });
  }
  return 'done';
}

/**
 * Marks the run started, unless it is finished or cancelled ('gone') or another run of the
 * tenant is running ('busy'). The tenant's advisory lock makes the check and the mark one
 * step across processes.
 */
async function claimRun(
  database: CrmDatabase,
  tenantId: string,
  runId: string,
): Promise<ImportRun | 'gone' | 'busy'> {
  return database.withTenant(tenantId, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`imports:${tenantId}`}, 0))`.execute(trx);
    const run = await trx
      .selectFrom('import_runs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .executeTakeFirst();
    if (!run || !['created', 'validating', 'committing'].includes(run.status)) return 'gone';
    const now = new Date();
    if (run.cancel_requested) {
      await trx
        .updateTable('import_runs')
        .set({ status: 'cancelled', finished_at: now, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', runId)
        .execute();
      return 'gone';
    }
    // Another run is running when its session is (it names itself), or it was claimed a
    // moment ago and is opening it. On PGlite the run holds the one session: none is running
    // while this transaction can run.
    if (database.kind === 'postgres') {
      const others = await sql<{ running: string }>`
        select count(*) as running from import_runs r
        where r.tenant_id = ${tenantId} and r.id <> ${runId} and r.status in ('validating', 'committing')
          and (r.started_at > now() - interval '2 minutes'
            or exists (select 1 from pg_stat_activity a where a.application_name = 'crm-import:' || r.id::text))`.execute(
        trx,
      );
      if (Number(others.rows[0]?.running ?? 0) >= IMPORT_RUNS_PER_TENANT) return 'busy';
    }
    return trx
      .updateTable('import_runs')
      .set({ status: 'validating', started_at: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

async function cancelRequested(database: CrmDatabase, tenantId: string, runId: string): Promise<boolean> {
  const run = await database.withTenant(tenantId, (trx) =>
    trx
      .selectFrom('import_runs')
      .select('cancel_requested')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .executeTakeFirst(),
  );
  return run?.cancel_requested === true;
}

function sqlState(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/**
 * The reason a failed run shows (imports.service turns it into a message): READ:<code> <params>
 * for a file that cannot be read, TIMEOUT when a statement ran past its bound, TEXT when the
 * database refused a value's characters, INTERNAL otherwise.
 */
function failureOf(error: unknown): string {
  if (error instanceof ImportReadError) return `READ:${error.message}`;
  const state = sqlState(error);
  if (state === '57014' || state === '25P03') return 'TIMEOUT';
  if (state === '22021' || state === '22P05') return 'TEXT';
  return 'INTERNAL';
}

async function finish(
  database: CrmDatabase,
  tenantId: string,
  runId: string,
  values: { status: 'cancelled' | 'failed'; failure?: string },
) {
  await database.withTenant(tenantId, (trx) =>
    trx
      .updateTable('import_runs')
      .set({ ...values, finished_at: new Date(), updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .where('status', 'in', ['created', 'validating', 'committing'])
      .execute(),
  );
}

async function execute(
  database: CrmDatabase,
  logger: Logger,
  trx: Transaction<Database>,
  copyIn: CopyIn,
  run: ImportRun,
  hooks: RunHooks,
): Promise<void> {
  const tenantId = run.tenant_id;
  const file = await trx
    .selectFrom('import_files')
    .select(['id', 'name', 'chunk_count', 'size'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', run.file_id ?? '00000000-0000-0000-0000-000000000000')
    .executeTakeFirst();
  if (!file) throw new ImportReadError('FILE_EMPTY');
  const definitions = run.entity === 'customers' ? await listCustomFieldDefinitions(trx, tenantId) : [];
  const targets = new Map(targetsFor(run.entity, definitions).map((target) => [target.key, target]));
  const members = await loadMembers(trx, tenantId);
  const access = await loadAccess(trx, tenantId, run.created_by);
  const mapping = run.mapping as Record<string, string>;
  const usesSecrets = Object.values(mapping).some((key) => key === 'national_id' || key === 'bank_card');
  const cipher = usesSecrets ? await getTenantCipher(trx, tenantId) : null;
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
      `create temp table import_stage (row_number integer not null, ${plan.columns
        .map((column) => `${column.name} ${column.type}`)
        .join(', ')}) on commit drop`,
    )
    .execute(trx);
  await sql`create temp table import_stage_errors (row_number integer not null, seq integer not null,
      column_name text not null, value text, reason text not null, message_zh text not null, message_en text not null)
      on commit drop`.execute(trx);

  let bytesRead = 0;
  async function* bytes() {
    for await (const chunk of readFileChunks(trx, tenantId, file?.id as string, file?.chunk_count ?? 0)) {
      bytesRead += chunk.byteLength;
      yield chunk;
    }
  }
  const table = await openTable(bytes(), { fileName: file.name });
  const columnTargets: { index: number; header: string; target: Target }[] = [];
  table.headers.forEach((header, index) => {
    const key = mapping[header];
    const target = key ? targets.get(key) : undefined;
    if (target && !columnTargets.some((column) => column.header === header))
      columnTargets.push({ index, header, target });
  });
  const requiredMissing = [...targets.values()].filter(
    (target) =>
      target.required && target.type !== 'custom' && !columnTargets.some((c) => c.target.key === target.key),
  );

  const columnNames = ['row_number', ...plan.columns.map((column) => column.name)];
  let stagedLines: string[] = [];
  let stagedBytes = 0;
  let errorLines: string[] = [];
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
    stagedLines = [];
    stagedBytes = 0;
    errorLines = [];
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
  const required = (target: Target) => ({
    zh: fill(ROW_MESSAGES.REQUIRED['zh-CN'], { label: target.zh }),
    en: fill(ROW_MESSAGES.REQUIRED.en, { label: target.en }),
  });

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
      const unsafe = findUnsafeCharacter(raw, { multiline: true });
      if (unsafe) {
        const params = {
          codePoint: unsafe.codePoint,
          position: [...raw.slice(0, unsafe.index)].length + 1,
          picture: replaceUnstorable(raw.charAt(unsafe.index)),
        };
        error(
          row.rowNumber,
          seq++,
          column.header,
          raw,
          'CONTROL_CHARACTER',
          `${target.zh}：${formatImportMessage('CONTROL_CHARACTER', 'zh-CN', params)}`,
          `${target.en}: ${formatImportMessage('CONTROL_CHARACTER', 'en', params)}`,
        );
        continue;
      }
      const result = parseCell(target, raw, members);
      if (!result.ok) {
        error(row.rowNumber, seq++, column.header, raw, result.code, result.zh, result.en);
      } else if (result.value !== null) {
        parsed.set(target.key, result.value);
      } else if (target.required) {
        const message = required(target);
        error(row.rowNumber, seq++, column.header, raw, 'REQUIRED', message.zh, message.en);
      }
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

  // Set-based checks against the tenant's data and across the file's rows.
  await sql`create index on import_stage (row_number)`.execute(trx);
  await sql`analyze import_stage`.execute(trx);
  await VALIDATE[run.entity](trx, tenantId);
  if (access.scope !== 'all') await confineToAccess(trx, tenantId, run.entity, access);
  phase('validateMs');

  await sql`
    insert into import_errors (tenant_id, run_id, row_number, seq, column_name, value, reason, message_zh, message_en)
    select ${tenantId}, ${run.id}, row_number, seq, column_name, value, reason, message_zh, message_en
    from import_stage_errors`.execute(trx);
  const counts = await sql<{ error_rows: string; error_count: string; valid: string }>`
    select (select count(distinct row_number) from import_stage_errors) as error_rows,
           (select count(*) from import_stage_errors) as error_count,
           (select count(*) from import_stage s
              where not exists (select 1 from import_stage_errors e where e.row_number = s.row_number)) as valid`.execute(
    trx,
  );
  const count = counts.rows[0];
  totals.errorRows = Number(count?.error_rows ?? 0);
  totals.errorCount = Number(count?.error_count ?? 0);
  totals.valid = Number(count?.valid ?? 0);

  let status: ImportRun['status'] = 'validated';
  let failure: string | null = null;
  if (!run.dry_run) {
    if (totals.errorCount > 0) {
      status = 'failed';
      failure = 'HAS_ERRORS';
    } else {
      const written = await WRITE[run.entity](trx, tenantId, run, cipher);
      totals.created = written.created;
      totals.updated = written.updated;
      totals.skipped = written.skipped;
      phase('writeMs');
      await hooks.afterWrite?.();
      status = 'committed';
    }
  } else {
    // What a commit would do, for the dry run's summary.
    // Rows with errors are neither created nor matched: count the valid ones only.
    const preview = await sql<{ matched: string }>`
      select count(*) as matched from import_stage s
      where s.matched_id is not null
        and not exists (select 1 from import_stage_errors e where e.row_number = s.row_number)`.execute(trx);
    const matched = Number(preview.rows[0]?.matched ?? 0);
    totals.created = totals.valid - matched;
    if (run.on_match === 'update') totals.updated = matched;
    else totals.skipped = matched;
  }
  const finished = await trx
    .updateTable('import_runs')
    .set({
      status,
      failure,
      rows_read: totals.total,
      bytes_read: Number(file.size),
      total_rows: totals.total,
      valid_rows: totals.valid,
      error_rows: totals.errorRows,
      error_count: totals.errorCount,
      created_count: totals.created,
      updated_count: totals.updated,
      skipped_count: totals.skipped,
      finished_at: new Date(),
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', run.id)
    .where('status', 'in', ['validating', 'committing'])
    .where('cancel_requested', '=', false)
    .executeTakeFirst();
  // Cancelled (or ended by the watchdog) while the last statements ran: roll everything back.
  if (Number(finished.numUpdatedRows) === 0) throw new ImportCancelled();
  logger.info(
    {
      runId: run.id,
      tenantId,
      entity: run.entity,
      dryRun: run.dry_run,
      status,
      rows: totals.total,
      ...phases,
    },
    'import finished',
  );
}

/** The importing member's record access (a sales manager sees the team's customers only). */
async function loadAccess(
  trx: Transaction<Database>,
  tenantId: string,
  userId: string,
): Promise<RecordAccess> {
  const membership = await trx
    .selectFrom('memberships')
    .select(['role', 'team_id'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!membership) throw new Error('The member who started the import is no longer a member');
  return { userId, teamId: membership.team_id, scope: ROLE_RECORD_SCOPE[membership.role] };
}

/**
 * Record-level access, set-based: a row may not update a customer the importing member does
 * not see, and orders and interactions may only name customers they see (others are
 * reported as not found, as everywhere else).
 */
async function confineToAccess(
  trx: Transaction<Database>,
  tenantId: string,
  entity: ImportEntity,
  access: RecordAccess,
) {
  if (entity === 'customers') {
    await sql`
      insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
      select s.row_number, 1004, '', null, 'CUSTOMER_NOT_VISIBLE',
        ${ROW_MESSAGES.CUSTOMER_NOT_VISIBLE['zh-CN']}, ${ROW_MESSAGES.CUSTOMER_NOT_VISIBLE.en}
      from import_stage s
      join customers on customers.tenant_id = ${tenantId} and customers.id = s.matched_id
      where not (${visibleCustomer(access)})`.execute(trx);
    return;
  }
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select s.row_number, 1004, '', coalesce(s.ref_number, s.ref_credit_code, s.ref_phone, s.ref_name), 'CUSTOMER_NOT_FOUND',
      ${ROW_MESSAGES.CUSTOMER_NOT_FOUND['zh-CN']}, ${ROW_MESSAGES.CUSTOMER_NOT_FOUND.en}
    from import_stage s
    join customers on customers.tenant_id = ${tenantId} and customers.id = s.customer_id
    where not (${visibleCustomer(access)})`.execute(trx);
}

/** Members by lower-cased email and by name (a name two members share matches neither). */
async function loadMembers(trx: Transaction<Database>, tenantId: string): Promise<Members> {
  const rows = await trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.email', 'users.name'])
    .where('memberships.tenant_id', '=', tenantId)
    .execute();
  const members: Members = new Map();
  const names = new Map<string, number>();
  for (const row of rows)
    names.set(row.name.trim().toLowerCase(), (names.get(row.name.trim().toLowerCase()) ?? 0) + 1);
  for (const row of rows) {
    members.set(row.email.toLowerCase(), row.id);
    const name = row.name.normalize('NFKC').trim().toLowerCase();
    if (names.get(row.name.trim().toLowerCase()) === 1) members.set(name, row.id);
  }
  return members;
}

const text = (value: unknown): string | null =>
  value === undefined || value === null ? null : String(value);

// ---------------------------------------------------------------------------------------
// Customers

const SECRET_FIELDS = ['national_id', 'bank_card'] as const;

const CUSTOMER_PLAN: Plan = {
  columns: [
    { name: 'id', type: 'uuid not null' },
    { name: 'name', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'customer_number', type: 'text' },
    { name: 'credit_code', type: 'text' },
    { name: 'phone', type: 'text' },
    { name: 'email', type: 'text' },
    { name: 'industry', type: 'text' },
    { name: 'owner_user_id', type: 'uuid' },
    { name: 'birthday', type: 'date' },
    { name: 'founded_on', type: 'date' },
    { name: 'addresses', type: 'jsonb' },
    { name: 'need_type', type: 'text' },
    { name: 'explicit_needs', type: 'text' },
    { name: 'implicit_needs', type: 'text' },
    { name: 'pain_points', type: 'text' },
    { name: 'purchase_plan', type: 'text' },
    { name: 'purchase_plan_amount', type: 'numeric(16, 2)' },
    { name: 'purchase_plan_expected_on', type: 'date' },
    { name: 'tag_names', type: 'text[]' },
    { name: 'custom_fields', type: 'jsonb' },
    { name: 'contact_name', type: 'text' },
    { name: 'contact_title', type: 'text' },
    { name: 'contact_phone', type: 'text' },
    { name: 'contact_email', type: 'text' },
    { name: 'secrets', type: 'jsonb' },
    { name: 'matched_id', type: 'uuid' },
  ],
  stage(row, context) {
    const id = randomUUID();
    const custom: Record<string, unknown> = {};
    for (const [key, value] of row) if (key.startsWith('custom:')) custom[key.slice(7)] = value;
    const tags = row.get('tags') as string[] | undefined;
    const address = row.get('address') as string | undefined;
    let secrets: string | null = null;
    if (context.cipher) {
      const sealed = SECRET_FIELDS.filter((field) => row.has(field)).map((field) => ({
        field,
        ...(context.cipher as TenantCipher).encrypt(field, id, String(row.get(field))),
      }));
      if (sealed.length > 0) secrets = JSON.stringify(sealed);
    }
    return {
      id,
      name: text(row.get('name')),
      kind: text(row.get('kind')),
      customer_number: text(row.get('customer_number')),
      credit_code: text(row.get('credit_code')),
      phone: text(row.get('phone')),
      email: text(row.get('email')),
      industry: text(row.get('industry')),
      owner_user_id: text(row.get('owner')),
      birthday: text(row.get('birthday')),
      founded_on: text(row.get('founded_on')),
      addresses: address ? JSON.stringify([{ street: address }]) : null,
      need_type: text(row.get('need_type')),
      explicit_needs: text(row.get('explicit_needs')),
      implicit_needs: text(row.get('implicit_needs')),
      pain_points: text(row.get('pain_points')),
      purchase_plan: text(row.get('purchase_plan')),
      purchase_plan_amount: text(row.get('purchase_plan_amount')),
      purchase_plan_expected_on: text(row.get('purchase_plan_expected_on')),
      tag_names: tags && tags.length > 0 ? pgArray(tags) : null,
      custom_fields: Object.keys(custom).length > 0 ? JSON.stringify(custom) : null,
      contact_name: text(row.get('contact.name')),
      contact_title: text(row.get('contact.title')),
      contact_phone: text(row.get('contact.phone')),
      contact_email: text(row.get('contact.email')),
      secrets,
      matched_id: null,
    };
  },
};

/** A text[] literal. */
function pgArray(items: string[]): string {
  return `{${items.map((item) => `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/** Error rows written by SQL: seq from 1000 up, so they sort after the row's cell errors. */
async function validateCustomers(trx: Transaction<Database>, tenantId: string): Promise<void> {
  // Every match key of every staged row, normalised by the same SQL as stored customers'.
  await sql`
    create temp table import_keys on commit drop as
    select row_number, kind, value, priority from (
      select row_number, 'customer_number' as kind, customer_number as value, 1 as priority from import_stage
      union all select row_number, 'credit_code', credit_code, 2 from import_stage
      union all select row_number, 'phone', crm_normalize_phone(phone), 3 from import_stage
      union all select row_number, 'email', crm_normalize_email(email), 4 from import_stage
      union all select row_number, 'name', crm_normalize_company_name(name), 5 from import_stage
        where coalesce(kind, 'company') = 'company'
    ) k where value is not null and value <> ''`.execute(trx);
  // The same customer twice in the file: the later row is an error.
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select distinct on (row_number) row_number, 1000, '', value, 'DUPLICATE_IN_FILE',
      format(${ROW_MESSAGES.DUPLICATE_IN_FILE['zh-CN'].replace('{row}', '%s').replace('{kind}', '%s')}, first_row, kind_zh),
      format(${ROW_MESSAGES.DUPLICATE_IN_FILE.en.replace('{row}', '%s').replace('{kindEn}', '%s')}, first_row, kind_en)
    from (
      select k.row_number, k.value, k.priority, min(k.row_number) over (partition by k.kind, k.value) as first_row,
        l.zh as kind_zh, l.en as kind_en
      from import_keys k
      join (values ${sql.join(
        Object.entries(MATCH_KIND_LABELS).map(([kind, label]) => sql`(${kind}, ${label.zh}, ${label.en})`),
      )}) as l(kind, zh, en) on l.kind = k.kind
    ) d
    where row_number <> first_row
    order by row_number, priority`.execute(trx);
  // Existing customers by their keys: the most specific key that matches decides.
  await sql`
    create temp table import_matches on commit drop as
    select distinct on (row_number) row_number, kind, ids from (
      select k.row_number, k.kind, k.priority, array_agg(distinct c.id) as ids
      from import_keys k
      join customers c on c.tenant_id = ${tenantId} and c.customer_number = k.value
      where k.kind = 'customer_number'
      group by k.row_number, k.kind, k.priority
      union all
      select k.row_number, k.kind, k.priority, array_agg(distinct m.customer_id)
      from import_keys k
      join customer_match_keys m on m.tenant_id = ${tenantId} and m.kind = k.kind and m.value = k.value
      where k.kind <> 'customer_number'
      group by k.row_number, k.kind, k.priority
    ) m
    order by row_number, priority`.execute(trx);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select m.row_number, 1001, '', null, 'AMBIGUOUS_MATCH',
      replace(${ROW_MESSAGES.AMBIGUOUS_MATCH['zh-CN']}, '{kind}', l.zh), replace(${ROW_MESSAGES.AMBIGUOUS_MATCH.en}, '{kindEn}', l.en)
    from import_matches m
    join (values ${sql.join(
      Object.entries(MATCH_KIND_LABELS).map(([kind, label]) => sql`(${kind}, ${label.zh}, ${label.en})`),
    )}) as l(kind, zh, en) on l.kind = m.kind
    where cardinality(m.ids) > 1`.execute(trx);
  await sql`
    update import_stage s set matched_id = m.ids[1]
    from import_matches m where m.row_number = s.row_number and cardinality(m.ids) = 1`.execute(trx);
}

type Written = { created: number; updated: number; skipped: number };

async function writeCustomers(
  trx: Transaction<Database>,
  tenantId: string,
  run: ImportRun,
  cipher: TenantCipher | null,
): Promise<Written> {
  const userId = run.created_by;
  const update = run.on_match === 'update';
  // Tags named in the file that the tenant does not have yet.
  await sql`
    insert into tags (tenant_id, name, created_by)
    select distinct on (lower(t)) ${tenantId}::uuid, t, ${userId}::uuid
    from import_stage s cross join unnest(s.tag_names) as t
    where s.tag_names is not null and (s.matched_id is null or ${update})
    order by lower(t)
    on conflict do nothing`.execute(trx);
  const tagIds = sql`coalesce((select array_agg(distinct g.id) from tags g
      where g.tenant_id = ${tenantId} and lower(g.name) in (select lower(x) from unnest(s.tag_names) x)), '{}')`;
  const created = await sql`
    insert into customers (tenant_id, id, name, kind, customer_number, credit_code, phone, email, industry,
      owner_user_id, created_by, birthday, founded_on, addresses, need_type, explicit_needs, implicit_needs,
      pain_points, purchase_plan, purchase_plan_amount, purchase_plan_expected_on, tag_ids, custom_fields,
      completeness)
    select ${tenantId}, s.id, s.name, coalesce(s.kind, 'company'), s.customer_number, s.credit_code, s.phone, s.email,
      s.industry, coalesce(s.owner_user_id, ${userId}::uuid), ${userId}::uuid, s.birthday, s.founded_on,
      coalesce(s.addresses, '[]'), s.need_type, s.explicit_needs, s.implicit_needs, s.pain_points, s.purchase_plan,
      s.purchase_plan_amount, s.purchase_plan_expected_on,
      case when s.tag_names is null then '{}' else ${tagIds} end,
      coalesce(s.custom_fields, '{}'),
      -- Completeness from the staged row itself (its columns are named as the customer's),
      -- so the new rows are written once, not inserted and then updated.
      (customer_completeness(
        to_jsonb(s) || jsonb_build_object('kind', coalesce(s.kind, 'company'), 'addresses', coalesce(s.addresses, '[]'),
          'custom_fields', coalesce(s.custom_fields, '{}')),
        t.completeness_weights, case when s.contact_name is null then 0 else 1 end)).score
    from import_stage s
    cross join tenants t
    where s.matched_id is null and t.id = ${tenantId}`.execute(trx);
  let updated = 0;
  if (update) {
    const result = await sql`
      update customers c set
        name = coalesce(s.name, c.name), kind = coalesce(s.kind, c.kind),
        customer_number = coalesce(s.customer_number, c.customer_number),
        credit_code = coalesce(s.credit_code, c.credit_code),
        phone = coalesce(s.phone, c.phone), email = coalesce(s.email, c.email),
        industry = coalesce(s.industry, c.industry), owner_user_id = coalesce(s.owner_user_id, c.owner_user_id),
        birthday = coalesce(s.birthday, c.birthday), founded_on = coalesce(s.founded_on, c.founded_on),
        addresses = case when s.addresses is null then c.addresses else c.addresses || s.addresses end,
        need_type = coalesce(s.need_type, c.need_type),
        explicit_needs = coalesce(s.explicit_needs, c.explicit_needs),
        implicit_needs = coalesce(s.implicit_needs, c.implicit_needs),
        pain_points = coalesce(s.pain_points, c.pain_points),
        purchase_plan = coalesce(s.purchase_plan, c.purchase_plan),
        purchase_plan_amount = coalesce(s.purchase_plan_amount, c.purchase_plan_amount),
        purchase_plan_expected_on = coalesce(s.purchase_plan_expected_on, c.purchase_plan_expected_on),
        tag_ids = case when s.tag_names is null then c.tag_ids
          else array(select distinct x from unnest(c.tag_ids || ${tagIds}) x) end,
        custom_fields = c.custom_fields || coalesce(s.custom_fields, '{}'),
        updated_at = now()
      from import_stage s
      where c.tenant_id = ${tenantId} and c.id = s.matched_id`.execute(trx);
    updated = Number(result.numAffectedRows ?? 0);
  }
  // The primary contact: new customers' always; a matched customer's when it has none of that
  // name. Two statements: the first, for all the new rows, has no subquery to plan around.
  await sql`
    insert into contacts (tenant_id, customer_id, name, title, phones, emails, is_primary)
    select ${tenantId}, s.id, s.contact_name, s.contact_title,
      case when s.contact_phone is null then '{}' else array[s.contact_phone] end,
      case when s.contact_email is null then '{}' else array[s.contact_email] end,
      true
    from import_stage s
    where s.contact_name is not null and s.matched_id is null`.execute(trx);
  if (update) {
    await sql`
      insert into contacts (tenant_id, customer_id, name, title, phones, emails, is_primary)
      select ${tenantId}, s.matched_id, s.contact_name, s.contact_title,
        case when s.contact_phone is null then '{}' else array[s.contact_phone] end,
        case when s.contact_email is null then '{}' else array[s.contact_email] end,
        false
      from import_stage s
      where s.contact_name is not null and s.matched_id is not null
        and not exists (select 1 from contacts k
          where k.tenant_id = ${tenantId} and k.customer_id = s.matched_id and k.name = s.contact_name)`.execute(
      trx,
    );
  }
  if (cipher) {
    await sql`
      insert into customer_secrets (tenant_id, customer_id, field, ciphertext, key_version, blind_index, hint)
      select ${tenantId}, s.id, e ->> 'field', e ->> 'ciphertext', (e ->> 'keyVersion')::int, e ->> 'blindIndex', e ->> 'hint'
      from import_stage s cross join jsonb_array_elements(s.secrets) e
      where s.secrets is not null and s.matched_id is null`.execute(trx);
    if (update) await resealMatchedSecrets(trx, tenantId, cipher);
  }
  // Completeness of the customers the import updated (facts need no refresh: no orders changed).
  if (update)
    await sql`
    update customers c set completeness = x.score
    from (
      select k.id, cc.score
      from import_stage s
      join customers k on k.tenant_id = ${tenantId} and k.id = coalesce(s.matched_id, s.id)
      join tenants t on t.id = k.tenant_id
      cross join lateral customer_completeness(to_jsonb(k), t.completeness_weights,
        (select count(*)::int from contacts n where n.tenant_id = k.tenant_id and n.customer_id = k.id)) cc
      where s.matched_id is not null
    ) x
    where c.tenant_id = ${tenantId} and c.id = x.id and c.completeness <> x.score`.execute(trx);
  const matched = await sql<{
    n: string;
  }>`select count(*) as n from import_stage where matched_id is not null`.execute(trx);
  const matchedCount = Number(matched.rows[0]?.n ?? 0);
  return {
    created: Number(created.numAffectedRows ?? 0),
    updated,
    skipped: update ? matchedCount - updated : matchedCount,
  };
}

/**
 * Rows that update an existing customer carry ciphertext bound to the id the row was staged
 * with: those, and only those, are decrypted and sealed again under the customer's id.
 */
async function resealMatchedSecrets(trx: Transaction<Database>, tenantId: string, cipher: TenantCipher) {
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ row_number: number; id: string; matched_id: string; secrets: unknown }>`
      select row_number, id, matched_id, secrets from import_stage
      where matched_id is not null and secrets is not null and row_number > ${after}
      order by row_number limit 5000`.execute(trx);
    if (rows.length === 0) return;
    after = (rows.at(-1) as { row_number: number }).row_number;
    const values = rows.flatMap((row) => {
      const sealed = (typeof row.secrets === 'string' ? JSON.parse(row.secrets) : row.secrets) as {
        field: string;
        ciphertext: string;
      }[];
      return sealed.map((item) => {
        const plain = cipher.decrypt(item.field, row.id, item.ciphertext);
        const again = cipher.encrypt(item.field, row.matched_id, plain);
        return sql`(${row.matched_id}::uuid, ${item.field}, ${again.ciphertext}, ${again.keyVersion}::int, ${again.blindIndex}, ${again.hint})`;
      });
    });
    await sql`
      insert into customer_secrets (tenant_id, customer_id, field, ciphertext, key_version, blind_index, hint)
      select ${tenantId}, v.customer_id, v.field, v.ciphertext, v.key_version, v.blind_index, v.hint
      from (values ${sql.join(values)}) as v(customer_id, field, ciphertext, key_version, blind_index, hint)
      on conflict (tenant_id, customer_id, field) do update set ciphertext = excluded.ciphertext,
        key_version = excluded.key_version, blind_index = excluded.blind_index, hint = excluded.hint,
        updated_at = now()`.execute(trx);
  }
}

// ---------------------------------------------------------------------------------------
// Orders and interactions: each row names its customer.

const REFERENCE_COLUMNS = [
  { name: 'ref_number', type: 'text' },
  { name: 'ref_credit_code', type: 'text' },
  { name: 'ref_phone', type: 'text' },
  { name: 'ref_name', type: 'text' },
  { name: 'customer_id', type: 'uuid' },
  { name: 'matched_id', type: 'uuid' },
];

function referenceValues(row: Map<string, unknown>) {
  return {
    ref_number: text(row.get('customer.number')),
    ref_credit_code: text(row.get('customer.credit_code'))?.normalize('NFKC').toUpperCase() ?? null,
    ref_phone: text(row.get('customer.phone')),
    ref_name: text(row.get('customer.name')),
    customer_id: null,
    matched_id: null,
  };
}

/** Resolves every row's customer set-based: by number, credit code, phone, then name. */
async function resolveCustomers(trx: Transaction<Database>, tenantId: string) {
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select row_number, 1000, '', null, 'CUSTOMER_REFERENCE_MISSING',
      ${ROW_MESSAGES.CUSTOMER_REFERENCE_MISSING['zh-CN']}, ${ROW_MESSAGES.CUSTOMER_REFERENCE_MISSING.en}
    from import_stage
    where ref_number is null and ref_credit_code is null and ref_phone is null and ref_name is null`.execute(
    trx,
  );
  await sql`
    create temp table import_refs on commit drop as
    select distinct on (row_number) row_number, ids, value from (
      select s.row_number, 1 as priority, array_agg(distinct c.id) as ids, s.ref_number as value
      from import_stage s join customers c on c.tenant_id = ${tenantId} and c.customer_number = s.ref_number
      where s.ref_number is not null group by s.row_number, s.ref_number
      union all
      select s.row_number, 2, array_agg(distinct c.id), s.ref_credit_code
      from import_stage s join customers c on c.tenant_id = ${tenantId} and c.credit_code = s.ref_credit_code
      where s.ref_credit_code is not null group by s.row_number, s.ref_credit_code
      union all
      select s.row_number, 3, array_agg(distinct m.customer_id), s.ref_phone
      from import_stage s join customer_match_keys m
        on m.tenant_id = ${tenantId} and m.kind = 'phone' and m.value = crm_normalize_phone(s.ref_phone)
      where s.ref_phone is not null group by s.row_number, s.ref_phone
      union all
      select s.row_number, 4, array_agg(distinct c.id), s.ref_name
      from import_stage s join customers c on c.tenant_id = ${tenantId} and c.name = s.ref_name
      where s.ref_name is not null group by s.row_number, s.ref_name
    ) r order by row_number, priority`.execute(trx);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select s.row_number, 1001, '', coalesce(s.ref_number, s.ref_credit_code, s.ref_phone, s.ref_name),
      case when r.ids is null then 'CUSTOMER_NOT_FOUND' else 'CUSTOMER_AMBIGUOUS' end,
      case when r.ids is null then ${ROW_MESSAGES.CUSTOMER_NOT_FOUND['zh-CN']} else ${ROW_MESSAGES.CUSTOMER_AMBIGUOUS['zh-CN']} end,
      case when r.ids is null then ${ROW_MESSAGES.CUSTOMER_NOT_FOUND.en} else ${ROW_MESSAGES.CUSTOMER_AMBIGUOUS.en} end
    from import_stage s left join import_refs r on r.row_number = s.row_number
    where (s.ref_number is not null or s.ref_credit_code is not null or s.ref_phone is not null or s.ref_name is not null)
      and (r.ids is null or cardinality(r.ids) > 1)`.execute(trx);
  await sql`
    update import_stage s set customer_id = r.ids[1]
    from import_refs r where r.row_number = s.row_number and cardinality(r.ids) = 1`.execute(trx);
}

const ORDER_PLAN: Plan = {
  columns: [
    ...REFERENCE_COLUMNS,
    { name: 'order_number', type: 'text' },
    { name: 'ordered_at', type: 'timestamptz' },
    { name: 'amount', type: 'numeric(16, 2)' },
    { name: 'currency', type: 'text' },
    { name: 'profit', type: 'numeric(16, 2)' },
    { name: 'payment_method', type: 'text' },
    { name: 'status', type: 'text' },
    { name: 'note', type: 'text' },
    { name: 'line_product', type: 'text' },
    { name: 'line_quantity', type: 'numeric(14, 3)' },
    { name: 'line_unit_price', type: 'numeric(16, 2)' },
  ],
  stage(row) {
    return {
      ...referenceValues(row),
      order_number: text(row.get('order_number')),
      ordered_at: text(row.get('ordered_at')),
      amount: text(row.get('amount')),
      currency: text(row.get('currency'))?.toUpperCase() ?? null,
      profit: text(row.get('profit')),
      payment_method: text(row.get('payment_method')),
      status: text(row.get('status')),
      note: text(row.get('note')),
      line_product: text(row.get('line.product')),
      line_quantity: text(row.get('line.quantity')),
      line_unit_price: text(row.get('line.unit_price')),
    };
  },
};

async function validateOrders(trx: Transaction<Database>, tenantId: string) {
  await resolveCustomers(trx, tenantId);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select row_number, 1002, '', line_product, 'ORDER_LINE_INCOMPLETE',
      ${ROW_MESSAGES.ORDER_LINE_INCOMPLETE['zh-CN']}, ${ROW_MESSAGES.ORDER_LINE_INCOMPLETE.en}
    from import_stage
    where num_nonnulls(line_product, line_quantity, line_unit_price) between 1 and 2`.execute(trx);
  // Rows of one order number belong to one customer.
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select row_number, 1003, '', order_number, 'DUPLICATE_ORDER_IN_FILE',
      replace(${ROW_MESSAGES.DUPLICATE_ORDER_IN_FILE['zh-CN']}, '{row}', first_row::text),
      replace(${ROW_MESSAGES.DUPLICATE_ORDER_IN_FILE.en}, '{row}', first_row::text)
    from (select row_number, order_number, customer_id,
            first_value(row_number) over w as first_row, first_value(customer_id) over w as first_customer
          from import_stage where order_number is not null
          window w as (partition by order_number order by row_number)) d
    where customer_id is distinct from first_customer`.execute(trx);
  // An order number the tenant already has: updated or skipped as chosen.
  await sql`
    update import_stage s set matched_id = o.id
    from orders o where o.tenant_id = ${tenantId} and o.order_number = s.order_number`.execute(trx);
}

async function writeOrders(trx: Transaction<Database>, tenantId: string, run: ImportRun): Promise<Written> {
  const update = run.on_match === 'update';
  await sql`
    create temp table import_orders on commit drop as
    select distinct on (key) key, coalesce(matched_id, gen_random_uuid()) as id, matched_id, customer_id, order_number,
      ordered_at, amount, currency, profit, payment_method, status, note
    from (select *, coalesce(order_number, '#' || row_number) as key from import_stage) s
    order by key, row_number`.execute(trx);
  const created = await sql`
    insert into orders (tenant_id, id, customer_id, order_number, ordered_at, currency, amount, profit,
      payment_method, status, note, created_by)
    select ${tenantId}, o.id, o.customer_id, o.order_number, o.ordered_at,
      coalesce(o.currency, (select currency from tenants where id = ${tenantId})), o.amount, o.profit,
      o.payment_method, coalesce(o.status, 'completed'), o.note, ${run.created_by}::uuid
    from import_orders o where o.matched_id is null`.execute(trx);
  let updated = 0;
  if (update) {
    const result = await sql`
      update orders d set customer_id = o.customer_id, ordered_at = o.ordered_at, amount = o.amount,
        currency = coalesce(o.currency, d.currency), profit = coalesce(o.profit, d.profit),
        payment_method = coalesce(o.payment_method, d.payment_method), status = coalesce(o.status, d.status),
        note = coalesce(o.note, d.note), updated_at = now()
      from import_orders o where d.tenant_id = ${tenantId} and d.id = o.matched_id`.execute(trx);
    updated = Number(result.numAffectedRows ?? 0);
    await sql`
      delete from order_lines l using import_orders o
      where l.tenant_id = ${tenantId} and l.order_id = o.matched_id
        and exists (select 1 from import_stage s where s.order_number = o.order_number and s.line_product is not null)`.execute(
      trx,
    );
  }
  await sql`
    insert into order_lines (tenant_id, order_id, line_no, product, quantity, unit_price)
    select ${tenantId}, o.id, row_number() over (partition by o.id order by s.row_number), s.line_product,
      s.line_quantity, s.line_unit_price
    from import_stage s join import_orders o on o.key = coalesce(s.order_number, '#' || s.row_number)
    where s.line_product is not null and (o.matched_id is null or ${update})`.execute(trx);
  const customers = await sql<{ id: string }>`select distinct customer_id as id from import_orders`.execute(
    trx,
  );
  await refreshCustomerFacts(
    trx,
    tenantId,
    customers.rows.map((row) => row.id),
    'order',
  );
  const matched = await sql<{
    n: string;
  }>`select count(*) as n from import_orders where matched_id is not null`.execute(trx);
  const matchedCount = Number(matched.rows[0]?.n ?? 0);
  return { created: Number(created.numAffectedRows ?? 0), updated, skipped: update ? 0 : matchedCount };
}

const INTERACTION_PLAN: Plan = {
  columns: [
    ...REFERENCE_COLUMNS,
    { name: 'contact_name', type: 'text' },
    { name: 'contact_id', type: 'uuid' },
    { name: 'kind', type: 'text' },
    { name: 'occurred_at', type: 'timestamptz' },
    { name: 'summary', type: 'text' },
    { name: 'outcome', type: 'text' },
    { name: 'next_step', type: 'text' },
    { name: 'next_step_due', type: 'date' },
    { name: 'sentiment', type: 'text' },
    { name: 'user_id', type: 'uuid' },
  ],
  stage(row, context) {
    return {
      ...referenceValues(row),
      contact_name: text(row.get('contact.name')),
      contact_id: null,
      kind: text(row.get('kind')),
      occurred_at: text(row.get('occurred_at')),
      summary: text(row.get('summary')),
      outcome: text(row.get('outcome')),
      next_step: text(row.get('next_step')),
      next_step_due: text(row.get('next_step_due')),
      sentiment: text(row.get('sentiment')),
      user_id: text(row.get('user')) ?? context.userId,
    };
  },
};

async function validateInteractions(trx: Transaction<Database>, tenantId: string) {
  await resolveCustomers(trx, tenantId);
  await sql`
    update import_stage s set contact_id = (
      select min(k.id::text)::uuid from contacts k
      where k.tenant_id = ${tenantId} and k.customer_id = s.customer_id and k.name = s.contact_name)
    where s.contact_name is not null and s.customer_id is not null`.execute(trx);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select row_number, 1002, '', contact_name, 'CONTACT_NOT_FOUND',
      replace(${ROW_MESSAGES.CONTACT_NOT_FOUND['zh-CN']}, '{value}', contact_name),
      replace(${ROW_MESSAGES.CONTACT_NOT_FOUND.en}, '{value}', contact_name)
    from import_stage where contact_name is not null and customer_id is not null and contact_id is null`.execute(
    trx,
  );
  // The same interaction already recorded (customer, time, kind, summary): not twice.
  await sql`
    update import_stage s set matched_id = i.id
    from interactions i
    where i.tenant_id = ${tenantId} and i.customer_id = s.customer_id and i.occurred_at = s.occurred_at
      and i.kind = s.kind and i.summary = s.summary`.execute(trx);
}

async function writeInteractions(
  trx: Transaction<Database>,
  tenantId: string,
  run: ImportRun,
): Promise<Written> {
  const created = await sql`
    insert into interactions (tenant_id, customer_id, contact_id, kind, occurred_at, user_id, summary, outcome,
      next_step, next_step_due, sentiment)
    select ${tenantId}, s.customer_id, s.contact_id, s.kind, s.occurred_at, s.user_id, s.summary, s.outcome,
      s.next_step, s.next_step_due, coalesce(s.sentiment, 'neutral')
    from import_stage s where s.matched_id is null`.execute(trx);
  const customers = await sql<{ id: string }>`select distinct customer_id as id from import_stage`.execute(
    trx,
  );
  await refreshCustomerFacts(
    trx,
    tenantId,
    customers.rows.map((row) => row.id),
    'interaction',
  );
  const matched = await sql<{
    n: string;
  }>`select count(*) as n from import_stage where matched_id is not null`.execute(trx);
  void run;
  return {
    created: Number(created.numAffectedRows ?? 0),
    updated: 0,
    skipped: Number(matched.rows[0]?.n ?? 0),
  };
}

const PLANS: Record<ImportEntity, Plan> = {
  customers: CUSTOMER_PLAN,
  orders: ORDER_PLAN,
  interactions: INTERACTION_PLAN,
};
const VALIDATE: Record<ImportEntity, (trx: Transaction<Database>, tenantId: string) => Promise<void>> = {
  customers: validateCustomers,
  orders: validateOrders,
  interactions: validateInteractions,
};
const WRITE: Record<
  ImportEntity,
  (
    trx: Transaction<Database>,
    tenantId: string,
    run: ImportRun,
    cipher: TenantCipher | null,
  ) => Promise<Written>
> = {
  customers: writeCustomers,
  orders: writeOrders,
  interactions: writeInteractions,
};
