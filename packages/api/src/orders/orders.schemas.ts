import { ORDER_STATUSES, PAYMENT_METHODS } from '@crm/db';
import { dateInput, dateTimeInput, moneyInput, userText } from '@crm/domain';
import { z } from 'zod';

const lineInput = z.strictObject({
  product: userText({ required: true, max: 200 }),
  quantity: z
    .union([z.string().trim(), z.number().finite()])
    .transform((value) => String(value))
    .pipe(z.string().regex(/^\d{1,11}(\.\d{1,3})?$/, { error: 'QUANTITY_FORMAT' }))
    .refine((value) => Number(value) > 0, { error: 'QUANTITY_FORMAT' }),
  unitPrice: moneyInput,
});

const orderFields = {
  orderNumber: z.string().trim().max(64).nullish(),
  orderedAt: dateTimeInput.or(dateInput),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  /** Required unless lines are given; with lines it is their total. */
  amount: moneyInput.optional(),
  profit: z
    .union([z.string().trim(), z.number().finite()])
    .transform((value) => String(value))
    .pipe(z.string().regex(/^-?\d{1,14}(\.\d{1,2})?$/, { error: 'MONEY_FORMAT' }))
    .nullish(),
  paymentMethod: z.enum(PAYMENT_METHODS).nullish(),
  status: z.enum(['pending', 'completed', 'refunded']).optional(),
  note: z.string().trim().max(2000).nullish(),
  lines: z.array(lineInput).max(200).optional(),
};

export const createOrderInput = z.strictObject({ customerId: z.uuid(), ...orderFields });
export type CreateOrderInput = z.infer<typeof createOrderInput>;
export const updateOrderInput = z.strictObject({
  id: z.uuid(),
  ...orderFields,
  orderedAt: orderFields.orderedAt.optional(),
});
export type UpdateOrderInput = z.infer<typeof updateOrderInput>;
export const voidOrderInput = z.strictObject({ id: z.uuid(), reason: z.string().trim().min(1).max(500) });
export type VoidOrderInput = z.infer<typeof voidOrderInput>;

export const orderIdInput = z.strictObject({ id: z.uuid() });

export const listOrdersInput = z.strictObject({
  customerId: z.uuid().optional(),
  /** Sent by TanStack Query's infinite queries; pages only go forward. */
  direction: z.enum(['forward', 'backward']).optional(),
  includeVoid: z.boolean().default(false),
  cursor: z.string().max(300).nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ListOrdersInput = z.infer<typeof listOrdersInput>;

export const orderOutput = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  customerName: z.string(),
  orderNumber: z.string().nullable(),
  orderedAt: z.string(),
  currency: z.string(),
  amount: z.string(),
  profit: z.string().nullable(),
  paymentMethod: z.enum(PAYMENT_METHODS).nullable(),
  status: z.enum(ORDER_STATUSES),
  voidReason: z.string().nullable(),
  note: z.string().nullable(),
  lines: z.array(
    z.object({ product: z.string(), quantity: z.string(), unitPrice: z.string(), amount: z.string() }),
  ),
  createdAt: z.string(),
});
export type OrderOutput = z.infer<typeof orderOutput>;

/** A page of a customer's orders (or of every visible one), newest first. */
export const orderPageOutput = z.object({ items: z.array(orderOutput), nextCursor: z.string().nullable() });
export type OrderPageOutput = z.infer<typeof orderPageOutput>;

/** The tenant-wide orders list's filters (exports take the same). */
export const orderFilterFields = {
  from: dateInput.optional(),
  to: dateInput.optional(),
  customerId: z.uuid().optional(),
  /** Orders of customers owned by these members. */
  ownerUserIds: z.array(z.uuid()).max(100).optional(),
  statuses: z.array(z.enum(ORDER_STATUSES)).max(ORDER_STATUSES.length).optional(),
  paymentMethods: z.array(z.enum(PAYMENT_METHODS)).max(PAYMENT_METHODS.length).optional(),
};
export const orderFiltersInput = z.strictObject(orderFilterFields);
export type OrderFilters = z.infer<typeof orderFiltersInput>;

export const listAllOrdersInput = z
  .strictObject({
    ...orderFilterFields,
    cursor: z.string().max(300).nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ limit: 50 });
export type ListAllOrdersInput = z.infer<typeof listAllOrdersInput>;

export const orderListItemOutput = orderOutput.omit({ lines: true, voidReason: true }).extend({
  ownerName: z.string().nullable(),
  lineCount: z.number().int(),
});
export type OrderListItemOutput = z.infer<typeof orderListItemOutput>;

export const orderListPageOutput = z.object({
  items: z.array(orderListItemOutput),
  nextCursor: z.string().nullable(),
});
export type OrderListPageOutput = z.infer<typeof orderListPageOutput>;
