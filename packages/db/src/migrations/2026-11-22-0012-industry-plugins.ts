import { type Kysely, sql } from 'kysely';

/*
 * A tenant's industry profile is the id of an industry plugin the server is configured with
 * (apps/server/src/plugins.ts), not one of a fixed list: a partner's fourth profile needs no
 * schema change. The database keeps the id's shape (kebab-case, ≤ 40 characters); that the
 * plugin is loaded is checked by the server when a tenant is created.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `alter table tenants drop constraint tenants_industry_check`,
  `alter table tenants add constraint tenants_industry_check
     check (industry ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' and length(industry) <= 40)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The industry plugins migration cannot be reverted.');
}
