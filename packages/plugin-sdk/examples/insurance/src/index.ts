import { definePlugin, type Labels } from '@crm/plugin-sdk';
import { z } from 'zod';

const text = (zh: string, en: string): Labels => ({ 'zh-CN': zh, en });

const CNY = text('元', 'CNY');
const POLICIES = text('份', 'policies');
const DAYS = text('天', 'days');
const MONTHS = text('个月', 'months');
const HOURS = text('小时', 'hours');

/** Every number an admin may tune, with its default, its name and its unit for the settings form. */
const settings = z.object({
  tiers: z
    .object({
      vipPremium: z
        .number()
        .positive()
        .default(50_000)
        .meta({ labels: text('高净值客户年缴保费', 'VIP: annual premium from'), unit: CNY }),
      vipPolicies: z
        .number()
        .int()
        .positive()
        .default(5)
        .meta({ labels: text('高净值客户有效保单数', 'VIP: policies from'), unit: POLICIES }),
      keyPremium: z
        .number()
        .positive()
        .default(10_000)
        .meta({ labels: text('重点客户年缴保费', 'Key: annual premium from'), unit: CNY }),
      keyPolicies: z
        .number()
        .int()
        .positive()
        .default(2)
        .meta({ labels: text('重点客户有效保单数', 'Key: policies from'), unit: POLICIES }),
    })
    .prefault({})
    .meta({
      labels: text('客户分层', 'Tiers'),
      help: text(
        '满足保费或保单数任一条件即进入该层级',
        'A customer reaching either the premium or the number of policies joins the tier',
      ),
    }),
  cadenceMonths: z
    .object({
      vip: z
        .number()
        .int()
        .min(1)
        .max(12)
        .default(1)
        .meta({ labels: text('高净值客户', 'VIP'), unit: MONTHS }),
      key: z
        .number()
        .int()
        .min(1)
        .max(12)
        .default(3)
        .meta({ labels: text('重点客户', 'Key'), unit: MONTHS }),
      standard: z
        .number()
        .int()
        .min(1)
        .max(12)
        .default(12)
        .meta({ labels: text('普通客户', 'Standard'), unit: MONTHS }),
    })
    .prefault({})
    .meta({ labels: text('维护节奏', 'Contact cadence') }),
  leadFollowUpHours: z
    .number()
    .int()
    .min(1)
    .max(168)
    .default(24)
    .meta({ labels: text('A 级线索跟进时限', 'Grade A lead: follow up within'), unit: HOURS }),
  renewalOffsetDays: z
    .number()
    .int()
    .min(-90)
    .max(-1)
    .default(-30)
    .meta({
      labels: text('续保提醒', 'Renewal reminder'),
      help: text(
        '保单到期前多少天提醒（负数表示到期前）',
        'Days relative to the policy expiry (negative: before it)',
      ),
      unit: DAYS,
    }),
  surveyDelayDays: z
    .number()
    .int()
    .min(0)
    .max(30)
    .default(7)
    .meta({ labels: text('出单后回访天数', 'Call-back: days after the first policy'), unit: DAYS }),
});

