import { KPI_KEYS } from '@crm/domain';
import { KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';
import { type CustomerQuery, LEVELS, LIFECYCLE_STAGES, NEED_TYPES } from '../../../lib/api-types';

/** The list's filters besides search, archived and order: what "more filters" and views set. */
export type CustomerFilters = Omit<CustomerQuery, 'search' | 'sort' | 'direction' | 'archived'>;
export type CustomFilter = NonNullable<CustomerFilters['custom']>[number];
export type CustomFilterOp = CustomFilter['op'];

const money = z.string().regex(/^\d{1,14}(\.\d{1,2})?$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Filters as they come back from the URL: anything malformed is dropped rather than sent,
 * so an edited or outdated link still opens the list.
 */
export const filtersFromUrl = z
  .object({
    kind: z.enum(['person', 'company']).optional().catch(undefined),
    ownerUserIds: z.array(z.uuid()).max(100).optional().catch(undefined),
    unowned: z.boolean().optional().catch(undefined),
    lifecycleStages: z.array(z.enum(LIFECYCLE_STAGES)).max(6).optional().catch(undefined),
    tagIds: z.array(z.uuid()).max(20).optional().catch(undefined),
    valueLevels: z.array(z.enum(LEVELS)).max(3).optional().catch(undefined),
    activityLevels: z.array(z.enum(LEVELS)).max(3).optional().catch(undefined),
    needTypes: z.array(z.enum(NEED_TYPES)).max(3).optional().catch(undefined),
    industry: z.string().max(100).optional().catch(undefined),
    tiers: z
      .array(z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/))
      .max(12)
      .optional()
      .catch(undefined),
    completenessMin: z.number().int().min(0).max(100).optional().catch(undefined),
    completenessMax: z.number().int().min(0).max(100).optional().catch(undefined),
    stale: z.boolean().optional().catch(undefined),
    amount12mMin: money.optional().catch(undefined),
    amount12mMax: money.optional().catch(undefined),
    amountLifetimeMin: money.optional().catch(undefined),
    amountLifetimeMax: money.optional().catch(undefined),
    orderCountMin: z.number().int().min(0).optional().catch(undefined),
    orderCountMax: z.number().int().min(0).optional().catch(undefined),
    lastDealFrom: date.optional().catch(undefined),
    lastDealTo: date.optional().catch(undefined),
    createdFrom: date.optional().catch(undefined),
    createdTo: date.optional().catch(undefined),
    /** The customers behind a dashboard figure (a click on a chart). */
    kpi: z
      .object({
        key: z.enum(KPI_KEYS),
        from: date,
        to: date,
        segment: z.string().max(200).optional(),
      })
      .optional()
      .catch(undefined),
    custom: z
      .array(
        z.object({
          key: z.string().regex(KEY_PATTERN),
          op: z.enum(['eq', 'contains', 'gte', 'lte', 'in', 'hasAll', 'empty', 'notEmpty']),
          value: z.union([z.string().max(200), z.boolean(), z.array(z.string().max(100)).max(50)]).optional(),
        }),
      )
      .max(10)
      .optional()
      .catch(undefined),
  })
  .catch({});

/** Drops empty entries, so equal filters compare equal and the URL stays short. */
export function compactFilters(filters: CustomerFilters): CustomerFilters {
  const compact: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    // `stale: false` means "updated within 30 days"; `unowned: false` means nothing.
    if (key === 'unowned' && value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    compact[key] = value;
  }
  return compact as CustomerFilters;
}

/** How many conditions the "more filters" drawer holds (the inline ones are visible anyway). */
export function countMoreFilters(filters: CustomerFilters): number {
  const inline = new Set(['lifecycleStages', 'tagIds', 'ownerUserIds', 'unowned']);
  return (
    Object.entries(compactFilters(filters)).filter(([key]) => !inline.has(key)).length +
    Math.max(0, (filters.custom?.length ?? 0) - 1)
  );
}
