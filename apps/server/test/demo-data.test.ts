import { jobScope, runReminders, seedDemoSecrets } from '@crm/api';
import { sql } from '@crm/db';
import { seedDemoData } from '@crm/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer, testPasswordHash } from './helpers';

/**
 * Demo data a Chinese user believes (what `pnpm start` seeds on a fresh clone): addresses
 * whose city lies in the province and district in the city, company names and landlines
 * of the place; individuals only where the industry has them; payment methods that fit the
 * amount; two years of orders with seasons; interaction texts that read like their channel.
 */
let server: TestServer;
const tenantIds: Record<string, string> = {};

/** Where each city is, and its districts and area code — written here independently of the seed. */
const GEOGRAPHY: Record<string, { province: string; areaCode: string; districts: string[] }> = {
  北京市: {
    province: '北京市',
    areaCode: '010',
    districts: ['朝阳区', '海淀区', '东城区', '西城区', '丰台区'],
  },
  上海市: {
    province: '上海市',
    areaCode: '021',
    districts: ['浦东新区', '徐汇区', '静安区', '闵行区', '黄浦区'],
  },
  天津市: { province: '天津市', areaCode: '022', districts: ['和平区', '南开区', '滨海新区'] },
  重庆市: { province: '重庆市', areaCode: '023', districts: ['渝中区', '江北区', '渝北区'] },
  广州市: { province: '广东省', areaCode: '020', districts: ['天河区', '越秀区', '海珠区'] },
  深圳市: { province: '广东省', areaCode: '0755', districts: ['南山区', '福田区', '宝安区'] },
  佛山市: { province: '广东省', areaCode: '0757', districts: ['南海区', '禅城区', '顺德区'] },
  杭州市: { province: '浙江省', areaCode: '0571', districts: ['西湖区', '上城区', '滨江区', '余杭区'] },
  宁波市: { province: '浙江省', areaCode: '0574', districts: ['鄞州区', '海曙区', '北仑区'] },
  南京市: { province: '江苏省', areaCode: '025', districts: ['鼓楼区', '建邺区', '江宁区'] },
  苏州市: { province: '江苏省', areaCode: '0512', districts: ['姑苏区', '吴中区', '相城区', '虎丘区'] },
  无锡市: { province: '江苏省', areaCode: '0510', districts: ['梁溪区', '滨湖区', '新吴区'] },
  成都市: { province: '四川省', areaCode: '028', districts: ['武侯区', '锦江区', '青羊区', '成华区'] },
  武汉市: { province: '湖北省', areaCode: '027', districts: ['江汉区', '武昌区', '洪山区'] },
  西安市: { province: '陕西省', areaCode: '029', districts: ['雁塔区', '碑林区', '未央区'] },
  长沙市: { province: '湖南省', areaCode: '0731', districts: ['岳麓区', '芙蓉区', '天心区'] },
  郑州市: { province: '河南省', areaCode: '0371', districts: ['金水区', '二七区', '中原区'] },
  青岛市: { province: '山东省', areaCode: '0532', districts: ['市南区', '崂山区', '黄岛区'] },
  济南市: { province: '山东省', areaCode: '0531', districts: ['历下区', '市中区', '槐荫区'] },
  厦门市: { province: '福建省', areaCode: '0592', districts: ['思明区', '湖里区', '集美区'] },
  福州市: { province: '福建省', areaCode: '0591', districts: ['鼓楼区', '台江区', '仓山区'] },
  合肥市: { province: '安徽省', areaCode: '0551', districts: ['蜀山区', '包河区', '庐阳区'] },
  昆明市: { province: '云南省', areaCode: '0871', districts: ['五华区', '盘龙区', '官渡区'] },
};

/** What a record of each channel says (and what it must not claim to be). */
const CHANNEL_WORDS: Record<string, { says: RegExp; never: RegExp }> = {
  call: { says: /电话|致电|来电/, never: /微信|邮件|拜访|到店|会议/ },
  visit: { says: /拜访|走访|到店|上门|现场/, never: /电话|微信|邮件/ },
  message: { says: /微信/, never: /电话|致电|邮件|拜访|到店/ },
  email: { says: /邮件/, never: /电话|微信|拜访|到店/ },
  meeting: { says: /会议|交流会|启动会|开会/, never: /电话|微信|邮件/ },
  event: { says: /活动|发布会|对接会|大会|工博会|沙龙|宣讲/, never: /电话|微信|邮件/ },
};

