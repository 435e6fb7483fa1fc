import { SLA_MODES, userText, workCalendarSettingsSchema } from '@crm/domain';
import { z } from 'zod';

/** Days the calendar accepts: wide enough for any plan, narrow enough to stay a calendar. */
const calendarDay = z.iso
  .date()
  .refine((day) => day >= '2000-01-01' && day <= '2100-12-31', 'a day between 2000 and 2100');

export const calendarSettingsOutput = z.object({
  timeZone: z.string(),
  workingHours: z.object({
    start: z.string(),
    end: z.string(),
    breakStart: z.string().nullable(),
    breakEnd: z.string().nullable(),
  }),
  workingWeekdays: z.array(z.number().int()),
  slaMode: z.enum(SLA_MODES),
});
export type CalendarSettingsOutput = z.infer<typeof calendarSettingsOutput>;

export const calendarOverrideOutput = z.object({ day: z.string(), working: z.boolean(), name: z.string() });
export type CalendarOverrideOutput = z.infer<typeof calendarOverrideOutput>;

export const getCalendarInput = z.strictObject({ year: z.number().int().min(2000).max(2100) });
export type GetCalendarInput = z.infer<typeof getCalendarInput>;

export const calendarOutput = z.object({
  settings: calendarSettingsOutput,
  /** The tenant's overrides in the year. */
  overrides: z.array(calendarOverrideOutput),
  /** Statutory holidays and make-up working days (调休) of the year. */
  statutory: z.array(
    z.object({ day: z.string(), working: z.boolean(), name: z.string(), nameEn: z.string() }),
  ),
  /** The years the statutory schedule covers; a later year has none yet. */
  statutoryYears: z.object({ first: z.number().int(), last: z.number().int() }),
});
export type CalendarOutput = z.infer<typeof calendarOutput>;

export const updateCalendarInput = workCalendarSettingsSchema.strict();
export type UpdateCalendarInput = z.infer<typeof updateCalendarInput>;

export const setCalendarOverrideInput = z.strictObject({
  day: calendarDay,
  /** false: a company holiday (公司假日); true: an extra working day. */
  working: z.boolean(),
  name: userText({ required: true, max: 50 }),
});
export type SetCalendarOverrideInput = z.infer<typeof setCalendarOverrideInput>;

export const removeCalendarOverrideInput = z.strictObject({ day: calendarDay });

export const removeCalendarOverrideOutput = z.object({ day: z.string() });
