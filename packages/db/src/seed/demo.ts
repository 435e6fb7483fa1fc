import { faker } from '@faker-js/faker';
import type { CrmDatabase } from '../connection';
import type { IndustryProfile, NewCustomer, Role } from '../tables';

export const DEMO_PASSWORD = 'demo-2026';

type DemoUser = { email: string; name: string };
type DemoTenant = {
  name: string;
  industry: IndustryProfile;
  /** Share of customers that are companies. */
  companyShare: number;
  trades: string[];
  members: { email: string; role: Role }[];
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

export type DemoSeedResult = {
  tenants: { name: string; industry: IndustryProfile }[];
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
      await trx.insertInto('customers').values(customers).execute();
    });
  }

  return {
    tenants: TENANTS.map(({ name, industry }) => ({ name, industry })),
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
