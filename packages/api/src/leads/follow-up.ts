import {
  addBusinessDays,
  addBusinessHours,
  addBusinessTime,
  businessTimeBetween,
  type WorkCalendar,
} from '@crm/domain';

/*
 * The follow-up clock of a lead's grade on the tenant's work calendar (pure): a grade's
 * 跟进时限 in hours counts whole days of 24 h as working days and the rest as working hours,
 * from the first working moment on or after the start — "within 24 h" of a Friday 16:00 lead
 * is Monday 16:00, of a Saturday lead the next working day's opening plus one day; 4 h from
 * 17:00 runs into the next morning.
 */

export function followUpDueAt(calendar: WorkCalendar, from: Date, hours: number): Date {
  const start = addBusinessTime(calendar, from, 0);
  const days = Math.floor(hours / 24);
  const rest = hours - days * 24;
  const afterDays = days > 0 ? addBusinessDays(calendar, start, days) : start;
  return rest > 0 ? addBusinessHours(calendar, afterDays, rest) : afterDays;
}

/** Minutes of working time from the lead's creation to its first contact (time to first contact). */
export function businessMinutesBetween(calendar: WorkCalendar, from: Date, to: Date): number {
  return Math.max(0, Math.round(businessTimeBetween(calendar, from, to) / 60_000));
}
