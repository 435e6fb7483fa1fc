import { runImport } from '@crm/api';
import ExcelJS from 'exceljs';
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
 * Import templates (导入模板): downloaded for each kind, format and language, uploaded
 * unchanged, every column maps by itself and the dry run finds no error.
 */

let server: TestServer;

async function download(client: TrpcClient, query: string) {
  const response = await server.app.request(`http://localhost:3000/api/imports/template?${query}`, {
    headers: { cookie: client.cookie as string },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}

async function dryRun(
  client: TrpcClient,
  tenantId: string,
  bytes: Uint8Array,
  name: string,
  kind: string,
  commit = false,
) {
  const response = await server.app.request(
    'http://localhost:3000/api/imports/files',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent(name),
        cookie: client.cookie as string,
        origin: PUBLIC_URL,
      },
      body: bytes,
    },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  const uploaded = (await response.json()) as any;
  // A refusal shows its reason.
  expect({ status: response.status, uploaded }).toMatchObject({ status: 201 });
  const mapping = uploaded.suggestions[kind] as Record<string, string>;
  // Every column of the template maps by itself.
  expect(Object.keys(mapping).sort()).toEqual([...(uploaded.headers as string[])].sort());
  const started = await client.call('imports.start', {
    fileId: uploaded.fileId,
    entity: kind,
    mapping,
    dryRun: !commit,
  });
  expect(started.error).toBeNull();
  const outcome = await runImport(server.dependencies, tenantId, started.data.runId);
  const run = await client.call('imports.get', { runId: started.data.runId });
  return { ...run.data, outcome };
}

async function withCustomFields(tenant: SeededTenant) {
  const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
  const fields = [
    {
      key: 'member_level',
      labelZh: '会员等级',
      labelEn: 'Member level',
      type: 'enum',
      required: true,
      options: [
        { value: 'gold', labelZh: '金卡', labelEn: 'Gold' },
        { value: 'silver', labelZh: '银卡', labelEn: 'Silver' },
      ],
    },
    { key: 'store_visits', labelZh: '到店次数', labelEn: 'Store visits', type: 'number' },
    { key: 'deposit', labelZh: '预存金额', labelEn: 'Deposit', type: 'money' },
    { key: 'joined_on', labelZh: '入会日期', labelEn: 'Joined on', type: 'date' },
    { key: 'opted_in', labelZh: '接受推送', labelEn: 'Opted in', type: 'boolean' },
    { key: 'preference', labelZh: '偏好', labelEn: 'Preference', type: 'text' },
  ];
  for (const field of fields) expect((await admin.call('customFields.create', field)).error).toBeNull();
  return admin;
}

beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server?.destroy());

describe('import templates', () => {
  for (const industry of ['retail', 'b2b'] as const) {
    it(`${industry}: every kind, format and language imports unchanged with no error`, async () => {
      const tenant = await seedTenant(server.database, `模板测试-${industry}`, industry);
      const admin = await withCustomFields(tenant);
      for (const locale of ['zh-CN', 'en'] as const) {
        for (const kind of ['customers', 'orders', 'interactions'] as const) {
          for (const format of ['csv', 'xlsx'] as const) {
            const file = await download(admin, `kind=${kind}&format=${format}&locale=${locale}`);
            expect(file.status).toBe(200);
            expect(file.headers.get('content-disposition')).toContain(format);
            const run = await dryRun(admin, tenant.tenantId, file.bytes, `template.${format}`, kind);
            expect({
              locale,
              kind,
              format,
              outcome: run.outcome,
              status: run.status,
              failure: run.failure,
              failureMessage: run.failureMessage,
              errors: run.errors,
            }).toEqual({
              locale,
              kind,
              format,
              outcome: 'done',
              status: 'validated',
              failure: null,
              failureMessage: null,
              errors: [],
            });
            expect(run.validRows).toBeGreaterThanOrEqual(2);
          }
          // The customers first, for real: the order and interaction templates name them.
          if (kind === 'customers' && locale === 'zh-CN') {
            const file = await download(admin, `kind=customers&format=csv&locale=${locale}`);
            const run = await dryRun(admin, tenant.tenantId, file.bytes, 'customers.csv', 'customers', true);
            expect(run).toMatchObject({ status: 'committed', created: 2 });
          }
        }
      }
      const customers = await server.database.withTenant(tenant.tenantId, (trx) =>
        trx.selectFrom('customers').select(['kind', 'custom_fields']).execute(),
      );
      // An individual only where the industry has them.
      expect(customers.map((customer) => customer.kind).sort()).toEqual(
        industry === 'retail' ? ['company', 'person'] : ['company', 'company'],
      );
      expect(customers[0]?.custom_fields).toMatchObject({
        member_level: 'gold',
        store_visits: '3',
        opted_in: true,
      });
    });
  }

  it('writes headers in the asked language, the CSV with a BOM and Excel cells as text', async () => {
    const tenant = await seedTenant(server.database, '模板格式企业', 'retail');
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const zh = await download(admin, 'kind=customers&format=csv&locale=zh-CN');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(zh.bytes);
    expect(text.startsWith('\uFEFF客户名称,客户类型')).toBe(true);
    expect(text).toContain('近12个月交易额');
    expect(text).toContain('杭州示例科技有限公司');
    expect(decodeURIComponent(zh.headers.get('content-disposition') ?? '')).toContain('客户导入模板.csv');
    const en = await download(admin, 'kind=orders&format=xlsx&locale=en');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(en.bytes.buffer as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).getCell(1).value).toBe('Customer name');
    const customers = await download(admin, 'kind=customers&format=xlsx&locale=en');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(customers.bytes.buffer as ArrayBuffer);
    const header = book.worksheets[0]?.getRow(1).values as unknown[];
    const phone = book.worksheets[0]?.getRow(3).getCell(header.indexOf('Phone')).value;
    expect(phone).toBe('13912345678');
    // The user's own language without the switch; a kind that does not exist is refused.
    const own = await download(admin, 'kind=interactions');
    expect(new TextDecoder().decode(own.bytes)).toContain('互动方式');
    expect((await download(admin, 'kind=tickets')).status).toBe(400);
  });
});
