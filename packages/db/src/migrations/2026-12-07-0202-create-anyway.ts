import { type Kysely, sql } from 'kysely';

/*
 * 仍然新建: a customer created although the identity rule named an existing one is audited
 * with the member's reason (action 'create_anyway' on the new customer; its timeline shows it).
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `alter table audit_log drop constraint audit_log_action_check,
     add constraint audit_log_action_check
       check (action in ('create', 'update', 'delete', 'reveal', 'merge', 'unmerge', 'create_anyway'))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
