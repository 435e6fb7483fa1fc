import { readFileSync } from 'node:fs';
import { runExport, scanTenantWhereRead } from '@crm/api';
import { type CrmDatabase, openDatabase, provisionDatabase } from '@crm/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createDependencies } from '../src/dependencies';
import {
  createMemoryLogger,
  createTestServer,
  PUBLIC_URL,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  TrpcClient,
} from '../test/helpers';
import { createCluster, type DrillCluster } from './cluster';

/**
 * Exports read from a real streaming replica (docs/scaling.md, "Read replica"): a cluster of
 * the drill's own, a hot standby of it made by `pg_basebackup -R`, and the product opened
 * with `replicaUrl`. An export of tenant A read on the replica holds A's rows and none of
 * B's; the replica's statement log shows A's scoped transactions ran there; a replica whose
 * replay is paused (lagging) or that is stopped sends the export to the primary, whose file
 * then holds the write made just before. A duplicate scan of A finds its pairs on the replica
 * and writes them on the primary (the same pairs as a scan on the primary; a lagging replica
 * sends the scan to the primary, which sees the customer written just before), and A's
 * dashboards are read there through a server opened with the replica.
 */
let cluster: DrillCluster;
let replica: DrillCluster & { logFile: string };
let server: TestServer;
let reading: CrmDatabase;
let impatient: CrmDatabase;
let replicaAdmin: postgres.Sql;
let tenantA: SeededTenant;
let tenantB: SeededTenant;
let adminA: TrpcClient;
let adminB: TrpcClient;

async function ok(client: TrpcClient, path: string, input?: unknown) {
  const result = await client.call(path, input);
  expect(result.error, `${path}: ${JSON.stringify(result.error)}`).toBeNull();
  return result.data;
}

const createCustomer = (client: TrpcClient, name: string) =>
  ok(client, 'customers.create', { name, kind: 'company' });

/** Waits until the replica's replay is paused (a pause takes effect at the replay's next record). */
async function pauseReplay() {
  await replicaAdmin`select pg_wal_replay_pause()`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [state] = await replicaAdmin`select pg_get_wal_replay_pause_state() as state`;
    if (state?.state === 'paused') return;
    if (Date.now() > deadline) throw new Error(`replay not paused: ${state?.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Tenant A's pending duplicate pairs, by the customers' names, as the primary has them. */
async function pendingPairsOfA(): Promise<string[]> {
  return server.database.withTenant(tenantA.tenantId, async (trx) => {
    const rows = await trx
      .selectFrom('duplicate_candidates as d')
      .innerJoin('customers as a', (join) =>
        join.onRef('a.tenant_id', '=', 'd.tenant_id').onRef('a.id', '=', 'd.customer_a'),
      )
      .innerJoin('customers as b', (join) =>
        join.onRef('b.tenant_id', '=', 'd.tenant_id').onRef('b.id', '=', 'd.customer_b'),
      )
      .select(['a.name as a', 'b.name as b'])
      .where('d.status', '=', 'pending')
      .execute();
    return rows.map((row) => [row.a, row.b].sort().join(' ~ ')).sort();
  });
}

/** Queues tenant A's customer export, runs it on `database` and returns the outcome and the file's text. */
async function exportA(database: CrmDatabase) {
  const run = await ok(adminA, 'exports.create', { entity: 'customers', format: 'csv', columns: [] });
  const outcome = await runExport(database, tenantA.tenantId, run.id);
  expect(outcome.status).toBe('done');
  const response = await server.app.request(`http://localhost:3000/api/exports/${run.id}/file`, {
    headers: { cookie: adminA.cookie ?? '' },
  });
  expect(response.status).toBe(200);
  return { outcome, text: await response.text() };
}

