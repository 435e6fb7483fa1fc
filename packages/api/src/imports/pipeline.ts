import {
  boundTransaction,
  type CopyIn,
  type CrmDatabase,
  type Database,
  type ImportRun,
  type Transaction,
} from '@crm/db';
import { sql } from 'kysely';
import type { Logger } from '../logger';
import { commitRun } from './commit';
import { ImportCancelled, type RunDependencies, type RunHooks } from './plan';
import { ImportReadError } from './read/errors';
import { stageFile } from './stage';

export { ImportCancelled, type RunDependencies, type RunHooks } from './plan';

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
      await execute(dependencies, trx, copyIn, run, hooks);
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
  dependencies: RunDependencies,
  trx: Transaction<Database>,
  copyIn: CopyIn,
  run: ImportRun,
  hooks: RunHooks,
): Promise<void> {
  const staged = await stageFile(dependencies.database, trx, copyIn, run);
  await commitRun(trx, dependencies, run, staged, hooks);
}
