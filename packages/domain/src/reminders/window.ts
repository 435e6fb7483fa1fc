import { addDays, dayInTimeZone } from './calendar-days';

/**
 * When a reminder's task is made: on the day it is due (its occasion plus the reminder's
 * offset), or up to `REMINDER_LATE_DAYS` later when the daily run missed that day (the
 * server was down) — late rather than never. A reminder due before its occasion (a
 * birthday greeting three days ahead) is not made once the occasion itself has passed.
 */
export const REMINDER_LATE_DAYS = 7;

/** How far ahead the admin's overview of upcoming reminders looks. */
export const REMINDER_UPCOMING_DAYS = 30;

export type DueWindow = { dueFrom: string; dueTo: string };

/** The due days a run on `today` makes tasks for. */
export function runWindow(today: string): DueWindow {
  return { dueFrom: addDays(today, -REMINDER_LATE_DAYS), dueTo: today };
}

/** The due days the upcoming overview counts: tomorrow and the following days. */
export function upcomingWindow(today: string, days = REMINDER_UPCOMING_DAYS): DueWindow {
  return { dueFrom: addDays(today, 1), dueTo: addDays(today, days) };
}

/**
 * The occasions that can be due in a window, for reminders with these offsets: a reminder
 * 10 days before (−10) is due in the window when its occasion is 10 days after it.
 */
export function occasionWindow(window: DueWindow, offsets: readonly number[]): { from: string; to: string } {
  const low = Math.min(0, ...offsets);
  const high = Math.max(0, ...offsets);
  return { from: addDays(window.dueFrom, -high), to: addDays(window.dueTo, -low) };
}

/** The reps' calendar day at an instant: reminders follow the day in China unless told otherwise. */
export function reminderToday(now: Date, timeZone = 'Asia/Shanghai'): string {
  return dayInTimeZone(now, timeZone);
}
