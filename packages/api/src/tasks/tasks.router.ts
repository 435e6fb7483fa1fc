import { permittedProcedure, router } from '../trpc';
import {
  bulkTasksInput,
  bulkTasksOutput,
  closeTaskInput,
  completeTaskInput,
  completeTaskOutput,
  createTaskInput,
  listTasksInput,
  overdueBoardOutput,
  taskCalendarInput,
  taskCalendarOutput,
  taskCountsInput,
  taskCountsOutput,
  taskIdInput,
  taskOutput,
  taskPageOutput,
  updateTaskInput,
} from './tasks.schemas';
import {
  bulkTasks,
  closeTask,
  completeTask,
  countTasks,
  createTask,
  getTask,
  listCalendarTasks,
  listTasks,
  overdueBoard,
  reopenTask,
  updateTask,
} from './tasks.service';

/**
 * Tasks (任务): 我的任务 and the team's, worked one by one or in bulk. Reading needs
 * customers.read (which tasks: `visibleTask`); working one's own tasks tasks.write; working
 * others' and bulk changes tasks.manage.
 */
export const tasksRouter = router({
  /** A page of tasks by view (today, overdue, next 7 days, upcoming, done, all) and filters. */
  list: permittedProcedure('customers.read')
    .input(listTasksInput)
    .output(taskPageOutput)
    .query(({ ctx, input }) => listTasks(ctx.scope, input)),

  /** Open and done tasks due in a week or a month (任务日历). */
  calendar: permittedProcedure('customers.read')
    .input(taskCalendarInput)
    .output(taskCalendarOutput)
    .query(({ ctx, input }) => listCalendarTasks(ctx.scope, input)),

  /** The team's overdue tasks counted by owner and by customer tier (逾期看板). */
  overdueBoard: permittedProcedure('tasks.manage')
    .output(overdueBoardOutput)
    .query(({ ctx }) => overdueBoard(ctx.scope)),

  /** Open tasks due today, overdue, and in the next seven days (the navigation badge). */
  counts: permittedProcedure('customers.read')
    .input(taskCountsInput)
    .output(taskCountsOutput)
    .query(({ ctx, input }) => countTasks(ctx.scope, input.owner)),

  get: permittedProcedure('customers.read')
    .input(taskIdInput)
    .output(taskOutput)
    .query(({ ctx, input }) => getTask(ctx.scope, input.id)),

  create: permittedProcedure('tasks.write', { idempotent: true })
    .input(createTaskInput)
    .output(taskOutput)
    .mutation(({ ctx, input }) => createTask(ctx.scope, input)),

  update: permittedProcedure('tasks.write')
    .input(updateTaskInput)
    .output(taskOutput)
    .mutation(({ ctx, input }) => updateTask(ctx.scope, input)),

  /** Completes a task, logging the interaction in the same step when given. */
  complete: permittedProcedure('tasks.write', { idempotent: true })
    .input(completeTaskInput)
    .output(completeTaskOutput)
    .mutation(({ ctx, input }) => completeTask(ctx.scope, input)),

  cancel: permittedProcedure('tasks.write')
    .input(closeTaskInput)
    .output(taskOutput)
    .mutation(({ ctx, input }) => closeTask(ctx.scope, input.id, 'cancelled', input.reason)),

  skip: permittedProcedure('tasks.write')
    .input(closeTaskInput)
    .output(taskOutput)
    .mutation(({ ctx, input }) => closeTask(ctx.scope, input.id, 'skipped', input.reason)),

  reopen: permittedProcedure('tasks.write')
    .input(taskIdInput)
    .output(taskOutput)
    .mutation(({ ctx, input }) => reopenTask(ctx.scope, input.id)),

  /** Reassign, reschedule, complete or cancel many open tasks at once: all or nothing. */
  bulk: permittedProcedure('tasks.manage')
    .input(bulkTasksInput)
    .output(bulkTasksOutput)
    .mutation(({ ctx, input }) => bulkTasks(ctx.scope, input)),
});
