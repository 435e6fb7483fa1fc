import { type Kysely, sql } from 'kysely';

/*
 * The review queue (查重) says which pairs the identity rule calls the SAME customer: each pair
 * carries `same_by`, the deciding key from `crm_customer_identity` (credit_code, name,
 * name_phone, name_email, national_id, customer_number), or null for a candidate. The scan and
 * the create / import recording set it; pairs already queued get it here, set-based.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `alter table duplicate_candidates add column same_by text
     check (same_by in ('customer_number', 'credit_code', 'national_id', 'name', 'name_phone', 'name_email'))`,
  `alter table duplicate_candidates no force row level security`,
  `alter table customers no force row level security`,
  `update duplicate_candidates d set same_by = nullif(crm_customer_identity(a.kind, a.name, a.credit_code,
       b.kind, b.name, b.credit_code,
       array(select case when r = 'branch' then 'name' else r end from unnest(d.reasons) r)), 'candidate')
   from customers a, customers b
   where a.tenant_id = d.tenant_id and a.id = d.customer_a
     and b.tenant_id = d.tenant_id and b.id = d.customer_b`,
  `alter table duplicate_candidates force row level security`,
  `alter table customers force row level security`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
