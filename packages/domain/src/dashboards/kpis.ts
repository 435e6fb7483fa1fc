/**
 * The KPI catalogue (数据看板的指标): every figure the dashboards and the workbench show, declared
 * once — its key, unit, which way is better, the playbooks' target (a tenant may change it),
 * the capability whose tables it reads, the dashboards it sits on, what a breakdown groups
 * by, where a click leads, and its definition in zh-CN and en (shown as help and in
 * docs/dashboards.md). The SQL of each lives in packages/api/src/dashboards/.
 */

import type { Dashboard } from './keys';

export const KPI_UNITS = ['count', 'percent', 'currency', 'hours', 'days'] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];

/** What a KPI's breakdown groups by: a chart's categories. */
export const KPI_BREAKDOWNS = [
  'tier',
  'stage',
  'month',
  'owner',
  'move',
  'source',
  'grade',
  'funnel',
  'pipeline_stage',
  'none',
] as const;
export type KpiBreakdown = (typeof KPI_BREAKDOWNS)[number];

/** Whose tables a KPI reads: a capability not yet built leaves its figures empty (`available: false`). */
export const KPI_SOURCES = [
  'customers',
  'orders',
  'lifecycle',
  'tiering',
  'tasks',
  'plans',
  'tickets',
  'leads',
  'opportunities',
  'surveys',
] as const;
export type KpiSource = (typeof KPI_SOURCES)[number];

/**
 * Where a click on a KPI's chart leads: the customer list filtered to the KPI's customers, the
 * tasks, the tickets, the leads (created in the period, of the bar's source, grade or owner),
 * the opportunities.
 */
export type KpiDrill = 'customers' | 'tasks' | 'tickets' | 'leads' | 'opportunities' | null;

/** The steps of the lead funnel (线索漏斗): how far the leads of a period went. */
export const LEAD_FUNNEL_STEPS = ['created', 'contacted', 'qualified', 'converted'] as const;
export type LeadFunnelStep = (typeof LEAD_FUNNEL_STEPS)[number];

type Text = { 'zh-CN': string; en: string };

export type KpiDefinition = {
  key: string;
  unit: KpiUnit;
  /** Which way is good: against the target, 'higher' meets it at or above, 'lower' at or below. */
  better: 'higher' | 'lower';
  /** The playbooks' figure; null: none given (a tenant may still set one). */
  target: number | null;
  source: KpiSource;
  dashboards: readonly Dashboard[];
  breakdown: KpiBreakdown;
  /** A second grouping drawn as one line per value (NPS per month, a line per tier). */
  series?: 'tier';
  /** A figure of now (customers per tier) rather than of the period: no comparison with earlier periods. */
  snapshot: boolean;
  drill: KpiDrill;
  label: Text;
  definition: Text;
};

const kpi = (definition: KpiDefinition) => definition;

