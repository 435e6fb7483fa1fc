import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type Driver,
  Kysely,
  type KyselyConfig,
  type LogEvent,
  Migrator,
  type QueryResult,
  sql,
  Transaction,
} from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { migrationProvider } from './migrations';
import { currentRequestId } from './request-context';
import { APP_ROLE, OWNER_ROLE } from './roles';
import { syncStatutoryCalendar } from './statutory-calendar';
import type { Database, Role, Session, User } from './tables';

export type DatabaseConfig = {
  /** Set: a PostgreSQL server, connected as the runtime role. Unset: embedded PGlite. */
  databaseUrl?: string | undefined;
  /** The owner role's URL, used only to run migrations. Defaults to `databaseUrl`. */
  ownerDatabaseUrl?: string | undefined;
  /** Embedded mode: the folder PGlite keeps its files in, or `memory://`. */
  dataDir?: string | undefined;
  /** Pool size for a PostgreSQL server. */
  maxConnections?: number | undefined;
  /**
   * `pgbouncer`: `databaseUrl` goes through a pooler in transaction mode (PgBouncer before
   * 1.21 keeps no prepared statements across transactions): statements are sent unnamed and
   * no session parameter is set at connect. Migrations need `ownerDatabaseUrl` to reach
   * PostgreSQL directly (they hold a session-level advisory lock).
   */
  pooler?: 'pgbouncer' | undefined;
  /**
   * A streaming replica of the server (a hot standby, e.g. made by `pg_basebackup -R`), as
   * the runtime role: read-heavy work reads from it (`heavyReads`). Unset: everything reads
   * from `databaseUrl`.
   */
  replicaUrl?: string | undefined;
  /**
   * How long read-heavy work waits for the replica to replay what the primary had committed
   * when the work started, before it reads from the primary instead. Default 5,000 ms.
   */
  replicaWaitMs?: number | undefined;
  /**
   * Called with every statement once it has run, and how long it took (the benchmarks read the
   * SQL a procedure sends and where its time goes).
   */
  onQuery?: ((query: CompiledQuery, durationMs: number) => void) | undefined;
};

/**
 * `readOnly`: the transaction is READ ONLY (a write fails), and on a server its COMMIT is
 * sent without waiting for the answer — there is nothing to make durable — so the caller
 * answers one round trip sooner and the connection's next user's opening statements follow
 * the COMMIT on the same socket, usually in the same write.
 */
export type TransactionOptions = {
  readOnly?: boolean;
  /**
   * The transaction's statements each look rows up by their keys, the same plan whatever the
   * tenant (a public door's): PostgreSQL plans each prepared statement once per connection
   * (`plan_cache_mode = force_generic_plan` for the transaction) instead of on every run, as
   * the connection's default (`force_custom_plan`, for lists whose best plan depends on the
   * tenant's size) would. Planning cost more than running: 0.6 ms against 0.1 ms for the
   * survey page's read.
   */
  genericPlans?: boolean;
};

/**
 * Bulk-loads rows into a TEMP table of the transaction with COPY … FROM STDIN, in text
 * format (tab-separated, `\N` for null; see `copyText`). PostgreSQL refuses COPY on tables
 * with row-level security, so only temp tables are loaded this way; rows reach tenant tables
 * through INSERT … SELECT under RLS. On PGlite one call's data is gathered into one Blob:
 * callers send a few MB per call. Returns when the rows are in.
 */
export type CopyIn = (
  table: string,
  columns: readonly string[],
  data: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
) => Promise<void>;

/**
 * Where one piece of read-heavy work reads (`CrmDatabase.heavyReads`): tenant transactions
 * on the replica, or on the primary when there is none or it cannot serve them now.
 */
export type HeavyReads = {
  source: 'replica' | 'primary';
  /** Why the primary serves: no replica configured, the replica lags past the wait, or it does not answer. */
  reason: 'replica' | 'no-replica' | 'lagging' | 'unreachable';
  /**
   * Like `CrmDatabase.withTenant`. On the replica the transaction is READ ONLY, as the same
   * runtime role, with the tenant set transaction-locally: row-level security holds as on
   * the primary.
   */
  withTenant<T>(
    tenantId: string,
    fn: (trx: Transaction<Database>) => Promise<T>,
    userId?: string,
  ): Promise<T>;
};

export type HeavyReadsOptions = { waitMs?: number; within?: Transaction<Database> };

