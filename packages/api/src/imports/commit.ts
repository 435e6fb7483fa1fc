import type { Database, ImportRun, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { assignLeads } from '../assignment/assignment.service';
import { gradeLeads } from '../leads/leads.service';
import { replanCustomers } from '../plans/plans.service';
import { jobScope } from '../scope';
import { confineToAccess } from './import-access';
import { ROW_MESSAGES } from './messages';
import { ImportCancelled, type Plan, type RunDependencies, type RunHooks } from './plan';
import { VALIDATE, WRITE } from './plans';
import { selectUnownedImported, selectUpdatedByImport } from './plans/leads';
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
 * every error and every row's outcome, and — a commit with no errors, or one told to skip
 * the rows with errors — writes the valid rows into the tenant's tables; then records the
 * run's totals. In the run's transaction: all or nothing.
 */
export async function commitRun(
  trx: Transaction<Database>,
  dependencies: RunDependencies,
  run: ImportRun,
  staged: StagedFile,
  hooks: RunHooks,
): Promise<void> {
  const tenantId = run.tenant_id;
  const { logger } = dependencies;
  const { file, access, cipher, plan, totals, phase, phases } = staged;

  // Set-based checks against the tenant's data and across the file's rows.
  await sql`create index on import_stage (row_number)`.execute(trx);
  await sql`analyze import_stage`.execute(trx);
  await VALIDATE[run.entity](trx, tenantId);
  if (access.scope !== 'all') await confineToAccess(trx, tenantId, run.entity, access);
  if (plan.group) await leaveOutGroupsWithErrors(trx, plan.group.column);
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

  totals.outcomes = await recordOutcomes(trx, run, plan);
  phase('outcomesMs');

  let status: ImportRun['status'] = 'validated';
  let failure: string | null = null;
  if (!run.dry_run) {
    if (totals.errorCount > 0 && !run.skip_error_rows) {
      status = 'failed';
      failure = 'HAS_ERRORS';
    } else {
      // The rows with errors stay out; the valid ones are written, all of them or none.
      if (totals.errorCount > 0)
        await sql`delete from import_stage s
          where exists (select 1 from import_stage_errors e where e.row_number = s.row_number)`.execute(trx);
      const written = await WRITE[run.entity](trx, tenantId, run, cipher);
      totals.created = written.created;
      totals.updated = written.updated;
      totals.skipped = written.skipped;
      phase('writeMs');
      await touchImportedTiers(trx, tenantId, run.entity);
      // Matched customers may have a new owner: their open plan tasks follow, in the run's transaction.
      if (run.entity === 'customers' && written.updated > 0)
        await replanCustomers(jobScope(trx, tenantId), 'changed_now');
      // New leads without an owner go through the assignment rules (a member, a team's queue or
      // the 公海), then every new lead is graded and gets its follow-up task — in the run's
      // transaction, set-based: one batch for the rules, one statement for the grades. The
      // leads it updated are graded again like an edit (a grade earned by behaviour stays
      // unless the rules now give a better one), a new grade with its follow-up task.
      if (run.entity === 'leads' && written.created > 0) {
        const scope = jobScope(trx, tenantId);
        await assignLeads(scope, await selectUnownedImported(trx));
        await gradeLeads(
          scope,
          { plugins: dependencies.plugins },
          { importRunId: run.id },
          { keepRegraded: false },
        );
      }
      if (run.entity === 'leads' && written.updated > 0) {
        await gradeLeads(
          jobScope(trx, tenantId),
          { plugins: dependencies.plugins },
          { ids: await selectUpdatedByImport(trx) },
          { keepRegraded: true },
        );
      }
      if (run.entity === 'leads') phase('assignGradeMs');
      await hooks.afterWrite?.();
      status = 'committed';
    }
  } else {
    // What a commit would do, for the dry run's summary.
    // Rows with errors are neither created nor matched: count the valid ones only.
    const preview = await sql<{ matched: string; updatable: string }>`
      select count(*) as matched,
        count(*) filter (where ${sql.raw(plan.updatableSql ?? 'true')}) as updatable
      from import_stage s
      where s.matched_id is not null
        and not exists (select 1 from import_stage_errors e where e.row_number = s.row_number)`.execute(trx);
    const matched = Number(preview.rows[0]?.matched ?? 0);
    const updatable = Number(preview.rows[0]?.updatable ?? 0);
    totals.created = totals.valid - matched;
    if (run.on_match === 'update' && plan.updatesMatches) {
      totals.updated = updatable;
      totals.skipped = matched - updatable;
    } else totals.skipped = matched;
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
      outcome_counts: JSON.stringify(totals.outcomes ?? {}),
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

/**
 * Rows that belong together (an order's lines) are written together or not at all: every row
 * of a group in which a row has an error gets an error naming that row.
 */
async function leaveOutGroupsWithErrors(trx: Transaction<Database>, column: string) {
  const key = sql.ref(`s.${column}`);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select s.row_number, 1100, '', ${key}, 'ORDER_OTHER_ROW_ERROR',
      replace(replace(${ROW_MESSAGES.ORDER_OTHER_ROW_ERROR['zh-CN']}, '{row}', g.first_row::text), '{value}', ${key}),
      replace(replace(${ROW_MESSAGES.ORDER_OTHER_ROW_ERROR.en}, '{row}', g.first_row::text), '{value}', ${key})
    from import_stage s
    join (
      select key, min(row_number) as first_row from (
        select row_number, key from import_stage_groups
        union all
        select s2.row_number, ${sql.ref(`s2.${column}`)} from import_stage s2
        where exists (select 1 from import_stage_errors e where e.row_number = s2.row_number)
      ) bad where key is not null group by key
    ) g on g.key = ${key}
    where not exists (select 1 from import_stage_errors e where e.row_number = s.row_number)`.execute(trx);
}

/**
 * Every row's outcome, set-based from the staging tables (one INSERT … SELECT): an error (its
 * first reason), a candidate (kept as new, resembling an existing customer), new, or a match
 * updated or skipped as the run says — with the key that matched and the record it matched.
 * Returns the rows per outcome.
 */
async function recordOutcomes(
  trx: Transaction<Database>,
  run: ImportRun,
  plan: Plan,
): Promise<Record<string, number>> {
  const update = plan.updatesMatches && run.on_match === 'update';
  const updatable = sql.raw(plan.updatableSql ?? 'true');
  await sql`
    insert into import_row_outcomes (tenant_id, run_id, row_number, outcome, match_kind, match_value, matched_id,
      customer_id, reason)
    select ${run.tenant_id}::uuid, ${run.id}::uuid, e.row_number, 'error', null::text, null::text, null::uuid,
      null::uuid, e.reason
    from (select distinct on (row_number) row_number, reason from import_stage_errors order by row_number, seq) e
    union all
    select ${run.tenant_id}::uuid, ${run.id}::uuid, s.row_number,
      case when s.candidate_of is not null then 'candidate'
           when s.matched_id is null then 'new'
           when ${update} and ${updatable} then 'update' else 'skip' end,
      s.match_kind, left(s.match_value, 400), coalesce(s.matched_id, s.candidate_of), ${sql.raw(plan.outcomeCustomer)},
      case when s.matched_id is not null and not (${update} and ${updatable})
        then ${plan.skipReasonSql ? sql.raw(plan.skipReasonSql) : sql`${plan.skipReason}::text`} end
    from import_stage s
    where not exists (select 1 from import_stage_errors e where e.row_number = s.row_number)`.execute(trx);
  const { rows } = await sql<{ outcome: string; n: string }>`
    select outcome, count(*) as n from import_row_outcomes
    where tenant_id = ${run.tenant_id} and run_id = ${run.id} group by outcome`.execute(trx);
  return Object.fromEntries(rows.map((row) => [row.outcome, Number(row.n)]));
}
