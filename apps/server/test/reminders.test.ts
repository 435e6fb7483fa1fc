import { jobScope, runReminders, syncPluginCustomFields } from '@crm/api';
import { sql } from '@crm/db';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/*
 * Reminders (提醒) made by the daily run, with a fixed day for each run: a birthday greeting
 * exactly 3 days before and never twice; lunar birthdays (农历) on their solar day in 2026
 * and 2027; 29 February in other years; 春节 2027 on its real date minus the offset, for the
 * audience's tiers only; the call-back 7 days after the first order only; a loan maturity
 * 30 days ahead; a missed day made late, an occasion long past never.
 */

let server: TestServer;
let retail: SeededTenant;
let b2b: SeededTenant;
let banking: SeededTenant;
let retailAdmin: TrpcClient;
let b2bAdmin: TrpcClient;
let bankingAdmin: TrpcClient;

beforeAll(async () => {
  server = await createTestServer();
  retail = await seedTenant(server.database, '提醒测试零售', 'retail');
  b2b = await seedTenant(server.database, '提醒测试制造', 'b2b');
  banking = await seedTenant(server.database, '提醒测试银行', 'corporate-banking');
  const bankingPlugin = server.dependencies.plugins.get('corporate-banking');
  if (!bankingPlugin) throw new Error('the corporate-banking plugin is not loaded');
  await server.database.withTenant(banking.tenantId, (trx) =>
    syncPluginCustomFields(trx, banking.tenantId, bankingPlugin),
  );
  retailAdmin = await signedInClient(server, retail.users.admin.id, retail.tenantId);
  b2bAdmin = await signedInClient(server, b2b.users.admin.id, b2b.tenantId);
  bankingAdmin = await signedInClient(server, banking.users.admin.id, banking.tenantId);
}, 60_000);
afterAll(() => server?.destroy());

function run(tenant: SeededTenant, today: string): Promise<number> {
  return server.database
    .withTenant(tenant.tenantId, (trx) =>
      runReminders(jobScope(trx, tenant.tenantId), server.dependencies.plugins, today),
    )
    .then((result) => result.created);
}

type TaskRow = {
  title: string;
  type: string;
  due_on: string;
  owner_user_id: string | null;
  contact_id: string | null;
  source: string;
  source_key: string;
};

async function tasksOf(tenant: SeededTenant, customerId: string): Promise<TaskRow[]> {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const result = await sql<TaskRow>`
      select title, type, due_on::text as due_on, owner_user_id, contact_id, source, source_key
      from tasks where tenant_id = ${tenant.tenantId} and customer_id = ${customerId}
      order by due_on, source_key`.execute(trx);
    return result.rows;
  });
}

async function createCustomer(client: TrpcClient, input: Record<string, unknown>): Promise<string> {
  const result = await client.call('customers.create', { kind: 'person', ...input });
  expect(result.error, JSON.stringify(result.error)).toBeNull();
  return result.data.id as string;
}

async function setTier(tenant: SeededTenant, customerId: string, tier: string): Promise<void> {
  await server.database.withTenant(tenant.tenantId, (trx) =>
    sql`insert into customer_tiers (tenant_id, customer_id, tier, explanation)
      values (${tenant.tenantId}, ${customerId}, ${tier}, '{}')
      on conflict (tenant_id, customer_id) do update set tier = excluded.tier`.execute(trx),
  );
}

