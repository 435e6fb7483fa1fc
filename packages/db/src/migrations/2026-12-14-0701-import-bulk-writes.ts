import { type Kysely, sql } from 'kysely';

/**
 * An import writes the audit rows and match keys of the customers and contacts it creates in
 * the same statements that insert them, built from its staging table (docs/imports.md, "The
 * write"). The statement-level insert triggers that do the same for every other write stand
 * aside for exactly those statements: their WHEN condition is false while the transaction's
 * `crm.import_bulk_run` setting names an import run of the current tenant that is running
 * (validating or committing) and is not a dry run. The import sets the setting transaction-
 * locally around each of its bulk statements and clears it after; any other write — a value
 * left unset, a run of another tenant, a finished run — keeps its triggers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function crm_import_bulk_write() returns boolean
    language plpgsql stable as $$
      declare
        run text := coalesce(current_setting('crm.import_bulk_run', true), '');
      begin
        if run = '' then
          return false;
        end if;
        return exists (
          select 1 from public.import_runs r
          where r.tenant_id = public.app_tenant_id() and r.id = run::uuid
            and r.status in ('validating', 'committing') and not r.dry_run);
      end
    $$`.execute(db);
  for (const [table, entity] of [
    ['customers', 'customer'],
    ['contacts', 'contact'],
  ] as const) {
    for (const [kind, action] of [
      ['audit', `audit_changes('${entity}')`],
      ['match_keys', `${table}_match_keys_insert()`],
    ] as const) {
      await sql.raw(`drop trigger ${table}_${kind}_insert on ${table}`).execute(db);
      await sql
        .raw(
          `create trigger ${table}_${kind}_insert after insert on ${table}
            referencing new table as new_rows for each statement
            when (not public.crm_import_bulk_write())
            execute function ${action}`,
        )
        .execute(db);
    }
  }
}
