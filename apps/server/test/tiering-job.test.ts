import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';

let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '分层任务企业', 'b2b');
});
afterAll(() => server.destroy());

describe('the quarterly re-tier job', () => {
  it('places every customer by its industry profile through the real queue, with explanations and timeline entries', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const ids: string[] = [];
    for (const [index, amount] of ['880000', '120000', '3000'].entries()) {
      const created = await admin.call('customers.create', { name: `分层客户${index}`, kind: 'company' });
      const id: string = created.data.id;
      ids.push(id);
      await admin.call('orders.create', {
        customerId: id,
        orderedAt: new Date().toISOString(),
        amount,
        profit: String(Number(amount) / 5),
      });
    }
    const quiet = await admin.call('customers.create', { name: '尚未成交的客户', kind: 'company' });
    ids.push(quiet.data.id);
    expect((await admin.call('customers.get', { id: ids[0] })).data.tier).toBeNull();

    // This test is about the scheduled run: the debounced re-tier the saves above queued
    // (tiering-touched.test.ts) is left out.
    await server.database.withoutTenant((db) =>
      sql`delete from pgboss.job where name = 'tiering.retier-touched'`.execute(db),
    );
    const jobs = server.dependencies.jobs;
    await jobs.start();
    try {
      await jobs.enqueue('tiering.retier-all', { quarter: '2027-Q1' });
      const deadline = Date.now() + 40_000;
      while ((await admin.call('customers.get', { id: ids[3] })).data.tier === null) {
        if (Date.now() > deadline)
          throw new Error(
            `the re-tier job did not complete: ${JSON.stringify(
              (
                await server.database.withoutTenant((db) =>
                  sql`select name, state, output from pgboss.job where name like 'tiering%'`.execute(db),
                )
              ).rows,
            )}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await jobs.stop();
    }

    const customers = await Promise.all(
      ids.map(async (id) => (await admin.call('customers.get', { id })).data),
    );
    const scores = customers.map((customer) => Number(customer.tierScore));
    // More business, higher score; every customer explained dimension by dimension.
    expect(scores[0]).toBeGreaterThan(scores[1] as number);
    expect(scores[1]).toBeGreaterThan(scores[2] as number);
    for (const customer of customers) {
      expect(customer.tier).toMatch(/^b2b_/);
      expect(customer.tierExplanation).toMatchObject({ kind: 'weighted', rule: { tier: customer.tier } });
      expect((customer.tierExplanation as { dimensions: unknown[] }).dimensions).toHaveLength(6);
    }
    const timeline = await admin.call('customers.timeline', { id: ids[0] });
    const moves = (timeline.data.items as { kind: string; data: Record<string, unknown> }[]).filter(
      (item) => item.kind === 'tier',
    );
    expect(moves).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ from: null, to: customers[0]?.tier, reason: 'quarterly' }),
      }),
    ]);
    const list = await admin.call('customers.list', {
      sort: 'tierScore',
      direction: 'desc',
      tiers: [customers[0]?.tier],
    });
    expect(list.data.items[0]?.id).toBe(ids[0]);
  }, 60_000);
});
