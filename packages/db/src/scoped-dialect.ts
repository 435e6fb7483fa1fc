import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
import { PostgresJSDialect, type PostgresJSDialectConfig } from 'kysely-postgres-js';

/** What the scoped transaction being opened sends with its BEGIN, and what came back. */
export type OpeningBatch = {
  /** set_config(…, true) of the scope's settings (it may read them from a table, e.g. a session). */
  settings: CompiledQuery;
  settingsRows?: unknown[];
  /** An optional first read that depends on the settings (e.g. the caller's membership). */
  firstRead?: CompiledQuery;
  firstReadRows?: unknown[];
};

export const scopeStorage = new AsyncLocalStorage<OpeningBatch>();

/**
 * postgres.js through Kysely, except that a scoped transaction sends BEGIN, its
 * set_config(…, true) and an optional first read together: postgres.js pipelines them in
 * one write, saving two round trips (and their syscalls) on every tenant request.
 */
export class ScopedPostgresDialect extends PostgresJSDialect {
  constructor(config: PostgresJSDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    const begin = CompiledQuery.raw('begin');
    return {
      init: () => inner.init(),
      acquireConnection: () => inner.acquireConnection(),
      releaseConnection: (connection) => inner.releaseConnection(connection),
      commitTransaction: (connection) => inner.commitTransaction(connection),
      rollbackTransaction: (connection) => inner.rollbackTransaction(connection),
      destroy: () => inner.destroy(),
      async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
        const batch = scopeStorage.getStore();
        if (!batch || settings.isolationLevel || settings.accessMode)
          return inner.beginTransaction(connection, settings);
        const [, scoped, firstRead] = await Promise.all([
          connection.executeQuery(begin),
          connection.executeQuery(batch.settings),
          batch.firstRead ? connection.executeQuery(batch.firstRead) : undefined,
        ]);
        batch.settingsRows = scoped.rows;
        batch.firstReadRows = firstRead?.rows;
      },
    };
  }
}
