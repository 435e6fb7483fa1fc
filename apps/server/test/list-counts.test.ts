import { countLimits, countRows } from '@crm/api';
import { sql } from '@crm/db';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/**
 * Every list's 共 N 条: `customers.count`, `orders.count`, `interactions.count` and
 * `duplicates.count` count what the member may see with the list's filters — exact up to
 * `countLimits.exactUpTo`, the planner's estimate beyond it.
 */
let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;
let admin: TrpcClient;
let rep: TrpcClient;
let otherAdmin: TrpcClient;
// Exact answers are asserted on a busy machine: a generous time budget unless a test lowers it.
const defaults = { exactUpTo: countLimits.exactUpTo, budgetMs: 10_000 };

beforeAll(async () => {
  Object.assign(countLimits, defaults);
  server = await createTestServer();
  tenant = await seedTenant(server.database, '计数测试');
  other = await seedTenant(server.database, '另一家计数');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
  rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
  otherAdmin = await signedInClient(server, other.users.admin.id, other.tenantId);
});
afterAll(() => server.destroy());
afterEach(() => {
  Object.assign(countLimits, defaults);
});

async function ok(client: TrpcClient, path: string, input?: unknown) {
  const result = await client.call(path, input);
  expect(result.error, `${path}: ${JSON.stringify(result.error)}`).toBeNull();
  return result.data;
}

/** `n` customers named `${prefix}-i`, one statement, with orders and interactions if asked. */
async function insertCustomers(
  tenantId: string,
  prefix: string,
  n: number,
  options: { owner?: string | null; archived?: boolean; stage?: string; withActivity?: boolean } = {},
) {
  await server.database.withTenant(tenantId, async (trx) => {
    await sql`insert into customers (tenant_id, name, kind, owner_user_id, archived_at, lifecycle_stage)
      select ${tenantId}::uuid, ${prefix} || '-' || i, 'company', ${options.owner ?? null}::uuid,
        ${options.archived ? sql`now()` : sql`null`}, ${options.stage ?? 'potential'}
      from generate_series(1, ${n}) i`.execute(trx);
    if (options.withActivity) {
      await sql`insert into orders (tenant_id, customer_id, ordered_at, amount)
        select tenant_id, id, now(), 100 from customers where tenant_id = ${tenantId}::uuid and name like ${`${prefix}-%`}`.execute(
        trx,
      );
      await sql`insert into interactions (tenant_id, customer_id, kind, summary, occurred_at)
        select tenant_id, id, 'call', '电话回访', now() from customers
        where tenant_id = ${tenantId}::uuid and name like ${`${prefix}-%`}`.execute(trx);
    }
  });
}

