import { type CrmDatabase, dropDatabase, openDatabase, provisionDatabase, sql } from '@crm/db';
import { testAdminUrl } from '@crm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A pooled connection that dies under its transaction (pg_terminate_backend, as a server
 * restart or a network cut would) must leave the pool as good as new: the transaction fails,
 * callers waiting for the connection get a fresh one, the next statement's answer is its own
 * (postgres.js carried the dead socket's row counter over: its first row landed at index 1),
 * and the dead transaction's late ROLLBACK settles at once instead of wedging the connection
 * (patches/postgres@3.4.9.patch; the drills T5.1 and T2.5 do this under load).
 */
const adminUrl = testAdminUrl();
const databaseName = `crm_connection_loss_${process.pid}`;
let database: CrmDatabase;

/** Fails instead of waiting for ever: a hung pool is what this test is about. */
function within<T>(promise: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const bare = () =>
  database.withoutTenant(async (db) => {
    const { rows } = await sql<{ context: string | null; answer: number }>`
      select nullif(current_setting('app.tenant_id', true), '') as context, 42 as answer`.execute(db);
    return rows;
  });

const killedTransaction = (tenantId: string) =>
  database.withTenant(tenantId, async (trx) => {
    await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx);
  });

beforeAll(async () => {
  if (!adminUrl) return;
  const urls = await provisionDatabase(adminUrl, databaseName);
  // One connection: every caller shares it, so a connection that is not fully recovered shows.
  database = await openDatabase({ databaseUrl: urls.databaseUrl, maxConnections: 1 });
});

afterAll(async () => {
  if (!adminUrl) return;
  await database?.close();
  await dropDatabase(adminUrl, databaseName);
});

describe.skipIf(!adminUrl)('a pooled connection killed under its transaction', () => {
  it('fails that transaction only; the next statement gets its own first row and no tenant', async () => {
    for (let round = 0; round < 5; round += 1) {
      await expect(
        within(killedTransaction(crypto.randomUUID()), 'the killed transaction'),
      ).rejects.toThrow();
      const rows = await within(bare(), 'the next statement');
      expect(rows).toEqual([{ context: null, answer: 42 }]);
    }
  });

  it('callers waiting for the one connection get a fresh one; nothing hangs', async () => {
    const tenantId = crypto.randomUUID();
    const waiting = Array.from({ length: 6 }, (_, index) =>
      index % 3 === 0
        ? killedTransaction(tenantId).then(
            () => 'committed',
            () => 'killed',
          )
        : database
            .withTenant(tenantId, async (trx) => {
              const { rows } = await sql<{
                context: string;
              }>`select current_setting('app.tenant_id') as context`.execute(trx);
              return rows[0]?.context === tenantId ? 'ok' : `saw ${JSON.stringify(rows)}`;
            })
            .catch((error: Error) => `failed: ${error.message}`),
    );
    const outcomes = await within(Promise.all(waiting), 'the waiting callers', 60_000);
    expect(outcomes).toEqual(['killed', 'ok', 'ok', 'killed', 'ok', 'ok']);
    expect(await within(bare(), 'a statement afterwards')).toEqual([{ context: null, answer: 42 }]);
  });
});
