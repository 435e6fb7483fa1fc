import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

let server: TestServer;
let tenant: SeededTenant;
let admin: TrpcClient;
let rep: TrpcClient;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '客户列表测试');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
  rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
});
afterAll(() => server.destroy());

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function ok(client: TrpcClient, path: string, input?: unknown) {
  const result = await client.call(path, input);
  expect(result.error, `${path}: ${JSON.stringify(result.error)}`).toBeNull();
  return result.data;
}

async function newCustomer(client: TrpcClient, name: string, extra: Record<string, unknown> = {}) {
  return (await ok(client, 'customers.create', { name, kind: 'company', ...extra })).id as string;
}

async function listIds(client: TrpcClient, input: Record<string, unknown>) {
  const items = (await ok(client, 'customers.list', { limit: 100, ...input })).items as { id: string }[];
  return items.map((item) => item.id);
}

describe('free tags', () => {
  it('are managed per tenant, applied in bulk all or nothing, filtered (all of), and deleting one untags everyone', async () => {
    const churn = await ok(admin, 'tags.create', { name: '高流失风险', color: 'red' });
    const price = await ok(admin, 'tags.create', { name: '价格敏感', color: 'gold' });
    expect((await admin.call('tags.create', { name: '高流失风险' })).error?.appCode).toBe('TAG_NAME_TAKEN');

    const a = await newCustomer(admin, '标签客户甲', { tagIds: [churn.id] });
    const b = await newCustomer(admin, '标签客户乙');
    const c = await newCustomer(admin, '标签客户丙');
    expect((await ok(admin, 'customers.get', { id: a })).tagIds).toEqual([churn.id]);

    expect(await ok(admin, 'customers.tag', { ids: [a, b], add: [price.id] })).toEqual({ updated: 2 });
    expect((await listIds(admin, { tagIds: [churn.id, price.id] })).sort()).toEqual([a]);
    expect((await listIds(admin, { tagIds: [price.id] })).sort()).toEqual([a, b].sort());

    // A rep cannot tag what they do not see: the whole batch fails, nothing changes.
    const repsOwn = await newCustomer(rep, '销售的客户');
    const refused = await rep.call('customers.tag', { ids: [repsOwn, c], add: [churn.id] });
    expect(refused.error?.appCode).toBe('CUSTOMER_NOT_FOUND');
    expect((await ok(admin, 'customers.get', { id: repsOwn })).tagIds).toEqual([]);
    // An unknown tag is refused too.
    const unknown = await admin.call('customers.tag', { ids: [c], add: [crypto.randomUUID()] });
    expect(unknown.error?.appCode).toBe('TAG_NOT_FOUND');
    const nothing = await admin.call('customers.tag', { ids: [c] });
    expect(nothing.error?.fieldErrors).toEqual([{ path: 'add', message: '请选择要添加或移除的标签' }]);

    expect(await ok(admin, 'customers.tag', { ids: [a], remove: [churn.id] })).toEqual({ updated: 1 });
    expect((await ok(admin, 'customers.get', { id: a })).tagIds).toEqual([price.id]);

    expect(await ok(admin, 'tags.delete', { id: price.id })).toEqual({ untagged: 2 });
    expect((await ok(admin, 'customers.get', { id: b })).tagIds).toEqual([]);
    expect((await ok(admin, 'tags.list')).map((tag: { name: string }) => tag.name)).toContain('高流失风险');

    // The field change is audited and shows in the timeline.
    const timeline = await ok(admin, 'customers.timeline', { id: a });
    expect(JSON.stringify(timeline.items)).toContain('tag_ids');
  });
});

