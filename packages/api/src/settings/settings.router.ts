import { permittedProcedure, router } from '../trpc';
import {
  customerRulesOutput,
  readCustomerRules,
  updateCustomerRules,
  updateCustomerRulesInput,
} from './customer-rules';

export const settingsRouter = router({
  /** Lifecycle thresholds, value and activity levels, completeness key fields and weights. */
  customerRules: permittedProcedure('customers.read')
    .output(customerRulesOutput)
    .query(({ ctx }) => readCustomerRules(ctx.trx, ctx.tenantId)),

  updateCustomerRules: permittedProcedure('tenant.update')
    .input(updateCustomerRulesInput)
    .output(customerRulesOutput)
    .mutation(({ ctx, input }) => updateCustomerRules(ctx.trx, ctx.tenantId, input)),
});
