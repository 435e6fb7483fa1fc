import { ACTIVITY_LEVELS, CUSTOMER_KINDS, LIFECYCLE_STAGES, NEED_TYPES, VALUE_LEVELS } from '@crm/db';
import { BIRTHDAY_CALENDARS, dateInput, moneyInput, stripInvisible, userText } from '@crm/domain';
import { CUSTOM_KEY_PATTERN, KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';
import { contactOutput } from '../contacts/contacts.schemas';
import { kpiSegmentInput } from '../dashboards/dashboards.schemas';
import { interactionOutput } from '../interactions/interactions.schemas';
import { orderOutput } from '../orders/orders.schemas';
import { timelineEntryOutput } from '../timeline/timeline.schemas';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullish();

// Shared with orders, contacts and interactions: one definition in @crm/domain.
export { dateInput, moneyInput } from '@crm/domain';

/** Today in Beijing as YYYY-MM-DD, the day a date may not be later than. */
const beijingToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

const addressInput = z.strictObject({
  label: z.string().trim().max(50).optional(),
  province: z.string().trim().max(50).optional(),
  city: z.string().trim().max(50).optional(),
  district: z.string().trim().max(50).optional(),
  street: z.string().trim().max(200).optional(),
  postcode: z.string().trim().max(20).optional(),
});

export const customerFields = {
  name: userText({ required: true, max: 200 }),
  kind: z.enum(CUSTOMER_KINDS),
  phone: optionalText(40),
  email: z
    .union([z.literal(''), z.email().max(254)])
    .transform((value) => (value === '' ? null : value.toLowerCase()))
    .nullish(),
  ownerUserId: z.uuid().nullish(),
  customerNumber: optionalText(64),
  /** The id another system (an ERP, a shop) knows the customer by: unique in the tenant. */
  externalId: optionalText(255),
  industry: optionalText(100),
  birthday: dateInput.nullish(),
  /** 公历 or 农历: a lunar birthday is kept on the lunar anniversary of `birthday`. */
  birthdayCalendar: z.enum(BIRTHDAY_CALENDARS).optional(),
  foundedOn: dateInput.nullish(),
  /** 首次合作时间: not later than today (Beijing); the facts' first deal is at most this date. */
  firstCooperationOn: dateInput
    .refine((value) => value <= beijingToday(), { error: 'FIRST_COOPERATION_FUTURE' })
    .nullish(),
  /** 纪念日: any date the customer keeps. */
  anniversaryOn: dateInput.nullish(),
  addresses: z.array(addressInput).max(10).optional(),
  explicitNeeds: optionalText(4000),
  implicitNeeds: optionalText(4000),
  painPoints: optionalText(4000),
  purchasePlan: optionalText(4000),
  purchasePlanAmount: moneyInput.nullish(),
  purchasePlanExpectedOn: dateInput.nullish(),
  needType: z.enum(NEED_TYPES).nullish(),
  /** 统一社会信用代码: check character validated, stored upper-case without spaces. */
  creditCode: optionalText(40),
  /** Free tags by id; replaces the customer's set. */
  tagIds: z.array(z.uuid()).max(50).optional(),
  /** 居民身份证号 (18 or old 15 digits): validated, stored encrypted, shown masked. Null clears it. */
  nationalId: z.string().trim().max(40).nullish(),
  /** 银行卡号 (13–19 digits, Luhn): validated, stored encrypted, shown masked. Null clears it. */
  bankCard: z.string().trim().max(40).nullish(),
  /** Custom field values by key, validated against the tenant's definitions; null clears one. */
  customFields: z.record(z.string().regex(KEY_PATTERN), z.unknown()).optional(),
};

/**
 * A company's primary contact (首要联系人), created with the company in the same transaction:
 * both or neither.
 */
export const primaryContactInput = z.strictObject({
  name: userText({ required: true, max: 100 }),
  title: optionalText(100),
  phone: optionalText(40),
  email: z
    .union([z.literal(''), z.email().max(254)])
    .transform((value) => (value === '' ? null : value.toLowerCase()))
    .nullish(),
});
export type PrimaryContactInput = z.infer<typeof primaryContactInput>;

export const createCustomerInput = z.strictObject({
  ...customerFields,
  /**
   * 仍然新建: create although the identity rule says an existing customer is the same one
   * (CUSTOMER_EXACT_DUPLICATE). The reason is required and written to the new customer's
   * audit log and timeline.
   */
  force: z.strictObject({ reason: userText({ required: true, max: 500 }) }).optional(),
  /** Companies only: the primary contact person, written with the customer or not at all. */
  primaryContact: primaryContactInput.optional(),
});
export type CreateCustomerInput = z.infer<typeof createCustomerInput>;

export const updateCustomerInput = z.strictObject({
  ...customerFields,
  id: z.uuid(),
  name: customerFields.name.optional(),
  kind: customerFields.kind.optional(),
});
export type UpdateCustomerInput = z.infer<typeof updateCustomerInput>;

export const customerIdInput = z.strictObject({ id: z.uuid() });

/** The most customers one batch upsert takes (`POST /api/v1/customers/batch`). */
export const CUSTOMER_UPSERT_BATCH_MAX = 100;

/**
 * A batch upsert (`customers.upsertMany`): each item is a customer as `customers.create` takes
 * it, found by its `externalId` or else by the identity rules (credit code, customer number,
 * national ID, company name, a person's name with phone or email — the import's and the
 * form's), then updated, or created when nothing is found. `primaryContact` is written only
 * with a new customer.
 */
export const upsertCustomersInput = z.strictObject({
  items: z
    .array(createCustomerInput.omit({ force: true }))
    .min(1)
    .max(CUSTOMER_UPSERT_BATCH_MAX),
});
export type UpsertCustomersInput = z.infer<typeof upsertCustomersInput>;

/** How an item found its customer: by external id, or the identity rule's deciding key. */
export const UPSERT_MATCHES = [
  'external_id',
  'customer_number',
  'credit_code',
  'national_id',
  'name',
  'name_phone',
  'name_email',
] as const;

export const upsertCustomersOutput = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  failed: z.number().int(),
  items: z.array(
    z.object({
      /** The item's position in the request, from 0. */
      index: z.number().int(),
      status: z.enum(['created', 'updated', 'error']),
      /** The customer created or updated (null on error). */
      id: z.uuid().nullable(),
      matchedBy: z.enum(UPSERT_MATCHES).nullable(),
      error: z
        .object({
          code: z.string(),
          field: z.string().nullable(),
          message: z.object({ 'zh-CN': z.string(), en: z.string() }),
        })
        .nullable(),
    }),
  ),
});
export type UpsertCustomersOutput = z.infer<typeof upsertCustomersOutput>;

