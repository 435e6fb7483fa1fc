import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCipher, jobScope, runImport } from '@crm/api';
import { sql } from '@crm/db';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  PUBLIC_URL,
  type SeededTenant,
  seedTenant,
  sessionCookie,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));

let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;
let owner: TrpcClient;

const CUSTOMER_MAPPING = {
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

type UploadOptions = { cookie?: string | null; origin?: string | null; contentType?: string; name?: string };

async function upload(bytes: Uint8Array | string, options: UploadOptions = {}) {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/octet-stream',
    'x-file-name': encodeURIComponent(options.name ?? '客户.csv'),
  };
  const cookie = options.cookie === undefined ? owner.cookie : options.cookie;
  if (cookie) headers.cookie = cookie;
  const origin = options.origin === undefined ? PUBLIC_URL : options.origin;
  if (origin) headers.origin = origin;
  const response = await server.app.request(
    'http://localhost:3000/api/imports/files',
    { method: 'POST', headers, body: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  return { status: response.status, body: (await response.json()) as any };
}

async function start(client: TrpcClient, input: Record<string, unknown>) {
  const result = await client.call('imports.start', { onMatch: 'skip', ...input });
  expect(result.error).toBeNull();
  return result.data as { runId: string; alreadyImported: boolean };
}

/** Starts a run and runs its job here (the queue's workers are not started in tests). */
async function runToEnd(client: TrpcClient, tenantId: string, input: Record<string, unknown>) {
  const started = await start(client, input);
  if (!started.alreadyImported) await runImport(server.dependencies, tenantId, started.runId);
  const run = await client.call('imports.get', { runId: started.runId });
  expect(run.error).toBeNull();
  return { ...started, run: run.data };
}

async function customerCount(tenantId: string) {
  return server.database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ n: string }>`select count(*) as n from customers`.execute(trx);
    return Number(rows[0]?.n);
  });
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '导入测试企业');
  other = await seedTenant(server.database, '另一家企业');
  owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
});
afterAll(async () => {
  if (process.env.DEBUG_IMPORTS)
    console.log(server.logger.lines.filter((line) => line.message === 'import failed'));
  await server?.destroy();
});

describe('upload', () => {
  it('stores a GBK file and answers with its headers, preview and suggested mapping', async () => {
    const { status, body } = await upload(fixture('customers-messy-gbk.csv'));
    expect(status).toBe(201);
    expect(body.format).toBe('csv');
    expect(body.encoding).toBe('gb18030');
    expect(body.headers[0]).toBe('客户名称');
    expect(body.preview[0].rowNumber).toBe(2);
    expect(body.preview[0].cells[0]).toBe('北京（中关村）科技有限公司');
    expect(body.suggestions.customers.客户名称).toBe('name');
    expect(body.suggestions.customers.手机).toBe('phone');
    expect(body.targets.customers.some((target: { key: string }) => target.key === 'name')).toBe(true);
  });

  it('refuses a request without a session, a role without customers.import, another origin or a form post', async () => {
    expect((await upload('a,b\n1,2\n', { cookie: null })).status).toBe(401);
    const rep = await sessionCookie(server, tenant.users.sales_rep.id, tenant.tenantId);
    const refused = await upload('a,b\n1,2\n', { cookie: rep });
    expect(refused.status).toBe(403);
    expect((await upload('a,b\n1,2\n', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await upload('a,b\n1,2\n', { contentType: 'text/plain' })).status).toBe(415);
    expect((await upload('a,b\n1,2\n', { contentType: 'multipart/form-data; boundary=x' })).status).toBe(415);
  });

  it('refuses an empty or unreadable file and stores nothing', async () => {
    const empty = await upload('');
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('IMPORT_FILE_EMPTY');
    const xls = await upload(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), {
      name: 'old.xls',
    });
    expect(xls.status).toBe(400);
    expect(xls.body.code).toBe('IMPORT_FILE_UNREADABLE');
  });
});