/** What a scoped transaction may see: a tenant's rows, a user's own memberships, or neither. */
export type Scope = { tenantId?: string | null; userId?: string | null };

export type CrmDatabase = {
  kind: 'postgres' | 'pglite';
  /** The raw handle. Application code goes through `withScope`/`withTenant` instead. */
  db: Kysely<Database>;
  /** Runs `fn` in one transaction as the runtime role with the scope set transaction-locally. */
  withScope<T>(scope: Scope, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Shorthand for a tenant request: every query in `fn` is confined to `tenantId` by RLS. */
  withTenant<T>(
    tenantId: string,
    fn: (trx: Transaction<Database>) => Promise<T>,
    userId?: string,
  ): Promise<T>;
  /**
   * Like `withTenant` for one request with no session (a public door): `first` — a statement
   * that needs only the tenant's scope — is sent with BEGIN and the scope in one round trip,
   * and `fn` gets its rows. With `readOnly`, the COMMIT is not waited for (nothing to make durable);
   * otherwise `fn`'s last statement may go with the COMMIT (`executeAndCommit`).
   */
  withTenantFirst<R, T>(
    tenantId: string,
    first: CompiledQuery<R>,
    fn: (trx: Transaction<Database>, rows: R[]) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  /**
   * One read in a tenant's scope and nothing else (a public door's page): BEGIN READ ONLY, the
   * scope, `query` and COMMIT leave in one write on a server, and the rows come back with the
   * COMMIT's answer. No transaction object: nothing else runs in it.
   */
  readInTenant<R>(tenantId: string, query: CompiledQuery<R>, options?: TransactionOptions): Promise<R[]>;
  /**
   * A tenant request by a user: like `withTenant`, and `fn` also gets the user's role and team
   * in the tenant (null when not a member), read in the same round trip that opens the transaction.
   */
  withMember<T>(
    tenantId: string,
    userId: string,
    fn: (trx: Transaction<Database>, membership: MemberAccess | null) => Promise<T>,
  ): Promise<T>;
  /**
   * A tenant request identified only by a session id: the transaction's scope is read from
   * the session in SQL (its active tenant and user go into app.tenant_id / app.user_id with
   * set_config(…, true)), and `fn` gets the session with its user and the member's role and
   * team — BEGIN, session, scope and membership in one round trip. Nothing is scoped when
   * there is no such session. `fn` must check the session (secret, expiry) before it trusts
   * or returns anything: the scope was set before that check.
   */
  withSession<T>(
    sessionId: string,
    fn: (
      trx: Transaction<Database>,
      opened: { session: SessionWithUser | null; membership: MemberAccess | null },
    ) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  /**
   * Like `withTenant`, on a connection of its own that `fn` may also bulk-load through with
   * `copyIn` (imports). On PGlite, whose one session everything shares, other requests wait
   * until `fn` ends, as for any transaction.
   */
  withTenantCopy<T>(
    tenantId: string,
    userId: string | null,
    fn: (trx: Transaction<Database>, copyIn: CopyIn) => Promise<T>,
  ): Promise<T>;
  /**
   * Statements on the global auth tables (users, sessions) with no tenant in play, each
   * atomic on its own, e.g. validating a session on every request. On a server this runs
   * straight on the pool (the connection already is the runtime role; one round trip
   * instead of four); on PGlite it needs a transaction to drop to the runtime role.
   */
  withoutTenant<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * A server only (undefined on PGlite): in one scoped transaction on one connection, runs
   * `statements`, then `copy` — a parameter-free `COPY (…) TO STDOUT` — and hands its output
   * to `consume`, which reads it as it arrives (the connection waits while it does not), with
   * the row counts of the statements. Repeatable read: they all see the same snapshot.
   */
  copyOut?: <T>(
    scope: Scope,
    statements: CompiledQuery[],
    copy: string,
    consume: (output: AsyncIterable<Uint8Array>, counts: number[]) => Promise<T>,
  ) => Promise<T>;
  /**
   * Where read-heavy work (an export's rows, a duplicate scan's pairs, a dashboard's
   * figures) reads: the replica once it has replayed everything the primary had committed
   * when this is called — so the work sees every write acknowledged before it started —
   * waiting up to `waitMs` (default `replicaWaitMs`) for it; otherwise (no replica, lagging
   * past the wait, not answering) the primary. `within`: a transaction the caller already
   * holds on the primary (a request's), which reads the primary's position instead of a
   * second pooled connection — a request that waited for a second connection while holding
   * one could starve a busy pool.
   */
  heavyReads(options?: HeavyReadsOptions): Promise<HeavyReads>;
  /**
   * Runs the migrations not yet run, in name order; with `upTo`, only up to and including
   * that one (the upgrade test starts from the first release's schema this way).
   */
  migrate(options?: { upTo?: string }): Promise<void>;
  close(): Promise<void>;
};

/**
 * Opens the one store: postgres.js against a server when `databaseUrl` is set, else
 * embedded PGlite. On PGlite, a single superuser session, each scoped transaction drops
 * to the runtime role with SET LOCAL ROLE: this catches application bugs (a forgotten
 * filter) but is no boundary against code that can send its own SQL (docs/tenancy-and-auth.md).
 */
export async function openDatabase(config: DatabaseConfig): Promise<CrmDatabase> {
  if (config.databaseUrl) return openServerDatabase(config.databaseUrl, config);
  return openEmbeddedDatabase(config.dataDir ?? 'memory://');
}

export type MemberAccess = { role: Role; teamId: string | null };
/** A session row and what a request needs of its user. */
export type SessionWithUser = Session & Pick<User, 'email' | 'name' | 'locale' | 'disabled_at'>;
type MembershipRow = { role: Role; team_id: string | null };

function toMemberAccess(row: MembershipRow | undefined): MemberAccess | null {
  return row ? { role: row.role, teamId: row.team_id } : null;
}

/** The caller's role in the tenant; RLS confines it to the tenant set in the same transaction. */
function membershipQuery(tenantId: string, userId: string) {
  return CompiledQuery.raw('select role, team_id from memberships where tenant_id = $1 and user_id = $2', [
    tenantId,
    userId,
  ]);
}

/**
 * The opening of a request identified by a session id, in one statement (the
 * `crm_open_session` function, migration 2026-12-16-0701): the session row with its user,
 * the session's active tenant and user set as the transaction's scope (transaction-locally),
 * then the member's role and team read under RLS with that scope. No row (unknown session):
 * nothing is set, so RLS shows no tenant's rows.
 */
function openSessionQuery(sessionId: string) {
  return CompiledQuery.raw('select * from crm_open_session($1, $2)', [sessionId, currentRequestId() ?? '']);
}

type OpenedRow = SessionWithUser & { member_role: Role | null; member_team_id: string | null };

function toOpened(row: OpenedRow | undefined): {
  session: SessionWithUser | null;
  membership: MemberAccess | null;
} {
  if (!row) return { session: null, membership: null };
  // Named one by one: a column added to sessions must be added to the function too (the
  // opening's test compares them).
  const session: SessionWithUser = {
    id: row.id,
    secret_hash: row.secret_hash,
    user_id: row.user_id,
    active_tenant_id: row.active_tenant_id,
    created_at: row.created_at,
    last_active_at: row.last_active_at,
    expires_at: row.expires_at,
    email: row.email,
    name: row.name,
    locale: row.locale,
    disabled_at: row.disabled_at,
  };
  return {
    session,
    membership: row.member_role ? { role: row.member_role, teamId: row.member_team_id } : null,
  };
}

/** PGlite: one superuser session, so each scoped transaction first drops to the runtime role. */
function scopedEmbedded(db: Kysely<Database>) {
  return async function withScope<T>(
    scope: Scope,
    options: TransactionOptions,
    fn: (trx: Transaction<Database>) => Promise<T>,
  ) {
    return db.transaction().execute(async (trx) => {
      // The PGlite dialect ignores Kysely's access mode; SET TRANSACTION must come first.
      if (options.readOnly) await sql`set transaction read only`.execute(trx);
      await sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${scope.tenantId ?? ''}, true), set_config('app.user_id', ${scope.userId ?? ''}, true), set_config('app.request_id', ${currentRequestId() ?? ''}, true)`.execute(
        trx,
      );
      return fn(trx);
    });
  };
}

/** How long one statement of an export (copyOut) may run. */
const EXPORT_STATEMENT_TIMEOUT = '30min';

/**
 * Bounds the statements of a background job's transaction: none may run past
 * `statementTimeout`, and PostgreSQL ends the session if the transaction sits idle past
 * `idleTimeout` (its worker stopped sending). A stuck job then fails with an error instead of
 * holding a connection and its locks for ever.
 */
export async function boundTransaction(
  trx: Transaction<Database>,
  limits: { statementTimeout: string; idleTimeout?: string },
): Promise<void> {
  await sql`select set_config('statement_timeout', ${limits.statementTimeout}, true),
      set_config('idle_in_transaction_session_timeout', ${limits.idleTimeout ?? '5min'}, true)`.execute(trx);
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * One value in COPY's text format: `\N` for null, backslash, tab, newline and carriage
 * return escaped.
 */
export function copyText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n').replaceAll('\r', '\\r')
    : text;
}

async function runMigrations(db: Kysely<unknown>, upTo?: string): Promise<void> {
  // Capabilities land in parallel, each with its own date-prefixed migrations, so one may land
  // after another whose name sorts later: a database that already ran the later one still runs
  // the earlier (they touch different tables); a fresh one runs them all in name order.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error : new Error(String(error ?? failed?.migrationName));
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${cause.message}`, { cause });
  }
  // The holiday table exists from the work-calendar migration on.
  if (!upTo) await syncStatutoryCalendar(db);
}

function queryLogger(onQuery: (query: CompiledQuery, durationMs: number) => void) {
  return (event: LogEvent) => {
    if (event.level === 'query') onQuery(event.query, event.queryDurationMillis);
  };
}

function createPostgres(url: string, max: number, pooled = false, connectTimeout?: number) {
  return postgres(url, {
    max,
    ...(connectTimeout !== undefined && { connect_timeout: connectTimeout }),
    ...(pooled && { prepare: false }),
    // Seconds before a connection whose server went away tries again. postgres.js's default
    // grows as 3ⁿ/100 up to 20 s with every failed attempt of the pool, so after a restart of
    // a few seconds the pool waited up to 20 s more before it looked again (T5.1 measured 7 s
    // to the first success after the server was back). Doubling from 50 ms, capped at 1 s:
    // one attempt per connection per second at most while the server is down.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    // numeric and int8 stay strings: money must never pass through a float. Dates stay
    // 'YYYY-MM-DD' strings: a calendar date has no time zone to shift it.
    onnotice: () => {},
    types: {
      date: { to: 1082, from: [1082], serialize: (value: string) => value, parse: (value: string) => value },
      // json/jsonb parameters arrive as JSON text (JSON.stringify at the call site), as
      // PGlite takes them; encoding them again would store a JSON string.
      json: {
        to: 114,
        from: [114, 3802],
        serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
        parse: (value: string) => JSON.parse(value),
      },
    },
    // Statements are prepared (see preparedStatements), and PostgreSQL would switch a
    // prepared statement to a generic plan after five runs when that looks no dearer on
    // average. Tenants and customers differ by orders of magnitude: a generic plan sized for
    // the average customer sorted all 1,476 orders of a key account (18 ms) where the custom
    // plan reads 21 (0.2 ms). Custom plans still skip parsing and RLS rewriting.
    // Behind a transaction pooler, statements are unnamed (planned for their parameters each
    // time) and a startup parameter other than the application's name would be refused.
    connection: pooled
      ? { application_name: 'crm' }
      : { application_name: 'crm', plan_cache_mode: 'force_custom_plan' },
  });
}

const BEGIN = CompiledQuery.raw('begin');
const BEGIN_READ_ONLY = CompiledQuery.raw('begin read only');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

/** How the scoped transactions that allow it send a last statement with their COMMIT. */
const lastStatements = new WeakMap<
  Transaction<Database>,
  (query: CompiledQuery) => Promise<QueryResult<unknown>>
>();

/**
 * Runs `query` as the last statement of a public door's transaction (`withTenantFirst`) and
 * ends it: on a server the COMMIT goes with the statement in one round trip, and a failed
 * statement's COMMIT rolls the transaction back (the statement's error is thrown). Nothing may
 * run in the transaction after it. In any other transaction, and on PGlite, it runs as any
 * statement and the transaction commits as usual when its function returns.
 */
export async function executeAndCommit<R>(
  trx: Transaction<Database>,
  query: CompiledQuery<R>,
): Promise<QueryResult<R>> {
  const last = lastStatements.get(trx);
  if (!last) return trx.executeQuery(query);
  lastStatements.delete(trx);
  return (await last(query)) as QueryResult<R>;
}

/** A Transaction's driver is never used (it cannot begin, end or destroy anything itself). */
const NO_DRIVER = new Proxy({} as Driver, {
  get() {
    throw new Error('A scoped transaction has no driver of its own');
  },
});

/**
 * postgres.js runs `unsafe` statements (which is how Kysely sends them) unprepared: every
 * request's statements were parsed and planned again, and planning an RLS-filtered list
 * query costs more than running it. Through this wrapper they are named prepared statements,
 * cached per connection by their text (postgres.js re-prepares by itself when a migration
 * invalidates one, and recycles connections every 30–60 minutes, which bounds the cache).
 * BEGIN, COMMIT and the membership read are prepared too; only a text that may hold several
 * statements goes by the simple protocol.
 */
function preparedStatements(client: postgres.Sql, prepare: boolean) {
  return {
    end: () => client.end(),
    async reserve() {
      const reserved = await client.reserve();
      return {
        release: () => reserved.release(),
        unsafe: (query: string, parameters: unknown[] = [], options?: Record<string, unknown>) =>
          reserved.unsafe(query, parameters as never[], {
            prepare,
            // The simple protocol only where a text may hold several statements (postgres.js
            // option, missing from its types).
            ...({ simple: parameters.length === 0 && query.includes(';') } as object),
            ...options,
          }),
      };
    },
  };
}

/**
 * Scoped transactions on a server's pool (the primary's, or a replica's).
 */
function scopedTransactions(db: Kysely<Database>, kyselyConfig: KyselyConfig, dialect: PostgresJSDialect) {
  /**
   * One transaction on one pooled connection: BEGIN and the opening statements (the scope's
   * set_config(…, true) and what depends on it) are sent together — postgres.js writes
   * statements issued in the same tick on one connection as one packet — and `fn` gets their
   * rows. They go straight to the driver's connection: Kysely's single-connection provider
   * runs one statement at a time, waiting for each answer before it sends the next, which
   * made the opening batch three round trips. No AsyncLocalStorage: the transaction object is
   * made here, on the connection.
   */
  return function scoped<T>(
    opening: CompiledQuery[],
    options: TransactionOptions & { endsWithLast?: boolean },
    fn: (trx: Transaction<Database>, rows: unknown[][]) => Promise<T>,
  ): Promise<T> {
    return db.connection().execute(async (single) => {
      const trx = new Transaction<Database>({
        config: kyselyConfig,
        dialect,
        driver: NO_DRIVER,
        executor: single.getExecutor(),
      });
      const run = (query: CompiledQuery) => single.executeQuery(query) as Promise<QueryResult<unknown>>;
      // Set once `executeAndCommit` has sent the transaction's last statement with its COMMIT.
      let ended = false;
      if (options.endsWithLast && !options.readOnly) {
        lastStatements.set(trx, async (query) => {
          const [last, commit] = await single
            .getExecutor()
            .provideConnection((connection) =>
              Promise.allSettled([connection.executeQuery(query), connection.executeQuery(COMMIT)]),
            );
          ended = true;
          // A failed statement's COMMIT answers ROLLBACK: its error is the one to report.
          if (last?.status === 'rejected') throw last.reason;
          if (commit?.status === 'rejected') throw commit.reason;
          return (last as PromiseFulfilledResult<QueryResult<unknown>>).value;
        });
      }
      let results: QueryResult<unknown>[];
      try {
        results = await single.getExecutor().provideConnection(async (connection) => {
          // All settled before the provider is free again: a failed statement's followers are
          // still on the wire, and the ROLLBACK below must queue behind them.
          const settled = await Promise.allSettled(
            [options.readOnly ? BEGIN_READ_ONLY : BEGIN, ...opening].map(
              (query) => connection.executeQuery(query) as Promise<QueryResult<unknown>>,
            ),
          );
          const failed = settled.find((outcome) => outcome.status === 'rejected');
          if (failed) throw failed.reason;
          return settled.map((outcome) => (outcome as PromiseFulfilledResult<QueryResult<unknown>>).value);
        });
      } catch (error) {
        await run(ROLLBACK).catch(() => undefined);
        throw error;
      }
      let result: T;
      try {
        result = await fn(
          trx,
          results.slice(1).map((opened) => opened.rows),
        );
      } catch (error) {
        if (!ended) await run(ROLLBACK);
        throw error;
      }
      if (ended) return result;
      if (options.readOnly) {
        // Nothing to make durable: the connection goes back to the pool with the COMMIT in
        // flight, and whatever it runs next queues behind it on the same socket.
        run(COMMIT).catch(() => undefined);
      } else {
        await run(COMMIT);
      }
      return result;
    });
  };
}

async function openServerDatabase(url: string, config: DatabaseConfig): Promise<CrmDatabase> {
  const pooled = config.pooler === 'pgbouncer';
  const client = createPostgres(url, config.maxConnections ?? 10, pooled);
  const dialect = new PostgresJSDialect({ postgres: () => preparedStatements(client, !pooled) });
  const kyselyConfig: KyselyConfig = {
    dialect,
    ...(config.onQuery && { log: queryLogger(config.onQuery) }),
  };
  const db = new Kysely<Database>(kyselyConfig);

  const scoped = scopedTransactions(db, kyselyConfig, dialect);

  const settingsQuery = (scope: Scope, genericPlans = false) =>
    CompiledQuery.raw(
      genericPlans
        ? "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), set_config('app.request_id', $3, true), set_config('plan_cache_mode', 'force_generic_plan', true)"
        : "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), set_config('app.request_id', $3, true)",
      [scope.tenantId ?? '', scope.userId ?? '', currentRequestId() ?? ''],
    );
  const withScope = <T>(scope: Scope, fn: (trx: Transaction<Database>) => Promise<T>) =>
    scoped([settingsQuery(scope)], {}, (trx) => fn(trx));
  const withTenant = <T>(tenantId: string, fn: (trx: Transaction<Database>) => Promise<T>, userId?: string) =>
    withScope({ tenantId, userId: userId ?? null }, fn);
  const replica = config.replicaUrl ? openReplica(config.replicaUrl, config, settingsQuery) : null;
  const replicaWaitMs = config.replicaWaitMs ?? 5_000;

  async function heavyReads(options: HeavyReadsOptions = {}): Promise<HeavyReads> {
    const primary = (reason: HeavyReads['reason']): HeavyReads => ({ source: 'primary', reason, withTenant });
    if (!replica) return primary('no-replica');
    // Everything committed on the primary so far is at or before this position of its WAL.
    const { rows } = await (options.within ?? db).executeQuery<{ lsn: string }>(CURRENT_LSN);
    const lsn = rows[0]?.lsn;
    if (!lsn) return primary('unreachable');
    const state = await replica.waitFor(lsn, options.waitMs ?? replicaWaitMs);
    return state === 'replica'
      ? { source: 'replica', reason: 'replica', withTenant: replica.withTenant }
      : primary(state);
  }

  /**
   * A reserved connection with a Kysely of its own on top (a one-connection "pool"), so the
   * transaction's statements and its COPY streams share one session.
   */
  async function withTenantCopy<T>(
    tenantId: string,
    userId: string | null,
    fn: (trx: Transaction<Database>, copyIn: CopyIn) => Promise<T>,
  ): Promise<T> {
    const reserved = await client.reserve();
    const one = {
      end: async () => {},
      reserve: async () => ({
        release: () => {},
        unsafe: (query: string, parameters: unknown[] = []) =>
          reserved.unsafe(query, parameters as never[], { prepare: !pooled }),
      }),
    };
    const local = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: () => one as never }) });
    const copyIn: CopyIn = async (table, columns, data) => {
      const writable = await reserved
        .unsafe(`copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from stdin`)
        .writable();
      await pipeline(Readable.from(data), writable);
    };
    try {
      return await local.transaction().execute(async (trx) => {
        await trx.executeQuery(settingsQuery({ tenantId, userId }));
        return fn(trx, copyIn);
      });
    } finally {
      await local.destroy();
      reserved.release();
    }
  }

  /** The statements leave together (postgres.js writes what one tick issues on a connection as one packet). */
  const readInTenant = <R>(tenantId: string, query: CompiledQuery<R>, options: TransactionOptions = {}) =>
    db.connection().execute((single) =>
      single.getExecutor().provideConnection(async (connection) => {
        const settled = await Promise.allSettled(
          [
            BEGIN_READ_ONLY,
            settingsQuery({ tenantId, userId: null }, options.genericPlans),
            query,
            COMMIT,
          ].map((statement) => connection.executeQuery(statement) as Promise<QueryResult<unknown>>),
        );
        // A failed statement's followers fail or roll back with it; the first failure is the cause.
        const failed = settled.find((outcome) => outcome.status === 'rejected');
        if (failed) throw failed.reason;
        return (settled[2] as PromiseFulfilledResult<QueryResult<R>>).value.rows;
      }),
    );

  return {
    kind: 'postgres',
    readInTenant,
    withTenantCopy,
    db,
    withScope,
    withTenant,
    heavyReads,
    withTenantFirst: (tenantId, first, fn, options = {}) =>
      scoped(
        [settingsQuery({ tenantId, userId: null }, options.genericPlans), first],
        { ...options, endsWithLast: true },
        (trx, [, rows]) => fn(trx, (rows ?? []) as never[]),
      ),
    withMember: (tenantId, userId, fn) =>
      scoped(
        [settingsQuery({ tenantId, userId }), membershipQuery(tenantId, userId)],
        {},
        (trx, [, membership]) => fn(trx, toMemberAccess(membership?.[0] as MembershipRow | undefined)),
      ),
    withSession: (sessionId, fn, options = {}) =>
      scoped([openSessionQuery(sessionId)], options, (trx, [opened]) =>
        fn(trx, toOpened(opened?.[0] as OpenedRow | undefined)),
      ),
    withoutTenant: (fn) => fn(db),
    async copyOut(scope, statements, copy, consume) {
      const reserved = await client.reserve();
      try {
        await reserved.unsafe('begin isolation level repeatable read');
        const settings = settingsQuery(scope);
        await reserved.unsafe(settings.sql, settings.parameters as never[]);
        // An export is bounded: no statement of it may hold the connection past this.
        await reserved.unsafe(`select set_config('statement_timeout', '${EXPORT_STATEMENT_TIMEOUT}', true)`);
        const counts: number[] = [];
        for (const statement of statements) {
          const rows = await reserved.unsafe(statement.sql, statement.parameters as never[]);
          counts.push(rows.count ?? rows.length);
        }
        const output = await reserved.unsafe(copy).readable();
        const result = await consume(output, counts);
        // postgres.js pauses the socket when the stream's buffer is full and resumes it only
        // from the stream's read(); when the last rows, the end of the COPY and ReadyForQuery
        // arrive in one packet after such a pause, the stream has ended and nothing resumes
        // the socket, so the next statement would wait forever. Its read() is that resume.
        (output as unknown as { _read?: (size: number) => void })._read?.(0);
        await reserved.unsafe('commit');
        return result;
      } catch (error) {
        await reserved.unsafe('rollback').catch(() => undefined);
        throw error;
      } finally {
        reserved.release();
      }
    },
    async migrate(options) {
      const ownerClient = createPostgres(config.ownerDatabaseUrl ?? url, 1);
      const ownerDb = new Kysely<unknown>({ dialect: new PostgresJSDialect({ postgres: ownerClient }) });
      try {
        await sql`select pg_advisory_lock(4242001)`.execute(ownerDb);
        await runMigrations(ownerDb, options?.upTo);
      } finally {
        await ownerDb.destroy();
      }
    },
    close: async () => {
      await replica?.close();
      await db.destroy();
    },
  };
}

