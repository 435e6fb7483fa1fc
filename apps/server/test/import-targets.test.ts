import { pluginTierSource, retierTenant, runImport } from '@crm/api';
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
 * The targets a spreadsheet from another CRM or Excel brings besides the profile (issue 15):
 * 备注 on the timeline, 首次合作时间, historical figures as an opening balance the facts, the
 * lifecycle and the tier use, birthdays and anniversaries, address parts, owner by name or
 * email. Columns are mapped by the upload's own suggestions, as the wizard does.
 */

let server: TestServer;
let tenant: SeededTenant;
let admin: TrpcClient;

const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** Today and n days ago in Beijing, as YYYY-MM-DD. */
function beijingDate(daysAgo = 0): string {
  const shifted = new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000);
  return shifted.toISOString().slice(0, 10);
}

async function upload(client: TrpcClient, content: string) {
  const response = await server.app.request(
    'http://localhost:3000/api/imports/files',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent('老系统客户.csv'),
        cookie: client.cookie as string,
        origin: PUBLIC_URL,
      },
      body: new TextEncoder().encode(content),
    },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  expect(response.status).toBe(201);
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  return (await response.json()) as any;
}

/** Uploads, maps by the suggestions, runs the job here; answers the run and the mapping used. */
async function importFile(
  client: TrpcClient,
  content: string,
  options: { dryRun?: boolean; onMatch?: string } = {},
) {
  const uploaded = await upload(client, content);
  const mapping = Object.fromEntries(
    Object.entries(uploaded.suggestions.customers as Record<string, string | null>).filter(
      (entry): entry is [string, string] => entry[1] !== null,
    ),
  );
  const started = await client.call('imports.start', {
    fileId: uploaded.fileId,
    entity: 'customers',
    mapping,
    dryRun: options.dryRun ?? false,
    onMatch: options.onMatch ?? 'skip',
  });
  expect(started.error).toBeNull();
  await runImport(server.dependencies, tenant.tenantId, started.data.runId);
  const run = await client.call('imports.get', { runId: started.data.runId });
  expect(run.error).toBeNull();
  if (run.data.status === 'failed' && run.data.failure !== 'HAS_ERRORS')
    throw new Error(
      JSON.stringify(server.logger.lines.filter((line) => line.message === 'import failed').at(-1)),
    );
  return { run: run.data, mapping };
}

async function customerNamed(name: string) {
  const found = await server.database.withTenant(tenant.tenantId, (trx) =>
    trx.selectFrom('customers').select('id').where('name', '=', name).executeTakeFirstOrThrow(),
  );
  const profile = await admin.call('customers.profile', { id: found.id });
  expect(profile.error).toBeNull();
  return profile.data;
}

/** Re-tiers the tenant as the re-tier job does (its model and effective settings). */
async function retier() {
  const resolve = pluginTierSource(server.dependencies.plugins);
  await server.database.withTenant(tenant.tenantId, async (trx) => {
    const source = await resolve(trx, tenant.tenantId);
    if (!source) throw new Error('the retail tenant has no tier model');
    await retierTenant(trx, tenant.tenantId, 'settings', tenant.users.admin.id, source);
  });
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '老系统迁移零售', 'retail');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
});
afterAll(() => server?.destroy());

