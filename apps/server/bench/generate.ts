/**
 * The Customer 360 data set for BM2, BM2b and BM6: 1,000 tenants of Zipf-like sizes, the
 * largest with 1,000,000 customers, 10,000,000 orders (with lines) and 5,000,000
 * interactions; the other 999 from ~5,000 customers down to a handful. Realistic Chinese
 * names, companies, 11-digit mobiles, ~200 sales reps in 20 teams, ~20 free tags per tenant.
 *
 * Everything is set-based SQL (`insert … select … from generate_series`) run as the
 * superuser with `session_replication_role = replica` (no audit triggers, no FK checks:
 * every id is a deterministic function of (tenant, ordinal), so references are right by
 * construction). Secondary indexes are dropped for the load and rebuilt afterwards; the
 * derived facts, stages, system tags and completeness come from the product's own SQL
 * (`refreshCustomerFacts`, `refreshCompleteness`, per tenant). The result is cached:
 * the database records GENERATOR_VERSION and the scale, and a complete data set is reused.
 *
 * `BENCH_SCALE` (default 1) shrinks every size for a quick try (0.01 → 10,000 customers).
 * `BENCH_DATASET_DATABASE` names its database (default `crm_bench_1m`, or one named after the scale).
 */
import { jobScope, refreshCustomerFacts } from '@crm/api';
import { openDatabase, provisionDatabase, sql } from '@crm/db';
import postgres from 'postgres';
import { refreshCompleteness } from '../../../packages/api/src/customers/completeness.repository';

/** Bump when what is generated changes: a cached data set of another version is rebuilt. */
export const GENERATOR_VERSION = 1;

export type Dataset = {
  /** crm_app (the runtime role) on the bench database. */
  appUrl: string;
  ownerUrl: string;
  /** The superuser on the bench database (bypasses RLS; BM6's "no RLS" side). */
  superUrl: string;
  database: string;
  tenantId: string;
  /** An admin (record scope 'all') and a sales manager of the big tenant. */
  adminUserId: string;
  managerUserId: string;
  stats: GeneratorStats;
};

export type GeneratorStats = {
  version: number;
  scale: number;
  generatedAt: string;
  seconds: number;
  steps: Record<string, number>;
  rows: Record<string, number>;
  databaseBytes: number;
};

const BIG_TENANT_ID = '00000000-0000-4000-8000-00000000b001';
const LOADED_TABLES = ['customers', 'contacts', 'orders', 'order_lines', 'interactions'];

function log(message: string) {
  process.stdout.write(`[generate] ${message}\n`);
}

const pgArray = (values: readonly (string | number)[]) =>
  `'{${values.map((value) => `"${String(value).replaceAll('"', '\\"')}"`).join(',')}}'`;

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严武戴莫孔汤',
];
const GIVEN_ONE = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华建文辉鹏斌玲婷雪慧颖琳倩鑫飞亮成龙凯林波宁浩宇欣峰',
];
const GIVEN_TWO = [
  '秀英',
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
  '志强',
  '建国',
  '晓东',
  '振华',
  '文博',
  '雅文',
  '思雨',
  '子豪',
  '佳怡',
  '立伟',
  '晓婷',
  '红梅',
  '玉兰',
  '建军',
  '海涛',
  '丽华',
  '永强',
  '金凤',
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
const PROVINCES: Record<string, string> = {
  北京: '北京市',
  上海: '上海市',
  广州: '广东省',
  深圳: '广东省',
  杭州: '浙江省',
  南京: '江苏省',
  苏州: '江苏省',
  成都: '四川省',
  武汉: '湖北省',
  西安: '陕西省',
  重庆: '重庆市',
  天津: '天津市',
  长沙: '湖南省',
  郑州: '河南省',
  青岛: '山东省',
  宁波: '浙江省',
  厦门: '福建省',
  合肥: '安徽省',
  济南: '山东省',
  福州: '福建省',
  无锡: '江苏省',
  佛山: '广东省',
  东莞: '广东省',
  昆明: '云南省',
};
const BRANDS = [
  ...[
    '华东',
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
    '东方',
    '长城',
    '银河',
    '星辰',
    '立信',
    '恒瑞',
    '康达',
    '振兴',
    '润华',
    '宝丰',
    '信达',
  ],
];
const SUFFIXES = ['有限公司', '有限公司', '有限公司', '股份有限公司', '有限责任公司', '集团有限公司'];
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
const AREA_CODES = ['010', '021', '020', '022', '023', '024', '025', '027', '028', '029'];
const MAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'foxmail.com', 'sina.com', 'outlook.com'];
const TAG_NAMES = [
  '重点客户',
  'VIP',
  '价格敏感',
  '老客户推荐',
  '展会获客',
  '线上渠道',
  '待回访',
  '投诉过',
  '复购意向',
  '新品关注',
  '节日礼品',
  '会员',
  '大客户',
  '区域重点',
  '合作伙伴',
  '竞品用户',
  '需上门',
  '已签框架协议',
  '决策链复杂',
  '账期客户',
];
const TAG_COLORS = ['blue', 'green', 'red', 'orange', 'gold', 'purple', 'cyan', 'magenta', 'gray'];
const TEAM_REGIONS = ['华东', '华南', '华北', '华中', '西南', '西北', '东北'];
const CONTACT_TITLES = [
  '总经理',
  '采购经理',
  '财务总监',
  '技术负责人',
  '行政主管',
  '董事长助理',
  '运营总监',
  '门店店长',
];
const NEEDS = [
  '希望批量采购享受阶梯价',
  '关注交期，要求两周内到货',
  '需要开具增值税专用发票',
  '计划明年扩建门店，采购量会增加',
  '希望提供上门安装和培训',
  '对售后响应速度要求高',
  '需要定制包装和企业 logo',
  '考虑更换现有供应商',
];
const PAIN_POINTS = [
  '现有供应商交期不稳定',
  '价格高于预算',
  '内部审批流程长',
  '售后响应慢',
  '产品型号选择困难',
];
const SOURCES = ['展会', '转介绍', '线上广告', '电话营销', '老客户推荐', '门店自然到访'];
const MEMBER_TIERS = ['普通', '银卡', '金卡', '钻石'];

