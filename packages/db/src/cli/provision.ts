/**
 * Creates (idempotently) the two roles and a database owned by the owner role on a
 * PostgreSQL server, connecting with an administrator's URL:
 *
 *   DATABASE_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm db:provision crm
 *
 * then prints the DATABASE_URL / DATABASE_OWNER_URL the server should use.
 */
import { provisionDatabase } from '../provision';

const adminUrl = process.env.DATABASE_ADMIN_URL;
const name = process.argv[2] ?? 'crm';
if (!adminUrl) {
  console.error('Set DATABASE_ADMIN_URL to a role that may create roles and databases.');
  process.exit(1);
}
const urls = await provisionDatabase(adminUrl, name);
console.log(`DATABASE_URL=${urls.databaseUrl}`);
console.log(`DATABASE_OWNER_URL=${urls.ownerDatabaseUrl}`);