beforeAll(async () => {
  const started = Date.now();
  cluster = await createCluster();
  process.env.TEST_DATABASE_URL = cluster.adminUrl;
  server = await createTestServer();
  const databaseName = server.testDatabase.databaseName as string;
  const urls = await provisionDatabase(cluster.adminUrl, databaseName);
  tenantA = await seedTenant(server.database, '甲公司');
  tenantB = await seedTenant(server.database, '乙公司');
  adminA = await signedInClient(server, tenantA.users.admin.id, tenantA.tenantId);
  adminB = await signedInClient(server, tenantB.users.admin.id, tenantB.tenantId);
  await createCustomer(adminB, '乙方客户一号');
  await createCustomer(adminB, '乙方客户二号');
  // Every statement on the replica is logged with its user, so the drill can see where reads ran.
  replica = await cluster.createReplica('-c log_statement=all -c log_line_prefix=%u:');
  const replicaUrl = new URL(urls.databaseUrl);
  replicaUrl.port = String(replica.port);
  reading = await openDatabase({ ...urls, maxConnections: 4, replicaUrl: replicaUrl.toString() });
  impatient = await openDatabase({
    ...urls,
    maxConnections: 2,
    replicaUrl: replicaUrl.toString(),
    replicaWaitMs: 300,
  });
  const replicaAdminUrl = new URL(cluster.adminUrl);
  replicaAdminUrl.port = String(replica.port);
  replicaAdminUrl.pathname = `/${databaseName}`;
  replicaAdmin = postgres(replicaAdminUrl.toString(), { max: 1, onnotice: () => {} });
  console.log(
    `replica drill: cluster, replica and two tenants ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}, 300_000);

afterAll(async () => {
  await replicaAdmin?.end({ timeout: 5 });
  await reading?.close();
  await impatient?.close();
  await Promise.race([
    server?.destroy().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 30_000)),
  ]);
  await replica?.stop();
  replica?.remove();
  await cluster?.stop();
  cluster?.remove();
});

describe('a read replica', () => {
  it("reads tenant A's export from the replica: A's rows, none of B's, under A's row-level security", async () => {
    // Written on the primary just now: the export waits until the replica has replayed it.
    await createCustomer(adminA, '甲方客户一号');
    await createCustomer(adminA, '甲方客户二号');
    const before = readFileSync(replica.logFile, 'utf8').length;
    const { outcome, text } = await exportA(reading);
    expect(outcome.reads).toBe('replica');
    expect(text).toContain('甲方客户一号');
    expect(text).toContain('甲方客户二号');
    expect(text).not.toContain('乙方客户');
    expect(outcome.rows).toBe(2);
    // The replica ran the export's transactions, scoped to tenant A by the runtime role.
    const log = readFileSync(replica.logFile, 'utf8').slice(before);
    expect(log).toMatch(new RegExp(`crm_app:.*\\$1 = '${tenantA.tenantId}'`));
    // …and read the export's rendered rows there.
    expect(log).toMatch(/crm_app:LOG: +execute \S+: select crm_csv_safe\(customers\.name\)/);

    // The same roles and policies on the replica: tenant A's transaction sees none of B's rows,
    // and a replica transaction writes nothing.
    const reads = await reading.heavyReads();
    expect(reads.source).toBe('replica');
    const seen = await reads.withTenant(tenantA.tenantId, async (trx) => {
      const all = await trx.selectFrom('customers').select(['tenant_id', 'name']).execute();
      const ofB = await trx
        .selectFrom('customers')
        .select('id')
        .where('tenant_id', '=', tenantB.tenantId)
        .execute();
      return { all, ofB };
    });
    expect(seen.all.map((row) => row.tenant_id)).toEqual([tenantA.tenantId, tenantA.tenantId]);
    expect(seen.ofB).toEqual([]);
    const [user] =
      await replicaAdmin`select count(*)::int as n from pg_stat_activity where usename = 'crm_app'`;
    expect(user?.n).toBeGreaterThan(0);
    await expect(
      reads.withTenant(tenantA.tenantId, (trx) =>
        trx
          .updateTable('customers')
          .set({ name: '改名' })
          .where('tenant_id', '=', tenantA.tenantId)
          .execute(),
      ),
    ).rejects.toThrow(/read-only transaction/);
  });

  it('reads from the primary when the replica lags past the wait, and from the replica once it has caught up', async () => {
    await pauseReplay();
    try {
      await createCustomer(adminA, '甲方客户三号');
      const lagging = await exportA(impatient);
      expect(lagging.outcome.reads).toBe('lagging');
      expect(lagging.text).toContain('甲方客户三号');
    } finally {
      await replicaAdmin`select pg_wal_replay_resume()`;
    }
    const caughtUp = await exportA(reading);
    expect(caughtUp.outcome.reads).toBe('replica');
    expect(caughtUp.text).toContain('甲方客户三号');
  });

  it("scans tenant A's duplicates on the replica and writes the pairs on the primary; lagging, on the primary", async () => {
    await ok(adminA, 'customers.create', { name: '甲方查重客户一', kind: 'company', phone: '13900001111' });
    await ok(adminA, 'customers.create', { name: '甲方查重客户二', kind: 'company', phone: '13900001111' });
    await ok(adminB, 'customers.create', { name: '乙方查重客户', kind: 'company', phone: '13900001111' });
    // The pair the create check recorded is forgotten: the scan must find it again.
    await server.database.withTenant(tenantA.tenantId, (trx) =>
      trx.deleteFrom('duplicate_candidates').where('tenant_id', '=', tenantA.tenantId).execute(),
    );
    expect(await pendingPairsOfA()).toEqual([]);
    const before = readFileSync(replica.logFile, 'utf8').length;
    const onReplica = await scanTenantWhereRead(reading, tenantA.tenantId, null);
    expect(onReplica.reads).toBe('replica');
    expect(onReplica.newPairs).toBe(1);
    // The finding ran on the replica, as the runtime role, scoped to A.
    const log = readFileSync(replica.logFile, 'utf8').slice(before);
    expect(log).toMatch(/crm_app:LOG: +execute \S+: \s*with\s+groups as materialized/);
    expect(log).toMatch(new RegExp(`crm_app:.*\\$1 = '${tenantA.tenantId}'`));
    const pairs = await pendingPairsOfA();
    expect(pairs).toEqual(['甲方查重客户一 ~ 甲方查重客户二']);
    // The same as a scan that finds on the primary.
    const onPrimary = await scanTenantWhereRead(server.database, tenantA.tenantId, null);
    expect(onPrimary.reads).toBe('no-replica');
    expect({ ...onPrimary, id: '', reads: '' }).toEqual({ ...onReplica, id: '', reads: '', newPairs: 0 });
    expect(await pendingPairsOfA()).toEqual(pairs);

    await pauseReplay();
    try {
      await ok(adminA, 'customers.create', { name: '甲方查重客户三', kind: 'company', phone: '13900001111' });
      const lagging = await scanTenantWhereRead(impatient, tenantA.tenantId, null);
      expect(lagging.reads).toBe('lagging');
      expect(lagging.pairs).toBe(3);
    } finally {
      await replicaAdmin`select pg_wal_replay_resume()`;
    }
    expect(await pendingPairsOfA()).toHaveLength(3);
    console.log(
      `replica drill: duplicate_scan reads=${onReplica.reads} pairs=${onReplica.pairs} same_as_primary=true lagging_reads=primary`,
    );
  });

  it("reads tenant A's dashboards on the replica, the same figures as on the primary", async () => {
    await ok(adminA, 'orders.create', {
      customerId: (await ok(adminA, 'customers.create', { name: '甲方看板客户', kind: 'company' })).id,
      orderedAt: '2026-11-15',
      lines: [{ product: '看板演练商品', quantity: 2, unitPrice: '150.00' }],
    });
    const replicaServer = createApp({
      dependencies: createDependencies(reading, createMemoryLogger(), PUBLIC_URL),
      publicUrl: PUBLIC_URL,
    });
    const onReplicaClient = new TrpcClient(replicaServer, { cookie: adminA.cookie });
    const input = { dashboard: 'management', from: '2026-10-01', to: '2027-01-01' };
    const before = readFileSync(replica.logFile, 'utf8').length;
    const onReplica = await onReplicaClient.call('dashboards.get', input);
    expect(onReplica.error).toBeNull();
    const log = readFileSync(replica.logFile, 'utf8').slice(before);
    expect(log).toMatch(new RegExp(`crm_app:.*\\$1 = '${tenantA.tenantId}'`));
    // (the statements of this window are the dashboard's: its figures read orders there)
    expect(log).toMatch(/\bfrom "?orders"?/);
    const onPrimary = await adminA.call('dashboards.get', input);
    expect(onPrimary.error).toBeNull();
    const figures = (data: { kpis: unknown }) => JSON.stringify(data.kpis);
    expect(figures(onReplica.data)).toBe(figures(onPrimary.data));
    const workbench = await onReplicaClient.call('dashboards.workbench', {
      from: '2026-10-01',
      to: '2027-01-01',
    });
    expect(workbench.error).toBeNull();
    expect(JSON.stringify(workbench.data.kpis)).toBe(
      JSON.stringify(
        (await adminA.call('dashboards.workbench', { from: '2026-10-01', to: '2027-01-01' })).data.kpis,
      ),
    );
    expect(JSON.stringify(onReplica.data)).not.toContain('乙方');
  });

  it('reads from the primary while the replica is down, and from the replica again once it is back', async () => {
    await replica.stop();
    await createCustomer(adminA, '甲方客户四号');
    const started = Date.now();
    const down = await exportA(reading);
    const seconds = (Date.now() - started) / 1000;
    expect(down.outcome.reads).toBe('unreachable');
    expect(down.text).toContain('甲方客户四号');
    expect(down.text).not.toContain('乙方客户');
    await replica.start();
    // postgres.js connects again on its own: within a deadline the replica serves again.
    const deadline = Date.now() + 60_000;
    let again = await exportA(reading);
    while (again.outcome.reads !== 'replica' && Date.now() < deadline) again = await exportA(reading);
    expect(again.outcome.reads).toBe('replica');
    expect(again.text).toContain('甲方客户四号');
    console.log(`replica drill: replica_down_export_seconds=${seconds.toFixed(1)} fallback=primary`);
  });
});
