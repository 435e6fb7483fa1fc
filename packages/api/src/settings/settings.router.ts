import { permittedProcedure, router } from '../trpc';
import { customerRulesOutput, updateCustomerRulesInput } from './settings.schemas';
import { readCustomerRules, updateCustomerRules } from './settings.service';

export const settingsRouter = router({
  /** Lifecycle thresholds, value and activity levels, completeness key fields and weights. */
  customerRules: permittedProcedure('customers.read')
    .output(customerRulesOutput)
    .query(({ ctx }) => readCustomerRules(ctx.scope)),

  updateCustomerRules: permittedProcedure('tenant.update')
    .input(updateCustomerRulesInput)
    .output(customerRulesOutput)
    .mutation(({ ctx, input }) => updateCustomerRules(ctx.scope, input)),
});