/** The most a demo order paid by 微信支付 or 支付宝 may be (CNY): everyday amounts only. */
const PHONE_PAYMENT_CAP = 10_000;
const DAY = 86_400_000;

/** A landline's area code (0571-87558212 or +8657187558212 → 0571); null for a mobile or none. */
function areaCodeOf(phone: string | null): string | null {
  if (!phone) return null;
  const dashed = /^(0\d{2,3})-/.exec(phone);
  if (dashed) return dashed[1] ?? null;
  const digits = phone.replace(/\D/g, '').replace(/^86/, '');
  if (digits.startsWith('1') && digits.length === 11) return null;
  if (digits.length === 10) return `0${digits.slice(0, 2)}`;
  if (digits.length === 11) return `0${digits.slice(0, 3)}`;
  return null;
}

async function rows<T>(industry: string, query: string): Promise<T[]> {
  return server.database.withTenant(tenantIds[industry] ?? '', async (trx) => {
    const result = await sql.raw<T>(query).execute(trx);
    return result.rows;
  });
}

beforeAll(async () => {
  server = await createTestServer();
  const result = await seedDemoData(server.database, await testPasswordHash(), undefined, {
    plugins: server.dependencies.plugins.plugins,
  });
  for (const tenant of result.tenants) tenantIds[tenant.industry] = tenant.id;
  await seedDemoSecrets(server.database, Object.values(tenantIds));
});
afterAll(() => server.destroy());