describe('birthday greetings', () => {
  it('appear exactly 3 days before, for the owner, and never twice', async () => {
    const id = await createCustomer(retailAdmin, {
      name: '周晓梅',
      birthday: '1990-12-10',
      ownerUserId: retail.users.sales_rep.id,
    });

    expect(await run(retail, '2026-12-06')).toBe(0);
    expect(await tasksOf(retail, id)).toEqual([]);

    expect(await run(retail, '2026-12-07')).toBeGreaterThanOrEqual(1);
    const made = await tasksOf(retail, id);
    expect(made).toEqual([
      {
        title: '生日问候与会员生日礼',
        type: 'care',
        due_on: '2026-12-07',
        owner_user_id: retail.users.sales_rep.id,
        contact_id: null,
        source: 'reminder',
        source_key: `reminder:retail_birthday_greeting:${id}:2026-12-10`,
      },
    ]);

    // The same day again, and the next day: nothing new.
    await run(retail, '2026-12-07');
    await run(retail, '2026-12-08');
    expect(await tasksOf(retail, id)).toEqual(made);

    // Next year's birthday is another occasion.
    await run(retail, '2027-12-07');
    expect((await tasksOf(retail, id)).map((task) => task.due_on)).toEqual(['2026-12-07', '2027-12-07']);
  });

  it('two runs at the same time make one task', async () => {
    const id = await createCustomer(retailAdmin, { name: '同时运行', birthday: '1985-06-20' });
    const created = await Promise.all([run(retail, '2026-06-17'), run(retail, '2026-06-17')]);
    expect(created.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(1);
    expect((await tasksOf(retail, id)).map((task) => task.source_key)).toEqual([
      `reminder:retail_birthday_greeting:${id}:2026-06-20`,
    ]);
  });

  it('a missed day is made late; an occasion already past is not', async () => {
    const late = await createCustomer(retailAdmin, { name: '晚了两天', birthday: '1979-03-20' });
    const past = await createCustomer(retailAdmin, { name: '生日已过', birthday: '1979-03-17' });
    // Due 17 March (late) and 14 March (its birthday, 17 March, is over by the 19th).
    await run(retail, '2026-03-19');
    expect((await tasksOf(retail, late)).map((task) => task.due_on)).toEqual(['2026-03-17']);
    expect(await tasksOf(retail, past)).toEqual([]);
  });

  it('29 February falls on 28 February in other years', async () => {
    const id = await createCustomer(retailAdmin, { name: '闰日出生', birthday: '1992-02-29' });
    await run(retail, '2027-02-25');
    await run(retail, '2028-02-26');
    expect((await tasksOf(retail, id)).map((task) => task.source_key)).toEqual([
      `reminder:retail_birthday_greeting:${id}:2027-02-28`,
      `reminder:retail_birthday_greeting:${id}:2028-02-29`,
    ]);
  });

  it('a lunar birthday (农历三月初八) lands on its solar day in 2026 and in 2027', async () => {
    const id = await createCustomer(retailAdmin, {
      name: '农历生日',
      birthday: '1990-04-03',
      birthdayCalendar: 'lunar',
    });
    // Its solar anniversary (3 April) is not the day.
    await run(retail, '2026-03-31');
    expect(await tasksOf(retail, id)).toEqual([]);
    await run(retail, '2026-04-21');
    await run(retail, '2027-04-11');
    expect((await tasksOf(retail, id)).map((task) => [task.due_on, task.source_key])).toEqual([
      ['2026-04-21', `reminder:retail_birthday_greeting:${id}:2026-04-24`],
      ['2027-04-11', `reminder:retail_birthday_greeting:${id}:2027-04-14`],
    ]);
    const read = await retailAdmin.call('customers.get', { id });
    expect(read.data.birthdayCalendar).toBe('lunar');
  });

  it('a contact’s birthday is the contact’s task, under its name', async () => {
    const customerId = await createCustomer(b2bAdmin, {
      name: '常州远大机电',
      kind: 'company',
      ownerUserId: b2b.users.sales_manager.id,
    });
    const contact = await b2bAdmin.call('contacts.create', {
      customerId,
      name: '王建国',
      birthday: '1975-08-09',
    });
    expect(contact.error, JSON.stringify(contact.error)).toBeNull();
    // b2b has no birthday reminder of its own: the core's greeting is on.
    await run(b2b, '2026-08-06');
    expect(await tasksOf(b2b, customerId)).toEqual([
      expect.objectContaining({
        title: '生日问候：王建国',
        due_on: '2026-08-06',
        contact_id: contact.data.id,
        owner_user_id: b2b.users.sales_manager.id,
        source_key: `reminder:birthday:${contact.data.id}:2026-08-09`,
      }),
    ]);
  });
});

describe('holiday greetings', () => {
  it('春节 2027 (6 February) minus 10 days, for the audience’s tiers only', async () => {
    const strategic = await createCustomer(b2bAdmin, { name: '战略客户', kind: 'company' });
    const ordinary = await createCustomer(b2bAdmin, { name: '普通客户', kind: 'company' });
    await setTier(b2b, strategic, 'b2b_strategic');
    await setTier(b2b, ordinary, 'b2b_ordinary');
    await run(b2b, '2027-01-26');
    expect(await tasksOf(b2b, strategic)).toEqual([]);
    await run(b2b, '2027-01-27');
    expect(await tasksOf(b2b, strategic)).toEqual([
      expect.objectContaining({
        title: '春节前走访与新春问候',
        due_on: '2027-01-27',
        source_key: `reminder:b2b_spring_festival:${strategic}:2027-02-06`,
      }),
    ]);
    expect(await tasksOf(b2b, ordinary)).toEqual([]);
  });
});

describe('the call-back after the first order', () => {
  it('is due 7 days after the first order, and a later order makes none', async () => {
    const id = await createCustomer(retailAdmin, { name: '首单客户' });
    for (const orderedAt of ['2026-11-30T10:00:00+08:00', '2026-12-03T10:00:00+08:00']) {
      const order = await retailAdmin.call('orders.create', { customerId: id, orderedAt, amount: '199' });
      expect(order.error, JSON.stringify(order.error)).toBeNull();
    }
    await run(retail, '2026-12-06');
    expect(await tasksOf(retail, id)).toEqual([]);
    await run(retail, '2026-12-07');
    await run(retail, '2026-12-10');
    expect(await tasksOf(retail, id)).toEqual([
      expect.objectContaining({
        title: '首单满意度回访',
        type: 'callback',
        due_on: '2026-12-07',
        source_key: `reminder:retail_first_order_call_back:${id}:2026-11-30`,
      }),
    ]);
  });
});

describe('date-field reminders', () => {
  it('a loan maturity is reminded 30 days before', async () => {
    const id = await createCustomer(bankingAdmin, {
      name: '江苏润泽化工有限公司',
      kind: 'company',
      customFields: { corporate_banking_loan_maturity: '2027-03-15' },
    });
    await run(banking, '2027-02-12');
    expect(await tasksOf(banking, id)).toEqual([]);
    await run(banking, '2027-02-13');
    expect(await tasksOf(banking, id)).toEqual([
      expect.objectContaining({
        title: '贷款到期前沟通续贷或还款安排',
        type: 'follow_up',
        due_on: '2027-02-13',
        source_key: `reminder:corporate_banking_loan_renewal:${id}:2027-03-15`,
      }),
    ]);
  });
});

describe('the admin’s view', () => {
  it('lists the reminders with what is coming, switches one off, and runs now', async () => {
    // A contact whose birthday is 10 days from today (the procedure runs on today's date).
    const birthday = new Date(Date.now() + 8 * 3600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    const customerId = await createCustomer(bankingAdmin, { name: '即将生日的企业', kind: 'company' });
    const contact = await bankingAdmin.call('contacts.create', {
      customerId,
      name: '陈静',
      birthday: `1980${birthday.slice(4)}`,
    });
    expect(contact.error, JSON.stringify(contact.error)).toBeNull();

    const upcoming = await bankingAdmin.call('reminders.upcoming');
    expect(upcoming.error, JSON.stringify(upcoming.error)).toBeNull();
    const keys = upcoming.data.reminders.map((reminder: { key: string }) => reminder.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'corporate_banking_spring_festival',
        'corporate_banking_loan_renewal',
        'birthday',
      ]),
    );
    expect(
      upcoming.data.reminders.find((reminder: { key: string }) => reminder.key === 'birthday'),
    ).toMatchObject({ origin: 'core', enabled: true, upcoming: 1 });
    expect(upcoming.data.items).toContainEqual(
      expect.objectContaining({
        reminderKey: 'birthday',
        customerId,
        contactName: '陈静',
        occasionOn: birthday,
      }),
    );
    const anniversary = upcoming.data.reminders.find(
      (reminder: { key: string }) => reminder.key === 'anniversary',
    );
    expect(anniversary).toMatchObject({ origin: 'core', enabled: false, offsetDays: -3 });

    const configured = await bankingAdmin.call('reminders.configure', {
      key: 'anniversary',
      enabled: true,
      offsetDays: -5,
    });
    expect(configured.error, JSON.stringify(configured.error)).toBeNull();
    expect(
      configured.data.reminders.find((reminder: { key: string }) => reminder.key === 'anniversary'),
    ).toMatchObject({ enabled: true, offsetDays: -5, defaultOffsetDays: -3 });

    const unknown = await bankingAdmin.call('reminders.configure', {
      key: 'nope',
      enabled: true,
      offsetDays: null,
    });
    expect(unknown.error?.appCode).toBe('REMINDER_NOT_FOUND');

    const ran = await bankingAdmin.call('reminders.run');
    expect(ran.error, JSON.stringify(ran.error)).toBeNull();
    expect(ran.data.created).toBeGreaterThanOrEqual(0);

    const rep = await signedInClient(server, banking.users.sales_rep.id, banking.tenantId);
    expect((await rep.call('reminders.upcoming')).error?.code).toBe('FORBIDDEN');
  });
});

