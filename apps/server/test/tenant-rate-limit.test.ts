import { TenantRateLimiter } from '@crm/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  PUBLIC_URL,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/**
 * SECURITY.md T5.9, requests: each tenant's members together may make so many requests of
 * the app's API a minute. Past that a request is refused before any work (429, a translated
 * message, `Retry-After`), every counted answer says where the tenant stands (`RateLimit-*`),
 * and the count is shared by every web process on a PostgreSQL server.
 */
let server: TestServer;
let flooder: SeededTenant;
let neighbour: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  flooder = await seedTenant(server.database, '请求洪水企业');
  neighbour = await seedTenant(server.database, '安静邻居企业');
});
afterAll(() => server.destroy());

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

describe('requests per tenant (T5.9)', () => {
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
