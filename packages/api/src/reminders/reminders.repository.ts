import type { TaskType } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import { visibleCustomer } from '../customers/access';
import type { Scope } from '../scope';
import { taskPayload } from '../tasks/task-events.sql';
import { outboxCtes } from '../webhooks/webhooks.outbox';
import type { ReminderTriggerKind, UpcomingItem } from './reminders.schemas';

/**
 * Every query of reminders. The occasions of every reminder for every customer and contact
 * of the tenant come from one statement (`occasions`): the reminders, the festival dates
 * and the lunar birthdays of the window travel in as three small JSON tables, computed
 * in Node, so nothing loops over customers. Tasks are made by one INSERT … SELECT whose
 * occasion key is unique per tenant: running twice, or twice at once, makes nothing twice.
 */

/** The reps' day and how dates of instants are read (first orders). */
export const REMINDER_TIME_ZONE = 'Asia/Shanghai';

/** A reminder in force, as the statement reads it. */
export type PlannedReminder = {
  key: string;
  trigger: ReminderTriggerKind;
  holiday: string | null;
  field: string | null;
  offsetDays: number;
  /** Tier keys; null: every customer. */
  tiers: string[] | null;
  title: string;
  taskType: TaskType;
};

export type ReminderPlan = {
  today: string;
  dueFrom: string;
  dueTo: string;
  reminders: PlannedReminder[];
  festivals: { festival: string; occasionOn: string }[];
  lunar: { birthOn: string; occasionOn: string }[];
};

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** Is `year` a leap year, in SQL. */
const leap = (year: RawBuilder<unknown>) =>
  sql`(${year} % 4 = 0 and (${year} % 100 <> 0 or ${year} % 400 = 0))`;

/**
 * Every occasion of the plan's reminders whose task is due in [dueFrom, dueTo], with the
 * customer (and contact) it is about and its owner. A reminder due before its occasion is
 * left out once the occasion has passed.
 */
