import { permittedProcedure, router } from '../trpc';
import { salesMetricsInput, salesMetricsOutput } from './sales.schemas';
import { readSalesMetrics } from './sales.service';

/**
 * Sales metrics (销售指标): reading needs customers.read, like the dashboards, and counts only
 * the leads and deals the member sees (the lead scope: a rep their own, a manager their team's,
 * analysts, marketing and admins all).
 */
export const salesRouter = router({
  metrics: permittedProcedure('customers.read')
    .input(salesMetricsInput)
    .output(salesMetricsOutput)
    .query(({ ctx, input }) => readSalesMetrics(ctx.scope, ctx, input)),
});