describe('dry run and commit of customers', () => {
  it('reports every bad row with its row number, column, value and reason, and writes nothing', async () => {
    const before = await customerCount(tenant.tenantId);
    const { body } = await upload(fixture('customers-messy-gbk.csv'));
    const { run } = await runToEnd(owner, tenant.tenantId, {
      fileId: body.fileId,
      entity: 'customers',
      mapping: CUSTOMER_MAPPING,
      dryRun: true,
    });
    expect(run.status).toBe('validated');
    expect(run.totalRows).toBe(6);
    const errors = run.errors.map((error: { rowNumber: number; column: string; reason: string }) => [
      error.rowNumber,
      error.column,
      error.reason,
    ]);
    expect(errors).toEqual([
      [4, '客户名称', 'REQUIRED'],
      [5, '邮箱', 'EMAIL_INVALID'],
      [5, '成立日期', 'DATE_INVALID'],
      [6, '客户类型', 'ENUM_INVALID'],
      [6, '手机', 'PHONE_INVALID'],
      [6, '负责人', 'MEMBER_NOT_FOUND'],
      [6, '计划采购金额', 'AMOUNT_FORMAT'],
    ]);
    // Row 7 (北京中关村科技有限公司) shares only a phone with row 2 (北京（中关村）科技有限公司):
    // another company, kept and queued as a duplicate candidate, not an error.
    expect(run.errorRows).toBe(3);
    expect(run.validRows).toBe(3);
    expect(run.errors[0].message).toBe('不能为空');
    expect(await customerCount(tenant.tenantId)).toBe(before);
  });

  it('a commit of a file with errors imports nothing and keeps the report', async () => {
    const before = await customerCount(tenant.tenantId);
    const { body } = await upload(fixture('customers-messy-gbk.csv'));
    const { run } = await runToEnd(owner, tenant.tenantId, {
      fileId: body.fileId,
      entity: 'customers',
      mapping: CUSTOMER_MAPPING,
      dryRun: false,
    });
    expect(run.status).toBe('failed');
    expect(run.failure).toBe('HAS_ERRORS');
    expect(run.errorRows).toBe(3);
    expect(await customerCount(tenant.tenantId)).toBe(before);
  });

  it('commits the fixed file, and committing it again creates nothing', async () => {
    const before = await customerCount(tenant.tenantId);
    const { body } = await upload(fixture('customers-fixed-gbk.csv'));
    const first = await runToEnd(owner, tenant.tenantId, {
      fileId: body.fileId,
      entity: 'customers',
      mapping: CUSTOMER_MAPPING,
      dryRun: false,
    });
    expect(first.run.status).toBe('committed');
    expect(first.run.created).toBe(5);
    expect(await customerCount(tenant.tenantId)).toBe(before + 5);
    const rows = await server.database.withTenant(tenant.tenantId, async (trx) =>
      trx
        .selectFrom('customers')
        .select([
          'name',
          'kind',
          'phone',
          'email',
          'founded_on',
          'purchase_plan_amount',
          'tag_ids',
          'completeness',
        ])
        .where('customer_number', '=', 'C-0001')
        .executeTakeFirstOrThrow(),
    );
    expect(rows).toMatchObject({
      name: '北京（中关村）科技有限公司',
      kind: 'company',
      phone: '+8613800138000',
      email: 'sales@example.com',
      founded_on: '2015-03-08',
      purchase_plan_amount: '125000.00',
    });
    expect(rows.tag_ids).toHaveLength(2);
    expect(rows.completeness).toBeGreaterThan(0);

    // The same file again (uploaded anew): a no-op that says so.
    const again = await upload(fixture('customers-fixed-gbk.csv'));
    const second = await start(owner, {
      fileId: again.body.fileId,
      entity: 'customers',
      mapping: CUSTOMER_MAPPING,
      dryRun: false,
    });
    expect(second).toEqual({ runId: first.runId, alreadyImported: true });
    expect(await customerCount(tenant.tenantId)).toBe(before + 5);
  });
});

const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

async function uploadAndRun(
  client: TrpcClient,
  tenantId: string,
  content: string | Uint8Array,
  input: Record<string, unknown>,
  name = '客户.csv',
) {
  const { status, body } = await upload(content, { cookie: client.cookie, name });
  expect(status).toBe(201);
  return runToEnd(client, tenantId, { fileId: body.fileId, ...input });
}

