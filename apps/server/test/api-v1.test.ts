import { API_V1_ROUTES, type ApiV1Route, listProcedures } from '@crm/api';
import { API_SCOPE_NAMES, createApiRateLimiter, hasPermission, type Permission } from '@crm/auth';
import { ROLES, type Role } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import {
  createTestServer,
  type SeededTenant,
  type SeededUser,
  seedTenant,
  signedInClient,
  type TestServer,
} from './helpers';
import {
  createCustomerIn,
  createLeadIn,
  createOpportunityIn,
  createOrderIn,
  createTaskIn,
  createTicketIn,
  PROCEDURE_CASES,
} from './procedure-cases';

/**
 * The REST API (/api/v1) through API keys: keys are created once-shown and stored hashed;
 * every route × every role (a key acts as its creator) is allowed or FORBIDDEN as the role
 * table says; a key without the route's scope is refused; another tenant's ids answer 404
 * from access control; revoked, expired, foreign and malformed keys 401; IP allowlists;
 * rate-limit headers and 429; idempotency keys; problem details in both languages.
 */
let server: TestServer;
let tenant: SeededTenant;
let attacker: SeededTenant;
let victimIds: {
  customerId: string;
  orderId: string;
  taskId: string;
  ticketId: string;
  leadId: string;
  opportunityId: string;
};

const PERMISSION_OF = new Map(listProcedures().map((p) => [p.path, p.meta?.permission as Permission]));

async function keyFor(
  owner: SeededTenant,
  actor: SeededUser,
  input: Record<string, unknown> = { scopes: API_SCOPE_NAMES },
): Promise<string> {
  // Keys are made by an admin; a key of another role's member is the admin's key whose creator
  // then holds that role — made here by inserting through the procedure as the owner and
  // handing the row to the actor.
  const owners = await signedInClient(server, owner.users.owner.id, owner.tenantId);
  const created = await owners.call('apiKeys.create', { name: `测试密钥-${actor.name}`, ...input });
  expect(created.error).toBeNull();
  const data = created.data as { key: { id: string }; token: string };
  if (actor.id !== owner.users.owner.id) {
    await server.database.withTenant(owner.tenantId, (trx) =>
      trx.updateTable('api_keys').set({ created_by: actor.id }).where('id', '=', data.key.id).execute(),
    );
  }
  return data.token;
}

type Sent = { status: number; body: Record<string, unknown>; headers: Headers };

async function call(
  method: string,
  path: string,
  token: string | null,
  options: {
    body?: unknown;
    headers?: Record<string, string>;
    ip?: string;
    app?: ReturnType<typeof createApp>;
  } = {},
): Promise<Sent> {
  const headers = new Headers(options.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  const response = await (options.app ?? server.app).request(
    `http://localhost:3000${path}`,
    { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) },
    { incoming: { socket: { remoteAddress: options.ip ?? '203.0.113.7' } } },
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

/** A route's request for an input: `{id}` into the path, the rest into the query or the body. */
function requestOf(route: ApiV1Route, input: unknown): { path: string; body?: unknown } {
  const values = { ...((input ?? {}) as Record<string, unknown>) };
  let path = route.path;
  if (path.includes('{id}')) {
    path = path.replace('{id}', String(values.id));
    delete values.id;
  }
  if (route.method !== 'GET') return { path, body: values };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) query.append(key, String(item));
    else if (typeof value === 'object') query.set(key, JSON.stringify(value));
    else query.set(key, String(value));
  }
  const text = query.toString();
  return { path: text ? `${path}?${text}` : path };
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, 'API 测试企业');
  attacker = await seedTenant(server.database, 'API 攻击企业');
  const customerId = await createCustomerIn(server, tenant.tenantId, '甲方的API机密客户');
  victimIds = {
    customerId,
    orderId: await createOrderIn(server, tenant.tenantId, customerId),
    taskId: await createTaskIn(server, tenant.tenantId, tenant.users.owner.id, customerId, '甲方机密任务'),
    ticketId: await createTicketIn(
      server,
      tenant.tenantId,
      customerId,
      tenant.users.owner.id,
      '甲方机密工单',
    ),
    leadId: await createLeadIn(server, tenant.tenantId, tenant.users.owner.id, '甲方机密线索'),
    opportunityId: await createOpportunityIn(
      server,
      tenant.tenantId,
      tenant.users.owner.id,
      customerId,
      '甲方机密商机',
    ),
  };
});
afterAll(() => server.destroy());

