import { permittedProcedure, router } from '../trpc';
import {
  createViewInput,
  listSearchViewsInput,
  saveSearchViewInput,
  searchViewOutput,
  updateViewInput,
  viewIdInput,
  viewIdOutput,
  viewOutput,
} from './views.schemas';
import {
  createView,
  deleteView,
  listSearchViews,
  listViews,
  saveSearchView,
  updateView,
} from './views.service';

/**
 * Saved list views: each member's own, and views shared with the whole tenant. `list`,
 * `create` and `update` are the customer list's (filters, sort and columns); `searches` and
 * `saveSearch` the 线索 and 商机 lists' (their filters); `delete` removes a view of any list.
 */
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

  searches: permittedProcedure('customers.read')
    .input(listSearchViewsInput)
    .output(searchViewOutput.array())
    .query(({ ctx, input }) => listSearchViews(ctx.scope, input)),

  saveSearch: permittedProcedure('customers.read', { idempotent: true })
    .input(saveSearchViewInput)
    .output(searchViewOutput)
    .mutation(({ ctx, input }) => saveSearchView(ctx.scope, input)),

  delete: permittedProcedure('customers.read')
    .input(viewIdInput)
    .output(viewIdOutput)
    .mutation(({ ctx, input }) => deleteView(ctx.scope, input.id)),
});
