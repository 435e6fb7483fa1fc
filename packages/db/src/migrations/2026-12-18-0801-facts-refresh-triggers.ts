import { type Kysely, sql } from 'kysely';

/**
 * The facts refresh (`refreshCustomerFacts`: first and last deal, counts, amounts, stage, value
 * and activity levels) updates only columns the audit ignores and the match keys do not read,
 * yet every customer it touched went through the statement-level update triggers: the audit
 * trigger turned the old and the new wide row into jsonb and diffed them (to find nothing), the
 * match-key trigger compared them again. An import of orders refreshes every customer it names
 * and the daily job every customer of a tenant, so that was a fifth of the refresh
 * (EXPLAIN ANALYZE, docs/benchmarks.md "The orders and interactions write path").
 *
 * Both triggers stand aside while the transaction's `crm.facts_refresh` is 'on' — set by the
 * refresh just before its one statement and cleared right after it (a failed statement aborts
 * the transaction, or the savepoint, and the setting with it). Every other update keeps them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function crm_facts_refresh() returns boolean
    language sql stable
    as $$ select coalesce(current_setting('crm.facts_refresh', true), '') = 'on' $$`.execute(db);
  for (const [name, action] of [
    ['customers_audit_update', `audit_changes('customer')`],
    ['customers_match_keys_update', 'customers_match_keys_update()'],
  ] as const) {
    await sql.raw(`drop trigger ${name} on customers`).execute(db);
    await sql
      .raw(
        `create trigger ${name} after update on customers
          referencing old table as old_rows new table as new_rows for each statement
          when (not public.crm_facts_refresh())
          execute function ${action}`,
      )
      .execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The facts refresh triggers migration cannot be reverted.');
}
