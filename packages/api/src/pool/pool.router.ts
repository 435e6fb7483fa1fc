import { permittedProcedure, router } from '../trpc';
import {
  assignFromPoolInput,
  assignFromPoolOutput,
  claimInput,
  claimOutput,
  listPoolInput,
  poolMoveOutput,
  poolPageOutput,
  poolRecordInput,
  poolSettingsOutput,
  poolSummaryOutput,
  recycleRunOutput,
  releaseInput,
  releaseOutput,
  savePoolSettingsInput,
  saveRecycleRuleInput,
} from './pool.schemas';
import {
  assignFromPool,
  claimFromPool,
  getPoolSettings,
  listPool,
  poolHistory,
  poolSummary,
  releaseToThePool,
  runPoolRecycle,
  savePoolSettings,
  saveRecycleRule,
} from './pool.service';

/**
 * 公海 (the public pool): reps see it, claim from it within their daily limit and release
 * their own to it (pool.claim); managers assign from it to their team and release their
 * team's (pool.assign); admins set the recycle rules, claim limits and warnings
 * (pool.configure). The moves of a record read like its timeline (customers.read and the
 * record's own access).
 */
export const poolRouter = router({
  summary: permittedProcedure('pool.claim')
    .output(poolSummaryOutput)
    .query(({ ctx }) => poolSummary(ctx.scope, ctx)),

  list: permittedProcedure('pool.claim')
    .input(listPoolInput)
    .output(poolPageOutput)
    .query(({ ctx, input }) => listPool(ctx.scope, input)),

  claim: permittedProcedure('pool.claim', { idempotent: true })
    .input(claimInput)
    .output(claimOutput)
    .mutation(({ ctx, input }) => claimFromPool(ctx.scope, ctx, input)),

  release: permittedProcedure('pool.claim', { idempotent: true })
    .input(releaseInput)
    .output(releaseOutput)
    .mutation(({ ctx, input }) => releaseToThePool(ctx.scope, input)),

  assign: permittedProcedure('pool.assign', { idempotent: true })
    .input(assignFromPoolInput)
    .output(assignFromPoolOutput)
    .mutation(({ ctx, input }) => assignFromPool(ctx.scope, input)),

  history: permittedProcedure('customers.read')
    .input(poolRecordInput)
    .output(poolMoveOutput.array())
    .query(({ ctx, input }) => poolHistory(ctx.scope, input)),

  settings: permittedProcedure('pool.configure')
    .output(poolSettingsOutput)
    .query(({ ctx }) => getPoolSettings(ctx.scope, ctx)),

  saveSettings: permittedProcedure('pool.configure')
    .input(savePoolSettingsInput)
    .output(poolSettingsOutput)
    .mutation(({ ctx, input }) => savePoolSettings(ctx.scope, ctx, input)),

  saveRecycleRule: permittedProcedure('pool.configure')
    .input(saveRecycleRuleInput)
    .output(poolSettingsOutput)
    .mutation(({ ctx, input }) => saveRecycleRule(ctx.scope, ctx, input)),

  /** 立即回收: today's recycle and warnings now, as the daily job would run them. */
  recycleNow: permittedProcedure('pool.configure')
    .output(recycleRunOutput)
    .mutation(({ ctx }) => runPoolRecycle(ctx.scope, ctx.plugins)),
});
