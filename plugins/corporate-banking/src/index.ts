import {
  definePlugin,
  settingsGroup as group,
  keepValidOverrides,
  type Labels,
  bilingual as text,
} from '@crm/plugin-sdk';
import { z } from 'zod';

/*
 * 对公业务行业配置 (corporate banking). Tiers by value thresholds on three figures the
 * relationship manager keeps on the client's record: average daily deposits (日均存款),
 * loan balance (贷款余额) and settlement volume over the last 12 months (年结算量). A client
 * reaching any one threshold is 重要客户 (called back monthly); every other client is
 * 一般客户 (called back quarterly). KYC fields: unified social credit code (check
 * character), legal representative, registered capital, industry code (GB/T 4754), and —
 * sensitive, stored encrypted — the legal representative's national ID and the basic
 * account number. A satisfaction survey every half year.
 */

const UNITS = {
  CNY: text('元', 'CNY'),
  months: text('个月', 'months'),
  hours: text('小时', 'hours'),
  days: text('天', 'days'),
  orders: text('笔', 'orders'),
} satisfies Record<string, Labels>;
type Unit = keyof typeof UNITS;

function tunable(schema: z.ZodNumber, value: number, labels: Labels, help: Labels, unit: Unit) {
  return schema.meta({ labels, help, unit: UNITS[unit] }).default(value);
}
const amount = (value: number, labels: Labels, help: Labels) =>
  tunable(z.number().min(0).max(1_000_000_000_000), value, labels, help, 'CNY');
const whole = (value: number, max: number, labels: Labels, help: Labels, unit: Unit) =>
  tunable(z.number().int().min(1).max(max), value, labels, help, unit);

export const corporateBankingSettingsSchema = z.object({
  tiers: group(
    {
      importantDeposits: amount(
        5_000_000,
        text('重要客户：日均存款（不低于）', 'Important: average daily deposits from'),
        text(
          '日均存款达到此金额的客户为重要客户（默认 500 万元）。',
          'Clients with average daily deposits of at least this are important (CNY 5 million by default).',
        ),
      ),
      importantLoans: amount(
        30_000_000,
        text('重要客户：贷款余额（不低于）', 'Important: loan balance from'),
        text(
          '贷款余额达到此金额的客户为重要客户（默认 3,000 万元）。',
          'Clients with a loan balance of at least this are important (CNY 30 million by default).',
        ),
      ),
      importantSettlement: amount(
        100_000_000,
        text('重要客户：年结算量（不低于）', 'Important: yearly settlement volume from'),
        text(
          '近 12 个月结算量达到此金额的客户为重要客户（默认 1 亿元）。三项满足其一即为重要客户，其余为一般客户。',
          'Clients settling at least this in 12 months are important (CNY 100 million by default). Any one of the three makes a client important; all others are general.',
        ),
      ),
    },
    text('分层门槛', 'Tier thresholds'),
    text(
      '日均存款、贷款余额、年结算量任一达到门槛即为重要客户。',
      'A client reaching any one of these is an important client.',
    ),
  ).prefault({}),
  cadences: group(
    {
      importantMonths: whole(
        1,
        12,
        text('重要客户：客户经理回访间隔', 'Important: call-back every'),
        text(
          '客户经理每隔几个月回访一次（默认每月）。',
          'Months between relationship-manager call-backs (monthly by default).',
        ),
        'months',
      ),
      generalMonths: whole(
        3,
        12,
        text('一般客户：客户经理回访间隔', 'General: call-back every'),
        text(
          '客户经理每隔几个月回访一次（默认每季度）。',
          'Months between relationship-manager call-backs (quarterly by default).',
        ),
        'months',
      ),
    },
    text('回访节奏', 'Call-back cadences'),
    text(
      '客户经理回访的频率，到期自动生成回访任务。',
      'How often relationship managers call clients back; due call-backs become tasks.',
    ),
  ).prefault({}),
  leads: group(
    {
      aHours: whole(
        24,
        720,
        text('A 级线索跟进时限', 'Grade A follow-up within'),
        text(
          '已提出开户、授信或结算需求的线索，须在此时限内跟进。',
          'Leads that asked to open an account, for credit or for settlement services are followed up within this time.',
        ),
        'hours',
      ),
      bHours: whole(
        48,
        720,
        text('B 级线索跟进时限', 'Grade B follow-up within'),
        text(
          '咨询过产品或费率的线索，须在此时限内跟进。',
          'Leads that asked about products or fees are followed up within this time.',
        ),
        'hours',
      ),
      cHours: whole(
        168,
        720,
        text('C 级线索培育时限', 'Grade C nurture within'),
        text(
          '仅有初步接触的线索，在此时限内安排培育（默认 1 周）。',
          'Leads met only briefly are nurtured within this time (one week by default).',
        ),
        'hours',
      ),
    },
    text('线索等级', 'Lead grades'),
    text(
      '按意向和需求清晰度分级，各级有跟进时限。',
      'Leads graded by intent and clarity of need, each grade with a follow-up limit.',
    ),
  ).prefault({}),
  leadRegrade: group(
    {
      quietDays: whole(
        60,
        365,
        text('无活动降级天数', 'Move down after no activity for'),
        text(
          '对公客户决策周期长：超过此天数没有任何行为（打开、点击、表单、回复）的线索降一级。',
          'Corporate decisions take long: leads with no activity (opens, clicks, forms, replies) for this long move down one grade.',
        ),
        'days',
      ),
    },
    text('线索升降级', 'Lead re-grading'),
    text(
      '按线索的行为（打开邮件、点击链接、提交表单、回复）自动升降等级。',
      'Leads move up or down a grade by their behaviour (emails opened, links clicked, forms submitted, replies).',
    ),
  ).prefault({}),
  lifecycle: group(
    {
      atRiskDays: whole(
        90,
        1_095,
        text('流失预警：无业务往来天数', 'At risk after days without business'),
        text(
          '连续这么多天没有新业务的客户进入流失预警。',
          'Clients without new business for this many days are at risk.',
        ),
        'days',
      ),
      dormantDays: whole(
        180,
        1_095,
        text('沉睡：无业务往来天数', 'Dormant after days without business'),
        text(
          '连续这么多天没有新业务的客户视为沉睡。',
          'Clients without new business for this many days are dormant.',
        ),
        'days',
      ),
      loyalOrders: whole(
        5,
        1_000,
        text('忠诚客户：累计业务笔数', 'Loyal from transactions'),
        text(
          '累计业务达到此笔数的客户为忠诚客户。',
          'Clients with at least this many transactions are loyal.',
        ),
        'orders',
      ),
    },
    text('生命周期', 'Lifecycle'),
    text('流失预警、沉睡与忠诚客户的判定。', 'When clients are at risk, dormant or loyal.'),
  ).prefault({}),
});

