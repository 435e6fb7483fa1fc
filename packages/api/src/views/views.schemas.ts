import { CUSTOMER_LIST_COLUMNS, LEAD_SOURCES, LEAD_STATUSES, userText } from '@crm/domain';
import { CUSTOM_KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';
import { customerQueryInput } from '../customers/customers.schemas';
import { LEAD_SLA_STATES, LEAD_SORTS } from '../leads/leads.schemas';
import { OPPORTUNITY_SORTS } from '../opportunities/opportunities.schemas';

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

/*
 * Saved views of the other lists (线索, 商机): the page's filters as its URL carries them, so a
 * view opens the list exactly as it was saved. Each list's filters are checked here; the page
 * reads them back through its own URL schema.
 */
const searchText = z.string().max(100);

/** The 线索 list's filters (its URL). */
export const leadViewSearch = z.strictObject({
  status: z.enum(LEAD_STATUSES).optional(),
  q: searchText.optional(),
  grades: z.array(z.string().min(1).max(8)).max(12).optional(),
  sources: z.array(z.enum(LEAD_SOURCES)).max(LEAD_SOURCES.length).optional(),
  sla: z.array(z.enum(LEAD_SLA_STATES)).max(LEAD_SLA_STATES.length).optional(),
  /** 'me', 'unassigned' or a member's id. */
  owner: z.union([z.enum(['me', 'unassigned']), z.uuid()]).optional(),
  sort: z.enum(LEAD_SORTS).optional(),
});

/** The 商机 page's filters (its URL): board or table, search, mine, stage, sort. */
export const opportunityViewSearch = z.strictObject({
  view: z.enum(['board', 'table']).optional(),
  q: searchText.optional(),
  mine: z.boolean().optional(),
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/)
    .optional(),
  sort: z.enum(OPPORTUNITY_SORTS).optional(),
});

export const SEARCH_VIEW_LISTS = ['leads', 'opportunities'] as const;

export const listSearchViewsInput = z.strictObject({ list: z.enum(SEARCH_VIEW_LISTS) });
export type ListSearchViewsInput = z.infer<typeof listSearchViewsInput>;

export const searchViewOutput = z.object({
  id: z.uuid(),
  list: z.enum(SEARCH_VIEW_LISTS),
  name: z.string(),
  shared: z.boolean(),
  mine: z.boolean(),
  ownerName: z.string().nullable(),
  /** The list's filters as saved (its URL's search). */
  search: z.record(z.string(), z.unknown()),
});
export type SearchViewOutput = z.infer<typeof searchViewOutput>;

const searchViewFields = { name: viewName, shared: z.boolean().default(false) };

/** Saves the list's filters under a name (a new view, or the member's view of that name replaced). */
export const saveSearchViewInput = z.discriminatedUnion('list', [
  z.strictObject({ list: z.literal('leads'), ...searchViewFields, search: leadViewSearch }),
  z.strictObject({ list: z.literal('opportunities'), ...searchViewFields, search: opportunityViewSearch }),
]);
export type SaveSearchViewInput = z.infer<typeof saveSearchViewInput>;
