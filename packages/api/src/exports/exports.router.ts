import { z } from 'zod';
import { permittedProcedure, router } from '../trpc';
import { findRun, listRuns, toRunOutput } from './exports.repository';
import { createExportInput, exportRunOutput } from './exports.schemas';
import { createExport } from './exports.service';

/** Owners and admins may open any export of the tenant; everyone else only their own. */
export const seesAllExports = (role: string) => role === 'owner' || role === 'admin';

export const exportsRouter = router({
  /**
   * Queues an export of a list as it is filtered, sorted and shown; the job builds the file.
   * Sales reps cannot export (no `customers.export`); revealing sensitive values needs
   * `sensitive.reveal` and is audited per customer.
   */
  create: permittedProcedure('customers.export', { idempotent: true })
    .input(createExportInput)
    .output(exportRunOutput)
    .mutation(({ ctx, input }) => createExport(ctx, input)),

  get: permittedProcedure('customers.export')
    .input(z.strictObject({ id: z.uuid() }))
    .output(exportRunOutput)
    .query(async ({ ctx, input }) => {
      const owner = seesAllExports(ctx.role) ? null : ctx.auth.user.id;
      return toRunOutput(await findRun(ctx.trx, ctx.tenantId, input.id, owner), ctx.locale);
    }),

  /** The member's own recent exports (files are kept 24 hours). */
  list: permittedProcedure('customers.export')
    .input(z.strictObject({ limit: z.number().int().min(1).max(50).default(20) }).default({ limit: 20 }))
    .output(z.array(exportRunOutput))
    .query(async ({ ctx, input }) => {
      const runs = await listRuns(ctx.trx, ctx.tenantId, ctx.auth.user.id, input.limit);
      return runs.map((run) => toRunOutput(run, ctx.locale));
    }),
});
