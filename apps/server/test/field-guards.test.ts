import { runImport, syncPluginCustomFields } from '@crm/api';
import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
  uploadImportFile,
  uploadImportFileAnswer,
} from './helpers';

/*
 * Guards on every field (issue 15, point 3): the bounds of custom and plugin fields hold on
 * every path that writes a value — tRPC create and update, an import's dry run and its
 * commit — with the same words in both languages.
 */

let server: TestServer;
let tenant: SeededTenant;
let owner: TrpcClient;
let english: TrpcClient;

async function ok(client: TrpcClient, path: string, input?: unknown) {
  const result = await client.call(path, input);
  expect(result.error, `${path}: ${JSON.stringify(result.error)}`).toBeNull();
  return result.data;
}

async function customerNames(tenantId: string): Promise<string[]> {
  return server.database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ name: string }>`select name from customers order by name`.execute(trx);
    return rows.map((row) => row.name);
  });
}

function upload(client: TrpcClient, content: string) {
  return uploadImportFile(server, client, '客户.csv', content);
}

async function importRun(
  client: TrpcClient,
  content: string,
  dryRun: boolean,
  mapping: Record<string, string> = {
    客户名称: 'name',
    员工人数: 'custom:b2b_employees',
    合作意愿: 'custom:b2b_willingness',
  },
) {
  const fileId = await upload(client, content);
  const started = await ok(client, 'imports.start', {
    fileId,
    entity: 'customers',
    mapping,
    dryRun,
    onMatch: 'skip',
  });
  if (!started.alreadyImported) await runImport(server.dependencies, tenant.tenantId, started.runId);
  return ok(client, 'imports.get', { runId: started.runId });
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '字段守卫企业', 'b2b');
  const plugin = server.dependencies.plugins.get('b2b');
  if (!plugin) throw new Error('the b2b plugin is not loaded');
  await server.database.withTenant(tenant.tenantId, (trx) =>
    syncPluginCustomFields(trx, tenant.tenantId, plugin),
  );
  owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
  english = await signedInClient(server, tenant.users.owner.id, tenant.tenantId, {
    headers: { 'accept-language': 'en' },
  });
});
afterAll(() => server?.destroy());

