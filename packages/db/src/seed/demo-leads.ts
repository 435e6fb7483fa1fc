import { sql, type Transaction } from 'kysely';
import type { Database, IndustryProfile } from '../tables';

/*
 * The demo's leads (线索, docs/leads-and-pipeline.md): in every grade (A/B/C by the plugin's
 * intent rules) and every state — new on track, due soon and overdue (breached, the manager
 * told with a 督办 task), contacted in time and late, qualified, converted to a customer,
 * disqualified with a reason, unassigned — each with its grade history, creation and moves,
 * logged contacts and its follow-up task on the task backbone. Deterministic and set-based.
 * Deadlines count the grade's hours on the calendar (the app counts business time).
 */

type Grade = { grade: string; key: string; hours: number };

const GRADES: Record<string, { a: Grade; b: Grade; c: Grade; aIntents: string[]; bIntents: string[] }> = {
  retail: {
    a: { grade: 'A', key: 'retail_lead_a', hours: 24 },
    b: { grade: 'B', key: 'retail_lead_b', hours: 48 },
    c: { grade: 'C', key: 'retail_lead_c', hours: 168 },
    aIntents: ['price', 'proposal', 'visit_booked'],
    bIntents: ['features', 'product_question'],
  },
  b2b: {
    a: { grade: 'A', key: 'b2b_lead_a', hours: 24 },
    b: { grade: 'B', key: 'b2b_lead_b', hours: 48 },
    c: { grade: 'C', key: 'b2b_lead_c', hours: 168 },
    aIntents: ['price', 'proposal'],
    bIntents: ['features'],
  },
  'corporate-banking': {
    a: { grade: 'A', key: 'corporate_banking_lead_a', hours: 24 },
    b: { grade: 'B', key: 'corporate_banking_lead_b', hours: 48 },
    c: { grade: 'C', key: 'corporate_banking_lead_c', hours: 168 },
    aIntents: ['price', 'proposal'],
    bIntents: ['features'],
  },
};

const LABELS: Record<string, Record<string, { 'zh-CN': string; en: string }>> = {
  A: { label: { 'zh-CN': 'A 级：已索要报价或方案', en: 'A: asked for a price or a proposal' } },
  B: { label: { 'zh-CN': 'B 级：咨询过产品功能', en: 'B: asked about features' } },
  C: { label: { 'zh-CN': 'C 级：仅浏览资料', en: 'C: only browsed' } },
};

const PEOPLE = [
  '王建国',
  '李晓梅',
  '张伟',
  '刘洋',
  '陈静',
  '杨帆',
  '赵磊',
  '黄丽',
  '周杰',
  '吴敏',
  '徐涛',
  '孙丽',
  '马超',
  '朱婷',
  '胡斌',
  '郭强',
  '何雪',
  '林峰',
  '高远',
  '罗佳',
  '郑浩',
  '梁爽',
  '宋佳',
  '谢磊',
  '唐糖',
  '韩梅',
  '冯刚',
  '董洁',
  '萧然',
  '程琳',
  '曹阳',
  '袁媛',
  '邓超',
  '许晴',
  '傅强',
  '沈悦',
];

const COMPANIES: Record<string, string[]> = {
  retail: ['', '', '星巴克企业采购部', '', '杭州云帆文化', '', '', '苏州悦家装饰', '', ''],
  b2b: [
    '苏州精工机械有限公司',
    '宁波海天塑机配套厂',
    '无锡恒达自动化',
    '常州新材科技',
    '合肥智造装备',
    '嘉兴振华五金',
    '昆山立讯精密配套',
    '南通中远重工配件',
    '温州正泰电气经销部',
    '东莞长盈模具',
  ],
  'corporate-banking': [
    '上海浦江贸易有限公司',
    '深圳前海跨境电商',
    '杭州西溪供应链',
    '苏州工业园区物流',
    '南京紫金医药',
    '宁波北仑港航服务',
    '广州天河商贸',
    '厦门海沧进出口',
    '青岛港湾冷链',
    '成都高新软件园',
  ],
};

