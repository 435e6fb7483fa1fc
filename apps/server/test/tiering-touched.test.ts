import { type AppJobs, pluginTierSource, registerJobs } from '@crm/api';
import { sql } from '@crm/db';
import { createJobQueue, type JobQueue } from '@crm/jobs';
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

/*
 * Tiers from the first save: a customer created, imported, merged, edited or given an order
 * gets its tier, score and explanation from the debounced re-tier of its tenant's touched
 * customers, run by the real queue.
 */

let server: TestServer;

beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server.destroy());

/** A queue of its own (the server's is not started in tests), with the tiering options given. */
async function withQueue<T>(
  options: { rerankLimit?: number },
  body: (jobs: JobQueue<AppJobs>) => Promise<T>,
) {
  const jobs = createJobQueue<AppJobs>({
    database: server.database,
    logger: server.logger,
    pollingIntervalSeconds: 0.5,
  });
  registerJobs(jobs, server.database, server.logger, pluginTierSource(server.dependencies.plugins), options);
  await jobs.start();
  try {
    return await body(jobs);
  } finally {
    await jobs.stop();
  }
}

type Customer = {
  id: string;
  tier: string | null;
  tierScore: string | null;
  tierExplanation: Record<string, unknown> | null;
  tierComputedAt: string | null;
  tierPendingSince: string | null;
  tierNextRunAt: string | null;
};

async function getCustomer(client: TrpcClient, id: string): Promise<Customer> {
  const result = await client.call('customers.get', { id });
  expect(result.error).toBeNull();
  return result.data as Customer;
}

async function jobStates(tenantId: string, name = 'tiering.retier-touched') {
  const { rows } = await server.database.withoutTenant((db) =>
    sql<{ state: string; n: number }>`
      select state::text as state, count(*)::int as n from (
        select state from pgboss.job where name = ${name} and data->>'tenantId' = ${tenantId}
        union all select state from pgboss.archive where name = ${name} and data->>'tenantId' = ${tenantId}
      ) j group by state`.execute(db),
  );
  return Object.fromEntries(rows.map((row) => [row.state, row.n])) as Record<string, number>;
}

