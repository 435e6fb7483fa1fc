import { sql, type Transaction } from 'kysely';
import type { Database, IndustryProfile } from '../tables';

/*
 * The demo's 公海 and assignment rules (docs/leads-and-pipeline.md): per tenant, two lead
 * rules (web forms round robin in the sales team, 华东 by load) and one customer rule; a
 * tenant override of the lowest lead grade's recycle days; a pool of leads released by reps
 * with their reasons, recycled or matched by no rule; and a dozen quiet customers their
 * owners released (none with tasks, so every rep's task list stays on their own customers).
 * Set-based; deterministic by rank.
 */

const POOL_LEADS: Record<string, { person: string; company: string; region: string; industry: string }[]> = {
  b2b: [
    { person: '周建国', company: '苏州恒力精密机械有限公司', region: '江苏', industry: '机械制造' },
    { person: '吴海燕', company: '宁波东联模具有限公司', region: '浙江', industry: '模具' },
    { person: '郑立新', company: '合肥科锐电子科技有限公司', region: '安徽', industry: '电子元器件' },
    { person: '王晓东', company: '青岛海程物流装备有限公司', region: '山东', industry: '物流装备' },
    { person: '陈思远', company: '东莞市立信包装材料有限公司', region: '广东', industry: '包装材料' },
    { person: '刘佳琪', company: '成都蓉新自动化设备有限公司', region: '四川', industry: '自动化设备' },
    { person: '黄志强', company: '武汉楚天环保科技有限公司', region: '湖北', industry: '环保设备' },
    { person: '林雅婷', company: '厦门鹭岛新材料有限公司', region: '福建', industry: '新材料' },
  ],
  retail: [
    { person: '张晓雯', company: '', region: '上海', industry: '个人消费' },
    { person: '李梦瑶', company: '', region: '浙江', industry: '个人消费' },
    { person: '赵一鸣', company: '', region: '江苏', industry: '个人消费' },
    { person: '孙佳怡', company: '', region: '北京', industry: '个人消费' },
    { person: '钱文博', company: '', region: '广东', industry: '个人消费' },
    { person: '何雨桐', company: '', region: '四川', industry: '个人消费' },
    { person: '马晓峰', company: '杭州悦享生活馆', region: '浙江', industry: '零售' },
    { person: '胡静怡', company: '', region: '湖北', industry: '个人消费' },
  ],
  'corporate-banking': [
    { person: '曹文华', company: '南京金陵建材贸易有限公司', region: '江苏', industry: '建材贸易' },
    { person: '邓国庆', company: '无锡华腾纺织有限公司', region: '江苏', industry: '纺织' },
    { person: '冯晓光', company: '上海浦江进出口有限公司', region: '上海', industry: '进出口贸易' },
    { person: '彭立伟', company: '杭州云栖数据科技有限公司', region: '浙江', industry: '软件与信息服务' },
    { person: '蒋美玲', company: '常州新能动力电池有限公司', region: '江苏', industry: '新能源' },
    { person: '韩振宇', company: '嘉兴嘉禾食品有限公司', region: '浙江', industry: '食品加工' },
    { person: '唐春燕', company: '温州瓯江鞋业有限公司', region: '浙江', industry: '鞋服' },
    { person: '许明辉', company: '苏州工业园区智造科技有限公司', region: '江苏', industry: '智能制造' },
  ],
};

const REASONS = ['unreachable', 'no_need', 'no_budget', 'not_decision_maker', 'other'];
const NOTES = [
  '电话多次未接通，微信未通过',
  '客户表示明年再考虑',
  '预算已冻结，半年后再联系',
  '对接人不是决策人，联系不上负责人',
  '产品不匹配客户需求',
];

