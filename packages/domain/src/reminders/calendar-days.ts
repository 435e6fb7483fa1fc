/**
 * Calendar days as 'YYYY-MM-DD' strings (the form the database's date columns are read in),
 * with arithmetic in UTC so no local time zone or daylight saving shifts a day.
 */

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export type DayParts = { year: number; month: number; day: number };

export function partsOfDay(day: string): DayParts {
  const match = DAY_PATTERN.exec(day);
  if (!match) throw new RangeError(`not a calendar day: ${day}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function dayOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(day: string, days: number): string {
  const { year, month, day: date } = partsOfDay(day);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = partsOfDay(from);
  const b = partsOfDay(to);
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * One formatter per time zone, made once: building an Intl.DateTimeFormat (which
 * `toLocaleString` with a time zone, and so dayjs's `tz()`, does on every call) costs about a
 * hundred times formatting with one (measured on the task list's "today", read per request).
 * Bounded by the IANA zones a tenant may choose.
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone (Asia/Shanghai: the day a rep in China lives). */
export function dayInTimeZone(instant: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  let year = '';
  let month = '';
  let day = '';
  for (const part of format.formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

/**
 * The day a yearly date recurs in `year`: the same month and day, except that 29 February
 * falls on 28 February in years without it (the usual choice, and the one the database's
 * statements make too).
 */
export function yearlyOccurrence(day: string, year: number): string {
  const { month, day: date } = partsOfDay(day);
  if (month === 2 && date === 29 && !isLeapYear(year)) return dayOf(year, 2, 28);
  return dayOf(year, month, date);
}