describe('re-imports, updates and skips', () => {
  it('matches existing customers by their keys: skip leaves them, update changes them, nothing doubles', async () => {
    const t = await seedTenant(server.database, '匹配测试企业');
    const client = await signedInClient(server, t.users.admin.id, t.tenantId);
    const mapping = { 名称: 'name', 编号: 'customer_number', 手机: 'phone', 邮箱: 'email', 行业: 'industry' };
    const first = await uploadAndRun(
      client,
      t.tenantId,
      csv([
        '名称,编号,手机,邮箱,行业',
        '甲公司,A-1,13811112222,a@example.com,制造',
        '乙公司,,13833334444,,零售',
      ]),
      { entity: 'customers', mapping, dryRun: false },
    );
    expect(first.run.created).toBe(2);
    // Same customers (by number, by phone in another form) and one new one; a different file.
    const changed = csv([
      '名称,编号,手机,邮箱,行业',
      '甲公司,A-1,,,能源',
      '乙公司（新名）,,+86 138-3333-4444,,',
      '丙公司,,13855556666,,服务',
    ]);
    const dry = await uploadAndRun(client, t.tenantId, changed, {
      entity: 'customers',
      mapping,
      dryRun: true,
    });
    expect(dry.run).toMatchObject({ status: 'validated', created: 1, skipped: 2, updated: 0 });
    const skipped = await uploadAndRun(client, t.tenantId, changed, {
      entity: 'customers',
      mapping,
      dryRun: false,
      onMatch: 'skip',
    });
    expect(skipped.run).toMatchObject({ status: 'committed', created: 1, skipped: 2, updated: 0 });
    expect(await customerCount(t.tenantId)).toBe(3);
    const changedAgain = `${changed}丁公司,,13877778888,,服务\r\n`;
    const updated = await uploadAndRun(client, t.tenantId, changedAgain, {
      entity: 'customers',
      mapping,
      dryRun: false,
      onMatch: 'update',
    });
    expect(updated.run).toMatchObject({ status: 'committed', created: 1, updated: 3, skipped: 0 });
    expect(await customerCount(t.tenantId)).toBe(4);
    const rows = await server.database.withTenant(t.tenantId, (trx) =>
      trx.selectFrom('customers').select(['name', 'industry', 'email']).orderBy('name').execute(),
    );
    expect(rows).toContainEqual({ name: '甲公司', industry: '能源', email: 'a@example.com' });
    expect(rows).toContainEqual({ name: '乙公司（新名）', industry: '零售', email: null });
  });

  it('reads a lunar birthday (生日历法 农历) on create and on update', async () => {
    const t = await seedTenant(server.database, '农历生日企业');
    const client = await signedInClient(server, t.users.admin.id, t.tenantId);
    const mapping = {
      姓名: 'name',
      类型: 'kind',
      手机: 'phone',
      生日: 'birthday',
      历法: 'birthday_calendar',
    };
    const first = await uploadAndRun(
      client,
      t.tenantId,
      csv([
        '姓名,类型,手机,生日,历法',
        '陈秀英,个人,13811112222,1975-08-15,农历',
        '林建国,个人,13833334444,1982-03-02,',
      ]),
      { entity: 'customers', mapping, dryRun: false },
    );
    expect(first.run, JSON.stringify(first.run)).toMatchObject({ status: 'committed', created: 2 });
    const calendars = () =>
      server.database.withTenant(t.tenantId, (trx) =>
        trx.selectFrom('customers').select(['name', 'birthday_calendar']).orderBy('name').execute(),
      );
    expect(await calendars()).toEqual([
      { name: '林建国', birthday_calendar: 'solar' },
      { name: '陈秀英', birthday_calendar: 'lunar' },
    ]);
    // A later file says 林建国's birthday is lunar too; an empty cell keeps 陈秀英's.
    const again = await uploadAndRun(
      client,
      t.tenantId,
      csv([
        '姓名,类型,手机,生日,历法',
        '陈秀英,个人,13811112222,,',
        '林建国,个人,13833334444,1982-03-02,阴历',
      ]),
      { entity: 'customers', mapping, dryRun: false, onMatch: 'update' },
    );
    expect(again.run).toMatchObject({ status: 'committed', updated: 2 });
    expect(await calendars()).toEqual([
      { name: '林建国', birthday_calendar: 'lunar' },
      { name: '陈秀英', birthday_calendar: 'lunar' },
    ]);
    // A value that is neither is an error on its row, naming the column.
    const bad = await uploadAndRun(
      client,
      t.tenantId,
      csv(['姓名,类型,生日,历法', '王芳,个人,1990-01-01,回历']),
      {
        entity: 'customers',
        mapping: { 姓名: 'name', 类型: 'kind', 生日: 'birthday', 历法: 'birthday_calendar' },
        dryRun: true,
      },
    );
    expect(bad.run.errorRows).toBe(1);
  });

  it('the same Idempotency-Key returns the first run', async () => {
    const { body } = await upload(csv(['客户名称', '幂等客户']));
    const key = crypto.randomUUID();
    const input = { fileId: body.fileId, entity: 'customers', mapping: { 客户名称: 'name' }, dryRun: true };
    const first = await owner.call('imports.start', input, { 'idempotency-key': key });
    const second = await owner.call('imports.start', input, { 'idempotency-key': key });
    expect(first.error).toBeNull();
    expect(second.data).toEqual(first.data);
    const runs = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('import_runs').select('id').where('file_id', '=', body.fileId).execute(),
    );
    expect(runs).toHaveLength(1);
  });
});

