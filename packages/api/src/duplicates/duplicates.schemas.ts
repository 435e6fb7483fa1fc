import { CUSTOMER_KINDS, DUPLICATE_STATUSES } from '@crm/db';
import { KEY_SOURCE } from '@crm/plugin-sdk';
import { z } from 'zod';
import { DUPLICATE_REASONS } from './pairs';

export const checkDuplicatesInput = z.strictObject({
  kind: z.enum(CUSTOMER_KINDS).default('company'),
  name: z.string().trim().max(200).nullish(),
  phone: z.string().trim().max(40).nullish(),
  email: z.string().trim().max(254).nullish(),
  creditCode: z.string().trim().max(40).nullish(),
  /** The customer being edited, left out of its own matches. */
  excludeId: z.uuid().nullish(),
});
export type CheckDuplicatesInput = z.infer<typeof checkDuplicatesInput>;

const customerBrief = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(CUSTOMER_KINDS),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  creditCode: z.string().nullable(),
  ownerName: z.string().nullable(),
  archivedAt: z.string().nullable(),
  orderCount: z.number().int(),
  createdAt: z.string(),
});
export type CustomerBrief = z.infer<typeof customerBrief>;

export const checkDuplicatesOutput = z.object({
  matches: z.array(
    z.object({
      customer: customerBrief,
      reasons: z.array(z.string()),
      confidence: z.number(),
      /** The identity rule says this IS the customer being typed: a create is refused unless forced. */
      exact: z.boolean(),
    }),
  ),
  /** Matching customers the member cannot see (another rep's): counted, never shown. */
  hidden: z.number().int(),
});
export type CheckDuplicatesOutput = z.infer<typeof checkDuplicatesOutput>;

export const listDuplicatesInput = z
  .strictObject({
    status: z.enum(DUPLICATE_STATUSES).default('pending'),
    reason: z.enum(DUPLICATE_REASONS).optional(),
    minConfidence: z.number().min(0).max(1).optional(),
    cursor: z.string().max(300).nullish(),
    limit: z.number().int().min(1).max(100).default(30),
  })
  .default({ status: 'pending', limit: 30 });
export type ListDuplicatesInput = z.infer<typeof listDuplicatesInput>;

/** The queue's filters without its page: what `duplicates.count` counts. */
export const countDuplicatesInput = z
  .strictObject({
    status: z.enum(DUPLICATE_STATUSES).default('pending'),
    reason: z.enum(DUPLICATE_REASONS).optional(),
    minConfidence: z.number().min(0).max(1).optional(),
  })
  .default({ status: 'pending' });
export type CountDuplicatesInput = z.infer<typeof countDuplicatesInput>;

export const duplicatePairOutput = z.object({
  id: z.uuid(),
  a: customerBrief,
  b: customerBrief,
  reasons: z.array(z.string()),
  confidence: z.number(),
  /**
   * The identity rule says the two are the SAME customer (as the create check refuses and the
   * import updates), by this key; null: a candidate, both may be different customers.
   */
  sameBy: z
    .enum(['customer_number', 'credit_code', 'national_id', 'name', 'name_phone', 'name_email'])
    .nullable(),
  status: z.enum(DUPLICATE_STATUSES),
  source: z.string(),
  detectedAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type DuplicatePairOutput = z.infer<typeof duplicatePairOutput>;

export const listDuplicatesOutput = z.object({
  items: z.array(duplicatePairOutput),
  nextCursor: z.string().nullable(),
});
export type ListDuplicatesOutput = z.infer<typeof listDuplicatesOutput>;

/** A pair of the review queue, by its id. */
export const duplicateIdInput = z.strictObject({ id: z.uuid() });
export const duplicateIdOutput = z.object({ id: z.uuid() });

export const scanOutput = z.object({
  id: z.uuid(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  pairs: z.number().int().nullable(),
  newPairs: z.number().int().nullable(),
  removedPairs: z.number().int().nullable(),
  cappedKeys: z.array(z.object({ kind: z.string(), value: z.string(), customers: z.number().int() })),
});
export type ScanOutput = z.infer<typeof scanOutput>;

/** Fields whose surviving value a merge lets the user choose. */
export const MERGE_FIELDS = {
  name: 'name',
  kind: 'kind',
  phone: 'phone',
  email: 'email',
  creditCode: 'credit_code',
  ownerUserId: 'owner_user_id',
  customerNumber: 'customer_number',
  industry: 'industry',
  birthday: 'birthday',
  foundedOn: 'founded_on',
  anniversaryOn: 'anniversary_on',
  addresses: 'addresses',
  explicitNeeds: 'explicit_needs',
  implicitNeeds: 'implicit_needs',
  painPoints: 'pain_points',
  purchasePlan: 'purchase_plan',
  purchasePlanAmount: 'purchase_plan_amount',
  purchasePlanExpectedOn: 'purchase_plan_expected_on',
  needType: 'need_type',
} as const;
export type MergeField = keyof typeof MERGE_FIELDS;
const CHOICE_KEY = new RegExp(
  `^(${Object.keys(MERGE_FIELDS).join('|')}|custom:${KEY_SOURCE}|secret:(national_id|bank_card|custom:${KEY_SOURCE}))$`,
);

export const mergeInput = z
  .strictObject({
    survivorId: z.uuid(),
    mergedId: z.uuid(),
    /**
     * Per field, whose value survives. A field left out keeps the survivor's value, or the
     * merged customer's when the survivor's is empty. Keys: the profile fields, `custom:<key>`,
     * `secret:<field>` (national_id, bank_card, custom:<key>).
     */
    choices: z
      .record(z.string().regex(CHOICE_KEY), z.enum(['survivor', 'merged']))
      .default({})
      .refine((choices) => Object.keys(choices).length <= 200),
    candidateId: z.uuid().nullish(),
  })
  .refine((input) => input.survivorId !== input.mergedId, {
    error: 'MERGE_SAME_CUSTOMER',
    path: ['mergedId'],
  });
export type MergeInput = z.infer<typeof mergeInput>;

export const mergeOutput = z.object({ mergeId: z.uuid(), survivorId: z.uuid(), mergedId: z.uuid() });
export type MergeOutput = z.infer<typeof mergeOutput>;

export const mergeIdInput = z.strictObject({ mergeId: z.uuid() });

/** The customer whose merges are listed. */
export const customerIdInput = z.strictObject({ id: z.uuid() });

export const mergeRecordOutput = z.object({
  id: z.uuid(),
  survivorId: z.uuid(),
  mergedId: z.uuid(),
  mergedName: z.string(),
  mergedAt: z.string(),
  mergedBy: z.string().nullable(),
  undoneAt: z.string().nullable(),
  /** Until when it can be undone (null once undone). */
  undoUntil: z.string().nullable(),
  moved: z.object({ orders: z.number().int(), interactions: z.number().int(), contacts: z.number().int() }),
});
export type MergeRecordOutput = z.infer<typeof mergeRecordOutput>;