type Industry = 'retail' | 'b2b' | 'corporate-banking';
const INDUSTRY_WORDS: Record<
  Industry,
  {
    companyShare: number;
    maxQuantity: number;
    trades: string[];
    products: [string, number][];
    payments: string[];
    summaries: string[];
  }
> = {
  retail: {
    companyShare: 0.2,
    maxQuantity: 3,
    trades: ['贸易', '餐饮管理', '物业服务', '文化传媒', '教育科技', '商贸', '电子商务', '酒店管理'],
    products: [
      ['真丝围巾', 399],
      ['羊绒大衣', 2680],
      ['护肤礼盒', 568],
      ['智能手表', 1599],
      ['有机茶叶礼盒', 288],
      ['运动跑鞋', 699],
      ['会员储值卡', 1000],
      ['空气净化器', 2399],
      ['咖啡机', 3299],
      ['床品四件套', 899],
      ['企业团购礼品卡', 5000],
      ['办公椅', 1280],
    ],
    payments: ['alipay', 'wechat_pay', 'wechat_pay', 'card', 'cash', 'bank_transfer'],
    summaries: [
      '会员日到店，试穿了新款大衣，对尺码有疑问',
      '电话回访上次购买的护肤品，反馈效果不错',
      '微信咨询礼盒能否定制贺卡',
      '投诉快递延迟两天，已补偿优惠券',
      '参加了春季新品发布会，对真丝系列感兴趣',
      '询问储值卡是否能跨店使用',
      '企业客户咨询中秋团购方案和发票',
      '回访空气净化器使用情况，提醒更换滤芯',
    ],
  },
  b2b: {
    companyShare: 0.9,
    maxQuantity: 5,
    trades: ['精密机械', '电子科技', '新材料', '医疗器械', '汽车零部件', '软件技术', '自动化设备', '化工'],
    products: [
      ['伺服驱动器', 4800],
      ['工业机器人本体', 168000],
      ['视觉检测系统', 86000],
      ['产线改造服务', 120000],
      ['年度维保合同', 36000],
      ['精密减速机', 9600],
    ],
    payments: ['bank_transfer', 'bank_transfer', 'credit'],
    summaries: [
      '上门拜访设备部，了解二期产线扩建计划',
      '技术交流会：客户关注视觉检测的误判率',
      '电话确认交期，客户希望提前两周',
      '采购经理询问年度框架协议价格',
      '客户投诉减速机异响，已安排工程师现场排查',
      '邮件发送维保方案和报价单',
    ],
  },
  'corporate-banking': {
    companyShare: 1,
    maxQuantity: 1,
    trades: ['建设工程', '进出口贸易', '实业', '能源', '置业', '制药', '纺织', '供应链管理', '农业发展'],
    products: [
      ['流动资金贷款手续费', 50000],
      ['国际结算服务', 12000],
      ['现金管理服务年费', 30000],
      ['票据贴现', 200000],
      ['供应链融资服务费', 80000],
    ],
    payments: ['bank_transfer'],
    summaries: [
      '客户经理月度回访，了解回款和用款计划',
      '财务总监咨询跨境人民币结算流程',
      '走访企业厂区，更新尽调资料',
      '季度回访：客户对网银审批流程提出改进建议',
      '电话沟通授信续期所需材料',
      '邀请客户参加年度银企对接会',
    ],
  },
};
// The big tenant sells to people and companies alike: the retail catalogue plus some B2B lines.
const BIG_TENANT_WORDS = {
  ...INDUSTRY_WORDS.retail,
  companyShare: 0.3,
  trades: [...INDUSTRY_WORDS.retail.trades, ...INDUSTRY_WORDS.b2b.trades],
  products: [...INDUSTRY_WORDS.retail.products, ['伺服驱动器', 4800], ['精密减速机', 9600]] as [
    string,
    number,
  ][],
  summaries: [...INDUSTRY_WORDS.retail.summaries, ...INDUSTRY_WORDS.b2b.summaries.slice(0, 4)],
};

