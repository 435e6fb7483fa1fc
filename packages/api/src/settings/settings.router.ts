import { permittedProcedure, router } from '../trpc';
import { customerRulesOutput, updateCustomerRulesInput } from './settings.schemas';
import { readCustomerRules, updateCustomerRules } from './settings.service';

export const settingsRouter = router({
  /** Value and activity levels, completeness weights; the lifecycle thresholds in force, read-only (行业配置 owns them). */
  customerRules: permittedProcedure('customers.read')
    .output(customerRulesOutput)
    .query(({ ctx }) => readCustomerRules(ctx.scope)),

  updateCustomerRules: permittedProcedure('tenant.update')
    .input(updateCustomerRulesInput)
    .output(customerRulesOutput)
    .mutation(({ ctx, input }) => updateCustomerRules(ctx.scope, input)),
});
