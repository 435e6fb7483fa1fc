import { runImport } from '@crm/api';
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
} from './helpers';

/*
 * Issue 15, identity: one rule (packages/domain identityOf, SQL crm_customer_identity) for the
 * import, the create check and the scan; phones stored in one form on every path; a phone
 * found by its full number in any form and by any suffix of 4 digits or more.
 */

let server: TestServer;
let tenant: SeededTenant;
let admin: TrpcClient;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '身份规则企业');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
});
afterAll(() => server?.destroy());

const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

async function importCsv(
  client: TrpcClient,
  tenantId: string,
  content: string,
  input: Record<string, unknown>,
) {
  const fileId = await uploadImportFile(server, client, '客户.csv', content);
  const started = await client.call('imports.start', { onMatch: 'update', fileId, ...input });
  expect(started.error).toBeNull();
  await runImport(server.dependencies, tenantId, started.data.runId);
  const run = await client.call('imports.get', { runId: started.data.runId });
  expect(run.error).toBeNull();
  return { ...run.data, runId: started.data.runId as string };
}

async function customersNamed(tenantId: string, names: string[]) {
  return server.database.withTenant(tenantId, (trx) =>
    trx
      .selectFrom('customers')
      .select(['id', 'name', 'phone', 'industry'])
      .where('name', 'in', names)
      .orderBy('name')
      .execute(),
  );
}

async function pendingPairs(tenantId: string) {
  return server.database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ a: string; b: string; reasons: string[]; source: string }>`
      select x.name as a, y.name as b, d.reasons, d.source from duplicate_candidates d
      join customers x on x.tenant_id = d.tenant_id and x.id = d.customer_a
      join customers y on y.tenant_id = d.tenant_id and y.id = d.customer_b
      where d.status = 'pending'`.execute(trx);
    return rows.map((row) => ({ ...row, names: [row.a, row.b].sort() }));
  });
}