describe('the tenant’s day', () => {
  afterEach(() => vi.useRealTimers());

  it('a run without a given day works on today in the work calendar’s time zone', async () => {
    const abroad = await seedTenant(server.database, '提醒测试洛杉矶门店', 'retail');
    await server.database.withTenant(abroad.tenantId, (trx) =>
      sql`insert into work_calendar_settings (tenant_id, time_zone)
          values (${abroad.tenantId}, 'America/Los_Angeles')`.execute(trx),
    );
    const admin = await signedInClient(server, abroad.users.admin.id, abroad.tenantId);
    const id = await createCustomer(admin, { name: '陈思远', birthday: '1988-12-11' });
    const runToday = () =>
      server.database
        .withTenant(abroad.tenantId, (trx) =>
          runReminders(jobScope(trx, abroad.tenantId), server.dependencies.plugins),
        )
        .then((result) => result.today);

    // 8 December 04:00 in Shanghai is still 7 December in Los Angeles: the greeting (due 8
    // December, 3 days before the birthday) is not yet made.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: new Date('2026-12-07T20:00:00Z') });
    expect(await runToday()).toBe('2026-12-07');
    expect(await tasksOf(abroad, id)).toEqual([]);

    vi.setSystemTime(new Date('2026-12-08T20:00:00Z'));
    expect(await runToday()).toBe('2026-12-08');
    expect((await tasksOf(abroad, id)).map((task) => task.due_on)).toEqual(['2026-12-08']);
  });
});
