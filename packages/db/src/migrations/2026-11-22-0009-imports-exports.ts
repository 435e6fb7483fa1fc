import { type Kysely, sql } from 'kysely';

/*
 * Imports and exports: files, saved column mappings, runs with progress and per-row errors.
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
