import type { TaskPriority, TaskSource, TaskType } from '@crm/domain';
import { sql, type Transaction } from 'kysely';
import type { Database, IndustryProfile } from '../tables';

/**
 * What a rep of each business has on their list, written the way a Chinese sales team writes
 * its tasks (`{c}` is the customer's name). Generated tasks are not made here: the
 * maintenance plans make theirs from the tier cadences, and the reminder run (on the demo's
 * first start) its first-order call-backs and festival greetings, each with its own key.
 */
type TaskTemplate = {
  type: TaskType;
  title: string;
  source: TaskSource;
  key?: string;
  priority?: TaskPriority;
};

const TEMPLATES: Record<string, TaskTemplate[]> = {
  retail: [
    { type: 'callback', title: '季度回访：{c}', source: 'manual' },
    { type: 'wechat', title: '微信推送新品：{c}', source: 'manual' },
    { type: 'wechat', title: '确认会员生日礼品寄送地址：{c}', source: 'manual' },
    { type: 'call', title: '电话提醒会员积分月底到期：{c}', source: 'manual' },
    { type: 'visit', title: '邀约到店试穿新款：{c}', source: 'manual' },
    { type: 'content_push', title: '推送会员日活动：{c}', source: 'manual' },
    { type: 'wechat', title: '微信确认取货时间：{c}', source: 'manual', priority: 'high' },
    { type: 'content_push', title: '邀约参加年终会员答谢会：{c}', source: 'manual' },
    { type: 'call', title: '电话回访售后：{c}', source: 'manual' },
    { type: 'email', title: '发送电子发票：{c}', source: 'manual', priority: 'low' },
  ],
  b2b: [
    { type: 'visit', title: '月度拜访：{c}', source: 'manual' },
    { type: 'needs_review', title: '季度需求回顾：{c}', source: 'manual' },
    { type: 'call', title: '电话确认交期：{c}', source: 'manual', priority: 'high' },
    { type: 'email', title: '发送维保方案和报价：{c}', source: 'manual' },
    { type: 'video_call', title: '视频会议评审产线改造方案：{c}', source: 'manual' },
    { type: 'callback', title: '电话回访设备安装调试情况：{c}', source: 'manual' },
    { type: 'wechat', title: '微信确认备件型号：{c}', source: 'manual' },
    { type: 'email', title: '发送年度合作回顾与明年计划：{c}', source: 'manual' },
    { type: 'content_push', title: '发送国产替代成功案例：{c}', source: 'manual', priority: 'low' },
    { type: 'follow_up', title: '跟进招标文件技术澄清：{c}', source: 'manual', priority: 'urgent' },
  ],
  'corporate-banking': [
    { type: 'callback', title: '月度回访：{c}', source: 'manual' },
    { type: 'visit', title: '走访企业更新授信资料：{c}', source: 'manual' },
    { type: 'needs_review', title: '授信续期材料审核：{c}', source: 'manual', priority: 'high' },
    { type: 'call', title: '提醒本月底贷款付息：{c}', source: 'manual' },
    { type: 'email', title: '发送现金管理服务方案：{c}', source: 'manual' },
    { type: 'online', title: '线上演示网银审批流程：{c}', source: 'manual' },
    { type: 'visit', title: '年末走访了解明年资金计划：{c}', source: 'manual' },
    { type: 'wechat', title: '微信发送回单打印操作说明：{c}', source: 'manual', priority: 'low' },
    { type: 'follow_up', title: '跟进跨境结算开户材料：{c}', source: 'manual', priority: 'urgent' },
    { type: 'callback', title: '回访企业网银使用体验：{c}', source: 'manual' },
  ],
};

/**
 * The days of one member's list, relative to today: due today, overdue by 1–20 days, the
 * next 7 days, later this month (for the calendar), done in the past 30 days (closed on
 * time or a little late), and one skipped with its reason.
 */
