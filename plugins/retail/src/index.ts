import {
  definePlugin,
  settingsGroup as group,
  keepValidOverrides,
  type Labels,
  bilingual as text,
} from '@crm/plugin-sdk';
import { z } from 'zod';

/*
 * 零售行业配置 (retail profile).
 *
 * Tier model: RFM (recency, frequency, monetary) with four segments — 头部 / 腰部 / 长尾,
 * and 沉睡 for customers with no purchase for 6 months. The value+need levels of the
 * retail plan (高价值 > 100,000 CNY a year, 中价值 30,000–100,000, 低价值 otherwise) are
 * the top two monetary breaks of the same model: a customer's M score is 5 when its
 * 12-month spend is 高价值, 4 when 中价值, so every explanation shows its value level, and
 * one setting (`valueLevels.*`) tunes both. A tenant has one tier model at a time; RFM was
 * chosen because it separates customers at every size of business (a shop whose best
 * customers spend 20,000 a year still gets a head), and because it knows dormancy.
 * Cadences follow the playbook: head like high value, waist like mid, long tail like low.
 */

const UNITS = {
  CNY: text('元', 'CNY'),
  days: text('天', 'days'),
  weeks: text('周', 'weeks'),
  months: text('个月', 'months'),
  hours: text('小时', 'hours'),
  orders: text('单', 'orders'),
} satisfies Record<string, Labels>;
type Unit = keyof typeof UNITS;

/** A tunable number: its labels, help and unit travel in the schema's meta for the settings form. */
function tunable(
  schema: z.ZodNumber,
  value: number,
  labels: Labels,
  help: Labels,
  unit: Unit,
): z.ZodDefault<z.ZodNumber> {
  return schema.meta({ labels, help, unit: UNITS[unit] }).default(value);
}

const amount = (value: number, labels: Labels, help: Labels) =>
  tunable(z.number().min(0).max(1_000_000_000), value, labels, help, 'CNY');
const count = (value: number, max: number, labels: Labels, help: Labels, unit: Unit) =>
  tunable(z.number().int().min(1).max(max), value, labels, help, unit);

