import net from 'node:net';
import { keyForCallQuery } from '@crm/api';
import { createSession } from '@crm/auth';
import {
  type CrmDatabase,
  dropDatabase,
  executeAndCommit,
  openDatabase,
  provisionDatabase,
  sql,
} from '@crm/db';
import { testAdminUrl } from '@crm/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * A tenant request opens its transaction in one round trip: BEGIN, the session (which sets the
 * RLS scope in SQL) and the membership leave in one write to PostgreSQL, and the procedure
 * starts once their answers are in (docs/benchmarks.md, BM1). Writes are counted on the
 * sockets to the server; one connection, so every statement is already prepared on it.
 */
const adminUrl = testAdminUrl();
const databaseName = `crm_opening_round_trip_${process.pid}`;
let database: CrmDatabase;
let serverPort = 0;
let sessionId = '';
const tenantId = crypto.randomUUID();
const userId = crypto.randomUUID();
const keyId = crypto.randomUUID();

/** Writes to PostgreSQL's sockets from now on. */
function countWrites() {
  const counted = { writes: 0 };
  const write = net.Socket.prototype.write;
  vi.spyOn(net.Socket.prototype, 'write').mockImplementation(function (
    this: net.Socket,
    ...args: Parameters<net.Socket['write']>
  ) {
    if (this.remotePort === serverPort) counted.writes += 1;
    return write.apply(this, args);
  });
  return counted;
}

/** Waits until the connection has answered everything sent before (a read-only COMMIT is not awaited). */
const settled = () => database.withoutTenant((db) => sql`select 1`.execute(db));

beforeAll(async () => {
  if (!adminUrl) return;
  const urls = await provisionDatabase(adminUrl, databaseName);
  serverPort = Number(new URL(urls.databaseUrl).port || 5432);
  const owner = await openDatabase({ ...urls, maxConnections: 1 });
  await owner.migrate();
  await owner.close();
  database = await openDatabase({ databaseUrl: urls.databaseUrl, maxConnections: 1 });
  await database.withScope({ userId }, (trx) =>
    trx
      .insertInto('users')
      .values({ id: userId, email: 'opening@example.com', name: '开场', locale: 'zh-CN', password_hash: 'x' })
      .execute(),
  );
  await database.withTenant(tenantId, async (trx) => {
    await trx.insertInto('tenants').values({ id: tenantId, name: '一趟租户', industry: 'b2b' }).execute();
    await trx
      .insertInto('memberships')
      .values({ tenant_id: tenantId, user_id: userId, role: 'sales_rep' })
      .execute();
  });
  const { session } = await database.withScope({}, (trx) => createSession(trx, userId, tenantId));
  sessionId = session.id;
  await database.withTenant(tenantId, (trx) =>
    trx
      .insertInto('api_keys')
      .values({
        tenant_id: tenantId,
        id: keyId,
        name: '一趟密钥',
        display_prefix: 'crmk_…abcd',
        secret_hash: Buffer.alloc(32, 7),
        scopes: ['customers:read'],
        ip_allowlist: [],
        rate_limit_per_minute: 600,
        created_by: userId,
      })
      .execute(),
  );
});

afterEach(() => vi.restoreAllMocks());

afterAll(async () => {
  if (!adminUrl) return;
  await database?.close();
  await dropDatabase(adminUrl, databaseName);
});