export const KPI_CATALOGUE = [
  kpi({
    key: 'customers_total',
    unit: 'count',
    better: 'higher',
    target: null,
    source: 'customers',
    dashboards: ['management', 'operations'],
    breakdown: 'tier',
    snapshot: true,
    drill: 'customers',
    label: { 'zh-CN': '客户数（按分层）', en: 'Customers by tier' },
    definition: {
      'zh-CN': '当前未归档的客户数，按客户分层统计；未分层的计入“未分层”。',
      en: 'Customers not archived, now, counted per tier; those without a tier count as "no tier".',
    },
  }),
  kpi({
    key: 'customers_by_stage',
    unit: 'count',
    better: 'higher',
    target: null,
    source: 'lifecycle',
    dashboards: ['operations'],
    breakdown: 'stage',
    snapshot: true,
    drill: 'customers',
    label: { 'zh-CN': '客户数（按生命周期）', en: 'Customers by lifecycle stage' },
    definition: {
      'zh-CN': '当前未归档的客户数，按生命周期阶段（潜在、新客、复购、忠诚、风险、沉睡）统计。',
      en: 'Customers not archived, now, per lifecycle stage (potential, new, returning, loyal, at risk, dormant).',
    },
  }),
  kpi({
    key: 'new_customers',
    unit: 'count',
    better: 'higher',
    target: null,
    source: 'orders',
    dashboards: ['management', 'operations'],
    breakdown: 'month',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '新增成交客户', en: 'New customers' },
    definition: {
      'zh-CN': '首次成交日期落在期内的客户数，按月统计。',
      en: 'Customers whose first deal falls in the period, per month.',
    },
  }),
  kpi({
    key: 'tier_moves',
    unit: 'count',
    better: 'higher',
    target: null,
    source: 'tiering',
    dashboards: ['operations'],
    breakdown: 'move',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '分层变动', en: 'Tier moves' },
    definition: {
      'zh-CN': '期内分层发生变化的次数，按“原分层 → 新分层”统计（首次分层计作从“未分层”移入）。',
      en: 'Tier changes in the period, per "from tier → to tier" (a first placement moves from "no tier").',
    },
  }),
  kpi({
    key: 'repurchase_rate',
    unit: 'percent',
    better: 'higher',
    target: 45,
    source: 'orders',
    dashboards: ['management', 'operations'],
    breakdown: 'tier',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '复购率', en: 'Repurchase rate' },
    definition: {
      'zh-CN': '期内下单的客户中，截至期末累计有 2 笔及以上已完成订单的客户所占比例。',
      en: 'Of the customers with a completed order in the period, the share with two or more completed orders by the end of the period.',
    },
  }),
  kpi({
    key: 'retention_rate',
    unit: 'percent',
    better: 'higher',
    target: 90,
    source: 'lifecycle',
    dashboards: ['management', 'operations'],
    breakdown: 'tier',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '客户留存率', en: 'Retention rate' },
    definition: {
      'zh-CN':
        '期初已成交且未沉睡的客户中，期内没有转入沉睡（流失）的比例，按分层统计（战略客户目标 ≥ 90%）。',
      en: 'Of the customers who had dealt and were not dormant at the start of the period, the share that did not turn dormant (churn) in it, per tier (strategic: ≥ 90 %).',
    },
  }),
  kpi({
    key: 'churn_rate',
    unit: 'percent',
    better: 'lower',
    target: null,
    source: 'lifecycle',
    dashboards: ['management', 'operations', 'service'],
    breakdown: 'tier',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '流失率', en: 'Churn rate' },
    definition: {
      'zh-CN': '期初已成交且未沉睡的客户中，期内转入沉睡（超过设定天数未成交）的比例；即 1 − 留存率。',
      en: 'Of the customers who had dealt and were not dormant at the start of the period, the share that turned dormant (no deal for the set number of days) in it: 1 − retention.',
    },
  }),
  kpi({
    key: 'average_order_value',
    unit: 'currency',
    better: 'higher',
    target: null,
    source: 'orders',
    dashboards: ['management', 'sales'],
    breakdown: 'month',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '客单价', en: 'Average order value' },
    definition: {
      'zh-CN': '期内已完成订单的金额合计 ÷ 订单数（租户币种），按月统计。',
      en: 'The amount of the completed orders in the period ÷ their number (in the tenant currency), per month.',
    },
  }),
  kpi({
    key: 'revenue_by_tier',
    unit: 'currency',
    better: 'higher',
    target: null,
    source: 'orders',
    dashboards: ['management', 'sales'],
    breakdown: 'tier',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '成交金额（按分层）', en: 'Revenue by tier' },
    definition: {
      'zh-CN': '期内已完成订单的金额合计（租户币种），按客户当前分层统计。',
      en: 'The amount of the completed orders in the period (in the tenant currency), per the customer’s current tier.',
    },
  }),
  kpi({
    key: 'cross_sell_share',
    unit: 'percent',
    better: 'higher',
    target: null,
    source: 'orders',
    dashboards: ['sales'],
    breakdown: 'tier',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '交叉销售占比', en: 'Cross-sell share' },
    definition: {
      'zh-CN': '期内下单的客户中，期内购买了 2 种及以上不同产品的客户所占比例。',
      en: 'Of the customers with a completed order in the period, the share that bought two or more different products in it.',
    },
  }),
  kpi({
    key: 'completeness_average',
    unit: 'percent',
    better: 'higher',
    target: 90,
    source: 'customers',
    dashboards: ['management', 'operations'],
    breakdown: 'tier',
    snapshot: true,
    drill: 'customers',
    label: { 'zh-CN': '资料完整度（平均）', en: 'Data completeness (average)' },
    definition: {
      'zh-CN': '当前客户资料完整度（关键字段填写比例）的平均值，目标 ≥ 90%。',
      en: 'The average completeness of the customers’ profiles (the share of key fields filled), now; goal ≥ 90 %.',
    },
  }),
  kpi({
    key: 'completeness_share',
    unit: 'percent',
    better: 'higher',
    target: 90,
    source: 'customers',
    dashboards: ['operations'],
    breakdown: 'tier',
    snapshot: true,
    drill: 'customers',
    label: { 'zh-CN': '资料完整度达标率', en: 'Profiles ≥ 90 % complete' },
    definition: {
      'zh-CN': '当前资料完整度达到 90% 及以上的客户所占比例。',
      en: 'The share of customers whose profile is at least 90 % complete, now.',
    },
  }),
  kpi({
    key: 'stale_profiles',
    unit: 'percent',
    better: 'lower',
    target: null,
    source: 'customers',
    dashboards: ['operations'],
    breakdown: 'tier',
    snapshot: true,
    drill: 'customers',
    label: { 'zh-CN': '久未更新资料占比', en: 'Stale profiles' },
    definition: {
      'zh-CN': '超过 30 天未更新的客户资料所占比例。',
      en: 'The share of customer profiles not updated for 30 days.',
    },
  }),
  kpi({
    key: 'customers_per_rep',
    unit: 'count',
    better: 'higher',
    target: 110,
    source: 'customers',
    dashboards: ['management', 'sales'],
    breakdown: 'owner',
    snapshot: true,
    drill: 'customers',
    label: { 'zh-CN': '人均管理客户数', en: 'Customers per rep' },
    definition: {
      'zh-CN': '当前有负责人的客户数 ÷ 负责人数，按负责人统计（目标由 80 提升到 110）。',
      en: 'Customers with an owner ÷ the number of owners, now, per owner (goal: from 80 to 110).',
    },
  }),
  kpi({
    key: 'plan_task_completion',
    unit: 'percent',
    better: 'higher',
    target: null,
    source: 'plans',
    dashboards: ['operations'],
    breakdown: 'tier',
    snapshot: false,
    drill: 'tasks',
    label: { 'zh-CN': '维护计划完成率', en: 'Maintenance plan completion' },
    definition: {
      'zh-CN': '期内到期的维护计划任务中，已完成的比例，按客户分层统计。',
      en: 'Of the maintenance-plan tasks due in the period, the share done, per the customer’s tier.',
    },
  }),
  kpi({
    key: 'contact_cadence_compliance',
    unit: 'percent',
    better: 'higher',
    target: null,
    source: 'plans',
    dashboards: ['operations'],
    breakdown: 'tier',
    snapshot: false,
    drill: 'tasks',
    label: { 'zh-CN': '联系频率达标率', en: 'Contact cadence compliance' },
    definition: {
      'zh-CN': '期内到期的维护计划任务中，在到期日当天或之前完成的比例。',
      en: 'Of the maintenance-plan tasks due in the period, the share done on or before their due day.',
    },
  }),
  kpi({
    key: 'task_sla_compliance',
    unit: 'percent',
    better: 'higher',
    target: null,
    source: 'tasks',
    dashboards: ['operations', 'sales'],
    breakdown: 'owner',
    snapshot: false,
    drill: 'tasks',
    label: { 'zh-CN': '任务按时完成率', en: 'Tasks done on time' },
    definition: {
      'zh-CN': '期内到期的任务（不含已取消、已跳过）中，在到期日当天或之前完成的比例，按负责人统计。',
      en: 'Of the tasks due in the period (not cancelled or skipped), the share done on or before their due day, per owner.',
    },
  }),
  kpi({
    key: 'overdue_tasks',
    unit: 'count',
    better: 'lower',
    target: 0,
    source: 'tasks',
    dashboards: ['operations', 'sales', 'service'],
    breakdown: 'owner',
    snapshot: true,
    drill: 'tasks',
    label: { 'zh-CN': '逾期任务', en: 'Overdue tasks' },
    definition: {
      'zh-CN': '当前未完成且已过到期日的任务数，按负责人统计。',
      en: 'Open tasks past their due day, now, per owner.',
    },
  }),
  kpi({
    key: 'ticket_closure_rate',
    unit: 'percent',
    better: 'higher',
    target: 98,
    source: 'tickets',
    dashboards: ['management', 'service'],
    breakdown: 'month',
    snapshot: false,
    drill: 'tickets',
    label: { 'zh-CN': '工单结案率', en: 'Ticket closure rate' },
    definition: {
      'zh-CN': '期内新建的工单中，已解决或已关闭的比例，按月统计。',
      en: 'Of the tickets opened in the period, the share resolved or closed, per month.',
    },
  }),
  kpi({
    key: 'ticket_first_response_hours',
    unit: 'hours',
    better: 'lower',
    target: 12,
    source: 'tickets',
    dashboards: ['service'],
    breakdown: 'month',
    snapshot: false,
    drill: 'tickets',
    label: { 'zh-CN': '工单首次响应时长', en: 'Ticket first response' },
    definition: {
      'zh-CN':
        '期内新建且已响应的工单，从创建到首次回复的平均时长（按 SLA 计时口径，小时；目标由 48 小时缩短到 12 小时）。',
      en: 'For the tickets opened in the period and answered, the mean time from opening to the first reply (in the SLA’s time, hours; goal: from 48 h to 12 h).',
    },
  }),
  kpi({
    key: 'ticket_resolution_hours',
    unit: 'hours',
    better: 'lower',
    target: 72,
    source: 'tickets',
    dashboards: ['service'],
    breakdown: 'month',
    snapshot: false,
    drill: 'tickets',
    label: { 'zh-CN': '工单解决时长', en: 'Ticket resolution time' },
    definition: {
      'zh-CN':
        '期内新建且已解决的工单，从创建到解决的平均时长（按 SLA 计时口径，小时；目标 72 小时内结案）。',
      en: 'For the tickets opened in the period and resolved, the mean time from opening to resolution (in the SLA’s time, hours; goal: closed within 72 h).',
    },
  }),
  kpi({
    key: 'ticket_sla_compliance',
    unit: 'percent',
    better: 'higher',
    target: null,
    source: 'tickets',
    dashboards: ['service'],
    breakdown: 'month',
    snapshot: false,
    drill: 'tickets',
    label: { 'zh-CN': '工单响应达标率', en: 'Tickets answered within SLA' },
    definition: {
      'zh-CN': '期内新建且已响应的工单中，在 SLA 时限内首次回复的比例。',
      en: 'Of the tickets opened in the period and answered, the share first answered within the SLA.',
    },
  }),
  // Leads and conversion (线索与转化): the leads created in the period, how far they went.
  kpi({
    key: 'lead_funnel',
    unit: 'count',
    better: 'higher',
    target: null,
    source: 'leads',
    dashboards: ['management', 'sales'],
    breakdown: 'funnel',
    snapshot: false,
    drill: 'leads',
    label: { 'zh-CN': '线索漏斗', en: 'Lead funnel' },
    definition: {
      'zh-CN':
        '期内新建的线索数，及其中已联系（有首次联系或已进入后续状态）、已确认（曾为已确认或已转化）、已转化的数量。',
      en: 'The leads created in the period, and of them those contacted (a first contact, or a later status), qualified (qualified at some point, or converted) and converted.',
    },
  }),
  kpi({
    key: 'lead_conversion_rate',
    unit: 'percent',
    better: 'higher',
    target: 18.75,
    source: 'leads',
    dashboards: ['management', 'sales'],
    breakdown: 'source',
    snapshot: false,
    drill: 'leads',
    label: { 'zh-CN': '线索转化率（按来源）', en: 'Lead conversion by source' },
    definition: {
      'zh-CN':
        '期内新建的线索中，截至目前已转化（转为客户和商机）的比例，按来源统计（目标由 15% 提升到 18.75%）。',
      en: 'Of the leads created in the period, the share converted (to a customer and an opportunity) by now, per source (goal: from 15 % to 18.75 %).',
    },
  }),
  kpi({
    key: 'lead_conversion_by_grade',
    unit: 'percent',
    better: 'higher',
    target: null,
    source: 'leads',
    dashboards: ['sales'],
    breakdown: 'grade',
    snapshot: false,
    drill: 'leads',
    label: { 'zh-CN': '线索转化率（按等级）', en: 'Lead conversion by grade' },
    definition: {
      'zh-CN': '同线索转化率，按线索当前等级统计（高价值线索的转化率目标 > 60%）。',
      en: 'The lead conversion rate, per the lead’s current grade (the playbooks want high-value leads above 60 %).',
    },
  }),
  kpi({
    key: 'lead_conversion_by_rep',
    unit: 'percent',
    better: 'higher',
    target: null,
    source: 'leads',
    dashboards: ['sales'],
    breakdown: 'owner',
    snapshot: false,
    drill: 'leads',
    label: { 'zh-CN': '线索转化率（按销售）', en: 'Lead conversion by rep' },
    definition: {
      'zh-CN': '同线索转化率，按线索当前负责人统计。',
      en: 'The lead conversion rate, per the lead’s current owner.',
    },
  }),
  kpi({
    key: 'lead_first_contact_hours',
    unit: 'hours',
    better: 'lower',
    target: null,
    source: 'leads',
    dashboards: ['sales'],
    breakdown: 'grade',
    snapshot: false,
    drill: 'leads',
    label: { 'zh-CN': '线索首次联系时长', en: 'Time to first contact' },
    definition: {
      'zh-CN': '期内新建且已联系的线索，从创建到首次联系的平均时长（按工作日历计的工作小时），按等级统计。',
      en: 'For the leads created in the period and contacted, the mean time from creation to the first contact (business hours of the work calendar), per grade.',
    },
  }),
  kpi({
    key: 'lead_sla_compliance',
    unit: 'percent',
    better: 'higher',
    target: null,
    source: 'leads',
    dashboards: ['management', 'sales'],
    breakdown: 'grade',
    snapshot: false,
    drill: 'leads',
    label: { 'zh-CN': '线索跟进及时率', en: 'Leads contacted within SLA' },
    definition: {
      'zh-CN':
        '期内新建、有跟进时限且时限已到或已联系的线索中，在时限内首次联系的比例（A 级 24 小时、B 级 48 小时、C 级 1 周，以行业插件为准），按等级统计。',
      en: 'Of the leads created in the period with a follow-up deadline that has passed or been met, the share first contacted by it (A 24 h, B 48 h, C a week, as the industry plugin says), per grade.',
    },
  }),
  // Opportunities (商机).
  kpi({
    key: 'sales_cycle_days',
    unit: 'days',
    better: 'lower',
    target: 42,
    source: 'opportunities',
    dashboards: ['management', 'sales'],
    breakdown: 'month',
    snapshot: false,
    drill: 'opportunities',
    label: { 'zh-CN': '销售周期', en: 'Sales cycle' },
    definition: {
      'zh-CN':
        '期内赢单的商机，从线索创建（无线索时为商机创建）到赢单的平均天数，按赢单月份统计（目标由 60 天缩短到 42 天）。',
      en: 'For the opportunities won in the period, the mean days from the lead’s creation (the deal’s, without a lead) to the win, per month of the win (goal: from 60 to 42 days).',
    },
  }),
  kpi({
    key: 'win_rate',
    unit: 'percent',
    better: 'higher',
    target: null,
    source: 'opportunities',
    dashboards: ['management', 'sales'],
    breakdown: 'owner',
    snapshot: false,
    drill: 'opportunities',
    label: { 'zh-CN': '赢单率', en: 'Win rate' },
    definition: {
      'zh-CN': '期内赢单或输单的商机中，赢单的比例，按负责人统计。',
      en: 'Of the opportunities won or lost in the period, the share won, per owner.',
    },
  }),
  kpi({
    key: 'pipeline_value',
    unit: 'currency',
    better: 'higher',
    target: null,
    source: 'opportunities',
    dashboards: ['management', 'sales'],
    breakdown: 'pipeline_stage',
    snapshot: true,
    drill: 'opportunities',
    label: { 'zh-CN': '在途商机金额', en: 'Pipeline value' },
    definition: {
      'zh-CN': '当前进行中的商机（未赢单、未输单）的预计金额合计（租户币种），按阶段统计。',
      en: 'The amount of the open opportunities (neither won nor lost), now, in the tenant currency, per stage.',
    },
  }),
  // Satisfaction (满意度): the surveys' answers, per month with a line per tier.
  kpi({
    key: 'nps',
    unit: 'count',
    better: 'higher',
    target: null,
    source: 'surveys',
    dashboards: ['management', 'service'],
    breakdown: 'month',
    series: 'tier',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '净推荐值（NPS）', en: 'Net Promoter Score' },
    definition: {
      'zh-CN':
        '期内 NPS 问卷答复中推荐者（9–10 分）占比减去贬损者（0–6 分）占比，按月统计，每个分层（答复时的分层）一条线。',
      en: 'Of the NPS answers in the period, % promoters (9–10) − % detractors (0–6), per month, a line per tier (the tier when answering).',
    },
  }),
  kpi({
    key: 'csat',
    unit: 'percent',
    better: 'higher',
    target: 92,
    source: 'surveys',
    dashboards: ['management', 'service'],
    breakdown: 'month',
    series: 'tier',
    snapshot: false,
    drill: 'customers',
    label: { 'zh-CN': '客户满意度（CSAT）', en: 'Customer satisfaction (CSAT)' },
    definition: {
      'zh-CN':
        '期内满意度（CSAT）问卷答复中满意（折算 0–100 分达 75 分，即 5 分制的 4–5 分）的比例，按月统计，每个分层一条线（目标 ≥ 92%）。',
      en: 'Of the CSAT answers in the period, the share satisfied (75 or more on 0–100: 4–5 of 5), per month, a line per tier (goal ≥ 92 %).',
    },
  }),
] as const satisfies readonly KpiDefinition[];