describe('all or nothing', () => {
  it('a failure after the rows are written rolls every one of them back', async () => {
    const t = await seedTenant(server.database, '回滚测试企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const { body } = await upload(csv(['客户名称,标签,联系人', '回滚一,新标签,张三', '回滚二,,李四']), {
      cookie: client.cookie,
    });
    const started = await start(client, {
      fileId: body.fileId,
      entity: 'customers',
      mapping: { 客户名称: 'name', 标签: 'tags', 联系人: 'contact.name' },
      dryRun: false,
    });
    await runImport(server.dependencies, t.tenantId, started.runId, {
      afterWrite: () => {
        throw new Error('injected failure');
      },
    });
    const run = await client.call('imports.get', { runId: started.runId });
    expect(run.data).toMatchObject({ status: 'failed', failure: 'INTERNAL', created: 0 });
    const counts = await server.database.withTenant(t.tenantId, async (trx) => {
      const { rows } = await sql<{ customers: string; contacts: string; tags: string }>`
        select (select count(*) from customers) as customers, (select count(*) from contacts) as contacts,
               (select count(*) from tags) as tags`.execute(trx);
      return rows[0];
    });
    expect(counts).toEqual({
      customers: expect.anything(),
      contacts: expect.anything(),
      tags: expect.anything(),
    });
    expect(Number(counts?.customers)).toBe(0);
    expect(Number(counts?.contacts)).toBe(0);
    expect(Number(counts?.tags)).toBe(0);
    // The file can be committed afterwards: the failed run does not block it.
    const retry = await start(client, {
      fileId: body.fileId,
      entity: 'customers',
      mapping: { 客户名称: 'name', 标签: 'tags', 联系人: 'contact.name' },
      dryRun: false,
    });
    expect(retry.alreadyImported).toBe(false);
    await runImport(server.dependencies, t.tenantId, retry.runId);
    expect(await customerCount(t.tenantId)).toBe(2);
  });

  it('a cancelled run writes nothing; a finished one cannot be cancelled', async () => {
    const t = await seedTenant(server.database, '取消测试企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const { body } = await upload(csv(['客户名称', '取消一', '取消二']), { cookie: client.cookie });
    const started = await start(client, {
      fileId: body.fileId,
      entity: 'customers',
      mapping: { 客户名称: 'name' },
      dryRun: false,
    });
    const cancelled = await client.call('imports.cancel', { runId: started.runId });
    expect(cancelled.data).toMatchObject({ status: 'cancelled', cancelRequested: true });
    await runImport(server.dependencies, t.tenantId, started.runId);
    expect(await customerCount(t.tenantId)).toBe(0);
    // A run asked to stop while it runs ends cancelled with nothing written.
    const again = await start(client, {
      fileId: body.fileId,
      entity: 'customers',
      mapping: { 客户名称: 'name' },
      dryRun: false,
    });
    await server.database.withTenant(t.tenantId, (trx) =>
      trx
        .updateTable('import_runs')
        .set({ status: 'validating', cancel_requested: true })
        .where('id', '=', again.runId)
        .execute(),
    );
    await runImport(server.dependencies, t.tenantId, again.runId);
    expect((await client.call('imports.get', { runId: again.runId })).data.status).toBe('cancelled');
    expect(await customerCount(t.tenantId)).toBe(0);
    const third = await start(client, {
      fileId: body.fileId,
      entity: 'customers',
      mapping: { 客户名称: 'name' },
      dryRun: true,
    });
    await runImport(server.dependencies, t.tenantId, third.runId);
    const refused = await client.call('imports.cancel', { runId: third.runId });
    expect(refused.error?.appCode).toBe('IMPORT_RUN_FINISHED');
  });
});

