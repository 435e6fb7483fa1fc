import { pruneExpiredExports, runExport } from '@crm/api';
import { sql } from '@crm/db';
import ExcelJS from 'exceljs';
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
import { createTeamIn } from './procedure-cases';

let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;
let admin: TrpcClient;
let manager: TrpcClient;
let rep: TrpcClient;
let analyst: TrpcClient;

async function ok(client: TrpcClient, path: string, input?: unknown) {
  const result = await client.call(path, input);
  expect(result.error, `${path}: ${JSON.stringify(result.error)}`).toBeNull();
  return result.data;
}

/** Queues an export, runs its job (the queue is not started in tests) and downloads the file. */
async function exportFile(client: TrpcClient, input: Record<string, unknown>) {
  const run = await ok(client, 'exports.create', input);
  expect(run.status).toBe('queued');
  await runExport(server.database, tenant.tenantId, run.id);
  const done = await ok(client, 'exports.get', { id: run.id });
  expect(done.status).toBe('done');
  const response = await download(client, run.id);
  expect(response.status).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect(bytes.byteLength).toBe(done.fileSize);
  return { run: done, response, bytes };
}

function download(client: TrpcClient, id: string, cookie = client.cookie) {
  return server.app.request(`http://localhost:3000/api/exports/${id}/file`, {
    headers: cookie ? { cookie } : {},
  });
}