export type KpiKey = (typeof KPI_CATALOGUE)[number]['key'];

export function kpiDefinition(key: KpiKey): KpiDefinition {
  const found = KPI_CATALOGUE.find((entry) => entry.key === key);
  if (!found) throw new Error(`unknown KPI ${key}`);
  return found;
}

/** The KPIs whose click opens the customer list filtered to the customers behind the figure. */
export const CUSTOMER_DRILL_KPIS = KPI_CATALOGUE.filter((entry) => entry.drill === 'customers').map(
  (entry) => entry.key,
) as [KpiKey, ...KpiKey[]];

export type KpiStatus = 'green' | 'amber' | 'red';

/**
 * A figure against its target: green when met, amber when short by at most a tenth of the
 * target (for a target of 0, by at most 1), red beyond; null without a figure or a target.
 */
export function kpiStatus(
  value: number | null,
  target: number | null,
  better: 'higher' | 'lower',
): KpiStatus | null {
  if (value === null || target === null) return null;
  const shortfall = better === 'higher' ? target - value : value - target;
  if (shortfall <= 0) return 'green';
  const tolerance = target === 0 ? 1 : Math.abs(target) / 10;
  return shortfall <= tolerance ? 'amber' : 'red';
}

/** A CSAT answer counts as satisfied from this score on 0–100 (4 of 5). */
export const CSAT_SATISFIED_FROM = 75;