describe.each(['retail', 'b2b', 'corporate-banking'])('demo tenant %s', (industry) => {
  it('has addresses whose district is in the city and city in the province, and names and landlines of that city', async () => {
    const customers = await rows<{
      name: string;
      kind: string;
      phone: string | null;
      addresses: { province: string; city: string; district?: string }[];
    }>(industry, 'select name, kind, phone, addresses from customers');
    const addressed = customers.filter((customer) => customer.addresses.length > 0);
    expect(addressed.length).toBeGreaterThan(customers.length / 3);
    for (const customer of addressed) {
      for (const address of customer.addresses) {
        const place = GEOGRAPHY[address.city];
        expect(place, `${customer.name}: ${address.city}`).toBeDefined();
        expect(`${address.province} ${address.city}`).toBe(`${place?.province} ${address.city}`);
        expect(place?.districts, `${address.city} ${address.district}`).toContain(address.district);
        if (customer.kind === 'company') {
          // 苏州瑞丰精密机械有限公司 has its office in 苏州市, and a 0512 landline.
          expect(customer.name.startsWith(address.city.replace(/市$/, '')), customer.name).toBe(true);
          const code = areaCodeOf(customer.phone);
          if (code) expect(place?.areaCode, `${customer.name} ${customer.phone}`).toBe(code);
        }
      }
    }
  });

  it('has individuals only where the industry has them, and every company has its contacts', async () => {
    const kinds = await rows<{ kind: string; count: number }>(
      industry,
      'select kind, count(*)::int as count from customers group by kind',
    );
    const count = (kind: string) => kinds.find((row) => row.kind === kind)?.count ?? 0;
    if (industry === 'retail') expect(count('person')).toBeGreaterThan(count('company'));
    else expect(count('person')).toBe(0);
    const withoutContacts = await rows<{ name: string }>(
      industry,
      `select c.name from customers c where c.kind = 'company'
         and not exists (select 1 from contacts k where k.customer_id = c.id and k.is_primary)`,
    );
    expect(withoutContacts).toEqual([]);
    // A national ID or bank card belongs to a person, never to a company.
    const personalSecrets = await rows<{ name: string }>(
      industry,
      `select c.name from customer_secrets s join customers c on c.id = s.customer_id
         where c.kind = 'company' and s.field in ('national_id', 'bank_card')`,
    );
    expect(personalSecrets).toEqual([]);
  });

  it('pays each amount the way such an amount is paid', async () => {
    const payments = await rows<{ method: string; count: number; largest: string }>(
      industry,
      'select payment_method as method, count(*)::int as count, max(amount)::text as largest from orders group by payment_method',
    );
    const phonePaid = payments.filter((row) => row.method === 'wechat_pay' || row.method === 'alipay');
    for (const row of phonePaid)
      expect(Number(row.largest), row.method).toBeLessThanOrEqual(PHONE_PAYMENT_CAP);
    if (industry === 'retail') {
      expect(phonePaid.reduce((sum, row) => sum + row.count, 0)).toBeGreaterThan(0);
    } else {
      // Companies pay against an invoice, by transfer.
      expect(payments.map((row) => row.method)).toEqual(['bank_transfer']);
    }
    const companyWallets = await rows<{ count: number }>(
      industry,
      `select count(*)::int as count from orders o join customers c on c.id = o.customer_id
         where c.kind = 'company' and o.payment_method in ('wechat_pay', 'alipay') and o.amount >= 2000`,
    );
    expect(companyWallets[0]?.count).toBe(0);
  });

  it('spreads orders over the two years, every quarter with orders, with seasons rather than noise', async () => {
    const orders = await rows<{ ordered_at: Date; month: number }>(
      industry,
      `select ordered_at, extract(month from ordered_at at time zone 'Asia/Shanghai')::int as month from orders`,
    );
    const now = Date.now();
    const ages = orders.map((order) => (now - order.ordered_at.getTime()) / DAY);
    expect(Math.max(...ages)).toBeLessThanOrEqual(731);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeGreaterThan(680);
    // Eight quarters back from today, none empty, and the oldest not a trickle.
    const quarters = Array.from(
      { length: 8 },
      (_, quarter) => ages.filter((age) => age >= quarter * 91 && age < (quarter + 1) * 91).length,
    );
    for (const [quarter, count] of quarters.entries()) {
      expect(count, `quarter ${quarter} back: ${quarters.join(', ')}`).toBeGreaterThanOrEqual(
        orders.length / 40,
      );
    }
    const inMonths = (months: number[]) => orders.filter((order) => months.includes(order.month)).length;
    if (industry === 'retail') {
      // 春节年货 and 双11 / 双12 against the quiet spring and late summer.
      expect(inMonths([11, 12, 1, 2])).toBeGreaterThan(inMonths([3, 4, 7, 8]) * 1.3);
    } else {
      // The year-end budget (or quarter-end deposits) against the Spring Festival month.
      expect(inMonths([12])).toBeGreaterThan(inMonths([2]) * 1.5);
    }
  });

  it('writes each interaction the way its channel reads', async () => {
    const interactions = await rows<{ kind: string; summary: string }>(
      industry,
      'select kind, summary from interactions',
    );
    expect(interactions.length).toBeGreaterThan(100);
    for (const { kind, summary } of interactions) {
      const words = CHANNEL_WORDS[kind];
      expect(words, kind).toBeDefined();
      expect(words?.says.test(summary), `${kind}: ${summary}`).toBe(true);
      expect(words?.never.test(summary), `${kind}: ${summary}`).toBe(false);
    }
    const kinds = new Set(interactions.map((interaction) => interaction.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(5);
  });
});

describe.each(['retail', 'b2b', 'corporate-banking'])('demo tasks of %s', (industry) => {
  it("has tickets in every status, some breached and some waiting on the customer, in its profile's categories", async () => {
    const tickets = await rows<{ status: string; breached: boolean; paused: boolean; category: string }>(
      industry,
      `select status, category, sla_paused_at is not null as paused,
         (first_response_due_at <= now() or resolution_due_at <= now() or first_response_breached
           or resolution_breached) as breached
       from tickets`,
    );
    expect(new Set(tickets.map((ticket) => ticket.status))).toEqual(
      new Set(['new', 'in_progress', 'waiting_on_customer', 'resolved', 'closed']),
    );
    expect(
      tickets.filter((ticket) => ticket.breached && ticket.status !== 'closed').length,
    ).toBeGreaterThanOrEqual(2);
    expect(
      tickets.filter((ticket) => ticket.paused).every((ticket) => ticket.status === 'waiting_on_customer'),
    ).toBe(true);
    const prefix = industry.replaceAll('-', '_');
    expect(tickets.every((ticket) => ticket.category.startsWith(`${prefix}_`))).toBe(true);
  });

  it("has opportunities in every stage of its plugin's pipeline, won ones with their orders, lost ones with a reason", async () => {
    const plugin = server.dependencies.plugins.plugins.find((candidate) => candidate.id === industry);
    const stages = plugin?.pipeline?.stages ?? [];
    const reasons = new Set((plugin?.pipeline?.lostReasons ?? []).map((reason) => reason.key));
    const deals = await rows<{
      stage: string;
      stage_kind: string;
      amount: string;
      lost_reason: string | null;
      order_amount: string | null;
      lines_total: string | null;
      last_step: string | null;
      lead_customer: string | null;
      customer_id: string | null;
      lead_id: string | null;
    }>(
      industry,
      `select o.stage, o.stage_kind, o.amount, o.lost_reason, o.customer_id, o.lead_id, ord.amount as order_amount,
         (select sum(l.quantity * l.unit_price) from opportunity_lines l
           where l.tenant_id = o.tenant_id and l.opportunity_id = o.id) as lines_total,
         (select h.to_stage from opportunity_stage_history h where h.tenant_id = o.tenant_id and h.opportunity_id = o.id
           order by h.changed_at desc limit 1) as last_step,
         ld.converted_customer_id as lead_customer
       from opportunities o
       left join orders ord on ord.tenant_id = o.tenant_id and ord.id = o.order_id
       left join leads ld on ld.tenant_id = o.tenant_id and ld.id = o.lead_id`,
    );
    expect(new Set(deals.map((deal) => deal.stage))).toEqual(
      new Set(stages.filter((stage) => stage.kind !== 'lost' || reasons.size > 0).map((stage) => stage.key)),
    );
    for (const deal of deals) {
      expect(deal.last_step).toBe(deal.stage);
      expect(Number(deal.lines_total)).toBe(Number(deal.amount));
      if (deal.stage_kind === 'won' || deal.stage_kind === 'after_sales')
        expect(Number(deal.order_amount)).toBe(Number(deal.amount));
      if (deal.stage_kind === 'lost') expect(reasons.has(deal.lost_reason ?? '')).toBe(true);
      if (deal.lead_id) expect(deal.customer_id).toBe(deal.lead_customer);
    }
    expect(deals.filter((deal) => deal.lead_id).length).toBeGreaterThanOrEqual(1);
  });

  it("gives every rep today's, overdue, coming and done tasks of several kinds on their own customers", async () => {
    const tasks = await rows<{
      owner: string;
      role: string;
      title: string;
      type: string;
      status: string;
      source: string;
      source_key: string | null;
      days: number;
      closed_days: number | null;
      own_customer: boolean;
      customer: string;
    }>(
      industry,
      `with today as (select (now() at time zone 'Asia/Shanghai')::date as day)
       select t.owner_user_id as owner, m.role, t.title, t.type, t.status, t.source, t.source_key,
         (t.due_on - today.day)::int as days,
         case when t.closed_at is null then null
           else ((t.closed_at at time zone 'Asia/Shanghai')::date - today.day)::int end as closed_days,
         c.owner_user_id = t.owner_user_id as own_customer, c.name as customer
       from tasks t cross join today
       join memberships m on m.user_id = t.owner_user_id
       join customers c on c.id = t.customer_id`,
    );
    const reps = [...new Set(tasks.filter((task) => task.role === 'sales_rep').map((task) => task.owner))];
    expect(reps.length).toBeGreaterThanOrEqual(1);
    for (const rep of reps) {
      const mine = tasks.filter((task) => task.owner === rep);
      const open = mine.filter((task) => task.status === 'open');
      expect(open.filter((task) => task.days === 0).length).toBeGreaterThanOrEqual(3);
      const overdue = open.filter((task) => task.days < 0);
      expect(overdue.length).toBeGreaterThanOrEqual(5);
      for (const task of overdue) expect(task.days).toBeGreaterThanOrEqual(-20);
      expect(open.filter((task) => task.days > 0 && task.days <= 7).length).toBeGreaterThanOrEqual(5);
      const done = mine.filter((task) => task.status === 'done');
      expect(done.length).toBeGreaterThanOrEqual(8);
      for (const task of done) {
        expect(task.closed_days).not.toBeNull();
        expect(task.closed_days ?? 1).toBeLessThanOrEqual(0);
        expect(task.closed_days ?? -99).toBeGreaterThanOrEqual(-30);
      }
      expect(new Set(mine.map((task) => task.type)).size).toBeGreaterThanOrEqual(6);
      // Plan tasks come from the maintenance plans and reminders from the reminder run, not
      // from the seed: only the birthday greetings it lines up are made here, under the run's key.
      const sources = new Set(mine.map((task) => task.source));
      expect(sources).toContain('manual');
      expect(sources).toContain('interaction');
      for (const source of sources) expect(['manual', 'reminder', 'interaction']).toContain(source);
    }
    for (const task of tasks) {
      expect(task.own_customer, task.title).toBe(true);
      // Written in Chinese, and a templated task names its customer.
      expect(task.title, task.title).toMatch(/[\u4e00-\u9fa5]/);
      if (task.title.includes('：')) expect(task.title.endsWith(`：${task.customer}`), task.title).toBe(true);
      if (task.source !== 'manual')
        expect(task.source_key, task.title).toMatch(new RegExp(`^${task.source}:`));
    }
  });

  it('has birthdays in the next days where customers keep them, each with its greeting on the day', async () => {
    const customers = await rows<{ name: string; birthday: string; today: string; greeting: string | null }>(
      industry,
      `select c.name, c.birthday::text as birthday, (now() at time zone 'Asia/Shanghai')::date::text as today,
         (select t.due_on::text from tasks t where t.customer_id = c.id and t.type = 'care'
           and t.source = 'reminder' and t.title = '生日问候：' || c.name) as greeting
       from customers c
       where c.birthday is not null and c.archived_at is null and c.owner_user_id is not null`,
    );
    /** Days from today to the next birthday (today's counts as 0), by the calendar. */
    const daysUntil = (birthday: string, today: string) => {
      const [year, month, day] = today.split('-').map(Number) as [number, number, number];
      const [, bornMonth, bornDay] = birthday.split('-').map(Number) as [number, number, number];
      const start = Date.UTC(year, month - 1, day);
      let next = Date.UTC(year, bornMonth - 1, bornDay);
      if (next < start) next = Date.UTC(year + 1, bornMonth - 1, bornDay);
      return { days: Math.round((next - start) / DAY), on: new Date(next).toISOString().slice(0, 10) };
    };
    const soon = customers
      .map((customer) => ({ ...customer, ...daysUntil(customer.birthday, customer.today) }))
      .filter((customer) => customer.days <= 10);
    if (industry === 'retail') {
      expect(soon.filter((customer) => customer.days >= 3).length).toBeGreaterThanOrEqual(4);
    } else {
      // Companies have no birthday.
      expect(customers).toEqual([]);
    }
    for (const customer of soon) expect(customer.greeting, customer.name).toBe(customer.on);
  });

  it('the reminder run on first start adds its occasions beside the seeded greetings, never a second one', async () => {
    const tenantId = tenantIds[industry] as string;
    await server.database.withTenant(tenantId, (trx) =>
      runReminders(jobScope(trx, tenantId), server.dependencies.plugins),
    );
    const doubled = await rows<{ title: string; n: number }>(
      industry,
      `select t.title, count(*)::int as n from tasks t
        where t.source = 'reminder' and t.status = 'open'
        group by t.title, t.customer_id, t.contact_id, t.due_on having count(*) > 1`,
    );
    expect(doubled).toEqual([]);
    // The seed makes no reminder under a key the run does not use.
    const foreign = await rows<{ source_key: string }>(
      industry,
      `select source_key from tasks where source = 'reminder' and source_key !~ '^reminder:[a-z0-9_.]+:[0-9a-f-]{36}:[0-9]{4}-[0-9]{2}-[0-9]{2}$'`,
    );
    expect(foreign).toEqual([]);
  });
});