function occasions(scope: Scope, plan: ReminderPlan) {
  const reminders = plan.reminders.map((reminder) => ({
    key: reminder.key,
    trigger: reminder.trigger,
    holiday: reminder.holiday,
    field: reminder.field,
    offset_days: reminder.offsetDays,
    tiers: reminder.tiers,
    title: reminder.title,
    task_type: reminder.taskType,
  }));
  const festivals = plan.festivals.map((row) => ({ festival: row.festival, occasion_on: row.occasionOn }));
  const lunar = plan.lunar.map((row) => ({ birth_on: row.birthOn, occasion_on: row.occasionOn }));
  const year = sql`y.year`;
  return sql`
    r as (
      select * from jsonb_to_recordset(${json(reminders)}) as r(key text, trigger text, holiday text,
        field text, offset_days int, tiers jsonb, title text, task_type text)
    ),
    festival as (
      select * from jsonb_to_recordset(${json(festivals)}) as f(festival text, occasion_on date)
    ),
    lunar as (
      select * from jsonb_to_recordset(${json(lunar)}) as l(birth_on date, occasion_on date)
    ),
    customer as (
      select c.id, c.owner_user_id, t.tier, c.kind, c.birthday, c.birthday_calendar, c.anniversary_on,
        c.first_cooperation_on, c.first_deal_at, c.custom_fields
      from customers c
      left join customer_tiers t on t.tenant_id = c.tenant_id and t.customer_id = c.id
      where c.tenant_id = ${scope.tenantId} and c.archived_at is null and c.merged_into is null
    ),
    -- Customers and their contacts, each with their own days. A person customer's primary
    -- contact is that person: a day the customer has is not the contact's a second time.
    person as (
      select c.id as customer_id, null::uuid as contact_id, c.owner_user_id, c.tier, null::text as contact_name,
        c.birthday, c.birthday_calendar, c.anniversary_on, c.first_cooperation_on
      from customer c
      union all
      select c.id, k.id, c.owner_user_id, c.tier, k.name,
        case when c.kind = 'person' and k.is_primary and c.birthday is not null then null else k.birthday end,
        k.birthday_calendar,
        case when c.kind = 'person' and k.is_primary and c.anniversary_on is not null then null else k.anniversary_on end,
        null::date
      from contacts k
      join customer c on c.id = k.customer_id
      where k.tenant_id = ${scope.tenantId} and (k.birthday is not null or k.anniversary_on is not null)
    ),
    occasion as (
      -- Yearly days on the solar calendar: 公历 birthdays, 纪念日, 合作纪念日 (29 February on
      -- the 28th in other years), never the day itself.
      select r.key, p.customer_id, p.contact_id, p.owner_user_id, p.contact_name, r.title, r.task_type,
        r.offset_days, o.occasion_on
      from r
      join person p on r.tiers is null or r.tiers ? p.tier
      cross join lateral (select case r.trigger
          when 'birthday' then case when p.birthday_calendar = 'solar' then p.birthday end
          when 'anniversary' then p.anniversary_on
          when 'cooperation_anniversary' then p.first_cooperation_on
        end as base_on) b
      cross join lateral generate_series(
          extract(year from ${plan.dueFrom}::date - r.offset_days)::int,
          extract(year from ${plan.dueTo}::date - r.offset_days)::int) as y(year)
      cross join lateral (select make_date(${year}, extract(month from b.base_on)::int,
          case when extract(month from b.base_on) = 2 and extract(day from b.base_on) = 29 and not ${leap(year)}
            then 28 else extract(day from b.base_on)::int end) as occasion_on) o
      where r.trigger in ('birthday', 'anniversary', 'cooperation_anniversary')
        and b.base_on is not null and o.occasion_on > b.base_on
      union all
      -- 农历 birthdays: the window's lunar anniversaries of each birth day, computed in Node.
      select r.key, p.customer_id, p.contact_id, p.owner_user_id, p.contact_name, r.title, r.task_type,
        r.offset_days, l.occasion_on
      from r
      join person p on r.tiers is null or r.tiers ? p.tier
      join lunar l on l.birth_on = p.birthday
      where r.trigger = 'birthday' and p.birthday_calendar = 'lunar'
      union all
      -- The first order: the customer's first deal, when it was an order (not an opening
      -- balance or a cooperation date brought from another system).
      select r.key, c.id, null, c.owner_user_id, null, r.title, r.task_type, r.offset_days,
        (c.first_deal_at at time zone ${REMINDER_TIME_ZONE})::date
      from r
      join customer c on r.tiers is null or r.tiers ? c.tier
      where r.trigger = 'first_order' and c.first_deal_at is not null
        and (c.first_deal_at at time zone ${REMINDER_TIME_ZONE})::date + r.offset_days
          between ${plan.dueFrom}::date and ${plan.dueTo}::date
        and exists (select 1 from orders o
          where o.tenant_id = ${scope.tenantId} and o.customer_id = c.id and o.status <> 'void'
            and o.ordered_at = c.first_deal_at)
      union all
      -- Festivals of the care calendar, for the customers of the reminder's audience.
      select r.key, c.id, null, c.owner_user_id, null, r.title, r.task_type, r.offset_days, f.occasion_on
      from r
      join festival f on f.festival = r.holiday
      join customer c on r.tiers is null or r.tiers ? c.tier
      where r.trigger = 'holiday'
      union all
      -- A date custom field of the plugin (a loan's maturity, the next service date …).
      select r.key, c.id, null, c.owner_user_id, null, r.title, r.task_type, r.offset_days,
        (c.custom_fields ->> r.field)::date
      from r
      join customer c on r.tiers is null or r.tiers ? c.tier
      where r.trigger = 'date_field' and (c.custom_fields ->> r.field) ~ '^\\d{4}-\\d{2}-\\d{2}$'
    ),
    due as (
      select o.*, o.occasion_on + o.offset_days as due_on
      from occasion o
      where o.occasion_on + o.offset_days between ${plan.dueFrom}::date and ${plan.dueTo}::date
        and (o.offset_days >= 0 or o.occasion_on >= ${plan.today}::date)
    )`;
}

/**
 * Makes the tasks of every occasion due in the plan's window that has none yet; returns how
 * many it made (and the `task.created` deliveries it queued, in the same statement). The occasion key (`reminder:<key>:<customer or contact>:<occasion day>`) is
 * unique per tenant: a second run, or one running at the same time, makes none of them again,
 * and neither does a run after the rep deleted or closed the task.
 */
export async function insertReminderTasks(
  scope: Scope,
  plan: ReminderPlan,
): Promise<{ created: number; webhookDeliveries: number }> {
  if (plan.reminders.length === 0) return { created: 0, webhookDeliveries: 0 };
  const result = await sql<{ created: number; deliveries: number }>`
    with ${occasions(scope, plan)},
    made as (
      insert into tasks (tenant_id, title, type, customer_id, contact_id, owner_user_id, team_id, due_on, source,
        source_key, created_by)
      select ${scope.tenantId}, left(d.title || coalesce('：' || d.contact_name, ''), 200), d.task_type,
        d.customer_id, d.contact_id, d.owner_user_id, m.team_id, d.due_on, 'reminder',
        'reminder:' || d.key || ':' || coalesce(d.contact_id, d.customer_id) || ':' || d.occasion_on,
        ${scope.userId}
      from due d
      left join memberships m on m.tenant_id = ${scope.tenantId} and m.user_id = d.owner_user_id
      on conflict (tenant_id, source_key) where source_key is not null do nothing
      returning *
    ),
    ${outboxCtes(scope.tenantId, 'task.created', sql`select ${taskPayload('m')} as payload from made m`)}
    select (select count(*) from made)::int as created, (select count(*) from outbox_deliveries)::int as deliveries`.execute(
    scope.trx,
  );
  return { created: result.rows[0]?.created ?? 0, webhookDeliveries: result.rows[0]?.deliveries ?? 0 };
}