type Slot = { offset: number; status: 'open' | 'done' | 'skipped'; closedLate?: number; at?: string };
const SLOTS: Slot[] = [
  { offset: 0, status: 'open', at: '10:00' },
  { offset: 0, status: 'open' },
  { offset: 0, status: 'open', at: '15:30' },
  { offset: 0, status: 'open' },
  ...[-1, -2, -3, -5, -8, -13, -20].map((offset): Slot => ({ offset, status: 'open' })),
  ...[1, 1, 2, 3, 3, 4, 5, 6, 7].map((offset): Slot => ({ offset, status: 'open' })),
  ...[9, 12, 15, 19, 24, 28].map((offset): Slot => ({ offset, status: 'open' })),
  ...[-1, -2, -4, -6, -7, -9, -11, -14, -17, -21, -25, -29].map(
    (offset, index): Slot => ({ offset, status: 'done', closedLate: index % 4 === 3 ? 2 : 0 }),
  ),
  { offset: -10, status: 'skipped' },
];

/**
 * Each seller's task list over their own customers, one set-based statement per kind: the
 * templated tasks by slot (the customer and template chosen by rank, so the same seed gives
 * the same list), a few interactions' 下一步 with a 截止日期 (as the product turns them into
 * follow-ups), and birthday greetings for the customers whose birthday is in the next days
 * (a few are moved there first, so the reminders show on any day the demo is created).
 */
