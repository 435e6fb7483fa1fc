import { sql } from '@crm/db';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';
import { createCustomerIn, createTeamIn } from './procedure-cases';

/*
 * Every KPI of the dashboards against a hand-built fixture, with the expected figures worked
 * out by hand below (period: Q4 2026, 1 Oct 2026 – 1 Jan 2027 in Beijing time).
 *
 * Customers (live unless said; owner; tier; first deal; completeness; stage):
 *   A  rep      strategic  2026-03-01  100  returning   orders 2026-05-10 ¥1,000; 2026-10-15 ¥3,000 (products X, Y)
 *   B  rep      key        2026-10-05   80  returning   orders 2026-10-05 ¥2,000 (X); 2026-11-20 ¥1,000 (X); 2026-11-21 ¥500 void
 *                                                        stale: updated 2026-09-01
 *   C  manager  key        2025-12-01   90  dormant     orders 2025-12-01 ¥500; turned dormant 2026-11-10
 *   D  nobody   —          —            50  potential
 *   E  rep      strategic  2026-01-10  100  returning   dormant since 2026-08-01, back 2026-10-20; order 2026-10-20 ¥4,000 (Z)
 *   F  manager  strategic  2026-02-01   95  new         order 2026-02-01 ¥800
 *   G  rep      strategic  archived                     order 2026-10-10 ¥9,999 — counts nowhere
 * Tier moves: A → strategic 2026-10-02 (first placement), B ordinary → key 2026-11-01, F key → strategic 2026-06-01.
 * Tasks due in Q4: t1 plan/rep/A due 10-10 done 10-09; t2 plan/rep/B due 10-20 done 10-22;
 *   t3 plan/manager/C due 11-05 open; t4 manual/rep/A due 11-15 done 11-15 12:00; t5 manual/rep cancelled;
 *   t6 manual/rep due 2099 open.
 */

let server: TestServer;
let tenant: SeededTenant;
const ids: Record<string, string> = {};
const Q4 = { from: '2026-10-01', to: '2027-01-01' };

async function as(role: keyof SeededTenant['users']): Promise<TrpcClient> {
  return signedInClient(server, tenant.users[role].id, tenant.tenantId);
}

type Figure = {
  key: string;
  value: number | null;
  count: number;
  previous: number | null;
  lastYear: number | null;
  target: number | null;
  status: string | null;
  available: boolean;
  breakdown: { key: string | null; label: string | null; value: number | null; count: number }[];
};

async function board(client: TrpcClient, dashboard: string, extra: Record<string, unknown> = {}) {
  const result = await client.call('dashboards.get', { dashboard, ...Q4, ...extra });
  expect(result.error, JSON.stringify(result.error)).toBeNull();
  const figures = new Map<string, Figure>();
  for (const figure of result.data.kpis as Figure[]) figures.set(figure.key, figure);
  return (key: string): Figure => {
    const figure = figures.get(key);
    if (!figure) throw new Error(`${key} is not on the ${dashboard} dashboard`);
    return figure;
  };
}

