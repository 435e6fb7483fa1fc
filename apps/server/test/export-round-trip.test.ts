import { runExport, runImport } from '@crm/api';
import { sql } from '@crm/db';
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
 * An export of customers imports again without losing what an import brought (issue 15):
 * 首次合作时间, 纪念日 and the opening balance (期初数据) go out under headers the import maps
 * back — also when the file carries the derived figures (近12个月金额, 订单数 …) beside them.
 */

let server: TestServer;
let source: SeededTenant;
let target: SeededTenant;
let sourceAdmin: TrpcClient;
let sourceAdminEn: TrpcClient;
let targetAdmin: TrpcClient;

/** n days ago in Beijing, as YYYY-MM-DD. */
function beijingDate(daysAgo: number): string {
  return new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

async function ok(client: TrpcClient, path: string, input?: unknown) {
  const result = await client.call(path, input);
  expect(result.error, `${path}: ${JSON.stringify(result.error)}`).toBeNull();
  return result.data;
}

const COLUMNS = [
  'name',
  'kind',
  'phone',
  'amount12m',
  'amountLifetime',
  'orderCount',
  'lastDealAt',
  'firstCooperationOn',
  'anniversaryOn',
  'openingAmount12m',
  'openingAmountLifetime',
  'openingOrderCount',
  'openingLastDealOn',
  'openingAsOf',
];

async function exportCustomers(client: TrpcClient, tenantId: string, format: 'csv' | 'xlsx') {
  const run = await ok(client, 'exports.create', { entity: 'customers', format, columns: COLUMNS });
  await runExport(server.database, tenantId, run.id);
  expect((await ok(client, 'exports.get', { id: run.id })).status).toBe('done');
  const response = await server.app.request(`http://localhost:3000/api/exports/${run.id}/file`, {
    headers: { cookie: client.cookie as string },
  });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

/** Uploads a file, maps it by the upload's suggestions (as the wizard does) and runs the import. */
async function importFile(
  client: TrpcClient,
  tenantId: string,
  bytes: Uint8Array,
  fileName: string,
  onMatch: 'skip' | 'update',
) {
  const response = await server.app.request(
    'http://localhost:3000/api/imports/files',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent(fileName),
        cookie: client.cookie as string,
        origin: PUBLIC_URL,
      },
      body: bytes,
    },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  expect(response.status).toBe(201);
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  const uploaded = (await response.json()) as any;
  const suggestions = uploaded.suggestions.customers as Record<string, string | null>;
  const mapping = Object.fromEntries(
    Object.entries(suggestions).filter((entry): entry is [string, string] => entry[1] !== null),
  );
  const started = await ok(client, 'imports.start', {
    fileId: uploaded.fileId,
    entity: 'customers',
    mapping,
    dryRun: false,
    onMatch,
  });
  await runImport(server.dependencies, tenantId, started.runId);
  const run = await ok(client, 'imports.get', { runId: started.runId });
  expect(run.status, JSON.stringify(run)).toBe('committed');
  return { run, mapping };
}

async function customerNamed(client: TrpcClient, tenantId: string, name: string) {
  const found = await server.database.withTenant(tenantId, (trx) =>
    trx.selectFrom('customers').select('id').where('name', '=', name).executeTakeFirstOrThrow(),
  );
  return ok(client, 'customers.get', { id: found.id });
}

const NAME = '杭州云帆科技有限公司';
const expected = () => ({
  name: NAME,
  kind: 'company',
  firstCooperationOn: '2019-03-05',
  anniversaryOn: '2015-10-01',
  openingBalance: {
    asOf: beijingDate(20),
    amount12m: '1200.50',
    amountLifetime: '56000.00',
    orderCount: 18,
    lastDealOn: beijingDate(25),
  },
});

beforeAll(async () => {
  server = await createTestServer();
  source = await seedTenant(server.database, '导出往返源企业');
  target = await seedTenant(server.database, '导出往返目标企业');
  sourceAdmin = await signedInClient(server, source.users.admin.id, source.tenantId);
  sourceAdminEn = await signedInClient(server, source.users.admin.id, source.tenantId, {
    headers: { 'x-locale': 'en' },
  });
  targetAdmin = await signedInClient(server, target.users.admin.id, target.tenantId);
  const created = await ok(sourceAdmin, 'customers.create', {
    kind: 'company',
    name: NAME,
    phone: '0571-8755 8212',
    firstCooperationOn: '2019-03-05',
    anniversaryOn: '2015-10-01',
  });
  // The opening balance an earlier import left, and an order after its as-of date on top.
  await server.database.withTenant(source.tenantId, (trx) =>
    sql`insert into customer_opening_balances (tenant_id, customer_id, as_of, amount_12m, amount_lifetime,
        order_count, last_deal_on)
      values (${source.tenantId}, ${created.id}, ${beijingDate(20)}::date, 1200.50, 56000, 18,
        ${beijingDate(25)}::date)`.execute(trx),
  );
  await ok(sourceAdmin, 'orders.create', {
    customerId: created.id,
    orderedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    amount: '300',
  });
  expect(await ok(sourceAdmin, 'customers.get', { id: created.id })).toMatchObject({
    ...expected(),
    orderCount: 19,
  });
});
afterAll(() => server?.destroy());

describe('export → import round trip', () => {
  it('a Chinese CSV brings 首次合作时间, 纪念日 and the opening balance to another tenant unchanged', async () => {
    const bytes = await exportCustomers(sourceAdmin, source.tenantId, 'csv');
    const header = new TextDecoder().decode(bytes).split('\n')[0] as string;
    expect(header).toContain(
      '首次合作时间,纪念日,期初近12个月交易额,期初累计交易额,期初订单数,期初最近交易日期,期初数据截止日期',
    );
    const { mapping } = await importFile(targetAdmin, target.tenantId, bytes, '客户导出.csv', 'skip');
    // The opening figures come from their own columns, not from the derived ones beside them.
    expect(mapping).toMatchObject({
      首次合作时间: 'first_cooperation_on',
      纪念日: 'anniversary_on',
      期初近12个月交易额: 'opening.amount_12m',
      期初累计交易额: 'opening.amount_lifetime',
      期初订单数: 'opening.order_count',
      期初最近交易日期: 'opening.last_deal_on',
      期初数据截止日期: 'opening.as_of',
    });
    expect(Object.values(mapping).filter((key) => key === 'opening.order_count')).toHaveLength(1);
    expect(await customerNamed(targetAdmin, target.tenantId, NAME)).toMatchObject({
      ...expected(),
      phone: '+8657187558212',
      orderCount: 18,
    });
  });

  it('an English Excel file imported over the same customer changes none of them', async () => {
    const bytes = await exportCustomers(sourceAdminEn, source.tenantId, 'xlsx');
    await importFile(sourceAdmin, source.tenantId, bytes, 'customers.xlsx', 'update');
    expect(await customerNamed(sourceAdmin, source.tenantId, NAME)).toMatchObject({
      ...expected(),
      orderCount: 19,
    });
  });
});
