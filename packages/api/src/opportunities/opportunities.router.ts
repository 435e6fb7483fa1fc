import { permittedProcedure, router } from '../trpc';
import {
  boardInput,
  boardOutput,
  changedOutput,
  convertLeadInput,
  convertLeadOutput,
  createOpportunityInput,
  listOpportunitiesInput,
  moveOpportunityInput,
  opportunityDetailOutput,
  opportunityIdInput,
  opportunityPageOutput,
  pipelineOutput,
  reassignOpportunitiesInput,
  saveLostReasonInput,
  setActionInput,
  updateOpportunityInput,
} from './opportunities.schemas';
import {
  convertLead,
  createOpportunity,
  editOpportunity,
  getOpportunity,
  getPipeline,
  listOpportunities,
  moveOpportunity,
  opportunityBoard,
  reassignOpportunities,
  saveLostReason,
  setOpportunityAction,
} from './opportunities.service';

/**
 * Opportunities (商机) and the pipeline. Reading needs customers.read (which deals: the lead
 * scope on the owner, `visibleOpportunity`); creating, editing, ticking actions and moving
 * opportunities.write; reassigning and the lost reasons opportunities.manage.
 */
export const opportunitiesRouter = router({
  /** The tenant's stages (from its plugin), their checklists and gates, and the lost reasons. */
  pipeline: permittedProcedure('customers.read')
    .output(pipelineOutput)
    .query(({ ctx }) => getPipeline(ctx.scope, ctx)),

  list: permittedProcedure('customers.read')
    .input(listOpportunitiesInput)
    .output(opportunityPageOutput)
    .query(({ ctx, input }) => listOpportunities(ctx.scope, input)),

  /** The kanban: the first page of each stage with its count and amount. */
  board: permittedProcedure('customers.read')
    .input(boardInput)
    .output(boardOutput)
    .query(({ ctx, input }) => opportunityBoard(ctx.scope, ctx, input)),

  get: permittedProcedure('customers.read')
    .input(opportunityIdInput)
    .output(opportunityDetailOutput)
    .query(({ ctx, input }) => getOpportunity(ctx.scope, ctx, input.id)),

  create: permittedProcedure('opportunities.write', { idempotent: true })
    .input(createOpportunityInput)
    .output(opportunityDetailOutput)
    .mutation(({ ctx, input }) => createOpportunity(ctx.scope, ctx, input)),

  update: permittedProcedure('opportunities.write')
    .input(updateOpportunityInput)
    .output(opportunityDetailOutput)
    .mutation(({ ctx, input }) => editOpportunity(ctx.scope, ctx, input)),

  /** A stage move: gates checked going forward, a reason when lost, the order and hand-off when won. */
  move: permittedProcedure('opportunities.write', { idempotent: true })
    .input(moveOpportunityInput)
    .output(opportunityDetailOutput)
    .mutation(({ ctx, input }) => moveOpportunity(ctx.scope, ctx, input)),

  /** Ticks a standard action of the current stage off, or back on. */
  setAction: permittedProcedure('opportunities.write')
    .input(setActionInput)
    .output(opportunityDetailOutput)
    .mutation(({ ctx, input }) => setOpportunityAction(ctx.scope, ctx, input)),

  reassign: permittedProcedure('opportunities.manage')
    .input(reassignOpportunitiesInput)
    .output(changedOutput)
    .mutation(({ ctx, input }) => reassignOpportunities(ctx.scope, input)),

  /** 线索转化: the lead becomes a contact, a customer (new or existing) and an opportunity, in one transaction. */
  convertLead: permittedProcedure('opportunities.write', { idempotent: true })
    .input(convertLeadInput)
    .output(convertLeadOutput)
    .mutation(({ ctx, input }) => convertLead(ctx.scope, ctx, input)),

  saveLostReason: permittedProcedure('opportunities.manage')
    .input(saveLostReasonInput)
    .output(pipelineOutput)
    .mutation(({ ctx, input }) => saveLostReason(ctx.scope, ctx, input)),
});
