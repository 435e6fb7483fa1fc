import { CUSTOMER_LIST_COLUMNS, userText } from '@crm/domain';
import { CUSTOM_KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';
import { customerQueryInput } from '../customers/customers.schemas';

/** The columns a customer list can show (@crm/domain's list); `custom:<key>` adds a custom field. */
export const LIST_COLUMNS = CUSTOMER_LIST_COLUMNS;

const columnInput = z.union([z.enum(LIST_COLUMNS), z.string().regex(CUSTOM_KEY_PATTERN)]);

/** A saved customer list view as every procedure returns it. */
export const viewOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  shared: z.boolean(),
  mine: z.boolean(),
  ownerName: z.string().nullable(),
  query: customerQueryInput,
  columns: z.array(z.string()),
});
export type ViewOutput = z.infer<typeof viewOutput>;

const viewName = userText({ required: true, max: 50 });

export const createViewInput = z.strictObject({
  name: viewName,
  shared: z.boolean().default(false),
  query: customerQueryInput,
  columns: z.array(columnInput).max(60).default([]),
});
export type CreateViewInput = z.infer<typeof createViewInput>;

export const updateViewInput = z.strictObject({
  id: z.uuid(),
  name: viewName.optional(),
  shared: z.boolean().optional(),
  query: customerQueryInput.optional(),
  columns: z.array(columnInput).max(60).optional(),
});
export type UpdateViewInput = z.infer<typeof updateViewInput>;

export const viewIdInput = z.strictObject({ id: z.uuid() });
export const viewIdOutput = z.object({ id: z.uuid() });