/** Per reminder: how many tasks the window will make (none made yet), and the first due day. */
export async function countUpcomingReminders(
  scope: Scope,
  plan: ReminderPlan,
): Promise<{ key: string; count: number; nextDueOn: string | null }[]> {
  if (plan.reminders.length === 0) return [];
  const result = await sql<{ key: string; count: number; next_due_on: string | null }>`
    with ${occasions(scope, plan)}
    select d.key, count(*)::int as count, min(d.due_on)::text as next_due_on
    from due d
    where not exists (select 1 from tasks t where t.tenant_id = ${scope.tenantId}
      and t.source_key = 'reminder:' || d.key || ':' || coalesce(d.contact_id, d.customer_id) || ':' || d.occasion_on)
    group by d.key`.execute(scope.trx);
  return result.rows.map((row) => ({ key: row.key, count: row.count, nextDueOn: row.next_due_on }));
}

/** The first upcoming tasks by due day, of customers the member sees. */
export async function selectUpcomingReminders(
  scope: Scope,
  plan: ReminderPlan,
  limit: number,
): Promise<UpcomingItem[]> {
  if (plan.reminders.length === 0) return [];
  const result = await sql<{
    reminder_key: string;
    customer_id: string;
    customer_name: string;
    contact_id: string | null;
    contact_name: string | null;
    owner_name: string | null;
    occasion_on: string;
    due_on: string;
  }>`
    with ${occasions(scope, plan)}
    select d.key as reminder_key, d.customer_id, customers.name as customer_name, d.contact_id, d.contact_name,
      u.name as owner_name, d.occasion_on::text as occasion_on, d.due_on::text as due_on
    from due d
    join customers on customers.tenant_id = ${scope.tenantId} and customers.id = d.customer_id
    left join users u on u.id = d.owner_user_id
    where ${visibleCustomer(scope.access)}
      and not exists (select 1 from tasks t where t.tenant_id = ${scope.tenantId}
        and t.source_key = 'reminder:' || d.key || ':' || coalesce(d.contact_id, d.customer_id) || ':' || d.occasion_on)
    order by d.due_on, customers.name, d.customer_id, d.contact_id nulls first, d.key
    limit ${limit}`.execute(scope.trx);
  return result.rows.map((row) => ({
    reminderKey: row.reminder_key,
    customerId: row.customer_id,
    customerName: row.customer_name,
    contactId: row.contact_id,
    contactName: row.contact_name,
    ownerName: row.owner_name,
    occasionOn: row.occasion_on,
    dueOn: row.due_on,
  }));
}

/** The distinct birth days of the tenant's people who keep a lunar birthday. */
export async function selectLunarBirthDays(scope: Scope): Promise<string[]> {
  const result = await sql<{ birthday: string }>`
    select c.birthday::text as birthday from customers c
    where c.tenant_id = ${scope.tenantId} and c.birthday_calendar = 'lunar' and c.birthday is not null
      and c.archived_at is null and c.merged_into is null
    union
    select k.birthday::text from contacts k
    join customers c on c.tenant_id = k.tenant_id and c.id = k.customer_id
    where k.tenant_id = ${scope.tenantId} and k.birthday_calendar = 'lunar' and k.birthday is not null
      and c.archived_at is null and c.merged_into is null`.execute(scope.trx);
  return result.rows.map((row) => row.birthday);
}

export type ReminderSettingRow = { key: string; enabled: boolean; offsetDays: number | null };

export async function selectReminderSettings(scope: Scope): Promise<ReminderSettingRow[]> {
  const rows = await scope.trx
    .selectFrom('reminder_settings')
    .select(['reminder_key', 'enabled', 'offset_days'])
    .where('tenant_id', '=', scope.tenantId)
    .execute();
  return rows.map((row) => ({ key: row.reminder_key, enabled: row.enabled, offsetDays: row.offset_days }));
}

export async function upsertReminderSetting(scope: Scope, setting: ReminderSettingRow): Promise<void> {
  await scope.trx
    .insertInto('reminder_settings')
    .values({
      tenant_id: scope.tenantId,
      reminder_key: setting.key,
      enabled: setting.enabled,
      offset_days: setting.offsetDays,
      updated_by: scope.userId,
    })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'reminder_key']).doUpdateSet({
        enabled: setting.enabled,
        offset_days: setting.offsetDays,
        updated_by: scope.userId,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

/** The tenant's industry profile (the plugin id), for the job that has no request. */
export async function selectTenantIndustry(scope: Scope): Promise<string | null> {
  const row = await scope.trx
    .selectFrom('tenants')
    .select('industry')
    .where('id', '=', scope.tenantId)
    .executeTakeFirst();
  return row?.industry ?? null;
}