describe('custom fields', () => {
  it('validate values on write by type, are required when defined so, and filter and sort like built-in fields', async () => {
    await ok(admin, 'customFields.create', {
      key: 'licence_no',
      labelZh: '营业执照号',
      labelEn: 'Business licence number',
      type: 'text',
    });
    await ok(admin, 'customFields.create', {
      key: 'employees',
      labelZh: '员工人数',
      labelEn: 'Employees',
      type: 'number',
    });
    await ok(admin, 'customFields.create', {
      key: 'credit_line',
      labelZh: '授信额度',
      labelEn: 'Credit line',
      type: 'money',
    });
    await ok(admin, 'customFields.create', {
      key: 'signed_on',
      labelZh: '签约日期',
      labelEn: 'Signed on',
      type: 'date',
    });
    const grade = await ok(admin, 'customFields.create', {
      key: 'grade',
      labelZh: '信用等级',
      labelEn: 'Credit grade',
      type: 'enum',
      options: [
        { value: 'a', labelZh: 'A 级', labelEn: 'A' },
        { value: 'b', labelZh: 'B 级', labelEn: 'B' },
        { value: 'c', labelZh: 'C 级', labelEn: 'C' },
      ],
    });
    await ok(admin, 'customFields.create', {
      key: 'channels',
      labelZh: '合作渠道',
      labelEn: 'Channels',
      type: 'multi_enum',
      options: [
        { value: 'online', labelZh: '线上', labelEn: 'Online' },
        { value: 'store', labelZh: '门店', labelEn: 'Store' },
      ],
    });
    await ok(admin, 'customFields.create', { key: 'vip', labelZh: '贵宾', labelEn: 'VIP', type: 'boolean' });
    expect(
      (await admin.call('customFields.create', { key: 'vip', labelZh: 'x', labelEn: 'x', type: 'text' }))
        .error?.appCode,
    ).toBe('CUSTOM_FIELD_KEY_TAKEN');
    expect(
      (
        await admin.call('customFields.create', {
          key: 'empty_enum',
          labelZh: 'x',
          labelEn: 'x',
          type: 'enum',
        })
      ).error?.appCode,
    ).toBe('CUSTOM_FIELD_OPTIONS_REQUIRED');
    expect(
      (await admin.call('customFields.create', { key: 'Bad-Key', labelZh: 'x', labelEn: 'x', type: 'text' }))
        .error?.fieldErrors?.[0]?.path,
    ).toBe('key');

    const rows = [
      {
        name: '字段客户一',
        values: {
          employees: 120,
          credit_line: '500000',
          grade: 'a',
          channels: ['online'],
          vip: true,
          signed_on: '2025-03-01',
        },
      },
      {
        name: '字段客户二',
        values: {
          employees: '35',
          credit_line: 80000.5,
          grade: 'b',
          channels: ['online', 'store'],
          vip: false,
        },
      },
      {
        name: '字段客户三',
        values: { employees: '1200', grade: 'a', licence_no: '91310000MA1FL1234X', signed_on: '2026-01-15' },
      },
      { name: '字段客户四', values: {} },
    ];
    const ids: string[] = [];
    for (const row of rows)
      ids.push(await newCustomer(admin, row.name, { customFields: row.values, industry: '字段测试' }));
    const [one, two, three, four] = ids as [string, string, string, string];
    expect((await ok(admin, 'customers.get', { id: two })).customFields).toEqual({
      employees: '35',
      credit_line: '80000.5',
      grade: 'b',
      channels: ['online', 'store'],
      vip: false,
    });

    // Bad values: named under the field, in the user's language, and nothing is written.
    const bad = [
      [{ employees: 'many' }, 'CUSTOM_FIELD_INVALID'],
      [{ credit_line: '1.005' }, 'CUSTOM_FIELD_INVALID'],
      [{ signed_on: '2026-02-30' }, 'CUSTOM_FIELD_INVALID'],
      [{ grade: 'z' }, 'CUSTOM_FIELD_INVALID'],
      [{ channels: ['online', 'online'] }, 'CUSTOM_FIELD_INVALID'],
      [{ vip: 'yes' }, 'CUSTOM_FIELD_INVALID'],
      [{ nonexistent: 'x' }, 'CUSTOM_FIELD_NOT_FOUND'],
    ] as const;
    for (const [values, code] of bad) {
      const result = await admin.call('customers.update', {
        id: four,
        name: '不应保存',
        customFields: values,
      });
      expect(result.error?.appCode, JSON.stringify(values)).toBe(code);
      expect(result.error?.fieldErrors?.[0]?.path).toBe(`customFields.${Object.keys(values)[0]}`);
    }
    expect((await ok(admin, 'customers.get', { id: four })).name).toBe('字段客户四');
    const english = await signedInClient(server, tenant.users.admin.id, tenant.tenantId, {
      headers: { 'accept-language': 'en' },
    });
    const message = (await english.call('customers.update', { id: four, customFields: { employees: 'x' } }))
      .error?.message;
    expect(message).toBe('Employees must be a number');
    const chinese = (await admin.call('customers.update', { id: four, customFields: { employees: 'x' } }))
      .error?.message;
    expect(chinese).toBe('员工人数须为数字');

    // Clearing one value keeps the others.
    await ok(admin, 'customers.update', { id: two, customFields: { vip: null } });
    expect((await ok(admin, 'customers.get', { id: two })).customFields).not.toHaveProperty('vip');
    expect((await ok(admin, 'customers.get', { id: two })).customFields.grade).toBe('b');

    const filter = (custom: unknown[], extra: Record<string, unknown> = {}) =>
      listIds(admin, { industry: '字段测试', custom, ...extra });
    expect((await filter([{ key: 'grade', op: 'eq', value: 'a' }])).sort()).toEqual([one, three].sort());
    expect((await filter([{ key: 'grade', op: 'in', value: ['a', 'b'] }])).length).toBe(3);
    expect(
      await filter([
        { key: 'employees', op: 'gte', value: '100' },
        { key: 'employees', op: 'lte', value: '500' },
      ]),
    ).toEqual([one]);
    expect(await filter([{ key: 'channels', op: 'hasAll', value: ['online', 'store'] }])).toEqual([two]);
    expect(await filter([{ key: 'licence_no', op: 'contains', value: 'ma1fl' }])).toEqual([three]);
    expect(await filter([{ key: 'vip', op: 'eq', value: true }])).toEqual([one]);
    expect(await filter([{ key: 'signed_on', op: 'gte', value: '2025-06-01' }])).toEqual([three]);
    expect(await filter([{ key: 'grade', op: 'empty' }])).toEqual([four]);
    expect(
      (await admin.call('customers.list', { custom: [{ key: 'grade', op: 'gte', value: 'a' }] })).error
        ?.appCode,
    ).toBe('CUSTOM_FILTER_INVALID');

    // Sorted by a number field, paged one by one with keyset cursors: every customer once, in order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await ok(admin, 'customers.list', {
        industry: '字段测试',
        sort: 'custom:employees',
        direction: 'desc',
        limit: 1,
        cursor,
      });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([three, one, two, four]);
    expect(await listIds(admin, { industry: '字段测试', sort: 'custom:grade', direction: 'asc' })).toEqual([
      four,
      ...[one, three].sort(),
      two,
    ]);

    // Required fields: new customers must have one; nobody can clear it.
    await ok(admin, 'customFields.update', { id: grade.id, required: true });
    expect((await admin.call('customers.create', { name: '缺等级', kind: 'company' })).error?.appCode).toBe(
      'CUSTOM_FIELD_REQUIRED',
    );
    expect(
      (await admin.call('customers.update', { id: one, customFields: { grade: null } })).error?.appCode,
    ).toBe('CUSTOM_FIELD_REQUIRED');
    await ok(admin, 'customFields.update', { id: grade.id, required: false });

    // A type cannot change under existing values; an option in use cannot be removed.
    expect((await admin.call('customFields.update', { id: grade.id, type: 'text' })).error?.appCode).toBe(
      'CUSTOM_FIELD_TYPE_LOCKED',
    );
    expect(
      (
        await admin.call('customFields.update', {
          id: grade.id,
          options: [{ value: 'a', labelZh: 'A 级', labelEn: 'A' }],
        })
      ).error?.appCode,
    ).toBe('CUSTOM_FIELD_OPTION_IN_USE');
    await ok(admin, 'customFields.update', {
      id: grade.id,
      options: [
        { value: 'a', labelZh: 'A 级（优）', labelEn: 'A' },
        { value: 'b', labelZh: 'B 级', labelEn: 'B' },
      ],
    });

    // A retired field leaves forms and filters; its values stay.
    await ok(admin, 'customFields.archive', { id: grade.id });
    expect(
      (await admin.call('customers.update', { id: one, customFields: { grade: 'b' } })).error?.appCode,
    ).toBe('CUSTOM_FIELD_NOT_FOUND');
    expect((await ok(admin, 'customers.get', { id: one })).customFields.grade).toBe('a');
    await ok(admin, 'customFields.archive', { id: grade.id, archived: false });
  });
});

