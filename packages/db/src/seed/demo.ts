import { faker } from '@faker-js/faker';
import type { Insertable, Transaction } from 'kysely';
import type { CrmDatabase } from '../connection';
import type {
  ContactsTable,
  CustomFieldType,
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
  /** Most units of one product in an order (a shopper buys one or two; a factory several). */
  maxQuantity: number;
  interactionSummaries: string[];
  /** Free tags of this business, besides the common ones. */
  tags: string[];
  /**
   * How to fill the custom fields of the tenant's industry plugin, by the plugin's key. The
   * definitions come from the plugin (passed in by the server); a field the plugin does not
   * declare is not filled, and sensitive fields never are (they are stored encrypted).
   */
  fills: Record<string, DemoFill>;
  needs: { explicit: string[]; painPoints: string[]; plans: string[] };
};

/** A demo customer as its custom fields are filled: its kind and how many orders it will get. */
type DemoDraw = { kind: 'person' | 'company'; orders: number };
/** A value for one customer (or null to leave it empty). */
type DemoFill = (customer: DemoDraw) => string | boolean | string[] | null;

type Texts = { 'zh-CN': string; en: string };
/**
 * A custom field an industry plugin declares (the shape of the plugin SDK's custom field
 * definitions; the database package does not depend on plugins — the server passes them in).
 */
export type DemoPluginField = {
  key: string;
  type: CustomFieldType;
  labels: Texts;
  options?: readonly { value: string; labels: Texts }[];
  required?: boolean;
  sensitive?: boolean;
};
/** An industry plugin as the demo seed needs it: its id (= tenants.industry) and custom fields. */
export type DemoPlugin = { id: string; customFields?: readonly DemoPluginField[] };

/** A unified social credit code (GB 32100-2015) with a valid check character. */
function creditCode(): string {
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const organisation = Array.from({ length: 9 }, () => faker.helpers.arrayElement([...charset])).join('');
  const first17 = `91${faker.helpers.arrayElement(['310115', '320505', '330106', '440305', '110108', '510107'])}${organisation}`;
  const sum = [...first17].reduce(
    (total, char, index) => total + charset.indexOf(char) * (weights[index] ?? 0),
    0,
  );
  return first17 + charset[(31 - (sum % 31)) % 31];
}

/** A rep's 1–5 rating (stored like any number field, as a decimal string) that rises with how much the customer buys, give or take one. */
function rating(orders: number): string {
  return String(Math.min(5, Math.max(1, 1 + Math.floor(orders / 4) + faker.number.int({ min: -1, max: 1 }))));
}

/** An amount spread over orders of magnitude (10^low … 10^high), higher for busier clients, in thousands. */
function magnitude(low: number, spread: number, orders: number, lift: number): string {
  const exponent = low + faker.number.float() * spread + (Math.min(orders, 18) / 18) * lift;
  return String(Math.round(10 ** exponent / 1000) * 1000);
}