/** A minimal RFC 4180 reader for the tests (quoted fields, doubled quotes, line breaks in quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (character !== '\r') field += character;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function csvRows(bytes: Uint8Array): string[][] {
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1));
}

let teamId: string;
let vipTag: string;
let customerIds: { formula: string; plus: string; comma: string; plain: string };

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '导出测试企业');
  other = await seedTenant(server.database, '另一家企业');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
  manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
  rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
  analyst = await signedInClient(server, tenant.users.analyst.id, tenant.tenantId);
  teamId = await createTeamIn(server, tenant.tenantId, '华东团队');
  await ok(admin, 'teams.assign', { userId: tenant.users.sales_manager.id, teamId });
  await ok(admin, 'teams.assign', { userId: tenant.users.sales_rep.id, teamId });
  vipTag = (await ok(admin, 'tags.create', { name: '重点客户', color: 'red' })).id;
  await ok(admin, 'customFields.create', {
    key: 'grade',
    labelZh: '客户等级',
    labelEn: 'Grade',
    type: 'enum',
    options: [
      { value: 'a', labelZh: 'A 级', labelEn: 'Grade A' },
      { value: 'b', labelZh: 'B 级', labelEn: 'Grade B' },
    ],
  });
  const make = async (name: string, extra: Record<string, unknown>) =>
    (await ok(admin, 'customers.create', { name, kind: 'company', ...extra })).id as string;
  customerIds = {
    formula: await make('=HYPERLINK("http://evil.example","点我")', {
      tagIds: [vipTag],
      ownerUserId: tenant.users.sales_rep.id,
      customFields: { grade: 'a' },
    }),
    plus: await make('+1 公司', { ownerUserId: tenant.users.sales_manager.id, industry: '@制造' }),
    comma: await make('甲, "乙" 有限公司', { tagIds: [vipTag], ownerUserId: tenant.users.admin.id }),
    // A person: 身份证号 and 银行卡号 are individuals' fields.
    plain: await make('普通客户', {
      kind: 'person',
      ownerUserId: tenant.users.admin.id,
      customFields: { grade: 'b' },
    }),
  };
  const orderOf = (customerId: string, amount: string, status: string, method: string, day: string) =>
    ok(admin, 'orders.create', {
      customerId,
      amount,
      status,
      paymentMethod: method,
      orderedAt: `${day}T10:00:00+08:00`,
      note: '-备注',
    });
  await orderOf(customerIds.formula, '1280.5', 'completed', 'alipay', '2026-10-01');
  await orderOf(customerIds.plain, '99', 'pending', 'cash', '2026-11-01');
  await orderOf(customerIds.comma, '5000', 'completed', 'wechat_pay', '2026-11-02');
  await ok(admin, 'interactions.log', {
    customerId: customerIds.plain,
    kind: 'visit',
    summary: '上门拜访，客户对价格有顾虑',
    sentiment: 'complaint',
    occurredAt: '2026-11-03T09:30:00+08:00',
  });
  await ok(admin, 'interactions.log', {
    customerId: customerIds.formula,
    kind: 'call',
    summary: '电话回访',
    occurredAt: '2026-11-04T09:30:00+08:00',
  });
});
afterAll(() => server.destroy());

describe('customer export (CSV)', () => {
  it('has a BOM, headers in the caller’s language, the list’s filters, sort and columns, labels and names', async () => {
    const filters = { tagIds: [vipTag] };
    const columns = ['kind', 'tags', 'owner', 'custom:grade', 'amount12m', 'createdAt'];
    const { bytes, response } = await exportFile(admin, {
      entity: 'customers',
      format: 'csv',
      filters,
      columns,
      sort: { sort: 'name', direction: 'asc' },
    });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="___\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toMatch(
      /^客户_\d{4}-\d{2}-\d{2}\.csv$/,
    );

    const rows = csvRows(bytes);
    expect(rows[0]).toEqual(['名称', '类型', '标签', '负责人', '客户等级', '近12个月金额', '创建时间']);
    const list = await ok(admin, 'customers.list', {
      ...filters,
      sort: 'name',
      direction: 'asc',
      limit: 100,
    });
    expect(rows.slice(1).map((row) => row[0]?.replace(/^'/, ''))).toEqual(
      list.items.map((item: { name: string }) => item.name),
    );
    const formula = rows.find((row) => row[0]?.includes('HYPERLINK'));
    expect(formula).toEqual([
      `'=HYPERLINK("http://evil.example","点我")`,
      '企业',
      '重点客户',
      `${tenant.name}-sales_rep`,
      'A 级',
      '1280.50',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
    ]);
    expect(rows.find((row) => row[0] === '甲, "乙" 有限公司')?.[1]).toBe('企业');
  });

  it('guards every cell a spreadsheet would run as a formula', async () => {
    const { bytes } = await exportFile(admin, {
      entity: 'customers',
      format: 'csv',
      columns: ['industry'],
      sort: { sort: 'name', direction: 'asc' },
    });
    const rows = csvRows(bytes).slice(1);
    expect(rows.find((row) => row[0]?.includes('1 公司'))).toEqual(["'+1 公司", "'@制造"]);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('writes English headers and labels for an English session', async () => {
    const english = await signedInClient(server, tenant.users.admin.id, tenant.tenantId, {
      headers: { 'x-locale': 'en' },
    });
    const run = await ok(english, 'exports.create', {
      entity: 'customers',
      format: 'csv',
      columns: ['kind', 'stage'],
    });
    expect(run.fileName).toMatch(/^customers_\d{4}-\d{2}-\d{2}\.csv$/);
    await runExport(server.database, tenant.tenantId, run.id);
    const rows = csvRows(new Uint8Array(await (await download(english, run.id)).arrayBuffer()));
    expect(rows[0]).toEqual(['Name', 'Type', 'Lifecycle stage']);
    expect(new Set(rows.slice(1).map((row) => row[1]))).toEqual(new Set(['Company', 'Person']));
  });

  it('applies record access: a sales manager exports only his team’s customers', async () => {
    const { bytes } = await exportFile(manager, { entity: 'customers', format: 'csv', columns: ['owner'] });
    const names = csvRows(bytes)
      .slice(1)
      .map((row) => row[0]?.replace(/^'/, ''));
    const list = await ok(manager, 'customers.list', { limit: 100 });
    expect(names.sort()).toEqual(list.items.map((item: { name: string }) => item.name).sort());
    expect(names).toHaveLength(2);
    expect(names).not.toContain('普通客户');
  });

  it('masks sensitive fields', async () => {
    await ok(admin, 'customers.update', {
      id: customerIds.plain,
      nationalId: '11010519491231002X',
      bankCard: '6222020200112233446',
    });
    const { bytes } = await exportFile(admin, {
      entity: 'customers',
      format: 'csv',
      columns: ['nationalId', 'bankCard'],
      filters: { search: '普通客户' },
    });
    const text = new TextDecoder().decode(bytes);
    expect(text).not.toContain('11010519491231002X');
    expect(text).not.toContain('6222020200112233446');
    expect(csvRows(bytes)[1]).toEqual(['普通客户', '**** 002X', '**** 3446']);
  });

  it('reveals them only to a role that may, when asked, and audits each customer', async () => {
    const refused = await analyst.call('exports.create', {
      entity: 'customers',
      format: 'csv',
      columns: ['nationalId'],
      revealSensitive: true,
    });
    expect(refused.error?.appCode).toBe('FORBIDDEN');
    const { bytes, run } = await exportFile(admin, {
      entity: 'customers',
      format: 'csv',
      columns: ['nationalId', 'bankCard'],
      filters: { search: '普通客户' },
      revealSensitive: true,
    });
    expect(csvRows(bytes)[1]).toEqual(['普通客户', '11010519491231002X', '6222020200112233446']);
    const audits = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('audit_log')
        .select(['actor_user_id', 'customer_id', 'changes'])
        .where('action', '=', 'reveal')
        .where(sql<boolean>`changes ->> 'export' = ${run.id}`)
        .execute(),
    );
    expect(audits).toEqual([
      {
        actor_user_id: tenant.users.admin.id,
        customer_id: customerIds.plain,
        changes: { fields: ['national_id', 'bank_card'], export: run.id },
      },
    ]);
    expect(JSON.stringify(audits)).not.toContain('002X');
  });
});

describe('customer export (Excel)', () => {
  it('reads back with ExcelJS: headers, text and numbers', async () => {
    const { bytes, response } = await exportFile(admin, {
      entity: 'customers',
      format: 'xlsx',
      columns: ['tags', 'amount12m', 'custom:grade'],
      sort: { sort: 'name', direction: 'asc' },
    });
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as never);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const values = (index: number) => (sheet.getRow(index).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['名称', '标签', '近12个月金额', '客户等级']);
    expect(sheet.rowCount).toBe(5);
    const formulaRow = [2, 3, 4, 5].map(values).find((row) => String(row[0]).includes('HYPERLINK'));
    expect(formulaRow).toEqual([`'=HYPERLINK("http://evil.example","点我")`, '重点客户', 1280.5, 'A 级']);
  });
});

describe('orders and interactions', () => {
  it('lists every visible order with filters, and exports the same rows', async () => {
    const filters = { from: '2026-10-15', statuses: ['completed', 'pending'] };
    const list = await ok(admin, 'orders.listAll', filters);
    expect(list.items.map((item: { customerName: string }) => item.customerName)).toEqual([
      '甲, "乙" 有限公司',
      '普通客户',
    ]);
    const { bytes } = await exportFile(admin, {
      entity: 'orders',
      format: 'csv',
      filters,
      columns: ['orderedAt', 'customer', 'amount', 'paymentMethod', 'status', 'note'],
    });
    expect(csvRows(bytes)).toEqual([
      ['下单时间', '客户', '金额', '支付方式', '状态', '备注'],
      ['2026-11-02 10:00', '甲, "乙" 有限公司', '5000.00', '微信支付', '已完成', "'-备注"],
      ['2026-11-01 10:00', '普通客户', '99.00', '现金', '待完成', "'-备注"],
    ]);
    const repList = await ok(rep, 'orders.listAll', {});
    expect(repList.items.map((item: { customerId: string }) => item.customerId)).toEqual([
      customerIds.formula,
    ]);
  });

  it('lists interactions by kind and sentiment, and exports them', async () => {
    const list = await ok(admin, 'interactions.listAll', { sentiments: ['complaint'] });
    expect(list.items).toHaveLength(1);
    const { bytes } = await exportFile(admin, {
      entity: 'interactions',
      format: 'xlsx',
      filters: { kinds: ['visit', 'call'] },
      columns: [],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as never);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['时间', '客户', '联系人']);
    expect((sheet.getRow(2).values as unknown[]).slice(1, 5)).toEqual([
      '2026-11-04 09:30',
      `'=HYPERLINK("http://evil.example","点我")`,
      undefined,
      '电话',
    ]);
    expect(sheet.rowCount).toBe(3);
  });
});

describe('who may export and download', () => {
  it('sales reps cannot export', async () => {
    const refused = await rep.call('exports.create', { entity: 'customers', format: 'csv' });
    expect(refused.error?.appCode).toBe('FORBIDDEN');
    expect((await rep.call('exports.list')).error?.appCode).toBe('FORBIDDEN');
  });

  it('only the creator (or an owner or admin) downloads; other tenants and anonymous callers get nothing', async () => {
    const run = await ok(analyst, 'exports.create', { entity: 'customers', format: 'csv' });
    await runExport(server.database, tenant.tenantId, run.id);
    expect((await download(analyst, run.id)).status).toBe(200);
    expect((await download(admin, run.id)).status).toBe(200);
    const marketing = await signedInClient(server, tenant.users.marketing.id, tenant.tenantId);
    expect((await download(marketing, run.id)).status).toBe(404);
    expect((await marketing.call('exports.get', { id: run.id })).error?.appCode).toBe('EXPORT_NOT_FOUND');
    expect((await download(rep, run.id)).status).toBe(403);
    const stranger = await signedInClient(server, other.users.owner.id, other.tenantId);
    const foreign = await download(stranger, run.id);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('cache-control')).toBe('no-store');
    expect((await stranger.call('exports.get', { id: run.id })).error?.appCode).toBe('EXPORT_NOT_FOUND');
    expect((await download(analyst, run.id, null)).status).toBe(401);
    expect((await download(analyst, 'not-a-uuid')).status).toBe(404);
    const list = await ok(analyst, 'exports.list');
    expect(list.map((item: { id: string }) => item.id)).toContain(run.id);
    expect(await ok(stranger, 'exports.list')).toEqual([]);
  });

  it('answers 409 while the file is being made', async () => {
    const run = await ok(admin, 'exports.create', { entity: 'orders', format: 'csv' });
    const response = await download(admin, run.id);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { code: string }).code).toBe('EXPORT_NOT_READY');
    await runExport(server.database, tenant.tenantId, run.id);
  });
});

describe('big exports and expiry', () => {
  it('streams a big export in bounded chunks, as CSV and as Excel', { timeout: 120_000 }, async () => {
    const count = 20_000;
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`insert into customers (tenant_id, name, kind, phone, owner_user_id)
        select ${tenant.tenantId}::uuid, '批量客户' || lpad(i::text, 6, '0'), 'person', '1380000' || lpad(i::text, 4, '0'),
          ${tenant.users.admin.id}::uuid
        from generate_series(1, ${count}) i`.execute(trx),
    );
    // Fresh statistics, as autovacuum would give them (without them the planner takes the
    // 20,000 new rows for a handful and may pick a nested loop over the search's union).
    if (server.testDatabase.adminUrl) {
      const admin = postgres(server.testDatabase.adminUrl, { max: 1, onnotice: () => {} });
      await admin`analyze customers`;
      await admin.end({ timeout: 1 });
    } else {
      await sql`analyze customers`.execute(server.database.db);
    }
    const before = process.memoryUsage().rss;
    const { bytes, run } = await exportFile(admin, {
      entity: 'customers',
      format: 'csv',
      filters: { search: '批量客户' },
      columns: ['phone', 'owner', 'tags', 'stage'],
      sort: { sort: 'name', direction: 'asc' },
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
    expect(run.rowsTotal).toBe(count);
    expect(run.rowsDone).toBe(count);
    const rows = csvRows(bytes);
    expect(rows).toHaveLength(count + 1);
    expect(rows[1]).toEqual(['批量客户000001', '13800000001', `${tenant.name}-admin`, '', '潜在']);
    expect(rows.at(-1)?.[0]).toBe('批量客户020000');
    const chunks = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('export_file_chunks')
        .select(sql<number>`max(length(bytes))`.as('largest'))
        .select(sql<number>`count(*)::int`.as('count'))
        .where('run_id', '=', run.id)
        .executeTakeFirstOrThrow(),
    );
    expect(chunks.count).toBeGreaterThan(1);
    expect(Number(chunks.largest)).toBeLessThan(1024 * 1024 + 256 * 1024);

    // The same rows as an Excel workbook (always by batches).
    const excel = await exportFile(admin, {
      entity: 'customers',
      format: 'xlsx',
      filters: { search: '批量客户' },
      columns: ['phone', 'stage'],
      sort: { sort: 'name', direction: 'desc' },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(excel.bytes) as never);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.rowCount).toBe(count + 1);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['批量客户020000', '13800002000', '潜在']);
    expect((sheet.getRow(count + 1).values as unknown[]).slice(1, 2)).toEqual(['批量客户000001']);
  });

  it('a consumer that reads COPY output slowly still gets all of it and the connection back', async () => {
    const copyOut = server.database.copyOut;
    if (!copyOut) return; // a PostgreSQL server only
    const statements = [sql`select 1`.compile(server.database.db)];
    for (let round = 0; round < 3; round += 1) {
      const bytes = await copyOut(
        { tenantId: tenant.tenantId },
        statements,
        `copy (select name, phone from customers) to stdout with (format csv)`,
        async (output) => {
          await new Promise((resolve) => setTimeout(resolve, 200));
          let total = 0;
          for await (const chunk of output) {
            total += chunk.byteLength;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          return total;
        },
      );
      expect(bytes).toBeGreaterThan(100_000);
    }
  });

  it('prunes files after they expire', async () => {
    const { run } = await exportFile(admin, { entity: 'orders', format: 'csv' });
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .updateTable('export_runs')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', run.id)
        .execute(),
    );
    const pruned = await server.database.withTenant(tenant.tenantId, (trx) =>
      pruneExpiredExports(trx, tenant.tenantId),
    );
    expect(pruned).toBeGreaterThanOrEqual(1);
    const left = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('export_file_chunks').select('seq').where('run_id', '=', run.id).execute(),
    );
    expect(left).toEqual([]);
    expect((await download(admin, run.id)).status).toBe(404);
    expect((await ok(admin, 'exports.list')).map((item: { id: string }) => item.id)).not.toContain(run.id);
  });
});