export async function seedDemoPool(
  trx: Transaction<Database>,
  tenantId: string,
  industry: IndustryProfile,
  sellers: readonly string[],
  now: number,
): Promise<void> {
  const at = new Date(now).toISOString();
  const prefix = industry.replaceAll('-', '_');
  const team = await trx
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  await sql`
    insert into assignment_rules (tenant_id, entity, position, name, method, team_id, sources, regions)
    values
      (${tenantId}, 'lead', 0, '网站表单线索 · 销售一部轮流分配', 'round_robin', ${team?.id ?? null}, '{web_form}', '{}'),
      (${tenantId}, 'lead', 1, '华东地区 · 按负载分配', 'load', ${team?.id ?? null}, '{}', '{上海,江苏,浙江}'),
      (${tenantId}, 'customer', 0, '新客户 · 销售一部轮流分配', 'round_robin', ${team?.id ?? null}, '{}', '{}')`.execute(
    trx,
  );
  await sql`
    insert into pool_settings (tenant_id, claim_limits, warn_days_before, unmatched)
    values (${tenantId}, '{"sales_rep": 10, "sales_manager": 20}', 3, 'pool')`.execute(trx);
  await sql`
    insert into pool_recycle_rules (tenant_id, entity, key, recycle_after_days)
    values (${tenantId}, 'lead', ${`${prefix}_lead_c`}, 45)`.execute(trx);

  // Leads in the pool: released by a rep (with a reason), recycled for lack of follow-up, or matched by no rule.
  const leads = POOL_LEADS[industry] ?? POOL_LEADS.b2b ?? [];
  const grades = ['A', 'B', 'C', 'B', 'C', 'A', 'C', 'B'];
  await sql`
    with input as (
      select * from unnest(${leads.map((lead) => lead.person)}::text[], ${leads.map((lead) => lead.company)}::text[],
        ${leads.map((lead) => lead.region)}::text[], ${leads.map((lead) => lead.industry)}::text[],
        ${grades.slice(0, leads.length)}::text[]) with ordinality as i(person, company, region, industry, grade, n)
    ), inserted as (
      insert into leads (tenant_id, person_name, company_name, phone, region, industry, source, intent, grade, grade_key,
        in_pool, released_at, created_at, status)
      select ${tenantId}, person, nullif(company, ''), '139' || lpad((n * 7919 % 100000000)::text, 8, '0'), region, industry,
        (array['web_form', 'import', 'event', 'referral'])[1 + n % 4],
        (array['price', 'features', 'browsed'])[1 + n % 3], grade, ${prefix} || '_lead_' || lower(grade),
        true, ${at}::timestamptz - make_interval(days => (n * 3 % 20)::int, hours => n::int),
        ${at}::timestamptz - make_interval(days => (30 + n * 5)::int), case when n % 3 = 0 then 'contacted' else 'new' end
      from input
      returning id, released_at, created_at
    ), ranked as (
      select id, released_at, row_number() over (order by created_at, id) as n from inserted
    )
    insert into pool_moves (tenant_id, entity, lead_id, kind, from_user_id, reason, note, data, actor_user_id, occurred_at)
    select ${tenantId}, 'lead', r.id,
      case when r.n % 4 = 0 then 'recycle' when r.n % 4 = 3 then 'assign' else 'release' end,
      case when r.n % 4 = 3 then null else (${sellers as string[]}::uuid[])[1 + (r.n % ${sellers.length})::int] end,
      case when r.n % 4 in (0, 3) then null else (${REASONS}::text[])[1 + (r.n % ${REASONS.length})::int] end,
      case when r.n % 4 in (0, 3) then null else (${NOTES}::text[])[1 + (r.n % ${NOTES.length})::int] end,
      case when r.n % 4 = 0 then jsonb_build_object('key', ${prefix} || '_lead_b', 'days', 14)
           when r.n % 4 = 3 then jsonb_build_object('toPool', true) else '{}'::jsonb end,
      case when r.n % 4 in (0, 3) then null else (${sellers as string[]}::uuid[])[1 + (r.n % ${sellers.length})::int] end,
      r.released_at
    from ranked r`.execute(trx);

  // A dozen quiet customers released by their owners (none with tasks or recent orders).
  await sql`
    with chosen as (
      select c.id, c.owner_user_id, row_number() over (order by c.created_at, c.id) as n
      from customers c
      where c.tenant_id = ${tenantId} and c.owner_user_id is not null and c.archived_at is null
        and not exists (select 1 from orders o where o.tenant_id = c.tenant_id and o.customer_id = c.id)
        and not exists (select 1 from tasks t where t.tenant_id = c.tenant_id and t.customer_id = c.id)
      order by c.created_at, c.id
      limit 12
    ), released as (
      update customers c set owner_user_id = null, in_pool = true,
        released_at = ${at}::timestamptz - make_interval(days => (ch.n * 2 % 25)::int, hours => ch.n::int)
      from chosen ch where c.tenant_id = ${tenantId} and c.id = ch.id
      returning c.id, ch.owner_user_id, ch.n, c.released_at
    )
    insert into pool_moves (tenant_id, entity, customer_id, kind, from_user_id, reason, note, data, actor_user_id, occurred_at)
    select ${tenantId}, 'customer', id, case when n % 3 = 0 then 'recycle' else 'release' end, owner_user_id,
      case when n % 3 = 0 then null else (${REASONS}::text[])[1 + (n % ${REASONS.length})::int] end,
      case when n % 3 = 0 then null else (${NOTES}::text[])[1 + (n % ${NOTES.length})::int] end,
      case when n % 3 = 0 then jsonb_build_object('key', '*', 'days', 30) else '{}'::jsonb end,
      case when n % 3 = 0 then null else owner_user_id end, released_at
    from released`.execute(trx);
}
