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

/**
 * The follow-up task's title, as a PostgreSQL `format()` string: the grade, then the lead's
 * name. The re-grade writes its tasks in SQL with it; grading in Node (`followUpTitle`).
 */
export const FOLLOW_UP_TITLE_FORMAT = {
  'zh-CN': '跟进 %s 级线索：%s',
  en: 'Follow up grade %s lead: %s',
} as const;

/** The longest task title (the tasks table's bound). */
export const TASK_TITLE_MAX = 200;

/**
 * Cut to the bound in characters (code points), as PostgreSQL's `left()` and the column's
 * `length()` count them: a UTF-16 slice could split an emoji in a long company name.
 */
export function followUpTitle(
  locale: keyof typeof FOLLOW_UP_TITLE_FORMAT,
  grade: string,
  name: string,
): string {
  const values = [grade, name];
  let next = 0;
  const title = FOLLOW_UP_TITLE_FORMAT[locale].replace(/%s/g, () => values[next++] ?? '');
  return Array.from(title).slice(0, TASK_TITLE_MAX).join('');
}

/** A grade followed up within a day is urgent. */
export function followUpPriority(hours: number): 'high' | 'normal' {
  return hours <= 24 ? 'high' : 'normal';
}
