import { permittedProcedure, router } from '../trpc';
import { configureInput, runOutput, upcomingOutput } from './reminders.schemas';
import { configureReminder, runReminders, upcomingReminders } from './reminders.service';

/**
 * Reminders (提醒) from the industry plugin and the core: birthdays (公历 and 农历),
 * anniversaries, the call-back after a first order, festival greetings and date fields.
 * The daily job makes their tasks; admins who configure maintenance see what is coming,
 * switch reminders on or off, change their offsets, and run the job now.
 */
export const remindersRouter = router({
  upcoming: permittedProcedure('plans.manage')
    .output(upcomingOutput)
    .query(({ ctx }) => upcomingReminders(ctx.scope, ctx.plugins)),

  configure: permittedProcedure('plans.manage')
    .input(configureInput)
    .output(upcomingOutput)
    .mutation(({ ctx, input }) => configureReminder(ctx.scope, ctx.plugins, input)),

  run: permittedProcedure('plans.manage')
    .output(runOutput)
    .mutation(({ ctx }) => runReminders(ctx.scope, ctx.plugins)),
});
