import { randomUUID } from 'node:crypto';
import { listProcedures, pruneIdempotencyKeys } from '@crm/api';
import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/** SECURITY.md R5.1 / T5.3: create and import calls with an Idempotency-Key. */
let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;
let owner: TrpcClient;
let manager: TrpcClient;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '幂等测试企业');
  other = await seedTenant(server.database, '幂等隔壁企业');
  owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
  manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
});
afterAll(() => server.destroy());

async function countNamed(tenantId: string, name: string): Promise<number> {
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
}

describe('idempotency keys', () => {
  it('a retried create returns the first response byte for byte and creates one customer', async () => {
    const key = randomUUID();
    const input = { name: '幂等重试客户', kind: 'company', phone: '13800138000' };
    const responses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      responses.push(await owner.call('customers.create', input, { 'idempotency-key': key }));
    }
    expect(responses[0]?.error).toBeNull();
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body).toBe(responses[0]?.body);
    }
    expect(await countNamed(tenant.tenantId, '幂等重试客户')).toBe(1);
  });

  it('concurrent calls with one key create once and all answer alike', async () => {
    const key = randomUUID();
    const input = { name: '并发幂等客户', kind: 'person' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => owner.call('customers.create', input, { 'idempotency-key': key })),
    );
    for (const response of responses) {
      expect(response.error).toBeNull();
      expect(response.body).toBe(responses[0]?.body);
    }
    expect(await countNamed(tenant.tenantId, '并发幂等客户')).toBe(1);
  });

  it('refuses the same key with another input, in zh-CN and en', async () => {
    const key = randomUUID();
    expect(
      (await owner.call('tags.create', { name: '幂等标签甲' }, { 'idempotency-key': key })).error,
    ).toBeNull();
    const reused = await owner.call('tags.create', { name: '幂等标签乙' }, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.error?.appCode).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.error?.message).toContain('Idempotency-Key');
    // Another procedure with the same key is another request too.
    const otherProcedure = await owner.call('teams.create', { name: '幂等团队' }, { 'idempotency-key': key });
    expect(otherProcedure.error?.appCode).toBe('IDEMPOTENCY_KEY_REUSED');
    const english = server.client({ cookie: owner.cookie, headers: { 'x-locale': 'en' } });
    const reusedEn = await english.call('tags.create', { name: '幂等标签乙' }, { 'idempotency-key': key });
    expect(reusedEn.error?.message).toMatch(/already used for a different request/);
  });

  it('keys belong to one user in one tenant', async () => {
    const key = randomUUID();
    const input = { name: '同键不同人客户', kind: 'person' };
    expect((await owner.call('customers.create', input, { 'idempotency-key': key })).error).toBeNull();
    expect((await manager.call('customers.create', input, { 'idempotency-key': key })).error).toBeNull();
    expect(await countNamed(tenant.tenantId, '同键不同人客户')).toBe(2);
    const neighbour = await signedInClient(server, other.users.owner.id, other.tenantId);
    expect((await neighbour.call('customers.create', input, { 'idempotency-key': key })).error).toBeNull();
    expect(await countNamed(other.tenantId, '同键不同人客户')).toBe(1);
  });

  it('a failed call keeps no key: the corrected retry runs', async () => {
    const key = randomUUID();
    const failed = await owner.call(
      'customers.create',
      { name: '', kind: 'person' },
      { 'idempotency-key': key },
    );
    expect(failed.error?.appCode).toBe('INVALID_INPUT');
    const retried = await owner.call(
      'customers.create',
      { name: '改正后重试客户', kind: 'person' },
      { 'idempotency-key': key },
    );
    expect(retried.error).toBeNull();
    expect(await countNamed(tenant.tenantId, '改正后重试客户')).toBe(1);
  });

  it('without a key every call creates; a malformed key is refused', async () => {
    const input = { name: '无键客户', kind: 'person' };
    await owner.call('customers.create', input);
    await owner.call('customers.create', input);
    expect(await countNamed(tenant.tenantId, '无键客户')).toBe(2);
    const bad = await owner.call('customers.create', input, { 'idempotency-key': 'has spaces in it' });
    expect(bad.status).toBe(400);
    expect(bad.error?.appCode).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await countNamed(tenant.tenantId, '无键客户')).toBe(2);
  });

  it('replays mutations that return nothing as nothing, and other creates too', async () => {
    const key = randomUUID();
    const first = await owner.call('teams.create', { name: '幂等二组' }, { 'idempotency-key': key });
    const second = await owner.call('teams.create', { name: '幂等二组' }, { 'idempotency-key': key });
    expect(first.error).toBeNull();
    expect(second.body).toBe(first.body);
  });

  it('every create and import mutation is marked idempotent', () => {
    const creates = listProcedures().filter(
      (procedure) =>
        procedure.type === 'mutation' &&
        procedure.meta?.access === 'tenant' &&
        /\.(create|log|start|import\w*)$/.test(procedure.path) &&
        // The response carries a one-time invitation secret, which is never stored.
        procedure.path !== 'members.invitations.create',
    );
    expect(creates.length).toBeGreaterThanOrEqual(8);
    expect(
      creates.filter((procedure) => !procedure.meta?.idempotent).map((procedure) => procedure.path),
    ).toEqual([]);
  });

  it('forgets keys after 24 hours', async () => {
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .insertInto('idempotency_keys')
        .values({
          tenant_id: tenant.tenantId,
          user_id: tenant.users.owner.id,
          key: 'old-key',
          procedure: 'customers.create',
          request_hash: '0'.repeat(64),
          response: '{}',
          created_at: new Date(Date.now() - 25 * 60 * 60 * 1000),
        })
        .execute(),
    );
    const before = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ n: number }>`select count(*)::int as n from idempotency_keys`.execute(trx),
    );
    expect(await pruneIdempotencyKeys(server.database)).toBe(1);
    const after = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ n: number; old: number }>`select count(*)::int as n,
        count(*) filter (where key = 'old-key')::int as old from idempotency_keys`.execute(trx),
    );
    expect(after.rows[0]?.old).toBe(0);
    expect(after.rows[0]?.n).toBe((before.rows[0]?.n ?? 0) - 1);
  });
});
