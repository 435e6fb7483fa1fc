import { MAX_TENANT_ACTIVE_IMPORTS, MAX_TENANT_RUNNING_EXPORTS } from '@crm/api';
import { TenantGate, TenantRateLimiter } from '@crm/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  PUBLIC_URL,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
  uploadImportFile,
} from './helpers';

/**
 * SECURITY.md T5.9, fair limits per tenant. The heavy work of one tenant: imports and exports
 * are capped per tenant (waiting and running together), so one tenant cannot queue them
 * without end ahead of the others. Its requests: each tenant's members together may make so
 * many a minute (refused past that before any work, with `Retry-After`; every counted answer
 * says where the tenant stands in `RateLimit-*`; the count shared by every web process on a
 * PostgreSQL server), and a process serves so many of them at once (more wait their turn or
 * are refused, before they are read). Every refusal is a 429 with a message in the caller's
 * language, and another tenant goes on. (One tenant's flood against another's latency:
 * apps/server/drills/t5-9-fairness.drill.ts.)
 */
let server: TestServer;
let flooder: SeededTenant;
let neighbour: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  flooder = await seedTenant(server.database, '大量导入企业');
  neighbour = await seedTenant(server.database, '隔壁企业');
});
afterAll(() => server.destroy());

const uploadedFile = (client: TrpcClient) =>
  uploadImportFile(server, client, '客户.csv', '名称,手机\n限额测试公司,13811112222\n');

