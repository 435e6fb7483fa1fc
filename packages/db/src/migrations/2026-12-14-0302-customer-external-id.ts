import { type Kysely, sql } from 'kysely';

/*
 * Customers: the id another system (an ERP, a shop) knows the customer by, so an integration
 * can create or update it by that id (`POST /api/v1/customers/batch`). Unique within the
 * tenant, indexed for the lookup; a nullable column without a default: no table rewrite (the
 * length is checked by the API's schema, so no CHECK has to scan the table). Frozen in time;
 * runs as the owner role.
 */
const statements = [
  `alter table customers add column external_id text`,
  `create unique index customers_external_id_key on customers (tenant_id, external_id) where external_id is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
