import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type TransactionSettings,
} from 'kysely';
import { PostgresJSDialect, type PostgresJSDialectConfig } from 'kysely-postgres-js';

/** The transaction-local settings of the scoped transaction being opened. */
export const scopeStorage = new AsyncLocalStorage<CompiledQuery>();

/**
 * postgres.js through Kysely, except that a scoped transaction sends BEGIN and its
 * set_config(…, true) together: postgres.js pipelines both in one write, saving a round
 * trip (and its syscalls) on every tenant request.
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
        const scope = scopeStorage.getStore();
        if (!scope || settings.isolationLevel || settings.accessMode)
          return inner.beginTransaction(connection, settings);
        await Promise.all([connection.executeQuery(begin), connection.executeQuery(scope)]);
      },
    };
  }
}

export type { Dialect };