describe('completeness', () => {
  it('is the weighted share of the key fields, follows edits and contacts, and changes with the tenant weights', async () => {
    const id = await newCustomer(admin, '完整度测试公司');
    let profile = await ok(admin, 'customers.get', { id });
    // Only the owner (not a default key field) is set: nothing of the default keys.
    expect(profile.completeness).toBe(0);
    expect(profile.completenessMissing.slice(0, 2).sort()).toEqual(['contacts', 'phone']);

    await ok(admin, 'customers.update', { id, phone: '13812345678', industry: '制造业' });
    profile = await ok(admin, 'customers.get', { id });
    // phone 3 + industry 2 of 17.
    expect(profile.completeness).toBe(Math.round((100 * 5) / 17));
    expect(profile.completenessMissing).not.toContain('phone');

    await ok(admin, 'contacts.create', { customerId: id, name: '刘总', phones: ['13900001111'] });
    profile = await ok(admin, 'customers.get', { id });
    expect(profile.completeness).toBe(Math.round((100 * 8) / 17));

    await ok(admin, 'customers.update', {
      id,
      email: 'info@example.com',
      customerNumber: 'C-9001',
      addresses: [{ province: '江苏省', city: '苏州市', street: '金鸡湖大道 88 号' }],
      foundedOn: '2008-05-01',
      explicitNeeds: '扩充产线',
      painPoints: '交期不稳',
      purchasePlan: '明年一季度采购两台设备',
    });
    profile = await ok(admin, 'customers.get', { id });
    expect(profile.completeness).toBe(100);
    expect(profile.completenessMissing).toEqual([]);

    // A person has no contacts key: it is left out rather than counted as missing.
    const person = await newCustomer(admin, '完整度个人', { kind: 'person', phone: '13700001111' });
    expect((await ok(admin, 'customers.get', { id: person })).completeness).toBe(Math.round((100 * 3) / 14));

    // The tenant weighs only the phone now: everyone is recomputed at once.
    const rules = await ok(admin, 'settings.updateCustomerRules', { completenessWeights: { phone: 1 } });
    expect(rules.completenessWeights).toEqual({ phone: 1 });
    expect((await ok(admin, 'customers.get', { id: person })).completeness).toBe(100);
    expect(
      (await admin.call('settings.updateCustomerRules', { completenessWeights: { nonsense: 1 } })).error
        ?.appCode,
    ).toBe('COMPLETENESS_KEY_UNKNOWN');
    const empty = await admin.call('settings.updateCustomerRules', { completenessWeights: { phone: 0 } });
    expect(empty.error?.fieldErrors?.[0]?.message).toBe('请至少给一个关键字段设置大于 0 的权重');
    expect(
      (await rep.call('settings.updateCustomerRules', { completenessWeights: { phone: 1 } })).error?.appCode,
    ).toBe('FORBIDDEN');

    // Filter and summary.
    const low = await newCustomer(admin, '无电话的客户');
    expect(await listIds(admin, { completenessMax: 0, search: '无电话的客户' })).toEqual([low]);
    const summary = await ok(admin, 'customers.completenessSummary');
    const { rows } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{
        n: number;
        avg: string;
        complete: number;
      }>`select count(*)::int as n, round(avg(completeness), 1)::text as avg,
        count(*) filter (where completeness >= 90)::int as complete from customers where archived_at is null`.execute(
        trx,
      ),
    );
    expect(summary.customers).toBe(rows[0]?.n);
    expect(summary.average).toBe(Number(rows[0]?.avg));
    expect(summary.complete).toBe(rows[0]?.complete);
    expect(summary.goal).toBe(90);

    // Stale: not updated for 30 days.
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update customers set updated_at = now() - interval '31 days' where id = ${low}`.execute(trx),
    );
    expect((await ok(admin, 'customers.get', { id: low })).stale).toBe(true);
    expect(await listIds(admin, { stale: true, search: '无电话的客户' })).toEqual([low]);
    expect(await listIds(admin, { stale: false, search: '无电话的客户' })).toEqual([]);
    await ok(admin, 'settings.updateCustomerRules', {
      completenessWeights: {
        phone: 3,
        contacts: 3,
        industry: 2,
        addresses: 2,
        explicit_needs: 2,
        email: 1,
        customer_number: 1,
        anniversary: 1,
        pain_points: 1,
        purchase_plan: 1,
      },
    });
  });
});

describe('search', () => {
  it('finds Chinese names of two characters, one character, phone tails, numbers and contacts of a company', async () => {
    const zhangWei = await newCustomer(admin, '张伟', { kind: 'person', phone: '13912348765' });
    const company = await newCustomer(admin, '上海华东贸易有限公司', { customerNumber: 'SH-2026-001' });
    await ok(admin, 'contacts.create', { customerId: company, name: '欧阳娜娜', phones: ['021-55556666'] });
    const other = await newCustomer(admin, '王芳', { kind: 'person', phone: '13600000000' });
    expect(await listIds(admin, { search: '张伟' })).toEqual([zhangWei]);
    expect(await listIds(admin, { search: '伟' })).toContain(zhangWei);
    expect(await listIds(admin, { search: '8765' })).toEqual([zhangWei]);
    expect(await listIds(admin, { search: '139 1234 8765' })).toEqual([zhangWei]);
    expect(await listIds(admin, { search: '华东贸易' })).toEqual([company]);
    expect(await listIds(admin, { search: 'sh-2026' })).toEqual([company]);
    expect(await listIds(admin, { search: '欧阳' })).toEqual([company]);
    expect(await listIds(admin, { search: '55556666' })).toEqual([company]);
    expect(await listIds(admin, { search: '张芳' })).toEqual([]);
    // One or two letters have no trigram: a plain match on the name, number and email.
    const latin = await newCustomer(admin, 'Li Ning Sports', { kind: 'company' });
    expect(await listIds(admin, { search: 'Li' })).toEqual([latin]);
    expect(await listIds(admin, { search: 'ning sp' })).toEqual([latin]);
    expect(await listIds(admin, { search: '王芳' })).toEqual([other]);
    // A rep searching finds only their own.
    expect(await listIds(rep, { search: '张伟' })).toEqual([]);
  });
});

describe('system tags', () => {
  it('derive the value level from 12-month amounts and the activity level from touches, and filter', async () => {
    const big = await newCustomer(admin, '大客户', { needType: 'product' });
    const small = await newCustomer(admin, '小客户', { needType: 'service' });
    await ok(admin, 'orders.create', { customerId: big, orderedAt: daysAgo(10), amount: '150000' });
    await ok(admin, 'orders.create', { customerId: small, orderedAt: daysAgo(10), amount: '40000' });
    expect((await ok(admin, 'customers.get', { id: big })).valueLevel).toBe('high');
    expect((await ok(admin, 'customers.get', { id: small })).valueLevel).toBe('mid');
    expect((await ok(admin, 'customers.get', { id: small })).activityLevel).toBe('low');
    await ok(admin, 'interactions.log', { customerId: small, kind: 'call', summary: '回访' });
    const profile = await ok(admin, 'customers.get', { id: small });
    expect(profile).toMatchObject({ recentTouches: 2, activityLevel: 'mid' });
    expect(await listIds(admin, { valueLevels: ['high'], needTypes: ['product'] })).toEqual([big]);
    expect(await listIds(admin, { activityLevels: ['mid'], search: '小客户' })).toEqual([small]);

    // Tenant thresholds move everyone at once.
    await ok(admin, 'settings.updateCustomerRules', { valueHighAmount: '30000', valueMidAmount: '10000' });
    expect((await ok(admin, 'customers.get', { id: small })).valueLevel).toBe('high');
    expect(
      (await admin.call('settings.updateCustomerRules', { valueHighAmount: '100', valueMidAmount: '200' }))
        .error?.appCode,
    ).toBe('THRESHOLD_ORDER');
    await ok(admin, 'settings.updateCustomerRules', { valueHighAmount: '100000', valueMidAmount: '30000' });
    expect((await ok(admin, 'customers.get', { id: small })).valueLevel).toBe('mid');

    // Built-in filters on amounts and deal dates.
    expect(await listIds(admin, { amount12mMin: '100000', search: '大客户' })).toEqual([big]);
    expect(await listIds(admin, { amount12mMax: '99999', search: '大客户' })).toEqual([]);
    const since = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
    expect((await listIds(admin, { lastDealFrom: since, orderCountMin: 1 })).sort()).toEqual(
      [big, small].sort(),
    );
  });
});

describe('saved views', () => {
  it('are private unless shared by a role that may share, and name only this tenant’s tags and members', async () => {
    const mine = await ok(rep, 'views.create', {
      name: '我的流失预警',
      query: { lifecycleStages: ['at_risk'], sort: 'amount12m' },
      columns: ['stage', 'amount12m', 'tags'],
    });
    expect(mine).toMatchObject({ mine: true, shared: false, columns: ['stage', 'amount12m', 'tags'] });
    expect(mine.query).toMatchObject({ lifecycleStages: ['at_risk'], sort: 'amount12m', direction: 'desc' });
    expect(
      (await rep.call('views.create', { name: '共享给全员', shared: true, query: {} })).error?.appCode,
    ).toBe('FORBIDDEN');
    expect((await rep.call('views.create', { name: '我的流失预警', query: {} })).error?.appCode).toBe(
      'VIEW_NAME_TAKEN',
    );
    expect(
      (await rep.call('views.create', { name: '外部标签', query: { tagIds: [crypto.randomUUID()] } })).error
        ?.appCode,
    ).toBe('TAG_NOT_FOUND');
    expect(
      (await rep.call('views.create', { name: '外部负责人', query: { ownerUserIds: [crypto.randomUUID()] } }))
        .error?.appCode,
    ).toBe('OWNER_NOT_MEMBER');
    expect(
      (await rep.call('views.create', { name: '坏列', query: {}, columns: ['password'] })).error?.code,
    ).toBe('BAD_REQUEST');

    const shared = await ok(admin, 'views.create', {
      name: '重点客户',
      shared: true,
      query: { valueLevels: ['high'] },
      columns: ['owner', 'valueLevel'],
    });
    const adminsPrivate = await ok(admin, 'views.create', { name: '管理员私有', query: {} });
    const repViews = (await ok(rep, 'views.list')) as { id: string; mine: boolean }[];
    expect(repViews.map((view) => view.id).sort()).toEqual([mine.id, shared.id].sort());
    expect(repViews.find((view) => view.id === shared.id)?.mine).toBe(false);

    // Others' views: a rep can neither change nor delete them; private ones look absent.
    expect((await rep.call('views.update', { id: shared.id, name: '改' })).error?.appCode).toBe('FORBIDDEN');
    expect((await rep.call('views.delete', { id: adminsPrivate.id })).error?.appCode).toBe('VIEW_NOT_FOUND');
    const renamed = await ok(rep, 'views.update', { id: mine.id, name: '流失预警', columns: ['stage'] });
    expect(renamed).toMatchObject({ name: '流失预警', columns: ['stage'] });
    await ok(rep, 'views.delete', { id: mine.id });
    expect(((await ok(rep, 'views.list')) as { id: string }[]).map((view) => view.id)).toEqual([shared.id]);
  });
});

describe('bulk archive and the one-call profile', () => {
  it('archives many all or nothing, and returns the whole 360 page in one call', async () => {
    const a = await newCustomer(admin, '批量归档一');
    const b = await newCustomer(admin, '批量归档二');
    const repsOwn = await newCustomer(rep, '销售的归档测试');
    const manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
    expect((await rep.call('customers.archiveMany', { ids: [repsOwn] })).error?.appCode).toBe('FORBIDDEN');
    expect(
      (await admin.call('customers.archiveMany', { ids: [a, crypto.randomUUID()] })).error?.appCode,
    ).toBe('CUSTOMER_NOT_FOUND');
    expect((await ok(admin, 'customers.get', { id: a })).archivedAt).toBeNull();
    expect(await ok(admin, 'customers.archiveMany', { ids: [a, b] })).toEqual({ updated: 2 });
    expect(await listIds(admin, { archived: true, search: '批量归档' })).toHaveLength(2);
    expect(await ok(admin, 'customers.archiveMany', { ids: [a, b], archived: false })).toEqual({
      updated: 2,
    });
    expect(manager).toBeTruthy();

    await ok(admin, 'contacts.create', { customerId: a, name: '采购部 李娜' });
    await ok(admin, 'orders.create', { customerId: a, orderedAt: daysAgo(3), amount: '880' });
    await ok(admin, 'interactions.log', { customerId: a, kind: 'visit', summary: '上门拜访' });
    const page = await ok(admin, 'customers.profile', { id: a });
    expect(page.customer.id).toBe(a);
    expect(page.contacts.map((contact: { name: string }) => contact.name)).toEqual(['采购部 李娜']);
    expect(page.orders.items).toHaveLength(1);
    expect(page.interactions).toHaveLength(1);
    const kinds = new Set(page.timeline.items.map((entry: { kind: string }) => entry.kind));
    expect(kinds.has('order')).toBe(true);
    expect(kinds.has('interaction')).toBe(true);
    expect((await rep.call('customers.profile', { id: a })).error?.appCode).toBe('CUSTOMER_NOT_FOUND');
  });
});
