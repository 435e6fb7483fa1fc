import { permittedProcedure, router } from '../trpc';
import { createExportInput, exportIdInput, exportRunOutput, listExportsInput } from './exports.schemas';
import { createExport, getExport, listExports } from './exports.service';

export const exportsRouter = router({
  /**
   * Queues an export of a list as it is filtered, sorted and shown; the job builds the file.
   * Sales reps cannot export (no `customers.export`); revealing sensitive values needs
   * `sensitive.reveal` and is audited per customer.
   */
  create: permittedProcedure('customers.export', { idempotent: true })
    .input(createExportInput)
    .output(exportRunOutput)
    .mutation(({ ctx, input }) => createExport(ctx.scope, ctx.jobs, input)),

  /** A run of the member's (owners and admins: any of the tenant's). */
  get: permittedProcedure('customers.export')
    .input(exportIdInput)
    .output(exportRunOutput)
    .query(({ ctx, input }) => getExport(ctx.scope, input.id)),

  /** The member's own recent exports (files are kept 24 hours). */
  list: permittedProcedure('customers.export')
    .input(listExportsInput)
    .output(exportRunOutput.array())
    .query(({ ctx, input }) => listExports(ctx.scope, input.limit)),
});