/** Polls until `done` holds (or fails with what the queue and the last value say). */
async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  tenantId: string,
  seconds = 45,
) {
  const deadline = Date.now() + seconds * 1000;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline)
      throw new Error(
        `not reached within ${seconds} s: ${JSON.stringify(value)}; jobs ${JSON.stringify(await jobStates(tenantId))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}

const tiered = (customer: Customer) => customer.tier !== null && customer.tierComputedAt !== null;

async function order(client: TrpcClient, customerId: string, amount: string, daysAgo = 1) {
  const result = await client.call('orders.create', {
    customerId,
    orderedAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
    amount,
  });
  expect(result.error).toBeNull();
  return result.data.id as string;
}

describe('a model that places each customer on its own (retail RFM, by breaks)', () => {
  let tenant: SeededTenant;
  let admin: TrpcClient;
  beforeAll(async () => {
    tenant = await seedTenant(server.database, '增量分层零售', 'retail');
    admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
  });

  it('tiers a created customer, then follows its orders and a voided order, each within the debounce', async () => {
    const created = await admin.call('customers.create', { name: '首次保存的客户', kind: 'person' });
    expect(created.error).toBeNull();
    const id: string = created.data.id;
    expect(created.data.tier).toBeNull();
    await withQueue({}, async () => {
      const first = await waitFor(() => getCustomer(admin, id), tiered, tenant.tenantId);
      expect(first.tier).toBe('retail_long_tail');
      expect(first.tierExplanation).toMatchObject({ kind: 'rfm', rule: { tier: first.tier } });
      expect(first.tierScore).not.toBeNull();
      expect(Date.now() - Date.parse(first.tierComputedAt as string)).toBeLessThan(60_000);
      expect(first.tierPendingSince).toBeNull();

      // A big recent order: head customer.
      const orderId = await order(admin, id, '50000');
      const head = await waitFor(
        () => getCustomer(admin, id),
        (c) => c.tier === 'retail_head',
        tenant.tenantId,
      );
      expect(Date.parse(head.tierComputedAt as string)).toBeGreaterThanOrEqual(
        Date.parse(first.tierComputedAt as string),
      );
      // Voided: back where it was.
      expect((await admin.call('orders.void', { id: orderId, reason: '录错了' })).error).toBeNull();
      await waitFor(
        () => getCustomer(admin, id),
        (c) => c.tier === 'retail_long_tail',
        tenant.tenantId,
      );
    });
    // Every move is in the history, with its reason.
    const timeline = await admin.call('customers.timeline', { id });
    const moves = (timeline.data.items as { kind: string; data: Record<string, unknown> }[])
      .filter((item) => item.kind === 'tier')
      .map((item) => [item.data.from, item.data.to, item.data.reason]);
    expect(moves).toEqual([
      ['retail_head', 'retail_long_tail', 'change'],
      ['retail_long_tail', 'retail_head', 'change'],
      [null, 'retail_long_tail', 'change'],
    ]);
  }, 90_000);

  it('debounces a burst: 50 creates queue one run, which tiers all of them', async () => {
    const before = await jobStates(tenant.tenantId);
    const runsBefore = Object.values(before).reduce((sum, n) => sum + n, 0);
    const ids: string[] = [];
    for (let index = 0; index < 50; index += 1) {
      const created = await admin.call('customers.create', { name: `批量客户${index}`, kind: 'person' });
      expect(created.error).toBeNull();
      ids.push(created.data.id);
    }
    // No worker ran meanwhile: one job waits for the whole burst.
    expect(await jobStates(tenant.tenantId)).toEqual({ ...before, created: 1 });
    await withQueue({}, async () => {
      await waitFor(
        async () => {
          const list = await admin.call('customers.list', { limit: 100 });
          return (list.data.items as Customer[]).filter((c) => ids.includes(c.id));
        },
        (items) => items.length === 50 && items.every(tiered),
        tenant.tenantId,
      );
    });
    const after = await jobStates(tenant.tenantId);
    expect(Object.values(after).reduce((sum, n) => sum + n, 0) - runsBefore).toBe(1);
    expect(after.completed).toBe((before.completed ?? 0) + 1);
  }, 120_000);

  it('tiers the survivor of a merge and the customers of an import', async () => {
    const a = (await admin.call('customers.create', { name: '合并甲', kind: 'person' })).data.id as string;
    const b = (await admin.call('customers.create', { name: '合并乙', kind: 'person' })).data.id as string;
    await order(admin, b, '60000');
    await withQueue({}, async () => {
      await waitFor(
        () => getCustomer(admin, b),
        (c) => c.tier === 'retail_head',
        tenant.tenantId,
      );
      await waitFor(
        () => getCustomer(admin, a),
        (c) => c.tier === 'retail_long_tail',
        tenant.tenantId,
      );
      // b's orders move to a: a becomes a head customer.
      const merged = await admin.call('customers.merge', { survivorId: a, mergedId: b });
      expect(merged.error).toBeNull();
      await waitFor(
        () => getCustomer(admin, a),
        (c) => c.tier === 'retail_head',
        tenant.tenantId,
      );

      // An import through the real queue (its run, then the re-tier it queues).
      const file = new TextEncoder().encode(
        '客户名称,客户类型\r\n导入的客户甲,个人\r\n导入的客户乙,个人\r\n',
      );
      const uploaded = await server.app.request(
        `${PUBLIC_URL}/api/imports/files`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/octet-stream',
            'x-file-name': encodeURIComponent('客户.csv'),
            cookie: admin.cookie as string,
            origin: PUBLIC_URL,
          },
          body: file,
        },
        { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
      );
      expect(uploaded.status).toBe(201);
      const { fileId } = (await uploaded.json()) as { fileId: string };
      const started = await admin.call('imports.start', {
        fileId,
        entity: 'customers',
        mapping: { 客户名称: 'name', 客户类型: 'kind' },
        dryRun: false,
        onMatch: 'skip',
      });
      expect(started.error).toBeNull();
      const imported = await waitFor(
        async () => {
          const list = await admin.call('customers.list', { search: '导入的客户' });
          return list.data.items as Customer[];
        },
        (items) => items.length === 2 && items.every(tiered),
        tenant.tenantId,
      );
      expect(imported.map((c) => c.tier)).toEqual(['retail_long_tail', 'retail_long_tail']);
    });
  }, 120_000);
});

describe('a model that ranks customers against each other (B2B, percentile)', () => {
  it('re-ranks a small tenant whole in the same run', async () => {
    const tenant = await seedTenant(server.database, '增量分层小企业', 'b2b');
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const ids: string[] = [];
    for (const [index, amount] of ['500000', '20000'].entries()) {
      const id = (await admin.call('customers.create', { name: `排名客户${index}`, kind: 'company' })).data
        .id;
      await order(admin, id, amount);
      ids.push(id);
    }
    await withQueue({}, async () => {
      await waitFor(() => getCustomer(admin, ids[1] as string), tiered, tenant.tenantId);
      const [top, second] = await Promise.all(ids.map((id) => getCustomer(admin, id)));
      expect(Number(top?.tierScore)).toBeGreaterThan(Number(second?.tierScore));
      const topScore = Number(top?.tierScore);
      // A new, bigger customer: the former top one is ranked down in the same run.
      const bigger = (await admin.call('customers.create', { name: '更大的客户', kind: 'company' })).data.id;
      await order(admin, bigger, '900000');
      await waitFor(() => getCustomer(admin, bigger), tiered, tenant.tenantId);
      const after = await getCustomer(admin, ids[0] as string);
      expect(Number(after.tierScore)).toBeLessThan(topScore);
      expect(after.tierPendingSince).toBeNull();
    });
  }, 90_000);

  it('marks the touched customers of a large tenant 待重算 with the next run, placed by the nightly run', async () => {
    const tenant = await seedTenant(server.database, '增量分层大企业', 'b2b');
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1)
      ids.push(
        (await admin.call('customers.create', { name: `大企业客户${index}`, kind: 'company' })).data.id,
      );
    await withQueue({ rerankLimit: 2 }, async () => {
      const pending = await waitFor(
        () => getCustomer(admin, ids[2] as string),
        (c) => c.tierPendingSince !== null,
        tenant.tenantId,
      );
      expect(pending.tier).toBeNull();
      const next = Date.parse(pending.tierNextRunAt as string);
      expect(next).toBeGreaterThan(Date.now());
      expect(next - Date.now()).toBeLessThanOrEqual(86_400_000);
      // 03:30 Beijing time.
      expect(new Date(next).getUTCHours()).toBe(19);
      expect(new Date(next).getUTCMinutes()).toBe(30);
      const list = await admin.call('customers.list', { limit: 10 });
      expect((list.data.items as Customer[]).filter((c) => c.tierPendingSince !== null)).toHaveLength(3);

      await server.dependencies.jobs.enqueue('tiering.retier-pending', { day: '' });
      const placed = await waitFor(
        () => getCustomer(admin, ids[2] as string),
        (c) => tiered(c) && c.tierPendingSince === null,
        tenant.tenantId,
      );
      expect(placed.tierNextRunAt).toBeNull();
    });
  }, 90_000);
});

describe('tenants', () => {
  it('a touch in one tenant never re-tiers another', async () => {
    const a = await seedTenant(server.database, '分层租户甲', 'retail');
    const b = await seedTenant(server.database, '分层租户乙', 'retail');
    const adminA = await signedInClient(server, a.users.admin.id, a.tenantId);
    const adminB = await signedInClient(server, b.users.admin.id, b.tenantId);
    // B's customer, written without a touch (as before this feature).
    const bId = crypto.randomUUID();
    await server.database.withTenant(b.tenantId, (trx) =>
      trx
        .insertInto('customers')
        .values({ tenant_id: b.tenantId, id: bId, name: '乙的客户', kind: 'person' })
        .execute(),
    );
    // A foreign id passed to a touch is ignored.
    const aId = (await adminA.call('customers.create', { name: '甲的客户', kind: 'person' })).data.id;
    await withQueue({}, async () => {
      await waitFor(() => getCustomer(adminA, aId), tiered, a.tenantId);
    });
    expect((await getCustomer(adminB, bId)).tier).toBeNull();
    expect(await jobStates(b.tenantId)).toEqual({});
    const { rows } = await server.database.withTenant(b.tenantId, (trx) =>
      sql<{ n: number }>`select count(*)::int as n from tier_touches`.execute(trx),
    );
    expect(rows[0]?.n).toBe(0);
  }, 60_000);
});
