import { permittedProcedure, router } from '../trpc';
import {
  applyAssignmentInput,
  assignmentEntityInput,
  assignmentPreviewOutput,
  assignmentResultOutput,
  assignmentRuleIdInput,
  assignmentRuleOutput,
  moveAssignmentRuleInput,
  previewAssignmentInput,
  saveAssignmentRuleInput,
} from './assignment.schemas';
import {
  applyAssignment,
  deleteAssignmentRule,
  listAssignmentRules,
  moveAssignmentRule,
  previewAssignment,
  saveAssignmentRule,
} from './assignment.service';

/**
 * Assignment rules (分配规则): admins configure them (pool.configure); managers see them, run
 * them over records without an owner and preview who a record would go to (pool.assign).
 */
export const assignmentRouter = router({
  rules: permittedProcedure('pool.assign')
    .input(assignmentEntityInput)
    .output(assignmentRuleOutput.array())
    .query(({ ctx, input }) => listAssignmentRules(ctx.scope, input.entity)),

  saveRule: permittedProcedure('pool.configure', { idempotent: true })
    .input(saveAssignmentRuleInput)
    .output(assignmentRuleOutput)
    .mutation(({ ctx, input }) => saveAssignmentRule(ctx.scope, input)),

  deleteRule: permittedProcedure('pool.configure')
    .input(assignmentRuleIdInput)
    .output(assignmentRuleIdInput)
    .mutation(({ ctx, input }) => deleteAssignmentRule(ctx.scope, input.id)),

  moveRule: permittedProcedure('pool.configure')
    .input(moveAssignmentRuleInput)
    .output(assignmentRuleOutput.array())
    .mutation(({ ctx, input }) => moveAssignmentRule(ctx.scope, input)),

  /** Who a lead or customer would go to now (an existing one, or one with these fields). */
  preview: permittedProcedure('pool.assign')
    .input(previewAssignmentInput)
    .output(assignmentPreviewOutput)
    .query(({ ctx, input }) => previewAssignment(ctx.scope, input)),

  /** 按规则分配: the rules over records without an owner, in the pool or the member's unassigned. */
  run: permittedProcedure('pool.assign', { idempotent: true })
    .input(applyAssignmentInput)
    .output(assignmentResultOutput)
    .mutation(({ ctx, input }) => applyAssignment(ctx.scope, input)),
});