describe('bounds of plugin fields', () => {
  it('the b2b fields carry their bounds, and the credit code is offered once (the core field)', async () => {
    // A tenant from before: the plugin's own 统一社会信用代码 is retired by the next start's sync.
    const plugin = server.dependencies.plugins.get('b2b');
    await server.database.withTenant(tenant.tenantId, async (trx) => {
      await trx
        .insertInto('custom_field_definitions')
        .values({
          tenant_id: tenant.tenantId,
          key: 'b2b_credit_code',
          label_zh: '统一社会信用代码',
          label_en: 'Unified social credit code',
          type: 'text',
          source: 'plugin',
        })
        .execute();
      expect(await syncPluginCustomFields(trx, tenant.tenantId, plugin as NonNullable<typeof plugin>)).toBe(
        1,
      );
    });
    const fields = (await ok(owner, 'customFields.list')) as {
      key: string;
      labelZh: string;
      archived: boolean;
      validation: Record<string, unknown>;
    }[];
    const byKey = new Map(fields.map((field) => [field.key, field]));
    expect(byKey.get('b2b_employees')?.validation).toEqual({ integer: true, min: 0, max: 10_000_000 });
    expect(byKey.get('b2b_willingness')?.validation).toEqual({ rating: true, min: 1, max: 5 });
    expect(fields.filter((field) => !field.archived && field.labelZh === '统一社会信用代码')).toEqual([]);
    // The import mapping offers it once too: the core target.
    const { targets } = await uploadImportFileAnswer(
      server,
      owner,
      '客户.csv',
      '客户名称,统一社会信用代码\r\n甲公司,91350100M000100Y43\r\n',
    );
    expect(
      targets.customers?.filter((target) => target.label === '统一社会信用代码').map((target) => target.key),
    ).toEqual(['credit_code']);
  });

  it('tRPC create refuses 员工人数 −5 and 合作意愿 99 with the bound in words, in zh-CN and en', async () => {
    const negative = await owner.call('customers.create', {
      name: '负员工公司',
      kind: 'company',
      customFields: { b2b_employees: -5 },
    });
    expect(negative.error?.appCode).toBe('CUSTOM_FIELD_OUT_OF_BOUNDS');
    expect(negative.error?.message).toBe('员工人数不能小于 0');
    expect(negative.error?.fieldErrors?.[0]?.path).toBe('customFields.b2b_employees');
    const rating = await english.call('customers.create', {
      name: '意愿过高公司',
      kind: 'company',
      customFields: { b2b_willingness: 99 },
    });
    expect(rating.error?.appCode).toBe('CUSTOM_FIELD_OUT_OF_BOUNDS');
    expect(rating.error?.message).toBe('Willingness to cooperate must be at most 5');
    const fraction = await owner.call('customers.create', {
      name: '半个员工公司',
      kind: 'company',
      customFields: { b2b_employees: '12.5' },
    });
    expect(fraction.error?.message).toBe('员工人数须为整数');
    expect(await customerNames(tenant.tenantId)).toEqual([]);

    const kept = await ok(owner, 'customers.create', {
      name: '守界公司',
      kind: 'company',
      customFields: { b2b_employees: 0, b2b_willingness: 5 },
    });
    expect(kept.customFields).toMatchObject({ b2b_employees: '0', b2b_willingness: '5' });
  });

  it('tRPC update refuses out-of-bound values and writes nothing', async () => {
    const customer = await ok(owner, 'customers.create', {
      name: '待更新公司',
      kind: 'company',
      customFields: { b2b_employees: 10 },
    });
    const refused = await owner.call('customers.update', {
      id: customer.id,
      name: '不应保存',
      customFields: { b2b_employees: -5 },
    });
    expect(refused.error?.message).toBe('员工人数不能小于 0');
    const rating = await english.call('customers.update', {
      id: customer.id,
      customFields: { b2b_willingness: 99 },
    });
    expect(rating.error?.message).toBe('Willingness to cooperate must be at most 5');
    const after = await ok(owner, 'customers.get', { id: customer.id });
    expect(after.name).toBe('待更新公司');
    expect(after.customFields).toEqual({ b2b_employees: '10' });
  });

  it('an import refuses the same values, dry run and commit, with the bound in words', async () => {
    const file = [
      '客户名称,员工人数,合作意愿',
      '导入负员工,-5,3',
      '导入高意愿,20,99',
      '导入好公司,120,4',
      '',
    ].join('\r\n');
    const dry = await importRun(owner, file, true);
    const errors = dry.errors.map((error: { rowNumber: number; column: string; message: string }) => [
      error.rowNumber,
      error.column,
      error.message,
    ]);
    // The column names the field once: the report reads "员工人数：不能小于 0".
    expect(errors).toEqual([
      [2, '员工人数', '不能小于 0'],
      [3, '合作意愿', '不能大于 5'],
    ]);
    const before = await customerNames(tenant.tenantId);
    await importRun(owner, file, false);
    const after = await customerNames(tenant.tenantId);
    expect(after).not.toContain('导入负员工');
    expect(after).not.toContain('导入高意愿');
    // Whatever the commit does with the good rows, it never stores a value out of bounds.
    const stored = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from customers
        where (custom_fields ->> 'b2b_employees')::numeric < 0
           or (custom_fields ->> 'b2b_willingness')::numeric > 5`.execute(trx);
      return rows[0]?.n;
    });
    expect(stored).toBe(0);
    expect(after.length).toBeGreaterThanOrEqual(before.length);
  });

  it('a refused cell reads in the reader’s language: the bound, and a choice’s options', async () => {
    const file = ['Name,Employees,Type', 'Negative staff,-5,Company', 'Odd type,10,合伙', ''].join('\r\n');
    const dry = await importRun(english, file, true, {
      Name: 'name',
      Employees: 'custom:b2b_employees',
      Type: 'kind',
    });
    const errors = dry.errors.map((error: { rowNumber: number; column: string; message: string }) => [
      error.rowNumber,
      error.column,
      error.message,
    ]);
    expect(errors).toEqual([
      [2, 'Employees', 'Must be at least 0'],
      [3, 'Type', 'Must be one of: Company, Person'],
    ]);
  });
});

describe("a tenant's own fields", () => {
  it('an administrator sets bounds; the server enforces them and refuses bounds that do not fit', async () => {
    const field = await ok(owner, 'customFields.create', {
      key: 'store_visits',
      labelZh: '到店次数',
      labelEn: 'Store visits',
      type: 'number',
      validation: { integer: true, min: 0, max: 100 },
    });
    expect(field.validation).toEqual({ integer: true, min: 0, max: 100 });
    const refused = await english.call('customers.create', {
      name: '到店过多',
      kind: 'person',
      customFields: { store_visits: 101 },
    });
    expect(refused.error?.message).toBe('Store visits must be at most 100');

    const badBounds = await owner.call('customFields.create', {
      key: 'bad_bounds',
      labelZh: '备注二',
      labelEn: 'Note two',
      type: 'text',
      validation: { min: 1 },
    });
    expect(badBounds.error?.appCode).toBe('CUSTOM_FIELD_BOUNDS_INVALID');
    const pattern = await ok(owner, 'customFields.create', {
      key: 'member_no',
      labelZh: '会员号',
      labelEn: 'Member number',
      type: 'text',
      validation: {
        pattern: '^M[0-9]{6}$',
        patternMessage: { 'zh-CN': '须为 M 加 6 位数字', en: 'must be M and six digits' },
      },
    });
    expect(pattern.validation.pattern).toBe('^M[0-9]{6}$');
    const wrong = await owner.call('customers.create', {
      name: '会员号不对',
      kind: 'person',
      customFields: { member_no: 'X12' },
    });
    expect(wrong.error?.message).toBe('会员号须为 M 加 6 位数字');
  });

  it('refuses a custom field that repeats a core field (统一社会信用代码 twice)', async () => {
    const shadow = await owner.call('customFields.create', {
      key: 'uscc',
      labelZh: '统一社会信用代码',
      labelEn: 'USCC',
      type: 'text',
    });
    expect(shadow.error?.appCode).toBe('CUSTOM_FIELD_SHADOWS_CORE');
    expect(shadow.error?.message).toBe(
      '「统一社会信用代码」已是系统字段，请直接使用系统字段，不要再建自定义字段',
    );
  });

  it('the plugin sets the bounds of its fields', async () => {
    const fields = (await ok(owner, 'customFields.list')) as { id: string; key: string }[];
    const employees = fields.find((field) => field.key === 'b2b_employees');
    const changed = await owner.call('customFields.update', {
      id: employees?.id,
      validation: { min: -100 },
    });
    expect(changed.error?.appCode).toBe('CUSTOM_FIELD_BOUNDS_INVALID');
  });
});

describe('company customers', () => {
  it('a company is created with its primary contact in one transaction, idempotently', async () => {
    const key = crypto.randomUUID();
    const input = {
      name: '带联系人公司',
      kind: 'company',
      primaryContact: {
        name: '王经理',
        title: '采购经理',
        phone: '138 1234 5678',
        email: 'Wang@Example.com',
      },
    };
    const created = await owner.call('customers.create', input, { 'idempotency-key': key });
    expect(created.error).toBeNull();
    const again = await owner.call('customers.create', input, { 'idempotency-key': key });
    expect(again.data.id).toBe(created.data.id);
    const contacts = await ok(owner, 'contacts.list', { customerId: created.data.id });
    expect(contacts).toEqual([
      expect.objectContaining({
        name: '王经理',
        title: '采购经理',
        // Stored in the one normalised form of phones (whatever its prefix).
        phones: [expect.stringMatching(/13812345678$/)],
        emails: ['wang@example.com'],
        isPrimary: true,
      }),
    ]);
  });

  it('a contact that cannot be written leaves no customer behind', async () => {
    const refused = await owner.call('customers.create', {
      name: '联系人出错公司',
      kind: 'company',
      primaryContact: { name: '李四', phone: '12345' },
    });
    expect(refused.error?.appCode).toBe('INVALID_PHONE');
    expect(refused.error?.fieldErrors?.[0]?.path).toBe('primaryContact.phone');
    expect(await customerNames(tenant.tenantId)).not.toContain('联系人出错公司');
    const person = await owner.call('customers.create', {
      name: '个人带联系人',
      kind: 'person',
      primaryContact: { name: '张三' },
    });
    expect(person.error?.appCode).toBe('PRIMARY_CONTACT_COMPANY_ONLY');
  });

  it('a company refuses 身份证号 and 银行卡号 on create, update and import', async () => {
    const create = await owner.call('customers.create', {
      name: '有身份证的公司',
      kind: 'company',
      nationalId: '11010519491231002X',
    });
    expect(create.error?.appCode).toBe('COMPANY_PERSONAL_FIELDS');
    expect(create.error?.message).toBe('企业客户不能填写身份证号或银行卡号（个人字段）');
    expect(create.error?.fieldErrors?.[0]?.path).toBe('nationalId');
    const card = await english.call('customers.create', {
      name: 'Company with a card',
      kind: 'company',
      bankCard: '6222020200112233445',
    });
    expect(card.error?.message).toBe(
      'A company customer cannot have a national ID or bank card number (fields of individuals)',
    );
    expect(await customerNames(tenant.tenantId)).not.toContain('有身份证的公司');

    const company = await ok(owner, 'customers.create', { name: '干净的公司', kind: 'company' });
    const update = await owner.call('customers.update', { id: company.id, nationalId: '11010519491231002X' });
    expect(update.error?.appCode).toBe('COMPANY_PERSONAL_FIELDS');
    // A person with an ID on file becomes a company only by clearing it.
    const person = await ok(owner, 'customers.create', {
      name: '转企业的个人',
      kind: 'person',
      nationalId: '11010519491231002X',
    });
    const turned = await owner.call('customers.update', { id: person.id, kind: 'company' });
    expect(turned.error?.appCode).toBe('COMPANY_PERSONAL_FIELDS');
    await ok(owner, 'customers.update', { id: person.id, kind: 'company', nationalId: null });

    const fileId = await upload(
      owner,
      ['客户名称,客户类型,身份证号', '导入带身份证公司,企业,11010519491231002X', ''].join('\r\n'),
    );
    const started = await ok(owner, 'imports.start', {
      fileId,
      entity: 'customers',
      mapping: { 客户名称: 'name', 客户类型: 'kind', 身份证号: 'national_id' },
      dryRun: true,
      onMatch: 'skip',
    });
    await runImport(server.dependencies, tenant.tenantId, started.runId);
    const run = await ok(owner, 'imports.get', { runId: started.runId });
    expect(run.errors.map((error: { reason: string }) => error.reason)).toEqual(['COMPANY_PERSONAL_FIELDS']);
  });

  it('B2B and corporate banking start new customers as companies; retail as persons', async () => {
    const profiles = (await ok(server.client({}), 'industry.profiles')) as {
      id: string;
      defaultCustomerKind: string;
    }[];
    expect(Object.fromEntries(profiles.map((profile) => [profile.id, profile.defaultCustomerKind]))).toEqual({
      retail: 'person',
      b2b: 'company',
      'corporate-banking': 'company',
    });
  });
});
