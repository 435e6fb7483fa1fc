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

/*
 * Merging two customers that arrived with imported targets (issue 15): the survivor takes the
 * merged customer's notes (its timeline shows them), one opening balance for both (as of the
 * later date, each side brought forward with its orders in between), the earlier first
 * cooperation date, and an anniversary where it has none; its facts follow in the same
 * transaction, and undo puts all of it back.
 */

let server: TestServer;
let tenant: SeededTenant;
let admin: TrpcClient;

/** n days ago in Beijing, as YYYY-MM-DD. */
function beijingDate(daysAgo = 0): string {
  return new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** Noon in Beijing n days ago, as an instant. */
function beijingNoon(daysAgo: number): string {
  return new Date(`${beijingDate(daysAgo)}T12:00:00+08:00`).toISOString();
}

async function ok(path: string, input: unknown) {
  const result = await admin.call(path, input);
  expect(result.error, `${path}: ${JSON.stringify(result.error)}`).toBeNull();
  return result.data;
}

async function create(name: string) {
  return (
    await ok('customers.create', { kind: 'company', name, force: { reason: '合并测试：有意录入的重复客户' } })
  ).id as string;
}

/** What an import of another system's spreadsheet leaves: dates, an opening balance, a note. */
async function imported(
  customerId: string,
  values: {
    firstCooperationOn?: string;
    anniversaryOn?: string;
    balance?: { asOf: string; amount12m: string; lifetime: string; orders: number; lastDealOn: string };
    note?: string;
  },
) {
  await server.database.withTenant(tenant.tenantId, async (trx) => {
    await sql`update customers set first_cooperation_on = ${values.firstCooperationOn ?? null}::date,
        anniversary_on = ${values.anniversaryOn ?? null}::date
      where id = ${customerId}`.execute(trx);
    const b = values.balance;
    if (b)
      await sql`insert into customer_opening_balances (tenant_id, customer_id, as_of, amount_12m, amount_lifetime,
          order_count, last_deal_on)
        values (${tenant.tenantId}, ${customerId}, ${b.asOf}::date, ${b.amount12m}::numeric, ${b.lifetime}::numeric,
          ${b.orders}, ${b.lastDealOn}::date)`.execute(trx);
    if (values.note)
      await sql`insert into customer_notes (tenant_id, customer_id, body, created_by)
        values (${tenant.tenantId}, ${customerId}, ${values.note}, ${tenant.users.admin.id})`.execute(trx);
  });
}

const notesOf = (profile: { timeline: { items: { kind: string; data: { body?: string } }[] } }) =>
  profile.timeline.items
    .filter((item) => item.kind === 'note')
    .map((item) => item.data.body)
    .sort();

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '合并期初数据测试');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
});
afterAll(() => server?.destroy());

