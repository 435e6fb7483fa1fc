import { faker } from '@faker-js/faker';
import type { Insertable, Transaction } from 'kysely';
import type { CrmDatabase } from '../connection';
import type {
  ContactsTable,
  Database,
  IndustryProfile,
  InteractionsTable,
  NewCustomer,
  OrderLinesTable,
  OrdersTable,
  Role,
} from '../tables';

export const DEMO_PASSWORD = 'demo-2026';

type DemoUser = { email: string; name: string };
type DemoTenant = {
  name: string;
  industry: IndustryProfile;
  /** Share of customers that are companies. */
  companyShare: number;
  trades: string[];
  members: { email: string; role: Role }[];
  /** Order size in CNY for this kind of business, and what is sold. */
  orderAmount: { min: number; max: number };
  products: { name: string; price: number }[];
  interactionSummaries: string[];
};

const USERS: DemoUser[] = [
  { email: 'owner@demo.example.com', name: '周立伟' },
  { email: 'admin.retail@demo.example.com', name: '林晓婷' },
  { email: 'manager.retail@demo.example.com', name: '王建国' },
  { email: 'rep1.retail@demo.example.com', name: '陈思雨' },
  { email: 'rep2.retail@demo.example.com', name: '赵子豪' },
  { email: 'service.retail@demo.example.com', name: '黄佳怡' },
  { email: 'marketing.retail@demo.example.com', name: '吴雨桐' },
  { email: 'manager.b2b@demo.example.com', name: '刘志强' },
  { email: 'rep.b2b@demo.example.com', name: '孙浩然' },
  { email: 'analyst.b2b@demo.example.com', name: '郑雅文' },
  { email: 'manager.bank@demo.example.com', name: '何振华' },
  { email: 'rep.bank@demo.example.com', name: '许文博' },
  { email: 'viewer.bank@demo.example.com', name: '马晓东' },
];