describe('list counts', () => {
  it('count exactly what the filters match, and a rep counts only the customers they may see', async () => {
    const repId = tenant.users.sales_rep.id;
    await insertCustomers(tenant.tenantId, '销售自己的客户', 3, {
      owner: repId,
      stage: 'new',
      withActivity: true,
    });
    await insertCustomers(tenant.tenantId, '管理员的客户', 4, {
      owner: tenant.users.admin.id,
      withActivity: true,
    });
    await insertCustomers(tenant.tenantId, '公海客户', 2, { owner: null });
    await insertCustomers(tenant.tenantId, '已归档客户', 1, { owner: repId, archived: true });
    await insertCustomers(other.tenantId, '别家客户', 5, { owner: null, withActivity: true });

    expect(await ok(admin, 'customers.count')).toEqual({ total: 9, exact: true });
    expect(await ok(admin, 'customers.count', { archived: true })).toEqual({ total: 1, exact: true });
    expect(await ok(admin, 'customers.count', { lifecycleStages: ['new'] })).toEqual({
      total: 3,
      exact: true,
    });
    expect(await ok(admin, 'customers.count', { unowned: true })).toEqual({ total: 2, exact: true });
    expect(await ok(admin, 'customers.count', { search: '管理员的客户' })).toEqual({ total: 4, exact: true });
    // The count is the list's: the same filters give as many rows as the count says.
    const listed = await ok(admin, 'customers.list', { lifecycleStages: ['new'], limit: 100 });
    expect(listed.items).toHaveLength(3);

    // Record-level access: a rep sees (and counts) their own customers only.
    expect(await ok(rep, 'customers.count')).toEqual({ total: 3, exact: true });
    expect(await ok(rep, 'customers.count', { ownerUserIds: [tenant.users.admin.id] })).toEqual({
      total: 0,
      exact: true,
    });
    expect(await ok(rep, 'orders.count')).toEqual({ total: 3, exact: true });
    expect(await ok(rep, 'interactions.count')).toEqual({ total: 3, exact: true });
    expect(await ok(admin, 'orders.count')).toEqual({ total: 7, exact: true });
    expect(await ok(admin, 'orders.count', { ownerUserIds: [repId] })).toEqual({ total: 3, exact: true });
    expect(await ok(admin, 'interactions.count', { kinds: ['visit'] })).toEqual({ total: 0, exact: true });

    // Another tenant counts its own rows only, even when its filters name this tenant's people.
    expect(await ok(otherAdmin, 'customers.count')).toEqual({ total: 5, exact: true });
    expect(await ok(otherAdmin, 'customers.count', { ownerUserIds: [repId] })).toEqual({
      total: 0,
      exact: true,
    });
    expect(await ok(otherAdmin, 'orders.count')).toEqual({ total: 5, exact: true });
    expect(await ok(otherAdmin, 'interactions.count', { ownerUserIds: [repId] })).toEqual({
      total: 0,
      exact: true,
    });
  });

  it('beyond the cap answer the planner estimate, never below what was counted', async () => {
    const counted = (await ok(admin, 'customers.count')) as { total: number };
    countLimits.exactUpTo = 5;
    const estimate = await ok(admin, 'customers.count');
    expect(estimate.exact).toBe(false);
    expect(estimate.total).toBeGreaterThanOrEqual(6);
    expect(Number.isInteger(estimate.total)).toBe(true);
    // Within the cap it is still exact.
    expect(await ok(admin, 'customers.count', { unowned: true })).toEqual({ total: 2, exact: true });
    expect(await ok(rep, 'customers.count')).toEqual({ total: 3, exact: true });

    // After ANALYZE the estimate is close to the truth for a plain filter.
    await insertCustomers(tenant.tenantId, '批量客户', 400, { owner: null });
    // Fresh statistics, as autovacuum would give them (ANALYZE needs the table's owner).
    if (server.testDatabase.adminUrl) {
      const owner = postgres(server.testDatabase.adminUrl, { max: 1, onnotice: () => {} });
      await owner`analyze customers`;
      await owner.end({ timeout: 1 });
    } else {
      await sql`analyze customers`.execute(server.database.db);
    }
    const big = await ok(admin, 'customers.count');
    expect(big.exact).toBe(false);
    expect(big.total).toBeGreaterThan(counted.total + 400 - 200);
    expect(big.total).toBeLessThan((counted.total + 400) * 3);
    countLimits.exactUpTo = defaults.exactUpTo;
    expect(await ok(admin, 'customers.count')).toEqual({ total: counted.total + 400, exact: true });
  });

  it('a count that would take longer than its budget answers the estimate, and leaves the transaction usable', async () => {
    // PGlite runs no statement timeout: there the count is always exact.
    if (server.testDatabase.kind !== 'postgres') return;
    countLimits.budgetMs = 50;
    const slow = sql`select 1 from (select pg_sleep(0.5)) pause, generate_series(1, 3)`;
    const answer = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const count = await countRows(trx, slow);
      // The transaction goes on, with the timeout it had.
      const after = await sql<{
        value: string;
      }>`select current_setting('statement_timeout') as value`.execute(trx);
      return { count, timeout: after.rows[0]?.value };
    });
    expect(answer.count.exact).toBe(false);
    expect(answer.count.total).toBeGreaterThan(0);
    expect(answer.timeout).toBe('0');
    countLimits.budgetMs = 5_000;
    expect(await server.database.withTenant(tenant.tenantId, (trx) => countRows(trx, slow))).toEqual({
      total: 3,
      exact: true,
    });
  });

  it('the duplicates queue counts the pairs whose two customers the member sees', async () => {
    const repId = tenant.users.sales_rep.id;
    const ids = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const rows = await sql<{ id: string; owner_user_id: string | null }>`
        insert into customers (tenant_id, name, kind, owner_user_id)
        values (${tenant.tenantId}, '重复甲', 'company', ${repId}), (${tenant.tenantId}, '重复乙', 'company', ${repId}),
               (${tenant.tenantId}, '重复丙', 'company', null)
        returning id, owner_user_id`.execute(trx);
      const [a, b, c] = rows.rows.map((row) => row.id).sort() as [string, string, string];
      await sql`insert into duplicate_candidates (tenant_id, customer_a, customer_b, reasons, confidence)
        values (${tenant.tenantId}, ${a}, ${b}, '{phone}', 0.7), (${tenant.tenantId}, ${a}, ${c}, '{phone}', 0.7),
               (${tenant.tenantId}, ${b}, ${c}, '{phone}', 0.9)`.execute(trx);
      return rows.rows;
    });
    expect(ids).toHaveLength(3);
    const manager = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    expect(await ok(manager, 'duplicates.count')).toEqual({ total: 3, exact: true });
    expect(await ok(manager, 'duplicates.count', { minConfidence: 0.8 })).toEqual({ total: 1, exact: true });
    expect(await ok(manager, 'duplicates.count', { status: 'dismissed' })).toEqual({ total: 0, exact: true });
    const listed = await ok(manager, 'duplicates.list', { limit: 100 });
    expect(listed.items).toHaveLength(3);
    expect(await ok(otherAdmin, 'duplicates.count')).toEqual({ total: 0, exact: true });
  });
});