const simple = (figure: Figure) => figure.breakdown.map((entry) => [entry.key, entry.value]);

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '看板测试企业', 'b2b');
  const rep = tenant.users.sales_rep.id;
  const manager = tenant.users.sales_manager.id;
  const teamId = await createTeamIn(server, tenant.tenantId, '华北销售组');
  const customers: [string, string | null, boolean][] = [
    ['A', rep, false],
    ['B', rep, false],
    ['C', manager, false],
    ['D', null, false],
    ['E', rep, false],
    ['F', manager, false],
    ['G', rep, true],
  ];
  for (const [name, owner, archived] of customers) {
    ids[name] = await createCustomerIn(server, tenant.tenantId, `看板客户${name}`, archived, owner);
  }
  await server.database.withTenant(tenant.tenantId, async (trx) => {
    await trx
      .updateTable('memberships')
      .set({ team_id: teamId })
      .where('tenant_id', '=', tenant.tenantId)
      .where('user_id', 'in', [rep, manager])
      .execute();
    const facts: [string, string | null, string | null, number, string, string][] = [
      ['A', 'strategic', '2026-03-01T10:00:00+08:00', 100, 'returning', 'now'],
      ['B', 'key', '2026-10-05T10:00:00+08:00', 80, 'returning', '2026-09-01T00:00:00+08:00'],
      ['C', 'key', '2025-12-01T10:00:00+08:00', 90, 'dormant', 'now'],
      ['D', null, null, 50, 'potential', 'now'],
      ['E', 'strategic', '2026-01-10T10:00:00+08:00', 100, 'returning', 'now'],
      ['F', 'strategic', '2026-02-01T10:00:00+08:00', 95, 'new', 'now'],
      ['G', 'strategic', '2026-01-01T10:00:00+08:00', 100, 'returning', 'now'],
    ];
    for (const [name, tier, firstDeal, completeness, stage, updated] of facts) {
      await sql`update customers set tier = ${tier}, first_deal_at = ${firstDeal}::timestamptz,
          completeness = ${completeness}, lifecycle_stage = ${stage},
          updated_at = ${updated === 'now' ? sql`now()` : sql`${updated}::timestamptz`}
        where tenant_id = ${tenant.tenantId} and id = ${ids[name]}::uuid`.execute(trx);
    }
    const orders: [string, string, number, string, string[]][] = [
      ['A', '2026-05-10T12:00:00+08:00', 1000, 'completed', ['X']],
      ['A', '2026-10-15T12:00:00+08:00', 3000, 'completed', ['X', 'Y']],
      ['B', '2026-10-05T10:00:00+08:00', 2000, 'completed', ['X']],
      ['B', '2026-11-20T12:00:00+08:00', 1000, 'completed', ['X']],
      ['B', '2026-11-21T12:00:00+08:00', 500, 'void', ['Y']],
      ['C', '2025-12-01T10:00:00+08:00', 500, 'completed', ['X']],
      ['E', '2026-10-20T12:00:00+08:00', 4000, 'completed', ['Z']],
      ['F', '2026-02-01T10:00:00+08:00', 800, 'completed', ['X']],
      ['G', '2026-10-10T12:00:00+08:00', 9999, 'completed', ['X', 'Y']],
    ];
    for (const [name, at, amount, status, products] of orders) {
      const order = await trx
        .insertInto('orders')
        .values({
          tenant_id: tenant.tenantId,
          customer_id: ids[name] as string,
          ordered_at: at,
          amount: String(amount),
          status: status as 'completed',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('order_lines')
        .values(
          products.map((product, index) => ({
            tenant_id: tenant.tenantId,
            order_id: order.id,
            line_no: index + 1,
            product,
            quantity: '1',
            unit_price: String(amount / products.length),
          })),
        )
        .execute();
    }
    const stageMoves: [string, string, string, string][] = [
      ['C', 'at_risk', 'dormant', '2026-11-10T03:00:00+08:00'],
      ['E', 'at_risk', 'dormant', '2026-08-01T03:00:00+08:00'],
      ['E', 'dormant', 'returning', '2026-10-20T12:00:00+08:00'],
    ];
    for (const [name, from, to, at] of stageMoves) {
      await sql`insert into lifecycle_changes (tenant_id, customer_id, from_stage, to_stage, changed_at, reason)
        values (${tenant.tenantId}, ${ids[name]}::uuid, ${from}, ${to}, ${at}::timestamptz, 'daily')`.execute(
        trx,
      );
    }
    const tierMoves: [string, string | null, string, string][] = [
      ['A', null, 'strategic', '2026-10-02T09:00:00+08:00'],
      ['B', 'ordinary', 'key', '2026-11-01T09:00:00+08:00'],
      ['F', 'key', 'strategic', '2026-06-01T09:00:00+08:00'],
    ];
    for (const [name, from, to, at] of tierMoves) {
      await sql`insert into tier_history (tenant_id, customer_id, from_tier, to_tier, reason, changed_at)
        values (${tenant.tenantId}, ${ids[name]}::uuid, ${from}, ${to}, 'retier', ${at}::timestamptz)`.execute(
        trx,
      );
    }
    const tasks: [string, string, string | null, string, string, string | null][] = [
      ['plan', rep, 'A', '2026-10-10', 'done', '2026-10-09T15:00:00+08:00'],
      ['plan', rep, 'B', '2026-10-20', 'done', '2026-10-22T15:00:00+08:00'],
      ['plan', manager, 'C', '2026-11-05', 'open', null],
      ['manual', rep, 'A', '2026-11-15', 'done', '2026-11-15T12:00:00+08:00'],
      ['manual', rep, null, '2026-11-16', 'cancelled', '2026-11-10T12:00:00+08:00'],
      ['manual', rep, null, '2099-01-01', 'open', null],
    ];
    for (const [source, owner, customer, due, status, closed] of tasks) {
      await trx
        .insertInto('tasks')
        .values({
          tenant_id: tenant.tenantId,
          title: `看板任务 ${due}`,
          type: 'call',
          customer_id: customer ? (ids[customer] as string) : null,
          owner_user_id: owner,
          due_on: due,
          status: status as 'open',
          closed_at: closed,
          source: source as 'manual',
        })
        .execute();
    }
  });
}, 120_000);