export type CorporateBankingSettings = z.output<typeof corporateBankingSettingsSchema>;

export const CORPORATE_BANKING_SETTINGS_VERSION = 1;

/**
 * Stored overrides → settings of the current version. Version 1 is the first, so there is
 * nothing to rename yet: the SDK's runner keeps the groups that still parse.
 */
export function migrateCorporateBankingSettings(
  _fromVersion: number,
  overrides: Readonly<Record<string, unknown>>,
): z.input<typeof corporateBankingSettingsSchema> {
  return keepValidOverrides(corporateBankingSettingsSchema, overrides);
}

const IMPORTANT = 'corporate_banking_important';
const GENERAL = 'corporate_banking_general';

/** Custom field keys the tier model reads. */
export const DEPOSITS_FIELD = 'corporate_banking_avg_daily_deposits';
export const LOANS_FIELD = 'corporate_banking_loan_balance';
export const LOAN_MATURITY_FIELD = 'corporate_banking_loan_maturity';
export const SETTLEMENT_FIELD = 'corporate_banking_settlement_volume';

const option = (value: string, zh: string, en: string) => ({ value, labels: text(zh, en) });

const rating = (key: string, zh: string, en: string) => ({
  key,
  type: 'rating' as const,
  scale: { min: 1, max: 5 },
  required: true,
  labels: text(zh, en),
});