/** Helper functions (inlined by the planner: plain SQL, immutable) and the per-tenant plan. */
function setupStatements(scale: number): string[] {
  const words = (w: typeof BIG_TENANT_WORDS) =>
    `${w.companyShare}, ${w.maxQuantity}, ${pgArray(w.trades)}::text[], ${pgArray(w.products.map(([name]) => name))}::text[],
     ${pgArray(w.products.map(([, price]) => price))}::numeric[], ${pgArray(w.payments)}::text[], ${pgArray(w.summaries)}::text[]`;
  return [
    'create schema bench',
    `create table bench.generator (version int not null, scale float8 not null, complete boolean not null,
       stats jsonb not null default '{}')`,
    // A uniform number in [0, 1) from (key, seed): deterministic, so a rerun makes the same data.
    `create function bench.u(key bigint, seed int) returns float8 language sql immutable parallel safe as
       $$ select (hashint8extended(key, seed) & 4294967295)::float8 / 4294967296.0 $$`,
    `create function bench.k(t int, i bigint) returns bigint language sql immutable parallel safe as
       $$ select t::bigint * 4294967296 + i $$`,
    // A v4-shaped uuid from (kind, tenant, ordinal), so rows can reference each other without joins.
    `create function bench.uuid(kind text, t int, i bigint) returns uuid language sql immutable parallel safe as
       $$ select overlay(overlay(md5(kind || ':' || t || ':' || i) placing '4' from 13) placing '8' from 17)::uuid $$`,
    // Time-ordered (UUIDv7-like: the ordinal leads), for the 10M-row tables' primary keys.
    `create function bench.uuid7(kind text, t int, i bigint) returns uuid language sql immutable parallel safe as
       $$ select (lpad(to_hex(t::bigint * 17179869184 + i), 12, '0') || '7' || substr(md5(kind || ':' || t || ':' || i), 1, 3)
                  || '8' || substr(md5(kind || ':' || t || ':' || i), 4, 15))::uuid $$`,
    `create function bench.pick(items text[], u float8) returns text language sql immutable parallel safe as
       $$ select items[1 + floor(u * cardinality(items))::int] $$`,
    `create function bench.digits(key bigint, seed int, n int) returns text language sql immutable parallel safe as
       $$ select lpad(((hashint8extended(key, seed) & 9223372036854775807) % (10::bigint ^ n)::bigint)::text, n, '0') $$`,
    `create table bench.words as select
       ${pgArray(SURNAMES)}::text[] as surnames, ${pgArray(GIVEN_ONE)}::text[] as given_one,
       ${pgArray(GIVEN_TWO)}::text[] as given_two, ${pgArray(CITIES)}::text[] as cities,
       ${pgArray(CITIES.map((city) => PROVINCES[city] ?? city))}::text[] as provinces,
       ${pgArray(BRANDS)}::text[] as brands, ${pgArray(SUFFIXES)}::text[] as suffixes,
       ${pgArray(MOBILE_PREFIXES)}::text[] as mobile_prefixes, ${pgArray(AREA_CODES)}::text[] as area_codes,
       ${pgArray(MAIL_DOMAINS)}::text[] as mail_domains, ${pgArray(TAG_NAMES)}::text[] as tag_names,
       ${pgArray(TAG_COLORS)}::text[] as tag_colors, ${pgArray(CONTACT_TITLES)}::text[] as contact_titles,
       ${pgArray(NEEDS)}::text[] as needs, ${pgArray(PAIN_POINTS)}::text[] as pain_points,
       ${pgArray(SOURCES)}::text[] as sources, ${pgArray(MEMBER_TIERS)}::text[] as member_tiers,
       ${pgArray(TEAM_REGIONS)}::text[] as team_regions`,
    `create table bench.industries (industry text primary key, company_share float8, max_quantity int,
       trades text[], products text[], prices numeric[], payments text[], summaries text[])`,
    `insert into bench.industries values ('big', ${words(BIG_TENANT_WORDS)}),
       ${(Object.keys(INDUSTRY_WORDS) as Industry[]).map((industry) => `('${industry}', ${words(INDUSTRY_WORDS[industry])})`).join(',\n')}`,
    // The plan: tenant 1 is the big one; tenants 2..1000 shrink like 5000 / rank^0.9.
    `create table bench.tenants as
     with sized as (
       select t_no,
         case when t_no = 1 then round(1000000 * ${scale})::int
              else greatest(3, round(5000 * ${scale} / power(t_no - 1, 0.9)))::int end as n_customers
       from generate_series(1, 1000) t_no
     )
     select s.t_no,
       case when s.t_no = 1 then '${BIG_TENANT_ID}'::uuid else bench.uuid('tenant', s.t_no, 0) end as id,
       case when s.t_no = 1 then '华东优品商贸集团有限公司'
            else bench.pick(w.cities, bench.u(s.t_no, 1)) || bench.pick(w.brands, bench.u(s.t_no, 2))
                 || bench.pick(i.trades, bench.u(s.t_no, 3)) || '有限公司' end as name,
       case when s.t_no = 1 then 'retail' else i.industry end as industry,
       s.n_customers,
       case when s.t_no = 1 then round(10000000 * ${scale})::int
            else round(s.n_customers * (4 + 12 * bench.u(s.t_no, 4)))::int end as n_orders,
       case when s.t_no = 1 then round(5000000 * ${scale})::int
            else round(s.n_customers * (2 + 6 * bench.u(s.t_no, 5)))::int end as n_interactions,
       case when s.t_no = 1 then 200 else greatest(1, least(15, s.n_customers / 300)) end as n_reps,
       case when s.t_no = 1 then 20 else 1 + greatest(1, least(15, s.n_customers / 300)) / 8 end as n_teams,
       -- Key accounts (the first 0.5 %) are companies buying since early on; the skew of
       -- orders over customers is 1/(x + eps): one in ~1,000 customers gets ~1/7 of them.
       greatest(1, s.n_customers / 200) as n_key,
       greatest(0.001, 10.0 / s.n_customers) as eps,
       i.company_share, i.max_quantity, i.trades, i.products, i.prices, i.payments, i.summaries
     from sized s
     cross join bench.words w
     join bench.industries i on i.industry = case when s.t_no = 1 then 'big'
       else (array['retail', 'b2b', 'corporate-banking'])[1 + s.t_no % 3] end`,
    'alter table bench.tenants add primary key (t_no)',
    // Per customer: key account? company? how many contacts? owner; active window in days before now.
    `create function bench.is_company(t int, i bigint, n_key int, share float8) returns boolean
       language sql immutable parallel safe as $$ select i <= n_key or bench.u(bench.k(t, i), 50) < share $$`,
    `create function bench.n_contacts(t int, i bigint) returns int language sql immutable parallel safe as
       $$ select 1 + floor(3 * bench.u(bench.k(t, i), 51))::int $$`,
    `create function bench.owner(t int, i bigint, n_reps int) returns uuid language sql immutable parallel safe as
       $$ select case when bench.u(bench.k(t, i), 30) < 0.05 then null
            else bench.uuid('user', t, 1 + least(n_reps - 1, floor(n_reps * power(bench.u(bench.k(t, i), 31), 1.2)))::bigint) end $$`,
    `create function bench.start_days(t int, i bigint, n_key int) returns float8 language sql immutable parallel safe as
       $$ select 1095 * case when i <= n_key then 0.8 + 0.2 * bench.u(bench.k(t, i), 40)
                          else power(bench.u(bench.k(t, i), 40), 1.3) end $$`,
    `create function bench.end_days(t int, i bigint, n_key int) returns float8 language sql immutable parallel safe as
       $$ select case when i <= n_key or bench.u(bench.k(t, i), 41) < 0.65 then 0
                 else bench.start_days(t, i, n_key) * bench.u(bench.k(t, i), 42) end $$`,
    // Which customer an order (seed 20) or an interaction (seed 21) belongs to.
    `create function bench.customer_of(t int, g bigint, n int, eps float8, seed int) returns bigint
       language sql immutable parallel safe as
       $$ select least(n, 1 + floor(n * eps * (exp(bench.u(bench.k(t, g), seed) * ln(1 + 1 / eps)) - 1)))::bigint $$`,
    `create function bench.n_lines(t int, g bigint) returns int language sql immutable parallel safe as
       $$ select case when bench.u(bench.k(t, g), 60) < 0.75 then 1 when bench.u(bench.k(t, g), 60) < 0.93 then 2 else 3 end $$`,
    `create function bench.line_product(t int, g bigint, k int, products int) returns int language sql immutable parallel safe as
       $$ select 1 + floor(bench.u(bench.k(t, g), 100 + k) * products)::int $$`,
    `create function bench.line_quantity(t int, g bigint, k int, max_quantity int) returns int language sql immutable parallel safe as
       $$ select 1 + floor(bench.u(bench.k(t, g), 110 + k) * max_quantity)::int $$`,
    `create function bench.line_price(t int, g bigint, k int, prices numeric[]) returns numeric language sql immutable parallel safe as
       $$ select round(prices[bench.line_product(t, g, k, cardinality(prices))] * (0.85 + 0.3 * bench.u(bench.k(t, g), 120 + k))::numeric, 2) $$`,
    `create function bench.line_amount(t int, g bigint, k int, max_quantity int, prices numeric[]) returns numeric
       language sql immutable parallel safe as
       $$ select case when k <= bench.n_lines(t, g)
                 then round(bench.line_quantity(t, g, k, max_quantity) * bench.line_price(t, g, k, prices), 2) else 0 end $$`,
  ];
}