describe('dashboards against the hand-built fixture', () => {
  it('the management dashboard: every figure, its comparison and its target', async () => {
    const kpi = await board(await as('admin'), 'management');
    // Live customers A–F: strategic A, E, F; key B, C; no tier D.
    expect(kpi('customers_total')).toMatchObject({ value: 6, target: null, status: null });
    expect(simple(kpi('customers_total'))).toEqual([
      ['key', 2],
      ['strategic', 3],
      [null, 1],
    ]);
    // First deals in Q4: B (October).
    expect(kpi('new_customers')).toMatchObject({ value: 1 });
    expect(simple(kpi('new_customers'))).toEqual([['2026-10', 1]]);
    // Buyers in Q4: A (repeat: an earlier order), B (repeat: two in Q4), E (one order, none before).
    expect(kpi('repurchase_rate')).toMatchObject({
      value: 66.7,
      count: 3,
      target: 45,
      status: 'green',
      // Q3 2026: no order; Q4 2025: C's first order, not a repeat.
      previous: null,
      lastYear: 0,
    });
    expect(simple(kpi('repurchase_rate'))).toEqual([
      ['key', 100],
      ['strategic', 50],
    ]);
    // Dealt before Q4 and not dormant on 1 Oct: A, C, F (E was dormant then); C turned dormant.
    expect(kpi('retention_rate')).toMatchObject({ value: 66.7, count: 3, target: 90, status: 'red' });
    expect(simple(kpi('retention_rate'))).toEqual([
      ['key', 0],
      ['strategic', 100],
    ]);
    expect(kpi('churn_rate')).toMatchObject({ value: 33.3, count: 3 });
    // ¥3,000 + ¥2,000 + ¥1,000 + ¥4,000 over four orders; October ¥9,000 / 3, November ¥1,000 / 1.
    expect(kpi('average_order_value')).toMatchObject({
      value: 2500,
      count: 4,
      previous: null,
      lastYear: 500,
    });
    expect(simple(kpi('average_order_value'))).toEqual([
      ['2026-10', 3000],
      ['2026-11', 1000],
    ]);
    expect(kpi('revenue_by_tier')).toMatchObject({ value: 10000, count: 4 });
    expect(simple(kpi('revenue_by_tier'))).toEqual([
      ['key', 3000],
      ['strategic', 7000],
    ]);
    // (100 + 80 + 90 + 50 + 100 + 95) / 6.
    expect(kpi('completeness_average')).toMatchObject({ value: 85.8, target: 90, status: 'amber' });
    // The rep owns A, B, E; the manager C, F: 5 / 2.
    expect(kpi('customers_per_rep')).toMatchObject({ value: 2.5, count: 2, target: 110, status: 'red' });
    expect(kpi('customers_per_rep').breakdown).toEqual([
      { key: tenant.users.sales_rep.id, label: tenant.users.sales_rep.name, value: 3, count: 3 },
      { key: tenant.users.sales_manager.id, label: tenant.users.sales_manager.name, value: 2, count: 2 },
    ]);
    // No tickets: no figure, the capability is there.
    expect(kpi('ticket_closure_rate')).toMatchObject({ value: null, available: true, target: 98 });
    // Declared, read from a capability still to come.
    expect(kpi('sales_cycle_days')).toMatchObject({ value: null, available: false, target: 42 });
  });

  it('the customer-operations dashboard: stages, completeness, staleness, tier moves, plans and tasks', async () => {
    const kpi = await board(await as('owner'), 'operations', { compare: false });
    expect(simple(kpi('customers_by_stage'))).toEqual([
      ['potential', 1],
      ['new', 1],
      ['returning', 3],
      ['loyal', 0],
      ['at_risk', 0],
      ['dormant', 1],
    ]);
    // ≥ 90 %: A, C, E, F of six; stale: B.
    expect(kpi('completeness_share')).toMatchObject({ value: 66.7 });
    expect(kpi('stale_profiles')).toMatchObject({ value: 16.7 });
    expect(simple(kpi('tier_moves'))).toEqual([
      ['>strategic', 1],
      ['ordinary>key', 1],
    ]);
    // Plan tasks due in Q4: t1 (on time), t2 (late), t3 (open).
    expect(kpi('plan_task_completion')).toMatchObject({ value: 66.7, count: 3 });
    expect(simple(kpi('plan_task_completion'))).toEqual([
      ['key', 50],
      ['strategic', 100],
    ]);
    expect(kpi('contact_cadence_compliance')).toMatchObject({ value: 33.3, count: 3 });
    // All tasks due in Q4 but the cancelled: t1, t2, t3, t4; on time t1, t4.
    expect(kpi('task_sla_compliance')).toMatchObject({ value: 50, count: 4 });
    expect(kpi('overdue_tasks')).toMatchObject({ value: 1, target: 0, status: 'amber' });
    expect(kpi('overdue_tasks').breakdown).toEqual([
      { key: tenant.users.sales_manager.id, label: tenant.users.sales_manager.name, value: 1, count: 1 },
    ]);
  });

  it('the sales dashboard: cross-sell', async () => {
    const kpi = await board(await as('owner'), 'sales', { compare: false });
    // Two products in Q4: A only, of A, B, E.
    expect(kpi('cross_sell_share')).toMatchObject({ value: 33.3, count: 3 });
    expect(simple(kpi('cross_sell_share'))).toEqual([
      ['key', 0],
      ['strategic', 50],
    ]);
  });

  it('a rep counts only their own customers and tasks; a manager the team’s', async () => {
    const rep = await board(await as('sales_rep'), 'management', { compare: false });
    expect(rep('customers_total')).toMatchObject({ value: 3 });
    expect(rep('repurchase_rate')).toMatchObject({ value: 66.7, count: 3 });
    expect(rep('retention_rate')).toMatchObject({ value: 100, count: 1 });
    expect(rep('revenue_by_tier')).toMatchObject({ value: 10000 });
    const repOps = await board(await as('sales_rep'), 'operations', { compare: false });
    expect(repOps('task_sla_compliance')).toMatchObject({ value: 66.7, count: 3 });
    expect(repOps('overdue_tasks')).toMatchObject({ value: 0 });

    const manager = await board(await as('sales_manager'), 'management', { compare: false });
    // The team's customers: not D, whom nobody owns.
    expect(manager('customers_total')).toMatchObject({ value: 5 });
    expect(manager('retention_rate')).toMatchObject({ value: 66.7, count: 3 });
  });

  it('filters by tier and owner', async () => {
    const keyTier = await board(await as('admin'), 'management', { tiers: ['key'], compare: false });
    expect(keyTier('customers_total')).toMatchObject({ value: 2 });
    expect(keyTier('revenue_by_tier')).toMatchObject({ value: 3000, count: 2 });
    expect(keyTier('repurchase_rate')).toMatchObject({ value: 100, count: 1 });
    const managers = await board(await as('admin'), 'management', {
      ownerUserId: tenant.users.sales_manager.id,
      compare: false,
    });
    expect(managers('customers_total')).toMatchObject({ value: 2 });
    expect(managers('average_order_value')).toMatchObject({ value: null, count: 0 });
  });

  it('a click on a figure lists the customers behind it, and the export takes the same filter', async () => {
    const admin = await as('admin');
    const names = async (kpi: Record<string, unknown>) => {
      const result = await admin.call('customers.list', {
        kpi: { ...Q4, ...kpi },
        sort: 'name',
        direction: 'asc',
      });
      expect(result.error, JSON.stringify(result.error)).toBeNull();
      return (result.data.items as { name: string }[]).map((item) => item.name);
    };
    expect(await names({ key: 'repurchase_rate' })).toEqual(['看板客户A', '看板客户B']);
    expect(await names({ key: 'churn_rate' })).toEqual(['看板客户C']);
    expect(await names({ key: 'retention_rate', segment: 'strategic' })).toEqual(['看板客户A', '看板客户F']);
    expect(await names({ key: 'revenue_by_tier', segment: 'strategic' })).toEqual(['看板客户A', '看板客户E']);
    expect(await names({ key: 'average_order_value', segment: '2026-11' })).toEqual(['看板客户B']);
    expect(await names({ key: 'new_customers' })).toEqual(['看板客户B']);
    expect(await names({ key: 'tier_moves', segment: 'ordinary>key' })).toEqual(['看板客户B']);
    expect(await names({ key: 'customers_total', segment: '' })).toEqual(['看板客户D']);
    expect(await names({ key: 'stale_profiles' })).toEqual(['看板客户B']);
    expect(await names({ key: 'cross_sell_share' })).toEqual(['看板客户A']);
    // The rep's list of the same figure holds only their own.
    const rep = await as('sales_rep');
    const repList = await rep.call('customers.list', { kpi: { ...Q4, key: 'retention_rate' } });
    expect((repList.data.items as { name: string }[]).map((item) => item.name)).toEqual(['看板客户A']);
    // The export of the list behind a figure.
    const exported = await admin.call('exports.create', {
      entity: 'customers',
      format: 'csv',
      filters: { kpi: { ...Q4, key: 'churn_rate' } },
    });
    expect(exported.error, JSON.stringify(exported.error)).toBeNull();
  });

  it('targets: the default, the tenant’s own and back; only the tenant’s settings permission sets them', async () => {
    const admin = await as('admin');
    const set = await admin.call('dashboards.setTarget', { key: 'repurchase_rate', target: 70 });
    expect(set.error, JSON.stringify(set.error)).toBeNull();
    expect((set.data as { key: string }[]).find((entry) => entry.key === 'repurchase_rate')).toEqual({
      key: 'repurchase_rate',
      defaultTarget: 45,
      tenantTarget: 70,
      target: 70,
    });
    // 66.7 against 70: short by less than a tenth.
    expect((await board(admin, 'management', { compare: false }))('repurchase_rate')).toMatchObject({
      target: 70,
      status: 'amber',
    });
    await admin.call('dashboards.setTarget', { key: 'repurchase_rate', target: 80 });
    expect((await board(admin, 'management', { compare: false }))('repurchase_rate').status).toBe('red');
    await admin.call('dashboards.setTarget', { key: 'repurchase_rate', target: null });
    expect((await board(admin, 'management', { compare: false }))('repurchase_rate')).toMatchObject({
      target: 45,
      status: 'green',
    });
    const rep = await as('sales_rep');
    expect((await rep.call('dashboards.setTarget', { key: 'repurchase_rate', target: 10 })).error?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('the workbench: the member’s own figures, and the tenant’s health for admins', async () => {
    const rep = await as('sales_rep');
    const mine = await rep.call('dashboards.workbench', Q4);
    expect(mine.error, JSON.stringify(mine.error)).toBeNull();
    const figures = new Map((mine.data.kpis as Figure[]).map((figure) => [figure.key, figure]));
    expect(figures.get('task_sla_compliance')).toMatchObject({ value: 66.7 });
    expect(figures.get('customers_total')).toMatchObject({ value: 3 });
    expect(mine.data.health).toBeNull();
    const owner = await as('owner');
    const tenantWide = await owner.call('dashboards.workbench', Q4);
    expect(tenantWide.data.health).toEqual({
      completenessAverage: 85.8,
      completeShare: 66.7,
      failedImports7d: 0,
      failedExports7d: 0,
      importsRunning: 0,
    });
  });
});