const COMMON_TAGS: { name: string; color: 'red' | 'gold' | 'blue' | 'purple' }[] = [
  { name: '高流失风险', color: 'red' },
  { name: '价格敏感', color: 'gold' },
  { name: '技术导向', color: 'blue' },
  { name: '决策链复杂', color: 'purple' },
];

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
    maxQuantity: 2,
    interactionSummaries: [
      '会员日到店，试穿了新款大衣，对尺码有疑问',
      '电话回访上次购买的护肤品，反馈效果不错',
      '微信咨询礼盒能否定制贺卡',
      '投诉快递延迟两天，已补偿优惠券',
      '参加了春季新品发布会，对真丝系列感兴趣',
      '询问储值卡是否能跨店使用',
    ],
    tags: ['会员日常客', '礼品采购', '线上下单为主'],
    fills: {
      retail_member_card: ({ kind }) =>
        kind === 'person' && faker.number.float() < 0.7 ? `VIP${faker.string.numeric(8)}` : null,
      retail_member_grade: () =>
        faker.number.float() < 0.6 ? faker.helpers.arrayElement(['silver', 'gold', 'diamond']) : null,
      retail_preferred_channels: () =>
        faker.number.float() < 0.5
          ? faker.helpers.arrayElements(['store', 'mini_program', 'live'], { min: 1, max: 2 })
          : null,
    },
    needs: {
      explicit: ['想买适合送长辈的礼盒', '需要冬季大衣，偏好羊绒', '关注护肤品新品试用'],
      painPoints: ['觉得线上线下价格不一致', '快递时效不稳定', '会员积分规则看不懂'],
      plans: ['春节前采购年货礼盒', '换季添置外套', '会员日集中囤货'],
    },
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
    maxQuantity: 5,
    interactionSummaries: [
      '上门拜访设备部，了解二期产线扩建计划',
      '技术交流会：客户关注视觉检测的误判率',
      '电话确认交期，客户希望提前两周',
      '采购经理询问年度框架协议价格',
      '客户投诉减速机异响，已安排工程师现场排查',
      '邮件发送维保方案和报价单',
    ],
    tags: ['二期扩产', '国产替代意向', '年度框架客户'],
    fills: {
      b2b_credit_code: ({ kind }) => (kind === 'company' && faker.number.float() < 0.8 ? creditCode() : null),
      b2b_employees: ({ kind }) =>
        kind === 'company' && faker.number.float() < 0.7
          ? String(faker.number.int({ min: 20, max: 5000 }))
          : null,
      b2b_annual_budget: () =>
        faker.number.float() < 0.4 ? String(faker.number.int({ min: 10, max: 500 }) * 10_000) : null,
      // The potential dimensions of the weighted tier model, rated by the reps: better for
      // customers who buy more, so the demo has a few strategic customers and many potential ones.
      b2b_industry_growth: ({ orders }) => {
        if (faker.number.float() < 0.15) return null;
        const draw = faker.number.float();
        return draw < Math.min(0.7, 0.15 + orders * 0.04) ? 'high' : draw < 0.85 ? 'medium' : 'low';
      },
      b2b_willingness: ({ orders }) => (faker.number.float() < 0.8 ? rating(orders) : null),
      b2b_need_extensibility: ({ orders }) => (faker.number.float() < 0.75 ? rating(orders) : null),
    },
    needs: {
      explicit: ['二期产线需要 6 台六轴机器人', '希望引入视觉检测替代人工质检', '需要年度维保覆盖三个厂区'],
      painPoints: ['现有设备故障率高、停线损失大', '进口备件交期长', '质检漏检导致客诉'],
      plans: ['明年一季度招标采购产线设备', '下半年完成老线改造', '年底前签订维保框架协议'],
    },
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
    maxQuantity: 5,
    interactionSummaries: [
      '客户经理月度回访，了解回款和用款计划',
      '财务总监咨询跨境人民币结算流程',
      '走访企业厂区，更新尽调资料',
      '季度回访：客户对网银审批流程提出改进建议',
      '电话沟通授信续期所需材料',
      '邀请客户参加年度银企对接会',
    ],
    tags: ['授信到期', '跨境结算需求', '集团客户'],
    fills: {
      corporate_banking_credit_code: () => (faker.number.float() < 0.9 ? creditCode() : null),
      corporate_banking_legal_representative: () => (faker.number.float() < 0.85 ? personName() : null),
      corporate_banking_registered_capital: () =>
        faker.number.float() < 0.8 ? String(faker.number.int({ min: 10, max: 5000 }) * 100_000) : null,
      // 国民经济行业分类 (GB/T 4754-2017): construction, trade agency, metal products, power,
      // real estate, pharmaceuticals, cotton spinning, supply chain services, rice growing.
      corporate_banking_industry_code: () =>
        faker.number.float() < 0.8
          ? faker.helpers.arrayElement([
              'E4710',
              'F5181',
              'C3311',
              'D4411',
              'K7010',
              'C2710',
              'C1711',
              'L7224',
              'A0111',
            ])
          : null,
      // The tier model's figures: 重要客户 from 5 million average daily deposits, 30 million
      // of loans or 100 million settled a year — about a quarter of the demo's clients.
      corporate_banking_avg_daily_deposits: ({ orders }) =>
        faker.number.float() < 0.95 ? magnitude(5, 1.7, orders, 0.6) : null,
      corporate_banking_loan_balance: ({ orders }) =>
        faker.number.float() < 0.6 ? magnitude(6, 1.8, orders, 0.5) : null,
      corporate_banking_settlement_volume: ({ orders }) =>
        faker.number.float() < 0.9 ? magnitude(6.5, 1.5, orders, 0.8) : null,
      corporate_banking_credit_line: () =>
        faker.number.float() < 0.6 ? String(faker.number.int({ min: 5, max: 500 }) * 100_000) : null,
      corporate_banking_credit_rating: () =>
        faker.number.float() < 0.7 ? faker.helpers.arrayElement(['aaa', 'aa', 'a', 'bbb']) : null,
      corporate_banking_basic_account: () => (faker.number.float() < 0.8 ? faker.number.float() < 0.5 : null),
    },
    needs: {
      explicit: ['需要流动资金贷款支持旺季备货', '希望开通跨境人民币结算', '集团内资金归集与现金管理'],
      painPoints: ['审批流程长、材料反复提交', '境外回款周期长', '多家银行账户对账繁琐'],
      plans: ['三个月内申请授信续期', '半年内上线现金管理平台', '下季度开展出口信用证业务'],
    },
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
 * three tenants) and a few hundred customers each. Deterministic for a given seed. Each
 * tenant gets the custom fields of its industry plugin (`plugins`: the server's loaded
 * plugins; the seed fills the ones it knows) — none when its plugin is not given.
 */