const TENANTS: DemoTenant[] = [
  {
    name: '悦享生活百货',
    industry: 'retail',
    companyShare: 0.1,
    trades: ['餐饮管理', '物业服务', '文化传媒', '教育科技'],
    orderAmount: { min: 80, max: 6000 },
    products: [
      { name: '真丝围巾', price: 399 },
      { name: '羊绒大衣', price: 2680 },
      { name: '护肤礼盒', price: 568 },
      { name: '智能手表', price: 1599 },
      { name: '有机茶叶礼盒', price: 288 },
      { name: '运动跑鞋', price: 699 },
      { name: '会员储值卡', price: 1000 },
    ],
    interactionSummaries: [
      '会员日到店，试穿了新款大衣，对尺码有疑问',
      '电话回访上次购买的护肤品，反馈效果不错',
      '微信咨询礼盒能否定制贺卡',
      '投诉快递延迟两天，已补偿优惠券',
      '参加了春季新品发布会，对真丝系列感兴趣',
      '询问储值卡是否能跨店使用',
    ],
    members: [
      { email: 'owner@demo.example.com', role: 'owner' },
      { email: 'admin.retail@demo.example.com', role: 'admin' },
      { email: 'manager.retail@demo.example.com', role: 'sales_manager' },
      { email: 'rep1.retail@demo.example.com', role: 'sales_rep' },
      { email: 'rep2.retail@demo.example.com', role: 'sales_rep' },
      { email: 'service.retail@demo.example.com', role: 'service_agent' },
      { email: 'marketing.retail@demo.example.com', role: 'marketing' },
    ],
  },
  {
    name: '华辰工业科技',
    industry: 'b2b',
    companyShare: 0.9,
    trades: ['精密机械', '电子科技', '新材料', '医疗器械', '汽车零部件', '软件技术', '自动化设备', '化工'],
    orderAmount: { min: 20_000, max: 600_000 },
    products: [
      { name: '伺服驱动器', price: 4_800 },
      { name: '工业机器人本体', price: 168_000 },
      { name: '视觉检测系统', price: 86_000 },
      { name: '产线改造服务', price: 120_000 },
      { name: '年度维保合同', price: 36_000 },
      { name: '精密减速机', price: 9_600 },
    ],
    interactionSummaries: [
      '上门拜访设备部，了解二期产线扩建计划',
      '技术交流会：客户关注视觉检测的误判率',
      '电话确认交期，客户希望提前两周',
      '采购经理询问年度框架协议价格',
      '客户投诉减速机异响，已安排工程师现场排查',
      '邮件发送维保方案和报价单',
    ],
    members: [
      { email: 'owner@demo.example.com', role: 'owner' },
      { email: 'manager.b2b@demo.example.com', role: 'sales_manager' },
      { email: 'rep.b2b@demo.example.com', role: 'sales_rep' },
      { email: 'analyst.b2b@demo.example.com', role: 'analyst' },
    ],
  },
  {
    name: '江城商业银行公司金融部',
    industry: 'corporate-banking',
    companyShare: 1,
    trades: ['建设工程', '进出口贸易', '实业', '能源', '置业', '制药', '纺织', '供应链管理', '农业发展'],
    orderAmount: { min: 50_000, max: 3_000_000 },
    products: [
      { name: '流动资金贷款手续费', price: 50_000 },
      { name: '国际结算服务', price: 12_000 },
      { name: '现金管理服务年费', price: 30_000 },
      { name: '票据贴现', price: 200_000 },
      { name: '供应链融资服务费', price: 80_000 },
    ],
    interactionSummaries: [
      '客户经理月度回访，了解回款和用款计划',
      '财务总监咨询跨境人民币结算流程',
      '走访企业厂区，更新尽调资料',
      '季度回访：客户对网银审批流程提出改进建议',
      '电话沟通授信续期所需材料',
      '邀请客户参加年度银企对接会',
    ],
    members: [
      { email: 'owner@demo.example.com', role: 'owner' },
      { email: 'manager.bank@demo.example.com', role: 'sales_manager' },
      { email: 'rep.bank@demo.example.com', role: 'sales_rep' },
      { email: 'viewer.bank@demo.example.com', role: 'viewer' },
    ],
  },
];

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严武戴莫孔汤',
];
const GIVEN_NAMES = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '子涵',
  '欣怡',
  '梓萱',
  '浩宇',
  '宇轩',
  '思远',
  '雨桐',
  '一诺',
  '俊杰',
  '嘉怡',
  '晓峰',
  '建华',
  '文静',
  '志明',
  '海燕',
  '春梅',
  '国强',
  '丽娟',
  '家豪',
  '佳琪',
  '明轩',
  '诗涵',
  '博文',
  '天佑',
  '晨曦',
  '若曦',
  '紫涵',
  '浩然',
];
const CITIES = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '杭州',
  '南京',
  '苏州',
  '成都',
  '武汉',
  '西安',
  '重庆',
  '天津',
  '长沙',
  '郑州',
  '青岛',
  '宁波',
  '厦门',
  '合肥',
  '济南',
  '福州',
  '无锡',
  '佛山',
  '东莞',
  '昆明',
];
const BRANDS = [
  '瑞丰',
  '华信',
  '恒通',
  '鼎盛',
  '金桥',
  '博远',
  '嘉禾',
  '中联',
  '宏达',
  '天成',
  '新锐',
  '安泰',
  '正邦',
  '锦程',
  '海纳',
  '启明',
  '德润',
  '远航',
  '汇川',
  '同创',
  '凯晟',
  '永信',
  '盛世',
  '明阳',
  '泰和',
  '万象',
  '致远',
  '云帆',
];
const SUFFIXES = ['有限公司', '有限公司', '股份有限公司', '有限责任公司', '集团有限公司'];
const MOBILE_PREFIXES = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '158',
  '159',
  '176',
  '177',
  '180',
  '181',
  '186',
  '187',
  '188',
  '189',
  '199',
];
const MAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'foxmail.com', 'sina.com'];

function personName(): string {
  return faker.helpers.arrayElement(SURNAMES) + faker.helpers.arrayElement(GIVEN_NAMES);
}

function companyName(trades: string[]): string {
  return `${faker.helpers.arrayElement(CITIES)}${faker.helpers.arrayElement(BRANDS)}${faker.helpers.arrayElement(trades)}${faker.helpers.arrayElement(SUFFIXES)}`;
}

function mobile(): string {
  return faker.helpers.arrayElement(MOBILE_PREFIXES) + faker.string.numeric(8);
}

function landline(): string {
  return `${faker.helpers.arrayElement(['010', '021', '020', '0755', '0571', '025', '028'])}-${faker.string.numeric(8)}`;
}

const CONTACT_TITLES = ['总经理', '采购经理', '财务总监', '技术负责人', '行政主管', '董事长助理'];
const PAYMENT_METHODS = ['bank_transfer', 'alipay', 'wechat_pay', 'card'] as const;
const INTERACTION_KINDS = ['call', 'visit', 'message', 'email', 'meeting', 'event'] as const;

