import { permittedProcedure, router } from '../trpc';
import { createViewInput, updateViewInput, viewIdInput, viewIdOutput, viewOutput } from './views.schemas';
import { createView, deleteView, listViews, updateView } from './views.service';

/** Saved customer list views: each member's own, and views shared with the whole tenant. */
export const viewsRouter = router({
  list: permittedProcedure('customers.read')
    .output(viewOutput.array())
    .query(({ ctx }) => listViews(ctx.scope)),

  create: permittedProcedure('customers.read', { idempotent: true })
    .input(createViewInput)
    .output(viewOutput)
    .mutation(({ ctx, input }) => createView(ctx.scope, input)),

  update: permittedProcedure('customers.read')
    .input(updateViewInput)
    .output(viewOutput)
    .mutation(({ ctx, input }) => updateView(ctx.scope, input)),

  delete: permittedProcedure('customers.read')
    .input(viewIdInput)
    .output(viewIdOutput)
    .mutation(({ ctx, input }) => deleteView(ctx.scope, input.id)),
});
