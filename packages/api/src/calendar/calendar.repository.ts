import type { WorkCalendarSettings } from '@crm/domain';
import { sql } from 'kysely';
import type { Scope } from '../scope';
import type { CalendarOverrideOutput } from './calendar.schemas';

/**
 * Every query of the work calendar: the tenant's settings row (absent: the defaults), its
 * overrides, and the statutory days (a global table, synced from the holiday data at start).
 */

/** 'HH:MM:SS' from the database as the 'HH:MM' the settings speak. */
const toMinutes = (time: string) => time.slice(0, 5);

export async function selectCalendarSettings(scope: Scope): Promise<WorkCalendarSettings | undefined> {
  const row = await scope.trx
    .selectFrom('work_calendar_settings')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    timeZone: row.time_zone,
    workingHours: {
      start: toMinutes(row.work_start),
      end: toMinutes(row.work_end),
      breakStart: row.break_start === null ? null : toMinutes(row.break_start),
      breakEnd: row.break_end === null ? null : toMinutes(row.break_end),
    },
    workingWeekdays: row.working_weekdays.map(Number),
    slaMode: row.sla_mode,
  };
}

export async function upsertCalendarSettings(scope: Scope, settings: WorkCalendarSettings): Promise<void> {
  const values = {
    time_zone: settings.timeZone,
    work_start: settings.workingHours.start,
    work_end: settings.workingHours.end,
    break_start: settings.workingHours.breakStart,
    break_end: settings.workingHours.breakEnd,
    // An array literal: both drivers pass it as text, cast once here.
    working_weekdays: sql<number[]>`${`{${settings.workingWeekdays.join(',')}}`}::smallint[]`,
    sla_mode: settings.slaMode,
    updated_by: scope.userId,
    updated_at: sql<Date>`now()`,
  };
  await scope.trx
    .insertInto('work_calendar_settings')
    .values({ tenant_id: scope.tenantId, ...values })
    .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet(values))
    .execute();
}

/** The tenant's overrides between two days (inclusive), or all of them. */
export function selectCalendarOverrides(
  scope: Scope,
  range?: { from: string; to: string },
): Promise<CalendarOverrideOutput[]> {
  let query = scope.trx
    .selectFrom('work_calendar_overrides')
    .select(['day', 'working', 'name'])
    .where('tenant_id', '=', scope.tenantId);
  if (range) query = query.where('day', '>=', range.from).where('day', '<=', range.to);
  return query.orderBy('day').execute();
}

export function upsertCalendarOverride(
  scope: Scope,
  override: CalendarOverrideOutput,
): Promise<CalendarOverrideOutput> {
  return scope.trx
    .insertInto('work_calendar_overrides')
    .values({ tenant_id: scope.tenantId, ...override, created_by: scope.userId })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'day']).doUpdateSet({
        working: override.working,
        name: override.name,
        created_by: scope.userId,
      }),
    )
    .returning(['day', 'working', 'name'])
    .executeTakeFirstOrThrow();
}

/** Whether an override was removed. */
export async function deleteCalendarOverride(scope: Scope, day: string): Promise<boolean> {
  const removed = await scope.trx
    .deleteFrom('work_calendar_overrides')
    .where('tenant_id', '=', scope.tenantId)
    .where('day', '=', day)
    .executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}
