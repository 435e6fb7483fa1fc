import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImport } from '@crm/api';
import { sql } from '@crm/db';
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
      [7, '', 'DUPLICATE_IN_FILE'],
    ]);
    expect(run.errorRows).toBe(4);
    expect(run.validRows).toBe(2);
    expect(run.errors[0].message).toBe('客户名称不能为空');
    expect(run.errors.at(-1).message).toContain('与第 2 行是同一客户');
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
    expect(run.errorRows).toBe(4);
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
      phone: '138 0013 8000',
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
