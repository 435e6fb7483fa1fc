import { type CrmDatabase, dropDatabase, openDatabase, provisionDatabase } from '@crm/db';

export type TestDatabase = {
  database: CrmDatabase;
  kind: CrmDatabase['kind'];
  /** Runs SQL with full privileges (superuser), for tests that check what the app role cannot do. */
  adminUrl: string | null;
  databaseName: string | null;
  destroy(): Promise<void>;
};

/** The administrator URL tests provision databases with, if a PostgreSQL server is configured. */
export function testAdminUrl(): string | null {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? null;
}

/**
 * An isolated, migrated database for one test file: a fresh database (owned by crm_owner,
 * used as crm_app) on the PostgreSQL server named by TEST_DATABASE_URL / DATABASE_URL, or an
 * in-memory PGlite when neither is set.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = testAdminUrl();
  if (!adminUrl) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate();
    return { database, kind: 'pglite', adminUrl: null, databaseName: null, destroy: () => database.close() };
  }
  const databaseName = `crm_test_${process.pid}_${crypto.randomUUID().slice(0, 8)}`;
  const urls = await provisionDatabase(adminUrl, databaseName);
  const database = await openDatabase({ ...urls, maxConnections: 4 });
  await database.migrate();
  const adminOfTestDatabase = new URL(adminUrl);
  adminOfTestDatabase.pathname = `/${databaseName}`;
  return {
    database,
    kind: 'postgres',
    adminUrl: adminOfTestDatabase.toString(),
    databaseName,
    async destroy() {
      await database.close();
      await dropDatabase(adminUrl, databaseName);
    },
  };
}
