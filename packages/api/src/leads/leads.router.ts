import { permittedProcedure, router } from '../trpc';
import {
  checkLeadDuplicatesInput,
  createLeadInput,
  disqualifyLeadInput,
  leadCountsOutput,
  leadDetailOutput,
  leadDuplicatesOutput,
  leadGradesOutput,
  leadIdInput,
  leadPageOutput,
  listLeadsInput,
  logLeadContactInput,
  moveLeadInput,
  reassignLeadInput,
  regradeLeadsOutput,
  updateLeadInput,
} from './leads.schemas';
import {
  checkLeadDuplicates,
  countLeads,
  createLead,
  disqualifyLead,
  getLead,
  listLeadGrades,
  listLeads,
  logLeadContact,
  moveLead,
  reassignLead,
  regradeAllLeads,
  updateLead,
} from './leads.service';

/**
 * Leads (线索). Reading needs no permission of its own beyond membership (customers.read,
 * which every role has): which leads is the role's lead scope (`visibleLead`: a rep their
 * own, a manager their team's, marketing, analysts and admins all). Creating needs
 * leads.create; working a lead (edit, status, contacts) leads.write; reassigning,
 * disqualifying and re-grading leads.manage.
 */
export const leadsRouter = router({
  list: permittedProcedure('customers.read')
    .input(listLeadsInput)
    .output(leadPageOutput)
    .query(({ ctx, input }) => listLeads(ctx.scope, input)),

  /** 共 N 条 and the counts beside the filters: by status, by grade, overdue, due soon. */
  counts: permittedProcedure('customers.read')
    .input(listLeadsInput)
    .output(leadCountsOutput)
    .query(({ ctx, input }) => countLeads(ctx.scope, input)),

  get: permittedProcedure('customers.read')
    .input(leadIdInput)
    .output(leadDetailOutput)
    .query(({ ctx, input }) => getLead(ctx.scope, input.id)),

  /** The tenant's grades (from its plugin): filters, tags, their follow-up limits. */
  grades: permittedProcedure('customers.read')
    .output(leadGradesOutput)
    .query(({ ctx }) => listLeadGrades(ctx.scope, ctx)),

  /** Leads with the same phone or email, and customers the identity rule matches, while a lead is typed. */
  checkDuplicates: permittedProcedure('leads.create')
    .input(checkLeadDuplicatesInput)
    .output(leadDuplicatesOutput)
    .query(({ ctx, input }) => checkLeadDuplicates(ctx.scope, input)),

  create: permittedProcedure('leads.create', { idempotent: true })
    .input(createLeadInput)
    .output(leadDetailOutput)
    .mutation(({ ctx, input }) => createLead(ctx.scope, ctx, input)),

  update: permittedProcedure('leads.write')
    .input(updateLeadInput)
    .output(leadDetailOutput)
    .mutation(({ ctx, input }) => updateLead(ctx.scope, ctx, input)),

  /** new ⇄ contacted ⇄ qualified; a disqualified lead reopens with leads.manage. */
  move: permittedProcedure('leads.write')
    .input(moveLeadInput)
    .output(leadDetailOutput)
    .mutation(({ ctx, input }) => moveLead(ctx.scope, input)),

  /** A call, visit, message … on the lead: the first stops its follow-up clock. */
  logContact: permittedProcedure('leads.write', { idempotent: true })
    .input(logLeadContactInput)
    .output(leadDetailOutput)
    .mutation(({ ctx, input }) => logLeadContact(ctx.scope, input)),

  disqualify: permittedProcedure('leads.manage')
    .input(disqualifyLeadInput)
    .output(leadDetailOutput)
    .mutation(({ ctx, input }) => disqualifyLead(ctx.scope, input)),

  reassign: permittedProcedure('leads.manage')
    .input(reassignLeadInput)
    .output(leadDetailOutput)
    .mutation(({ ctx, input }) => reassignLead(ctx.scope, input)),

  /** Every open lead graded again by the grade rules (after the plugin's settings changed). */
  regrade: permittedProcedure('leads.manage')
    .output(regradeLeadsOutput)
    .mutation(({ ctx }) => regradeAllLeads(ctx.scope, ctx)),
});
