import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { dayInTimeZone } from '../reminders/calendar-days';
import { DEFAULT_WORK_CALENDAR_SETTINGS, minutesOfTime, type WorkCalendarSettings } from './settings';
import { type StatutoryDay, statutoryCalendarDays } from './statutory';

dayjs.extend(utc);
dayjs.extend(timezone);

/** A calendar date, 'YYYY-MM-DD', in the calendar's time zone. */
export type IsoDay = string;

/** A tenant's own deviation from the statutory calendar: a company holiday or an extra working day. */
export type CalendarOverride = { day: IsoDay; working: boolean; name: string };

export type DayMark = { working: boolean; name: string };

/**
 * A tenant's work calendar: its settings, the statutory schedule and its overrides.
 * A value: build it once (`createWorkCalendar`, or the API's `loadWorkCalendar(scope)`) and
 * pass it to the functions below.
 */
export type WorkCalendar = WorkCalendarSettings & {
  statutory: ReadonlyMap<IsoDay, DayMark>;
  overrides: ReadonlyMap<IsoDay, DayMark>;
};

/** Why a day is or is not a working day: a tenant override wins over the statutory schedule, which wins over the weekdays. */
export type DayDescription = {
  day: IsoDay;
  working: boolean;
  source: 'override' | 'statutory' | 'weekday';
  /** The override's or the holiday's name; '' for an ordinary day. */
  name: string;
};

const DAY_MS = 86_400_000;
/** No calendar goes ten years without a working day; past this a loop is a bug, not a wait. */
const MAX_DAYS_SEARCHED = 3_660;

let statutoryMap: ReadonlyMap<IsoDay, DayMark> | undefined;

function defaultStatutory(): ReadonlyMap<IsoDay, DayMark> {
  statutoryMap ??= toStatutoryMap(statutoryCalendarDays());
  return statutoryMap;
}

export function toStatutoryMap(days: readonly Pick<StatutoryDay, 'day' | 'working' | 'name'>[]) {
  return new Map(days.map((day) => [day.day, { working: day.working, name: day.name }] as const));
}

export function createWorkCalendar(
  settings: WorkCalendarSettings = DEFAULT_WORK_CALENDAR_SETTINGS,
  overrides: readonly CalendarOverride[] = [],
  statutory: ReadonlyMap<IsoDay, DayMark> = defaultStatutory(),
): WorkCalendar {
  return {
    ...settings,
    statutory,
    overrides: new Map(
      overrides.map((entry) => [entry.day, { working: entry.working, name: entry.name }] as const),
    ),
  };
}

