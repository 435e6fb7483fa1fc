import type { Database, ImportRun, Transaction } from '@crm/db';
import { sql } from 'kysely';
import type { Logger } from '../logger';
import { confineToAccess } from './import-access';
import { ImportCancelled, type RunHooks } from './plan';
import { VALIDATE, WRITE } from './plans';
import type { StagedFile } from './stage';

/**
 * The customers the import wrote or gave orders get their tier recomputed (tier_touches, the
 * import job then queues the tenant's re-tier): one statement over the staged rows.
 */
async function touchImportedTiers(trx: Transaction<Database>, tenantId: string, entity: ImportRun['entity']) {
  const customer =
    entity === 'customers'
      ? sql`coalesce(s.matched_id, s.id)`
      : entity === 'orders'
        ? sql`s.customer_id`
        : null;
  if (!customer) return;
  await sql`
    insert into tier_touches (tenant_id, customer_id)
    select distinct c.tenant_id, c.id from import_stage s
    join customers c on c.tenant_id = ${tenantId} and c.id = ${customer}
    on conflict (tenant_id, customer_id) do update set touched_at = now()`.execute(trx);
}

/**
 * Checks the staged rows set-based (against the tenant's data and across the file), writes
 * every error, and — a commit with no errors only — writes the rows into the tenant's tables;
 * then records the run's outcome. In the run's transaction: all or nothing.
 */
export async function commitRun(
  trx: Transaction<Database>,
  logger: Logger,
  run: ImportRun,
  staged: StagedFile,
  hooks: RunHooks,
): Promise<void> {
  const tenantId = run.tenant_id;
  const { file, access, cipher, totals, phase, phases } = staged;

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
      await touchImportedTiers(trx, tenantId, run.entity);
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