export default definePlugin({
  id: 'corporate-banking',
  version: '1.1.0',
  sdk: '^1.0.0',
  labels: text('对公业务', 'Corporate banking'),
  description: text(
    '面向银行公司金融：按日均存款、贷款余额和年结算量划分重要客户与一般客户，客户经理按月或按季度回访；维护企业 KYC 信息，法定代表人身份证号与基本户账号加密保存；每半年开展客户满意度调查。',
    'For corporate banking: average daily deposits, loan balance and yearly settlement volume make a client important or general, with monthly or quarterly relationship-manager call-backs; the client’s KYC data is kept, with the legal representative’s national ID and the basic account number encrypted; a satisfaction survey every half year.',
  ),
  settings: {
    schema: corporateBankingSettingsSchema,
    version: CORPORATE_BANKING_SETTINGS_VERSION,
    migrate: migrateCorporateBankingSettings,
  },
  tierModel: {
    kind: 'thresholds',
    tiers: [
      {
        key: IMPORTANT,
        labels: text('重要客户', 'Important'),
        description: text(
          '日均存款、贷款余额或年结算量达到门槛的客户，客户经理每月回访。',
          'Clients whose average daily deposits, loan balance or yearly settlement volume reach a threshold; called back monthly.',
        ),
      },
      {
        key: GENERAL,
        labels: text('一般客户', 'General'),
        description: text(
          '其余对公客户，客户经理每季度回访。',
          'All other corporate clients; called back quarterly.',
        ),
      },
    ],
    rules: [
      {
        tier: IMPORTANT,
        when: [
          {
            metric: `custom_number:${DEPOSITS_FIELD}`,
            op: 'gte',
            value: { setting: 'tiers.importantDeposits' },
          },
        ],
      },
      {
        tier: IMPORTANT,
        when: [
          { metric: `custom_number:${LOANS_FIELD}`, op: 'gte', value: { setting: 'tiers.importantLoans' } },
        ],
      },
      {
        tier: IMPORTANT,
        when: [
          {
            metric: `custom_number:${SETTLEMENT_FIELD}`,
            op: 'gte',
            value: { setting: 'tiers.importantSettlement' },
          },
        ],
      },
    ],
    defaultTier: GENERAL,
  },
  cadences: [
    {
      key: 'corporate_banking_important_call_back',
      tier: IMPORTANT,
      channels: ['visit', 'phone'],
      interval: { every: { setting: 'cadences.importantMonths' }, unit: 'month' },
      labels: text('客户经理月度回访', 'Monthly relationship-manager call-back'),
    },
    {
      key: 'corporate_banking_general_call_back',
      tier: GENERAL,
      channels: ['phone'],
      interval: { every: { setting: 'cadences.generalMonths' }, unit: 'month' },
      labels: text('客户经理季度回访', 'Quarterly relationship-manager call-back'),
    },
  ],
  leadGrades: [
    {
      key: 'corporate_banking_lead_a',
      grade: 'A',
      labels: text(
        'A 级：已提出开户、授信或结算需求',
        'A: asked for an account, credit or settlement services',
      ),
      when: { field: 'intent', op: 'in', value: ['price', 'proposal'] },
      followUpWithinHours: { setting: 'leads.aHours' },
    },
    {
      key: 'corporate_banking_lead_b',
      grade: 'B',
      labels: text('B 级：咨询过产品或费率', 'B: asked about products or fees'),
      when: { field: 'intent', op: 'in', value: ['features'] },
      followUpWithinHours: { setting: 'leads.bHours' },
    },
    {
      key: 'corporate_banking_lead_c',
      grade: 'C',
      labels: text('C 级：初步接触', 'C: first contact only'),
      followUpWithinHours: { setting: 'leads.cHours' },
    },
  ],
  leadRegradeRules: [
    {
      key: 'corporate_banking_regrade_engaged',
      labels: text(
        '14 天内打开邮件 2 次且点击链接 1 次 → 升一级',
        'Opened emails 2× and clicked a link within 14 days → up one grade',
      ),
      when: {
        all: [
          { behaviour: 'email_open', withinDays: 14, op: 'gte', value: 2 },
          { behaviour: 'link_click', withinDays: 14, op: 'gte', value: 1 },
        ],
      },
      change: { up: 1 },
    },
    {
      key: 'corporate_banking_regrade_replied',
      labels: text('30 天内回复过邮件 → 升一级', 'Replied to an email within 30 days → up one grade'),
      when: { behaviour: 'reply', withinDays: 30, op: 'gte', value: 1 },
      change: { up: 1 },
    },
    {
      key: 'corporate_banking_regrade_quiet',
      labels: text('长期无活动 → 降一级', 'No activity for a long time → down one grade'),
      when: { behaviour: 'days_since_last_activity', op: 'gte', value: { setting: 'leadRegrade.quietDays' } },
      change: { down: 1 },
    },
  ],
  surveys: [
    {
      key: 'corporate_banking_satisfaction',
      kind: 'csat',
      labels: text('半年度客户满意度调查', 'Half-yearly client satisfaction survey'),
      description: text(
        '每半年请企业财务负责人评价我行公司金融服务；评分 1–2 分的客户会生成跟进任务。',
        'Every half year the client’s head of finance rates our corporate banking services; a score of 1–2 opens a follow-up task.',
      ),
      schedule: { every: 'half_year' },
      audience: { tiers: [IMPORTANT, GENERAL] },
      questions: [
        rating(
          'overall',
          '总体而言，您对我行公司金融服务满意吗？',
          'Overall, how satisfied are you with our corporate banking services?',
        ),
        rating(
          'relationship_manager',
          '您对客户经理的专业能力和响应速度满意吗？',
          'How satisfied are you with your relationship manager’s expertise and responsiveness?',
        ),
        rating(
          'efficiency',
          '您对开户、授信审批和结算等业务的办理效率满意吗？',
          'How satisfied are you with how quickly accounts, credit approvals and settlements are handled?',
        ),
        rating(
          'digital',
          '您对企业网银和企业手机银行的使用体验满意吗？',
          'How satisfied are you with our corporate online and mobile banking?',
        ),
        {
          key: 'next_needs',
          type: 'multi_choice',
          labels: text(
            '未来半年，贵司可能需要哪些金融服务？（可多选）',
            'Which financial services might you need in the next six months? (choose any)',
          ),
          options: [
            option('working_capital', '流动资金贷款', 'Working capital loans'),
            option('project_loan', '项目贷款', 'Project loans'),
            option('cross_border', '跨境结算', 'Cross-border settlement'),
            option('cash_management', '现金管理', 'Cash management'),
            option('bills', '票据业务', 'Bills and acceptances'),
            option('supply_chain', '供应链金融', 'Supply chain finance'),
            option('payroll', '代发工资', 'Payroll services'),
          ],
          profile: { field: 'explicit_needs' },
        },
        {
          key: 'suggestions',
          type: 'text',
          labels: text('您对我行还有哪些意见和建议？', 'What else would you like us to improve?'),
        },
      ],
    },
    {
      key: 'corporate_banking_ticket_csat',
      kind: 'csat',
      labels: text('业务办理满意度', 'Service request satisfaction'),
      description: text(
        '工单办结后请客户评价处理结果；评分 1–2 分的客户会生成跟进任务。',
        'When a ticket closes the client rates how it was handled; a score of 1–2 opens a follow-up task.',
      ),
      schedule: { after: 'ticket_closed', delayDays: 0 },
      questions: [
        rating(
          'handling',
          '您对本次业务的办理结果满意吗？',
          'How satisfied are you with how this request was handled?',
        ),
        {
          key: 'comment',
          type: 'text',
          labels: text('您还有什么意见或建议？', 'Any other comments or suggestions?'),
        },
      ],
    },
  ],
  reminders: [
    {
      key: 'corporate_banking_spring_festival',
      trigger: { on: 'holiday', holiday: 'spring_festival', offsetDays: -10 },
      channels: ['visit'],
      labels: text('春节前走访重要客户', 'Spring Festival visit to important clients'),
      audience: { tiers: [IMPORTANT] },
    },
    {
      key: 'corporate_banking_mid_autumn',
      trigger: { on: 'holiday', holiday: 'mid_autumn', offsetDays: -7 },
      channels: ['phone', 'wechat'],
      labels: text('中秋问候', 'Mid-Autumn greetings'),
    },
    {
      key: 'corporate_banking_loan_renewal',
      trigger: { on: 'date_field', field: LOAN_MATURITY_FIELD, offsetDays: -30 },
      channels: ['visit', 'phone'],
      labels: text('贷款到期前沟通续贷或还款安排', 'Talk renewal or repayment before the loan matures'),
    },
  ],
  // 指标目标: the corporate-banking plan's — important clients kept (≥ 90 %), the call-back
  // cadence held (95 %), complaints closed (98 %), satisfaction ≥ 92 %.
  kpiTargets: {
    retention_rate: 90,
    contact_cadence_compliance: 95,
    ticket_closure_rate: 98,
    csat: 92,
  },
  // 公海: a bank keeps its corporate customers with their account managers; only leads recycle.
  pool: {
    leads: [
      { grade: 'corporate_banking_lead_a', recycleAfterDays: 10 },
      { grade: 'corporate_banking_lead_b', recycleAfterDays: 20 },
      { grade: 'corporate_banking_lead_c', recycleAfterDays: 45 },
    ],
    leadDefaultDays: 45,
    customers: [
      { tier: IMPORTANT, recycleAfterDays: null },
      { tier: GENERAL, recycleAfterDays: 90 },
    ],
    customerDefaultDays: null,
    warnDaysBefore: 5,
    dailyClaimLimit: 5,
  },
  // 企业客户积分: per 1,000 yuan of fee income, kept a year; a referred enterprise that opens earns 1,000 points.
  loyalty: {
    pointsPerYuan: 0.001,
    expiryMonths: 12,
    referralRules: [
      {
        key: 'corporate_banking_referral_points',
        labels: text('推荐企业开户奖励 1000 积分', '1,000 points for a referred enterprise'),
        reward: 'points',
        value: 1000,
      },
    ],
  },
  tickets: {
    categories: [
      { key: 'corporate_banking_account', labels: text('账户与结算', 'Accounts and settlement') },
      { key: 'corporate_banking_loan', labels: text('贷款业务', 'Loans') },
      {
        key: 'corporate_banking_online_banking',
        labels: text('网银与企业手机银行', 'Online and mobile banking'),
      },
      { key: 'corporate_banking_fees', labels: text('费用争议', 'Fee disputes') },
      { key: 'corporate_banking_service_attitude', labels: text('服务态度', 'Service conduct') },
    ],
    // 重要客户 get their relationship manager's answer within 4 working hours; urgent matters (payments held) 1 h / 8 h.
    slaPolicies: [
      { tiers: [IMPORTANT], firstResponseHours: 4, resolutionHours: 24 },
      { priority: 'urgent', firstResponseHours: 1, resolutionHours: 8 },
      { priority: 'high', firstResponseHours: 8, resolutionHours: 48 },
    ],
    warnAtPercent: 75,
  },
  pipeline: {
    // 对公业务: a credit or settlement deal from the needs survey through credit approval to signing.
    stages: [
      {
        key: 'corporate_banking_stage_survey',
        kind: 'open',
        labels: text('需求调研', 'Needs survey'),
        probability: 20,
        actions: [
          {
            key: 'corporate_banking_action_kyc',
            labels: text('尽职调查与开户资料', 'Due diligence and KYC'),
          },
          {
            key: 'corporate_banking_action_needs',
            labels: text('记录融资与结算需求', 'Record financing and settlement needs'),
          },
        ],
        gates: [{ minNeeds: 2 }, { actionsDone: ['corporate_banking_action_kyc'] }],
      },
      {
        key: 'corporate_banking_stage_proposal',
        kind: 'open',
        labels: text('授信方案', 'Credit proposal'),
        probability: 45,
        actions: [
          {
            key: 'corporate_banking_action_proposal',
            labels: text('提交综合金融方案', 'Submit the financing proposal'),
            dueWithinHours: 72,
          },
        ],
        gates: [{ actionsDone: ['corporate_banking_action_proposal'] }, { fieldsPresent: ['amount'] }],
      },
      {
        key: 'corporate_banking_stage_approval',
        kind: 'open',
        labels: text('审批', 'Credit approval'),
        probability: 75,
        actions: [
          { key: 'corporate_banking_action_approved', labels: text('授信审批通过', 'Credit approved') },
        ],
        gates: [{ actionsDone: ['corporate_banking_action_approved'] }],
      },
      {
        key: 'corporate_banking_stage_won',
        kind: 'won',
        labels: text('签约放款', 'Signed'),
        probability: 100,
      },
      { key: 'corporate_banking_stage_lost', kind: 'lost', labels: text('未落地', 'Lost'), probability: 0 },
      {
        key: 'corporate_banking_stage_after',
        kind: 'after_sales',
        labels: text('存续管理', 'Servicing'),
        probability: 100,
      },
    ],
    lostReasons: [
      { key: 'corporate_banking_lost_rate', labels: text('利率或费率没有竞争力', 'Rate not competitive') },
      { key: 'corporate_banking_lost_rejected', labels: text('授信审批未通过', 'Credit declined') },
      { key: 'corporate_banking_lost_other_bank', labels: text('选择了他行', 'Went to another bank') },
      { key: 'corporate_banking_lost_need_gone', labels: text('客户需求取消', 'Need withdrawn') },
    ],
  },
  lifecycle: {
    atRiskDays: { setting: 'lifecycle.atRiskDays' },
    dormantDays: { setting: 'lifecycle.dormantDays' },
    loyalOrders: { setting: 'lifecycle.loyalOrders' },
  },
  defaultCustomerKind: 'company',
  customFields: [
    {
      key: 'corporate_banking_legal_representative',
      type: 'text',
      labels: text('法定代表人', 'Legal representative'),
      validation: { minLength: 2, maxLength: 50 },
    },
    {
      key: 'corporate_banking_registered_capital',
      type: 'money',
      labels: text('注册资本', 'Registered capital'),
      validation: { min: 0 },
    },
    {
      key: 'corporate_banking_industry_code',
      type: 'text',
      labels: text('行业代码', 'Industry code'),
      help: text(
        '国民经济行业分类（GB/T 4754—2017）：门类字母加 2–4 位数字，如 C3311。',
        'Industrial classification for national economic activities (GB/T 4754-2017): a section letter and 2–4 digits, e.g. C3311.',
      ),
      validation: {
        pattern: '^[A-T][0-9]{2,4}$',
        patternMessage: text(
          '须为门类字母加 2–4 位数字，如 C3311',
          'must be a section letter and 2–4 digits, e.g. C3311',
        ),
      },
    },
    {
      key: 'corporate_banking_legal_rep_id_number',
      type: 'text',
      labels: text('法定代表人身份证号', 'Legal representative’s national ID'),
      sensitive: true,
      validation: { checkDigit: 'national-id' },
    },
    {
      key: 'corporate_banking_basic_account_number',
      type: 'text',
      labels: text('基本户账号', 'Basic account number'),
      help: text('企业基本存款账户的账号。', 'The number of the client’s basic deposit account.'),
      sensitive: true,
      validation: {
        pattern: '^[0-9]{8,32}$',
        patternMessage: text('须为 8–32 位数字', 'must be 8–32 digits'),
      },
    },
    {
      key: DEPOSITS_FIELD,
      type: 'money',
      labels: text('日均存款', 'Average daily deposits'),
      help: text(
        '近一年日均存款余额，每月由客户经理或系统更新。',
        'Average daily deposit balance over the last year, updated monthly.',
      ),
      validation: { min: 0 },
    },
    {
      key: LOANS_FIELD,
      type: 'money',
      labels: text('贷款余额', 'Loan balance'),
      help: text('各项贷款的当前余额合计。', 'The current balance of all loans.'),
      validation: { min: 0 },
    },
    {
      key: SETTLEMENT_FIELD,
      type: 'money',
      labels: text('年结算量', 'Yearly settlement volume'),
      help: text(
        '近 12 个月经我行办理的结算金额合计。',
        'Settlements handled by us over the last 12 months.',
      ),
      validation: { min: 0 },
    },
    {
      key: LOAN_MATURITY_FIELD,
      type: 'date',
      labels: text('贷款到期日', 'Loan maturity date'),
      help: text(
        '最近一笔贷款的到期日；到期前 30 天提醒客户经理沟通续贷或还款安排。',
        'When the next loan matures; the relationship manager is reminded 30 days before to talk renewal or repayment.',
      ),
    },
    {
      key: 'corporate_banking_credit_line',
      type: 'money',
      labels: text('授信额度', 'Credit line'),
      validation: { min: 0 },
    },
    {
      key: 'corporate_banking_credit_rating',
      type: 'enum',
      labels: text('内部信用评级', 'Internal credit rating'),
      options: [
        option('aaa', 'AAA', 'AAA'),
        option('aa', 'AA', 'AA'),
        option('a', 'A', 'A'),
        option('bbb', 'BBB', 'BBB'),
      ],
    },
    {
      key: 'corporate_banking_basic_account',
      type: 'boolean',
      labels: text('基本户在我行', 'Basic account with us'),
    },
  ],
});
