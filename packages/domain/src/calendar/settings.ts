import { z } from 'zod';

/** How an SLA's "within 24 h" is counted: wall-clock time, or working hours only. */
export const SLA_MODES = ['calendar', 'business'] as const;
export type SlaMode = (typeof SLA_MODES)[number];

/** ISO weekdays: 1 = Monday … 7 = Sunday (PostgreSQL's `extract(isodow …)`). */
export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export type WorkingHours = {
  /** 'HH:MM', local to the calendar's time zone. */
  start: string;
  end: string;
  /** A lunch break inside the day, or both null. */
  breakStart: string | null;
  breakEnd: string | null;
};

export type WorkCalendarSettings = {
  /** IANA time zone the working hours and days are read in. */
  timeZone: string;
  workingHours: WorkingHours;
  /** ISO weekdays that are working days unless the statutory calendar or an override says otherwise. */
  workingWeekdays: readonly number[];
  /** The tenant's default for SLA targets. */
  slaMode: SlaMode;
};

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export const DEFAULT_WORK_CALENDAR_SETTINGS: WorkCalendarSettings = {
  timeZone: DEFAULT_TIME_ZONE,
  workingHours: { start: '09:00', end: '18:00', breakStart: '12:00', breakEnd: '13:30' },
  workingWeekdays: [1, 2, 3, 4, 5],
  slaMode: 'business',
};

/** Minutes since local midnight of an 'HH:MM' time. */
export function minutesOfTime(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Whether the runtime (Node's and the browser's ICU) knows the IANA zone. */
export function isTimeZone(value: string): boolean {
  if (value === 'UTC') return true;
  try {
    return Intl.supportedValuesOf('timeZone').includes(value);
  } catch {
    return false;
  }
}

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const workingHoursSchema = z
  .object({
    start: timeOfDay,
    end: timeOfDay,
    breakStart: timeOfDay.nullable(),
    breakEnd: timeOfDay.nullable(),
  })
  .superRefine((hours, context) => {
    const start = minutesOfTime(hours.start);
    const end = minutesOfTime(hours.end);
    if (end <= start) context.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' });
    if ((hours.breakStart === null) !== (hours.breakEnd === null)) {
      context.addIssue({ code: 'custom', path: ['breakEnd'], message: 'a break has a start and an end' });
      return;
    }
    if (hours.breakStart !== null && hours.breakEnd !== null) {
      const breakStart = minutesOfTime(hours.breakStart);
      const breakEnd = minutesOfTime(hours.breakEnd);
      if (!(start < breakStart && breakStart < breakEnd && breakEnd < end))
        context.addIssue({
          code: 'custom',
          path: ['breakStart'],
          message: 'the break lies inside the working hours',
        });
    }
  });

export const workCalendarSettingsSchema = z.object({
  timeZone: z.string().max(64).refine(isTimeZone, 'unknown time zone'),
  workingHours: workingHoursSchema,
  workingWeekdays: z
    .array(z.number().int().min(1).max(7))
    .min(1)
    .max(7)
    .refine((days) => new Set(days).size === days.length, 'each weekday once')
    .transform((days) => [...days].sort((a, b) => a - b)),
  slaMode: z.enum(SLA_MODES),
});
