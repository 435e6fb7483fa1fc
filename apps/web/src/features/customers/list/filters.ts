import { KPI_KEYS } from '@crm/domain';
import { KEY_PATTERN } from '@crm/plugin-sdk/keys';
import { type CustomerQuery, LEVELS, LIFECYCLE_STAGES, NEED_TYPES } from '../../../lib/api-types';
import {
  dayShape,
  either,
  flag,
  integer,
  listOf,
  matching,
  oneOf,
  searchOf,
  strictRecord,
  text,
  uuid,
} from '../../../lib/search-params';

/** The list's filters besides search, archived and order: what "more filters" and views set. */
export type CustomerFilters = Omit<CustomerQuery, 'search' | 'sort' | 'direction' | 'archived'>;
export type CustomFilter = NonNullable<CustomerFilters['custom']>[number];
export type CustomFilterOp = CustomFilter['op'];

const money = matching(/^\d{1,14}(\.\d{1,2})?$/, 17);
const tierKey = matching(/^[a-z][a-z0-9_-]{0,62}$/, 63);

/**
 * Filters as they come back from the URL: anything malformed is dropped rather than sent,
 * so an edited or outdated link still opens the list.
 */
export const filtersFromUrl = searchOf({
  kind: oneOf(['person', 'company']),
  ownerUserIds: listOf(uuid, 100),
  unowned: flag,
  lifecycleStages: listOf(oneOf(LIFECYCLE_STAGES), 6),
  tagIds: listOf(uuid, 20),
  valueLevels: listOf(oneOf(LEVELS), 3),
  activityLevels: listOf(oneOf(LEVELS), 3),
  needTypes: listOf(oneOf(NEED_TYPES), 3),
  industry: text(100),
  tiers: listOf(tierKey, 12),
  completenessMin: integer(0, 100),
  completenessMax: integer(0, 100),
  stale: flag,
  amount12mMin: money,
  amount12mMax: money,
  amountLifetimeMin: money,
  amountLifetimeMax: money,
  orderCountMin: integer(0),
  orderCountMax: integer(0),
  lastDealFrom: dayShape,
  lastDealTo: dayShape,
  createdFrom: dayShape,
  createdTo: dayShape,
  /** The customers behind a dashboard figure (a click on a chart). */
  kpi: strictRecord({ key: oneOf(KPI_KEYS), from: dayShape, to: dayShape, segment: text(200) }, [
    'key',
    'from',
    'to',
  ]),
  custom: listOf(
    strictRecord(
      {
        key: matching(KEY_PATTERN, 40),
        op: oneOf(['eq', 'contains', 'gte', 'lte', 'in', 'hasAll', 'empty', 'notEmpty']),
        value: either(text(200), either(flag, listOf(text(100), 50))),
      },
      ['key', 'op'],
    ),
    10,
  ),
});

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
