import {
  definePlugin,
  settingsGroup as group,
  keepValidOverrides,
  type Labels,
  bilingual as text,
} from '@crm/plugin-sdk';
import { z } from 'zod';

/*
 * B2B 行业配置: the weighted score model of the playbook. Value — 12-month amount 40 % and
 * profit 30 %; potential — industry growth outlook, willingness to cooperate and need
 * extensibility, 10 % each, rated by the sales rep on the customer's custom fields; risk —
 * 3 months without a deal, 10 %. The weights add up to 110 %: the score is the weighted sum
 * divided by the sum of the weights, so it is always 0–100. 战略客户 ≥ 90, 重点客户 70–89,
 * 普通客户 50–69, 潜在客户 below 50.
 */

const UNITS = {
  percent: text('%', '%'),
  points: text('分', 'points'),
  months: text('个月', 'months'),
  hours: text('小时', 'hours'),
  orders: text('单', 'orders'),
  days: text('天', 'days'),
  needs: text('条', 'needs'),
} satisfies Record<string, Labels>;
type Unit = keyof typeof UNITS;

function tunable(schema: z.ZodNumber, value: number, labels: Labels, help: Labels, unit: Unit) {
  return schema.meta({ labels, help, unit: UNITS[unit] }).default(value);
}
const weight = (value: number, labels: Labels, help: Labels) =>
  tunable(z.number().min(0).max(100), value, labels, help, 'percent');
const score = (value: number, labels: Labels, help: Labels) =>
  tunable(z.number().min(0).max(100), value, labels, help, 'points');
const whole = (value: number, max: number, labels: Labels, help: Labels, unit: Unit) =>
  tunable(z.number().int().min(1).max(max), value, labels, help, unit);