const CURRENT_LSN = CompiledQuery.raw('select pg_current_wal_lsn()::text as lsn');
const REPLAYED_LSN = (lsn: string) =>
  CompiledQuery.raw('select coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) as caught_up', [lsn]);

/**
 * The replica's own pool: read-only scoped transactions, and the wait for its replay to
 * reach a position of the primary's WAL. A hot standby runs no writes, so no temp tables
 * and no COPY of the export's fast path there (it reads keyset batches instead).
 */
function openReplica(url: string, config: DatabaseConfig, settingsQuery: (scope: Scope) => CompiledQuery) {
  // A few connections (read-heavy work runs as background jobs), and a short connect timeout:
  // an unreachable replica must send the work to the primary soon, not after 30 s.
  const client = createPostgres(url, Math.min(config.maxConnections ?? 10, 4), false, 3);
  const dialect = new PostgresJSDialect({ postgres: () => preparedStatements(client, true) });
  const kyselyConfig: KyselyConfig = { dialect, ...(config.onQuery && { log: queryLogger(config.onQuery) }) };
  const db = new Kysely<Database>(kyselyConfig);
  const scoped = scopedTransactions(db, kyselyConfig, dialect);
  return {
    withTenant: <T>(tenantId: string, fn: (trx: Transaction<Database>) => Promise<T>, userId?: string) =>
      scoped([settingsQuery({ tenantId, userId: userId ?? null })], { readOnly: true }, (trx) => fn(trx)),
    /** Polls the replica until it has replayed `lsn` ('replica'), or says why not within `waitMs`. */
    async waitFor(lsn: string, waitMs: number): Promise<'replica' | 'lagging' | 'unreachable'> {
      const deadline = Date.now() + waitMs;
      // A replica that has answered and is behind, whose next answer the deadline overtakes, lags;
      // one that never answered within the wait is unreachable.
      let answered = false;
      for (;;) {
        const left = deadline - Date.now();
        let caughtUp: boolean;
        try {
          const answer = db.executeQuery<{ caught_up: boolean }>(REPLAYED_LSN(lsn));
          const timeout = new Promise<'timeout'>((resolve) =>
            setTimeout(resolve, Math.max(left, 0), 'timeout'),
          );
          const result = await Promise.race([answer, timeout]);
          if (result === 'timeout') {
            answer.catch(() => undefined);
            return answered ? 'lagging' : 'unreachable';
          }
          answered = true;
          caughtUp = result.rows[0]?.caught_up === true;
        } catch {
          return 'unreachable';
        }
        if (caughtUp) return 'replica';
        if (Date.now() >= deadline) return 'lagging';
        await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(deadline - Date.now(), 0))));
      }
    },
    close: () => db.destroy(),
  };
}

