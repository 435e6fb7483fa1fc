import { DECISION_ROLES, dateInput, moneyInput, OPPORTUNITY_STAGE_KINDS, userText } from '@crm/domain';
import { KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';

const key = z.string().regex(KEY_PATTERN);
const labels = z.object({ 'zh-CN': z.string(), en: z.string() });

/** The tenant's pipeline as the UI draws it: stages in order, their checklists and gates, lost reasons. */
export const pipelineOutput = z.object({
  origin: z.string(),
  stages: z.array(
    z.object({
      key: z.string(),
      kind: z.enum(OPPORTUNITY_STAGE_KINDS),
      labels,
      probability: z.number(),
      actions: z.array(z.object({ key: z.string(), labels, dueWithinHours: z.number().nullable() })),
      /** Each gate in words: what leaving the stage forward needs. */
      gates: z.array(labels),
    }),
  ),
  lostReasons: z.array(z.object({ key: z.string(), labels, origin: z.enum(['plugin', 'core', 'tenant']) })),
});
export type PipelineOutput = z.infer<typeof pipelineOutput>;

const quantity = z
  .union([z.string().trim(), z.number().finite()])
  .transform((value) => String(value))
  .pipe(z.string().regex(/^\d{1,11}(\.\d{1,3})?$/, { error: 'QUANTITY_FORMAT' }))
  .refine((value) => Number(value) > 0, { error: 'QUANTITY_FORMAT' });

export const lineInput = z.strictObject({
  product: userText({ required: true, max: 200 }),
  quantity,
  unitPrice: moneyInput,
});
export type LineInput = z.infer<typeof lineInput>;

export const decisionChainInput = z.strictObject({
  name: userText({ required: true, max: 100 }),
  title: userText({ max: 100 }).nullish(),
  role: z.enum(DECISION_ROLES),
  note: userText({ max: 300 }).nullish(),
});

const need = userText({ required: true, max: 200 });
const competitor = userText({ required: true, max: 100 });

const editableFields = {
  name: userText({ required: true, max: 200 }),
  customerId: z.uuid().nullish(),
  contactId: z.uuid().nullish(),
  /** Without lines the amount as given; with lines their total. */
  amount: moneyInput.nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  expectedCloseOn: dateInput.nullish(),
  probability: z.number().int().min(0).max(100).optional(),
  needs: z.array(need).max(50).optional(),
  competitors: z.array(competitor).max(20).optional(),
  decisionChain: z.array(decisionChainInput).max(30).optional(),
  lines: z.array(lineInput).max(200).optional(),
  notes: userText({ multiline: true, max: 4000 }).nullish(),
};

export const createOpportunityInput = z.strictObject({
  ...editableFields,
  /** The first open stage when omitted; only open stages. */
  stage: key.optional(),
  /** Oneself when omitted; someone else needs opportunities.manage. */
  ownerUserId: z.uuid().nullish(),
  leadId: z.uuid().nullish(),
});
export type CreateOpportunityInput = z.infer<typeof createOpportunityInput>;

export const updateOpportunityInput = z.strictObject({
  id: z.uuid(),
  ...editableFields,
  name: editableFields.name.optional(),
});
export type UpdateOpportunityInput = z.infer<typeof updateOpportunityInput>;

export const moveOpportunityInput = z.strictObject({
  id: z.uuid(),
  stage: key,
  /** Required when the stage is the lost one: a key of the tenant's lost reasons. */
  lostReason: key.optional(),
  lostNote: userText({ max: 500 }).nullish(),
});
export type MoveOpportunityInput = z.infer<typeof moveOpportunityInput>;

export const setActionInput = z.strictObject({ id: z.uuid(), action: key, done: z.boolean() });
export type SetActionInput = z.infer<typeof setActionInput>;

export const reassignOpportunitiesInput = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(500),
  ownerUserId: z.uuid(),
});

export const opportunityIdInput = z.strictObject({ id: z.uuid() });

export const OPPORTUNITY_SORTS = ['created', 'in_stage', 'close', 'amount'] as const;

export const opportunityFilters = z.strictObject({
  stage: key.optional(),
  stageKind: z.enum(OPPORTUNITY_STAGE_KINDS).optional(),
  owner: z.union([z.literal('me'), z.uuid()]).optional(),
  customerId: z.uuid().optional(),
  leadId: z.uuid().optional(),
  q: z.string().trim().max(100).optional(),
  closeFrom: dateInput.optional(),
  closeTo: dateInput.optional(),
  amountMin: moneyInput.optional(),
  amountMax: moneyInput.optional(),
});
export type OpportunityFilters = z.infer<typeof opportunityFilters>;

