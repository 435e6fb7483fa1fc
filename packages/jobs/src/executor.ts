import type { CrmDatabase, Database, Transaction } from '@crm/db';
import { CompiledQuery } from 'kysely';

/** pg-boss's database adapter (`db` option): one statement or script, rows back. */
export type SqlExecutor = {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
};

/**
 * pg-boss talks to the database only through this: every statement goes through our Kysely
 * instance as the runtime role, never through a pool or session of its own.
 *
 * - Server: single statements run on the pool, whose connections are crm_app.
 * - PGlite: the one superuser session is shared with the app, so each statement runs in a
 *   Kysely transaction that first drops to crm_app (`withoutTenant`), queued behind
 *   whatever the app is doing, never interleaved with an open app transaction.
 * - pg-boss's multi-statement scripts (`BEGIN; SET LOCAL …; advisory lock; …; COMMIT`) are
 *   split and run statement by statement in one transaction, so every driver gets one
 *   statement at a time over the extended protocol.
 *
 * `pending()` lets `stop()` wait for statements pg-boss fires without awaiting (it
 * completes or fails a job after its handler returns without awaiting the result).
 */
export function createExecutor(database: CrmDatabase): SqlExecutor & { pending(): number } {
  let inFlight = 0;
  async function track<T>(work: Promise<T>): Promise<T> {
    inFlight += 1;
    try {
      return await work;
    } finally {
      inFlight -= 1;
    }
  }
  return {
    pending: () => inFlight,
    executeSql(text, values) {
      const statements = splitScript(text);
      if (statements.length === 1) {
        const query = prepareStatement(text, values);
        return track(
          database.withoutTenant(async (db) => ({
            rows: (await db.executeQuery<Record<string, unknown>>(query)).rows,
          })),
        );
      }
      if (values && values.length > 0)
        throw new Error('pg-boss sent a multi-statement script with parameters');
      return track(
        database.withScope({}, async (trx) => {
          let rows: Record<string, unknown>[] = [];
          for (const statement of statements) {
            rows = (await trx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(statement))).rows;
          }
          return { rows };
        }),
      );
    },
  };
}

/** Runs pg-boss statements inside the caller's transaction (enqueue that commits or rolls back with it). */
export function transactionExecutor(trx: Transaction<Database>): SqlExecutor {
  return {
    async executeSql(text, values) {
      if (splitScript(text).length !== 1)
        throw new Error('A script cannot run inside a caller’s transaction');
      const { rows } = await trx.executeQuery<Record<string, unknown>>(prepareStatement(text, values));
      return { rows };
    },
  };
}

/**
 * node-postgres (pg-boss's own driver) turns undefined into null and sends strings as they
 * are. postgres.js refuses undefined, and serialises every value bound to a json/jsonb
 * parameter with JSON.stringify — a string too, which would store pg-boss's pre-serialised
 * JSON as a JSON string. PGlite stringifies objects and passes strings through. So: objects
 * stay objects (both drivers serialise them for a json parameter); arrays (job ids for
 * `$2::uuid[]`) become array literals; and the one statement that binds pre-serialised JSON
 * (`insertJobs`, `json_to_recordset($1)`) reads it as text first.
 */
export function prepareStatement(text: string, values: readonly unknown[] | undefined): CompiledQuery {
  return CompiledQuery.raw(
    text.replaceAll('json_to_recordset($1)', 'json_to_recordset($1::text::json)'),
    toParameters(values),
  );
}

export function toParameters(values: readonly unknown[] | undefined): unknown[] {
  return (values ?? []).map((value) => {
    if (value === undefined || value === null) return null;
    if (Array.isArray(value)) return arrayLiteral(value);
    return value;
  });
}

function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((item) =>
    item === null || item === undefined
      ? 'NULL'
      : `"${String(item).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
  );
  return `{${items.join(',')}}`;
}

/**
 * Splits a script on semicolons outside quotes, dollar quotes and comments, dropping the
 * BEGIN/COMMIT that pg-boss wraps its scripts in (the caller supplies the transaction).
 */
export function splitScript(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, index + 1);
      const stop = end === -1 ? text.length : end + 1;
      current += text.slice(index, stop);
      index = stop;
      continue;
    }
    if (char === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(index))?.[0];
      if (tag) {
        const end = text.indexOf(tag, index + tag.length);
        const stop = end === -1 ? text.length : end + tag.length;
        current += text.slice(index, stop);
        index = stop;
        continue;
      }
    }
    if (char === '-' && text[index + 1] === '-') {
      const end = text.indexOf('\n', index);
      const stop = end === -1 ? text.length : end;
      current += text.slice(index, stop);
      index = stop;
      continue;
    }
    if (char === ';') {
      statements.push(current);
      current = '';
      index += 1;
      continue;
    }
    current += char;
    index += 1;
  }
  statements.push(current);
  return statements
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '' && !/^(begin|commit)$/i.test(statement));
}