describe('import: a shared phone is a candidate, never an update', () => {
  const mapping = { 名称: 'name', 类型: 'kind', 电话: 'phone', 行业: 'industry', 信用代码: 'credit_code' };

  it('keeps a company that shares another company’s phone and queues the pair; name and credit code still match', async () => {
    const t = await seedTenant(server.database, '导入身份企业');
    const client = await signedInClient(server, t.users.admin.id, t.tenantId);
    const first = await importCsv(
      client,
      t.tenantId,
      csv([
        '名称,类型,电话,行业,信用代码',
        '杭州云帆科技有限公司,企业,0571-87558212,软件,',
        '华辰工业科技有限公司,企业,13900001111,制造,91330100799655058B',
        '某某科技有限公司,企业,13911112222,服务,',
      ]),
      { entity: 'customers', mapping, dryRun: false },
    );
    expect(first).toMatchObject({ status: 'committed', created: 3 });

    const rows = [
      '名称,类型,电话,行业,信用代码',
      // Another company on the same switchboard (other form of the number): new + candidate.
      '杭州远景贸易有限公司,企业,+86 571 8755 8212,贸易,',
      // 有限责任公司 vs 有限公司: the same company by its normalised name: an update.
      '杭州云帆科技有限责任公司,企业,,咨询,',
      // The credit code decides, whatever the name.
      '华辰科技,企业,,机械,91330100799655058B',
      // A branch of an existing company: new + candidate.
      '某某科技有限公司上海分公司,企业,,服务,',
    ];
    const dry = await importCsv(client, t.tenantId, csv(rows), {
      entity: 'customers',
      mapping,
      dryRun: true,
    });
    expect(dry).toMatchObject({ status: 'validated', errorRows: 0, created: 2, updated: 2 });
    const committed = await importCsv(client, t.tenantId, csv([...rows, '']), {
      entity: 'customers',
      mapping,
      dryRun: false,
    });
    expect(committed).toMatchObject({ status: 'committed', created: 2, updated: 2, skipped: 0 });
    // Each row's outcome says what happened and by which key.
    const outcomes = await client.call('imports.rows', { runId: committed.runId, limit: 50 });
    expect(outcomes.error).toBeNull();
    expect(
      outcomes.data.items.map(
        (row: { rowNumber: number; outcome: string; matchKind: string; matchedName: string }) => [
          row.rowNumber,
          row.outcome,
          row.matchKind,
          row.matchedName,
        ],
      ),
    ).toEqual([
      // Named as it is now (row 3 renamed it).
      [2, 'candidate', 'phone', '杭州云帆科技有限责任公司'],
      [3, 'update', 'name', '杭州云帆科技有限责任公司'],
      [4, 'update', 'credit_code', '华辰科技'],
      [5, 'candidate', 'branch', '某某科技有限公司'],
    ]);

    const stored = await customersNamed(t.tenantId, [
      '杭州云帆科技有限公司',
      '杭州云帆科技有限责任公司',
      '杭州远景贸易有限公司',
      '华辰工业科技有限公司',
      '华辰科技',
      '某某科技有限公司上海分公司',
    ]);
    // Both switchboard companies kept, each with its own industry; the phone in one form.
    expect(stored.map((row) => [row.name, row.phone, row.industry])).toEqual([
      ['华辰科技', '+8613900001111', '机械'],
      ['杭州云帆科技有限责任公司', '+8657187558212', '咨询'],
      ['杭州远景贸易有限公司', '+8657187558212', '贸易'],
      ['某某科技有限公司上海分公司', null, '服务'],
    ]);
    const pairs = await pendingPairs(t.tenantId);
    expect(pairs).toContainEqual(
      expect.objectContaining({
        names: ['杭州云帆科技有限责任公司', '杭州远景贸易有限公司'],
        reasons: ['phone'],
        source: 'import',
      }),
    );
    expect(pairs).toContainEqual(
      expect.objectContaining({
        names: ['某某科技有限公司', '某某科技有限公司上海分公司'],
        reasons: ['branch'],
        source: 'import',
      }),
    );
    expect(pairs).toHaveLength(2);
  });

  it('rows of one file sharing only a phone are both kept and paired; a person is the same by name and phone', async () => {
    const t = await seedTenant(server.database, '导入同文件企业');
    const client = await signedInClient(server, t.users.admin.id, t.tenantId);
    const run = await importCsv(
      client,
      t.tenantId,
      csv([
        '名称,类型,电话,行业,信用代码',
        '甲贸易有限公司,企业,010-12345678,,',
        '乙物流有限公司,企业,(010)1234-5678,,',
        '张伟,个人,13812345678,,',
        '张 伟,个人,+86 138 1234 5678,,',
        '李娜,个人,13812345678,,',
      ]),
      { entity: 'customers', mapping, dryRun: false },
    );
    expect(
      run.errors.map((error: { rowNumber: number; reason: string }) => [error.rowNumber, error.reason]),
    ).toEqual([[5, 'DUPLICATE_IN_FILE']]);
    expect(run.errors[0].message).toContain('与第 4 行是同一客户（姓名和电话相同）');
    const committed = await importCsv(
      client,
      t.tenantId,
      csv([
        '名称,类型,电话,行业,信用代码',
        '甲贸易有限公司,企业,010-12345678,,',
        '乙物流有限公司,企业,(010)1234-5678,,',
        '张伟,个人,13812345678,,',
        '李娜,个人,13812345678,,',
      ]),
      { entity: 'customers', mapping, dryRun: false },
    );
    expect(committed).toMatchObject({ status: 'committed', created: 4 });
    const pairs = await pendingPairs(t.tenantId);
    expect(pairs.map((pair) => pair.names)).toEqual(
      expect.arrayContaining([
        ['乙物流有限公司', '甲贸易有限公司'],
        ['张伟', '李娜'],
      ]),
    );
  });
});

