import { permittedProcedure, router } from '../trpc';
import {
  approvalsInput,
  approvalsOutput,
  approveInput,
  customerPlansInput,
  customerPlansOutput,
  decisionResult,
  goalsInput,
  goalsOutput,
  planSettingsInput,
  planSettingsOutput,
  rejectInput,
  savePlanSettingsOutput,
  submitInput,
} from './plans.schemas';
import {
  approvePlan,
  customerPlans,
  listApprovals,
  readPlanSettings,
  rejectPlan,
  savePlanSettings,
  setPlanGoals,
  submitPlan,
} from './plans.service';

/**
 * Maintenance plans (维护计划): a customer's plans on its 360 page, the managers' approvals
 * inbox (审批), plan goals and the tenant's plan settings. Plans themselves are made and kept
 * current by the re-plan (plans.service.ts), never by hand.
 */
export const plansRouter = router({
  forCustomer: permittedProcedure('customers.read')
    .input(customerPlansInput)
    .output(customerPlansOutput)
    .query(({ ctx, input }) => customerPlans(ctx.scope, ctx.plugins, input.customerId)),

  /** Plans waiting for approval whose customers the manager sees (the team's; an admin: all). */
  approvals: permittedProcedure('plans.approve')
    .input(approvalsInput)
    .output(approvalsOutput)
    .query(({ ctx, input }) => listApprovals(ctx.scope, ctx.plugins, input)),

  approve: permittedProcedure('plans.approve')
    .input(approveInput)
    .output(decisionResult)
    .mutation(({ ctx, input }) => approvePlan(ctx.scope, input)),

  reject: permittedProcedure('plans.approve')
    .input(rejectInput)
    .output(decisionResult)
    .mutation(({ ctx, input }) => rejectPlan(ctx.scope, input)),

  /** A draft or rejected plan back to the approvals inbox. */
  submit: permittedProcedure('plans.manage')
    .input(submitInput)
    .output(decisionResult)
    .mutation(({ ctx, input }) => submitPlan(ctx.scope, input)),

  setGoals: permittedProcedure('plans.manage')
    .input(goalsInput)
    .output(goalsOutput)
    .mutation(({ ctx, input }) => setPlanGoals(ctx.scope, input)),

  settings: permittedProcedure('customers.read')
    .output(planSettingsOutput)
    .query(({ ctx }) => readPlanSettings(ctx.scope)),

  saveSettings: permittedProcedure('plans.manage')
    .input(planSettingsInput)
    .output(savePlanSettingsOutput)
    .mutation(({ ctx, input }) => savePlanSettings(ctx.scope, input)),
});