export const listOpportunitiesInput = z.strictObject({
  filters: opportunityFilters.default({}),
  sort: z.enum(OPPORTUNITY_SORTS).default('created'),
  direction: z.enum(['forward', 'backward']).optional(),
  cursor: z.string().max(300).nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ListOpportunitiesInput = z.infer<typeof listOpportunitiesInput>;

export const boardInput = z.strictObject({
  filters: opportunityFilters.omit({ stage: true, stageKind: true }).default({}),
  perStage: z.number().int().min(1).max(50).default(20),
});
export type BoardInput = z.infer<typeof boardInput>;

/** An opportunity as lists and the kanban show it. */
export const opportunityCardOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  customerId: z.uuid().nullable(),
  customerName: z.string().nullable(),
  ownerUserId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  stage: z.string(),
  stageKind: z.enum(OPPORTUNITY_STAGE_KINDS),
  stageEnteredAt: z.string(),
  amount: z.string().nullable(),
  currency: z.string(),
  expectedCloseOn: z.string().nullable(),
  probability: z.number().int(),
  needsCount: z.number().int(),
  lostReason: z.string().nullable(),
  createdAt: z.string(),
});
export type OpportunityCardOutput = z.infer<typeof opportunityCardOutput>;

export const opportunityPageOutput = z.object({
  items: z.array(opportunityCardOutput),
  nextCursor: z.string().nullable(),
});
export type OpportunityPageOutput = z.infer<typeof opportunityPageOutput>;

export const boardOutput = z.object({
  columns: z.array(
    z.object({
      stage: z.string(),
      count: z.number().int(),
      /** Sum of the amounts in the stage (every currency added as is). */
      amount: z.string(),
      items: z.array(opportunityCardOutput),
      /** The next page of the stage: `list` with `filters.stage` and sort `in_stage`. */
      nextCursor: z.string().nullable(),
    }),
  ),
});
export type BoardOutput = z.infer<typeof boardOutput>;

export const opportunityDetailOutput = opportunityCardOutput.extend({
  contactId: z.uuid().nullable(),
  contactName: z.string().nullable(),
  leadId: z.uuid().nullable(),
  teamId: z.uuid().nullable(),
  needs: z.array(z.string()),
  competitors: z.array(z.string()),
  decisionChain: z.array(
    z.object({
      name: z.string(),
      title: z.string().nullable(),
      role: z.enum(DECISION_ROLES),
      note: z.string().nullable(),
    }),
  ),
  notes: z.string().nullable(),
  lines: z.array(
    z.object({ product: z.string(), quantity: z.string(), unitPrice: z.string(), amount: z.string() }),
  ),
  /** The current stage's checklist: each standard action, done or not, and its SLA task's deadline. */
  checklist: z.array(
    z.object({
      key: z.string(),
      labels,
      done: z.boolean(),
      doneAt: z.string().nullable(),
      dueAt: z.string().nullable(),
    }),
  ),
  /** What leaving the stage forward still needs (empty: the gates are passed). */
  blockers: z.array(z.object({ stage: z.string(), missing: labels })),
  secondsInStage: z.number(),
  history: z.array(
    z.object({
      fromStage: z.string().nullable(),
      toStage: z.string(),
      secondsInFrom: z.number().nullable(),
      changedAt: z.string(),
      changedByName: z.string().nullable(),
    }),
  ),
  lostNote: z.string().nullable(),
  wonAt: z.string().nullable(),
  lostAt: z.string().nullable(),
  orderId: z.uuid().nullable(),
  handoffTaskId: z.uuid().nullable(),
  updatedAt: z.string(),
});
export type OpportunityDetailOutput = z.infer<typeof opportunityDetailOutput>;

export const saveLostReasonInput = z.strictObject({
  key,
  labelZh: userText({ required: true, max: 100 }).optional(),
  labelEn: userText({ required: true, max: 100 }).optional(),
  hidden: z.boolean().default(false),
});
export type SaveLostReasonInput = z.infer<typeof saveLostReasonInput>;

export const changedOutput = z.object({ changed: z.number().int() });

/**
 * 线索转化: the lead becomes a contact and a customer — a new one (the duplicate check of
 * customers applies; `force` creates anyway with a reason) or an existing one — and an
 * opportunity, in one transaction.
 */
export const convertLeadInput = z.strictObject({
  leadId: z.uuid(),
  customer: z.union([
    z.strictObject({
      mode: z.literal('new'),
      force: z.strictObject({ reason: userText({ required: true, max: 500 }) }).optional(),
    }),
    z.strictObject({ mode: z.literal('existing'), customerId: z.uuid() }),
  ]),
  /** The opportunity's name; the lead's company or person and its first need when omitted. */
  opportunityName: userText({ max: 200 }).optional(),
});
export type ConvertLeadInput = z.infer<typeof convertLeadInput>;

export const convertLeadOutput = z.object({
  customerId: z.uuid(),
  contactId: z.uuid().nullable(),
  opportunityId: z.uuid(),
});
