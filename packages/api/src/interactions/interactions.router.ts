import { INTERACTION_KINDS, SENTIMENTS } from '@crm/db';
import { userText } from '@crm/domain';
import { z } from 'zod';
import { contactBelongsTo } from '../contacts/contacts.repository';
import { getCustomerOrThrow } from '../customers/customers.repository';
import { dateInput } from '../customers/customers.schemas';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { appError } from '../errors';
import { permittedProcedure, router } from '../trpc';
import { insertInteraction, listInteractions } from './interactions.repository';
import { listAllInteractions, listAllInteractionsInput } from './list-all';

export const interactionOutput = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  contactId: z.uuid().nullable(),
  contactName: z.string().nullable(),
  kind: z.enum(INTERACTION_KINDS),
  occurredAt: z.string(),
  userId: z.uuid().nullable(),
  userName: z.string().nullable(),
  summary: z.string(),
  outcome: z.string().nullable(),
  nextStep: z.string().nullable(),
  nextStepDue: z.string().nullable(),
  sentiment: z.enum(SENTIMENTS),
});

const logInteractionInput = z.strictObject({
  customerId: z.uuid(),
  contactId: z.uuid().nullish(),
  kind: z.enum(INTERACTION_KINDS),
  /** Defaults to now: logging a call right after it is the common case. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  summary: userText({ required: true, multiline: true, max: 4000 }),
  outcome: z.string().trim().max(2000).nullish(),
  nextStep: z.string().trim().max(1000).nullish(),
  nextStepDue: dateInput.nullish(),
  sentiment: z.enum(SENTIMENTS).optional(),
});

export const interactionsRouter = router({
  /** Logs a touch from the customer page: kind and summary are all it needs. */
  log: permittedProcedure('interactions.write', { idempotent: true })
    .input(logInteractionInput)
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const customer = await getCustomerOrThrow(ctx.trx, ctx.tenantId, ctx.access, input.customerId);
      if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
      if (
        input.contactId &&
        !(await contactBelongsTo(ctx.trx, ctx.tenantId, input.customerId, input.contactId))
      ) {
        throw appError('CONTACT_NOT_FOUND', {}, 'contactId');
      }
      const created = await insertInteraction(ctx.trx, ctx.tenantId, {
        customerId: input.customerId,
        contactId: input.contactId ?? null,
        kind: input.kind,
        occurredAt: input.occurredAt ?? new Date(),
        userId: ctx.auth.user.id,
        summary: input.summary,
        outcome: input.outcome ?? null,
        nextStep: input.nextStep ?? null,
        nextStepDue: input.nextStepDue ?? null,
        sentiment: input.sentiment ?? 'neutral',
      });
      // Touches in the activity window decide the activity level (a system tag).
      await refreshCustomerFacts(ctx.trx, ctx.tenantId, [input.customerId], 'interaction');
      return created;
    }),

  list: permittedProcedure('customers.read')
    .input(z.strictObject({ customerId: z.uuid(), limit: z.number().int().min(1).max(200).default(50) }))
    .output(z.array(interactionOutput))
    .query(({ ctx, input }) => listInteractions(ctx, input.customerId, input.limit)),

  /** Every visible customer's interactions, filtered, newest first, by keyset pages. */
  listAll: permittedProcedure('customers.read')
    .input(listAllInteractionsInput)
    .output(
      z.object({
        items: z.array(interactionOutput.extend({ customerName: z.string() })),
        nextCursor: z.string().nullable(),
      }),
    )
    .query(({ ctx, input }) => listAllInteractions(ctx.trx, ctx.tenantId, ctx.access, input)),
});
