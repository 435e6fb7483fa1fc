import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  sessionCookie,
  signedInClient,
  type TestServer,
} from '../test/helpers';

/**
 * A tenant procedure reads its session inside the tenant transaction's opening round trip
 * (the session's tenant and user become the RLS scope in SQL). These check that it still
 * judges the session exactly as a public procedure does.
 */
let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '会话租户');
  other = await seedTenant(server.database, '另一租户');
});
afterAll(() => server.destroy());

const idOf = (cookie: string) => cookie.split('=')[1]?.split('.')[0] ?? '';

async function sessionRow(id: string) {
  return server.database.withScope({}, (trx) =>
    trx.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

describe('tenant procedures judge the session in their opening round trip', () => {
  it('answers a valid session with its tenant’s rows only', async () => {
    const client = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const created = await client.call('customers.create', { name: '会话客户', kind: 'person' });
    expect(created.ok).toBe(true);
    const list = await client.call('customers.list', {});
    expect(list.ok).toBe(true);
    expect(list.data.items.map((item: { name: string }) => item.name)).toEqual(['会话客户']);
    const elsewhere = await signedInClient(server, other.users.admin.id, other.tenantId);
    expect((await elsewhere.call('customers.list', {})).data.items).toEqual([]);
  });

  it('refuses a wrong secret, a malformed token and no token, and clears the cookie', async () => {
    const cookie = await sessionCookie(server, tenant.users.admin.id, tenant.tenantId);
    const [name, token] = cookie.split('=') as [string, string];
    const wrongSecret = `${name}=${token.split('.')[0]}.${'a'.repeat(32)}`;
    for (const presented of [wrongSecret, `${name}=garbage`, null]) {
      const result = await server.client({ cookie: presented }).call('customers.list', {});
      expect(result.error?.appCode).toBe('UNAUTHENTICATED');
      if (presented) expect(result.setCookies.some((header) => /max-age=0/i.test(header))).toBe(true);
    }
    // A wrong secret does not end the real session.
    expect(await sessionRow(idOf(cookie))).toBeDefined();
  });

  it('ends an idle, an expired and a disabled user’s session: refused, cookie cleared, row deleted', async () => {
    const policy = server.dependencies.sessionPolicy;
    const idle = await sessionCookie(server, tenant.users.analyst.id, tenant.tenantId);
    const expired = await sessionCookie(server, tenant.users.analyst.id, tenant.tenantId);
    const disabled = await sessionCookie(server, tenant.users.viewer.id, tenant.tenantId);
    await server.database.withScope({}, async (trx) => {
      await trx
        .updateTable('sessions')
        .set({ last_active_at: new Date(Date.now() - policy.inactivityTimeoutMs - 1000) })
        .where('id', '=', idOf(idle))
        .execute();
      await sql`update sessions set expires_at = now() - interval '1 second' where id = ${idOf(expired)}`.execute(
        trx,
      );
      await sql`update users set disabled_at = now() where id = ${tenant.users.viewer.id}`.execute(trx);
    });
    for (const cookie of [idle, expired, disabled]) {
      const result = await server.client({ cookie }).call('customers.list', {});
      expect(result.error?.appCode).toBe('UNAUTHENTICATED');
      expect(result.setCookies.some((header) => /max-age=0/i.test(header))).toBe(true);
      expect(await sessionRow(idOf(cookie))).toBeUndefined();
    }
  });

  it('moves last_active_at forward when it is due, and not otherwise', async () => {
    const policy = server.dependencies.sessionPolicy;
    const cookie = await sessionCookie(server, tenant.users.sales_rep.id, tenant.tenantId);
    const id = idOf(cookie);
    const stale = new Date(Date.now() - policy.activityWriteIntervalMs - 60_000);
    await server.database.withScope({}, (trx) =>
      trx.updateTable('sessions').set({ last_active_at: stale }).where('id', '=', id).execute(),
    );
    expect((await server.client({ cookie }).call('customers.list', {})).ok).toBe(true);
    const touched = (await sessionRow(id))?.last_active_at.getTime() ?? 0;
    expect(Date.now() - touched).toBeLessThan(10_000);
    expect((await server.client({ cookie }).call('customers.list', {})).ok).toBe(true);
    expect((await sessionRow(id))?.last_active_at.getTime()).toBe(touched);
  });

  it('refuses a session without an active tenant and one whose user is no member of it', async () => {
    const noTenant = await signedInClient(server, tenant.users.admin.id, null);
    expect((await noTenant.call('customers.list', {})).error?.appCode).toBe('NO_ACTIVE_TENANT');
    // A session pointing at a tenant the user does not belong to sees nothing of it.
    const foreign = await signedInClient(server, tenant.users.admin.id, other.tenantId);
    expect((await foreign.call('customers.list', {})).error?.appCode).toBe('NOT_A_MEMBER');
  });

  it('shares one validated session between a tenant procedure and auth.me in a batch', async () => {
    const cookie = await sessionCookie(server, tenant.users.admin.id, tenant.tenantId);
    const input = encodeURIComponent(JSON.stringify({ 0: {}, 1: {} }));
    const response = await server.app.request(
      `http://localhost:3000/trpc/customers.list,auth.me?batch=1&input=${input}`,
      { headers: { cookie, origin: server.publicUrl } },
      { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
    );
    const body = (await response.json()) as { result?: { data: { user?: { id: string } } } }[];
    expect(body).toHaveLength(2);
    expect(body[1]?.result?.data.user?.id).toBe(tenant.users.admin.id);
  });

  it('runs query procedures read-only: a write in one fails, and the connection serves the next', async () => {
    const cookie = await sessionCookie(server, tenant.users.admin.id, tenant.tenantId);
    const id = idOf(cookie);
    const attempt = server.database.withSession(
      id,
      (trx) => sql`update customers set name = name where false`.execute(trx),
      { readOnly: true },
    );
    await expect(attempt).rejects.toMatchObject({ code: '25006' });
    for (let index = 0; index < 20; index += 1) {
      const rows = await server.database.withSession(
        id,
        async (trx, opened) => {
          expect(opened.membership?.role).toBe('admin');
          return trx.selectFrom('customers').select('name').execute();
        },
        { readOnly: true },
      );
      expect(rows.map((row) => row.name)).toEqual(['会话客户']);
    }
    // A write after many read-only transactions on the pooled connections commits.
    const client = server.client({ cookie });
    expect((await client.call('customers.create', { name: '只读之后', kind: 'person' })).ok).toBe(true);
    expect((await client.call('customers.list', {})).data.items).toHaveLength(2);
  });
});