describe('create: an exact duplicate is refused unless created anyway with a reason', () => {
  it('refuses the same normalised company name, names the existing customer in both languages, and creates it anyway with an audited reason', async () => {
    const existing = await admin.call('customers.create', {
      name: '华辰工业科技有限公司',
      kind: 'company',
      phone: '0571-87558212',
    });
    expect(existing.error).toBeNull();
    const again = { name: '华辰工业科技股份有限公司', kind: 'company', phone: '13900002222' };
    const refused = await admin.call('customers.create', again);
    expect(refused.error?.appCode).toBe('CUSTOMER_EXACT_DUPLICATE');
    expect(refused.status).toBe(409);
    expect(refused.error?.message).toContain('已有同一客户「华辰工业科技有限公司」（企业名称相同）');
    expect(JSON.parse(refused.body).error.data.appParams.existingId).toBe(existing.data.id);
    const english = await admin.call('customers.create', again, { 'x-locale': 'en' });
    expect(english.error?.message).toContain(
      'This customer already exists: “华辰工业科技有限公司” (same company name)',
    );

    // The reason is required.
    const blank = await admin.call('customers.create', { ...again, force: { reason: '  ' } });
    expect(blank.error?.appCode).toBe('INVALID_INPUT');

    const forced = await admin.call('customers.create', {
      ...again,
      force: { reason: '同名的另一家公司，注册地在苏州' },
    });
    expect(forced.error).toBeNull();
    const audit = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('audit_log')
        .select(['action', 'changes', 'actor_user_id'])
        .where('customer_id', '=', forced.data.id)
        .where('action', '=', 'create_anyway')
        .execute(),
    );
    expect(audit).toEqual([
      {
        action: 'create_anyway',
        actor_user_id: tenant.users.admin.id,
        changes: {
          reason: '同名的另一家公司，注册地在苏州',
          existingId: existing.data.id,
          existingName: '华辰工业科技有限公司',
          by: 'name',
        },
      },
    ]);
    const timeline = await admin.call('customers.timeline', { id: forced.data.id });
    expect(timeline.error).toBeNull();
    expect(
      timeline.data.items.find((entry: { kind: string }) => entry.kind === 'createAnyway')?.data.reason,
    ).toBe('同名的另一家公司，注册地在苏州');
  });

  it('refuses the same credit code and a person with the same name and phone; a shared phone alone only warns', async () => {
    const coded = await admin.call('customers.create', {
      name: '北方重工有限公司',
      kind: 'company',
      creditCode: '91350100M000100Y43',
    });
    expect(coded.error).toBeNull();
    const byCode = await admin.call('customers.create', {
      name: '北方重工集团',
      kind: 'company',
      creditCode: '９１３５０１００Ｍ０００１００Ｙ４３',
    });
    expect(byCode.error?.appCode).toBe('CUSTOMER_EXACT_DUPLICATE');
    expect(byCode.error?.message).toContain('统一社会信用代码相同');

    expect(
      (await admin.call('customers.create', { name: '王芳', kind: 'person', phone: '13712345678' })).error,
    ).toBeNull();
    const samePerson = await admin.call('customers.create', {
      name: '王 芳',
      kind: 'person',
      phone: '137 1234 5678',
    });
    expect(samePerson.error?.appCode).toBe('CUSTOMER_EXACT_DUPLICATE');
    expect(samePerson.error?.message).toContain('姓名和电话相同');

    // Another company on the same phone: a candidate, saved and queued, with the warning only.
    const check = await admin.call('duplicates.check', {
      kind: 'company',
      name: '杭州远景贸易有限公司',
      phone: '+86 571 8755 8212',
    });
    expect(
      check.data.matches.map((match: { exact: boolean; reasons: string[] }) => [match.exact, match.reasons]),
    ).toEqual([[false, ['phone']]]);
    const neighbour = await admin.call('customers.create', {
      name: '杭州远景贸易有限公司',
      kind: 'company',
      phone: '+86 571 8755 8212',
    });
    expect(neighbour.error).toBeNull();
    // The warning marks an exact duplicate as such.
    const exact = await admin.call('duplicates.check', { kind: 'company', name: '北方重工有限责任公司' });
    expect(exact.data.matches[0]).toMatchObject({ exact: true, customer: { id: coded.data.id } });
  });

  it('never finds or names a customer of another tenant, and hides one the member may not see', async () => {
    const other = await seedTenant(server.database, '另一家身份企业');
    const otherAdmin = await signedInClient(server, other.users.admin.id, other.tenantId);
    expect(
      (
        await otherAdmin.call('customers.create', {
          name: '跨租户测试有限公司',
          kind: 'company',
          creditCode: '91330100799655058B',
        })
      ).error,
    ).toBeNull();
    const mine = await admin.call('customers.create', {
      name: '跨租户测试有限公司',
      kind: 'company',
      creditCode: '91330100799655058B',
    });
    expect(mine.error).toBeNull();
    const check = await admin.call('duplicates.check', { kind: 'company', name: '跨租户测试有限公司' });
    expect(check.data.matches.map((match: { customer: { id: string } }) => match.customer.id)).toEqual([
      mine.data.id,
    ]);

    // A sales rep sees only their own customers: the duplicate is refused without its name or id.
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    const hidden = await rep.call('customers.create', { name: '跨租户测试股份有限公司', kind: 'company' });
    expect(hidden.error?.appCode).toBe('CUSTOMER_EXACT_DUPLICATE_HIDDEN');
    expect(hidden.body).not.toContain(mine.data.id);
    expect(hidden.body).not.toContain('跨租户测试有限公司');
  });
});

