import { jobScope, refreshCustomerFacts, syncAllPluginLifecycles } from '@crm/api';
import { MOVE_LIFECYCLE_THRESHOLDS } from '@crm/db';
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

/**
 * One place for each rule: the lifecycle thresholds (流失预警 / 沉睡 / 忠诚) are settings of
 * the industry profile (设置 → 行业配置). A save there moves the stages; 客户规则 shows the
 * values in force but no longer takes them; and the migration carried each tenant's values
 * in force over to its profile's settings, so no stage changed.
 */
let server: TestServer;
let b2b: SeededTenant;
let admin: TrpcClient;
let lateCustomer: string;

async function ok(client: TrpcClient, path: string, input?: unknown) {
  const result = await client.call(path, input);
  expect(result.error, `${path}: ${JSON.stringify(result.error)}`).toBeNull();
  return result.data;
}

async function stageOf(tenant: SeededTenant, customerId: string): Promise<string> {
  const row = await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .selectFrom('customers')
      .select('lifecycle_stage')
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow(),
  );
  return row.lifecycle_stage;
}

/** A customer whose only completed order is `daysAgo` days old, with its facts derived. */
async function customerWithOrder(tenant: SeededTenant, name: string, daysAgo: number): Promise<string> {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const row = await trx
      .insertInto('customers')
      .values({ tenant_id: tenant.tenantId, name, kind: 'company' } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('orders')
      .values({
        tenant_id: tenant.tenantId,
        customer_id: row.id,
        ordered_at: new Date(Date.now() - daysAgo * 86_400_000),
        amount: '52000',
      })
      .execute();
    await refreshCustomerFacts(jobScope(trx, tenant.tenantId), 'all', 'daily');
    return row.id;
  });
}

beforeAll(async () => {
  server = await createTestServer();
  b2b = await seedTenant(server.database, '华辰工业规则', 'b2b');
  admin = await signedInClient(server, b2b.users.admin.id, b2b.tenantId);
  lateCustomer = await customerWithOrder(b2b, '杭州恒达机械有限公司', 100);
});
afterAll(() => server.destroy());

describe('lifecycle thresholds live on 行业配置', () => {
  it('start at the profile defaults, shown read-only on 客户规则', async () => {
    const rules = await ok(admin, 'settings.customerRules');
    expect(rules).toMatchObject({
      lifecycleAtRiskDays: 90,
      lifecycleDormantDays: 180,
      lifecycleLoyalOrders: 5,
    });
    const settings = await ok(admin, 'industry.settings');
    expect(settings.settings.lifecycle).toEqual({ atRiskDays: 90, dormantDays: 180, loyalOrders: 5 });
    expect(await stageOf(b2b, lateCustomer)).toBe('at_risk');
  });

  it('are no longer taken by 客户规则', async () => {
    const result = await admin.call('settings.updateCustomerRules', { lifecycleAtRiskDays: 120 });
    expect(result.error).not.toBeNull();
    expect(result.error?.httpStatus).toBe(400);
    const rules = await ok(admin, 'settings.customerRules');
    expect(rules.lifecycleAtRiskDays).toBe(90);
  });

  it('a 行业配置 save puts them in force and re-derives the stages in the same transaction', async () => {
    const saved = await ok(admin, 'industry.save', {
      settings: { lifecycle: { atRiskDays: 120, dormantDays: 240, loyalOrders: 4 } },
      expectedVersion: 0,
    });
    expect(saved.version).toBe(1);
    const rules = await ok(admin, 'settings.customerRules');
    expect(rules).toMatchObject({
      lifecycleAtRiskDays: 120,
      lifecycleDormantDays: 240,
      lifecycleLoyalOrders: 4,
    });
    // 100 days without a deal is no longer at risk at 120.
    expect(await stageOf(b2b, lateCustomer)).toBe('new');
    const moves = await server.database.withTenant(b2b.tenantId, (trx) =>
      trx
        .selectFrom('lifecycle_changes')
        .select(['from_stage', 'to_stage', 'reason'])
        .where('customer_id', '=', lateCustomer)
        .where('reason', '=', 'settings')
        .execute(),
    );
    expect(moves).toEqual([{ from_stage: 'at_risk', to_stage: 'new', reason: 'settings' }]);

    const reset = await ok(admin, 'industry.reset', { expectedVersion: 1 });
    expect(reset.version).toBe(2);
    expect(await ok(admin, 'settings.customerRules')).toMatchObject({ lifecycleAtRiskDays: 90 });
    expect(await stageOf(b2b, lateCustomer)).toBe('at_risk');
  });

  it('refuses an at-risk day count that does not stay below the dormant one, on the field', async () => {
    const result = await admin.call('industry.save', {
      settings: { lifecycle: { atRiskDays: 200, dormantDays: 180 } },
      expectedVersion: 2,
    });
    expect(result.error?.fieldErrors?.map((error) => error.path)).toContain('lifecycle.dormantDays');
    expect(await ok(admin, 'settings.customerRules')).toMatchObject({ lifecycleAtRiskDays: 90 });
  });
});