const NEEDS: Record<string, string[]> = {
  retail: ['会员折扣', '企业团购', '到店试穿', '礼品包装'],
  b2b: ['产线自动化改造', '设备报价', '售后维保', '交期 30 天内'],
  'corporate-banking': ['对公开户', '跨境结算', '流动资金贷款', '代发工资'],
};

const CAMPAIGNS = ['2026 秋季展会', '官网询价', '老客户转介绍', ''];
const SOURCES = ['web_form', 'manual', 'event', 'referral', 'import', 'api'];
const DISQUALIFY = ['no_budget', 'no_need', 'no_response', 'competitor', 'invalid_contact', 'duplicate'];
const SUMMARIES = [
  '电话沟通了需求，约定下周发送方案',
  '微信发送了产品资料，对方表示会内部讨论',
  '上门拜访，见到采购负责人，确认预算范围',
  '电话未接通，已发短信说明来意',
];

/** One lead's plan: its state and where its clock stands. */
type Plan = {
  status: 'new' | 'contacted' | 'qualified' | 'converted' | 'disqualified';
  /** Hours since creation. */
  ageHours: number;
  grade: 'a' | 'b' | 'c';
  /** Contacted this many hours after creation (null: not yet). */
  contactAfterHours: number | null;
  owned: boolean;
};

/** 36 leads covering every grade × state, a few breached and some unassigned. */
function plans(): Plan[] {
  const out: Plan[] = [];
  const grades = ['a', 'b', 'c'] as const;
  for (const grade of grades) {
    const limit = grade === 'a' ? 24 : grade === 'b' ? 48 : 168;
    out.push(
      { status: 'new', ageHours: 2, grade, contactAfterHours: null, owned: true }, // on track
      { status: 'new', ageHours: limit - 2, grade, contactAfterHours: null, owned: true }, // due soon
      { status: 'new', ageHours: limit + 20, grade, contactAfterHours: null, owned: true }, // overdue, breached
      { status: 'new', ageHours: 5, grade, contactAfterHours: null, owned: false }, // unassigned
      { status: 'contacted', ageHours: limit * 2, grade, contactAfterHours: limit / 4, owned: true }, // in time
      { status: 'contacted', ageHours: limit * 3, grade, contactAfterHours: limit + 6, owned: true }, // late
      { status: 'qualified', ageHours: limit * 4, grade, contactAfterHours: 3, owned: true },
      { status: 'qualified', ageHours: 200, grade, contactAfterHours: 10, owned: true },
      { status: 'converted', ageHours: 480, grade, contactAfterHours: 4, owned: true },
      { status: 'disqualified', ageHours: 300, grade, contactAfterHours: 20, owned: true },
      { status: 'disqualified', ageHours: 400, grade, contactAfterHours: null, owned: true },
      { status: 'new', ageHours: 1, grade, contactAfterHours: null, owned: true },
    );
  }
  return out;
}

