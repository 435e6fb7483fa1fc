import {
  createWorkCalendar,
  DEFAULT_WORK_CALENDAR_SETTINGS,
  statutoryCalendarDays,
  statutoryYears,
  type WorkCalendar,
  type WorkCalendarSettings,
} from '@crm/domain';
import { appError } from '../errors';
import type { Scope } from '../scope';
import {
  deleteCalendarOverride,
  selectCalendarOverrides,
  selectCalendarSettings,
  upsertCalendarOverride,
  upsertCalendarSettings,
} from './calendar.repository';
import type {
  CalendarOutput,
  CalendarOverrideOutput,
  CalendarSettingsOutput,
  GetCalendarInput,
  SetCalendarOverrideInput,
  UpdateCalendarInput,
} from './calendar.schemas';

/**
 * The tenant's work calendar as a value for @crm/domain's calendar functions (due dates,
 * business hours, SLA clocks): its settings (or the defaults), every override, and the
 * statutory schedule bundled with this build — the same data the SQL twins read
 * (crm_is_working_day …) after the start-up sync.
 */
export async function loadWorkCalendar(scope: Scope): Promise<WorkCalendar> {
  const [settings, overrides] = await Promise.all([
    selectCalendarSettings(scope),
    selectCalendarOverrides(scope),
  ]);
  return createWorkCalendar(settings ?? DEFAULT_WORK_CALENDAR_SETTINGS, overrides);
}

/** The tenant's calendar settings (the defaults until an admin saves them). */
export async function readCalendarSettings(scope: Scope): Promise<WorkCalendarSettings> {
  return (await selectCalendarSettings(scope)) ?? DEFAULT_WORK_CALENDAR_SETTINGS;
}

/** What 设置 → 工作日历 shows for a year. */
export async function readCalendar(scope: Scope, input: GetCalendarInput): Promise<CalendarOutput> {
  const prefix = `${input.year}-`;
  const [settings, overrides] = await Promise.all([
    readCalendarSettings(scope),
    selectCalendarOverrides(scope, { from: `${input.year}-01-01`, to: `${input.year}-12-31` }),
  ]);
  return {
    settings: toSettingsOutput(settings),
    overrides,
    statutory: statutoryCalendarDays().filter((entry) => entry.day.startsWith(prefix)),
    statutoryYears: statutoryYears(),
  };
}

export async function updateCalendarSettings(
  scope: Scope,
  input: UpdateCalendarInput,
): Promise<CalendarSettingsOutput> {
  await upsertCalendarSettings(scope, input);
  return toSettingsOutput(input);
}

/** Adds or replaces the tenant's own day off or extra working day. */
export function setCalendarOverride(
  scope: Scope,
  input: SetCalendarOverrideInput,
): Promise<CalendarOverrideOutput> {
  return upsertCalendarOverride(scope, input);
}

export async function removeCalendarOverride(scope: Scope, day: string): Promise<{ day: string }> {
  if (!(await deleteCalendarOverride(scope, day)))
    throw appError('CALENDAR_OVERRIDE_NOT_FOUND', { day }, 'day');
  return { day };
}

function toSettingsOutput(settings: WorkCalendarSettings): CalendarSettingsOutput {
  return { ...settings, workingWeekdays: [...settings.workingWeekdays] };
}