describe('import targets', () => {
  it('maps the usual Chinese headers of another system to the new targets', async () => {
    const uploaded = await upload(
      admin,
      csv([
        '客户名称,备注,首次合作时间,近12个月交易额,累计交易额,订单数,最近交易日期,生日,纪念日,省,市,区县,详细地址,客户经理,联系人,联系人生日',
        '映射测试,,,,,,,,,,,,,,,',
      ]),
    );
    expect(uploaded.suggestions.customers).toMatchObject({
      备注: 'note',
      首次合作时间: 'first_cooperation_on',
      近12个月交易额: 'opening.amount_12m',
      累计交易额: 'opening.amount_lifetime',
      订单数: 'opening.order_count',
      最近交易日期: 'opening.last_deal_on',
      生日: 'birthday',
      纪念日: 'anniversary_on',
      省: 'address.province',
      市: 'address.city',
      区县: 'address.district',
      详细地址: 'address',
      客户经理: 'owner',
      联系人: 'contact.name',
      联系人生日: 'contact.birthday',
    });
  });

  it('brings notes, dates, address parts, owners and opening figures onto the profile', async () => {
    const rep = tenant.users.sales_rep;
    const manager = tenant.users.sales_manager;
    const weekAgo = beijingDate(7);
    const { run } = await importFile(
      admin,
      csv([
        '客户名称,客户类型,备注,首次合作时间,近12个月交易额,累计交易额,订单数,最近交易日期,生日,纪念日,省,市,区县,详细地址,负责人,联系人,联系人生日',
        `杭州老客户有限公司,企业,老客户，年底要回访,2019年3月5日,"¥500,000",120万元,18,${weekAgo},,,浙江省,杭州市,西湖区,文三路100号,${rep.name},王经理,1980/7/1`,
        `张三,个人,喜欢电话沟通,43531,3000元,0.5万,,${weekAgo.replaceAll('-', '/')},1990年5月6日,2015-10-01,,,,上海浦东新区世纪大道1号,${manager.email.toUpperCase()},,`,
      ]),
    );
    expect(run.errors).toEqual([]);
    expect(run).toMatchObject({ status: 'committed', created: 2 });

    const company = await customerNamed('杭州老客户有限公司');
    expect(company.customer).toMatchObject({
      ownerUserId: rep.id,
      firstCooperationOn: '2019-03-05',
      addresses: [{ province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路100号' }],
      openingBalance: {
        asOf: beijingDate(0),
        amount12m: '500000.00',
        amountLifetime: '1200000.00',
        orderCount: 18,
        lastDealOn: weekAgo,
      },
      // Facts = the balance (no orders yet): 18 orders, last deal a week ago → 忠诚; > 10 万 → 高价值.
      amount12m: '500000.00',
      amountLifetime: '1200000.00',
      orderCount: 18,
      lifecycleStage: 'loyal',
      valueLevel: 'high',
    });
    expect(company.customer.firstDealAt?.slice(0, 10)).toBe('2019-03-04'); // Beijing midnight, in UTC
    expect(company.contacts[0]).toMatchObject({ name: '王经理' });
    const contactBirthday = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('contacts')
        .select('birthday')
        .where('customer_id', '=', company.customer.id)
        .executeTakeFirstOrThrow(),
    );
    expect(contactBirthday.birthday).toBe('1980-07-01');
    const note = company.timeline.items.find((item: { kind: string }) => item.kind === 'note');
    expect(note).toMatchObject({
      actorName: tenant.users.admin.name,
      data: { body: '老客户，年底要回访', imported: true },
    });
    expect(Date.now() - new Date(note.occurredAt).getTime()).toBeLessThan(5 * 60_000);

    const person = await customerNamed('张三');
    expect(person.customer).toMatchObject({
      kind: 'person',
      ownerUserId: manager.id,
      birthday: '1990-05-06',
      anniversaryOn: '2015-10-01',
      // Excel's serial date 43531 is 2019-03-07.
      firstCooperationOn: '2019-03-07',
      addresses: [{ province: '上海市', city: '上海市', district: '浦东新区', street: '世纪大道1号' }],
      // No 订单数: figures mean at least one order.
      openingBalance: { amount12m: '3000.00', amountLifetime: '5000.00', orderCount: 1 },
      orderCount: 1,
      lifecycleStage: 'new',
    });

    // The tier the retail model gives for those figures: > 10,000 in 12 months is 头部, 1,000–10,000 腰部.
    await retier();
    expect((await customerNamed('杭州老客户有限公司')).customer.tier).toBe('retail_head');
    expect((await customerNamed('张三')).customer.tier).toBe('retail_waist');
  });

  it('adds the orders placed after the as-of date to the opening balance, and not those before', async () => {
    const { run } = await importFile(
      admin,
      csv([
        '客户名称,近12个月交易额,累计交易额,订单数,期初数据截止日期',
        `期初叠加客户,"8,000",20000,3,${beijingDate(10)}`,
      ]),
    );
    expect(run.errors).toEqual([]);
    const { customer } = await customerNamed('期初叠加客户');
    // 10 days after its as-of date, 10/365 of the 12-month figure has left the window.
    expect(customer.amount12m).toBe((8000 * (1 - 10 / 365)).toFixed(2));
    expect(customer.lifecycleStage).toBe('returning');
    // Before the as-of date: already in the balance. After it: on top.
    const before = await admin.call('orders.create', {
      customerId: customer.id,
      orderedAt: new Date(Date.now() - 20 * 86_400_000).toISOString(),
      amount: '700',
    });
    expect(before.error).toBeNull();
    let after = await customerNamed('期初叠加客户');
    expect(after.customer).toMatchObject({ amountLifetime: '20000.00', orderCount: 3 });
    const later = await admin.call('orders.create', {
      customerId: customer.id,
      orderedAt: new Date().toISOString(),
      amount: '5000',
    });
    expect(later.error).toBeNull();
    after = await customerNamed('期初叠加客户');
    expect(after.customer).toMatchObject({
      amountLifetime: '25000.00',
      orderCount: 4,
      amount12m: (8000 * (1 - 10 / 365) + 5000).toFixed(2),
    });
    expect(after.customer.openingBalance).toMatchObject({ amount12m: '8000.00', orderCount: 3 });
    await retier();
    expect((await customerNamed('期初叠加客户')).customer.tier).toBe('retail_head');
  });

  it('an unknown or ambiguous owner and inconsistent figures are row errors in both languages', async () => {
    // A second member with the sales rep's name: the name alone no longer says who.
    const twin = await server.database.withScope({}, (trx) =>
      trx
        .insertInto('users')
        .values({
          email: `twin.${crypto.randomUUID().slice(0, 8)}@example.com`,
          name: tenant.users.marketing.name,
          password_hash: 'x',
          locale: 'zh-CN',
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .insertInto('memberships')
        .values({ tenant_id: tenant.tenantId, user_id: twin.id, role: 'sales_rep' })
        .execute(),
    );
    const { run } = await importFile(
      admin,
      csv([
        '客户名称,负责人,近12个月交易额,累计交易额,订单数,最近交易日期,首次合作时间',
        '无此负责人,不存在的人,,,,,',
        `重名负责人,${tenant.users.marketing.name},,,,,`,
        '金额矛盾,,5000,1000,,,',
        '订单数为零,,5000,5000,0,,',
        `日期太旧,,5000,5000,,${beijingDate(400)},`,
        '金额格式错,,五千,,,,',
        '日期格式错,,,,,2024-02-30,',
        `未来合作,,,,,,${beijingDate(-3)}`,
        '好的一行,,"1,000",,,,',
      ]),
      { dryRun: true },
    );
    const reasons = run.errors.map((error: { rowNumber: number; reason: string }) => [
      error.rowNumber,
      error.reason,
    ]);
    expect(reasons).toEqual([
      [2, 'MEMBER_NOT_FOUND'],
      [3, 'MEMBER_AMBIGUOUS'],
      [4, 'OPENING_12M_ABOVE_LIFETIME'],
      [5, 'OPENING_COUNT_ZERO'],
      [6, 'OPENING_LAST_DEAL_TOO_OLD'],
      [7, 'AMOUNT_FORMAT'],
      [8, 'DATE_INVALID'],
      [9, 'FIRST_COOPERATION_FUTURE'],
    ]);
    expect(run.validRows).toBe(1);
    expect(run.errors[0].message).toContain('找不到成员“不存在的人”');
    expect(run.errors[1].message).toContain('请改填其邮箱');
    expect(run.errors[2].message).toBe('近12个月交易额不能大于累计交易额');
    const english = server.client({ cookie: admin.cookie, headers: { 'x-locale': 'en' } });
    const again = await english.call('imports.get', { runId: run.id });
    expect(again.data.errors[1].message).toContain('More than one member is called');
    expect(again.data.errors[2].message).toBe(
      'Revenue of the last 12 months cannot be more than the lifetime revenue',
    );
  });

  it('a re-import that updates adds a new note once and replaces the opening balance', async () => {
    const file = (note: string, amount: string) =>
      csv(['客户名称,备注,近12个月交易额,累计交易额', `更新期初客户,${note},${amount},${amount}`]);
    await importFile(admin, file('第一次导入的备注', '2000'));
    await importFile(admin, file('第二次导入的备注', '3000'), { onMatch: 'update' });
    await importFile(admin, `${file('第二次导入的备注', '3000')}\r\n`, { onMatch: 'update' });
    const { customer, timeline } = await customerNamed('更新期初客户');
    expect(customer.openingBalance).toMatchObject({ amount12m: '3000.00' });
    expect(customer.amount12m).toBe('3000.00');
    const notes = timeline.items
      .filter((item: { kind: string }) => item.kind === 'note')
      .map((item: { data: { body: string } }) => item.data.body);
    expect(notes.sort()).toEqual(['第一次导入的备注', '第二次导入的备注']);
  });
});
