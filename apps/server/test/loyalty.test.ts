import { expireTenantPoints, jobScope, settleTenantOrders } from '@crm/api';
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
import { createCustomerIn, createLeadIn, createOrderIn } from './procedure-cases';

/*
 * Referrals and growth points (转介绍, 成长值) on a retail tenant (its plugin: a point per
 * yuan, kept 24 months, 500 points for a referral): a customer refers a new customer; the
 * referred customer's first order earns its own points and the referrer's bonus, once; a
 * void takes the order's points back; a lead's referral pays when the customer it became
 * orders; redemptions and adjustments never go below zero; the daily expiry takes what is
 * past its date, once; the ledger cannot be edited; referral and points on the timelines.
 */

let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '成长值测试企业', 'retail');
}, 60_000);
afterAll(() => server?.destroy());

async function as(role: keyof SeededTenant['users']): Promise<TrpcClient> {
  return signedInClient(server, tenant.users[role].id, tenant.tenantId);
}

describe('referrals and growth points', () => {
  it('rewards the referrer once on the referred customer’s first order, and earns points per yuan', async () => {
    const rep = await as('sales_rep');
    const owner = await as('owner');
    const settings = (await rep.call('loyalty.settings')).data;
    expect(settings).toMatchObject({ pointsPerYuan: 1, expiryMonths: 24 });
    expect(settings.rules.map((rule: { key: string }) => rule.key)).toEqual([
      'retail_referral_points',
      'retail_referral_discount',
    ]);

    const referrer = await createCustomerIn(
      server,
      tenant.tenantId,
      '老客户王女士',
      false,
      tenant.users.sales_rep.id,
    );
    const referred = await createCustomerIn(
      server,
      tenant.tenantId,
      '新客户李先生',
      false,
      tenant.users.sales_rep.id,
    );
    const veteran = await createCustomerIn(
      server,
      tenant.tenantId,
      '老会员',
      false,
      tenant.users.sales_rep.id,
    );
    await createOrderIn(server, tenant.tenantId, veteran);

    const referral = await rep.call('loyalty.refer', {
      referrerCustomerId: referrer,
      referredCustomerId: referred,
      note: '王女士介绍的同事',
    });
    expect(referral.data).toMatchObject({ status: 'pending', rewardKind: 'points', rewardValue: 500 });
    expect(
      (await rep.call('loyalty.refer', { referrerCustomerId: veteran, referredCustomerId: referred })).error
        ?.appCode,
    ).toBe('REFERRAL_TAKEN');
    expect(
      (await rep.call('loyalty.refer', { referrerCustomerId: referrer, referredCustomerId: veteran })).error
        ?.appCode,
    ).toBe('REFERRAL_NOT_NEW');
    expect(
      (await rep.call('loyalty.refer', { referrerCustomerId: referrer, referredCustomerId: referrer })).error
        ?.appCode,
    ).toBe('REFERRAL_SELF');

    const first = await rep.call('orders.create', {
      customerId: referred,
      orderedAt: new Date().toISOString(),
      amount: '1280.50',
    });
    expect(first.error).toBeFalsy();
    await rep.call('orders.create', {
      customerId: referred,
      orderedAt: new Date().toISOString(),
      amount: '99',
    });
    // Any later change settles again: nothing is paid twice.
    await rep.call('orders.update', { id: first.data.id, note: '改了备注' });

    const referrerPoints = (await rep.call('loyalty.customer', { customerId: referrer })).data;
    expect(referrerPoints.balance).toBe(500);
    expect(referrerPoints.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['referral']);
    expect(referrerPoints.referrals[0]).toMatchObject({ status: 'rewarded', referredName: '新客户李先生' });
    const referredPoints = (await rep.call('loyalty.customer', { customerId: referred })).data;
    expect(referredPoints.balance).toBe(1280 + 99);
    expect(referredPoints.referredBy).toMatchObject({ referrerName: '老客户王女士' });

    // A void takes the order's points back, once.
    await owner.call('orders.void', { id: first.data.id, reason: '客户取消' });
    await owner.call('orders.void', { id: first.data.id, reason: '客户取消' });
    expect((await rep.call('loyalty.customer', { customerId: referred })).data.balance).toBe(99);

    const timeline = (await rep.call('customers.timeline', { id: referrer })).data.items;
    expect(
      timeline
        .filter((entry: { kind: string }) => entry.kind === 'referral')
        .map((entry: { data: { event: string } }) => entry.data.event)
        .sort(),
    ).toEqual(['referred', 'rewarded']);
    expect(timeline.some((entry: { kind: string }) => entry.kind === 'points')).toBe(true);
  });

  it('pays a lead’s referral when the customer it became orders', async () => {
    const rep = await as('sales_rep');
    const referrer = await createCustomerIn(
      server,
      tenant.tenantId,
      '推荐人',
      false,
      tenant.users.sales_rep.id,
    );
    const lead = await createLeadIn(server, tenant.tenantId, tenant.users.sales_rep.id, '线索张三');
    const made = await rep.call('loyalty.refer', {
      referrerCustomerId: referrer,
      referredLeadId: lead,
      ruleKey: 'retail_referral_discount',
    });
    expect(made.data).toMatchObject({
      status: 'pending',
      rewardKind: 'discount',
      rewardValue: 10,
      referredName: '线索张三',
    });
    const converted = await createCustomerIn(
      server,
      tenant.tenantId,
      '张三',
      false,
      tenant.users.sales_rep.id,
    );
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update leads set status = 'converted', converted_customer_id = ${converted}, converted_at = now()
          where tenant_id = ${tenant.tenantId} and id = ${lead}`.execute(trx),
    );
    await rep.call('orders.create', {
      customerId: converted,
      orderedAt: new Date().toISOString(),
      amount: '300',
    });
    const points = (await rep.call('loyalty.customer', { customerId: referrer })).data;
    expect(points.balance).toBe(0);
    expect(points.discounts).toEqual([expect.objectContaining({ percent: 10 })]);
    expect((await rep.call('loyalty.customer', { customerId: converted })).data.referredBy).toMatchObject({
      referrerName: '推荐人',
    });
  });

  it('redeems and adjusts within the balance, by permission, and expires what is past its date once', async () => {
    const rep = await as('sales_rep');
    // The owner manages points (sales managers too, for their team's customers).
    const manager = await as('owner');
    const customer = await createCustomerIn(
      server,
      tenant.tenantId,
      '积分会员',
      false,
      tenant.users.sales_rep.id,
    );
    await rep.call('orders.create', {
      customerId: customer,
      orderedAt: new Date().toISOString(),
      amount: '1000',
    });
    expect(
      (await rep.call('loyalty.redeem', { customerId: customer, points: 1001, reason: '兑换礼品' })).error
        ?.appCode,
    ).toBe('POINTS_INSUFFICIENT');
    expect(
      (await rep.call('loyalty.redeem', { customerId: customer, points: 300, reason: '兑换保温杯' })).data
        .balance,
    ).toBe(700);
    expect(
      (await rep.call('loyalty.adjust', { customerId: customer, points: 100, reason: '补发积分' })).error
        ?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await manager.call('loyalty.adjust', { customerId: customer, points: -800, reason: '扣除' })).error
        ?.appCode,
    ).toBe('POINTS_INSUFFICIENT');
    expect(
      (await manager.call('loyalty.adjust', { customerId: customer, points: 50, reason: '活动补发积分' }))
        .data.balance,
    ).toBe(750);

    // 25 months on: every credit is past its date; what was spent is not expired again.
    const later = new Date(Date.now() + 25 * 31 * 86_400_000);
    const expire = () =>
      server.database.withTenant(tenant.tenantId, (trx) =>
        expireTenantPoints(jobScope(trx, tenant.tenantId), later),
      );
    expect(await expire()).toBeGreaterThanOrEqual(1);
    expect(await expire()).toBe(0);
    const after = (await rep.call('loyalty.customer', { customerId: customer })).data;
    expect(after.balance).toBe(0);
    expect(after.entries[0]).toMatchObject({ kind: 'expire', points: -750 });
  });

  it('runs an order’s points from its date, expires an old credit despite a later voided order, settles imported orders at night', async () => {
    const rep = await as('sales_rep');
    const owner = await as('owner');
    const customer = await createCustomerIn(
      server,
      tenant.tenantId,
      '老账户',
      false,
      tenant.users.sales_rep.id,
    );
    const monthsAgo = (months: number) => new Date(Date.now() - months * 31 * 86_400_000).toISOString();
    // Bought 25 months ago (recorded today): its points ran out a month ago.
    await rep.call('orders.create', { customerId: customer, orderedAt: monthsAgo(25), amount: '40' });
    const recent = await rep.call('orders.create', {
      customerId: customer,
      orderedAt: new Date().toISOString(),
      amount: '100',
    });
    await owner.call('orders.void', { id: recent.data.id, reason: '退货' });
    const expire = () =>
      server.database.withTenant(tenant.tenantId, (trx) =>
        expireTenantPoints(jobScope(trx, tenant.tenantId), new Date()),
      );
    // The voided order's points and their reversal cancel out: they do not use up the old credit.
    expect(await expire()).toBeGreaterThanOrEqual(1);
    const after = (await rep.call('loyalty.customer', { customerId: customer })).data;
    expect(after.balance).toBe(0);
    expect(after.entries[0]).toMatchObject({ kind: 'expire', points: -40 });

    // An imported order (written without the loyalty rules) earns at the nightly settlement, once.
    const imported = await createCustomerIn(
      server,
      tenant.tenantId,
      '导入客户',
      false,
      tenant.users.sales_rep.id,
    );
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`insert into orders (tenant_id, customer_id, ordered_at, currency, amount, status)
          values (${tenant.tenantId}, ${imported}, now(), 'CNY', 260, 'completed')`.execute(trx),
    );
    const settle = () =>
      server.database.withTenant(tenant.tenantId, (trx) =>
        settleTenantOrders(jobScope(trx, tenant.tenantId), { plugins: server.dependencies.plugins }),
      );
    expect((await settle()).earned).toBeGreaterThanOrEqual(1);
    expect((await settle()).earned).toBe(0);
    expect((await rep.call('loyalty.customer', { customerId: imported })).data.balance).toBe(260);
  });

  it('keeps the ledger insert-only for the application role', async () => {
    const attempt = server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update loyalty_points set points = points + 1000 where tenant_id = ${tenant.tenantId}`.execute(trx),
    );
    await expect(attempt).rejects.toThrow(/permission denied/);
  });
});
