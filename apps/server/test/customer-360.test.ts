import { jobScope, refreshCustomerFacts } from '@crm/api';
import { sql } from '@crm/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

let server: TestServer;
let tenant: SeededTenant;
let admin: TrpcClient;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '客户档案测试');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
});
afterAll(() => server.destroy());

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function newCustomer(client: TrpcClient, name: string, extra: Record<string, unknown> = {}) {
  const result = await client.call('customers.create', { name, kind: 'company', ...extra });
  expect(result.error, JSON.stringify(result.error)).toBeNull();
  return result.data.id as string;
}

describe('orders drive transaction facts and the lifecycle stage', () => {
  it('moves potential → new → returning → loyal, and at risk / dormant with time; voiding takes an order out', async () => {
    const id = await newCustomer(admin, '苏州恒通精密机械有限公司');
    expect((await admin.call('customers.get', { id })).data).toMatchObject({
      lifecycleStage: 'potential',
      orderCount: 0,
      amount12m: '0.00',
      firstDealAt: null,
    });

    const first = await admin.call('orders.create', {
      customerId: id,
      orderedAt: daysAgo(400),
      lines: [
        { product: '伺服电机', quantity: 3, unitPrice: '1999.90' },
        { product: '安装服务', quantity: '1', unitPrice: 500 },
      ],
      paymentMethod: 'bank_transfer',
    });
    expect(first.error, JSON.stringify(first.error)).toBeNull();
    expect(first.data.amount).toBe('6499.70');
    expect(first.data.lines.map((line: { amount: string }) => line.amount)).toEqual(['5999.70', '500.00']);
    let profile = (await admin.call('customers.get', { id })).data;
    // One order, 400 days ago: a deal, but long enough ago to be dormant; outside the 12 months.
    expect(profile).toMatchObject({
      orderCount: 1,
      amountLifetime: '6499.70',
      amount12m: '0.00',
      lifecycleStage: 'dormant',
    });

    await admin.call('orders.create', { customerId: id, orderedAt: daysAgo(100), amount: '10000' });
    profile = (await admin.call('customers.get', { id })).data;
    expect(profile).toMatchObject({ orderCount: 2, amount12m: '10000.00', lifecycleStage: 'at_risk' });

    const recent = await admin.call('orders.create', {
      customerId: id,
      orderedAt: daysAgo(5),
      amount: '2500.50',
    });
    profile = (await admin.call('customers.get', { id })).data;
    expect(profile).toMatchObject({
      orderCount: 3,
      amount12m: '12500.50',
      amountLifetime: '19000.20',
      averageOrderValue: '6333.40',
      lifecycleStage: 'returning',
    });
    for (const days of [4, 3])
      await admin.call('orders.create', { customerId: id, orderedAt: daysAgo(days), amount: '100' });
    expect((await admin.call('customers.get', { id })).data.lifecycleStage).toBe('loyal');

    const voided = await admin.call('orders.void', { id: recent.data.id, reason: '重复录入' });
    expect(voided.data.status).toBe('void');
    profile = (await admin.call('customers.get', { id })).data;
    expect(profile).toMatchObject({ orderCount: 4, amount12m: '10200.00', lifecycleStage: 'returning' });
    expect((await admin.call('orders.void', { id: recent.data.id, reason: '再次作废' })).error?.appCode).toBe(
      'ORDER_VOID',
    );
    expect((await admin.call('orders.list', { customerId: id })).data.items).toHaveLength(4);
    expect((await admin.call('orders.list', { customerId: id, includeVoid: true })).data.items).toHaveLength(
      5,
    );

    // Stage moves are history, and the timeline shows them with the orders.
    const timeline = (await admin.call('customers.timeline', { id, limit: 100 })).data.items as {
      kind: string;
      data: Record<string, unknown>;
    }[];
    const moves = timeline
      .filter((entry) => entry.kind === 'lifecycle')
      .map((entry) => `${entry.data.from}→${entry.data.to}`);
    expect(moves.reverse()).toEqual([
      'potential→dormant',
      'dormant→at_risk',
      'at_risk→returning',
      'returning→loyal',
      'loyal→returning',
    ]);
    expect(timeline.filter((entry) => entry.kind === 'order')).toHaveLength(5);
    // Creating an order (with lines) is one entry; the only later change to an order is the void.
    const orderChanges = timeline.filter((entry) => entry.kind === 'change' && entry.data.entity === 'order');
    expect(orderChanges.map((entry) => Object.keys(entry.data.changes as object).sort())).toEqual([
      ['status', 'void_reason'],
    ]);
  });

  it('re-derives stages for a whole tenant in one statement as the calendar moves', async () => {
    const id = await newCustomer(admin, '会变冷的客户');
    await admin.call('orders.create', { customerId: id, orderedAt: daysAgo(10), amount: '300' });
    expect((await admin.call('customers.get', { id })).data.lifecycleStage).toBe('new');
    // Time passes: move the order back 200 days directly, then run the daily re-derivation.
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update orders set ordered_at = now() - interval '200 days' where customer_id = ${id}`.execute(trx),
    );
    const result = await server.database.withTenant(tenant.tenantId, (trx) =>
      refreshCustomerFacts(jobScope(trx, tenant.tenantId), 'all', 'daily'),
    );
    expect(result.stageChanges).toBeGreaterThanOrEqual(1);
    expect((await admin.call('customers.get', { id })).data).toMatchObject({
      lifecycleStage: 'dormant',
      amount12m: '300.00',
    });
  });
});

describe('record-level access', () => {
  it('a sales rep sees only their own customers, a manager their team’s, an admin all', async () => {
    const scoped = await seedTenant(server.database, '可见范围');
    const scopedOwner = await signedInClient(server, scoped.users.owner.id, scoped.tenantId);
    const team = await scopedOwner.call('teams.create', { name: '华东大区' });
    const teamId: string = team.data.id;
    for (const member of [scoped.users.sales_manager, scoped.users.sales_rep]) {
      expect((await scopedOwner.call('teams.assign', { userId: member.id, teamId })).error).toBeNull();
    }
    expect((await scopedOwner.call('teams.create', { name: '华东大区' })).error?.appCode).toBe(
      'TEAM_NAME_TAKEN',
    );
    expect((await scopedOwner.call('teams.list')).data).toEqual([
      { id: teamId, name: '华东大区', memberCount: 2 },
    ]);
    expect(teamId).toBeTruthy();
    const scopedAdmin = await signedInClient(server, scoped.users.admin.id, scoped.tenantId);
    const rep = await signedInClient(server, scoped.users.sales_rep.id, scoped.tenantId);
    const manager = await signedInClient(server, scoped.users.sales_manager.id, scoped.tenantId);
    const repsOwn = await newCustomer(rep, '销售自己的客户');
    const managersOwn = await newCustomer(manager, '经理自己的客户');
    const outsideTeam = await newCustomer(scopedAdmin, '团队外的客户', {
      ownerUserId: scoped.users.marketing.id,
    });
    const nobodys = await newCustomer(scopedAdmin, '无人负责的客户', { ownerUserId: null });
    // A rep cannot give away what they create.
    const handedOff = await rep.call('customers.create', {
      name: '想转给别人',
      kind: 'person',
      ownerUserId: scoped.users.admin.id,
    });
    expect(handedOff.data.ownerUserId).toBe(scoped.users.sales_rep.id);

    const names = async (client: TrpcClient) =>
      (
        (await client.call('customers.list', { limit: 100, sort: 'name', direction: 'asc' })).data.items as {
          id: string;
        }[]
      ).map((item) => item.id);
    expect((await names(rep)).sort()).toEqual([repsOwn, handedOff.data.id].sort());
    expect((await names(manager)).sort()).toEqual([repsOwn, managersOwn, handedOff.data.id].sort());
    expect((await names(scopedAdmin)).sort()).toEqual(
      [repsOwn, managersOwn, outsideTeam, nobodys, handedOff.data.id].sort(),
    );

    // Not visible answers like not there, for reads, writes and everything hanging off a customer.
    for (const [path, input] of [
      ['customers.get', { id: outsideTeam }],
      ['customers.update', { id: outsideTeam, name: 'x' }],
      ['customers.timeline', { id: outsideTeam }],
      ['orders.create', { customerId: outsideTeam, orderedAt: daysAgo(1), amount: '1' }],
      ['interactions.log', { customerId: outsideTeam, kind: 'call', summary: 'x' }],
      ['contacts.create', { customerId: outsideTeam, name: 'x' }],
    ] as const) {
      expect((await rep.call(path, input)).error?.appCode, path).toBe('CUSTOMER_NOT_FOUND');
    }
    expect((await rep.call('contacts.list', { customerId: outsideTeam })).data).toEqual([]);
    expect((await rep.call('orders.list', { customerId: outsideTeam })).data.items).toEqual([]);

    // Bulk reassignment: all or nothing, and the new owner's view follows.
    const refused = await manager.call('customers.reassign', {
      ids: [repsOwn, outsideTeam],
      ownerUserId: scoped.users.sales_manager.id,
    });
    expect(refused.error?.appCode).toBe('CUSTOMER_NOT_FOUND');
    expect((await names(manager)).includes(repsOwn)).toBe(true);
    const moved = await scopedAdmin.call('customers.reassign', {
      ids: [repsOwn, nobodys],
      ownerUserId: scoped.users.analyst.id,
    });
    expect(moved.data.reassigned).toBe(2);
    expect((await names(rep)).includes(repsOwn)).toBe(false);
  });
});

describe('contacts, interactions, timeline and the audit log', () => {
  it('keeps contacts with one primary, logs interactions in one call, and shows who changed what', async () => {
    const id = await newCustomer(admin, '深圳云帆科技有限公司', {
      industry: '电子制造',
      customerNumber: 'C-0001',
    });
    const first = await admin.call('contacts.create', {
      customerId: id,
      name: '陈总',
      title: '总经理',
      phones: ['138 0000 1111'],
      isPrimary: true,
    });
    const second = await admin.call('contacts.create', {
      customerId: id,
      name: '李工',
      title: '采购',
      emails: ['LI@yunfan.example.com'],
      isPrimary: true,
    });
    const contacts = (await admin.call('contacts.list', { customerId: id })).data;
    expect(
      contacts.map((contact: { name: string; isPrimary: boolean }) => [contact.name, contact.isPrimary]),
    ).toEqual([
      ['李工', true],
      ['陈总', false],
    ]);
    expect(contacts[1].phones).toEqual(['+8613800001111']);
    expect(contacts[0].emails).toEqual(['li@yunfan.example.com']);
    expect(
      (await admin.call('contacts.create', { customerId: id, name: 'x', phones: ['123'] })).error
        ?.fieldErrors?.[0]?.path,
    ).toBe('phones.0');

    const logged = await admin.call('interactions.log', {
      customerId: id,
      contactId: second.data.id,
      kind: 'visit',
      summary: '上门演示新产线方案，客户对交期敏感',
      nextStep: '周五前发报价',
      nextStepDue: '2026-11-27',
      sentiment: 'praise',
    });
    expect(logged.error).toBeNull();
    const interactions = (await admin.call('interactions.list', { customerId: id })).data;
    expect(interactions[0]).toMatchObject({
      kind: 'visit',
      contactName: '李工',
      userName: tenant.users.admin.name,
      nextStepDue: '2026-11-27',
    });

    await admin.call('customers.update', {
      id,
      name: '深圳云帆智能科技有限公司',
      painPoints: '交期长',
      purchasePlanAmount: '500000',
      purchasePlanExpectedOn: '2027-03-31',
    });
    expect((await admin.call('customers.update', { id, purchasePlanAmount: '1.234' })).error?.appCode).toBe(
      'INVALID_INPUT',
    );
    const duplicateNumber = await admin.call('customers.create', {
      name: '另一家',
      kind: 'company',
      customerNumber: 'C-0001',
    });
    expect(duplicateNumber.error?.appCode).toBe('CUSTOMER_NUMBER_TAKEN');

    const timeline = (await admin.call('customers.timeline', { id, limit: 100 })).data.items as {
      kind: string;
      actorName: string | null;
      data: { entity?: string; action?: string; changes?: Record<string, { from: unknown; to: unknown }> };
    }[];
    const rename = timeline.find(
      (entry) =>
        entry.kind === 'change' && entry.data.entity === 'customer' && entry.data.action === 'update',
    );
    expect(rename?.actorName).toBe(tenant.users.admin.name);
    expect(rename?.data.changes?.name).toEqual({
      from: '深圳云帆科技有限公司',
      to: '深圳云帆智能科技有限公司',
    });
    expect(rename?.data.changes?.pain_points).toEqual({ from: null, to: '交期长' });
    expect(timeline.some((entry) => entry.kind === 'interaction')).toBe(true);
    expect(first.error).toBeNull();

    // Paging the timeline returns every entry once.
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await admin.call('customers.timeline', { id, limit: 2, cursor });
      all.push(...page.data.items.map((entry: { id: string }) => entry.id));
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(timeline.length);
    expect(new Set(all).size).toBe(all.length);
  });

  it('the audit log is insert-only for the runtime role (T5.7)', async () => {
    const attempts = ["update audit_log set changes = '{}'", 'delete from audit_log', 'truncate audit_log'];
    let succeeded = 0;
    for (const statement of attempts) {
      const outcome = await server.database
        .withTenant(tenant.tenantId, (trx) => sql.raw(statement).execute(trx))
        .then(
          () => 'ok',
          (error: Error) => error.message,
        );
      if (outcome === 'ok') succeeded += 1;
      else expect(outcome).toMatch(/permission denied/);
    }
    if (server.testDatabase.kind === 'postgres') {
      const admin = postgres(server.testDatabase.adminUrl ?? '', { max: 1, onnotice: () => {} });
      try {
        const [count] = await admin`select count(*)::int as count from audit_log`;
        expect(count?.count).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
    }
    console.log(`T5.7 app_role_mutations_succeeded=${succeeded}`);
    expect(succeeded).toBe(0);
  });
});
