import { type Kysely, sql } from 'kysely';

/*
 * A phone found by any suffix of its digits (8212, 87558212, 057187558212) through an index
 * that row-level security lets the planner use: every phone of a customer and of its
 * contacts is already a match key (`customer_match_keys`, kind 'phone', national digits:
 * 057187558212, 13812345678); its digits reversed, in the C collation, make a suffix a btree
 * prefix range. The search grams' GIN index cannot serve it under RLS: `@>` on arrays is not
 * leakproof, so the planner may not use it below the tenant policy (a sequential scan).
 * A generated column: the triggers that keep the keys need no change.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `alter table customer_match_keys
     add column value_reversed text collate "C"
       generated always as (case when kind = 'phone' then reverse(value) end) stored`,
  `create index customer_match_keys_phone_suffix_idx on customer_match_keys (tenant_id, value_reversed)
     where value_reversed is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
