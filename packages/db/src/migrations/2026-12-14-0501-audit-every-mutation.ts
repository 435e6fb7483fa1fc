import { type Kysely, sql } from 'kysely';

/*
 * Every mutation leaves an audit row (T5.7a). The record-level triggers and the explicit
 * writes (reveals, merges) keep writing theirs; a mutation that wrote none gets one row of
 * its own, entity 'call', its procedure as the action (`tags.create`, `members.invitations.create`).
 * A statement-level trigger marks the transaction (`app.audited`) once any audit row is
 * written, so the call's row is written only when nothing else audited the transaction.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `alter table audit_log drop constraint audit_log_entity_check,
     add constraint audit_log_entity_check
       check (entity in ('customer', 'contact', 'order', 'interaction', 'call'))`,
  `alter table audit_log drop constraint audit_log_action_check,
     add constraint audit_log_action_check
       check (action in ('create', 'update', 'delete', 'reveal', 'merge', 'unmerge', 'create_anyway')
         or entity = 'call' and action ~ '^[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*$')`,
  `create function audit_mark() returns trigger language plpgsql as $$
     begin
       if exists (select 1 from new_rows) then
         perform set_config('app.audited', '1', true);
       end if;
       return null;
     end $$`,
  `create trigger audit_log_mark after insert on audit_log
     referencing new table as new_rows for each statement execute function audit_mark()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