describe('merging customers with imported targets', () => {
  it('moves notes, combines the opening balances, takes the earlier first cooperation, and undo restores', async () => {
    const survivor = await create('杭州云帆科技有限公司');
    const merged = await create('杭州云帆科技有限公司（老系统）');
    await imported(survivor, {
      firstCooperationOn: '2021-05-01',
      balance: {
        asOf: beijingDate(60),
        amount12m: '1200.00',
        lifetime: '5000.00',
        orders: 10,
        lastDealOn: beijingDate(70),
      },
      note: '幸存客户自己的备注',
    });
    await imported(merged, {
      firstCooperationOn: '2019-03-05',
      anniversaryOn: '2015-10-01',
      balance: {
        asOf: beijingDate(20),
        amount12m: '600.00',
        lifetime: '2000.00',
        orders: 4,
        lastDealOn: beijingDate(25),
      },
      note: '老系统备注：年底回访',
    });
    // An order of the survivor's after its own as-of date but before the merged one's: the
    // combined balance (as of the later date) must carry it, or the facts would drop it.
    await ok('orders.create', { customerId: survivor, orderedAt: beijingNoon(30), amount: '100' });
    // An order of the merged customer's after both dates counts on top of the balance.
    await ok('orders.create', { customerId: merged, orderedAt: beijingNoon(5), amount: '50' });

    const result = await ok('customers.merge', { survivorId: survivor, mergedId: merged });

    const after = await ok('customers.profile', { id: survivor });
    expect(after.customer).toMatchObject({
      firstCooperationOn: '2019-03-05', // the earlier one
      anniversaryOn: '2015-10-01', // the survivor had none
      openingBalance: {
        asOf: beijingDate(20),
        // 1200 × (1 − 40/365) + 100 (the order in between) + 600
        amount12m: '1768.49',
        amountLifetime: '7100.00',
        orderCount: 15,
        lastDealOn: beijingDate(25),
      },
      // The balance, plus the order placed after its as-of date.
      orderCount: 16,
      amountLifetime: '7150.00',
    });
    expect(notesOf(after)).toEqual(['幸存客户自己的备注', '老系统备注：年底回访']);
    const tombstone = await ok('customers.get', { id: merged });
    expect(tombstone).toMatchObject({ openingBalance: null, orderCount: 0, amountLifetime: '0.00' });
    const audit = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('audit_log')
        .select('changes')
        .where('customer_id', '=', survivor)
        .where('action', '=', 'merge')
        .executeTakeFirstOrThrow(),
    );
    expect(audit.changes).toMatchObject({ notes: 1 });

    await ok('customers.unmerge', { mergeId: result.mergeId });
    const back = await ok('customers.profile', { id: survivor });
    expect(back.customer).toMatchObject({
      firstCooperationOn: '2021-05-01',
      anniversaryOn: null,
      openingBalance: {
        asOf: beijingDate(60),
        amount12m: '1200.00',
        amountLifetime: '5000.00',
        orderCount: 10,
        lastDealOn: beijingDate(70),
      },
      orderCount: 11,
      amountLifetime: '5100.00',
    });
    expect(notesOf(back)).toEqual(['幸存客户自己的备注']);
    const restored = await ok('customers.profile', { id: merged });
    expect(restored.customer).toMatchObject({
      mergedInto: null,
      firstCooperationOn: '2019-03-05',
      anniversaryOn: '2015-10-01',
      openingBalance: { asOf: beijingDate(20), amountLifetime: '2000.00', orderCount: 4 },
      orderCount: 5,
      amountLifetime: '2050.00',
    });
    expect(notesOf(restored)).toEqual(['老系统备注：年底回访']);
  });

  it('keeps the survivor’s anniversary, and brings a side without a balance in with all its orders', async () => {
    const survivor = await create('宁波港联物流有限公司');
    const merged = await create('宁波港联物流有限公司（重复）');
    await imported(survivor, { anniversaryOn: '2018-08-08', firstCooperationOn: '2020-01-10' });
    await imported(merged, {
      anniversaryOn: '2016-06-06',
      balance: {
        asOf: beijingDate(10),
        amount12m: '0.00',
        lifetime: '3000.00',
        orders: 2,
        lastDealOn: beijingDate(400),
      },
    });
    // The survivor's own orders, all before the merged customer's as-of date.
    await ok('orders.create', { customerId: survivor, orderedAt: beijingNoon(40), amount: '800' });
    await ok('orders.create', { customerId: survivor, orderedAt: beijingNoon(500), amount: '200' });

    await ok('customers.merge', { survivorId: survivor, mergedId: merged });
    const after = await ok('customers.get', { id: survivor });
    expect(after).toMatchObject({
      anniversaryOn: '2018-08-08',
      // The merged customer had none: the survivor's stays.
      firstCooperationOn: '2020-01-10',
      openingBalance: {
        asOf: beijingDate(10),
        amount12m: '800.00',
        amountLifetime: '4000.00',
        orderCount: 4,
        lastDealOn: beijingDate(40),
      },
      orderCount: 4,
      amountLifetime: '4000.00',
    });
  });

  it('leaves customers without balances without one', async () => {
    const survivor = await create('无期初甲公司');
    const merged = await create('无期初乙公司');
    await ok('orders.create', { customerId: merged, orderedAt: beijingNoon(3), amount: '10' });
    await ok('customers.merge', { survivorId: survivor, mergedId: merged });
    expect(await ok('customers.get', { id: survivor })).toMatchObject({
      openingBalance: null,
      orderCount: 1,
    });
  });
});
