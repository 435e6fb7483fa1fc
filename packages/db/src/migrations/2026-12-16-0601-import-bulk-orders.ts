import { type Kysely, sql } from 'kysely';

/**
 * An import of orders or interactions writes the audit rows of the orders and interactions it
 * creates in the statements that insert them, as the customers import does (migration
 * 2026-12-14-0701, docs/imports.md "Commit semantics"): the statement-level insert audit
 * triggers of `orders` and `interactions` stand aside while the transaction's
 * `crm.import_bulk_run` names this tenant's running, non-dry import (`crm_import_bulk_write()`).
 * Every other insert keeps its trigger.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, entity] of [
    ['orders', 'order'],
    ['interactions', 'interaction'],
  ] as const) {
    await sql.raw(`drop trigger ${table}_audit_insert on ${table}`).execute(db);
    await sql
      .raw(
        `create trigger ${table}_audit_insert after insert on ${table}
          referencing new table as new_rows for each statement
          when (not public.crm_import_bulk_write())
          execute function audit_changes('${entity}')`,
      )
      .execute(db);
  }
}
