import { type Kysely, sql } from 'kysely';

/*
 * The work calendar (工作日历): which days are working days and when a working day runs, for
 * due dates and SLA clocks.
 *
 * - statutory_calendar_days: the State Council's holidays and make-up working days (调休),
 *   the same for every tenant; written by the owner role after each migration run from the
 *   bundled holiday data (syncStatutoryCalendar), only read by crm_app.
 * - work_calendar_settings: a tenant's time zone, working hours, working weekdays and SLA
 *   time mode; no row means the defaults (Asia/Shanghai, Mon–Fri 09:00–18:00, lunch 12:00–13:30).
 * - work_calendar_overrides: a tenant's own days off (公司假日) and extra working days, which
 *   win over the statutory schedule.
 *
 * crm_is_working_day / crm_next_working_day / crm_add_working_days / crm_working_days are
 * the SQL twins of @crm/domain's isWorkingDay / nextWorkingDay / addWorkingDays, for the
 * current tenant (app_tenant_id()), so set-based statements can place due dates.
 * Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = ['work_calendar_settings', 'work_calendar_overrides'];

const statements = [
  `create table statutory_calendar_days (
     day date primary key,
     working boolean not null,
     name text not null check (length(name) between 1 and 100),
     name_en text not null check (length(name_en) <= 100)
   )`,
  `grant select on statutory_calendar_days to crm_app`,

  `create table work_calendar_settings (
     tenant_id uuid primary key references tenants (id) on delete cascade,
     time_zone text not null default 'Asia/Shanghai' check (length(time_zone) between 1 and 64),
     work_start time(0) not null default '09:00',
     work_end time(0) not null default '18:00',
     break_start time(0) default '12:00',
     break_end time(0) default '13:30',
     working_weekdays smallint[] not null default '{1,2,3,4,5}'
       check (cardinality(working_weekdays) between 1 and 7 and working_weekdays <@ '{1,2,3,4,5,6,7}'::smallint[]),
     sla_mode text not null default 'business' check (sla_mode in ('calendar', 'business')),
     updated_by uuid,
     updated_at timestamptz not null default now(),
     check (work_start < work_end),
     check ((break_start is null) = (break_end is null)),
     check (break_start is null or (work_start < break_start and break_start < break_end and break_end < work_end))
   )`,

  `create table work_calendar_overrides (
     tenant_id uuid not null references tenants (id) on delete cascade,
     day date not null,
     working boolean not null,
     name text not null check (length(name) between 1 and 100),
     created_by uuid,
     created_at timestamptz not null default now(),
     primary key (tenant_id, day)
   )`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  `grant select, insert, update, delete on work_calendar_settings, work_calendar_overrides to crm_app`,

  // A tenant override wins over the statutory schedule, which wins over the working weekdays.
  `create function crm_working_days(from_day date, to_day date)
     returns table (day date, working boolean, name text)
     language sql stable
     as $$
       select g.day,
              coalesce(o.working, s.working, extract(isodow from g.day)::smallint = any (w.weekdays)),
              coalesce(o.name, s.name, '')
       from (select from_day + i as day from generate_series(0, to_day - from_day) as i) g
       cross join (select coalesce(
                     (select c.working_weekdays from work_calendar_settings c where c.tenant_id = app_tenant_id()),
                     '{1,2,3,4,5}'::smallint[]) as weekdays) w
       left join work_calendar_overrides o on o.tenant_id = app_tenant_id() and o.day = g.day
       left join statutory_calendar_days s on s.day = g.day
     $$`,
  // One expression (not strict, no FROM): the planner inlines it into the statement that
  // calls it, so a set-based statement over many rows pays index lookups, not function calls.
  `create function crm_is_working_day(day date) returns boolean
     language sql stable
     as $$
       select coalesce(
         (select o.working from work_calendar_overrides o where o.tenant_id = app_tenant_id() and o.day = $1),
         (select s.working from statutory_calendar_days s where s.day = $1),
         extract(isodow from $1)::smallint = any (coalesce(
           (select c.working_weekdays from work_calendar_settings c where c.tenant_id = app_tenant_id()),
           '{1,2,3,4,5}'::smallint[])))
     $$`,
  `create function crm_next_working_day(day date) returns date
     language plpgsql stable strict
     as $$
       declare
         candidate date := day;
       begin
         for step in 0..3660 loop
           if crm_is_working_day(candidate) then return candidate; end if;
           candidate := candidate + 1;
         end loop;
         raise exception 'no working day within 3660 days of %', day;
       end
     $$`,
  // n > 0: the n-th working day after day; n < 0: before it; 0: the next working day on or after it.
  `create function crm_add_working_days(day date, n integer) returns date
     language plpgsql stable strict
     as $$
       declare
         candidate date := day;
         remaining integer := abs(n);
         direction integer := case when n < 0 then -1 else 1 end;
       begin
         if n = 0 then return crm_next_working_day(day); end if;
         for step in 1..(3660 + remaining * 2) loop
           candidate := candidate + direction;
           if crm_is_working_day(candidate) then
             remaining := remaining - 1;
             if remaining = 0 then return candidate; end if;
           end if;
         end loop;
         raise exception 'no % working days from %', n, day;
       end
     $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The work calendar migration cannot be reverted.');
}