export const CUSTOMER_SORTS = [
  'createdAt',
  'updatedAt',
  'name',
  'amount12m',
  'amountLifetime',
  'orderCount',
  'lastDealAt',
  'completeness',
  'tierScore',
] as const;
export type BuiltInSort = (typeof CUSTOMER_SORTS)[number];
/** A built-in sort, or `custom:<key>` for a custom field. */
export type CustomerSort = BuiltInSort | `custom:${string}`;
const customFieldKey = z.string().regex(KEY_PATTERN);
const CUSTOM_SORT = CUSTOM_KEY_PATTERN;
export const customerSortInput = z.union([
  z.enum(CUSTOMER_SORTS),
  z.custom<`custom:${string}`>((value) => typeof value === 'string' && CUSTOM_SORT.test(value)),
]);

export const CUSTOM_FILTER_OPS = [
  'eq',
  'contains',
  'gte',
  'lte',
  'in',
  'hasAll',
  'empty',
  'notEmpty',
] as const;
export const customFieldFilterInput = z.strictObject({
  key: customFieldKey,
  op: z.enum(CUSTOM_FILTER_OPS),
  value: z
    .union([z.string().trim().max(200), z.boolean(), z.array(z.string().trim().max(100)).max(50)])
    .optional(),
});
export type CustomFieldFilter = z.infer<typeof customFieldFilterInput>;

const count = z.number().int().min(0).max(1_000_000);
const percent = z.number().int().min(0).max(100);