export async function seedDemoTasks(
  trx: Transaction<Database>,
  tenantId: string,
  industry: IndustryProfile,
  sellers: string[],
  now: number,
): Promise<void> {
  const templates = TEMPLATES[industry] ?? TEMPLATES.b2b ?? [];
  // The occasion key the reminder run gives a birthday greeting ('reminder:<reminder>:<customer>:<day>'),
  // so the run finds the demo's greetings already made.
  const birthdayKey = `${industry.replaceAll('-', '_')}_birthday_greeting`;
  const at = new Date(now).toISOString();
  const owners = sellers.join(',');
  await sql`
    with today as (select (${at}::timestamptz at time zone 'Asia/Shanghai')::date as day),
    owners as (
      select o.user_id::uuid as user_id, o.owner_no, m.team_id
      from unnest(string_to_array(${owners}, ',')) with ordinality as o(user_id, owner_no)
      join memberships m on m.tenant_id = ${tenantId} and m.user_id = o.user_id::uuid
    ),
    ranked as (
      select c.id, c.name, c.owner_user_id,
        row_number() over (partition by c.owner_user_id order by c.created_at, c.name) as rank,
        count(*) over (partition by c.owner_user_id) as total
      from customers c
      where c.tenant_id = ${tenantId} and c.archived_at is null and c.owner_user_id is not null
    ),
    slots as (
      select * from jsonb_to_recordset(${JSON.stringify(SLOTS.map((slot, index) => ({ ...slot, slot: index })))}::jsonb)
        as s(slot int, "offset" int, status text, "closedLate" int, at text)
    ),
    templates as (
      select * from jsonb_to_recordset(${JSON.stringify(templates.map((template, index) => ({ ...template, template: index })))}::jsonb)
        as t(template int, type text, title text, source text, key text, priority text)
    ),
    drawn as (
      select o.user_id, o.team_id, r.id as customer_id, r.name, s.status, s."closedLate" as closed_late,
        (today.day + s."offset") as due_on, s.at, t.type, t.title, t.source, t.key, t.priority
      from owners o
      cross join slots s
      cross join today
      join ranked r on r.owner_user_id = o.user_id and r.rank = ((s.slot * 7 + o.owner_no) % r.total) + 1
      join templates t on t.template = (s.slot + o.owner_no) % ${templates.length}
    )
    insert into tasks (tenant_id, title, type, customer_id, owner_user_id, team_id, due_on, due_at, priority,
      status, status_reason, closed_at, closed_by, source, source_key, created_by, created_at, updated_at)
    select ${tenantId}, replace(d.title, '{c}', d.name), d.type, d.customer_id, d.user_id, d.team_id, d.due_on,
      case when d.at is null then null else ((d.due_on + d.at::time) at time zone 'Asia/Shanghai') end,
      coalesce(d.priority, 'normal'), d.status,
      case when d.status = 'skipped' then '客户出差，下月再约' end,
      case when d.status <> 'open'
        then least(${at}::timestamptz,
          ((d.due_on + coalesce(d.closed_late, 0) + time '16:20') at time zone 'Asia/Shanghai')) end,
      case when d.status <> 'open' then d.user_id end,
      d.source,
      replace(replace(d.key, '{id}', d.customer_id::text), '{day}', d.due_on::text),
      case when d.source = 'manual' then d.user_id end,
      least(${at}::timestamptz, ((d.due_on - 14 + time '09:00') at time zone 'Asia/Shanghai')),
      ${at}::timestamptz
    from drawn d
    on conflict (tenant_id, source_key) where source_key is not null do nothing
  `.execute(trx);

  // A few recent interactions get a 截止日期 for their 下一步, which makes them a follow-up of
  // their author, as logging them in the product does — some already overdue.
  await sql`
    with today as (select (${at}::timestamptz at time zone 'Asia/Shanghai')::date as day),
    picked as (
      select i.id, row_number() over (partition by i.user_id order by i.occurred_at desc, i.summary) as recent
      from interactions i
      join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id and c.owner_user_id = i.user_id
      where i.tenant_id = ${tenantId} and i.next_step is not null and c.archived_at is null
    ),
    stepped as (
      update interactions i
      set next_step_due = (i.occurred_at at time zone 'Asia/Shanghai')::date + 3 + (p.recent % 3)::int * 2
      from picked p
      where i.tenant_id = ${tenantId} and i.id = p.id and p.recent <= 4
      returning i.*
    )
    insert into tasks (tenant_id, title, type, customer_id, contact_id, owner_user_id, team_id, due_on, source,
      source_id, source_key, created_by, created_at, updated_at)
    select s.tenant_id, s.next_step, 'follow_up', s.customer_id, s.contact_id, s.user_id, m.team_id,
      s.next_step_due, 'interaction', s.id, 'interaction:' || s.id, s.user_id, s.created_at, s.created_at
    from stepped s
    left join memberships m on m.tenant_id = s.tenant_id and m.user_id = s.user_id
    on conflict (tenant_id, source_key) where source_key is not null do nothing
  `.execute(trx);

  // Two customers of each seller with a birthday on file have it in 3–10 days, and every
  // birthday in the next 10 days has its greeting on the day.
  await sql`
    with today as (select (${at}::timestamptz at time zone 'Asia/Shanghai')::date as day),
    picked as (
      select c.id, c.birthday,
        row_number() over (partition by c.owner_user_id order by c.created_at, c.name) as rank
      from customers c
      where c.tenant_id = ${tenantId} and c.birthday is not null and c.owner_user_id is not null
        and c.archived_at is null
    )
    update customers c
    set birthday = (today.day + 3 + (p.rank * 5 % 8)::int
      - make_interval(years => extract(year from age(today.day, p.birthday))::int))::date
    from picked p, today
    where c.tenant_id = ${tenantId} and c.id = p.id and p.rank <= 2
  `.execute(trx);
  await sql`
    with today as (select (${at}::timestamptz at time zone 'Asia/Shanghai')::date as day),
    aged as (
      select c.id, c.name, c.owner_user_id,
        (c.birthday + make_interval(years => extract(year from age(today.day, c.birthday))::int))::date as last_on
      from customers c, today
      where c.tenant_id = ${tenantId} and c.birthday is not null and c.owner_user_id is not null
        and c.archived_at is null
    ),
    -- The birthday this year if it is today, otherwise the next one.
    upcoming as (
      select a.*, case when a.last_on = today.day then a.last_on
        else (a.last_on + interval '1 year')::date end as next_on
      from aged a, today
    )
    insert into tasks (tenant_id, title, type, customer_id, owner_user_id, team_id, due_on, source, source_key,
      created_at, updated_at)
    select ${tenantId}, '生日问候：' || u.name, 'care', u.id, u.owner_user_id, m.team_id, u.next_on, 'reminder',
      'reminder:' || ${birthdayKey}::text || ':' || u.id || ':' || u.next_on, ${at}::timestamptz,
      ${at}::timestamptz
    from upcoming u
    cross join today
    left join memberships m on m.tenant_id = ${tenantId} and m.user_id = u.owner_user_id
    where u.next_on between today.day and today.day + 10
    on conflict (tenant_id, source_key) where source_key is not null do nothing
  `.execute(trx);
}