/** Cents are integers, so totals stay exact; the database gets decimal strings. */
function centsToAmount(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export type DemoSeedResult = {
  tenants: { id: string; name: string; industry: IndustryProfile }[];
  users: { email: string; roles: string }[];
};

/**
 * Three demo tenants (one per industry profile), users of several roles (one of them in all
 * three tenants) and a few hundred customers each. Deterministic for a given seed.
 */
export async function seedDemoData(
  database: CrmDatabase,
  passwordHash: string,
  customersPerTenant = 300,
  seed = 20261122,
): Promise<DemoSeedResult> {
  faker.seed(seed);
  const userIds = new Map<string, string>();
  await database.withScope({}, async (trx) => {
    const rows = await trx
      .insertInto('users')
      .values(
        USERS.map((user) => ({
          email: user.email,
          name: user.name,
          password_hash: passwordHash,
          locale: 'zh-CN' as const,
        })),
      )
      .returning(['id', 'email'])
      .execute();
    for (const row of rows) userIds.set(row.email, row.id);
  });
  const idOf = (email: string) => {
    const id = userIds.get(email);
    if (!id) throw new Error(`Demo user ${email} missing`);
    return id;
  };

  const tenantIds = new Map<string, string>();
  for (const tenant of TENANTS) {
    const tenantId = crypto.randomUUID();
    await database.withTenant(tenantId, async (trx) => {
      await trx
        .insertInto('tenants')
        .values({ id: tenantId, name: tenant.name, industry: tenant.industry })
        .execute();
      await trx
        .insertInto('memberships')
        .values(
          tenant.members.map((member) => ({
            tenant_id: tenantId,
            user_id: idOf(member.email),
            role: member.role,
          })),
        )
        .execute();
      // One sales team per tenant: its manager sees the customers of the team's reps.
      const team = await trx
        .insertInto('teams')
        .values({ tenant_id: tenantId, name: '销售一部' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('memberships')
        .set({ team_id: team.id })
        .where('tenant_id', '=', tenantId)
        .where('role', 'in', ['sales_manager', 'sales_rep'])
        .execute();
      const sellers = tenant.members
        .filter((member) => member.role === 'sales_rep' || member.role === 'sales_manager')
        .map((member) => idOf(member.email));
      const now = Date.now();
      const customers: NewCustomer[] = Array.from({ length: customersPerTenant }, () => {
        const isCompany = faker.number.float() < tenant.companyShare;
        const createdAt = new Date(
          now - faker.number.int({ min: 1, max: 730 }) * 86_400_000 - faker.number.int(86_400_000),
        );
        const updatedAt = new Date(
          Math.min(now, createdAt.getTime() + faker.number.int({ min: 0, max: 200 }) * 86_400_000),
        );
        return {
          tenant_id: tenantId,
          name: isCompany ? companyName(tenant.trades) : personName(),
          kind: isCompany ? 'company' : 'person',
          phone:
            faker.number.float() < 0.92
              ? isCompany && faker.number.float() < 0.5
                ? landline()
                : mobile()
              : null,
          email:
            faker.number.float() < 0.6
              ? `${faker.string.alphanumeric({ length: { min: 5, max: 10 }, casing: 'lower' })}@${faker.helpers.arrayElement(MAIL_DOMAINS)}`
              : null,
          owner_user_id: faker.number.float() < 0.9 ? faker.helpers.arrayElement(sellers) : null,
          created_by: faker.helpers.arrayElement(sellers),
          archived_at: faker.number.float() < 0.03 ? updatedAt : null,
          created_at: createdAt,
          updated_at: updatedAt,
        };
      });
      const inserted = await trx
        .insertInto('customers')
        .values(customers)
        .returning(['id', 'kind', 'created_at', 'owner_user_id'])
        .execute();
      await seedActivity(trx, tenantId, tenant, inserted, sellers, now);
    });
    tenantIds.set(tenant.name, tenantId);
  }

  return {
    tenants: TENANTS.map(({ name, industry }) => ({ id: tenantIds.get(name) ?? '', name, industry })),
    users: USERS.map((user) => ({
      email: user.email,
      roles: TENANTS.flatMap((tenant) =>
        tenant.members
          .filter((member) => member.email === user.email)
          .map((member) => `${tenant.name}: ${member.role}`),
      ).join('; '),
    })),
  };
}

type SeededCustomer = {
  id: string;
  kind: 'person' | 'company';
  created_at: Date;
  owner_user_id: string | null;
};

/**
 * Two years of history: contacts for companies, orders (with lines) whose frequency is
 * skewed like real customer bases — many with none or one, a few with many — and
 * interactions. Transaction facts and stages are derived afterwards by the same SQL the
 * product runs (refreshCustomerFacts).
 */
async function seedActivity(
  trx: Transaction<Database>,
  tenantId: string,
  tenant: DemoTenant,
  customers: SeededCustomer[],
  sellers: string[],
  now: number,
) {
  const contacts: Insertable<ContactsTable>[] = [];
  const orders: (Insertable<OrdersTable> & { id: string })[] = [];
  const lines: Insertable<OrderLinesTable>[] = [];
  const interactions: Insertable<InteractionsTable>[] = [];
  for (const [index, customer] of customers.entries()) {
    if (customer.kind === 'company') {
      for (let n = 0; n < faker.number.int({ min: 1, max: 3 }); n += 1) {
        contacts.push({
          tenant_id: tenantId,
          customer_id: customer.id,
          name: personName(),
          title: faker.helpers.arrayElement(CONTACT_TITLES),
          phones: [mobile()],
          emails: [],
          is_primary: n === 0,
        });
      }
    }
    const since = customer.created_at.getTime();
    // Skewed: about a third never buy; the rest buy 1–3 times, a few many times.
    const draw = faker.number.float();
    const orderCount =
      draw < 0.3
        ? 0
        : draw < 0.75
          ? faker.number.int({ min: 1, max: 3 })
          : faker.number.int({ min: 4, max: 18 });
    for (let n = 0; n < orderCount; n += 1) {
      const orderedAt = new Date(faker.number.int({ min: since, max: now }));
      const id = faker.string.uuid();
      let cents = 0;
      const lineCount = faker.number.int({ min: 1, max: 3 });
      for (let line = 1; line <= lineCount; line += 1) {
        const product = faker.helpers.arrayElement(tenant.products);
        const quantity = faker.number.int({ min: 1, max: 5 });
        cents += product.price * 100 * quantity;
        lines.push({
          tenant_id: tenantId,
          order_id: id,
          line_no: line,
          product: product.name,
          quantity: String(quantity),
          unit_price: String(product.price),
        });
      }
      orders.push({
        tenant_id: tenantId,
        id,
        customer_id: customer.id,
        order_number: `SO${orderedAt.getFullYear()}${String(index).padStart(4, '0')}${String(n).padStart(2, '0')}`,
        ordered_at: orderedAt,
        amount: centsToAmount(cents),
        profit: centsToAmount(Math.round(cents * faker.number.float({ min: 0.08, max: 0.35 }))),
        payment_method: faker.helpers.arrayElement(PAYMENT_METHODS),
        status: faker.number.float() < 0.04 ? 'refunded' : 'completed',
        created_by: customer.owner_user_id,
        created_at: orderedAt,
      });
    }
    for (let n = 0; n < faker.number.int({ min: 0, max: 6 }); n += 1) {
      const occurredAt = new Date(faker.number.int({ min: since, max: now }));
      const summary = faker.helpers.arrayElement(tenant.interactionSummaries);
      interactions.push({
        tenant_id: tenantId,
        customer_id: customer.id,
        kind: faker.helpers.arrayElement(INTERACTION_KINDS),
        occurred_at: occurredAt,
        user_id: customer.owner_user_id ?? faker.helpers.arrayElement(sellers),
        summary,
        sentiment: summary.includes('投诉') ? 'complaint' : faker.number.float() < 0.2 ? 'praise' : 'neutral',
        next_step: faker.number.float() < 0.3 ? '下周电话跟进' : null,
        next_step_due: null,
        created_at: occurredAt,
      });
    }
  }
  const chunks = <T>(rows: T[]) =>
    Array.from({ length: Math.ceil(rows.length / 1000) }, (_, i) => rows.slice(i * 1000, i * 1000 + 1000));
  for (const chunk of chunks(contacts)) await trx.insertInto('contacts').values(chunk).execute();
  for (const chunk of chunks(orders)) await trx.insertInto('orders').values(chunk).execute();
  for (const chunk of chunks(lines)) await trx.insertInto('order_lines').values(chunk).execute();
  for (const chunk of chunks(interactions)) await trx.insertInto('interactions').values(chunk).execute();
}
