import { INTERACTION_KINDS, SENTIMENTS } from '@crm/db';
import { dateInput, dateTimeInput, userText } from '@crm/domain';
import { z } from 'zod';

/** An interaction (a call, a visit, a message …) as every procedure returns it. */
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
export type InteractionOutput = z.infer<typeof interactionOutput>;

export const logInteractionInput = z.strictObject({
  customerId: z.uuid(),
  contactId: z.uuid().nullish(),
  kind: z.enum(INTERACTION_KINDS),
  /** Defaults to now: logging a call right after it is the common case. */
  occurredAt: dateTimeInput.optional(),
  summary: userText({ required: true, multiline: true, max: 4000 }),
  outcome: z.string().trim().max(2000).nullish(),
  nextStep: z.string().trim().max(1000).nullish(),
  nextStepDue: dateInput.nullish(),
  sentiment: z.enum(SENTIMENTS).optional(),
});
export type LogInteractionInput = z.infer<typeof logInteractionInput>;

export const interactionIdOutput = z.object({ id: z.uuid() });

export const listInteractionsInput = z.strictObject({
  customerId: z.uuid(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** The tenant-wide interactions list's filters (exports take the same). */
export const interactionFilterFields = {
  from: dateInput.optional(),
  to: dateInput.optional(),
  customerId: z.uuid().optional(),
  /** Interactions of customers owned by these members. */
  ownerUserIds: z.array(z.uuid()).max(100).optional(),
  kinds: z.array(z.enum(INTERACTION_KINDS)).max(INTERACTION_KINDS.length).optional(),
  sentiments: z.array(z.enum(SENTIMENTS)).max(SENTIMENTS.length).optional(),
  /** Logged by these members. */
  userIds: z.array(z.uuid()).max(100).optional(),
};
export const interactionFiltersInput = z.strictObject(interactionFilterFields);
export type InteractionFilters = z.infer<typeof interactionFiltersInput>;

export const listAllInteractionsInput = z
  .strictObject({
    ...interactionFilterFields,
    cursor: z.string().max(300).nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ limit: 50 });
export type ListAllInteractionsInput = z.infer<typeof listAllInteractionsInput>;

/** A page of the tenant-wide list: each interaction with its customer's name. */
export const interactionListPageOutput = z.object({
  items: z.array(interactionOutput.extend({ customerName: z.string() })),
  nextCursor: z.string().nullable(),
});
export type InteractionListPageOutput = z.infer<typeof interactionListPageOutput>;