export const retailSettingsSchema = z.object({
  valueLevels: group(
    {
      highAmount: amount(
        100_000,
        text('高价值客户年消费额（高于）', 'High value: yearly spend above'),
        text(
          '近 12 个月消费额高于此金额为高价值客户（RFM 消费金额 M = 5 分）。',
          'Customers whose last-12-month spend is above this are high value (monetary score M = 5).',
        ),
      ),
      midAmount: amount(
        30_000,
        text('中价值客户年消费额（不低于）', 'Mid value: yearly spend from'),
        text(
          '近 12 个月消费额不低于此金额、且未达高价值的为中价值客户（M = 4 分）；其余为低价值客户：只咨询未购买或偶尔购买。',
          'Customers spending at least this in 12 months (and not high value) are mid value (M = 4); the rest are low value: enquired without buying, or buying now and then.',
        ),
      ),
    },
    text('价值等级', 'Value levels'),
    text(
      '高、中、低价值客户的年消费额门槛。',
      'Yearly spend thresholds of high, mid and low value customers.',
    ),
  ).prefault({}),
  rfm: group(
    {
      headAmount: amount(
        10_000,
        text('头部客户年消费额（高于）', 'Head: yearly spend above'),
        text(
          '近 12 个月消费额高于此金额、且未沉睡的为头部客户（通常不到一成客户）。',
          'Customers spending more than this in 12 months, and not dormant, are head customers (usually under 10 %).',
        ),
      ),
      waistAmount: amount(
        1_000,
        text('腰部客户年消费额（不低于）', 'Waist: yearly spend from'),
        text(
          '近 12 个月消费额不低于此金额、未达头部的为腰部客户；低于此金额的为长尾客户。',
          'Customers spending at least this (below head) are waist customers; below it, long tail.',
        ),
      ),
      dormantDays: count(
        180,
        1_095,
        text('沉睡判定：未购买天数', 'Dormant after days without a purchase'),
        text(
          '买过但已连续这么多天没有购买的客户为沉睡客户（默认 180 天，约 6 个月），需要唤醒。',
          'Customers who have bought before but not for this many days are dormant (180 days, about 6 months, by default) and need winning back.',
        ),
        'days',
      ),
      recencyDays4: count(
        30,
        1_095,
        text('最近购买 R 降为 4 分的天数', 'Recency: days from which R is 4'),
        text(
          '距上次购买不足此天数 R = 5 分；达到则为 4 分。',
          'Under this many days since the last purchase R = 5; from it, R = 4.',
        ),
        'days',
      ),
      recencyDays3: count(
        90,
        1_095,
        text('最近购买 R 降为 3 分的天数', 'Recency: days from which R is 3'),
        text('距上次购买达到此天数 R = 3 分。', 'From this many days since the last purchase R = 3.'),
        'days',
      ),
      recencyDays2: count(
        180,
        1_095,
        text('最近购买 R 降为 2 分的天数', 'Recency: days from which R is 2'),
        text('距上次购买达到此天数 R = 2 分。', 'From this many days since the last purchase R = 2.'),
        'days',
      ),
      recencyDays1: count(
        365,
        1_095,
        text('最近购买 R 降为 1 分的天数', 'Recency: days from which R is 1'),
        text('距上次购买达到此天数 R = 1 分。', 'From this many days since the last purchase R = 1.'),
        'days',
      ),
      frequency2: count(
        2,
        1_000,
        text('购买频次 F 达 2 分的单数', 'Frequency: orders for F = 2'),
        text(
          '近 12 个月订单数达到此数 F = 2 分（1 单为 1 分）。',
          'From this many orders in 12 months F = 2 (one order: 1).',
        ),
        'orders',
      ),
      frequency3: count(
        4,
        1_000,
        text('购买频次 F 达 3 分的单数', 'Frequency: orders for F = 3'),
        text('近 12 个月订单数达到此数 F = 3 分。', 'From this many orders in 12 months F = 3.'),
        'orders',
      ),
      frequency4: count(
        8,
        1_000,
        text('购买频次 F 达 4 分的单数', 'Frequency: orders for F = 4'),
        text('近 12 个月订单数达到此数 F = 4 分。', 'From this many orders in 12 months F = 4.'),
        'orders',
      ),
      frequency5: count(
        12,
        1_000,
        text('购买频次 F 达 5 分的单数', 'Frequency: orders for F = 5'),
        text('近 12 个月订单数达到此数 F = 5 分。', 'From this many orders in 12 months F = 5.'),
        'orders',
      ),
    },
    text('RFM 分层', 'RFM segments'),
    text(
      '最近购买（R）、购买频次（F）、消费金额（M）各按分段计 1–5 分，再按门槛分为头部、腰部、长尾和沉睡客户。',
      'Recency (R), frequency (F) and monetary value (M) each score 1–5 by breaks; thresholds place customers in head, waist, long tail or dormant.',
    ),
  ).prefault({}),
  cadences: group(
    {
      headVisitMonths: count(
        1,
        12,
        text('头部客户：拜访或视频通话间隔', 'Head: visit or video call every'),
        text(
          '每隔几个月到店拜访或视频通话一次（默认每月）。',
          'Months between visits or video calls (monthly by default).',
        ),
        'months',
      ),
      headReviewMonths: count(
        3,
        12,
        text('头部客户：需求回顾间隔', 'Head: needs review every'),
        text(
          '每隔几个月回顾一次客户需求（默认每季度）。',
          'Months between needs reviews (quarterly by default).',
        ),
        'months',
      ),
      waistOnlineWeeks: count(
        2,
        12,
        text('腰部客户：线上跟进间隔', 'Waist: online follow-up every'),
        text(
          '每隔几周通过企业微信或小程序线上跟进（默认两周）。',
          'Weeks between online follow-ups (every two weeks by default).',
        ),
        'weeks',
      ),
      longTailContentWeeks: count(
        1,
        12,
        text('长尾客户：内容推送间隔', 'Long tail: content push every'),
        text(
          '每隔几周推送新品、活动等内容（默认每周）。',
          'Weeks between content pushes (weekly by default).',
        ),
        'weeks',
      ),
      dormantWinBackMonths: count(
        1,
        12,
        text('沉睡客户：唤醒触达间隔', 'Dormant: win-back contact every'),
        text(
          '每隔几个月以专属优惠或关怀电话唤醒一次（默认每月）。',
          'Months between win-back offers or care calls (monthly by default).',
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
      aHours: count(
        24,
        720,
        text('A 级线索跟进时限', 'Grade A follow-up within'),
        text(
          '已询价或预约到店的线索，须在此时限内跟进。',
          'Leads that asked for a price or booked a store visit are followed up within this time.',
        ),
        'hours',
      ),
      bHours: count(
        48,
        720,
        text('B 级线索跟进时限', 'Grade B follow-up within'),
        text(
          '咨询过商品功能、尺码等的线索，须在此时限内跟进。',
          'Leads that asked about products are followed up within this time.',
        ),
        'hours',
      ),
      cHours: count(
        168,
        720,
        text('C 级线索培育时限', 'Grade C nurture within'),
        text(
          '仅浏览过的线索，在此时限内安排培育内容（默认 1 周）。',
          'Leads that only browsed get nurturing content within this time (one week by default).',
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
      quietDays: count(
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
  surveys: group(
    {
      csatDelayDays: count(
        7,
        90,
        text('购后满意度回访：首单后天数', 'Post-purchase survey: days after the first order'),
        text(
          '首单完成后第几天发送满意度问卷并安排回访。',
          'Days after the first order when the satisfaction survey and call-back go out.',
        ),
        'days',
      ),
    },
    text('满意度', 'Satisfaction'),
    text('购后满意度（CSAT）问卷的发送时间。', 'When the post-purchase satisfaction (CSAT) survey is sent.'),
  ).prefault({}),
  lifecycle: group(
    {
      atRiskDays: count(
        90,
        1_095,
        text('流失预警：未购买天数', 'At risk after days without a purchase'),
        text(
          '连续这么多天没有购买的客户进入流失预警。',
          'Customers without a purchase for this many days are at risk.',
        ),
        'days',
      ),
      loyalOrders: count(
        5,
        1_000,
        text('忠诚客户：累计订单数', 'Loyal from orders'),
        text('累计订单达到此数的客户为忠诚客户。', 'Customers with at least this many orders are loyal.'),
        'orders',
      ),
    },
    text('生命周期', 'Lifecycle'),
    text(
      '流失预警与忠诚客户的判定；沉睡天数与 RFM 分层共用。',
      'At-risk and loyal thresholds; the dormant days are shared with the RFM segments.',
    ),
  ).prefault({}),
});

export type RetailSettings = z.output<typeof retailSettingsSchema>;

export const RETAIL_SETTINGS_VERSION = 1;

/**
 * Stored overrides → settings of the current version. Version 1 is the first, so there is
 * nothing to rename yet: the SDK's runner keeps the groups that still parse.
 */
export function migrateRetailSettings(
  _fromVersion: number,
  overrides: Readonly<Record<string, unknown>>,
): z.input<typeof retailSettingsSchema> {
  return keepValidOverrides(retailSettingsSchema, overrides);
}

const HEAD = 'retail_head';
const WAIST = 'retail_waist';
const LONG_TAIL = 'retail_long_tail';
const DORMANT = 'retail_dormant';

const option = (value: string, zh: string, en: string) => ({ value, labels: text(zh, en) });

export default definePlugin({
  id: 'retail',
  version: '1.0.0',
  sdk: '^1.0.0',
  labels: text('零售', 'Retail'),
  description: text(
    '面向门店与线上零售：RFM 分层识别头部、腰部、长尾与沉睡客户，按价值等级安排维护节奏，线索分 A/B/C 三级，首单后做购后满意度回访。',
    'For stores and online retail: RFM segments find head, waist, long-tail and dormant customers, value levels set the contact cadence, leads are graded A/B/C, and customers get a satisfaction survey after their first order.',
  ),
  settings: {
    schema: retailSettingsSchema,
    version: RETAIL_SETTINGS_VERSION,
    migrate: migrateRetailSettings,
  },
  tierModel: {
    kind: 'rfm',
    tiers: [
      {
        key: HEAD,
        labels: text('头部客户', 'Head'),
        description: text(
          '年消费额高的核心客户（通常不到一成），按高价值客户维护：每月拜访或视频通话，每季度回顾需求。',
          'Core customers with high yearly spend (usually under 10 %), looked after like high-value customers: a monthly visit or video call and a quarterly needs review.',
        ),
      },
      {
        key: WAIST,
        labels: text('腰部客户', 'Waist'),
        description: text(
          '年消费数千元至一万元的潜力客户（约占一半），每两周线上跟进，争取向头部转化。',
          'Customers with potential, spending a few thousand to 10,000 a year (about half), followed up online every two weeks.',
        ),
      },
      {
        key: LONG_TAIL,
        labels: text('长尾客户', 'Long tail'),
        description: text(
          '年消费不足一千元、只咨询未购买或偶尔购买的客户，每周推送内容培育。',
          'Customers spending under 1,000 a year, who enquired without buying or buy now and then; nurtured with weekly content.',
        ),
      },
      {
        key: DORMANT,
        labels: text('沉睡客户', 'Dormant'),
        description: text(
          '买过但超过 6 个月没有再购买的客户，需要专属优惠或关怀电话唤醒。',
          'Customers who have bought before but not for over 6 months; won back with offers or care calls.',
        ),
      },
    ],
    recency: {
      method: 'breaks',
      metric: 'recency_days',
      breaks: [
        { setting: 'rfm.recencyDays4' },
        { setting: 'rfm.recencyDays3' },
        { setting: 'rfm.recencyDays2' },
        { setting: 'rfm.recencyDays1' },
      ],
    },
    frequency: {
      method: 'breaks',
      metric: 'order_count_12m',
      breaks: [
        { setting: 'rfm.frequency2' },
        { setting: 'rfm.frequency3' },
        { setting: 'rfm.frequency4' },
        { setting: 'rfm.frequency5' },
      ],
    },
    monetary: {
      method: 'breaks',
      metric: 'amount_12m',
      breaks: [
        { setting: 'rfm.waistAmount' },
        { setting: 'rfm.headAmount' },
        { setting: 'valueLevels.midAmount' },
        { setting: 'valueLevels.highAmount' },
      ],
    },
    segments: [
      {
        tier: DORMANT,
        when: [
          { metric: 'order_count', op: 'gte', value: 1 },
          { metric: 'recency_days', op: 'gte', value: { setting: 'rfm.dormantDays' } },
        ],
      },
      { tier: HEAD, when: [{ metric: 'amount_12m', op: 'gt', value: { setting: 'rfm.headAmount' } }] },
      { tier: WAIST, when: [{ metric: 'amount_12m', op: 'gte', value: { setting: 'rfm.waistAmount' } }] },
    ],
    defaultTier: LONG_TAIL,
  },
  cadences: [
    {
      key: 'retail_head_visit',
      tier: HEAD,
      channels: ['visit', 'video_call'],
      interval: { every: { setting: 'cadences.headVisitMonths' }, unit: 'month' },
      labels: text('月度到店拜访或视频通话', 'Monthly store visit or video call'),
      goals: [text('年度复购金额增长 ≥ 20%', 'Annual repeat spend up ≥ 20 %')],
    },
    {
      key: 'retail_head_needs_review',
      tier: HEAD,
      channels: ['visit', 'phone'],
      interval: { every: { setting: 'cadences.headReviewMonths' }, unit: 'month' },
      labels: text('季度需求回顾', 'Quarterly needs review'),
    },
    {
      key: 'retail_waist_online',
      tier: WAIST,
      channels: ['wechat', 'online'],
      interval: { every: { setting: 'cadences.waistOnlineWeeks' }, unit: 'week' },
      labels: text('线上跟进（企业微信／小程序）', 'Online follow-up (WeCom or mini program)'),
    },
    {
      key: 'retail_long_tail_content',
      tier: LONG_TAIL,
      channels: ['content'],
      interval: { every: { setting: 'cadences.longTailContentWeeks' }, unit: 'week' },
      labels: text('推送新品与活动内容', 'Push new arrivals and offers'),
    },
    {
      key: 'retail_dormant_win_back',
      tier: DORMANT,
      channels: ['phone', 'sms'],
      interval: { every: { setting: 'cadences.dormantWinBackMonths' }, unit: 'month' },
      labels: text('沉睡客户唤醒（专属优惠或关怀电话）', 'Win back (personal offer or care call)'),
    },
  ],
  leadGrades: [
    {
      key: 'retail_lead_a',
      grade: 'A',
      labels: text('A 级：已询价或预约到店', 'A: asked for a price or booked a visit'),
      when: { field: 'intent', op: 'in', value: ['price', 'proposal', 'visit_booked'] },
      followUpWithinHours: { setting: 'leads.aHours' },
    },
    {
      key: 'retail_lead_b',
      grade: 'B',
      labels: text('B 级：咨询过商品', 'B: asked about products'),
      when: { field: 'intent', op: 'in', value: ['features', 'product_question'] },
      followUpWithinHours: { setting: 'leads.bHours' },
    },
    {
      key: 'retail_lead_c',
      grade: 'C',
      labels: text('C 级：仅浏览', 'C: only browsed'),
      followUpWithinHours: { setting: 'leads.cHours' },
    },
  ],
  leadRegradeRules: [
    {
      key: 'retail_regrade_engaged',
      labels: text(
        '3 天内打开邮件 1 次且点击链接 1 次 → 升一级',
        'Opened emails 1× and clicked a link within 3 days → up one grade',
      ),
      when: {
        all: [
          { behaviour: 'email_open', withinDays: 3, op: 'gte', value: 1 },
          { behaviour: 'link_click', withinDays: 3, op: 'gte', value: 1 },
        ],
      },
      change: { up: 1 },
    },
    {
      key: 'retail_regrade_form',
      labels: text('7 天内提交过表单 → 升一级', 'Submitted a form within 7 days → up one grade'),
      when: { behaviour: 'form_submit', withinDays: 7, op: 'gte', value: 1 },
      change: { up: 1 },
    },
    {
      key: 'retail_regrade_quiet',
      labels: text('长期无活动 → 降一级', 'No activity for a long time → down one grade'),
      when: { behaviour: 'days_since_last_activity', op: 'gte', value: { setting: 'leadRegrade.quietDays' } },
      change: { down: 1 },
    },
  ],
  surveys: [
    {
      key: 'retail_csat_after_purchase',
      kind: 'csat',
      labels: text('购后满意度回访', 'Post-purchase satisfaction'),
      description: text(
        '首单完成后发送，了解客户对商品和服务的满意度；给出 1–2 分的客户会生成跟进任务。',
        'Sent after the first order to learn how satisfied the customer is with the goods and the service; a score of 1–2 opens a follow-up task.',
      ),
      schedule: { after: 'first_order', delayDays: { setting: 'surveys.csatDelayDays' } },
      questions: [
        {
          key: 'overall',
          type: 'rating',
          scale: { min: 1, max: 5 },
          required: true,
          labels: text(
            '总体来说，您对这次购物满意吗？',
            'Overall, how satisfied are you with this purchase?',
          ),
        },
        {
          key: 'product',
          type: 'rating',
          scale: { min: 1, max: 5 },
          required: true,
          labels: text('商品的品质是否符合您的预期？', 'Did the product meet your expectations?'),
        },
        {
          key: 'service',
          type: 'rating',
          scale: { min: 1, max: 5 },
          labels: text(
            '您对导购服务和配送（或到店取货）满意吗？',
            'How satisfied are you with our staff and the delivery (or in-store pickup)?',
          ),
        },
        {
          key: 'liked',
          type: 'multi_choice',
          labels: text('您最满意的是哪些方面？（可多选）', 'What did you like most? (choose any)'),
          options: [
            option('quality', '商品品质', 'Product quality'),
            option('price', '价格优惠', 'Price and offers'),
            option('staff', '导购服务', 'Staff service'),
            option('delivery', '配送速度', 'Delivery speed'),
            option('after_sales', '售后服务', 'After-sales service'),
          ],
        },
        {
          key: 'improve',
          type: 'text',
          labels: text('还有哪些地方需要我们改进？', 'What could we do better?'),
        },
        {
          key: 'next_wants',
          type: 'multi_choice',
          labels: text(
            '接下来您还想了解哪些商品？（可多选）',
            'What would you like to hear about next? (choose any)',
          ),
          options: [
            option('new_arrivals', '新品上市', 'New arrivals'),
            option('member_offers', '会员优惠', 'Member offers'),
            option('gift_sets', '节日礼盒', 'Festival gift sets'),
            option('care', '保养与售后', 'Care and after-sales'),
          ],
          profile: { field: 'explicit_needs' },
        },
      ],
    },
    {
      key: 'retail_ticket_csat',
      kind: 'csat',
      labels: text('售后服务满意度', 'After-sales service satisfaction'),
      description: text(
        '工单关闭后发送，了解客户对这次问题处理的满意度；给出 1–2 分的客户会生成跟进任务。',
        'Sent when a ticket closes to learn how satisfied the customer is with how it was handled; a score of 1–2 opens a follow-up task.',
      ),
      schedule: { after: 'ticket_closed', delayDays: 0 },
      questions: [
        {
          key: 'handling',
          type: 'rating',
          scale: { min: 1, max: 5 },
          required: true,
          labels: text(
            '您对这次问题的处理满意吗？',
            'How satisfied are you with how we handled your request?',
          ),
        },
        {
          key: 'resolved',
          type: 'yes_no',
          required: true,
          labels: text('您的问题解决了吗？', 'Was your problem solved?'),
        },
        {
          key: 'comment',
          type: 'text',
          labels: text('还有什么想告诉我们的？', 'Anything else you would like to tell us?'),
        },
      ],
    },
    {
      key: 'retail_nps',
      kind: 'nps',
      labels: text('会员推荐意愿调研', 'Member recommendation survey'),
      description: text(
        '每半年询问头部、腰部和长尾会员向亲友推荐我们的可能性；0–6 分的会员会生成原因分析任务。',
        'Every half year: how likely head, waist and long-tail members are to recommend us to friends and family; a score of 0–6 opens a task to find the cause.',
      ),
      schedule: { every: 'half_year' },
      audience: { tiers: [HEAD, WAIST, LONG_TAIL] },
      questions: [
        {
          key: 'recommend',
          type: 'nps',
          required: true,
          labels: text(
            '您有多大可能向亲友推荐我们？',
            'How likely are you to recommend us to friends and family?',
          ),
        },
        {
          key: 'reason',
          type: 'text',
          labels: text('您给出这个分数的主要原因是什么？', 'What is the main reason for your score?'),
        },
      ],
    },
  ],
  reminders: [
    {
      key: 'retail_birthday_greeting',
      trigger: { on: 'birthday', offsetDays: -3 },
      channels: ['wechat', 'sms'],
      labels: text('生日问候与会员生日礼', 'Birthday greeting and member gift'),
    },
    {
      key: 'retail_first_order_call_back',
      trigger: { on: 'first_order', offsetDays: { setting: 'surveys.csatDelayDays' } },
      channels: ['phone'],
      labels: text('首单满意度回访', 'Satisfaction call after the first order'),
    },
    {
      key: 'retail_spring_festival',
      trigger: { on: 'holiday', holiday: 'spring_festival', offsetDays: -7 },
      channels: ['wechat', 'content'],
      labels: text('春节问候与年货推荐', 'Spring Festival greeting and gift ideas'),
      audience: { tiers: [HEAD, WAIST] },
    },
  ],
  // 指标目标: the retail plan's repurchase rate 45 % and satisfaction ≥ 92 %, average order
  // value +20 % is the tenant's own figure to set; a shopper's lead answered in time 95 %.
  kpiTargets: {
    repurchase_rate: 45,
    csat: 92,
    lead_sla_compliance: 95,
  },
  // 公海: leads go back quickly (a shopper's interest cools in days); head customers never.
  pool: {
    leads: [
      { grade: 'retail_lead_a', recycleAfterDays: 3 },
      { grade: 'retail_lead_b', recycleAfterDays: 7 },
      { grade: 'retail_lead_c', recycleAfterDays: 14 },
    ],
    leadDefaultDays: 14,
    customers: [
      { tier: HEAD, recycleAfterDays: null },
      { tier: WAIST, recycleAfterDays: 60 },
      { tier: LONG_TAIL, recycleAfterDays: 30 },
      { tier: DORMANT, recycleAfterDays: 30 },
    ],
    customerDefaultDays: null,
    warnDaysBefore: 2,
    dailyClaimLimit: 20,
  },
  // 会员成长值: 1 point per yuan spent, valid for two years; 老带新 earns the referrer 500 points or 10 % off.
  loyalty: {
    pointsPerYuan: 1,
    expiryMonths: 24,
    referralRules: [
      {
        key: 'retail_referral_points',
        labels: text('老带新奖励 500 成长值', '500 points for a referral'),
        reward: 'points',
        value: 500,
      },
      {
        key: 'retail_referral_discount',
        labels: text('老带新下单享 9 折', '10 % off for a referral'),
        reward: 'discount',
        value: 10,
      },
    ],
  },
  tickets: {
    categories: [
      { key: 'retail_product_quality', labels: text('商品质量', 'Product quality') },
      { key: 'retail_return_exchange', labels: text('退换货', 'Returns and exchanges') },
      { key: 'retail_delivery', labels: text('物流配送', 'Delivery') },
      { key: 'retail_store_service', labels: text('门店服务', 'In-store service') },
      { key: 'retail_membership', labels: text('会员与积分', 'Membership and points') },
      { key: 'retail_pricing', labels: text('价格与促销', 'Prices and promotions') },
    ],
    // Shoppers write at night and at weekends: counted in calendar time; 头部客户 are answered within 4 h.
    slaPolicies: [
      { firstResponseHours: 24, resolutionHours: 72, mode: 'calendar' },
      { tiers: [HEAD], firstResponseHours: 4, resolutionHours: 24, mode: 'calendar' },
      { priority: 'urgent', firstResponseHours: 2, resolutionHours: 24, mode: 'calendar' },
    ],
  },
  pipeline: {
    // A shopper's purchase is short: what they want, a visit or a trial with a quote, the sale.
    stages: [
      {
        key: 'retail_stage_intent',
        kind: 'open',
        labels: text('意向沟通', 'Intent'),
        probability: 30,
        actions: [
          { key: 'retail_action_needs', labels: text('了解购买需求', 'Learn what they want to buy') },
          {
            key: 'retail_action_invite',
            labels: text('邀约到店或试用', 'Invite to a store visit or a trial'),
          },
        ],
        gates: [{ minNeeds: 1 }],
      },
      {
        key: 'retail_stage_trial',
        kind: 'open',
        labels: text('到店体验', 'Visit and trial'),
        probability: 60,
        actions: [
          {
            key: 'retail_action_quote',
            labels: text('发送报价或优惠', 'Send a quote or an offer'),
            dueWithinHours: 24,
          },
        ],
        gates: [{ actionsDone: ['retail_action_quote'] }],
      },
      { key: 'retail_stage_won', kind: 'won', labels: text('成交', 'Won'), probability: 100 },
      { key: 'retail_stage_lost', kind: 'lost', labels: text('未成交', 'Lost'), probability: 0 },
    ],
    lostReasons: [
      { key: 'retail_lost_price', labels: text('价格原因', 'Price') },
      { key: 'retail_lost_stock', labels: text('缺货或款式不合适', 'Out of stock or wrong style') },
      { key: 'retail_lost_elsewhere', labels: text('在别家购买', 'Bought elsewhere') },
      { key: 'retail_lost_no_response', labels: text('联系不上', 'No response') },
    ],
  },
  lifecycle: {
    atRiskDays: { setting: 'lifecycle.atRiskDays' },
    dormantDays: { setting: 'rfm.dormantDays' },
    loyalOrders: { setting: 'lifecycle.loyalOrders' },
  },
  defaultCustomerKind: 'person',
  customFields: [
    {
      key: 'retail_member_card',
      type: 'text',
      labels: text('会员卡号', 'Membership card'),
      validation: {
        pattern: '^[A-Za-z0-9-]{4,32}$',
        patternMessage: text('须为 4–32 位字母、数字或连字符', 'must be 4–32 letters, digits or hyphens'),
      },
    },
    {
      key: 'retail_member_grade',
      type: 'enum',
      labels: text('会员等级', 'Member grade'),
      options: [
        option('silver', '银卡', 'Silver'),
        option('gold', '金卡', 'Gold'),
        option('diamond', '钻石卡', 'Diamond'),
      ],
    },
    {
      key: 'retail_preferred_channels',
      type: 'multi_enum',
      labels: text('偏好渠道', 'Preferred channels'),
      options: [
        option('store', '门店', 'Store'),
        option('mini_program', '小程序', 'Mini program'),
        option('live', '直播间', 'Live stream'),
      ],
    },
  ],
});