describe.skipIf(!adminUrl)('the opening round trip of a tenant request', () => {
  it('sends BEGIN, session, scope and membership in one write, read-only or not', async () => {
    for (const readOnly of [true, false]) {
      // Once unmeasured: the connection prepares each statement the first time it sees it.
      await database.withSession(sessionId, async () => undefined, { readOnly });
      await settled();
      const counted = countWrites();
      let writesWhenOpened = -1;
      const opened = await database.withSession(
        sessionId,
        async (trx, { session, membership }) => {
          writesWhenOpened = counted.writes;
          const { rows } = await sql<{ tenant: string }>`select app_tenant_id()::text as tenant`.execute(trx);
          return { session, membership, tenant: rows[0]?.tenant };
        },
        { readOnly },
      );
      vi.restoreAllMocks();
      expect(writesWhenOpened).toBe(1);
      expect(opened.session?.user_id).toBe(userId);
      expect(opened.membership).toEqual({ role: 'sales_rep', teamId: null });
      expect(opened.tenant).toBe(tenantId);
      await settled();
    }
  });

  it('a call through an API key sends BEGIN, scope and the key with its creator in one write', async () => {
    for (const readOnly of [true, false]) {
      const opening = keyForCallQuery(tenantId, keyId);
      await database.withTenantFirst(tenantId, opening, async () => undefined, { readOnly });
      await settled();
      const counted = countWrites();
      let writesWhenOpened = -1;
      const opened = await database.withTenantFirst(
        tenantId,
        opening,
        async (trx, rows) => {
          writesWhenOpened = counted.writes;
          const { rows: scope } = await sql<{ tenant: string; user: string }>`
            select app_tenant_id()::text as tenant, app_user_id()::text as user`.execute(trx);
          return { key: rows[0], scope: scope[0] };
        },
        { readOnly },
      );
      vi.restoreAllMocks();
      expect(writesWhenOpened).toBe(1);
      expect(opened.key).toMatchObject({ created_by: userId, role: 'sales_rep', scopes: ['customers:read'] });
      // The transaction acts as the key's creator (RLS policies that read the user).
      expect(opened.scope).toEqual({ tenant: tenantId, user: userId });
      await settled();
    }
    // Another tenant's scope finds no key, and acts as nobody.
    const foreign = await database.withTenantFirst(
      crypto.randomUUID(),
      keyForCallQuery(tenantId, keyId),
      async (trx, rows) => {
        const { rows: scope } = await sql<{ user: string | null }>`
          select nullif(current_setting('app.user_id', true), '') as user`.execute(trx);
        return { rows: rows.length, user: scope[0]?.user };
      },
      { readOnly: true },
    );
    expect(foreign).toEqual({ rows: 0, user: null });
  });

  it('returns every column of the session, its user’s name, email, locale and state, and the membership', async () => {
    const opened = await database.withSession(
      sessionId,
      async (trx, { session, membership }) => {
        const { rows } = await sql<{ column_name: string }>`
          select column_name from information_schema.columns
          where table_schema = 'public' and table_name = 'sessions'`.execute(trx);
        return { session, membership, columns: rows.map((row) => row.column_name) };
      },
      { readOnly: true },
    );
    expect(opened.columns.length).toBeGreaterThan(0);
    expect(Object.keys(opened.session ?? {}).sort()).toEqual(
      [...opened.columns, 'email', 'name', 'locale', 'disabled_at'].sort(),
    );
    expect(opened.session).toMatchObject({ id: sessionId, user_id: userId, active_tenant_id: tenantId });
    expect(opened.session?.expires_at).toBeInstanceOf(Date);
    expect(opened.membership).toEqual({ role: 'sales_rep', teamId: null });
  });

  it('an unknown session opens a transaction that sees no tenant', async () => {
    const opened = await database.withSession(
      'x'.repeat(32),
      async (trx, { session, membership }) => {
        const { rows } = await sql<{ count: number }>`select count(*)::int as count from tenants`.execute(
          trx,
        );
        return { session, membership, tenants: rows[0]?.count };
      },
      { readOnly: true },
    );
    expect(opened).toEqual({ session: null, membership: null, tenants: 0 });
  });

  it('a failing opening statement rolls back, and the connection serves the next request', async () => {
    // A NUL byte: PostgreSQL refuses the session id parameter, BEGIN has already run.
    await expect(database.withSession('\u0000', async () => 'ran', { readOnly: true })).rejects.toThrow();
    const opened = await database.withSession(sessionId, async (_trx, { session }) => session?.id, {
      readOnly: true,
    });
    expect(opened).toBe(sessionId);
  });
});

describe.skipIf(!adminUrl)("a public door's last statement and its COMMIT", () => {
  const first = () => sql<{ n: number }>`select count(*)::int as n from tenants`.compile(database.db);
  const rename = (name: string) =>
    sql`update tenants set name = ${name} where id = ${tenantId} returning id`.compile(database.db);
  const nameNow = () =>
    database.withTenant(tenantId, async (trx) => {
      const { rows } = await sql<{ name: string }>`select name from tenants where id = ${tenantId}`.execute(
        trx,
      );
      return rows[0]?.name;
    });

  it('go in one write, and the change is committed', async () => {
    await database.withTenantFirst(tenantId, first(), (trx) => executeAndCommit(trx, rename('一趟租户')));
    await settled();
    const counted = countWrites();
    let writesBeforeLast = -1;
    const result = await database.withTenantFirst(tenantId, first(), async (trx, rows) => {
      writesBeforeLast = counted.writes;
      const updated = await executeAndCommit(trx, rename('一趟租户（改）'));
      return { seen: rows[0]?.n, updated: updated.rows.length };
    });
    const writes = counted.writes - writesBeforeLast;
    vi.restoreAllMocks();
    expect(writesBeforeLast).toBe(1);
    expect(writes).toBe(1);
    expect(result).toEqual({ seen: 1, updated: 1 });
    expect(await nameNow()).toBe('一趟租户（改）');
  });

  it('a failing last statement rolls the transaction back, and the connection serves the next request', async () => {
    await expect(
      database.withTenantFirst(tenantId, first(), async (trx) => {
        await sql`update tenants set name = '不应留下' where id = ${tenantId}`.execute(trx);
        await executeAndCommit(trx, sql`select 1 / 0`.compile(database.db));
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await nameNow()).toBe('一趟租户（改）');
    const again = await database.withTenantFirst(tenantId, first(), async (trx, rows) => {
      await executeAndCommit(trx, rename('一趟租户'));
      return rows[0]?.n;
    });
    expect(again).toBe(1);
    expect(await nameNow()).toBe('一趟租户');
  });

  it('a read alone: BEGIN, scope, read and COMMIT in one write, its rows in the tenant', async () => {
    await database.readInTenant(tenantId, first(), { genericPlans: true });
    await settled();
    const counted = countWrites();
    const rows = await database.readInTenant(tenantId, first(), { genericPlans: true });
    const writes = counted.writes;
    vi.restoreAllMocks();
    expect(writes).toBe(1);
    expect(rows).toEqual([{ n: 1 }]);
    // The transaction is over: the connection serves the next request at once.
    expect(await nameNow()).toBe('一趟租户');
    await expect(database.readInTenant(tenantId, sql`select 1 / 0`.compile(database.db))).rejects.toThrow(
      /division by zero/,
    );
    expect(await database.readInTenant(tenantId, first())).toEqual([{ n: 1 }]);
  });

  it('elsewhere runs as any statement: the transaction commits when its function returns, or rolls back', async () => {
    await expect(
      database.withTenant(tenantId, async (trx) => {
        await executeAndCommit(trx, rename('不应留下'));
        throw new Error('after the last statement');
      }),
    ).rejects.toThrow('after the last statement');
    expect(await nameNow()).toBe('一趟租户');
  });
});