/** Everything a list can be filtered by; saved views store these too. */
export const customerFilterFields = {
  search: z
    .string()
    .trim()
    .max(100)
    .transform((value) => stripInvisible(value).trim())
    .optional(),
  kind: z.enum(CUSTOMER_KINDS).optional(),
  ownerUserIds: z.array(z.uuid()).max(100).optional(),
  /** Customers nobody owns (公海). */
  unowned: z.boolean().optional(),
  lifecycleStages: z.array(z.enum(LIFECYCLE_STAGES)).max(LIFECYCLE_STAGES.length).optional(),
  /** Customers carrying every one of these free tags. */
  tagIds: z.array(z.uuid()).max(20).optional(),
  valueLevels: z.array(z.enum(VALUE_LEVELS)).max(3).optional(),
  activityLevels: z.array(z.enum(ACTIVITY_LEVELS)).max(3).optional(),
  needTypes: z.array(z.enum(NEED_TYPES)).max(3).optional(),
  industry: z.string().trim().max(100).optional(),
  completenessMin: percent.optional(),
  completenessMax: percent.optional(),
  /** Not updated for 30 days (or, false: updated within them). */
  stale: z.boolean().optional(),
  amount12mMin: moneyInput.optional(),
  amount12mMax: moneyInput.optional(),
  amountLifetimeMin: moneyInput.optional(),
  amountLifetimeMax: moneyInput.optional(),
  orderCountMin: count.optional(),
  orderCountMax: count.optional(),
  lastDealFrom: dateInput.optional(),
  lastDealTo: dateInput.optional(),
  createdFrom: dateInput.optional(),
  createdTo: dateInput.optional(),
  custom: z.array(customFieldFilterInput).max(10).optional(),
  /** Tiers (客户分层) of the tenant's industry profile, by key. */
  tiers: z
    .array(z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/))
    .max(12)
    .optional(),
  tierScoreMin: z.number().min(0).max(100).optional(),
  tierScoreMax: z.number().min(0).max(100).optional(),
  /** The customers behind a dashboard figure (a click on a chart; its export). */
  kpi: kpiSegmentInput.optional(),
  archived: z.boolean().default(false),
};

export const customerQueryInput = z.strictObject({
  ...customerFilterFields,
  sort: customerSortInput.default('createdAt'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});
export type CustomerQuery = z.infer<typeof customerQueryInput>;

export const listCustomersInput = z
  .strictObject({
    ...customerQueryInput.shape,
    cursor: z.string().max(500).nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ archived: false, sort: 'createdAt', direction: 'desc', limit: 50 });
export type ListCustomersInput = z.infer<typeof listCustomersInput>;

/** The list's filters without its order or page: what `customers.count` counts. */
export const countCustomersInput = z.strictObject(customerFilterFields).default({ archived: false });
export type CountCustomersInput = z.infer<typeof countCustomersInput>;

const customerSummaryShape = {
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(CUSTOMER_KINDS),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  ownerUserId: z.string().nullable(),
  ownerName: z.string().nullable(),
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES),
  amount12m: z.string(),
  orderCount: z.number().int(),
  lastDealAt: z.string().nullable(),
  amountLifetime: z.string(),
  industry: z.string().nullable(),
  tagIds: z.array(z.uuid()),
  needType: z.enum(NEED_TYPES).nullable(),
  valueLevel: z.enum(VALUE_LEVELS),
  activityLevel: z.enum(ACTIVITY_LEVELS),
  completeness: z.number().int(),
  /** The customer's tier (客户分层) by its industry profile; null until the first re-tier. */
  tier: z.string().nullable(),
  /** 0–100 as a decimal string; null for value-threshold models. */
  tierScore: z.string().nullable(),
  /** When the tier was last computed (null: not tiered yet). */
  tierComputedAt: z.string().nullable(),
  /** Set while the tier waits for the next full run (待重算): a large tenant whose model ranks customers. */
  tierPendingSince: z.string().nullable(),
  /** When that run is (set with tierPendingSince). */
  tierNextRunAt: z.string().nullable(),
  /** Not updated for 30 days. */
  stale: z.boolean(),
  customFields: z.record(z.string(), z.union([z.string(), z.boolean(), z.array(z.string()), z.null()])),
  /**
   * Sensitive values present, masked (`**** 1234`): `national_id`, `bank_card`,
   * `custom:<key>`. The full value only comes from `customers.revealSensitive`.
   */
  sensitive: z.record(z.string(), z.string()),
};

export const customerListItemOutput = z.object(customerSummaryShape);
export type CustomerListItem = z.infer<typeof customerListItemOutput>;

