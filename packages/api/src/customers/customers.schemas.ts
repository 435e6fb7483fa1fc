import { CUSTOMER_KINDS } from '@crm/db';
import { z } from 'zod';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullish();

export const customerFields = {
  name: z.string().trim().min(1).max(200),
  kind: z.enum(CUSTOMER_KINDS),
  phone: optionalText(40),
  email: z
    .union([z.literal(''), z.email().max(254)])
    .transform((value) => (value === '' ? null : value.toLowerCase()))
    .nullish(),
  ownerUserId: z.uuid().nullish(),
};

export const createCustomerInput = z.strictObject(customerFields);
export type CreateCustomerInput = z.infer<typeof createCustomerInput>;

export const updateCustomerInput = z.strictObject({
  id: z.uuid(),
  name: customerFields.name.optional(),
  kind: customerFields.kind.optional(),
  phone: customerFields.phone,
  email: customerFields.email,
  ownerUserId: customerFields.ownerUserId,
});
export type UpdateCustomerInput = z.infer<typeof updateCustomerInput>;

export const customerIdInput = z.strictObject({ id: z.uuid() });

export const CUSTOMER_SORTS = ['createdAt', 'updatedAt', 'name'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export const listCustomersInput = z
  .strictObject({
    search: z.string().trim().max(100).optional(),
    kind: z.enum(CUSTOMER_KINDS).optional(),
    ownerUserId: z.uuid().optional(),
    archived: z.boolean().default(false),
    sort: z.enum(CUSTOMER_SORTS).default('createdAt'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    cursor: z.string().max(500).nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ archived: false, sort: 'createdAt', direction: 'desc', limit: 50 });
export type ListCustomersInput = z.infer<typeof listCustomersInput>;

export const customerOutput = z.object({
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
});
export type CustomerOutput = z.infer<typeof customerOutput>;

export const customerListOutput = z.object({
  items: z.array(customerOutput),
  nextCursor: z.string().nullable(),
});