describe('orders, interactions, workbooks and sensitive fields', () => {
  it('imports orders with lines against customers found by number, phone or name, and refreshes their facts', async () => {
    const t = await seedTenant(server.database, '订单导入企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    await uploadAndRun(
      client,
      t.tenantId,
      csv(['名称,编号,电话', '订单客户甲,K-1,13900000001', '订单客户乙,K-2,13900000002']),
      {
        entity: 'customers',
        mapping: { 名称: 'name', 编号: 'customer_number', 电话: 'phone' },
        dryRun: false,
      },
    );
    const file = csv([
      '客户编号,客户电话,客户名称,订单号,下单日期,金额,支付方式,产品,数量,单价',
      'K-1,,,SO-1,2026-01-05,"1,000元",支付宝,螺丝,10,50',
      'K-1,,,SO-1,2026-01-05,"1,000元",支付宝,螺母,5,100',
      ',139 0000 0002,,SO-2,2026年2月1日,2.5万,对公转账,,,',
      ',,订单客户乙,SO-3,2026/3/1,300,,,,',
      'K-9,,,SO-4,2026-03-02,100,,,,',
      ',,,SO-5,2026-03-03,100,,,,',
      'K-2,,,SO-6,2026-03-04,100,信用卡,扳手,,',
    ]);
    const mapping = {
      客户编号: 'customer.number',
      客户电话: 'customer.phone',
      客户名称: 'customer.name',
      订单号: 'order_number',
      下单日期: 'ordered_at',
      金额: 'amount',
      支付方式: 'payment_method',
      产品: 'line.product',
      数量: 'line.quantity',
      单价: 'line.unit_price',
    };
    const dry = await uploadAndRun(client, t.tenantId, file, { entity: 'orders', mapping, dryRun: true });
    expect(
      dry.run.errors.map((error: { rowNumber: number; reason: string }) => [error.rowNumber, error.reason]),
    ).toEqual([
      [6, 'CUSTOMER_NOT_FOUND'],
      [7, 'CUSTOMER_REFERENCE_MISSING'],
      [8, 'ORDER_LINE_INCOMPLETE'],
    ]);
    const good = file.split('\r\n').slice(0, 5).join('\r\n');
    const committed = await uploadAndRun(client, t.tenantId, `${good}\r\n`, {
      entity: 'orders',
      mapping,
      dryRun: false,
    });
    expect(committed.run).toMatchObject({ status: 'committed', created: 3 });
    const facts = await server.database.withTenant(t.tenantId, (trx) =>
      trx
        .selectFrom('customers')
        .select(['customer_number', 'order_count', 'amount_lifetime'])
        .orderBy('customer_number')
        .execute(),
    );
    expect(facts).toEqual([
      { customer_number: 'K-1', order_count: 1, amount_lifetime: '1000.00' },
      { customer_number: 'K-2', order_count: 2, amount_lifetime: '25300.00' },
    ]);
    const lines = await server.database.withTenant(t.tenantId, (trx) =>
      trx.selectFrom('order_lines').select(['line_no', 'product']).orderBy('line_no').execute(),
    );
    expect(lines).toEqual([
      { line_no: 1, product: '螺丝' },
      { line_no: 2, product: '螺母' },
    ]);
    // Order numbers already there are skipped: a re-import with another row order adds nothing.
    const reordered = await uploadAndRun(
      client,
      t.tenantId,
      `${[good.split('\r\n')[0], ...good.split('\r\n').slice(1).reverse()].join('\r\n')}\r\n`,
      { entity: 'orders', mapping, dryRun: false },
    );
    expect(reordered.run).toMatchObject({ status: 'committed', created: 0, skipped: 3 });
  });

  it('imports interactions with their contact by name', async () => {
    const t = await seedTenant(server.database, '互动导入企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    await uploadAndRun(client, t.tenantId, csv(['名称,编号,联系人', '互动客户,H-1,王经理']), {
      entity: 'customers',
      mapping: { 名称: 'name', 编号: 'customer_number', 联系人: 'contact.name' },
      dryRun: false,
    });
    const file = csv([
      '客户编号,联系人,方式,时间,内容,态度',
      'H-1,王经理,电话,2026-03-01 10:30,确认了报价,好评',
      'H-1,赵总,拜访,2026-03-02,上门拜访,',
      'H-1,,会议,2026-03-03 14:00,,',
    ]);
    const mapping = {
      客户编号: 'customer.number',
      联系人: 'contact.name',
      方式: 'kind',
      时间: 'occurred_at',
      内容: 'summary',
      态度: 'sentiment',
    };
    const dry = await uploadAndRun(client, t.tenantId, file, {
      entity: 'interactions',
      mapping,
      dryRun: true,
    });
    expect(
      dry.run.errors.map((error: { rowNumber: number; reason: string }) => [error.rowNumber, error.reason]),
    ).toEqual([
      [3, 'CONTACT_NOT_FOUND'],
      [4, 'REQUIRED'],
    ]);
    const committed = await uploadAndRun(client, t.tenantId, csv(file.split('\r\n').slice(0, 2)), {
      entity: 'interactions',
      mapping,
      dryRun: false,
    });
    expect(committed.run).toMatchObject({ status: 'committed', created: 1 });
    const rows = await server.database.withTenant(t.tenantId, (trx) =>
      trx
        .selectFrom('interactions')
        .innerJoin('contacts', 'contacts.id', 'interactions.contact_id')
        .select(['interactions.kind', 'interactions.sentiment', 'contacts.name'])
        .execute(),
    );
    expect(rows).toEqual([{ kind: 'call', sentiment: 'praise', name: '王经理' }]);
  });

  it('reads an .xlsx workbook', async () => {
    const t = await seedTenant(server.database, '表格导入企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('客户');
    sheet.addRow(['客户名称', '成立日期', '计划采购金额']);
    sheet.addRow(['表格客户甲', new Date(Date.UTC(2015, 2, 8)), 12800.5]);
    sheet.addRow(['表格客户乙', null, 300]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const { run } = await uploadAndRun(
      client,
      t.tenantId,
      bytes,
      {
        entity: 'customers',
        mapping: { 客户名称: 'name', 成立日期: 'founded_on', 计划采购金额: 'purchase_plan_amount' },
        dryRun: false,
      },
      '客户.xlsx',
    );
    expect(run).toMatchObject({ status: 'committed', created: 2 });
    const rows = await server.database.withTenant(t.tenantId, (trx) =>
      trx
        .selectFrom('customers')
        .select(['name', 'founded_on', 'purchase_plan_amount'])
        .orderBy('name')
        .execute(),
    );
    expect(rows).toContainEqual({
      name: '表格客户甲',
      founded_on: '2015-03-08',
      purchase_plan_amount: '12800.50',
    });
  });

  it('stores national ID and bank card numbers encrypted, bound to the customer they end on', async () => {
    const t = await seedTenant(server.database, '敏感导入企业');
    const client = await signedInClient(server, t.users.owner.id, t.tenantId);
    const mapping = {
      姓名: 'name',
      类型: 'kind',
      手机: 'phone',
      身份证号: 'national_id',
      银行卡号: 'bank_card',
    };
    const first = await uploadAndRun(
      client,
      t.tenantId,
      csv([
        '姓名,类型,手机,身份证号,银行卡号',
        '李敏感,个人,13912340000,11010519491231002X,6222020200112233446',
        '王坏号,个人,,110105194912310021,',
      ]),
      { entity: 'customers', mapping, dryRun: true },
    );
    expect(
      first.run.errors.map((error: { rowNumber: number; column: string }) => [error.rowNumber, error.column]),
    ).toEqual([[3, '身份证号']]);
    const file = csv([
      '姓名,类型,手机,身份证号,银行卡号',
      '李敏感,个人,13912340000,11010519491231002X,6222020200112233446',
    ]);
    await uploadAndRun(client, t.tenantId, file, { entity: 'customers', mapping, dryRun: false });
    // Again, matched by phone and updated: the ciphertext is bound to the existing customer.
    const again = await uploadAndRun(client, t.tenantId, `${file}\r\n`, {
      entity: 'customers',
      mapping,
      dryRun: false,
      onMatch: 'update',
    });
    expect(again.run).toMatchObject({ status: 'committed', created: 0, updated: 1 });
    await server.database.withTenant(t.tenantId, async (trx) => {
      const secrets = await trx
        .selectFrom('customer_secrets')
        .select(['customer_id', 'field', 'ciphertext', 'hint'])
        .orderBy('field')
        .execute();
      expect(secrets.map((secret) => [secret.field, secret.hint])).toEqual([
        ['bank_card', '3446'],
        ['national_id', '002X'],
      ]);
      const customer = await trx.selectFrom('customers').select('id').executeTakeFirstOrThrow();
      const cipher = await getCipher(jobScope(trx, t.tenantId));
      for (const secret of secrets) {
        expect(secret.customer_id).toBe(customer.id);
        expect(secret.ciphertext).not.toContain('1949');
        expect(cipher.decrypt(secret.field, customer.id, secret.ciphertext)).toMatch(
          /^(11010519491231002X|6222020200112233446)$/,
        );
      }
    });
  });
});

describe('error report, saved mappings, history and isolation', () => {
  it('downloads the error report as CSV with a BOM, in the caller’s language', async () => {
    const { body } = await upload(fixture('customers-messy-gbk.csv'));
    const { runId } = await runToEnd(owner, tenant.tenantId, {
      fileId: body.fileId,
      entity: 'customers',
      mapping: CUSTOMER_MAPPING,
      dryRun: true,
    });
    const download = async (cookie: string | null, locale = 'zh-CN') => {
      const headers: Record<string, string> = { 'x-locale': locale };
      if (cookie) headers.cookie = cookie;
      return server.app.request(`http://localhost:3000/api/imports/runs/${runId}/errors.csv`, { headers });
    };
    const response = await download(owner.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.trim().split('\r\n');
    // The file's own columns, then 行号 and 错误原因: one line per row with errors.
    expect(lines[0]).toBe(
      '客户名称,客户类型,客户编号,手机,邮箱,负责人,标签,联系人,联系人电话,成立日期,计划采购金额,行号,错误原因',
    );
    expect(lines[1]).toBe(',个人,C-0003,13700137000,,,,,,,,4,客户名称：不能为空');
    expect(lines).toHaveLength(4);
    const english = await (await download(owner.cookie, 'en')).text();
    expect(english).toContain('计划采购金额,Row,Error');
    expect((await download(null)).status).toBe(401);
    const outsider = await sessionCookie(server, other.users.owner.id, other.tenantId);
    expect((await download(outsider)).status).toBe(404);
    const rep = await sessionCookie(server, tenant.users.sales_rep.id, tenant.tenantId);
    expect((await download(rep)).status).toBe(403);
  });

  it('saves, lists, renames and deletes mappings; names are unique per entity', async () => {
    const saved = await owner.call('imports.mappings.save', {
      entity: 'customers',
      name: '老系统导出',
      columns: { 客户名称: 'name', 手机: 'phone', 备注: '' },
    });
    expect(saved.data).toMatchObject({ name: '老系统导出', columns: { 客户名称: 'name', 手机: 'phone' } });
    const clash = await owner.call('imports.mappings.save', {
      entity: 'customers',
      name: '老系统导出',
      columns: { 名称: 'name' },
    });
    expect(clash.error?.appCode).toBe('IMPORT_MAPPING_NAME_TAKEN');
    const unknown = await owner.call('imports.mappings.save', {
      entity: 'customers',
      name: '坏方案',
      columns: { 名称: 'no_such_field' },
    });
    expect(unknown.error?.appCode).toBe('IMPORT_MAPPING_UNKNOWN_FIELD');
    const renamed = await owner.call('imports.mappings.save', {
      id: saved.data.id,
      entity: 'customers',
      name: '老系统导出 v2',
      columns: { 客户名称: 'name' },
    });
    expect(renamed.data.name).toBe('老系统导出 v2');
    const listed = await owner.call('imports.mappings.list', { entity: 'customers' });
    expect(listed.data.map((mapping: { name: string }) => mapping.name)).toContain('老系统导出 v2');
    // An upload offers the saved mappings whose columns the file has.
    const { body } = await upload(fixture('customers-messy-gbk.csv'));
    expect(body.mappings.map((mapping: { name: string }) => mapping.name)).toContain('老系统导出 v2');
    expect((await owner.call('imports.mappings.delete', { id: saved.data.id })).data).toEqual({
      deleted: true,
    });
    const outsider = await signedInClient(server, other.users.owner.id, other.tenantId);
    expect((await outsider.call('imports.mappings.list', {})).data).toEqual([]);
  });

  it('refuses a mapping without the required fields, and another tenant’s file', async () => {
    const { body } = await upload(csv(['客户名称,手机', '甲,13800000000']));
    const missing = await owner.call('imports.start', {
      fileId: body.fileId,
      entity: 'customers',
      mapping: { 手机: 'phone' },
      dryRun: true,
    });
    expect(missing.error?.appCode).toBe('IMPORT_MAPPING_REQUIRED_MISSING');
    const twice = await owner.call('imports.start', {
      fileId: body.fileId,
      entity: 'customers',
      mapping: { 客户名称: 'name', 手机: 'name' },
      dryRun: true,
    });
    expect(twice.error?.appCode).toBe('IMPORT_MAPPING_FIELD_TWICE');
    const outsider = await signedInClient(server, other.users.owner.id, other.tenantId);
    const foreign = await outsider.call('imports.start', {
      fileId: body.fileId,
      entity: 'customers',
      mapping: { 客户名称: 'name' },
      dryRun: true,
    });
    expect(foreign.error?.appCode).toBe('IMPORT_FILE_NOT_FOUND');
    const history = await owner.call('imports.list', { limit: 100 });
    expect(history.data.length).toBeGreaterThan(0);
    expect((await outsider.call('imports.list', { limit: 100 })).data).toEqual([]);
  });

  it('a sales manager cannot update or attach to customers outside their access', async () => {
    const t = await seedTenant(server.database, '权限导入企业');
    const admin = await signedInClient(server, t.users.admin.id, t.tenantId);
    await uploadAndRun(admin, t.tenantId, csv(['名称,编号', '管理员的客户,Z-1']), {
      entity: 'customers',
      mapping: { 名称: 'name', 编号: 'customer_number' },
      dryRun: false,
    });
    const manager = await signedInClient(server, t.users.sales_manager.id, t.tenantId);
    const customers = await uploadAndRun(
      manager,
      t.tenantId,
      csv(['名称,编号', '管理员的客户,Z-1', '经理的新客户,Z-2']),
      {
        entity: 'customers',
        mapping: { 名称: 'name', 编号: 'customer_number' },
        dryRun: true,
        onMatch: 'update',
      },
    );
    expect(
      customers.run.errors.map((error: { rowNumber: number; reason: string }) => [
        error.rowNumber,
        error.reason,
      ]),
    ).toEqual([[2, 'CUSTOMER_NOT_VISIBLE']]);
    const orders = await uploadAndRun(
      manager,
      t.tenantId,
      csv(['客户编号,下单日期,金额', 'Z-1,2026-01-01,100']),
      {
        entity: 'orders',
        mapping: { 客户编号: 'customer.number', 下单日期: 'ordered_at', 金额: 'amount' },
        dryRun: true,
      },
    );
    expect(
      orders.run.errors.map((error: { rowNumber: number; reason: string }) => [
        error.rowNumber,
        error.reason,
      ]),
    ).toEqual([[2, 'CUSTOMER_NOT_FOUND']]);
  });
});
