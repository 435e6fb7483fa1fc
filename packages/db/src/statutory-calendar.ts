import { statutoryCalendarDays } from '@crm/domain';
import { type Kysely, sql } from 'kysely';

/**
 * Brings statutory_calendar_days in line with the holiday data bundled with this build
 * (@crm/domain's statutoryCalendarDays, from chinese-days): inserts new days, corrects changed
 * ones, drops withdrawn ones, in one statement; rows already right are not written. Runs as
 * the owner role after every migration run (server start, tests), so a package update reaches
 * the SQL calendar functions without a migration.
 */
export async function syncStatutoryCalendar(db: Kysely<unknown>): Promise<void> {
  const days = statutoryCalendarDays().map((entry) => ({
    day: entry.day,
    working: entry.working,
    name: entry.name,
    name_en: entry.nameEn,
  }));
  await sql`
    with incoming as (
      select * from jsonb_to_recordset(${JSON.stringify(days)}::jsonb)
        as t(day date, working boolean, name text, name_en text)
    ),
    withdrawn as (
      delete from statutory_calendar_days s
      where not exists (select 1 from incoming i where i.day = s.day)
    )
    insert into statutory_calendar_days as s (day, working, name, name_en)
    select day, working, name, name_en from incoming
    on conflict (day) do update
      set working = excluded.working, name = excluded.name, name_en = excluded.name_en
      where (s.working, s.name, s.name_en) is distinct from (excluded.working, excluded.name, excluded.name_en)`.execute(
    db,
  );
}
