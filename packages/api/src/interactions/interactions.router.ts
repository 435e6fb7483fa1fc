import { z } from 'zod';
import { countOutput } from '../counts';
import { permittedProcedure, router } from '../trpc';
import {
  interactionFiltersInput,
  interactionIdOutput,
  interactionListPageOutput,
  interactionOutput,
  listAllInteractionsInput,
  listInteractionsInput,
  logInteractionInput,
} from './interactions.schemas';
import {
  countInteractionList,
  listAllInteractions,
  listInteractions,
  logInteraction,
} from './interactions.service';

export const interactionsRouter = router({
  /** Logs a touch from the customer page: kind and summary are all it needs. */
  log: permittedProcedure('interactions.write', { idempotent: true })
    .input(logInteractionInput)
    .output(interactionIdOutput)
    .mutation(({ ctx, input }) => logInteraction(ctx.scope, input)),

  list: permittedProcedure('customers.read')
    .input(listInteractionsInput)
    .output(z.array(interactionOutput))
    .query(({ ctx, input }) => listInteractions(ctx.scope, input.customerId, input.limit)),

  /** Every visible customer's interactions, filtered, newest first, by keyset pages. */
  listAll: permittedProcedure('customers.read')
    .input(listAllInteractionsInput)
    .output(interactionListPageOutput)
    .query(({ ctx, input }) => listAllInteractions(ctx.scope, input)),

  /** 共 N 条 of `listAll` with the same filters, fetched beside the page. */
  count: permittedProcedure('customers.read')
    .input(interactionFiltersInput.default({}))
    .output(countOutput)
    .query(({ ctx, input }) => countInteractionList(ctx.scope, input)),
});
