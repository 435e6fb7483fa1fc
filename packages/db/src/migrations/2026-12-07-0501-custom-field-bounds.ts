import { type Kysely, sql } from 'kysely';

/*
 * Custom field bounds: each definition carries its validation (min / max, whole numbers, a
 * 1–5 rating, length, a pattern with its message, a check digit), set by a tenant's
 * administrator or by the industry plugin, and enforced on every write.
 *
 * 统一社会信用代码 was offered twice to B2B and corporate-banking tenants: the core field
 * `credit_code` and a plugin custom field (`b2b_credit_code`, `corporate_banking_credit_code`).
 * The plugins dropped theirs; a valid value held only in the custom field moves to the core
 * column (companies without one), and the plugin definitions are retired (values stay on the
 * customers, readable in their history). Set-based; frozen in time; runs as the owner role.
 */
const statements = [
  `alter table custom_field_definitions
     add column validation jsonb not null default '{}'::jsonb
       constraint custom_field_definitions_validation_object check (jsonb_typeof(validation) = 'object')`,
  `update customers c
     set credit_code = crm_normalize_credit_code(coalesce(c.custom_fields ->> 'b2b_credit_code',
                                                           c.custom_fields ->> 'corporate_banking_credit_code'))
   where c.credit_code is null
     and c.kind = 'company'
     and c.merged_into is null
     and (c.custom_fields ? 'b2b_credit_code' or c.custom_fields ? 'corporate_banking_credit_code')
     and crm_normalize_credit_code(coalesce(c.custom_fields ->> 'b2b_credit_code',
                                            c.custom_fields ->> 'corporate_banking_credit_code')) is not null`,
  `update custom_field_definitions
     set archived_at = coalesce(archived_at, now())
   where source = 'plugin' and key in ('b2b_credit_code', 'corporate_banking_credit_code')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The custom field bounds migration cannot be reverted.');
}