const SMALL_ROWS_STATEMENTS = [
  `insert into tenants (id, name, industry, created_at)
     select id, name, industry, now() - interval '1100 days' * bench.u(t_no, 6) from bench.tenants`,
  // The trigger that keeps the tenant directory is off during the load.
  `insert into tenant_directory (id) select id from bench.tenants`,
  // Users per tenant: 0 owner, 1..n reps, 10001.. managers (one per team), 20001.. admins, 30001.. others.
  `create table bench.members as
     select bt.t_no, bt.id as tenant_id, r.ordinal, r.role,
       case when r.role in ('sales_rep') then 1 + (r.ordinal - 1) % bt.n_teams
            when r.role = 'sales_manager' then r.ordinal - 10000 end as team_no
     from bench.tenants bt
     cross join lateral (
       select 0 as ordinal, 'owner' as role
       union all select g, 'sales_rep' from generate_series(1, bt.n_reps) g
       union all select 10000 + g, 'sales_manager' from generate_series(1, bt.n_teams) g
       union all select 20000 + g, 'admin' from generate_series(1, case when bt.t_no = 1 then 2 else 0 end) g
       union all select 30000 + g, (array['service_agent', 'marketing', 'analyst', 'viewer'])[1 + (g - 1) % 4]
         from generate_series(1, case when bt.t_no = 1 then 8 else 0 end) g
     ) r`,
  `insert into users (id, email, name, password_hash, created_at)
     select bench.uuid('user', m.t_no, m.ordinal), 'u' || m.t_no || '.' || m.ordinal || '@bench.example.com',
       bench.pick(w.surnames, power(bench.u(bench.k(m.t_no, m.ordinal), 7), 2))
         || case when bench.u(bench.k(m.t_no, m.ordinal), 8) < 0.4 then bench.pick(w.given_one, bench.u(bench.k(m.t_no, m.ordinal), 9))
                 else bench.pick(w.given_two, bench.u(bench.k(m.t_no, m.ordinal), 9)) end,
       'bench: no password, sessions are created directly', now() - interval '1000 days'
     from bench.members m cross join bench.words w`,
  `insert into teams (tenant_id, id, name)
     select bt.id, bench.uuid('team', bt.t_no, j),
       w.team_regions[1 + (j - 1) % 7] || '销售' || (array['一', '二', '三', '四'])[1 + (j - 1) / 7] || '部'
     from bench.tenants bt cross join bench.words w cross join lateral generate_series(1, bt.n_teams) j`,
  `insert into memberships (tenant_id, user_id, role, team_id)
     select m.tenant_id, bench.uuid('user', m.t_no, m.ordinal), m.role,
       case when m.team_no is not null then bench.uuid('team', m.t_no, m.team_no) end
     from bench.members m`,
  `insert into tags (tenant_id, id, name, color, created_at)
     select bt.id, bench.uuid('tag', bt.t_no, k), w.tag_names[k], w.tag_colors[1 + (k - 1) % 9], now() - interval '900 days'
     from bench.tenants bt cross join bench.words w cross join generate_series(1, 20) k`,
  `insert into custom_field_definitions (tenant_id, key, label_zh, label_en, type, options, position)
     select bt.id, f.key, f.label_zh, f.label_en, f.type, f.options::jsonb, f.position
     from bench.tenants bt cross join (values
       ('source', '客户来源', 'Source', 'enum', '${JSON.stringify(SOURCES.map((value) => ({ value, labelZh: value, labelEn: value })))}', 1),
       ('member_tier', '会员等级', 'Member tier', 'enum', '${JSON.stringify(MEMBER_TIERS.map((value) => ({ value, labelZh: value, labelEn: value })))}', 2),
       ('annual_budget', '年度预算', 'Annual budget', 'money', '[]', 3)
     ) f(key, label_zh, label_en, type, options, position)
     where bt.t_no = 1 or bt.t_no % 4 = 0`,
];