async function openEmbeddedDatabase(dataDir: string): Promise<CrmDatabase> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, { parsers: { 1082: (value: string) => value } });
  await pglite.waitReady;
  // PGlite's one session is a superuser; these roles give the same ownership split as a server.
  await pglite.exec(`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${OWNER_ROLE}') then
        create role ${OWNER_ROLE} nologin;
      end if;
      if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} nologin nosuperuser nobypassrls;
      end if;
      -- The owner creates schemas of its own (the job queue's), as it can in the database it
      -- owns on a server.
      execute format('grant create on database %I to ${OWNER_ROLE}', current_database());
    end $$;
    grant usage, create on schema public to ${OWNER_ROLE};
  `);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  const scoped = scopedEmbedded(db);
  const withScope = <T>(scope: Scope, fn: (trx: Transaction<Database>) => Promise<T>) =>
    scoped(scope, {}, fn);
  const copyIn: CopyIn = async (table, columns, data) => {
    const parts: (string | Uint8Array)[] = [];
    for await (const part of data) parts.push(part);
    // COPY from a file (PGlite's '/dev/blob') needs the superuser the session is; the
    // transaction's runtime role is restored right after.
    // (A failed COPY aborts the transaction, which then ends in a rollback.)
    await pglite.query(`select set_config('role', 'none', true)`);
    await pglite.query(
      `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from '/dev/blob'`,
      [],
      { blob: new Blob(parts as (string | Uint8Array<ArrayBuffer>)[]) },
    );
    await pglite.query(`select set_config('role', '${APP_ROLE}', true)`);
  };
  return {
    kind: 'pglite',
    db,
    withScope,
    withTenantCopy: (tenantId, userId, fn) => withScope({ tenantId, userId }, (trx) => fn(trx, copyIn)),
    withTenant: (tenantId, fn, userId) => withScope({ tenantId, userId: userId ?? null }, fn),
    heavyReads: async () => ({
      source: 'primary',
      reason: 'no-replica',
      withTenant: (tenantId, fn, userId) => withScope({ tenantId, userId: userId ?? null }, fn),
    }),
    withTenantFirst: (tenantId, first, fn, options = {}) =>
      scoped({ tenantId }, options, async (trx) => fn(trx, (await trx.executeQuery(first)).rows)),
    readInTenant: (tenantId, query, options = {}) =>
      scoped(
        { tenantId },
        { ...options, readOnly: true },
        async (trx) => (await trx.executeQuery(query)).rows,
      ),
    withMember: (tenantId, userId, fn) =>
      withScope({ tenantId, userId }, async (trx) => {
        const { rows } = await trx.executeQuery<MembershipRow>(membershipQuery(tenantId, userId));
        return fn(trx, toMemberAccess(rows[0]));
      }),
    withSession: (sessionId, fn, options = {}) =>
      scoped({}, options, async (trx) => {
        const { rows } = await trx.executeQuery<OpenedRow>(openSessionQuery(sessionId));
        return fn(trx, toOpened(rows[0]));
      }),
    withoutTenant: (fn) => withScope({}, fn),
    async migrate(options) {
      await pglite.exec(`set role ${OWNER_ROLE}`);
      try {
        await runMigrations(db as Kysely<unknown>, options?.upTo);
      } finally {
        await pglite.exec('reset role');
      }
    },
    close: () => db.destroy(),
  };
}