/** The date `days` after (or before) `day`: date arithmetic, no time zone involved. */
export function shiftDay(day: IsoDay, days: number): IsoDay {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: IsoDay): number {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

export function describeDay(calendar: WorkCalendar, day: IsoDay): DayDescription {
  const override = calendar.overrides.get(day);
  if (override) return { day, working: override.working, source: 'override', name: override.name };
  const statutory = calendar.statutory.get(day);
  if (statutory) return { day, working: statutory.working, source: 'statutory', name: statutory.name };
  return { day, working: calendar.workingWeekdays.includes(isoWeekday(day)), source: 'weekday', name: '' };
}

export function isWorkingDay(calendar: WorkCalendar, day: IsoDay): boolean {
  return describeDay(calendar, day).working;
}

/** The first working day on or after `day`. */
export function nextWorkingDay(calendar: WorkCalendar, day: IsoDay): IsoDay {
  let current = day;
  for (let step = 0; step < MAX_DAYS_SEARCHED; step++) {
    if (isWorkingDay(calendar, current)) return current;
    current = shiftDay(current, 1);
  }
  throw new RangeError(`No working day within ${MAX_DAYS_SEARCHED} days of ${day}`);
}

/**
 * The day `n` working days after (n > 0) or before (n < 0) `day`, counting only working days
 * and not `day` itself: from a Friday, +1 is the next working Monday; from a Saturday too.
 * n = 0 is `nextWorkingDay(day)`.
 */
export function addWorkingDays(calendar: WorkCalendar, day: IsoDay, n: number): IsoDay {
  if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
  if (n === 0) return nextWorkingDay(calendar, day);
  const direction = n > 0 ? 1 : -1;
  let remaining = Math.abs(n);
  let current = day;
  for (let step = 0; step < MAX_DAYS_SEARCHED * Math.max(1, Math.ceil(remaining / 200)); step++) {
    current = shiftDay(current, direction);
    if (isWorkingDay(calendar, current)) {
      remaining -= 1;
      if (remaining === 0) return current;
    }
  }
  throw new RangeError(`No ${n} working days from ${day}`);
}

/** The calendar day an instant falls on in the calendar's time zone. */
export function localDayOf(calendar: Pick<WorkCalendar, 'timeZone'>, instant: Date): IsoDay {
  return dayInTimeZone(instant, calendar.timeZone);
}

/** The instant of a local wall-clock time ('HH:MM' or 'HH:MM:ss.SSS') on a day, in the calendar's zone. */
export function instantAt(calendar: Pick<WorkCalendar, 'timeZone'>, day: IsoDay, time: string): Date {
  return dayjs.tz(`${day} ${time}`, calendar.timeZone).toDate();
}

/**
 * `n` working days after `instant` at the same local time of day (a due date "in 3 working
 * days"): Friday 15:00 + 1 is Monday 15:00; across 国庆 it lands after the holiday.
 */
export function addBusinessDays(calendar: WorkCalendar, instant: Date, n: number): Date {
  const local = dayjs(instant).tz(calendar.timeZone);
  const day = addWorkingDays(calendar, local.format('YYYY-MM-DD'), n);
  return instantAt(calendar, day, local.format('HH:mm:ss.SSS'));
}

/** The working periods of a day as [start, end) instants (two with a lunch break), none on a day off. */
export function workingPeriods(calendar: WorkCalendar, day: IsoDay): [Date, Date][] {
  if (!isWorkingDay(calendar, day)) return [];
  const { start, end, breakStart, breakEnd } = calendar.workingHours;
  const at = (time: string) => instantAt(calendar, day, time);
  if (breakStart === null || breakEnd === null) return [[at(start), at(end)]];
  return [
    [at(start), at(breakStart)],
    [at(breakEnd), at(end)],
  ];
}

/** Working time of one ordinary working day, in ms. */
export function workingDayLength(calendar: WorkCalendar): number {
  const { start, end, breakStart, breakEnd } = calendar.workingHours;
  const breakMinutes =
    breakStart === null || breakEnd === null ? 0 : minutesOfTime(breakEnd) - minutesOfTime(breakStart);
  return (minutesOfTime(end) - minutesOfTime(start) - breakMinutes) * 60_000;
}

/**
 * The instant after `ms` of working time from `instant`, carrying over nights, lunch breaks,
 * weekends, holidays and company days off. Adding 0 gives the first working moment on or
 * after `instant`; a sum that ends exactly at closing time ends there (not the next morning).
 */
export function addBusinessTime(calendar: WorkCalendar, instant: Date, ms: number): Date {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('business time to add must be ≥ 0');
  let remaining = ms;
  let day = localDayOf(calendar, instant);
  for (let step = 0; step < MAX_DAYS_SEARCHED + ms / DAY_MS; step++, day = shiftDay(day, 1)) {
    for (const [start, end] of workingPeriods(calendar, day)) {
      const from = Math.max(start.getTime(), instant.getTime());
      if (from >= end.getTime()) continue;
      const available = end.getTime() - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
    }
  }
  throw new RangeError(`No working time within ${MAX_DAYS_SEARCHED} days of ${instant.toISOString()}`);
}

export function addBusinessHours(calendar: WorkCalendar, instant: Date, hours: number): Date {
  return addBusinessTime(calendar, instant, hours * 3_600_000);
}

/** Working time between two instants, in ms (negative when `to` is before `from`). */
export function businessTimeBetween(calendar: WorkCalendar, from: Date, to: Date): number {
  if (to.getTime() < from.getTime()) return -businessTimeBetween(calendar, to, from);
  const last = localDayOf(calendar, to);
  let total = 0;
  for (let day = localDayOf(calendar, from); day <= last; day = shiftDay(day, 1)) {
    for (const [start, end] of workingPeriods(calendar, day)) {
      const overlap = Math.min(end.getTime(), to.getTime()) - Math.max(start.getTime(), from.getTime());
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}