/** Customers (search grams are a generated column, computed here too) and their contacts. */
const CUSTOMERS_STATEMENTS = [
  `insert into customers (tenant_id, id, name, kind, phone, email, owner_user_id, created_by, archived_at,
     created_at, updated_at, customer_number, industry, birthday, founded_on, addresses, explicit_needs,
     implicit_needs, pain_points, purchase_plan, purchase_plan_amount, purchase_plan_expected_on,
     tag_ids, custom_fields, need_type)
   select bt.id, bench.uuid('customer', bt.t_no, x.i),
     case when x.company
       then bench.pick(w.cities, bench.u(x.k, 11)) || bench.pick(w.brands, bench.u(x.k, 12))
            || bench.pick(bt.trades, bench.u(x.k, 13)) || bench.pick(w.suffixes, bench.u(x.k, 14))
       else bench.pick(w.surnames, power(bench.u(x.k, 11), 2))
            || case when bench.u(x.k, 15) < 0.45 then bench.pick(w.given_one, bench.u(x.k, 12))
                    else bench.pick(w.given_two, bench.u(x.k, 12)) end end,
     case when x.company then 'company' else 'person' end,
     case when bench.u(x.k, 16) < 0.07 then null
          when x.company and bench.u(x.k, 17) < 0.5
            then bench.pick(w.area_codes, bench.u(x.k, 18)) || '-' || bench.digits(x.k, 19, 8)
          else bench.pick(w.mobile_prefixes, bench.u(x.k, 18)) || bench.digits(x.k, 19, 8) end,
     case when bench.u(x.k, 20) < 0.5
       then substr(md5(x.k::text), 1, 5 + (x.k % 6)::int) || '@' || bench.pick(w.mail_domains, bench.u(x.k, 21)) end,
     x.owner, x.owner,
     case when x.i > bt.n_key and bench.u(x.k, 22) < 0.02 then now() - interval '1 day' * x.end_days end,
     x.created_at,
     x.created_at + (now() - x.created_at) * bench.u(x.k, 23),
     case when bench.u(x.k, 24) < 0.8 then 'KH' || lpad(x.i::text, 8, '0') end,
     case when x.company then bench.pick(bt.trades, bench.u(x.k, 13)) end,
     case when not x.company and bench.u(x.k, 25) < 0.4
       then (date '1960-01-01' + (bench.u(x.k, 26) * 14600)::int) end,
     case when x.company and bench.u(x.k, 25) < 0.6
       then (date '1995-01-01' + (bench.u(x.k, 26) * 10000)::int) end,
     case when bench.u(x.k, 27) < 0.5 then jsonb_build_array(jsonb_build_object(
       'label', case when x.company then '办公地址' else '家庭地址' end,
       'province', w.provinces[1 + floor(bench.u(x.k, 28) * cardinality(w.cities))::int],
       'city', w.cities[1 + floor(bench.u(x.k, 28) * cardinality(w.cities))::int] || '市',
       'street', bench.pick(w.brands, bench.u(x.k, 29)) || '路' || (1 + (x.k % 999)) || '号'))
       else '[]'::jsonb end,
     case when bench.u(x.k, 32) < 0.3 then bench.pick(w.needs, bench.u(x.k, 33)) end,
     case when bench.u(x.k, 34) < 0.1 then bench.pick(w.needs, bench.u(x.k, 35)) end,
     case when bench.u(x.k, 36) < 0.15 then bench.pick(w.pain_points, bench.u(x.k, 37)) end,
     case when bench.u(x.k, 38) < 0.1 then '计划下季度追加采购' end,
     case when bench.u(x.k, 38) < 0.1 then round((bt.prices[1] * (2 + 20 * bench.u(x.k, 39)))::numeric, 2) end,
     case when bench.u(x.k, 38) < 0.1 then current_date + (30 + (x.k % 150))::int end,
     -- 0–3 free tags, the first ones of the 20 the most common.
     array(select distinct bench.uuid('tag', bt.t_no, 1 + floor(20 * power(bench.u(x.k, 60 + j), 1.5))::bigint)
           from generate_series(1, case when bench.u(x.k, 59) < 0.3 then 0 when bench.u(x.k, 59) < 0.65 then 1
                                        when bench.u(x.k, 59) < 0.9 then 2 else 3 end) j),
     case when (bt.t_no = 1 or bt.t_no % 4 = 0) and bench.u(x.k, 70) < 0.6 then jsonb_strip_nulls(jsonb_build_object(
       'source', bench.pick(w.sources, bench.u(x.k, 71)),
       'member_tier', case when bench.u(x.k, 72) < 0.7 then bench.pick(w.member_tiers, power(bench.u(x.k, 73), 2)) end,
       'annual_budget', case when x.company and bench.u(x.k, 74) < 0.5 then (round(bench.u(x.k, 75) * 1000) * 1000)::text end))
       else '{}'::jsonb end,
     case when bench.u(x.k, 76) < 0.4 then (array['product', 'service', 'both'])[1 + (x.k % 3)::int] end
   from bench.tenants bt
   cross join bench.words w
   cross join lateral generate_series(1, bt.n_customers) g
   cross join lateral (
     select g::bigint as i, bench.k(bt.t_no, g) as k,
       bench.is_company(bt.t_no, g, bt.n_key, bt.company_share) as company,
       bench.owner(bt.t_no, g, bt.n_reps) as owner,
       bench.end_days(bt.t_no, g, bt.n_key) as end_days,
       now() - interval '1 day' * (bench.start_days(bt.t_no, g, bt.n_key) + 1 + 20 * bench.u(bench.k(bt.t_no, g), 43)) as created_at
     offset 0
   ) x`,
  `insert into contacts (tenant_id, id, customer_id, name, title, phones, emails, birthday, is_primary, created_at, updated_at)
   select bt.id, bench.uuid('contact', bt.t_no, x.i * 4 + j), bench.uuid('customer', bt.t_no, x.i),
     bench.pick(w.surnames, power(bench.u(x.k * 4 + j, 80), 2))
       || case when bench.u(x.k * 4 + j, 81) < 0.45 then bench.pick(w.given_one, bench.u(x.k * 4 + j, 82))
               else bench.pick(w.given_two, bench.u(x.k * 4 + j, 82)) end,
     bench.pick(w.contact_titles, bench.u(x.k * 4 + j, 83)),
     array[bench.pick(w.mobile_prefixes, bench.u(x.k * 4 + j, 84)) || bench.digits(x.k * 4 + j, 85, 8)],
     case when bench.u(x.k * 4 + j, 86) < 0.4
       then array[substr(md5((x.k * 4 + j)::text), 1, 7) || '@' || bench.pick(w.mail_domains, bench.u(x.k * 4 + j, 87))]
       else '{}'::text[] end,
     case when bench.u(x.k * 4 + j, 88) < 0.2 then date '1965-01-01' + (bench.u(x.k * 4 + j, 89) * 12000)::int end,
     j = 1, x.created_at, x.created_at
   from bench.tenants bt
   cross join bench.words w
   cross join lateral generate_series(1, bt.n_customers) g
   cross join lateral (
     select g::bigint as i, bench.k(bt.t_no, g) as k,
       now() - interval '1 day' * bench.start_days(bt.t_no, g, bt.n_key) as created_at
     offset 0
   ) x
   cross join lateral generate_series(1, bench.n_contacts(bt.t_no, x.i)) j
   where bench.is_company(bt.t_no, x.i, bt.n_key, bt.company_share)`,
];