export const customerOutput = z.object({
  ...customerSummaryShape,
  customerNumber: z.string().nullable(),
  externalId: z.string().nullable(),
  birthday: z.string().nullable(),
  birthdayCalendar: z.enum(BIRTHDAY_CALENDARS),
  foundedOn: z.string().nullable(),
  /** 首次合作时间. */
  firstCooperationOn: z.string().nullable(),
  /** 纪念日. */
  anniversaryOn: z.string().nullable(),
  /**
   * 导入的期初数据: the figures another system had as of `asOf`; the derived facts are these
   * plus the completed orders placed after that date (docs/imports.md).
   */
  openingBalance: z
    .object({
      asOf: z.string(),
      amount12m: z.string(),
      amountLifetime: z.string(),
      orderCount: z.number().int(),
      lastDealOn: z.string().nullable(),
    })
    .nullable(),
  addresses: z.array(addressInput),
  explicitNeeds: z.string().nullable(),
  implicitNeeds: z.string().nullable(),
  painPoints: z.string().nullable(),
  purchasePlan: z.string().nullable(),
  purchasePlanAmount: z.string().nullable(),
  purchasePlanExpectedOn: z.string().nullable(),
  firstDealAt: z.string().nullable(),
  averageOrderValue: z.string().nullable(),
  lifecycleChangedAt: z.string().nullable(),
  currency: z.string(),
  recentTouches: z.number().int(),
  /** Key fields still empty, heaviest first: built-in keys, or `custom:<key>`. */
  completenessMissing: z.array(z.string()),
  creditCode: z.string().nullable(),
  /** Set when this customer was merged into another (a tombstone). */
  mergedInto: z.string().nullable(),
  /** How the tier was reached: each dimension's raw value, normalised score, weight, contribution; the rule. */
  tierExplanation: z.record(z.string(), z.unknown()).nullable(),
  tierChangedAt: z.string().nullable(),
  tierSettingsVersion: z.number().int().nullable(),
});
export type CustomerOutput = z.infer<typeof customerOutput>;

export const customerListOutput = z.object({
  items: z.array(customerListItemOutput),
  nextCursor: z.string().nullable(),
});

export const reassignCustomersInput = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(1000),
  ownerUserId: z.uuid().nullable(),
});

export const bulkIdsInput = z.array(z.uuid()).min(1).max(1000);

export const tagCustomersInput = z
  .strictObject({
    ids: bulkIdsInput,
    add: z.array(z.uuid()).max(20).default([]),
    remove: z.array(z.uuid()).max(20).default([]),
  })
  .refine((input) => input.add.length + input.remove.length > 0, { error: 'TAGS_REQUIRED', path: ['add'] });

export const archiveCustomersInput = z.strictObject({
  ids: bulkIdsInput,
  archived: z.boolean().default(true),
});

/** Everything the 360 page shows, in one call. */
export const customerProfileOutput = z.object({
  customer: customerOutput,
  contacts: z.array(contactOutput),
  orders: z.object({ items: z.array(orderOutput), nextCursor: z.string().nullable() }),
  interactions: z.array(interactionOutput),
  timeline: z.object({ items: z.array(timelineEntryOutput), nextCursor: z.string().nullable() }),
});

export const completenessSummaryOutput = z.object({
  customers: z.number().int(),
  average: z.number(),
  completeShare: z.number(),
  complete: z.number().int(),
  stale: z.number().int(),
  goal: z.number().int(),
});

export const customerTimelineInput = z.strictObject({
  id: z.uuid(),
  cursor: z.string().max(300).nullish(),
  direction: z.enum(['forward', 'backward']).optional(),
  limit: z.number().int().min(1).max(100).default(30),
});
export type CustomerTimelineInput = z.infer<typeof customerTimelineInput>;
export const customerTimelineOutput = z.object({
  items: z.array(timelineEntryOutput),
  nextCursor: z.string().nullable(),
});

export const revealSensitiveInput = z.strictObject({
  customerId: z.uuid(),
  field: z.union([z.enum(['national_id', 'bank_card']), z.string().regex(CUSTOM_KEY_PATTERN)]),
});
export const revealSensitiveOutput = z.object({ field: z.string(), value: z.string() });

export const findByIdentityInput = z.strictObject({ value: z.string().trim().min(1).max(40) });
export const findByIdentityOutput = z.object({
  items: z.array(customerListItemOutput),
  recognised: z.boolean(),
});

export const updatedCountOutput = z.object({ updated: z.number().int() });
export const reassignedCountOutput = z.object({ reassigned: z.number().int() });
