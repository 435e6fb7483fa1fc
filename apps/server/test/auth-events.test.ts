import { createHash } from 'node:crypto';
import { sql } from '@crm/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  TEST_PASSWORD,
  type TestServer,
} from './helpers';

/**
 * T5.7a, auth events: each sign-up, sign-in, failed sign-in, sign-out, password change, API
 * key created, used and revoked, and invitation accepted writes exactly one row — in the log of
 * its tenant (`auth_events`, row-level security: a tenant reads its own and nothing else), or,
 * with no tenant, in the account log no tenant reads (an unknown address kept as its SHA-256).
 */
let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '登录日志企业');
  other = await seedTenant(server.database, '隔壁登录企业');
});
afterAll(() => server.destroy());

type EventRow = {
  event: string;
  user_id: string | null;
  api_key_id: string | null;
  ip: string | null;
  request_id: string | null;
};

/** A tenant's auth events, oldest first, read as the runtime role in the tenant's scope. */
function eventsOf(tenantId: string): Promise<EventRow[]> {
  return server.database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<EventRow>`
      select event, user_id, api_key_id, ip, request_id from auth_events order by occurred_at, id`.execute(
      trx,
    );
    return rows;
  });
}

/** The account log as an administrator reads it (the runtime role may not). */
async function accountEvents(): Promise<
  { event: string; user_id: string | null; email_sha256: string | null }[]
> {
  const query = 'select event, user_id, email_sha256 from account_auth_events order by occurred_at, id';
  if (server.database.kind === 'pglite') {
    const { rows } = await sql
      .raw<{ event: string; user_id: string | null; email_sha256: string | null }>(query)
      .execute(server.database.db);
    return rows;
  }
  const admin = postgres(server.testDatabase.adminUrl as string, { max: 1, onnotice: () => {} });
  try {
    return await admin.unsafe(query);
  } finally {
    await admin.end();
  }
}

describe('auth events (T5.7a)', () => {
  it("sign-in, failed sign-in, password change and sign-out: one row each in the tenant's log, which only it reads", async () => {
    const user = tenant.users.admin;
    const browser = server.client({ ip: '198.51.100.7' });
    const requestId = `auth-${crypto.randomUUID()}`;
    const signedIn = await browser.call(
      'auth.signIn',
      { email: user.email, password: TEST_PASSWORD },
      { 'x-request-id': requestId },
    );
    expect(signedIn.error).toBeNull();
    const failed = await server
      .client({ ip: '198.51.100.8' })
      .call('auth.signIn', { email: user.email, password: 'not the password at all' });
    expect(failed.error?.appCode).toBe('INVALID_CREDENTIALS');
    const changed = await browser.call('auth.changePassword', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a brand new horse battery',
    });
    expect(changed.error).toBeNull();
    expect((await browser.call('auth.signOut')).error).toBeNull();

    const events = await eventsOf(tenant.tenantId);
    expect(events.map((row) => [row.event, row.user_id, row.ip])).toEqual([
      ['sign_in', user.id, '198.51.100.7'],
      ['sign_in_failed', user.id, '198.51.100.8'],
      ['password_changed', user.id, '198.51.100.7'],
      ['sign_out', user.id, '198.51.100.7'],
    ]);
    expect(events[0]?.request_id).toBe(requestId);
    // Another tenant sees none of them, by SQL or through the API.
    expect(await eventsOf(other.tenantId)).toEqual([]);
    const otherOwner = await signedInClient(server, other.users.owner.id, other.tenantId);
    const foreign = await otherOwner.call('authEvents.list');
    expect(foreign.error).toBeNull();
    expect(JSON.stringify(foreign.data)).not.toContain(user.id);

    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    const listed = await owner.call('authEvents.list', { limit: 10 });
    expect(listed.error).toBeNull();
    expect((listed.data as { event: string }[]).map((row) => row.event)).toEqual([
      'sign_out',
      'password_changed',
      'sign_in_failed',
      'sign_in',
    ]);
    // Members' auth events are for those who manage members.
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    expect((await rep.call('authEvents.list')).error?.appCode).toBe('FORBIDDEN');
  });

  it('a failed sign-in of an address no account has: in the account log, as a digest; the runtime role reads none of it', async () => {
    const before = await accountEvents();
    const email = `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const failed = await server.client().call('auth.signIn', { email, password: 'whatever password' });
    expect(failed.error?.appCode).toBe('INVALID_CREDENTIALS');
    const after = await accountEvents();
    expect(after.slice(before.length)).toEqual([
      {
        event: 'sign_in_failed',
        user_id: null,
        email_sha256: createHash('sha256').update(email).digest('hex'),
      },
    ]);
    expect(JSON.stringify(after)).not.toContain(email);
    for (const tenantId of [tenant.tenantId, other.tenantId])
      expect(
        (await eventsOf(tenantId)).filter((row) => row.event === 'sign_in_failed' && !row.user_id),
      ).toEqual([]);
    await expect(
      server.database.withScope({}, (trx) => sql`select count(*) from account_auth_events`.execute(trx)),
    ).rejects.toThrow(/permission denied/);
  });

  it('API keys created, used (once a minute) and revoked, and an invitation accepted, each write one row', async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    const before = (await eventsOf(tenant.tenantId)).length;
    const created = await owner.call('apiKeys.create', { name: '审计同步', scopes: ['customers:read'] });
    expect(created.error).toBeNull();
    const { key, token } = created.data as { key: { id: string }; token: string };
    for (let call = 0; call < 2; call += 1) {
      const response = await server.app.request(
        'http://localhost:3000/api/v1/customers?limit=1',
        { headers: { authorization: `Bearer ${token}` } },
        { incoming: { socket: { remoteAddress: '203.0.113.9' } } },
      );
      expect(response.status).toBe(200);
    }
    expect((await owner.call('apiKeys.revoke', { id: key.id })).error).toBeNull();

    const link = await owner.call('members.invitations.create', { role: 'analyst' });
    const guest = await signedInClient(server, other.users.viewer.id, other.tenantId);
    expect((await guest.call('members.invitations.accept', { token: link.data.token })).error).toBeNull();

    const events = (await eventsOf(tenant.tenantId)).slice(before);
    expect(events.map((row) => [row.event, row.user_id, row.api_key_id, row.ip])).toEqual([
      ['api_key_created', tenant.users.owner.id, key.id, null],
      ['api_key_used', tenant.users.owner.id, key.id, '203.0.113.9'],
      ['api_key_revoked', tenant.users.owner.id, key.id, null],
      ['invitation_accepted', other.users.viewer.id, null, '10.0.0.1'],
    ]);
    expect((await eventsOf(other.tenantId)).map((row) => row.event)).not.toContain('invitation_accepted');
  });

  it('a sign-up writes its row in the new tenant', async () => {
    const email = `founder-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const signedUp = await server.client().call('auth.signUp', {
      email,
      password: TEST_PASSWORD,
      name: '创始人',
      tenantName: '新注册企业',
      industry: 'b2b',
    });
    expect(signedUp.error).toBeNull();
    const { activeTenantId, user } = signedUp.data as { activeTenantId: string; user: { id: string } };
    expect((await eventsOf(activeTenantId)).map((row) => [row.event, row.user_id])).toEqual([
      ['sign_up', user.id],
    ]);
  });
});
