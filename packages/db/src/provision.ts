import postgres from 'postgres';
import { APP_ROLE, OWNER_ROLE } from './roles';

export type ProvisionedUrls = { databaseUrl: string; ownerDatabaseUrl: string };

function withUserAndDatabase(adminUrl: string, user: string, database: string, password?: string): string {
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password ?? '';
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Idempotent: roles and database are created if missing. Roles are cluster-wide, so
 * concurrent callers (parallel test files) tolerate each other's "already exists".
 * Passwords come from CRM_OWNER_PASSWORD / CRM_APP_PASSWORD when the server needs them.
 */
export async function provisionDatabase(adminUrl: string, database: string): Promise<ProvisionedUrls> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`Invalid database name: ${database}`);
  const ownerPassword = process.env.CRM_OWNER_PASSWORD;
  const appPassword = process.env.CRM_APP_PASSWORD;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const ensureRole = async (role: string, options: string, password: string | undefined) => {
      const exists = await admin`select 1 from pg_roles where rolname = ${role}`;
      if (exists.length === 0) {
        try {
          await admin.unsafe(`create role ${role} ${options}`);
        } catch (error) {
          if ((error as { code?: string }).code !== '42710' && (error as { code?: string }).code !== '23505')
            throw error;
        }
      }
      if (password !== undefined)
        await admin.unsafe(`alter role ${role} password '${password.replaceAll("'", "''")}'`);
    };
    await ensureRole(OWNER_ROLE, 'login nosuperuser nocreaterole nocreatedb nobypassrls', ownerPassword);
    await ensureRole(
      APP_ROLE,
      'login nosuperuser nocreaterole nocreatedb nobypassrls noinherit',
      appPassword,
    );
    const found = await admin`select 1 from pg_database where datname = ${database}`;
    if (found.length === 0) {
      try {
        await admin.unsafe(`create database ${database} owner ${OWNER_ROLE}`);
      } catch (error) {
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
    await admin.unsafe(`grant connect on database ${database} to ${APP_ROLE}`);
  } finally {
    await admin.end();
  }
  return {
    databaseUrl: withUserAndDatabase(adminUrl, APP_ROLE, database, appPassword),
    ownerDatabaseUrl: withUserAndDatabase(adminUrl, OWNER_ROLE, database, ownerPassword),
  };
}

/** Drops a database made by `provisionDatabase` (test teardown). */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
  } finally {
    await admin.end();
  }
}
