import { EXPORT_ENTITIES, EXPORT_FORMATS, EXPORT_STATUSES } from '@crm/db';
import { KEY_SOURCE } from '@crm/plugin-sdk';
import { z } from 'zod';
import { customerFilterFields, customerSortInput } from '../customers/customers.schemas';
import { interactionFiltersInput } from '../interactions/interactions.schemas';
import { LEAD_SORTS, leadFiltersInput } from '../leads/leads.schemas';
import { orderFiltersInput } from '../orders/orders.schemas';

const columnKey = z.string().regex(new RegExp(`^([a-zA-Z][a-zA-Z0-9]{0,39}|custom:${KEY_SOURCE})$`));
const columns = z.array(columnKey).max(80).default([]);
const format = z.enum(EXPORT_FORMATS);

/** What to export: a list's filters, sort and visible columns, and the file format. */
export const createExportInput = z.discriminatedUnion('entity', [
  z.strictObject({
    entity: z.literal('customers'),
    format,
    filters: z.strictObject(customerFilterFields).default({ archived: false }),
    columns,
    sort: z
      .strictObject({
        sort: customerSortInput.default('createdAt'),
        direction: z.enum(['asc', 'desc']).default('desc'),
      })
      .default({ sort: 'createdAt', direction: 'desc' }),
    /** Full national ID, bank card and sensitive custom values (needs `sensitive.reveal`; audited). */
    revealSensitive: z.boolean().default(false),
  }),
  z.strictObject({
    entity: z.literal('orders'),
    format,
    filters: orderFiltersInput.default({}),
    columns,
  }),
  z.strictObject({
    entity: z.literal('interactions'),
    format,
    filters: interactionFiltersInput.default({}),
    columns,
  }),
  /** A lead list (线索) as filtered, newest first or the nearest follow-up first. */
  z.strictObject({
    entity: z.literal('leads'),
    format,
    filters: leadFiltersInput.default({}),
    columns,
    sort: z
      .strictObject({ sort: z.enum(LEAD_SORTS).default('created_desc') })
      .default({ sort: 'created_desc' }),
  }),
]);
export type CreateExportInput = z.infer<typeof createExportInput>;

export const exportRunOutput = z.object({
  id: z.uuid(),
  entity: z.enum(EXPORT_ENTITIES),
  format: z.enum(EXPORT_FORMATS),
  status: z.enum(EXPORT_STATUSES),
  rowsDone: z.number().int(),
  rowsTotal: z.number().int().nullable(),
  fileName: z.string(),
  fileSize: z.number().int().nullable(),
  revealSensitive: z.boolean(),
  /** Why it failed, in the caller's language. */
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string(),
  /** Where the finished file is downloaded (same origin, the session cookie authenticates). */
  downloadUrl: z.string().nullable(),
});
export type ExportRunOutput = z.infer<typeof exportRunOutput>;

export const exportIdInput = z.strictObject({ id: z.uuid() });

export const listExportsInput = z
  .strictObject({ limit: z.number().int().min(1).max(50).default(20) })
  .default({ limit: 20 });