/** Orders spread over each customer's active window, and their lines (amount = Σ lines). */
const ORDERS_STATEMENTS = [
  `insert into orders (tenant_id, id, customer_id, order_number, ordered_at, amount, profit, payment_method,
     status, void_reason, note, created_by, created_at, updated_at)
   select bt.id, bench.uuid7('order', bt.t_no, o.g), bench.uuid('customer', bt.t_no, o.i),
     'SO' || lpad(o.g::text, 9, '0'), o.ordered_at, o.amount,
     case when bench.u(o.k, 90) < 0.5 then round(o.amount * (0.1 + 0.2 * bench.u(o.k, 91))::numeric, 2) end,
     bench.pick(bt.payments, bench.u(o.k, 92)),
     case when bench.u(o.k, 93) < 0.93 then 'completed' when bench.u(o.k, 93) < 0.95 then 'refunded'
          when bench.u(o.k, 93) < 0.97 then 'void' else 'pending' end,
     case when bench.u(o.k, 93) between 0.95 and 0.97 then '客户取消' end,
     case when bench.u(o.k, 94) < 0.05 then '客户要求开具专票' end,
     bench.owner(bt.t_no, o.i, bt.n_reps), o.ordered_at, o.ordered_at
   from bench.tenants bt
   cross join lateral generate_series(1, bt.n_orders) g
   cross join lateral (
     select g::bigint as g, bench.k(bt.t_no, g) as k, c.i,
       now() - interval '1 day' * (bench.end_days(bt.t_no, c.i, bt.n_key)
         + (bench.start_days(bt.t_no, c.i, bt.n_key) - bench.end_days(bt.t_no, c.i, bt.n_key)) * bench.u(bench.k(bt.t_no, g), 95)) as ordered_at,
       bench.line_amount(bt.t_no, g, 1, bt.max_quantity, bt.prices) + bench.line_amount(bt.t_no, g, 2, bt.max_quantity, bt.prices)
         + bench.line_amount(bt.t_no, g, 3, bt.max_quantity, bt.prices) as amount
     from (select bench.customer_of(bt.t_no, g, bt.n_customers, bt.eps, 20) as i offset 0) c
     offset 0
   ) o`,
  `insert into order_lines (tenant_id, order_id, line_no, product, quantity, unit_price)
   select bt.id, bench.uuid7('order', bt.t_no, g), k,
     bt.products[bench.line_product(bt.t_no, g, k, cardinality(bt.products))],
     bench.line_quantity(bt.t_no, g, k, bt.max_quantity), bench.line_price(bt.t_no, g, k, bt.prices)
   from bench.tenants bt
   cross join lateral generate_series(1, bt.n_orders) g
   cross join lateral generate_series(1, bench.n_lines(bt.t_no, g)) k`,
];