export async function seedDemoData(
  database: CrmDatabase,
  passwordHash: string,
  customersPerTenant = 300,
  { plugins = [], seed = 20261122 }: { plugins?: readonly DemoPlugin[]; seed?: number } = {},
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
      const tagRows = await trx
        .insertInto('tags')
        .values([
          ...COMMON_TAGS.map((tag) => ({ tenant_id: tenantId, name: tag.name, color: tag.color })),
          ...tenant.tags.map((name) => ({ tenant_id: tenantId, name, color: 'cyan' as const })),
        ])
        .returning('id')
        .execute();
      const tagIds = tagRows.map((row) => row.id);
      const pluginFields = plugins.find((plugin) => plugin.id === tenant.industry)?.customFields ?? [];
      if (pluginFields.length > 0) {
        await trx
          .insertInto('custom_field_definitions')
          .values(
            pluginFields.map((field, position) => ({
              tenant_id: tenantId,
              key: field.key,
              label_zh: field.labels['zh-CN'],
              label_en: field.labels.en,
              type: field.type,
              options: JSON.stringify(
                (field.options ?? []).map((option) => ({
                  value: option.value,
                  labelZh: option.labels['zh-CN'],
                  labelEn: option.labels.en,
                })),
              ),
              required: field.required ?? false,
              sensitive: field.sensitive ?? false,
              position,
              source: 'plugin' as const,
            })),
          )
          .execute();
      }
      const fills = pluginFields
        .filter((field) => !field.sensitive)
        .flatMap((field) => {
          const fill = tenant.fills[field.key];
          return fill ? [{ key: field.key, fill }] : [];
        });
      const orderCounts: number[] = [];
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
        const chance = (share: number) => faker.number.float() < share;
        const orders = drawOrderCount();
        orderCounts.push(orders);
        const draw: DemoDraw = { kind: isCompany ? 'company' : 'person', orders };
        const custom = Object.fromEntries(
          fills.map(({ key, fill }) => [key, fill(draw)] as const).filter(([, value]) => value !== null),
        );
        const trade = faker.helpers.arrayElement(tenant.trades);
        return {
          tenant_id: tenantId,
          customer_number: chance(0.75) ? `C${faker.string.numeric(7)}` : null,
          industry: chance(0.8) ? (isCompany ? trade : '个人消费') : null,
          addresses: chance(0.55)
            ? JSON.stringify([
                {
                  label: isCompany ? '办公地址' : '收货地址',
                  province: faker.helpers.arrayElement([
                    '上海市',
                    '江苏省',
                    '浙江省',
                    '广东省',
                    '北京市',
                    '四川省',
                  ]),
                  city: faker.helpers.arrayElement([
                    '上海市',
                    '苏州市',
                    '杭州市',
                    '深圳市',
                    '北京市',
                    '成都市',
                  ]),
                  street: `${faker.helpers.arrayElement(['人民路', '建设路', '科技园路', '金桥路'])}${faker.number.int({ min: 1, max: 999 })}号`,
                },
              ])
            : undefined,
          founded_on:
            isCompany && chance(0.5) ? faker.date.past({ years: 30 }).toISOString().slice(0, 10) : null,
          birthday:
            !isCompany && chance(0.45)
              ? faker.date.birthdate({ min: 20, max: 70, mode: 'age' }).toISOString().slice(0, 10)
              : null,
          explicit_needs: chance(0.4) ? faker.helpers.arrayElement(tenant.needs.explicit) : null,
          pain_points: chance(0.3) ? faker.helpers.arrayElement(tenant.needs.painPoints) : null,
          purchase_plan: chance(0.2) ? faker.helpers.arrayElement(tenant.needs.plans) : null,
          need_type: chance(0.6) ? faker.helpers.arrayElement(['product', 'service', 'both'] as const) : null,
          tag_ids: chance(0.5) ? faker.helpers.arrayElements(tagIds, { min: 1, max: 2 }) : [],
          custom_fields: JSON.stringify(custom),
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
      await seedActivity(trx, tenantId, tenant, inserted, orderCounts, sellers, now);
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

/** Skewed like real customer bases: about a third never buy; the rest 1–3 times, a few many times. */
function drawOrderCount(): number {
  const draw = faker.number.float();
  return draw < 0.3
    ? 0
    : draw < 0.75
      ? faker.number.int({ min: 1, max: 3 })
      : faker.number.int({ min: 4, max: 18 });
}

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
  orderCounts: number[],
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
    const orderCount = orderCounts[index] ?? 0;
    for (let n = 0; n < orderCount; n += 1) {
      const orderedAt = new Date(faker.number.int({ min: since, max: now }));
      const id = faker.string.uuid();
      let cents = 0;
      const lineCount = faker.number.int({ min: 1, max: 3 });
      for (let line = 1; line <= lineCount; line += 1) {
        const product = faker.helpers.arrayElement(tenant.products);
        const quantity = faker.number.int({ min: 1, max: tenant.maxQuantity });
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
