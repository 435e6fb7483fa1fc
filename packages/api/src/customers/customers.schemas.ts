import { CUSTOMER_KINDS, LIFECYCLE_STAGES } from '@crm/db';
import { z } from 'zod';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullish();

/** A calendar date, 'YYYY-MM-DD'. */
export const dateInput = z.iso.date();

/** Money as a decimal string with at most two decimals (never a float on the way in). */
export const moneyInput = z
  .union([z.string().trim(), z.number().finite()])
  .transform((value) => (typeof value === 'number' ? String(value) : value))
  .pipe(z.string().regex(/^\d{1,14}(\.\d{1,2})?$/, { error: 'MONEY_FORMAT' }));

const addressInput = z.strictObject({
  label: z.string().trim().max(50).optional(),
  province: z.string().trim().max(50).optional(),
  city: z.string().trim().max(50).optional(),
  district: z.string().trim().max(50).optional(),
  street: z.string().trim().max(200).optional(),
  postcode: z.string().trim().max(20).optional(),
});

export const customerFields = {
  name: z.string().trim().min(1).max(200),
  kind: z.enum(CUSTOMER_KINDS),
  phone: optionalText(40),
  email: z
    .union([z.literal(''), z.email().max(254)])
    .transform((value) => (value === '' ? null : value.toLowerCase()))
    .nullish(),
  ownerUserId: z.uuid().nullish(),
  customerNumber: optionalText(64),
  industry: optionalText(100),
  birthday: dateInput.nullish(),
  foundedOn: dateInput.nullish(),
  addresses: z.array(addressInput).max(10).optional(),
  explicitNeeds: optionalText(4000),
  implicitNeeds: optionalText(4000),
  painPoints: optionalText(4000),
  purchasePlan: optionalText(4000),
  purchasePlanAmount: moneyInput.nullish(),
  purchasePlanExpectedOn: dateInput.nullish(),
};

export const createCustomerInput = z.strictObject(customerFields);
export type CreateCustomerInput = z.infer<typeof createCustomerInput>;

export const updateCustomerInput = z.strictObject({
  ...customerFields,
  id: z.uuid(),
  name: customerFields.name.optional(),
  kind: customerFields.kind.optional(),
});
export type UpdateCustomerInput = z.infer<typeof updateCustomerInput>;

export const customerIdInput = z.strictObject({ id: z.uuid() });

export const CUSTOMER_SORTS = ['createdAt', 'updatedAt', 'name', 'amount12m'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export const listCustomersInput = z
  .strictObject({
    search: z.string().trim().max(100).optional(),
    kind: z.enum(CUSTOMER_KINDS).optional(),
    ownerUserId: z.uuid().optional(),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
    archived: z.boolean().default(false),
    sort: z.enum(CUSTOMER_SORTS).default('createdAt'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    cursor: z.string().max(500).nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ archived: false, sort: 'createdAt', direction: 'desc', limit: 50 });
export type ListCustomersInput = z.infer<typeof listCustomersInput>;

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
};

export const customerListItemOutput = z.object(customerSummaryShape);
export type CustomerListItem = z.infer<typeof customerListItemOutput>;

export const customerOutput = z.object({
  ...customerSummaryShape,
  customerNumber: z.string().nullable(),
  industry: z.string().nullable(),
  birthday: z.string().nullable(),
  foundedOn: z.string().nullable(),
  addresses: z.array(addressInput),
  explicitNeeds: z.string().nullable(),
  implicitNeeds: z.string().nullable(),
  painPoints: z.string().nullable(),
  purchasePlan: z.string().nullable(),
  purchasePlanAmount: z.string().nullable(),
  purchasePlanExpectedOn: z.string().nullable(),
  firstDealAt: z.string().nullable(),
  amountLifetime: z.string(),
  averageOrderValue: z.string().nullable(),
  lifecycleChangedAt: z.string().nullable(),
  currency: z.string(),
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
