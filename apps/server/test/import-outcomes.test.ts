import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImport } from '@crm/api';
import { sql } from '@crm/db';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  PUBLIC_URL,
  seedTenant,
  sessionCookie,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/**
 * Imports that finish the job: the valid rows of a file with bad ones are committed in one
 * transaction (once), the rest reported; every row's outcome (new, update of which customer by
 * which key, skip and why, error) is stored and paged; the error file is the file's own rows
 * plus 行号 and 错误原因, as CSV and Excel, and imports again once fixed.
 */

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));

let server: TestServer;

const MESSY_MAPPING = {
  客户名称: 'name',
  客户类型: 'kind',
  客户编号: 'customer_number',
  手机: 'phone',
  邮箱: 'email',
  负责人: 'owner',
  标签: 'tags',
  联系人: 'contact.name',
  联系人电话: 'contact.phone',
  成立日期: 'founded_on',
  计划采购金额: 'purchase_plan_amount',
};

const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

async function upload(client: TrpcClient, bytes: Uint8Array | string, name = '客户.csv') {
  const response = await server.app.request(
    'http://localhost:3000/api/imports/files',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent(name),
        cookie: client.cookie ?? '',
        origin: PUBLIC_URL,
      },
      body: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes,
    },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { fileId: string }).fileId;
}

async function start(client: TrpcClient, input: Record<string, unknown>, key?: string) {
  const result = await client.call(
    'imports.start',
    { onMatch: 'skip', ...input },
    key ? { 'idempotency-key': key } : undefined,
  );
  expect(result.error).toBeNull();
  return result.data as { runId: string; alreadyImported: boolean };
}

async function runToEnd(client: TrpcClient, tenantId: string, input: Record<string, unknown>) {
  const started = await start(client, input);
  if (!started.alreadyImported) await runImport(server.dependencies, tenantId, started.runId);
  const run = await client.call('imports.get', { runId: started.runId });
  expect(run.error).toBeNull();
  return { ...started, run: run.data };
}

async function rows(client: TrpcClient, input: Record<string, unknown>) {
  const page = await client.call('imports.rows', input);
  expect(page.error).toBeNull();
  return page.data as {
    items: {
      rowNumber: number;
      outcome: string;
      matchKind: string | null;
      matchValue: string | null;
      matchedId: string | null;
      customerId: string | null;
      customerName: string | null;
      matchedName: string | null;
      reason: string | null;
      message: string | null;
      errors: { column: string; value: string | null; message: string }[];
    }[];
    nextCursor: string | null;
  };
}

async function count(tenantId: string, table: 'customers' | 'orders' | 'interactions') {
  return server.database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(trx);
    return Number(rows[0]?.n);
  });
}

async function download(cookie: string | null, runId: string, format: 'csv' | 'xlsx', locale = 'zh-CN') {
  const headers: Record<string, string> = { 'x-locale': locale };
  if (cookie) headers.cookie = cookie;
  return server.app.request(`http://localhost:3000/api/imports/runs/${runId}/errors.${format}`, { headers });
}

/** A CSV the report wrote, as rows of cells (no quoted commas here). */
function csvRows(bytes: Uint8Array): string[][] {
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder()
    .decode(bytes.slice(3))
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));
}

beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  if (process.env.DEBUG_IMPORTS)
    console.log(server.logger.lines.filter((line) => line.message === 'import failed'));
  await server?.destroy();
});