/** NPS: % promoters (9–10) − % detractors (0–6) of the NPS answers, one decimal; null without any. */
export function netPromoterScore(promoters: number, detractors: number, answers: number): number | null {
  if (answers === 0) return null;
  return Math.round(((promoters - detractors) / answers) * 1000) / 10;
}

/** A share as a percentage rounded to one decimal; null when nothing is counted. */
export function percentOf(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/**
 * 线索转化率, the one definition 商机 → 销售指标 and the dashboards both show: of the leads created
 * in the period, the share converted by now (the set: `periodLeads`, api dashboards/segments.sql.ts).
 */
export function leadConversionRate(converted: number, created: number): number | null {
  return percentOf(converted, created);
}

/**
 * 赢单率, the one definition 商机 → 销售指标 and the dashboards both show: of the opportunities won
 * or lost in the period, the share won (the set: `closedOpportunities`, api dashboards/segments.sql.ts).
 */
export function winRate(won: number, closed: number): number | null {
  return percentOf(won, closed);
}

/** The period before [from, to) of the same length, and the same period a year earlier. */
export function comparisonPeriods(
  from: string,
  to: string,
): { previous: { from: string; to: string }; lastYear: { from: string; to: string } } {
  const day = 86_400_000;
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const length = Math.round((end - start) / day);
  const iso = (time: number) => new Date(time).toISOString().slice(0, 10);
  const yearEarlier = (date: string) => {
    const [year, rest] = [Number(date.slice(0, 4)), date.slice(4)];
    // 29 February a year earlier is 28 February.
    return rest === '-02-29' ? `${year - 1}-02-28` : `${year - 1}${rest}`;
  };
  return {
    previous: { from: iso(start - length * day), to: from },
    lastYear: { from: yearEarlier(from), to: yearEarlier(to) },
  };
}