describe('create: the national ID (身份证号) decides for persons', () => {
  it('refuses a person with an existing 身份证号, hides a customer the member may not see, and never looks across tenants', async () => {
    const first = await admin.call('customers.create', {
      name: '证件测试甲',
      kind: 'person',
      nationalId: '11010519491231002X',
    });
    expect(first.error, JSON.stringify(first.error)).toBeNull();
    // Another name, no phone or email: only the number (written in another form) is shared.
    const again = await admin.call('customers.create', {
      name: '证件测试乙',
      kind: 'person',
      nationalId: '110105 19491231 002x',
    });
    expect(again.error?.appCode).toBe('CUSTOMER_EXACT_DUPLICATE');
    expect(again.error?.message).toContain('身份证号相同');
    expect(again.error?.message).toContain('证件测试甲');
    // Created anyway with a reason, it is audited like any other exact duplicate.
    const forced = await admin.call('customers.create', {
      name: '证件测试乙',
      kind: 'person',
      nationalId: '11010519491231002X',
      force: { reason: '同一证件号的另一位客户，核对后确认' },
    });
    expect(forced.error, JSON.stringify(forced.error)).toBeNull();
    // A different number is no match.
    const other = await admin.call('customers.create', {
      name: '证件测试丙',
      kind: 'person',
      nationalId: '110101199003074514',
    });
    expect(other.error, JSON.stringify(other.error)).toBeNull();

    // A sales rep who does not see those customers learns neither the name nor the id.
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    const hidden = await rep.call('customers.create', {
      name: '证件测试丁',
      kind: 'person',
      nationalId: '110101199003074514',
    });
    expect(hidden.error?.appCode).toBe('CUSTOMER_EXACT_DUPLICATE_HIDDEN');
    expect(hidden.body).not.toContain(other.data.id);
    expect(hidden.body).not.toContain('证件测试丙');

    // Another tenant with the same number creates its customer: tenants never meet.
    const elsewhere = await seedTenant(server.database, '证件另一企业');
    const elsewhereAdmin = await signedInClient(server, elsewhere.users.admin.id, elsewhere.tenantId);
    const theirs = await elsewhereAdmin.call('customers.create', {
      name: '证件测试甲',
      kind: 'person',
      nationalId: '11010519491231002X',
    });
    expect(theirs.error, JSON.stringify(theirs.error)).toBeNull();
  });
});

describe('phones: one stored form on every path', () => {
  it('stores the form, update and contact phones as E.164 (the import’s are checked above)', async () => {
    const created = await admin.call('customers.create', {
      name: '电话客户甲',
      kind: 'person',
      phone: '138 1234 0001',
    });
    expect(created.data.phone).toBe('+8613812340001');
    const updated = await admin.call('customers.update', {
      id: created.data.id,
      phone: '(0571) 8755-8213 转 12',
    });
    expect(updated.data.phone).toBe('+8657187558213;ext=12');
    const contact = await admin.call('contacts.create', {
      customerId: created.data.id,
      name: '联系人',
      phones: ['０１０－１２３４５６７８', '+1 415 555 0100'],
    });
    expect(contact.error).toBeNull();
    const contacts = await admin.call('contacts.list', { customerId: created.data.id });
    expect(contacts.data[0].phones).toEqual(['+861012345678', '+14155550100']);
    const bad = await admin.call('customers.create', {
      name: '电话客户乙',
      kind: 'person',
      phone: '88888888',
    });
    expect(bad.error?.appCode).toBe('INVALID_PHONE');
  });
});

describe('search: a phone by its full number in any form, or by a suffix of 4 digits or more', () => {
  it('finds customers and contacts by 057187558212, 0571-8755-8212, +86 571 87558212, 87558212 and 8212', async () => {
    const t = await seedTenant(server.database, '电话搜索企业');
    const client = await signedInClient(server, t.users.admin.id, t.tenantId);
    const landline = await client.call('customers.create', {
      name: '杭州湖畔咖啡有限公司',
      kind: 'company',
      phone: '0571-8755 8212',
    });
    const mobile = await client.call('customers.create', {
      name: '张晓梅',
      kind: 'person',
      phone: '13812345678',
    });
    const viaContact = await client.call('customers.create', { name: '宁波海曙五金店', kind: 'company' });
    await client.call('contacts.create', {
      customerId: viaContact.data.id,
      name: '陈店长',
      phones: ['021-6123 4567'],
    });
    const other = await client.call('customers.create', {
      name: '温州鹿城眼镜行',
      kind: 'company',
      phone: '0577-8888 1234',
    });
    for (const created of [landline, mobile, viaContact, other]) expect(created.error).toBeNull();

    const found = async (search: string) => {
      const result = await client.call('customers.list', { search });
      expect(result.error, search).toBeNull();
      return result.data.items.map((item: { name: string }) => item.name).sort();
    };
    for (const search of [
      '057187558212',
      '0571-8755-8212',
      '0571 8755 8212',
      '+86 571 87558212',
      '+8657187558212',
      '(0571)87558212',
      '87558212',
      '8755-8212',
      '58212',
      '8212',
    ])
      expect(await found(search), search).toEqual(['杭州湖畔咖啡有限公司']);
    for (const search of ['13812345678', '138 1234 5678', '+86 138-1234-5678', '5678'])
      expect(await found(search), search).toEqual(['张晓梅']);
    for (const search of ['02161234567', '021-6123-4567', '61234567'])
      expect(await found(search), search).toEqual(['宁波海曙五金店']);
    // The last digits of a number, not digits in its middle (13812345678 does not end in 4567).
    expect(await found('4567')).toEqual(['宁波海曙五金店']);
    expect(await found('1234')).toEqual(['温州鹿城眼镜行']);
    expect(await found('9999')).toEqual([]);
  });
});
