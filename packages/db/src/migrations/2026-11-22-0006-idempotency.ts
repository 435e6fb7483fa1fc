import { type Kysely, sql } from 'kysely';

/*
 * Idempotency keys for create and import mutations (SECURITY.md R5.1).
 * Frozen in time; runs as the owner role.
 */
const statements: string[] = [];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
