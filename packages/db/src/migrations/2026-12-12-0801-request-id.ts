import { type Kysely, sql } from 'kysely';

/**
 * The request behind each audit row: `audit_log.request_id` is the HTTP request's id (its
 * `x-request-id`, or the one the server made) or the id of the request whose job wrote the
 * row, read from the transaction's `app.request_id` setting by the column's default — so the
 * statement-level audit triggers and every explicit insert carry it without naming it. Added
 * without a default first (no rewrite of a large audit log), then the default for new rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log add column request_id text`.execute(db);
  await sql`alter table audit_log alter column request_id set default nullif(current_setting('app.request_id', true), '')`.execute(
    db,
  );
}