export const b2bSettingsSchema = z.object({
  weights: group(
    {
      amount12m: weight(
        40,
        text('近 12 个月交易额', 'Last-12-month amount'),
        text(
          '价值维度：近 12 个月成交金额在全部客户中的百分位。',
          'Value: the percentile of the customer’s last-12-month amount among all customers.',
        ),
      ),
      profit12m: weight(
        30,
        text('利润贡献', 'Profit contribution'),
        text(
          '价值维度：近 12 个月订单毛利在全部客户中的百分位。',
          'Value: the percentile of the customer’s last-12-month profit among all customers.',
        ),
      ),
      industryGrowth: weight(
        10,
        text('行业成长性', 'Industry growth outlook'),
        text(
          '潜力维度：客户经理评估的客户所在行业前景（高／中／低）。',
          'Potential: the outlook of the customer’s industry as rated by the rep (high / medium / low).',
        ),
      ),
      willingness: weight(
        10,
        text('合作意愿', 'Willingness to cooperate'),
        text(
          '潜力维度：客户经理评定的合作意愿（1–5 分）。',
          'Potential: the willingness to cooperate as rated by the rep (1–5).',
        ),
      ),
      needExtensibility: weight(
        10,
        text('需求延展性', 'Need extensibility'),
        text(
          '潜力维度：还能拓展多少新需求、新产品线（1–5 分）。',
          'Potential: how far the customer’s needs can extend to more products (1–5).',
        ),
      ),
      churnRisk: weight(
        10,
        text('流失风险', 'Churn risk'),
        text(
          '风险维度：近期有成交得满分，连续数月未成交得 0 分。',
          'Risk: full points with a recent deal, none after months without one.',
        ),
      ),
    },
    text('维度权重', 'Dimension weights'),
    text(
      '各维度的权重（%）。模板权重合计 110%，得分按权重合计折算为 0–100 分，权重合计不必等于 100。',
      'The weight of each dimension (%). The template’s weights add up to 110 %; scores are scaled to 0–100 by the total, so the weights need not add up to 100.',
    ),
  ).prefault({}),
  tiers: group(
    {
      strategicMin: score(
        90,
        text('战略客户最低分', 'Strategic from score'),
        text('综合得分不低于此分为战略客户。', 'Customers scoring at least this are strategic.'),
      ),
      keyMin: score(
        70,
        text('重点客户最低分', 'Key from score'),
        text(
          '综合得分不低于此分、未达战略客户的为重点客户。',
          'Customers scoring at least this (below strategic) are key customers.',
        ),
      ),
      ordinaryMin: score(
        50,
        text('普通客户最低分', 'Ordinary from score'),
        text(
          '综合得分不低于此分、未达重点客户的为普通客户；更低的为潜在客户。',
          'Customers scoring at least this (below key) are ordinary; below it, potential.',
        ),
      ),
    },
    text('分层门槛', 'Tier thresholds'),
    text(
      '按综合得分（0–100）划分战略、重点、普通和潜在客户，门槛须从高到低。',
      'Score thresholds (0–100) of strategic, key, ordinary and potential customers, from high to low.',
    ),
  ).prefault({}),
  scoring: group(
    {
      churnMonths: whole(
        3,
        24,
        text('流失预警：连续未成交月数', 'Churn warning after months without a deal'),
        text(
          '连续这么多个月没有成交，流失风险维度得 0 分。',
          'After this many months without a deal the churn risk dimension scores 0.',
        ),
        'months',
      ),
      growthHigh: score(
        100,
        text('行业成长性「高」得分', 'Growth outlook “high” points'),
        text('行业前景评为「高」时该维度的得分。', 'Points when the industry outlook is rated high.'),
      ),
      growthMedium: score(
        50,
        text('行业成长性「中」得分', 'Growth outlook “medium” points'),
        text('行业前景评为「中」时该维度的得分。', 'Points when the industry outlook is rated medium.'),
      ),
      growthLow: score(
        0,
        text('行业成长性「低」得分', 'Growth outlook “low” points'),
        text(
          '行业前景评为「低」或未评估时该维度的得分。',
          'Points when the industry outlook is rated low or not rated.',
        ),
      ),
    },
    text('维度计分', 'Dimension scoring'),
    text('风险维度与行业成长性的计分方式。', 'How the risk dimension and the industry outlook score.'),
  ).prefault({}),
  cadences: group(
    {
      strategicMonths: whole(
        1,
        12,
        text('战略客户：拜访间隔', 'Strategic: visit every'),
        text(
          '每隔几个月上门拜访或视频会议一次（默认每月）。',
          'Months between visits or video meetings (monthly by default).',
        ),
        'months',
      ),
      keyMonths: whole(
        3,
        12,
        text('重点客户：回访间隔', 'Key: call-back every'),
        text(
          '每隔几个月电话或上门回访一次（默认每季度）。',
          'Months between call-backs or visits (quarterly by default).',
        ),
        'months',
      ),
      ordinaryMonths: whole(
        6,
        12,
        text('普通客户：关怀间隔', 'Ordinary: care call every'),
        text(
          '每隔几个月做一次关怀回访（默认每半年）。',
          'Months between care calls (half-yearly by default).',
        ),
        'months',
      ),
    },
    text('维护节奏', 'Contact cadences'),
    text(
      '各层客户的联系频率，到期自动生成维护任务。',
      'How often each tier is contacted; due contacts become tasks.',
    ),
  ).prefault({}),
  leads: group(
    {
      aHours: whole(
        24,
        720,
        text('A 级线索跟进时限', 'Grade A follow-up within'),
        text(
          '已索要报价或方案的线索，须在此时限内跟进。',
          'Leads that asked for a price or a proposal are followed up within this time.',
        ),
        'hours',
      ),
      bHours: whole(
        48,
        720,
        text('B 级线索跟进时限', 'Grade B follow-up within'),
        text(
          '咨询过产品功能的线索，须在此时限内跟进。',
          'Leads that asked about features are followed up within this time.',
        ),
        'hours',
      ),
      cHours: whole(
        168,
        720,
        text('C 级线索培育时限', 'Grade C nurture within'),
        text(
          '仅浏览过资料的线索，在此时限内安排培育（默认 1 周）。',
          'Leads that only browsed are nurtured within this time (one week by default).',
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
        30,
        365,
        text('无活动降级天数', 'Move down after no activity for'),
        text(
          '超过此天数没有任何行为（打开、点击、表单、回复）的线索降一级。',
          'Leads with no activity (opens, clicks, forms, replies) for this long move down one grade.',
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
  pipeline: group(
    {
      minNeeds: whole(
        3,
        50,
        text('需求沟通：核心需求数', 'Needs discovery: core needs'),
        text(
          '记录到这么多条核心需求，商机才能从需求沟通进入方案制定。',
          'An opportunity leaves needs discovery for a proposal once this many core needs are recorded.',
        ),
        'needs',
      ),
      proposalHours: whole(
        48,
        720,
        text('方案提交时限', 'Proposal due within'),
        text(
          '进入方案制定后，须在此时限内（按工作日历）提交方案。',
          'After entering the proposal stage, the proposal is due within this time (on the work calendar).',
        ),
        'hours',
      ),
    },
    text('商机阶段', 'Pipeline'),
    text(
      '商机各阶段的关卡与标准动作时限。',
      'The gates of the pipeline stages and the time limits of their standard actions.',
    ),
  ).prefault({}),
  lifecycle: group(
    {
      atRiskDays: whole(
        90,
        1_095,
        text('流失预警：未成交天数', 'At risk after days without a deal'),
        text(
          '连续这么多天没有成交的客户进入流失预警。',
          'Customers without a deal for this many days are at risk.',
        ),
        'days',
      ),
      dormantDays: whole(
        180,
        1_095,
        text('沉睡：未成交天数', 'Dormant after days without a deal'),
        text(
          '连续这么多天没有成交的客户视为沉睡。',
          'Customers without a deal for this many days are dormant.',
        ),
        'days',
      ),
      loyalOrders: whole(
        5,
        1_000,
        text('忠诚客户：累计订单数', 'Loyal from orders'),
        text('累计订单达到此数的客户为忠诚客户。', 'Customers with at least this many orders are loyal.'),
        'orders',
      ),
    },
    text('生命周期', 'Lifecycle'),
    text('流失预警、沉睡与忠诚客户的判定。', 'When customers are at risk, dormant or loyal.'),
  ).prefault({}),
});

export type B2bSettings = z.output<typeof b2bSettingsSchema>;

export const B2B_SETTINGS_VERSION = 1;

/**
 * Stored overrides → settings of the current version. Version 1 is the first, so there is
 * nothing to rename yet: the SDK's runner keeps the groups that still parse.
 */
export function migrateB2bSettings(
  _fromVersion: number,
  overrides: Readonly<Record<string, unknown>>,
): z.input<typeof b2bSettingsSchema> {
  return keepValidOverrides(b2bSettingsSchema, overrides);
}

const STRATEGIC = 'b2b_strategic';
const KEY = 'b2b_key';
const ORDINARY = 'b2b_ordinary';
const POTENTIAL = 'b2b_potential';

const option = (value: string, zh: string, en: string) => ({ value, labels: text(zh, en) });

const rating = (key: string, zh: string, en: string) => ({
  key,
  type: 'rating' as const,
  scale: { min: 1, max: 5 },
  labels: text(zh, en),
});

export default definePlugin({
  id: 'b2b',
  version: '1.0.0',
  sdk: '^1.0.0',
  labels: text('B2B 企业客户', 'B2B'),
  description: text(
    '面向企业间销售：按交易额、利润、行业前景、合作意愿、需求延展性和流失风险加权评分，分为战略、重点、普通和潜在客户；线索分 A/B/C 三级，按季度做需求调研并跟踪净推荐值。',
    'For business-to-business sales: a weighted score of amount, profit, industry outlook, willingness, need extensibility and churn risk places customers as strategic, key, ordinary or potential; leads are graded A/B/C, with a quarterly needs survey and NPS.',
  ),
  settings: {
    schema: b2bSettingsSchema,
    version: B2B_SETTINGS_VERSION,
    migrate: migrateB2bSettings,
  },
  tierModel: {
    kind: 'weighted',
    tiers: [
      {
        key: STRATEGIC,
        labels: text('战略客户', 'Strategic'),
        description: text(
          '价值高、潜力大、合作稳定的核心客户，每月拜访或视频会议，由资深客户经理负责。',
          'Core customers of high value, high potential and steady business: a monthly visit or video meeting by a senior account manager.',
        ),
      },
      {
        key: KEY,
        labels: text('重点客户', 'Key'),
        description: text(
          '贡献或潜力较大的客户，每季度回访。',
          'Customers of large contribution or potential, called back every quarter.',
        ),
      },
      {
        key: ORDINARY,
        labels: text('普通客户', 'Ordinary'),
        description: text(
          '贡献一般的客户，每半年关怀回访。',
          'Customers of ordinary contribution, with a care call every half year.',
        ),
      },
      {
        key: POTENTIAL,
        labels: text('潜在客户', 'Potential'),
        description: text(
          '交易少或尚未成交的客户，以培育为主。',
          'Customers with little or no business yet, to be nurtured.',
        ),
      },
    ],
    dimensions: [
      {
        key: 'amount_12m',
        labels: text('近 12 个月交易额', 'Last-12-month amount'),
        metric: 'amount_12m',
        normalise: { kind: 'percentile' },
        weight: { setting: 'weights.amount12m' },
      },
      {
        key: 'profit_12m',
        labels: text('利润贡献', 'Profit contribution'),
        metric: 'profit_12m',
        normalise: { kind: 'percentile' },
        weight: { setting: 'weights.profit12m' },
      },
      {
        key: 'industry_growth',
        labels: text('行业成长性', 'Industry growth outlook'),
        metric: 'custom_enum:b2b_industry_growth',
        normalise: {
          kind: 'points',
          points: {
            high: { setting: 'scoring.growthHigh' },
            medium: { setting: 'scoring.growthMedium' },
            low: { setting: 'scoring.growthLow' },
          },
          otherPoints: { setting: 'scoring.growthLow' },
        },
        weight: { setting: 'weights.industryGrowth' },
      },
      {
        key: 'willingness',
        labels: text('合作意愿', 'Willingness to cooperate'),
        metric: 'rating:b2b_willingness',
        normalise: { kind: 'range', min: 1, max: 5 },
        missing: 1,
        weight: { setting: 'weights.willingness' },
      },
      {
        key: 'need_extensibility',
        labels: text('需求延展性', 'Need extensibility'),
        metric: 'rating:b2b_need_extensibility',
        normalise: { kind: 'range', min: 1, max: 5 },
        missing: 1,
        weight: { setting: 'weights.needExtensibility' },
      },
      {
        key: 'churn_risk',
        labels: text('流失风险（连续未成交）', 'Churn risk (months without a deal)'),
        metric: 'months_without_order',
        normalise: {
          kind: 'bands',
          bands: [
            { from: 0, points: 100 },
            { from: { setting: 'scoring.churnMonths' }, points: 0 },
          ],
        },
        weight: { setting: 'weights.churnRisk' },
      },
    ],
    thresholds: [
      { tier: STRATEGIC, minScore: { setting: 'tiers.strategicMin' } },
      { tier: KEY, minScore: { setting: 'tiers.keyMin' } },
      { tier: ORDINARY, minScore: { setting: 'tiers.ordinaryMin' } },
    ],
    defaultTier: POTENTIAL,
  },
  cadences: [
    {
      key: 'b2b_strategic_visit',
      tier: STRATEGIC,
      channels: ['visit', 'video_call'],
      interval: { every: { setting: 'cadences.strategicMonths' }, unit: 'month' },
      labels: text('月度上门拜访或视频会议', 'Monthly visit or video meeting'),
      goals: [
        text('年度增购 ≥ 20%', 'Annual upsell ≥ 20 %'),
        text('每季度一次需求评审', 'A needs review every quarter'),
      ],
      // A strategic account's plan is agreed with the sales manager before visits are booked.
      requiresApproval: true,
    },
    {
      key: 'b2b_key_call_back',
      tier: KEY,
      channels: ['phone', 'visit'],
      interval: { every: { setting: 'cadences.keyMonths' }, unit: 'month' },
      labels: text('季度回访', 'Quarterly call-back'),
    },
    {
      key: 'b2b_ordinary_care',
      tier: ORDINARY,
      channels: ['phone', 'email'],
      interval: { every: { setting: 'cadences.ordinaryMonths' }, unit: 'month' },
      labels: text('半年度关怀回访', 'Half-yearly care call'),
    },
  ],
  leadGrades: [
    {
      key: 'b2b_lead_a',
      grade: 'A',
      labels: text('A 级：已索要报价或方案', 'A: asked for a price or a proposal'),
      when: { field: 'intent', op: 'in', value: ['price', 'proposal'] },
      followUpWithinHours: { setting: 'leads.aHours' },
    },
    {
      key: 'b2b_lead_b',
      grade: 'B',
      labels: text('B 级：咨询过产品功能', 'B: asked about features'),
      when: { field: 'intent', op: 'in', value: ['features'] },
      followUpWithinHours: { setting: 'leads.bHours' },
    },
    {
      key: 'b2b_lead_c',
      grade: 'C',
      labels: text('C 级：仅浏览资料', 'C: only browsed'),
      followUpWithinHours: { setting: 'leads.cHours' },
    },
  ],
  leadRegradeRules: [
    {
      key: 'b2b_regrade_engaged',
      labels: text(
        '7 天内打开邮件 2 次且点击链接 1 次 → 升一级',
        'Opened emails 2× and clicked a link within 7 days → up one grade',
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
      key: 'b2b_regrade_replied',
      labels: text('14 天内回复过邮件 → 升一级', 'Replied to an email within 14 days → up one grade'),
      when: { behaviour: 'reply', withinDays: 14, op: 'gte', value: 1 },
      change: { up: 1 },
    },
    {
      key: 'b2b_regrade_forms',
      labels: text('30 天内提交表单 2 次 → 升一级', 'Two form submissions within 30 days → up one grade'),
      when: { behaviour: 'form_submit', withinDays: 30, op: 'gte', value: 2 },
      change: { up: 1 },
    },
    {
      key: 'b2b_regrade_quiet',
      labels: text('长期无活动 → 降一级', 'No activity for a long time → down one grade'),
      when: { behaviour: 'days_since_last_activity', op: 'gte', value: { setting: 'leadRegrade.quietDays' } },
      change: { down: 1 },
    },
  ],
  surveys: [
    {
      key: 'b2b_quarterly_needs',
      kind: 'needs',
      labels: text('季度需求调研', 'Quarterly needs survey'),
      description: text(
        '每季度了解客户下一阶段的采购与改造计划、预算和痛点，结果写入客户需求并提醒客户经理跟进。',
        'Every quarter: the customer’s purchase and upgrade plans, budget and pain points for the next period; answers go to the customer’s needs and remind the account manager to follow up.',
      ),
      schedule: { every: 'quarter' },
      audience: { tiers: [STRATEGIC, KEY, ORDINARY] },
      questions: [
        {
          key: 'plans',
          type: 'multi_choice',
          required: true,
          labels: text(
            '未来一个季度，贵司有哪些采购或改造计划？（可多选）',
            'Which purchases or upgrades do you plan for the next quarter? (choose any)',
          ),
          options: [
            option('new_line', '新建产线', 'A new production line'),
            option('upgrade', '老线改造升级', 'Upgrading an existing line'),
            option('maintenance', '设备维保', 'Equipment maintenance'),
            option('spare_parts', '备品备件', 'Spare parts'),
            option('quality_automation', '质检自动化', 'Automated quality inspection'),
            option('none', '暂无计划', 'No plans yet'),
          ],
          profile: { field: 'explicit_needs' },
        },
        {
          key: 'timing',
          type: 'single_choice',
          labels: text('预计什么时候启动采购？', 'When do you expect to start purchasing?'),
          options: [
            option('within_1m', '1 个月内', 'Within a month'),
            option('1_3m', '1–3 个月', 'In 1–3 months'),
            option('3_6m', '3–6 个月', 'In 3–6 months'),
            option('later', '半年以后', 'Later than six months'),
          ],
        },
        {
          key: 'budget',
          type: 'single_choice',
          labels: text('本季度相关预算大约是多少？', 'Roughly what budget do you have this quarter?'),
          options: [
            option('lt_100k', '10 万元以下', 'Under CNY 100,000'),
            option('100k_500k', '10–50 万元', 'CNY 100,000–500,000'),
            option('500k_2m', '50–200 万元', 'CNY 500,000–2 million'),
            option('gt_2m', '200 万元以上', 'Over CNY 2 million'),
          ],
        },
        rating(
          'fit',
          '我们的产品和方案与贵司需求的匹配程度如何？（1 分很不匹配，5 分非常匹配）',
          'How well do our products and solutions fit your needs? (1 poorly, 5 very well)',
        ),
        {
          key: 'pain_points',
          type: 'text',
          labels: text(
            '目前生产或采购中最需要解决的问题是什么？',
            'What is the most pressing problem in your production or purchasing today?',
          ),
          profile: { field: 'implicit_needs' },
        },
        {
          key: 'support',
          type: 'multi_choice',
          labels: text(
            '希望我们在哪些方面提供更多支持？（可多选）',
            'Where would you like more support from us? (choose any)',
          ),
          options: [
            option('solution', '技术方案', 'Technical solutions'),
            option('training', '现场培训', 'On-site training'),
            option('response', '更快的响应', 'Faster response'),
            option('terms', '价格与账期', 'Prices and payment terms'),
            option('stock', '备件库存', 'Spare parts in stock'),
          ],
        },
        {
          key: 'need_type',
          type: 'single_choice',
          labels: text('贵司更需要我们提供产品还是服务？', 'Do you need products or services from us most?'),
          options: [
            option('equipment', '设备与备件', 'Equipment and spare parts'),
            option('services', '技术服务与维保', 'Technical services and maintenance'),
            option('both', '两者都需要', 'Both'),
          ],
          profile: {
            field: 'need_type',
            values: { equipment: 'product', services: 'service', both: 'both' },
          },
        },
      ],
    },
    {
      key: 'b2b_nps',
      kind: 'nps',
      labels: text('净推荐值调研', 'Net promoter score'),
      description: text(
        '每半年询问客户向同行推荐我们的可能性；0–6 分的客户会生成原因分析任务。',
        'Every half year: how likely customers are to recommend us to their peers; a score of 0–6 opens a task to find the cause.',
      ),
      schedule: { every: 'half_year' },
      questions: [
        {
          key: 'recommend',
          type: 'nps',
          required: true,
          labels: text(
            '您有多大可能向同行或合作伙伴推荐我们？',
            'How likely are you to recommend us to a peer or partner?',
          ),
        },
        {
          key: 'reason',
          type: 'text',
          labels: text('您给出这个分数的主要原因是什么？', 'What is the main reason for your score?'),
        },
        rating(
          'delivery',
          '您对交付周期和产品质量满意吗？',
          'How satisfied are you with our lead times and product quality?',
        ),
        rating(
          'service',
          '您对技术支持和售后服务满意吗？',
          'How satisfied are you with our technical support and after-sales service?',
        ),
        {
          key: 'improve',
          type: 'text',
          labels: text('我们最应该改进的一件事是什么？', 'What is the one thing we should improve first?'),
        },
      ],
    },
    {
      key: 'b2b_deal_won_csat',
      kind: 'csat',
      labels: text('签约满意度', 'Satisfaction after signing'),
      description: text(
        '商机赢单 7 天后，请客户评价售前方案与商务过程。',
        'Seven days after a deal is won, the customer rates the pre-sales solution and the commercial process.',
      ),
      schedule: { after: 'deal_won', delayDays: 7 },
      questions: [
        rating(
          'overall',
          '您对这次合作的售前与商务过程满意吗？',
          'How satisfied are you with our pre-sales and commercial process?',
        ),
        rating(
          'solution',
          '技术方案是否清楚地回应了您的需求？',
          'Did the technical solution answer your needs clearly?',
        ),
        {
          key: 'comment',
          type: 'text',
          labels: text('还有什么建议？', 'Any suggestions?'),
        },
      ],
    },
    {
      key: 'b2b_ticket_csat',
      kind: 'csat',
      labels: text('服务工单满意度', 'Service ticket satisfaction'),
      schedule: { after: 'ticket_closed', delayDays: 0 },
      questions: [
        rating(
          'handling',
          '您对这次服务的处理满意吗？',
          'How satisfied are you with how we handled this request?',
        ),
        {
          key: 'resolved',
          type: 'yes_no',
          required: true,
          labels: text('问题是否已经解决？', 'Is the problem solved?'),
        },
        {
          key: 'comment',
          type: 'text',
          labels: text('还有什么想告诉我们的？', 'Anything else you would like to tell us?'),
        },
      ],
    },
  ],
  reminders: [
    {
      key: 'b2b_spring_festival',
      trigger: { on: 'holiday', holiday: 'spring_festival', offsetDays: -10 },
      channels: ['visit', 'email'],
      labels: text('春节前走访与新春问候', 'Spring Festival visit and greetings'),
      audience: { tiers: [STRATEGIC, KEY] },
    },
    {
      key: 'b2b_mid_autumn',
      trigger: { on: 'holiday', holiday: 'mid_autumn', offsetDays: -7 },
      channels: ['email', 'wechat'],
      labels: text('中秋问候', 'Mid-Autumn greetings'),
      audience: { tiers: [STRATEGIC, KEY, ORDINARY] },
    },
  ],
  // 指标目标: the corporate-client plan's — conversion 15 % → 18.75 %, cycle 60 → 42 days,
  // strategic retention ≥ 90 % — and leads followed up within their grade's SLA nine times in ten.
  kpiTargets: {
    lead_conversion_rate: 18.75,
    sales_cycle_days: 42,
    retention_rate: 90,
    lead_sla_compliance: 90,
    win_rate: 25,
  },
  // 公海: an A lead not followed up within a week, a 普通客户 without contact for 30 days
  // return to the pool; 战略客户 never automatically.
  pool: {
    leads: [
      { grade: 'b2b_lead_a', recycleAfterDays: 7 },
      { grade: 'b2b_lead_b', recycleAfterDays: 14 },
      { grade: 'b2b_lead_c', recycleAfterDays: 30 },
    ],
    leadDefaultDays: 30,
    customers: [
      { tier: STRATEGIC, recycleAfterDays: null },
      { tier: KEY, recycleAfterDays: 90 },
      { tier: ORDINARY, recycleAfterDays: 30 },
      { tier: POTENTIAL, recycleAfterDays: 30 },
    ],
    customerDefaultDays: null,
    warnDaysBefore: 3,
    dailyClaimLimit: 10,
  },
  // Points per 100 yuan of business, kept three years; a referral that buys earns 2,000 points.
  loyalty: {
    pointsPerYuan: 0.01,
    expiryMonths: 36,
    referralRules: [
      {
        key: 'b2b_referral_points',
        labels: text('客户推荐奖励 2000 积分', '2,000 points for a referral'),
        reward: 'points',
        value: 2000,
      },
      {
        key: 'b2b_referral_discount',
        labels: text('推荐成交享 5% 折扣', '5 % off for a referral'),
        reward: 'discount',
        value: 5,
      },
    ],
  },
  tickets: {
    categories: [
      { key: 'b2b_product_quality', labels: text('产品质量', 'Product quality') },
      { key: 'b2b_delivery', labels: text('交付与物流', 'Delivery and logistics') },
      { key: 'b2b_installation', labels: text('安装调试', 'Installation and commissioning') },
      { key: 'b2b_technical_support', labels: text('技术支持', 'Technical support') },
      { key: 'b2b_billing', labels: text('发票与结算', 'Invoices and settlement') },
      { key: 'b2b_contract', labels: text('合同与商务', 'Contracts and commercial terms') },
    ],
    // A strategic account is answered within 4 working hours and resolved within a day; key accounts within 8 h / 48 h.
    slaPolicies: [
      { tiers: [STRATEGIC], firstResponseHours: 4, resolutionHours: 24 },
      { tiers: [STRATEGIC], priority: 'urgent', firstResponseHours: 2, resolutionHours: 8 },
      { tiers: [KEY], firstResponseHours: 8, resolutionHours: 48 },
      { priority: 'urgent', firstResponseHours: 4, resolutionHours: 24 },
    ],
  },
  pipeline: {
    stages: [
      {
        key: 'b2b_stage_needs',
        kind: 'open',
        labels: text('需求沟通', 'Needs discovery'),
        probability: 20,
        actions: [
          { key: 'b2b_action_needs', labels: text('记录核心需求', 'Record the core needs') },
          { key: 'b2b_action_decision_chain', labels: text('梳理决策链', 'Map the decision chain') },
          { key: 'b2b_action_budget', labels: text('确认预算与时间', 'Confirm budget and timing') },
        ],
        gates: [{ minNeeds: { setting: 'pipeline.minNeeds' } }],
      },
      {
        key: 'b2b_stage_proposal',
        kind: 'open',
        labels: text('方案制定', 'Proposal'),
        probability: 40,
        actions: [
          {
            key: 'b2b_action_proposal_sent',
            labels: text('提交方案', 'Send the proposal'),
            dueWithinHours: { setting: 'pipeline.proposalHours' },
          },
          { key: 'b2b_action_demo', labels: text('方案演示', 'Present the solution') },
        ],
        gates: [{ actionsDone: ['b2b_action_proposal_sent'] }, { fieldsPresent: ['amount', 'line_items'] }],
      },
      {
        key: 'b2b_stage_negotiation',
        kind: 'open',
        labels: text('商务谈判', 'Negotiation'),
        probability: 70,
        actions: [
          { key: 'b2b_action_quote_approved', labels: text('报价审批', 'Quote approved') },
          { key: 'b2b_action_contract_review', labels: text('合同评审', 'Contract reviewed') },
        ],
        gates: [{ actionsDone: ['b2b_action_contract_review'] }, { fieldsPresent: ['decision_chain'] }],
      },
      { key: 'b2b_stage_won', kind: 'won', labels: text('赢单', 'Won'), probability: 100 },
      { key: 'b2b_stage_lost', kind: 'lost', labels: text('输单', 'Lost'), probability: 0 },
      {
        key: 'b2b_stage_after_sales',
        kind: 'after_sales',
        labels: text('售后', 'After sales'),
        probability: 100,
        actions: [
          { key: 'b2b_action_delivery', labels: text('交付验收', 'Delivery accepted') },
          { key: 'b2b_action_training', labels: text('使用培训', 'Training given') },
        ],
      },
    ],
    lostReasons: [
      { key: 'b2b_lost_price', labels: text('价格过高', 'Price too high') },
      { key: 'b2b_lost_competitor', labels: text('选择了竞争对手', 'Chose a competitor') },
      { key: 'b2b_lost_no_budget', labels: text('预算取消或不足', 'Budget cut or too small') },
      { key: 'b2b_lost_no_decision', labels: text('项目搁置', 'Project shelved') },
      { key: 'b2b_lost_requirements', labels: text('需求不匹配', 'Requirements not met') },
      { key: 'b2b_lost_relationship', labels: text('关系不到位', 'Relationship too weak') },
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
      key: 'b2b_employees',
      type: 'number',
      labels: text('员工人数', 'Employees'),
      validation: { integer: true, min: 0, max: 10_000_000 },
    },
    {
      key: 'b2b_annual_budget',
      type: 'money',
      labels: text('年度设备预算', 'Annual equipment budget'),
      validation: { min: 0, max: 100_000_000_000 },
    },
    {
      key: 'b2b_industry_growth',
      type: 'enum',
      labels: text('行业成长性', 'Industry growth outlook'),
      help: text(
        '客户所在行业未来一两年的前景，由客户经理评估。',
        'The outlook of the customer’s industry for the next year or two, as the rep sees it.',
      ),
      options: [option('high', '高', 'High'), option('medium', '中', 'Medium'), option('low', '低', 'Low')],
    },
    {
      key: 'b2b_willingness',
      type: 'number',
      labels: text('合作意愿', 'Willingness to cooperate'),
      help: text(
        '1–5 分，由客户经理评定：5 分为主动寻求深度合作。',
        '1–5, rated by the rep: 5 means the customer seeks closer cooperation.',
      ),
      validation: { rating: true, min: 1, max: 5 },
    },
    {
      key: 'b2b_need_extensibility',
      type: 'number',
      labels: text('需求延展性', 'Need extensibility'),
      help: text(
        '1–5 分，由客户经理评定：5 分为还有多条产品线、多个厂区可拓展。',
        '1–5, rated by the rep: 5 means more product lines or sites to extend to.',
      ),
      validation: { rating: true, min: 1, max: 5 },
    },
  ],
});