export async function seedDemoLeads(
  trx: Transaction<Database>,
  tenantId: string,
  industry: IndustryProfile,
  sellers: readonly string[],
  now: number,
): Promise<void> {
  const config = GRADES[industry] ?? GRADES.b2b;
  if (!config || sellers.length === 0) return;
  const companies = COMPANIES[industry] ?? COMPANIES.b2b ?? [];
  const needs = NEEDS[industry] ?? NEEDS.b2b ?? [];
  const customers = await trx
    .selectFrom('customers')
    .select(['id', 'name', 'kind'])
    .where('tenant_id', '=', tenantId)
    .where('archived_at', 'is', null)
    .orderBy('created_at')
    .limit(10)
    .execute();
  const rows = plans().map((plan, index) => {
    const grade = config[plan.grade];
    const intents = plan.grade === 'a' ? config.aIntents : plan.grade === 'b' ? config.bIntents : ['browsed'];
    const intent = intents[index % intents.length] as string;
    const created = now - plan.ageHours * 3_600_000 - index * 60_000;
    const due = created + grade.hours * 3_600_000;
    const contact = plan.contactAfterHours === null ? null : created + plan.contactAfterHours * 3_600_000;
    const owner = plan.owned ? (sellers[index % sellers.length] as string) : null;
    const person = PEOPLE[index % PEOPLE.length] as string;
    const company = companies[index % companies.length] || null;
    const open = plan.status === 'new' || plan.status === 'contacted' || plan.status === 'qualified';
    const breached = open && contact === null && due < now;
    const convertedTo =
      plan.status === 'converted' ? (customers[index % Math.max(1, customers.length)] ?? null) : null;
    const customer = convertedTo?.id ?? null;
    return {
      ordinal: index,
      person_name: convertedTo && convertedTo.kind !== 'company' ? convertedTo.name : person,
      // A converted lead is the customer it became: its company is that customer's name (a
      // lead of another company on a customer's timeline reads as a mistake).
      company_name: convertedTo ? (convertedTo.kind === 'company' ? convertedTo.name : null) : company,
      phone: `13${String(800000000 + index * 7919 + tenantId.charCodeAt(0) * 13).slice(0, 9)}`,
      email: index % 3 === 2 ? null : `lead${index}.${tenantId.slice(0, 4)}@example.com`,
      source: SOURCES[index % SOURCES.length],
      campaign: CAMPAIGNS[index % CAMPAIGNS.length] || null,
      intent,
      needs: [needs[index % needs.length], ...(index % 2 === 0 ? [needs[(index + 1) % needs.length]] : [])],
      budget: plan.grade === 'c' ? null : 20000 + (index % 7) * 15000,
      owner_user_id: owner,
      status: plan.status === 'converted' && !customer ? 'qualified' : plan.status,
      disqualify_reason: plan.status === 'disqualified' ? DISQUALIFY[index % DISQUALIFY.length] : null,
      grade: grade.grade,
      grade_key: grade.key,
      grade_reason: {
        rule: grade.key,
        grade: grade.grade,
        labels: LABELS[grade.grade]?.label,
        when: plan.grade === 'c' ? null : { field: 'intent', op: 'in', value: intents },
        followUpWithinHours: grade.hours,
        facts: plan.grade === 'c' ? {} : { intent },
      },
      hours: grade.hours,
      created_at: new Date(created).toISOString(),
      due_at: new Date(due).toISOString(),
      contact_at: contact === null ? null : new Date(contact).toISOString(),
      contact_minutes: plan.contactAfterHours === null ? null : Math.round(plan.contactAfterHours * 60),
      breached_at: breached ? new Date(due + 10 * 60_000).toISOString() : null,
      summary: SUMMARIES[index % SUMMARIES.length],
      customer_id: customer,
      converted_at: customer ? new Date(created + 240 * 3_600_000).toISOString() : null,
      status_at: new Date(contact ?? created).toISOString(),
    };
  });
  await sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
        ordinal int, person_name text, company_name text, phone text, email text, source text, campaign text,
        intent text, needs text[], budget numeric, owner_user_id uuid, status text, disqualify_reason text,
        grade text, grade_key text, grade_reason jsonb, hours numeric, created_at timestamptz, due_at timestamptz,
        contact_at timestamptz, contact_minutes int, breached_at timestamptz, summary text, customer_id uuid,
        converted_at timestamptz, status_at timestamptz)
    ),
    inserted as (
      insert into leads (tenant_id, person_name, company_name, phone, email, source, campaign, intent, needs, budget,
        owner_user_id, team_id, assigned_at, status, status_changed_at, disqualify_reason, grade, grade_key,
        grade_reason, graded_at, follow_up_hours, follow_up_due_at, follow_up_done_at, first_contact_at,
        first_contact_minutes, last_contact_at, contact_count, sla_breached_at, sla_escalated_at,
        converted_customer_id, converted_at, created_at, updated_at)
      select ${tenantId}, i.person_name, i.company_name, i.phone, i.email, i.source, i.campaign, i.intent, i.needs,
        i.budget, i.owner_user_id, m.team_id, case when i.owner_user_id is not null then i.created_at end, i.status,
        i.status_at, i.disqualify_reason, i.grade, i.grade_key, i.grade_reason, i.created_at, i.hours, i.due_at,
        i.contact_at, i.contact_at, i.contact_minutes, i.contact_at, case when i.contact_at is null then 0 else 1 end,
        i.breached_at, i.breached_at, i.customer_id, i.converted_at, i.created_at, i.status_at
      from input i
      left join memberships m on m.tenant_id = ${tenantId} and m.user_id = i.owner_user_id
      order by i.ordinal
      returning id, person_name, company_name, owner_user_id, team_id, created_at
    ),
    joined as (
      select n.id, n.team_id, i.* from inserted n
      join input i on i.created_at = n.created_at and i.person_name = n.person_name
    ),
    grades as (
      insert into lead_grade_history (tenant_id, lead_id, to_grade, to_key, by_kind, rule_key, reason, changed_at)
      select ${tenantId}, j.id, j.grade, j.grade_key, 'grade_rule', j.grade_key, j.grade_reason, j.created_at from joined j
    ),
    created as (
      insert into lead_history (tenant_id, lead_id, kind, to_status, to_owner_id, to_team_id, reason, changed_at)
      select ${tenantId}, j.id, 'created', 'new', j.owner_user_id, j.team_id,
        case when j.owner_user_id is not null then 'manual' end, j.created_at
      from joined j
    ),
    moves as (
      insert into lead_history (tenant_id, lead_id, kind, from_status, to_status, reason, changed_by, changed_at)
      select ${tenantId}, j.id, 'status', 'new', j.status, j.disqualify_reason, j.owner_user_id, j.status_at
      from joined j where j.status <> 'new'
    ),
    contacts as (
      insert into lead_activities (tenant_id, lead_id, kind, occurred_at, summary, user_id)
      select ${tenantId}, j.id, 'call', j.contact_at, j.summary, j.owner_user_id from joined j where j.contact_at is not null
    ),
    follow_ups as (
      insert into tasks (tenant_id, title, type, related_kind, related_id, owner_user_id, team_id, due_on, due_at, priority,
        status, status_reason, closed_at, source, source_key, created_at)
      select ${tenantId}, '跟进 ' || j.grade || ' 级线索：' || coalesce(j.company_name, j.person_name), 'follow_up', 'lead', j.id,
        j.owner_user_id, j.team_id, (j.due_at at time zone 'Asia/Shanghai')::date, j.due_at,
        case when j.hours <= 24 then 'high' else 'normal' end,
        case when j.contact_at is not null then 'done' when j.status in ('new', 'contacted', 'qualified') then 'open' else 'done' end,
        case when j.contact_at is not null then 'contacted' when j.status = 'disqualified' then 'disqualified'
          when j.status = 'converted' then 'converted' end,
        case when j.contact_at is not null then j.contact_at when j.status not in ('new', 'contacted', 'qualified') then j.status_at end,
        'rule', 'lead:follow-up:' || j.id || ':' || j.grade_key || ':seed', j.created_at
      from joined j
    ),
    escalations as (
      insert into tasks (tenant_id, title, type, related_kind, related_id, owner_user_id, due_on, due_at, priority,
        source, source_key, created_at)
      select ${tenantId}, '督办：' || j.grade || ' 级线索超时未跟进：' || coalesce(j.company_name, j.person_name), 'follow_up',
        'lead', j.id, mgr.user_id, (j.breached_at at time zone 'Asia/Shanghai')::date, j.breached_at, 'urgent', 'rule',
        'lead:escalation:' || j.id || ':seed', j.breached_at
      from joined j
      cross join lateral (
        select user_id from memberships where tenant_id = ${tenantId}
          and ((role = 'sales_manager' and team_id = j.team_id) or role in ('admin', 'owner'))
        order by (role = 'sales_manager') desc, user_id limit 1
      ) mgr
      where j.breached_at is not null
    )
    select 1`.execute(trx);
}