export default definePlugin({
  id: 'insurance',
  version: '1.0.0',
  sdk: '^1.0.0',
  labels: text('保险', 'Insurance'),
  description: text(
    '按年缴保费和有效保单数分层，出单回访，续保提醒和 KYC 字段',
    'Tiers by annual premium and number of policies, a call-back after the first policy, renewal reminders and KYC fields',
  ),
  settings: { schema: settings, version: 1 },

  tierModel: {
    kind: 'thresholds',
    tiers: [
      { key: 'vip', labels: text('高净值客户', 'VIP') },
      { key: 'key', labels: text('重点客户', 'Key') },
      { key: 'standard', labels: text('普通客户', 'Standard') },
    ],
    // In order; the first rule whose conditions all hold places the customer.
    rules: [
      { tier: 'vip', when: [{ metric: 'amount_12m', op: 'gte', value: { setting: 'tiers.vipPremium' } }] },
      {
        tier: 'vip',
        when: [
          {
            metric: 'custom_number:insurance_policy_count',
            op: 'gte',
            value: { setting: 'tiers.vipPolicies' },
          },
        ],
      },
      { tier: 'key', when: [{ metric: 'amount_12m', op: 'gte', value: { setting: 'tiers.keyPremium' } }] },
      {
        tier: 'key',
        when: [
          {
            metric: 'custom_number:insurance_policy_count',
            op: 'gte',
            value: { setting: 'tiers.keyPolicies' },
          },
        ],
      },
    ],
    defaultTier: 'standard',
  },

  customFields: [
    {
      key: 'insurance_insured_id',
      type: 'text',
      labels: text('被保险人身份证号', 'Insured person’s ID number'),
      sensitive: true,
      validation: { checkDigit: 'national-id' },
    },
    {
      key: 'insurance_occupation_class',
      type: 'enum',
      labels: text('职业类别', 'Occupation class'),
      options: [
        { value: 'class_1_3', labels: text('1–3 类', 'Classes 1–3') },
        { value: 'class_4', labels: text('4 类', 'Class 4') },
        { value: 'class_5_6', labels: text('5–6 类', 'Classes 5–6') },
      ],
    },
    {
      key: 'insurance_annual_income',
      type: 'money',
      labels: text('年收入', 'Annual income'),
      validation: { min: 0 },
    },
    {
      key: 'insurance_policy_count',
      type: 'number',
      labels: text('有效保单数', 'Policies in force'),
      validation: { min: 0 },
    },
    { key: 'insurance_policy_expiry', type: 'date', labels: text('最近保单到期日', 'Next policy expiry') },
  ],

  leadGrades: [
    {
      key: 'insurance_lead_a',
      grade: 'A',
      labels: text('A 级线索：有预算且已联系到投保人', 'Grade A: budget and the policyholder reached'),
      when: {
        all: [
          { field: 'budget', op: 'gte', value: 10_000 },
          { field: 'decision_maker_reached', op: 'eq', value: true },
        ],
      },
      followUpWithinHours: { setting: 'leadFollowUpHours' },
    },
    {
      key: 'insurance_lead_b',
      grade: 'B',
      labels: text('B 级线索：有明确意向', 'Grade B: a clear intent'),
      when: { field: 'intent', op: 'present' },
      followUpWithinHours: 72,
    },
    {
      key: 'insurance_lead_c',
      grade: 'C',
      labels: text('C 级线索', 'Grade C'),
      followUpWithinHours: 168,
    },
  ],

  leadRegradeRules: [
    {
      key: 'insurance_regrade_engaged',
      labels: text(
        '7 天内打开邮件 2 次且点击链接 1 次 → 升一级',
        'Two opens and a click within 7 days → up one grade',
      ),
      when: {
        all: [
          { behaviour: 'email_open', withinDays: 7, op: 'gte', value: 2 },
          { behaviour: 'link_click', withinDays: 7, op: 'gte', value: 1 },
        ],
      },
      change: { up: 1 },
    },
    {
      key: 'insurance_regrade_quiet',
      labels: text('30 天无任何活动 → 降一级', 'No activity for 30 days → down one grade'),
      when: { behaviour: 'days_since_last_activity', op: 'gte', value: 30 },
      change: { down: 1 },
    },
  ],

  cadences: [
    {
      key: 'insurance_vip_review',
      tier: 'vip',
      channels: ['visit', 'video_call'],
      interval: { every: { setting: 'cadenceMonths.vip' }, unit: 'month' },
      labels: text('保障检视面谈', 'Cover review meeting'),
    },
    {
      key: 'insurance_key_call',
      tier: 'key',
      channels: ['phone', 'wechat'],
      interval: { every: { setting: 'cadenceMonths.key' }, unit: 'month' },
      labels: text('电话回访', 'Call-back'),
    },
    {
      key: 'insurance_standard_content',
      tier: 'standard',
      channels: ['content'],
      interval: { every: { setting: 'cadenceMonths.standard' }, unit: 'month' },
      labels: text('推送保障知识', 'Send cover tips'),
    },
  ],

  reminders: [
    {
      key: 'insurance_renewal',
      trigger: {
        on: 'date_field',
        field: 'insurance_policy_expiry',
        offsetDays: { setting: 'renewalOffsetDays' },
      },
      channels: ['phone'],
      labels: text('续保提醒', 'Renewal reminder'),
    },
    {
      key: 'insurance_birthday',
      trigger: { on: 'birthday', offsetDays: -3 },
      channels: ['wechat'],
      labels: text('生日问候', 'Birthday greeting'),
      audience: { tiers: ['vip', 'key'] },
    },
  ],

  surveys: [
    {
      key: 'insurance_first_policy_callback',
      kind: 'csat',
      labels: text('新单回访', 'Call-back after the first policy'),
      questions: [
        {
          key: 'explained',
          type: 'yes_no',
          labels: text(
            '销售人员是否讲清了保障责任和免责条款？',
            'Were the cover and the exclusions explained?',
          ),
          required: true,
        },
        {
          key: 'satisfaction',
          type: 'rating',
          labels: text('您对投保过程的满意度', 'How satisfied are you with taking out the policy?'),
          scale: { min: 1, max: 5 },
          required: true,
        },
        {
          key: 'other_cover',
          type: 'multi_choice',
          labels: text('您还关心哪些保障？', 'Which other cover interests you?'),
          options: [
            { value: 'health', labels: text('医疗与重疾', 'Health and critical illness') },
            { value: 'pension', labels: text('养老与年金', 'Pensions and annuities') },
            { value: 'education', labels: text('子女教育', 'Children’s education') },
          ],
          profile: { field: 'explicit_needs' },
        },
        { key: 'comments', type: 'text', labels: text('其他意见', 'Anything else?') },
      ],
      schedule: { after: 'first_order', delayDays: { setting: 'surveyDelayDays' } },
    },
    {
      key: 'insurance_claim_nps',
      kind: 'nps',
      labels: text('理赔服务推荐度', 'Claims service recommendation'),
      questions: [
        {
          key: 'recommend',
          type: 'nps',
          labels: text('您有多大可能向亲友推荐我们？', 'How likely are you to recommend us?'),
          required: true,
        },
        { key: 'reason', type: 'text', labels: text('主要原因是什么？', 'What is the main reason?') },
      ],
      schedule: { after: 'ticket_closed', delayDays: 1 },
      audience: { tiers: ['vip', 'key', 'standard'] },
    },
  ],

  // 商机阶段: a policy sale from the needs analysis through a quote (due within 48 h) to the signed policy.
  pipeline: {
    stages: [
      {
        key: 'insurance_stage_needs',
        kind: 'open',
        labels: text('需求分析', 'Needs analysis'),
        probability: 25,
        actions: [
          {
            key: 'insurance_action_family',
            labels: text('了解家庭与保障缺口', 'Learn the family and cover gaps'),
          },
        ],
        // Leaving needs analysis needs two needs on record (e.g. 重疾保障, 子女教育金).
        gates: [{ minNeeds: 2 }],
      },
      {
        key: 'insurance_stage_quote',
        kind: 'open',
        labels: text('方案报价', 'Quote'),
        probability: 50,
        actions: [
          {
            key: 'insurance_action_quote_sent',
            labels: text('发送保障方案与报价', 'Send the plan and quote'),
            dueWithinHours: 48,
          },
        ],
        gates: [{ actionsDone: ['insurance_action_quote_sent'] }, { fieldsPresent: ['amount'] }],
      },
      {
        key: 'insurance_stage_underwriting',
        kind: 'open',
        labels: text('核保', 'Underwriting'),
        probability: 80,
      },
      { key: 'insurance_stage_won', kind: 'won', labels: text('承保', 'Policy issued'), probability: 100 },
      { key: 'insurance_stage_lost', kind: 'lost', labels: text('未成交', 'Lost'), probability: 0 },
    ],
    lostReasons: [
      { key: 'insurance_lost_premium', labels: text('保费太高', 'Premium too high') },
      { key: 'insurance_lost_declined', labels: text('核保未通过', 'Declined at underwriting') },
    ],
  },

  lifecycle: { atRiskDays: 400, dormantDays: 760, loyalOrders: 3 },

  // 指标目标: renewals are the business — 85 % of policyholders kept, leads called back in time.
  kpiTargets: { retention_rate: 85, repurchase_rate: 60, lead_sla_compliance: 90 },
});
