import { type Kysely, sql } from 'kysely';

/*
 * A phone found by the digits it starts with (1391234 finds 13912345678), as people type a
 * mobile number from its start, beside the suffix index of 2026-12-07-0204: the phone match
 * keys (national digits) in the C collation make a prefix a btree range that row-level
 * security lets the planner use. Frozen in time; runs as the owner role.
 */
const statements = [
  `create index customer_match_keys_phone_prefix_idx on customer_match_keys (tenant_id, (value collate "C"))
     where kind = 'phone'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