/** Interactions: their own skew over customers, by the customer's owner, within the active window (+60 days). */
const INTERACTIONS_STATEMENTS = [
  `insert into interactions (tenant_id, id, customer_id, contact_id, kind, occurred_at, user_id, summary, outcome,
     next_step, next_step_due, sentiment, created_at)
   select bt.id, bench.uuid7('interaction', bt.t_no, x.g), bench.uuid('customer', bt.t_no, x.i),
     case when bench.is_company(bt.t_no, x.i, bt.n_key, bt.company_share) and bench.u(x.k, 130) < 0.7
       then bench.uuid('contact', bt.t_no, x.i * 4 + 1 + floor(bench.u(x.k, 131) * bench.n_contacts(bt.t_no, x.i))::bigint) end,
     (array['call', 'call', 'call', 'visit', 'message', 'message', 'email', 'meeting', 'event'])[1 + floor(bench.u(x.k, 132) * 9)::int],
     x.occurred_at, bench.owner(bt.t_no, x.i, bt.n_reps), bench.pick(bt.summaries, bench.u(x.k, 133)),
     case when bench.u(x.k, 134) < 0.3 then '客户认可方案，等待内部审批' end,
     case when bench.u(x.k, 135) < 0.2 then '下周电话跟进' end,
     case when bench.u(x.k, 135) < 0.2 then (x.occurred_at + interval '7 days')::date end,
     case when bench.u(x.k, 136) < 0.08 then 'praise' when bench.u(x.k, 136) < 0.14 then 'complaint' else 'neutral' end,
     x.occurred_at
   from bench.tenants bt
   cross join lateral generate_series(1, bt.n_interactions) g
   cross join lateral (
     select g::bigint as g, bench.k(bt.t_no, g) as k, c.i,
       now() - interval '1 day' * greatest(0, bench.end_days(bt.t_no, c.i, bt.n_key) - 60
         + (bench.start_days(bt.t_no, c.i, bt.n_key) - bench.end_days(bt.t_no, c.i, bt.n_key) + 60) * bench.u(bench.k(bt.t_no, g), 137)) as occurred_at
     from (select bench.customer_of(bt.t_no, g, bt.n_customers, bt.eps, 21) as i offset 0) c
     offset 0
   ) x`,
];

async function timed<T>(steps: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  log(`${name}…`);
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  steps[name] = Math.round(seconds * 10) / 10;
  log(`${name} done in ${seconds.toFixed(1)} s`);
  return result;
}

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The generated data set's database: BENCH_DATASET_DATABASE, or a name of the scale. */
export function benchDatabaseName(scale: number): string {
  if (process.env.BENCH_DATASET_DATABASE) return process.env.BENCH_DATASET_DATABASE;
  if (scale === 1) return 'crm_bench_1m';
  return `crm_bench_${String(Math.round(scale * 1_000_000)).padStart(7, '0')}c`;
}

async function readStats(superUrl: string, scale: number): Promise<GeneratorStats | null> {
  const admin = postgres(superUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ version: number; scale: number; complete: boolean; stats: GeneratorStats }[]>`
      select version, scale, complete, stats from bench.generator`;
    const row = rows[0];
    if (row?.complete && row.version === GENERATOR_VERSION && row.scale === scale) return row.stats;
    return null;
  } catch {
    return null;
  } finally {
    await admin.end();
  }
}

/** Builds the data set unless the database already holds this version of it. */
export async function ensureDataset(adminUrl: string, scale = 1): Promise<Dataset> {
  const database = benchDatabaseName(scale);
  const superUrl = databaseUrl(adminUrl, database);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const exists = (await admin`select 1 from pg_database where datname = ${database}`).length > 0;
  let stats = exists ? await readStats(superUrl, scale) : null;
  if (!stats) {
    if (exists) {
      log(`${database} holds no complete data set of version ${GENERATOR_VERSION}: dropping it`);
      await admin.unsafe(`drop database ${database} with (force)`);
    }
    await admin.end();
    stats = await generate(adminUrl, database, superUrl, scale);
  } else {
    await admin.end();
    log(
      `${database}: data set version ${stats.version} (scale ${stats.scale}) generated ${stats.generatedAt} in ${stats.seconds} s — reused`,
    );
  }
  const urls = await provisionDatabase(adminUrl, database);
  // Migrations added since the data set was made apply on top, as at a deploy.
  const migrating = await openDatabase({ ...urls, maxConnections: 1 });
  await migrating.migrate();
  await migrating.close();
  return {
    appUrl: urls.databaseUrl,
    ownerUrl: urls.ownerDatabaseUrl,
    superUrl,
    database,
    tenantId: BIG_TENANT_ID,
    adminUserId: await userId(superUrl, 'admin'),
    managerUserId: await userId(superUrl, 'sales_manager'),
    stats,
  };
}

async function userId(superUrl: string, role: string): Promise<string> {
  const admin = postgres(superUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ user_id: string }[]>`
      select m.user_id from memberships m where m.tenant_id = ${BIG_TENANT_ID} and m.role = ${role}
      order by m.user_id limit 1`;
    const row = rows[0];
    if (!row) throw new Error(`No ${role} in the big tenant`);
    return row.user_id;
  } finally {
    await admin.end();
  }
}

