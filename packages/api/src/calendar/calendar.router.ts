import { permittedProcedure, router } from '../trpc';
import {
  calendarOutput,
  calendarOverrideOutput,
  calendarSettingsOutput,
  getCalendarInput,
  removeCalendarOverrideInput,
  removeCalendarOverrideOutput,
  setCalendarOverrideInput,
  updateCalendarInput,
} from './calendar.schemas';
import {
  readCalendar,
  removeCalendarOverride,
  setCalendarOverride,
  updateCalendarSettings,
} from './calendar.service';

/**
 * The work calendar (工作日历): time zone, working hours and days, SLA time mode, statutory
 * holidays and 调休, the tenant's own days off. Every member reads it (due dates and SLA
 * clocks follow it); owners and admins change it.
 */
export const calendarRouter = router({
  get: permittedProcedure('customers.read')
    .input(getCalendarInput)
    .output(calendarOutput)
    .query(({ ctx, input }) => readCalendar(ctx.scope, input)),

  update: permittedProcedure('calendar.manage')
    .input(updateCalendarInput)
    .output(calendarSettingsOutput)
    .mutation(({ ctx, input }) => updateCalendarSettings(ctx.scope, input)),

  setOverride: permittedProcedure('calendar.manage')
    .input(setCalendarOverrideInput)
    .output(calendarOverrideOutput)
    .mutation(({ ctx, input }) => setCalendarOverride(ctx.scope, input)),

  removeOverride: permittedProcedure('calendar.manage')
    .input(removeCalendarOverrideInput)
    .output(removeCalendarOverrideOutput)
    .mutation(({ ctx, input }) => removeCalendarOverride(ctx.scope, input.day)),
});
