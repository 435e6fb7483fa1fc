import type { InteractionKind, PaymentMethod } from '@crm/domain';
import { normalizePhone } from '@crm/domain';
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
import { seedDemoLeadEvents } from './demo-lead-events';
import { seedDemoLeads } from './demo-leads';
import { seedDemoLoyalty } from './demo-loyalty';
import { seedDemoOpportunities } from './demo-opportunities';
import { seedDemoPool } from './demo-pool';
import { seedDemoTasks } from './demo-tasks';
import { seedDemoTickets } from './demo-tickets';

export { type DemoPluginSurvey, seedDemoSurveys } from './demo-surveys';

export const DEMO_PASSWORD = 'demo-2026';

type DemoUser = { email: string; name: string };
type DemoTenant = {
  name: string;
  industry: IndustryProfile;
  /** Share of customers that are companies (1: the industry has no individual customers). */
  companyShare: number;
  trades: string[];
  members: { email: string; role: Role }[];
  /** Order size in CNY for this kind of business, and what is sold. */
  orderAmount: { min: number; max: number };
  products: { name: string; price: number }[];
  /** Most units of one product in an order (a shopper buys one or two; a factory several). */
  maxQuantity: number;
  /** Most units when the buyer is a company (a retailer's corporate gift orders come by the dozen). */
  companyQuantity: number;
  /**
   * What each channel's record says, written the way that channel reads (a call's summary
   * like a call, a visit like a visit, 微信 like a chat), and how often the business uses it.
   */
  interactions: Record<InteractionKind, { weight: number; summaries: string[] }>;
  /** Payment method of an order of this amount (CNY), for a person or a company buyer. */
  pay: (amount: number, kind: 'person' | 'company') => PaymentMethod;
  /** Relative order volume by calendar month (index 0 = January): the business's seasons. */
  seasons: readonly number[];
  /** Titles of a company's contacts in this business. */
  contactTitles: string[];
  /** Free tags of this business, besides the common ones. */
  tags: string[];
  /**
   * How to fill the custom fields of the tenant's industry plugin, by the plugin's key. The
   * definitions come from the plugin (passed in by the server); a field the plugin does not
   * declare is not filled, and sensitive fields never are (they are stored encrypted).
   */
  fills: Record<string, DemoFill>;
  /** 统一社会信用代码 (the core field) of a drawn customer, drawn before its custom fields. */
  creditCode?: DemoFill;
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
  validation?: object;
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
    companyQuantity: 30,
    interactions: {
      call: {
        weight: 3,
        summaries: [
          '电话回访上次购买的护肤品，客户说用了两周效果不错',
          '致电提醒会员积分月底到期，客户表示周末来店使用',
          '来电投诉快递延迟两天才到，已致歉并补偿优惠券',
          '电话确认大衣改尺码的取货时间，约好周六下午',
        ],
      },
      visit: {
        weight: 2,
        summaries: [
          '会员日到店，试穿了新款羊绒大衣，对尺码有疑问',
          '到店取回定制贺卡的礼盒，顺便看了真丝围巾新款',
          '到店体验智能手表，店员演示了运动与睡眠监测',
        ],
      },
      message: {
        weight: 5,
        summaries: [
          '微信咨询礼盒能否定制贺卡，已发送样式图片',
          '微信上问储值卡能否跨店使用，已回复可以通用',
          '微信发来跑鞋尺码照片，请导购帮忙推荐码数',
          '微信群里报名会员日活动，预留了两份试用装',
        ],
      },
      email: {
        weight: 1,
        summaries: ['邮件发送电子发票和保修卡', '邮件确认企业团购礼盒的清单和开票信息'],
      },
      meeting: { weight: 0, summaries: [] },
      event: {
        weight: 1,
        summaries: ['参加春季新品发布会，对真丝系列很感兴趣', '参加会员日护肤沙龙活动，领取了试用装'],
      },
    },
    // Shoppers pay by phone for everyday amounts; big purchases go on a bank card, and a
    // company buying gifts pays by transfer.
    pay: (amount, kind) =>
      kind === 'company' && amount >= 2_000
        ? 'bank_transfer'
        : amount > 8_000
          ? 'card'
          : pick([
              ['wechat_pay', 5],
              ['alipay', 4],
              ['card', amount > 1_000 ? 3 : 1],
            ]),
    // 春节年货 (Jan–Feb), 618 (June), 双11 / 双12 (Nov–Dec); quiet in spring and late summer.
    seasons: [1.6, 1.3, 0.8, 0.7, 0.9, 1.4, 0.8, 0.7, 0.9, 1.0, 1.9, 1.5],
    contactTitles: ['行政主管', '采购专员', '办公室主任', '工会主席'],
    tags: ['会员日常客', '礼品采购', '线上下单为主'],
    fills: {
      retail_member_card: ({ kind }) =>
        kind === 'person' && faker.number.float() < 0.7 ? `VIP${faker.string.numeric(8)}` : null,
      retail_member_grade: ({ kind }) =>
        kind === 'person' && faker.number.float() < 0.6
          ? faker.helpers.arrayElement(['silver', 'gold', 'diamond'])
          : null,
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
    companyShare: 1,
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
    companyQuantity: 5,
    interactions: {
      call: {
        weight: 4,
        summaries: [
          '电话确认交期，采购经理希望提前两周到货',
          '致电设备部回访新装的视觉检测系统，运行稳定',
          '客户来电投诉减速机异响，已约工程师明天到厂排查',
          '电话沟通年度框架协议价格，客户要求再让两个点',
        ],
      },
      visit: {
        weight: 3,
        summaries: [
          '上门拜访设备部，了解二期产线扩建计划',
          '到客户工厂现场查看老线，记录改造需要的工位数',
          '拜访采购总监，递交国产替代方案和成功案例',
        ],
      },
      message: {
        weight: 3,
        summaries: [
          '微信发来现场设备铭牌照片，确认备件型号',
          '微信上技术负责人问伺服驱动器有没有现货',
          '微信沟通发票抬头和开票信息',
        ],
      },
      email: {
        weight: 3,
        summaries: [
          '邮件发送维保方案和报价单',
          '邮件回复招标文件中的技术参数澄清',
          '邮件寄送设备验收报告，请客户签字回传',
        ],
      },
      meeting: {
        weight: 2,
        summaries: [
          '技术交流会：客户关注视觉检测的误判率',
          '视频会议评审产线改造方案，客户提出三处修改',
          '与客户开项目启动会，确认里程碑和付款节点',
        ],
      },
      event: {
        weight: 1,
        summaries: ['邀请客户参加工博会展台参观，演示新款机器人', '客户参加了我司年度用户大会'],
      },
    },
    // Company buyers pay by transfer against an invoice, whatever the amount.
    pay: () => 'bank_transfer',
    // Budgets are spent before the year closes; little is signed around the Spring Festival.
    seasons: [0.8, 0.5, 1.0, 1.0, 1.0, 1.2, 0.9, 0.8, 1.1, 1.0, 1.3, 1.6],
    contactTitles: ['总经理', '采购经理', '设备部经理', '技术负责人', '财务总监', '生产厂长'],
    tags: ['二期扩产', '国产替代意向', '年度框架客户'],
    creditCode: ({ kind }) => (kind === 'company' && faker.number.float() < 0.8 ? creditCode() : null),
    fills: {
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
    companyQuantity: 5,
    interactions: {
      call: {
        weight: 3,
        summaries: [
          '电话月度回访财务总监，了解回款和下月用款计划',
          '致电客户沟通授信续期需要补充的材料',
          '客户来电咨询跨境人民币结算的办理流程',
          '电话季度回访：客户对网银审批流程提出改进建议',
        ],
      },
      visit: {
        weight: 3,
        summaries: [
          '走访企业厂区，更新授信尽调资料',
          '上门拜访董事长，了解新项目的融资需求',
          '到企业财务部现场演示现金管理平台',
        ],
      },
      message: {
        weight: 2,
        summaries: ['微信上出纳询问回单打印方法，已发操作截图', '微信提醒客户本月底贷款付息'],
      },
      email: {
        weight: 1,
        summaries: ['邮件发送授信续期材料清单', '邮件寄送现金管理服务方案'],
      },
      meeting: {
        weight: 2,
        summaries: ['与客户财务团队开会，梳理集团资金归集方案', '视频会议讨论出口信用证业务的办理安排'],
      },
      event: {
        weight: 1,
        summaries: ['邀请客户参加年度银企对接会', '客户参加了我行举办的跨境金融政策宣讲活动'],
      },
    },
    // Fees and interest are paid from the client's account by transfer.
    pay: () => 'bank_transfer',
    // Quarter ends (March, June, September, December) carry the deposits and fees; year end most.
    seasons: [0.8, 0.6, 1.3, 0.9, 0.9, 1.4, 0.9, 0.9, 1.3, 0.9, 1.0, 1.7],
    contactTitles: ['财务总监', '财务经理', '出纳', '总经理', '董事会秘书'],
    tags: ['授信到期', '跨境结算需求', '集团客户'],
    creditCode: () => (faker.number.float() < 0.9 ? creditCode() : null),
    fills: {
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
/**
 * Where demo customers are: each city under its own province, each district in its own city,
 * with the city's telephone area code — so an address and a landline agree.
 */
type Place = { province: string; city: string; short: string; areaCode: string; districts: string[] };
const PLACES: Place[] = [
  {
    province: '北京市',
    city: '北京市',
    short: '北京',
    areaCode: '010',
    districts: ['朝阳区', '海淀区', '东城区', '丰台区'],
  },
  {
    province: '上海市',
    city: '上海市',
    short: '上海',
    areaCode: '021',
    districts: ['浦东新区', '徐汇区', '静安区', '闵行区'],
  },
  {
    province: '天津市',
    city: '天津市',
    short: '天津',
    areaCode: '022',
    districts: ['和平区', '南开区', '滨海新区'],
  },
  {
    province: '重庆市',
    city: '重庆市',
    short: '重庆',
    areaCode: '023',
    districts: ['渝中区', '江北区', '渝北区'],
  },
  {
    province: '广东省',
    city: '广州市',
    short: '广州',
    areaCode: '020',
    districts: ['天河区', '越秀区', '海珠区'],
  },
  {
    province: '广东省',
    city: '深圳市',
    short: '深圳',
    areaCode: '0755',
    districts: ['南山区', '福田区', '宝安区'],
  },
  {
    province: '广东省',
    city: '佛山市',
    short: '佛山',
    areaCode: '0757',
    districts: ['南海区', '禅城区', '顺德区'],
  },
  {
    province: '浙江省',
    city: '杭州市',
    short: '杭州',
    areaCode: '0571',
    districts: ['西湖区', '上城区', '滨江区', '余杭区'],
  },
  {
    province: '浙江省',
    city: '宁波市',
    short: '宁波',
    areaCode: '0574',
    districts: ['鄞州区', '海曙区', '北仑区'],
  },
  {
    province: '江苏省',
    city: '南京市',
    short: '南京',
    areaCode: '025',
    districts: ['鼓楼区', '建邺区', '江宁区'],
  },
  {
    province: '江苏省',
    city: '苏州市',
    short: '苏州',
    areaCode: '0512',
    districts: ['姑苏区', '吴中区', '相城区', '虎丘区'],
  },
  {
    province: '江苏省',
    city: '无锡市',
    short: '无锡',
    areaCode: '0510',
    districts: ['梁溪区', '滨湖区', '新吴区'],
  },
  {
    province: '四川省',
    city: '成都市',
    short: '成都',
    areaCode: '028',
    districts: ['武侯区', '锦江区', '青羊区', '成华区'],
  },
  {
    province: '湖北省',
    city: '武汉市',
    short: '武汉',
    areaCode: '027',
    districts: ['江汉区', '武昌区', '洪山区'],
  },
  {
    province: '陕西省',
    city: '西安市',
    short: '西安',
    areaCode: '029',
    districts: ['雁塔区', '碑林区', '未央区'],
  },
  {
    province: '湖南省',
    city: '长沙市',
    short: '长沙',
    areaCode: '0731',
    districts: ['岳麓区', '芙蓉区', '天心区'],
  },
  {
    province: '河南省',
    city: '郑州市',
    short: '郑州',
    areaCode: '0371',
    districts: ['金水区', '二七区', '中原区'],
  },
  {
    province: '山东省',
    city: '青岛市',
    short: '青岛',
    areaCode: '0532',
    districts: ['市南区', '崂山区', '黄岛区'],
  },
  {
    province: '山东省',
    city: '济南市',
    short: '济南',
    areaCode: '0531',
    districts: ['历下区', '市中区', '槐荫区'],
  },
  {
    province: '福建省',
    city: '厦门市',
    short: '厦门',
    areaCode: '0592',
    districts: ['思明区', '湖里区', '集美区'],
  },
  {
    province: '福建省',
    city: '福州市',
    short: '福州',
    areaCode: '0591',
    districts: ['鼓楼区', '台江区', '仓山区'],
  },
  {
    province: '安徽省',
    city: '合肥市',
    short: '合肥',
    areaCode: '0551',
    districts: ['蜀山区', '包河区', '庐阳区'],
  },
  {
    province: '云南省',
    city: '昆明市',
    short: '昆明',
    areaCode: '0871',
    districts: ['五华区', '盘龙区', '官渡区'],
  },
];
const STREETS = [
  '人民路',
  '建设路',
  '解放路',
  '中山路',
  '科技园路',
  '金桥路',
  '滨江大道',
  '文化路',
  '长江路',
  '学府路',
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

/** A company registered where it is, named for its trade: 苏州瑞丰精密机械有限公司 is in 苏州市 and makes machinery. */
function companyName(place: Place, trade: string): string {
  return `${place.short}${faker.helpers.arrayElement(BRANDS)}${trade}${faker.helpers.arrayElement(SUFFIXES)}`;
}

/** A mobile number, stored the way the product stores every phone (E.164: +8613812345678). */
function mobile(): string {
  return stored(faker.helpers.arrayElement(MOBILE_PREFIXES) + faker.string.numeric(8));
}

function stored(phone: string): string {
  const normalised = normalizePhone(phone);
  if (!normalised) throw new Error(`Demo phone ${phone} is not a phone number`);
  return normalised;
}

/** A landline of the place: its area code, then an 8-digit local number (stored as E.164). */
function landline(place: Place): string {
  return stored(
    `${place.areaCode}-${faker.helpers.arrayElement(['2', '5', '6', '8'])}${faker.string.numeric(7)}`,
  );
}

/** An address in the place: the district belongs to the city, the city to the province. */
function addressIn(place: Place, label: string) {
  return {
    label,
    province: place.province,
    city: place.city,
    district: faker.helpers.arrayElement(place.districts),
    street: `${faker.helpers.arrayElement(STREETS)}${faker.number.int({ min: 1, max: 999 })}号`,
  };
}

const INTERACTION_KINDS: readonly InteractionKind[] = [
  'call',
  'visit',
  'message',
  'email',
  'meeting',
  'event',
];

/** One of the choices, drawn by weight. */
function pick<T>(choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = faker.number.float() * total;
  for (const [value, weight] of choices) {
    draw -= weight;
    if (draw < 0) return value;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

const DAY = 86_400_000;
/** The demo's history: two years back from today (the README promises two years of orders). */
const HISTORY_DAYS = 730;

/**
 * A moment between `from` and `to` drawn by the business's seasons: a uniform draw kept with
 * the weight of its calendar month (rejection sampling, deterministic under the seed).
 */
function seasonalMoment(from: number, to: number, seasons: readonly number[]): Date {
  const top = Math.max(...seasons);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const at = faker.number.int({ min: from, max: to });
    if (faker.number.float() * top < (seasons[new Date(at).getMonth()] ?? top)) return new Date(at);
  }
  return new Date(faker.number.int({ min: from, max: to }));
}

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
              validation: JSON.stringify(field.validation ?? {}),
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
        const drawn = drawOrderCount();
        const place = faker.helpers.arrayElement(PLACES);
        // Most buying customers were already customers two years ago, the others arrived
        // since; prospects who never bought arrive all along. A customer buys at its own pace
        // over the time it has been one, so a newcomer has fewer orders — and the order book
        // grows gently instead of piling up in the last months.
        const createdDaysAgo =
          drawn === 0
            ? faker.number.int({ min: 1, max: HISTORY_DAYS })
            : faker.number.float() < 0.6
              ? faker.number.int({ min: HISTORY_DAYS - 30, max: HISTORY_DAYS })
              : faker.number.int({ min: 1, max: HISTORY_DAYS - 30 });
        const orders = drawn === 0 ? 0 : Math.max(1, Math.round((drawn * createdDaysAgo) / HISTORY_DAYS));
        const createdAt = new Date(now - createdDaysAgo * DAY + faker.number.int(DAY - 1));
        const updatedAt = new Date(
          Math.min(now, createdAt.getTime() + faker.number.int({ min: 0, max: 200 }) * DAY),
        );
        const chance = (share: number) => faker.number.float() < share;
        orderCounts.push(orders);
        const draw: DemoDraw = { kind: isCompany ? 'company' : 'person', orders };
        const drawnCreditCode = tenant.creditCode?.(draw) ?? null;
        const custom = Object.fromEntries(
          fills.map(({ key, fill }) => [key, fill(draw)] as const).filter(([, value]) => value !== null),
        );
        const trade = faker.helpers.arrayElement(tenant.trades);
        return {
          tenant_id: tenantId,
          customer_number: chance(0.75) ? `C${faker.string.numeric(7)}` : null,
          industry: chance(0.8) ? (isCompany ? trade : '个人消费') : null,
          addresses: chance(0.55)
            ? JSON.stringify([addressIn(place, isCompany ? '办公地址' : '收货地址')])
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
          credit_code: isCompany && typeof drawnCreditCode === 'string' ? drawnCreditCode : null,
          name: isCompany ? companyName(place, trade) : personName(),
          kind: isCompany ? 'company' : 'person',
          phone:
            faker.number.float() < 0.92
              ? isCompany && faker.number.float() < 0.5
                ? landline(place)
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
      await seedDemoTasks(trx, tenantId, tenant.industry, sellers, now);
      const agents = tenant.members
        .filter((member) => member.role === 'service_agent' || member.role === 'sales_manager')
        .map((member) => idOf(member.email));
      await seedDemoTickets(trx, tenantId, tenant.industry, agents, now);
      await seedDemoLeads(trx, tenantId, tenant.industry, sellers, now);
      await seedDemoLeadEvents(trx, tenantId, tenant.industry, now);
      await seedDemoPool(trx, tenantId, tenant.industry, sellers, now);
      await seedDemoOpportunities(trx, tenantId, tenant.industry, sellers, now);
      // After the deals: their won orders earn points too.
      await seedDemoLoyalty(trx, tenantId, tenant.industry, now);
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
 * skewed like real customer bases — many with none or one, a few with many — dated by the
 * business's seasons and paid the way such an amount is paid, and interactions whose text
 * reads like their channel. Transaction facts and stages are derived afterwards by the same SQL the
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
          title: faker.helpers.arrayElement(tenant.contactTitles),
          phones: [mobile()],
          emails: [],
          is_primary: n === 0,
        });
      }
    }
    const since = customer.created_at.getTime();
    const orderCount = orderCounts[index] ?? 0;
    for (let n = 0; n < orderCount; n += 1) {
      const orderedAt = seasonalMoment(since, now, tenant.seasons);
      const id = faker.string.uuid();
      let cents = 0;
      const lineCount = faker.number.int({ min: 1, max: 3 });
      for (let line = 1; line <= lineCount; line += 1) {
        const product = faker.helpers.arrayElement(tenant.products);
        const quantity = faker.number.int({
          min: 1,
          max: customer.kind === 'company' ? tenant.companyQuantity : tenant.maxQuantity,
        });
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
        payment_method: tenant.pay(cents / 100, customer.kind),
        status: faker.number.float() < 0.04 ? 'refunded' : 'completed',
        created_by: customer.owner_user_id,
        created_at: orderedAt,
      });
    }
    const channels = INTERACTION_KINDS.map((kind) => [kind, tenant.interactions[kind].weight] as const);
    // A buying customer has been talked to at least once.
    for (let n = 0; n < faker.number.int({ min: orderCount > 0 ? 1 : 0, max: 6 }); n += 1) {
      const occurredAt = new Date(faker.number.int({ min: since, max: now }));
      const kind = pick(channels);
      const summary = faker.helpers.arrayElement(tenant.interactions[kind].summaries);
      interactions.push({
        tenant_id: tenantId,
        customer_id: customer.id,
        kind,
        occurred_at: occurredAt,
        user_id: customer.owner_user_id ?? faker.helpers.arrayElement(sellers),
        summary,
        sentiment: summary.includes('投诉') ? 'complaint' : faker.number.float() < 0.2 ? 'praise' : 'neutral',
        next_step:
          faker.number.float() < 0.3
            ? faker.helpers.arrayElement(['下周电话跟进', '发送报价后再约时间', '月底前回访确认'])
            : null,
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
