import { permittedProcedure, router } from '../trpc';
import {
  assignTicketInput,
  createFromInteractionInput,
  createTicketInput,
  deleteTicketSlaPolicyInput,
  hideTicketCategoryInput,
  inboundEmailRotatedOutput,
  inboundEmailSettingsOutput,
  listTicketsInput,
  moveTicketInput,
  replyTicketInput,
  saveTicketCategoryInput,
  saveTicketSlaPolicyInput,
  ticketCountsOutput,
  ticketDetailOutput,
  ticketIdInput,
  ticketKpisInput,
  ticketKpisOutput,
  ticketPageOutput,
  ticketSettingsOutput,
  updateTicketInput,
} from './tickets.schemas';
import {
  assignTicket,
  createTicket,
  createTicketFromInteraction,
  getInboundEmailSettings,
  getTicket,
  getTicketSettings,
  hideTicketCategory,
  listTickets,
  moveTicket,
  removeTicketSlaPolicy,
  replyTicket,
  rotateInboundEmailSecret,
  saveTicketCategory,
  saveTicketSlaPolicy,
  ticketCounts,
  ticketKpis,
  updateTicket,
} from './tickets.service';

/**
 * Tickets (工单): complaints, feedback, service requests and questions on an SLA clock.
 * Reading needs customers.read (which tickets: `visibleTicket`); opening one tickets.create;
 * replying and moving status tickets.work (one's own or the queue's); assigning others and
 * working the team's tickets.manage; categories and SLA policies tickets.configure.
 */
export const ticketsRouter = router({
  list: permittedProcedure('customers.read')
    .input(listTicketsInput)
    .output(ticketPageOutput)
    .query(({ ctx, input }) => listTickets(ctx.scope, ctx, input)),

  /** Open tickets: mine, unassigned, at risk and breached (the navigation's badge). */
  counts: permittedProcedure('customers.read')
    .output(ticketCountsOutput)
    .query(({ ctx }) => ticketCounts(ctx.scope)),

  get: permittedProcedure('customers.read')
    .input(ticketIdInput)
    .output(ticketDetailOutput)
    .query(({ ctx, input }) => getTicket(ctx.scope, ctx, input.id)),

  create: permittedProcedure('tickets.create', { idempotent: true })
    .input(createTicketInput)
    .output(ticketDetailOutput)
    .mutation(({ ctx, input }) => createTicket(ctx.scope, ctx, input)),

  /** One click on a complaint interaction: the ticket, its clock started when the complaint was made. */
  createFromInteraction: permittedProcedure('tickets.create', { idempotent: true })
    .input(createFromInteractionInput)
    .output(ticketDetailOutput)
    .mutation(({ ctx, input }) => createTicketFromInteraction(ctx.scope, ctx, input)),

  update: permittedProcedure('tickets.work')
    .input(updateTicketInput)
    .output(ticketDetailOutput)
    .mutation(({ ctx, input }) => updateTicket(ctx.scope, ctx, input)),

  /** Take a queue ticket or give one's own back (tickets.work); assign anyone in reach (tickets.manage). */
  assign: permittedProcedure('tickets.work')
    .input(assignTicketInput)
    .output(ticketDetailOutput)
    .mutation(({ ctx, input }) => assignTicket(ctx.scope, ctx, input)),

  /** A reply to the customer (the first is the first response), an internal note, or the customer's reply. */
  reply: permittedProcedure('tickets.work', { idempotent: true })
    .input(replyTicketInput)
    .output(ticketDetailOutput)
    .mutation(({ ctx, input }) => replyTicket(ctx.scope, ctx, input)),

  /** new → in progress → waiting on the customer → resolved → closed, and reopen. */
  move: permittedProcedure('tickets.work')
    .input(moveTicketInput)
    .output(ticketDetailOutput)
    .mutation(({ ctx, input }) => moveTicket(ctx.scope, ctx, input)),

  settings: permittedProcedure('customers.read')
    .output(ticketSettingsOutput)
    .query(({ ctx }) => getTicketSettings(ctx.scope, ctx)),

  saveCategory: permittedProcedure('tickets.configure')
    .input(saveTicketCategoryInput)
    .output(ticketSettingsOutput)
    .mutation(({ ctx, input }) => saveTicketCategory(ctx.scope, ctx, input)),

  hideCategory: permittedProcedure('tickets.configure')
    .input(hideTicketCategoryInput)
    .output(ticketSettingsOutput)
    .mutation(({ ctx, input }) => hideTicketCategory(ctx.scope, ctx, input)),

  saveSlaPolicy: permittedProcedure('tickets.configure')
    .input(saveTicketSlaPolicyInput)
    .output(ticketSettingsOutput)
    .mutation(({ ctx, input }) => saveTicketSlaPolicy(ctx.scope, ctx, input)),

  deleteSlaPolicy: permittedProcedure('tickets.configure')
    .input(deleteTicketSlaPolicyInput)
    .output(ticketSettingsOutput)
    .mutation(({ ctx, input }) => removeTicketSlaPolicy(ctx.scope, ctx, input.id)),

  /** Closure rate, first-response and resolution times, SLA met rates, per month, category, tier, agent … */
  kpis: permittedProcedure('customers.read')
    .input(ticketKpisInput)
    .output(ticketKpisOutput)
    .query(({ ctx, input }) => ticketKpis(ctx.scope, input)),

  /** The tenant's inbound email address (邮件转工单) and the messages it received lately. */
  inboundEmail: permittedProcedure('tickets.configure')
    .output(inboundEmailSettingsOutput)
    .query(({ ctx }) => getInboundEmailSettings(ctx.scope)),

  /** A new address and signing secret (the old address stops at once); the secret is shown once. */
  rotateInboundEmail: permittedProcedure('tickets.configure')
    .output(inboundEmailRotatedOutput)
    .mutation(({ ctx }) => rotateInboundEmailSecret(ctx.scope)),
});
