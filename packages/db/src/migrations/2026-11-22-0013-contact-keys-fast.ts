import { type Kysely, sql } from 'kysely';

/*
 * New contacts' match keys without a join to customers. The join only left out contacts of
 * merged customers (tombstones), which take no new contacts — a merge moves them all to the
 * survivor and a tombstone refuses edits — yet under RLS, on a freshly loaded table without
 * statistics, the planner joined the transition table to customers by a nested loop of
 * sequential scans: 6,667 imported contacts took 39 s. The keys now come from the new rows alone.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `create or replace function contacts_match_keys_insert() returns trigger language plpgsql as $$
     begin
       insert into customer_match_keys (tenant_id, customer_id, kind, value, branch)
       select n.tenant_id, n.customer_id, x.kind, x.value, false
       from new_rows n
       cross join lateral (
         select 'phone'::text as kind, crm_normalize_phone(p) as value from unnest(n.phones) p
         union all select 'email', crm_normalize_email(e) from unnest(n.emails) e
       ) x
       where x.value is not null
       on conflict do nothing;
       return null;
     end $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The contact match keys migration cannot be reverted.');
}