async function generate(adminUrl: string, database: string, superUrl: string, scale: number) {
  const started = performance.now();
  const steps: Record<string, number> = {};
  log(`generating ${database} at scale ${scale} (version ${GENERATOR_VERSION})`);
  await timed(steps, 'provision and migrate', async () => {
    const provisioned = await provisionDatabase(adminUrl, database);
    const migrating = await openDatabase({ ...provisioned, maxConnections: 1 });
    await migrating.migrate();
    await migrating.close();
  });
  // Superuser sessions without triggers (audit log, FK checks) and with room to sort.
  const connect = () =>
    postgres(superUrl, {
      max: 1,
      onnotice: () => {},
      connection: {
        session_replication_role: 'replica',
        synchronous_commit: 'off',
        maintenance_work_mem: '2GB',
        work_mem: '512MB',
        application_name: 'crm-bench-generate',
      },
    });
  const first = connect();
  const second = connect();
  const run = async (client: postgres.Sql, statements: string[]) => {
    for (const statement of statements) await client.unsafe(statement);
  };
  try {
    await timed(steps, 'helpers and plan', () => run(first, setupStatements(scale)));
    await first`insert into bench.generator (version, scale, complete) values (${GENERATOR_VERSION}, ${scale}, false)`;
    // Secondary indexes go for the load and come back afterwards (built once, not row by row).
    await timed(steps, 'drop secondary indexes', async () => {
      await first.unsafe(`create table bench.indexes as
        select i.tablename, i.indexname, i.indexdef from pg_indexes i
        where i.schemaname = 'public' and i.tablename in (${LOADED_TABLES.map((table) => `'${table}'`).join(', ')})
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`);
      const indexes = await first<{ indexname: string }[]>`select indexname from bench.indexes`;
      for (const { indexname } of indexes) await first.unsafe(`drop index ${indexname}`);
    });
    await timed(steps, 'tenants, users, teams, memberships, tags', () => run(first, SMALL_ROWS_STATEMENTS));
    // Two cores: orders and lines on one connection, customers, contacts and interactions on the other.
    await Promise.all([
      timed(steps, 'orders and order lines', () => run(first, ORDERS_STATEMENTS)),
      timed(steps, 'customers, contacts, interactions', () =>
        run(second, [...CUSTOMERS_STATEMENTS, ...INTERACTIONS_STATEMENTS]),
      ),
    ]);
    const rebuildIndexes = async (tables: string[]) => {
      const indexes = await first<{ indexdef: string }[]>`
        select indexdef from bench.indexes where tablename in ${first(tables)} order by indexname`;
      let next = 0;
      const worker = async (client: postgres.Sql) => {
        while (next < indexes.length) {
          const index = indexes[next++];
          if (index) await client.unsafe(index.indexdef);
        }
      };
      await Promise.all([worker(first), worker(second)]);
    };
    // The facts read orders, interactions and contacts per customer: their indexes first.
    await timed(steps, 'indexes of orders, order lines, interactions, contacts', () =>
      rebuildIndexes(LOADED_TABLES.filter((table) => table !== 'customers')),
    );
    await timed(steps, 'analyze loaded tables', () => first.unsafe(`analyze ${LOADED_TABLES.join(', ')}`));
    await timed(steps, 'facts, stages, system tags, completeness (per tenant, product SQL)', async () => {
      const facts = await openDatabase({ databaseUrl: superUrl, maxConnections: 2 });
      try {
        const tenants = await first<{ id: string }[]>`select id from bench.tenants order by t_no`;
        let next = 0;
        const worker = async () => {
          while (next < tenants.length) {
            const tenant = tenants[next++];
            if (!tenant) break;
            await facts.withTenant(tenant.id, async (trx) => {
              await sql`set local session_replication_role = replica`.execute(trx);
              await sql`set local work_mem = '512MB'`.execute(trx);
              await refreshCustomerFacts(jobScope(trx, tenant.id), 'all', 'daily');
              await refreshCompleteness(jobScope(trx, tenant.id), 'all');
            });
          }
        };
        await Promise.all([worker(), worker()]);
      } finally {
        await facts.close();
      }
    });
    await timed(steps, 'compact customers (vacuum full)', () => first.unsafe('vacuum full customers'));
    await timed(steps, 'indexes of customers', () => rebuildIndexes(['customers']));
    await timed(steps, 'vacuum analyze', () => first.unsafe('vacuum analyze'));
    const rows: Record<string, number> = {};
    for (const table of [...LOADED_TABLES, 'lifecycle_changes', 'tenants', 'users', 'memberships', 'tags']) {
      const [row] = await first<{ count: number }[]>`select count(*)::bigint as count from ${first(table)}`;
      rows[table] = Number(row?.count ?? 0);
    }
    const [big] = await first<{ customers: number; orders: number; interactions: number }[]>`
      select (select count(*) from customers where tenant_id = ${BIG_TENANT_ID})::int as customers,
        (select count(*) from orders where tenant_id = ${BIG_TENANT_ID})::int as orders,
        (select count(*) from interactions where tenant_id = ${BIG_TENANT_ID})::int as interactions`;
    rows['big tenant customers'] = big?.customers ?? 0;
    rows['big tenant orders'] = big?.orders ?? 0;
    rows['big tenant interactions'] = big?.interactions ?? 0;
    const [size] = await first<
      { bytes: string }[]
    >`select pg_database_size(current_database())::text as bytes`;
    const stats: GeneratorStats = {
      version: GENERATOR_VERSION,
      scale,
      generatedAt: new Date().toISOString(),
      seconds: Math.round((performance.now() - started) / 1000),
      steps,
      rows,
      databaseBytes: Number(size?.bytes ?? 0),
    };
    await first`update bench.generator set complete = true, stats = ${first.json(stats)}`;
    log(
      `done in ${stats.seconds} s, ${(stats.databaseBytes / 2 ** 30).toFixed(1)} GiB: ${JSON.stringify(rows)}`,
    );
    return stats;
  } finally {
    await Promise.all([first.end(), second.end()]);
  }
}