describe('the move from 客户规则 (migration)', () => {
  it("carries each tenant's values in force into its profile's settings, set-based", async () => {
    if (!server.testDatabase.adminUrl) return; // the migration's own statement needs the owner role
    const tuned = await seedTenant(server.database, '华东贸易规则', 'b2b');
    const retail = await seedTenant(server.database, '悦享零售规则', 'retail');
    const untouched = await seedTenant(server.database, '默认规则企业', 'corporate-banking');
    const owner = postgres(server.testDatabase.adminUrl, { max: 1, onnotice: () => {} });
    try {
      // As 客户规则 left them: values in force on the tenants row, and a b2b override of the
      // lifecycle that was never used.
      await owner`update tenants set lifecycle_at_risk_days = 60, lifecycle_dormant_days = 200,
        lifecycle_loyal_orders = 3 where id = ${tuned.tenantId}`;
      await owner`insert into tenant_plugin_settings (tenant_id, version, plugin_id, overrides, settings_version)
        values (${tuned.tenantId}, 1, 'b2b', ${owner.json({ tiers: { strategicMin: 85 }, lifecycle: { atRiskDays: 30 } })}, 1)`;
      await owner`update tenants set lifecycle_at_risk_days = 100, lifecycle_dormant_days = 150,
        lifecycle_loyal_orders = 4 where id = ${retail.tenantId}`;
      await owner.unsafe(MOVE_LIFECYCLE_THRESHOLDS);
      // Run twice: the second finds nothing to carry.
      await owner.unsafe(MOVE_LIFECYCLE_THRESHOLDS);
      const rows = await owner<{ tenant_id: string; version: number; overrides: unknown }[]>`
        select tenant_id, version, overrides from tenant_plugin_settings
        where tenant_id in ${owner([tuned.tenantId, retail.tenantId, untouched.tenantId])}
        order by tenant_id, version`;
      const byTenant = (id: string) => rows.filter((row) => row.tenant_id === id);
      expect(byTenant(tuned.tenantId).map((row) => row.version)).toEqual([1, 2]);
      expect(byTenant(tuned.tenantId)[1]?.overrides).toEqual({
        tiers: { strategicMin: 85 },
        lifecycle: { atRiskDays: 60, dormantDays: 200, loyalOrders: 3 },
      });
      // Retail's dormant days are its RFM 沉睡 setting (also the tier's): that one stays.
      expect(byTenant(retail.tenantId).map((row) => row.overrides)).toEqual([
        { lifecycle: { atRiskDays: 100, loyalOrders: 4 } },
      ]);
      expect(byTenant(untouched.tenantId)).toEqual([]);
    } finally {
      await owner.end();
    }

    // The start-up sync then finds the values in force equal to the settings (retail's
    // dormant days follow its RFM setting).
    await syncAllPluginLifecycles(server.database, server.dependencies.plugins, server.logger);
    const tunedAdmin = await signedInClient(server, tuned.users.admin.id, tuned.tenantId);
    expect(await ok(tunedAdmin, 'settings.customerRules')).toMatchObject({
      lifecycleAtRiskDays: 60,
      lifecycleDormantDays: 200,
      lifecycleLoyalOrders: 3,
    });
    expect((await ok(tunedAdmin, 'industry.settings')).settings.lifecycle).toEqual({
      atRiskDays: 60,
      dormantDays: 200,
      loyalOrders: 3,
    });
    const retailAdmin = await signedInClient(server, retail.users.admin.id, retail.tenantId);
    expect(await ok(retailAdmin, 'settings.customerRules')).toMatchObject({
      lifecycleAtRiskDays: 100,
      lifecycleDormantDays: 180,
      lifecycleLoyalOrders: 4,
    });
  });
});