/** One tRPC query over HTTP with its response headers. */
async function list(client: TrpcClient, locale = 'zh-CN') {
  const response = await server.app.request(
    `http://localhost:3000/trpc/customers.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`,
    { headers: { cookie: client.cookie ?? '', origin: PUBLIC_URL, 'x-locale': locale } },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  const body = (await response.json()) as { error?: { message: string; data: { appCode?: string } } };
  return { status: response.status, headers: response.headers, body };
}

const importInput = (fileId: string) => ({
  fileId,
  entity: 'customers',
  mapping: { 名称: 'name', 手机: 'phone' },
  dryRun: true,
  onMatch: 'skip',
});

describe('fair limits per tenant (T5.9)', () => {
  it("a tenant's imports past its cap are refused, translated; another tenant's start", async () => {
    const owner = await signedInClient(server, flooder.users.owner.id, flooder.tenantId);
    const fileId = await uploadedFile(owner);
    // The queue's workers are not started here: every run stays waiting.
    for (let run = 0; run < MAX_TENANT_ACTIVE_IMPORTS; run += 1)
      expect((await owner.call('imports.start', importInput(fileId))).error).toBeNull();
    for (const [locale, words] of [
      ['zh-CN', '本企业已有 4 个导入'],
      ['en', 'already has 4 imports'],
    ] as const) {
      const refused = await owner.call('imports.start', importInput(fileId), { 'x-locale': locale });
      expect(refused.status).toBe(429);
      expect(refused.error?.appCode).toBe('IMPORT_TENANT_TOO_MANY_RUNNING');
      expect(refused.error?.message).toContain(words);
    }
    const other = await signedInClient(server, neighbour.users.owner.id, neighbour.tenantId);
    expect((await other.call('imports.start', importInput(await uploadedFile(other)))).error).toBeNull();
  });

  it("a tenant's exports past its cap (all members together) are refused; another tenant's start", async () => {
    const input = { entity: 'customers', format: 'csv', filters: {}, columns: ['owner'] };
    let started = 0;
    for (const role of ['owner', 'admin'] as const) {
      const client = await signedInClient(server, flooder.users[role].id, flooder.tenantId);
      for (let run = 0; run < 3; run += 1) {
        expect((await client.call('exports.create', input)).error).toBeNull();
        started += 1;
      }
    }
    expect(started).toBe(MAX_TENANT_RUNNING_EXPORTS);
    const analyst = await signedInClient(server, flooder.users.analyst.id, flooder.tenantId, {
      headers: { 'x-locale': 'en' },
    });
    const refused = await analyst.call('exports.create', input);
    expect(refused.status).toBe(429);
    expect(refused.error?.appCode).toBe('EXPORT_TENANT_TOO_MANY_RUNNING');
    expect(refused.error?.message).toContain('already has 6 exports');
    const other = await signedInClient(server, neighbour.users.analyst.id, neighbour.tenantId);
    expect((await other.call('exports.create', input)).error).toBeNull();
  });
});

describe('requests per tenant a minute (T5.9)', () => {
  it('refuses a tenant past its limit, translated, with RateLimit-* and Retry-After; other tenants go on', async () => {
    const previous = server.dependencies.tenantRateLimiter;
    server.dependencies.tenantRateLimiter = new TenantRateLimiter({ perMinute: 5 }, server.database);
    try {
      const owner = await signedInClient(server, flooder.users.owner.id, flooder.tenantId);
      const sales = await signedInClient(server, flooder.users.sales_rep.id, flooder.tenantId);
      const other = await signedInClient(server, neighbour.users.owner.id, neighbour.tenantId);
      const remaining: string[] = [];
      // Two members of one tenant share its limit.
      for (const client of [owner, sales, owner, sales, owner]) {
        const result = await list(client);
        expect(result.status).toBe(200);
        expect(result.headers.get('RateLimit-Limit')).toBe('5');
        remaining.push(result.headers.get('RateLimit-Remaining') ?? '');
      }
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);

      const refused = await list(sales);
      expect(refused.status).toBe(429);
      expect(refused.body.error?.data.appCode).toBe('TENANT_RATE_LIMITED');
      expect(refused.body.error?.message).toMatch(
        /^本企业的请求过于频繁（每分钟最多 5 次），请 \d+ 秒后再试$/,
      );
      const retryAfter = Number(refused.headers.get('Retry-After'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
      const english = await list(owner, 'en');
      expect(english.status).toBe(429);
      expect(english.body.error?.message).toMatch(
        /^Your organization is making too many requests \(at most 5 a minute\)\. Try again in \d+ s$/,
      );
      // A mutation is refused too, and writes nothing.
      const create = await owner.call('customers.create', { name: '超限时的新客户', kind: 'company' });
      expect(create.status).toBe(429);
      const mine = await list(other);
      expect(mine.status).toBe(200);
      expect(mine.headers.get('RateLimit-Remaining')).toBe('4');

      if (server.database.kind === 'postgres') {
        // Another web process on the same database counts in the same place.
        const otherProcess = new TenantRateLimiter({ perMinute: 5 }, server.database);
        expect((await otherProcess.consume(neighbour.tenantId)).remaining).toBe(3);
        expect((await otherProcess.consume(flooder.tenantId)).allowed).toBe(false);
      }
      console.log(
        `T5.9 requests per tenant (${server.database.kind}): limit=5/min refused_status=${refused.status} ` +
          `retry_after_s=${retryAfter} other_tenant_remaining=${mine.headers.get('RateLimit-Remaining')}`,
      );
    } finally {
      server.dependencies.tenantRateLimiter = previous;
    }
  });
});

describe('requests per tenant at once (T5.9)', () => {
  it('a tenant at its cap waits its turn or is refused before any work, translated; another tenant goes on', async () => {
    const previous = server.dependencies.tenantGate;
    const gate = new TenantGate({ maxInFlight: 1, maxWaiting: 1, maxWaitMs: 60_000 });
    server.dependencies.tenantGate = gate;
    try {
      const owner = await signedInClient(server, flooder.users.owner.id, flooder.tenantId);
      const other = await signedInClient(server, neighbour.users.owner.id, neighbour.tenantId);
      // The session's first request teaches this process its tenant.
      expect((await list(owner)).status).toBe(200);
      expect(gate.tenantOf(`session:${owner.cookie?.split('=')[1]?.split('.')[0]}`)).toBe(flooder.tenantId);

      // The tenant's one slot is taken (a request of its own in progress): the next waits…
      const held = await gate.enter(flooder.tenantId);
      if (!held) throw new Error('the slot was not free');
      const waiting = list(owner);
      const deadline = Date.now() + 10_000;
      while (gate.waiting(flooder.tenantId) === 0) {
        if (Date.now() > deadline) throw new Error('the request never waited for the slot');
        await new Promise((resolve) => setImmediate(resolve));
      }
      // …one more than the line holds is refused at once, in the caller's language…
      for (const [locale, message] of [
        ['zh-CN', /^本企业同时进行的请求过多（每台服务器最多同时处理 1 个），请稍后再试$/],
        [
          'en',
          /^Your organization has too many requests in progress \(at most 1 at once per server\)\. Try again in a moment$/,
        ],
      ] as const) {
        const refused = await list(owner, locale);
        expect(refused.status).toBe(429);
        expect(refused.body.error?.data.appCode).toBe('TENANT_BUSY');
        expect(refused.body.error?.message).toMatch(message);
        expect(refused.headers.get('Retry-After')).toBe('1');
      }
      // …a mutation too, writing nothing; another tenant is served meanwhile.
      const create = await owner.call('customers.create', { name: '忙碌时的新客户', kind: 'company' });
      expect(create.status).toBe(429);
      expect(create.error?.appCode).toBe('TENANT_BUSY');
      expect((await list(other)).status).toBe(200);
      // The slot given back, the waiting request is served.
      held();
      expect((await waiting).status).toBe(200);
      expect(gate.inFlight(flooder.tenantId)).toBe(0);
      const names = await server.database.withTenant(flooder.tenantId, (trx) =>
        trx.selectFrom('customers').select('name').where('name', '=', '忙碌时的新客户').execute(),
      );
      expect(names).toEqual([]);
    } finally {
      server.dependencies.tenantGate = previous;
    }
  });

  it('a tenant past its requests a minute is refused again before its request is read', async () => {
    const previousLimiter = server.dependencies.tenantRateLimiter;
    const limiter = new TenantRateLimiter({ perMinute: 2 }, server.database);
    let counted = 0;
    const consume = limiter.consume.bind(limiter);
    limiter.consume = (tenantId) => {
      counted += 1;
      return consume(tenantId);
    };
    server.dependencies.tenantRateLimiter = limiter;
    // A tenant of its own: the counts live in PostgreSQL per tenant, and the flooder's window
    // already holds the requests of the tests above.
    const tenant = await seedTenant(server.database, '限流企业');
    try {
      const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
      for (let request = 0; request < 2; request += 1) expect((await list(owner)).status).toBe(200);
      const first = await list(owner);
      expect(first.body.error?.data.appCode).toBe('TENANT_RATE_LIMITED');
      const countedAtRefusal = counted;
      const again = await list(owner, 'en');
      expect(again.status).toBe(429);
      expect(again.body.error?.data.appCode).toBe('TENANT_RATE_LIMITED');
      expect(again.body.error?.message).toMatch(/at most 2 a minute\)\. Try again in \d+ s$/);
      expect(Number(again.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect(again.headers.get('RateLimit-Remaining')).toBe('0');
      // Refused from this process's memory: not counted, not read, nothing asked of the database.
      expect(counted).toBe(countedAtRefusal);
    } finally {
      server.dependencies.tenantRateLimiter = previousLimiter;
    }
  });
});