describe('skipping the rows with errors', () => {
  it('commits the valid rows of a GBK file with bad ones, reports the others, and a retry imports nothing twice', async () => {
    const t = await seedTenant(server.database, '跳过错误行企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const fileId = await upload(client, fixture('customers-messy-gbk.csv'));
    const input = {
      fileId,
      entity: 'customers',
      mapping: MESSY_MAPPING,
      dryRun: false,
      skipErrorRows: true,
    };
    const key = crypto.randomUUID();
    const started = await start(client, input, key);
    await runImport(server.dependencies, t.tenantId, started.runId);
    const run = (await client.call('imports.get', { runId: started.runId })).data;
    expect(run).toMatchObject({
      status: 'committed',
      skipErrorRows: true,
      totalRows: 6,
      validRows: 3,
      errorRows: 3,
      created: 3,
      outcomes: { new: 3, update: 0, skip: 0, error: 3, candidate: 0 },
    });
    expect(await count(t.tenantId, 'customers')).toBe(3);
    // Every row has its outcome; the skipped ones with every reason.
    const all = await rows(client, { runId: started.runId });
    expect(all.items.map((row) => [row.rowNumber, row.outcome])).toEqual([
      [2, 'new'],
      [3, 'new'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      // Shares only a phone with row 2: another company, kept (docs/imports.md, identity).
      [7, 'new'],
    ]);
    // A new row links to the customer it created.
    expect(all.items[0]?.customerName).toBe('北京（中关村）科技有限公司');
    const row5 = all.items.find((row) => row.rowNumber === 5);
    expect(row5?.errors.map((error) => error.column)).toEqual(['邮箱', '成立日期']);
    // The reason does not repeat the column it is shown under.
    const row4 = all.items.find((row) => row.rowNumber === 4);
    expect(row4?.errors).toEqual([{ column: '客户名称', value: '', message: '不能为空' }]);

    // A retry — the same key, or the same file again — imports nothing twice.
    const again = await start(client, input, key);
    expect(again.runId).toBe(started.runId);
    const reuploaded = await upload(client, fixture('customers-messy-gbk.csv'));
    const second = await start(client, { ...input, fileId: reuploaded });
    expect(second).toEqual({ runId: started.runId, alreadyImported: true });
    await runImport(server.dependencies, t.tenantId, started.runId);
    expect(await count(t.tenantId, 'customers')).toBe(3);
  });

  it('without the choice, a commit of a file with errors still writes nothing', async () => {
    const t = await seedTenant(server.database, '不跳过企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const fileId = await upload(client, fixture('customers-messy-gbk.csv'));
    const { run } = await runToEnd(client, t.tenantId, {
      fileId,
      entity: 'customers',
      mapping: MESSY_MAPPING,
      dryRun: false,
    });
    expect(run).toMatchObject({ status: 'failed', failure: 'HAS_ERRORS', skipErrorRows: false });
    expect(await count(t.tenantId, 'customers')).toBe(0);
  });

  it('is one transaction: a failure after the valid rows are written leaves none of them', async () => {
    const t = await seedTenant(server.database, '跳过回滚企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const fileId = await upload(client, fixture('customers-messy-gbk.csv'));
    const started = await start(client, {
      fileId,
      entity: 'customers',
      mapping: MESSY_MAPPING,
      dryRun: false,
      skipErrorRows: true,
    });
    // On a server the hook reads through another session: the run's rows are not visible
    // there before the commit. PGlite has one session, which the run holds until it ends: a
    // read from the hook would wait for the run, and the run for the hook.
    const otherSession = server.database.kind === 'postgres';
    let written = -1;
    await runImport(server.dependencies, t.tenantId, started.runId, {
      afterWrite: async () => {
        if (otherSession) written = await count(t.tenantId, 'customers');
        throw new Error('injected failure');
      },
    });
    if (otherSession) expect(written).toBe(0);
    const run = (await client.call('imports.get', { runId: started.runId })).data;
    expect(run).toMatchObject({ status: 'failed', failure: 'INTERNAL', created: 0 });
    expect(await count(t.tenantId, 'customers')).toBe(0);
    expect((await rows(client, { runId: started.runId })).items).toEqual([]);
    // The file can be committed again afterwards.
    const retry = await start(client, {
      fileId,
      entity: 'customers',
      mapping: MESSY_MAPPING,
      dryRun: false,
      skipErrorRows: true,
    });
    expect(retry.alreadyImported).toBe(false);
    await runImport(server.dependencies, t.tenantId, retry.runId);
    expect(await count(t.tenantId, 'customers')).toBe(3);
  });

  it('orders: a bad line leaves its whole order out; interactions: an unknown customer’s row is skipped', async () => {
    const t = await seedTenant(server.database, '订单跳过企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    await runToEnd(client, t.tenantId, {
      fileId: await upload(client, csv(['名称,编号', '订单客户,K-1'])),
      entity: 'customers',
      mapping: { 名称: 'name', 编号: 'customer_number' },
      dryRun: false,
    });
    const orders = await runToEnd(client, t.tenantId, {
      fileId: await upload(
        client,
        csv([
          '客户编号,订单号,下单日期,金额,产品,数量,单价',
          'K-1,SO-1,2026-01-05,1000,螺丝,10,50',
          'K-1,SO-1,2026-01-05,1000,螺母,很多,100',
          'K-1,SO-2,2026-01-06,300,,,',
          'K-9,SO-3,2026-01-07,200,,,',
        ]),
      ),
      entity: 'orders',
      mapping: {
        客户编号: 'customer.number',
        订单号: 'order_number',
        下单日期: 'ordered_at',
        金额: 'amount',
        产品: 'line.product',
        数量: 'line.quantity',
        单价: 'line.unit_price',
      },
      dryRun: false,
      skipErrorRows: true,
    });
    expect(orders.run).toMatchObject({ status: 'committed', created: 1, errorRows: 3 });
    const outcomes = await rows(client, { runId: orders.runId });
    expect(outcomes.items.map((row) => [row.rowNumber, row.outcome, row.reason])).toEqual([
      [2, 'error', 'ORDER_OTHER_ROW_ERROR'],
      [3, 'error', 'NUMBER_FORMAT'],
      [4, 'new', null],
      [5, 'error', 'CUSTOMER_NOT_FOUND'],
    ]);
    expect(outcomes.items[0]?.errors[0]?.message).toBe(
      '同一订单（订单号 SO-1）的第 3 行有错误，整张订单一起跳过',
    );
    expect(outcomes.items[2]?.customerName).toBe('订单客户');
    expect(await count(t.tenantId, 'orders')).toBe(1);

    const interactions = await runToEnd(client, t.tenantId, {
      fileId: await upload(
        client,
        csv(['客户编号,方式,时间,内容', 'K-1,电话,2026-03-01 10:30,确认报价', 'K-9,拜访,2026-03-02,上门']),
      ),
      entity: 'interactions',
      mapping: { 客户编号: 'customer.number', 方式: 'kind', 时间: 'occurred_at', 内容: 'summary' },
      dryRun: false,
      skipErrorRows: true,
    });
    expect(interactions.run).toMatchObject({ status: 'committed', created: 1, errorRows: 1 });
    expect(await count(t.tenantId, 'interactions')).toBe(1);
  });
});

describe('row outcomes', () => {
  it('says for each row: new, update of which customer by which key, skip and why, error — filtered and paged', async () => {
    const t = await seedTenant(server.database, '结果明细企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const mapping = { 名称: 'name', 编号: 'customer_number', 信用代码: 'credit_code', 邮箱: 'email' };
    await runToEnd(client, t.tenantId, {
      fileId: await upload(
        client,
        csv([
          '名称,编号,信用代码,邮箱',
          '杭州甲科技有限公司,A-1,,',
          '杭州乙贸易有限公司,,91110108MA01ABCD1E,',
          '杭州丙餐饮有限公司,,,',
        ]),
      ),
      entity: 'customers',
      mapping,
      dryRun: false,
    });
    const existing = await server.database.withTenant(t.tenantId, (trx) =>
      trx.selectFrom('customers').select(['id', 'name']).execute(),
    );
    const idOf = (name: string) => existing.find((row) => row.name === name)?.id;
    const file = csv([
      '名称,编号,信用代码,邮箱',
      '甲公司新名字,A-1,,',
      '乙公司,,91110108MA01ABCD1E,',
      '杭州丙餐饮有限公司,,,',
      '杭州丁制造有限公司,,,',
      '戊公司,,,bad@',
    ]);
    const dry = await runToEnd(client, t.tenantId, {
      fileId: await upload(client, file),
      entity: 'customers',
      mapping,
      onMatch: 'update',
      dryRun: true,
    });
    expect(dry.run.outcomes).toEqual({ new: 1, update: 3, skip: 0, error: 1, candidate: 0 });
    const all = await rows(client, { runId: dry.runId });
    expect(
      all.items.map((row) => [row.rowNumber, row.outcome, row.matchKind, row.matchedId, row.matchedName]),
    ).toEqual([
      [2, 'update', 'customer_number', idOf('杭州甲科技有限公司'), '杭州甲科技有限公司'],
      [3, 'update', 'credit_code', idOf('杭州乙贸易有限公司'), '杭州乙贸易有限公司'],
      [4, 'update', 'name', idOf('杭州丙餐饮有限公司'), '杭州丙餐饮有限公司'],
      [5, 'new', null, null, null],
      [6, 'error', null, null, null],
    ]);
    expect(all.items[1]?.matchValue).toBe('91110108MA01ABCD1E');
    expect(all.items[4]?.errors[0]).toMatchObject({ column: '邮箱', value: 'bad@' });

    // By outcome, a page at a time.
    const first = await rows(client, { runId: dry.runId, outcome: 'update', limit: 2 });
    expect(first.items.map((row) => row.rowNumber)).toEqual([2, 3]);
    const second = await rows(client, {
      runId: dry.runId,
      outcome: 'update',
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((row) => row.rowNumber)).toEqual([4]);
    expect(second.nextCursor).toBeNull();
    expect(
      (await rows(client, { runId: dry.runId, outcome: 'error' })).items.map((row) => row.rowNumber),
    ).toEqual([6]);

    // Skip: the same rows, skipped, each with why, in the caller's language.
    const skipped = await runToEnd(client, t.tenantId, {
      fileId: await upload(client, file),
      entity: 'customers',
      mapping,
      onMatch: 'skip',
      dryRun: true,
    });
    expect(skipped.run.outcomes).toMatchObject({ new: 1, update: 0, skip: 3, error: 1 });
    const english = await signedInClient(server, t.users.owner.id, t.tenantId, {
      headers: { 'x-locale': 'en' },
    });
    const skip = await rows(english, { runId: skipped.runId, outcome: 'skip', limit: 1 });
    expect(skip.items[0]).toMatchObject({ reason: 'EXISTING_SKIPPED', matchKind: 'customer_number' });
    expect(skip.items[0]?.message).toContain('Already a customer');
  });

  it('is the tenant’s own: another tenant’s run does not exist, and a sales rep cannot read it', async () => {
    const t = await seedTenant(server.database, '结果隔离企业');
    const other = await seedTenant(server.database, '结果隔离另一家');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const dry = await runToEnd(client, t.tenantId, {
      fileId: await upload(client, csv(['名称', '隔离客户'])),
      entity: 'customers',
      mapping: { 名称: 'name' },
      dryRun: true,
    });
    const outsider = await signedInClient(server, other.users.owner.id, other.tenantId);
    expect((await outsider.call('imports.rows', { runId: dry.runId })).error?.appCode).toBe(
      'IMPORT_RUN_NOT_FOUND',
    );
    const rep = await signedInClient(server, t.users.sales_rep.id, t.tenantId);
    expect((await rep.call('imports.rows', { runId: dry.runId })).error?.code).toBe('FORBIDDEN');
  });
});

describe('the error file', () => {
  it('is the original rows with 行号 and 错误原因, as CSV and Excel (digits as text), and imports again once fixed', async () => {
    const t = await seedTenant(server.database, '错误文件企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const mapping = { 公司名称: 'name', 手机: 'phone', 信用代码: 'credit_code', 邮箱: 'email' };
    const file = csv([
      '公司名称,备注,手机,信用代码,邮箱',
      '宁波好运五金有限公司,老客户,13800138000,91440300MA5FQWER2T,nb@',
      '温州顺达物流有限公司,展会,13900139000,91310115MA1K3TYU4Q,wz@example.com',
      ',无名,13700137000,,',
    ]);
    const dry = await runToEnd(client, t.tenantId, {
      fileId: await upload(client, file, '客户名单.csv'),
      entity: 'customers',
      mapping,
      dryRun: true,
    });
    expect(dry.run).toMatchObject({ errorRows: 2, validRows: 1 });

    const csvResponse = await download(client.cookie, dry.runId, 'csv');
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get('content-disposition')).toContain(
      encodeURIComponent('客户名单-错误行.csv'),
    );
    const lines = csvRows(new Uint8Array(await csvResponse.arrayBuffer()));
    expect(lines).toEqual([
      ['公司名称', '备注', '手机', '信用代码', '邮箱', '行号', '错误原因'],
      [
        '宁波好运五金有限公司',
        '老客户',
        '13800138000',
        '91440300MA5FQWER2T',
        'nb@',
        '2',
        '邮箱：邮箱“nb@”格式不正确',
      ],
      ['', '无名', '13700137000', '', '', '4', '公司名称：不能为空'],
    ]);
    const english = csvRows(
      new Uint8Array(await (await download(client.cookie, dry.runId, 'csv', 'en')).arrayBuffer()),
    );
    expect(english[0]?.slice(-2)).toEqual(['Row', 'Error']);

    // Excel: every cell text, so long digit strings stay as typed.
    const xlsxResponse = await download(client.cookie, dry.runId, 'xlsx');
    expect(xlsxResponse.status).toBe(200);
    expect(xlsxResponse.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsxResponse.arrayBuffer());
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      '公司名称',
      '备注',
      '手机',
      '信用代码',
      '邮箱',
      '行号',
      '错误原因',
    ]);
    const phone = sheet.getRow(2).getCell(3);
    expect(phone.value).toBe('13800138000');
    expect(phone.type).toBe(ExcelJS.ValueType.String);
    expect(phone.numFmt).toBe('@');
    expect(sheet.getRow(2).getCell(4).value).toBe('91440300MA5FQWER2T');
    expect(sheet.rowCount).toBe(3);

    // Fixed in Excel and uploaded again: it imports (the two added columns are left out).
    sheet.getRow(2).getCell(5).value = 'nb@example.com';
    sheet.getRow(3).getCell(1).value = '台州无名机电有限公司';
    const fixed = new Uint8Array(await workbook.xlsx.writeBuffer());
    const again = await runToEnd(client, t.tenantId, {
      fileId: await upload(client, fixed, '客户名单-错误行.xlsx'),
      entity: 'customers',
      mapping,
      dryRun: false,
    });
    expect(again.run).toMatchObject({ status: 'committed', created: 2, errorRows: 0 });
    const stored = await server.database.withTenant(t.tenantId, (trx) =>
      trx
        .selectFrom('customers')
        .select(['name', 'phone', 'credit_code', 'email'])
        .where('name', '=', '宁波好运五金有限公司')
        .executeTakeFirstOrThrow(),
    );
    expect(stored).toEqual({
      name: '宁波好运五金有限公司',
      phone: '+8613800138000',
      credit_code: '91440300MA5FQWER2T',
      email: 'nb@example.com',
    });

    // The CSV fixed as text imports too; its own 行号 / 错误原因 columns are not doubled.
    const fixedCsv = new TextDecoder()
      .decode(new Uint8Array(await (await download(client.cookie, dry.runId, 'csv')).arrayBuffer()))
      .replace('nb@,', 'nb2@example.com,')
      .replace('宁波好运五金有限公司', '宁波好运二厂有限公司')
      .replace('91440300MA5FQWER2T', '');
    const csvDry = await runToEnd(client, t.tenantId, {
      fileId: await upload(client, fixedCsv, '客户名单-错误行.csv'),
      entity: 'customers',
      mapping,
      dryRun: true,
    });
    expect(csvDry.run).toMatchObject({ errorRows: 1, validRows: 1 });
    const second = csvRows(
      new Uint8Array(await (await download(client.cookie, csvDry.runId, 'csv')).arrayBuffer()),
    );
    expect(second[0]).toEqual(['公司名称', '备注', '手机', '信用代码', '邮箱', '行号', '错误原因']);
    expect(second).toHaveLength(2);
  });

  it('is refused to a caller without customers.import and to another tenant', async () => {
    const t = await seedTenant(server.database, '错误文件隔离企业');
    const other = await seedTenant(server.database, '错误文件另一家');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const dry = await runToEnd(client, t.tenantId, {
      fileId: await upload(client, csv(['名称,邮箱', '某公司,bad@'])),
      entity: 'customers',
      mapping: { 名称: 'name', 邮箱: 'email' },
      dryRun: true,
    });
    for (const format of ['csv', 'xlsx'] as const) {
      expect((await download(null, dry.runId, format)).status).toBe(401);
      const rep = await sessionCookie(server, t.users.sales_rep.id, t.tenantId);
      expect((await download(rep, dry.runId, format)).status).toBe(403);
      const outsider = await sessionCookie(server, other.users.owner.id, other.tenantId);
      expect((await download(outsider, dry.runId, format)).status).toBe(404);
    }
  });
});