describe('API keys', () => {
  it('shows the token once, stores only its hash, lists and revokes', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const created = await admin.call('apiKeys.create', {
      name: 'ERP 同步',
      scopes: ['customers:read'],
      rateLimitPerMinute: 120,
    });
    const { key, token } = created.data as { key: { id: string; displayPrefix: string }; token: string };
    expect(token).toMatch(/^crmk_[0-9a-f]{64}_[A-Za-z0-9_-]{43}$/);
    expect(key.displayPrefix).toBe(`crmk_…${token.slice(-4)}`);
    const listed = await admin.call('apiKeys.list');
    expect(JSON.stringify(listed.data)).not.toContain(token.slice(-43));
    const stored = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow(),
    );
    expect(JSON.stringify(stored)).not.toContain(token.slice(-43));

    const ok = await call('GET', '/api/v1/customers?limit=5', token);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const used = (await admin.call('apiKeys.list')).data as { id: string; lastUsedAt: string | null }[];
    expect(used.find((row) => row.id === key.id)?.lastUsedAt).not.toBeNull();

    expect((await admin.call('apiKeys.revoke', { id: key.id })).error).toBeNull();
    const revoked = await call('GET', '/api/v1/customers', token);
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('API_KEY_INVALID');
  });

  it('is managed by owners and admins only', async () => {
    for (const role of ROLES as readonly Role[]) {
      const client = await signedInClient(server, tenant.users[role].id, tenant.tenantId);
      const result = await client.call('apiKeys.list');
      if (role === 'owner' || role === 'admin') expect(result.error).toBeNull();
      else expect(result.error?.appCode).toBe('FORBIDDEN');
    }
  });

  it('refuses missing, malformed, foreign-tenant, expired and removed-creator keys with 401', async () => {
    expect((await call('GET', '/api/v1/customers', null)).status).toBe(401);
    expect((await call('GET', '/api/v1/customers', 'crmk_nope')).status).toBe(401);
    const token = await keyFor(tenant, tenant.users.owner);
    // The victim's tenant id with the attacker's key id and secret: RLS finds no such key.
    const theirs = await keyFor(attacker, attacker.users.owner);
    const swapped = `crmk_${tenant.tenantId.replaceAll('-', '')}${theirs.slice(37)}`;
    const refused = await call('GET', '/api/v1/customers', swapped);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).not.toContain('甲方');
    // The right key id with a wrong secret.
    expect((await call('GET', '/api/v1/customers', `${token.slice(0, -4)}AAAA`)).status).toBe(401);

    const expiring = await keyFor(tenant, tenant.users.owner);
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .updateTable('api_keys')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('display_prefix', '=', `crmk_…${expiring.slice(-4)}`)
        .execute(),
    );
    expect((await call('GET', '/api/v1/customers', expiring)).status).toBe(401);

    const analyst = await keyFor(tenant, tenant.users.analyst, { scopes: ['customers:read'] });
    expect((await call('GET', '/api/v1/customers', analyst)).status).toBe(200);
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.deleteFrom('memberships').where('user_id', '=', tenant.users.analyst.id).execute(),
    );
    expect((await call('GET', '/api/v1/customers', analyst)).status).toBe(401);
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .insertInto('memberships')
        .values({ tenant_id: tenant.tenantId, user_id: tenant.users.analyst.id, role: 'analyst' })
        .execute(),
    );
  });

  it('honours the IP allowlist', async () => {
    const token = await keyFor(tenant, tenant.users.owner, {
      scopes: ['customers:read'],
      ipAllowlist: ['198.51.100.0/24', '2001:db8::1'],
    });
    expect((await call('GET', '/api/v1/customers', token, { ip: '198.51.100.20' })).status).toBe(200);
    const refused = await call('GET', '/api/v1/customers', token, { ip: '203.0.113.7' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('API_KEY_IP_NOT_ALLOWED');
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const invalid = await admin.call('apiKeys.create', {
      name: '坏网段',
      scopes: ['customers:read'],
      ipAllowlist: ['10.0.0.0/99'],
    });
    expect(invalid.error?.appCode).toBe('INVALID_INPUT');
  });

  it('sends RateLimit headers, and 429 with Retry-After past the key limit', async () => {
    const app = createApp({
      dependencies: server.dependencies,
      publicUrl: server.publicUrl,
      apiRateLimiter: createApiRateLimiter({ tenantPerMinute: 1000 }),
    });
    const token = await keyFor(tenant, tenant.users.owner, {
      scopes: ['customers:read'],
      rateLimitPerMinute: 2,
    });
    // The key's own limit, from the first call on: it is charged once the key has verified.
    const first = await call('GET', '/api/v1/customers', token, { app });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    const second = await call('GET', '/api/v1/customers', token, { app });
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
    const limited = await call('GET', '/api/v1/customers', token, {
      app,
      headers: { 'accept-language': 'en' },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.detail).toMatch(/^Too many requests/);
  });

  it('charges only verified keys: a forged key naming a tenant spends none of its quota', async () => {
    const app = createApp({
      dependencies: server.dependencies,
      publicUrl: server.publicUrl,
      apiRateLimiter: createApiRateLimiter({ tenantPerMinute: 50, unverifiedPerMinute: 3 }),
    });
    const token = await keyFor(tenant, tenant.users.owner, { scopes: ['customers:read'] });
    const remaining = async () => {
      const answer = await call('GET', '/api/v1/customers', token, { app });
      expect(answer.status).toBe(200);
      return Number(answer.headers.get('ratelimit-remaining'));
    };
    const before = await remaining();
    // The victim's tenant and key ids with a guessed secret, and the tenant with a made-up key.
    const forgedSecret = `${token.slice(0, 70)}${'A'.repeat(43)}`;
    const forgedKey = `crmk_${tenant.tenantId.replaceAll('-', '')}${crypto.randomUUID().replaceAll('-', '')}_${'B'.repeat(43)}`;
    for (const forged of [forgedSecret, forgedKey, forgedSecret]) {
      const refused = await call('GET', '/api/v1/customers', forged, { app, ip: '198.51.100.9' });
      expect(refused.status).toBe(401);
    }
    // The forger's own address pays: past its limit it is refused before the database.
    const limited = await call('GET', '/api/v1/customers', forgedKey, { app, ip: '198.51.100.9' });
    expect(limited.status).toBe(429);
    expect(await remaining()).toBe(before - 1);
  });

  it('replays a write with the same Idempotency-Key, and answers problem details', async () => {
    const token = await keyFor(tenant, tenant.users.owner);
    const body = { name: `幂等客户${crypto.randomUUID().slice(0, 6)}`, kind: 'company' };
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const first = await call('POST', '/api/v1/customers', token, { body, headers });
    const again = await call('POST', '/api/v1/customers', token, { body, headers });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    // The same key with another body: 422 (the IETF Idempotency-Key draft), in both languages,
    // and nothing written.
    const otherName = `${body.name}-另一个`;
    for (const language of ['zh-CN', 'en'] as const) {
      const reused = await call('POST', '/api/v1/customers', token, {
        body: { ...body, name: otherName },
        headers: { ...headers, 'accept-language': language },
      });
      expect(reused.status).toBe(422);
      expect(reused.headers.get('content-type')).toContain('application/problem+json');
      expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
      expect(reused.body.detail).toMatch(
        language === 'en' ? /^This Idempotency-Key/ : /^这个 Idempotency-Key/,
      );
    }
    const written = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('customers').select('id').where('name', 'in', [body.name, otherName]).execute(),
    );
    expect(written.map((row) => row.id)).toEqual([first.body.id]);
    const invalid = await call('POST', '/api/v1/customers', token, {
      body: { kind: 'company' },
      headers: { 'accept-language': 'en' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect(invalid.body).toMatchObject({ code: 'INVALID_INPUT', status: 400 });
    expect((invalid.body.errors as { path: string }[])[0]?.path).toBe('name');
    expect((await call('GET', '/api/v1/nothing-here', token)).status).toBe(404);
  });
});

describe('every REST route with API keys', () => {
  for (const route of API_V1_ROUTES) {
    const permission = PERMISSION_OF.get(route.procedure);
    it(`${route.method} ${route.path} maps onto ${route.procedure} under ${route.scope}`, () => {
      expect(permission).toBeDefined();
      expect(PROCEDURE_CASES[route.procedure]).toBeDefined();
    });

    for (const role of ROLES as readonly Role[]) {
      const allowed = hasPermission(role, permission as Permission);
      it(`${route.method} ${route.path} with a key of a ${role}: ${allowed ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const actor = tenant.users[role];
        const token = await keyFor(tenant, actor);
        const input = await PROCEDURE_CASES[route.procedure]?.input({ server, tenant, role, actor });
        const request = requestOf(route, input);
        const result = await call(route.method, request.path, token, { body: request.body });
        if (allowed) {
          expect(result.status, JSON.stringify(result.body)).not.toBe(403);
          expect(result.status, JSON.stringify(result.body)).toBeLessThan(500);
          if (role === 'owner')
            expect(result.status, JSON.stringify(result.body)).toBe(
              'creates' in route && route.creates ? 201 : 200,
            );
        } else {
          expect(result.status, JSON.stringify(result.body)).toBe(403);
          expect(result.body.code).toBe('FORBIDDEN');
        }
      });
    }

    it(`${route.method} ${route.path}: a key without ${route.scope} is refused`, async () => {
      const other = API_SCOPE_NAMES.filter((scope) => scope !== route.scope);
      const token = await keyFor(tenant, tenant.users.owner, { scopes: other });
      const input = await PROCEDURE_CASES[route.procedure]?.input({
        server,
        tenant,
        role: 'owner',
        actor: tenant.users.owner,
      });
      const request = requestOf(route, input);
      const result = await call(route.method, request.path, token, { body: request.body });
      expect(result.status).toBe(403);
      expect(result.body.code).toBe('API_KEY_SCOPE_MISSING');
    });

    if (route.path.includes('{id}')) {
      it(`${route.method} ${route.path}: another tenant's id answers 404 from access control`, async () => {
        const token = await keyFor(attacker, attacker.users.owner);
        const id = {
          customers: victimIds.customerId,
          orders: victimIds.orderId,
          tasks: victimIds.taskId,
          tickets: victimIds.ticketId,
          interactions: victimIds.customerId,
          leads: victimIds.leadId,
          opportunities: victimIds.opportunityId,
          surveys: victimIds.customerId,
        }[route.tag];
        const bodies: Record<string, unknown> = {
          'orders.void': { reason: '恶意作废' },
          'leads.update': { personName: '被篡改' },
          'opportunities.move': { stage: 'b2b_stage_lost', lostReason: 'b2b_lost_price' },
        };
        const body = route.method === 'GET' ? undefined : (bodies[route.id] ?? { name: '被篡改' });
        const result = await call(route.method, route.path.replace('{id}', id), token, { body });
        expect(result.status, JSON.stringify(result.body)).toBe(404);
        expect(result.body.code).toBe('notFound' in route ? route.notFound : 'NOT_FOUND');
        expect(JSON.stringify(result.body)).not.toContain('甲方');
      });
    }
  }

  it('a key of another tenant lists none of this tenant’s rows', async () => {
    const token = await keyFor(attacker, attacker.users.owner);
    for (const route of API_V1_ROUTES.filter((r) => r.method === 'GET' && !r.path.includes('{id}'))) {
      const result = await call('GET', route.path, token);
      expect(result.status).toBe(200);
      expect(JSON.stringify(result.body)).not.toContain('甲方');
    }
  });
});
