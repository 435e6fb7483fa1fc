import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';

let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '任务测试企业');
  other = await seedTenant(server.database, '另一家企业');
});
afterAll(() => server.destroy());

describe('the daily lifecycle job', () => {
  it('re-derives every tenant through the real queue and shows each tenant only its own runs', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const created = await admin.call('customers.create', { name: '排队重算的客户', kind: 'company' });
    const id: string = created.data.id;
    await admin.call('orders.create', { customerId: id, orderedAt: new Date().toISOString(), amount: '88' });
    expect((await admin.call('customers.get', { id })).data.lifecycleStage).toBe('new');
    // The calendar moves on: the only order is now 120 days old.
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update orders set ordered_at = now() - interval '120 days' where customer_id = ${id}`.execute(trx),
    );

    // This test is about the scheduled run: the debounced re-tier the saves above queued
    // (tiering-touched.test.ts) is left out.
    await server.database.withoutTenant((db) =>
      sql`delete from pgboss.job where name = 'tiering.retier-touched'`.execute(db),
    );
    const jobs = server.dependencies.jobs;
    await jobs.start();
    try {
      await jobs.enqueue('lifecycle.rederive-all', { day: '2026-11-22' });
      const deadline = Date.now() + 40_000;
      // The admin page, polled like an admin would, from inside its own tenant transaction.
      while (
        !((await admin.call('admin.jobs', {})).data as { state: string }[]).some(
          (run) => run.state === 'completed',
        )
      ) {
        if (Date.now() > deadline) throw new Error('the lifecycle job did not complete');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await jobs.stop();
    }

    expect((await admin.call('customers.get', { id })).data.lifecycleStage).toBe('at_risk');
    const runs = (await admin.call('admin.jobs', { limit: 50 })).data as {
      id: string;
      name: string;
      state: string;
    }[];
    // The fan-out run concerns no single tenant; each tenant sees its own re-derivation only.
    expect(runs.map((run) => [run.name, run.state])).toEqual([['lifecycle.rederive-tenant', 'completed']]);
    const otherAdmin = await signedInClient(server, other.users.admin.id, other.tenantId);
    const otherRuns = (await otherAdmin.call('admin.jobs', {})).data as { id: string }[];
    expect(otherRuns).toHaveLength(1);
    expect(otherRuns[0]?.id).not.toBe(runs[0]?.id);
    const viewer = await signedInClient(server, tenant.users.viewer.id, tenant.tenantId);
    expect((await viewer.call('admin.jobs', {})).error?.code).toBe('FORBIDDEN');
  }, 60_000);
});
