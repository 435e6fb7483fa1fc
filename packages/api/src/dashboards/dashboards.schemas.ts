import { DASHBOARDS, dateInput, KPI_BREAKDOWNS, KPI_KEYS, KPI_UNITS } from '@crm/domain';
import { z } from 'zod';

const tierKey = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/);

/** A period: from this day (inclusive) to this day (exclusive), in the tenant's time zone. */
const period = {
  from: dateInput,
  to: dateInput,
};

/** The filters every dashboard takes besides the period. */
export const dashboardFilterFields = {
  ...period,
  /** Customers of these tiers (by key of the tenant's profile). */
  tiers: z.array(tierKey).max(12).optional(),
  /** One owner's customers and tasks (within what the member sees). */
  ownerUserId: z.uuid().optional(),
  /** The customers and tasks of a team's members. */
  teamId: z.uuid().optional(),
};

export const dashboardInput = z
  .strictObject({
    dashboard: z.enum(DASHBOARDS),
    ...dashboardFilterFields,
    /** Also the period before of the same length and the same period a year earlier. */
    compare: z.boolean().default(true),
  })
  .refine((input) => input.from < input.to, { path: ['to'], error: 'must be after from' });
export type DashboardInput = z.infer<typeof dashboardInput>;
export type DashboardFilters = Omit<DashboardInput, 'dashboard' | 'compare'>;

export const kpiBreakdownRow = z.object({
  /** A tier, stage, month ('2026-12'), owner id, or move ('key>strategic'); null: none (no tier, no owner). */
  key: z.string().nullable(),
  /** An owner's name. */
  label: z.string().nullable(),
  /** The line it belongs to when the KPI draws one per tier (a tier key, '' for none); null: all. */
  series: z.string().nullable(),
  value: z.number().nullable(),
  /** How many the figure counts over (customers, orders, tasks, tickets): the denominator of a rate. */
  count: z.number().int(),
});
export type KpiBreakdownRow = z.infer<typeof kpiBreakdownRow>;

export const kpiFigure = z.object({
  key: z.enum(KPI_KEYS),
  unit: z.enum(KPI_UNITS),
  better: z.enum(['higher', 'lower']),
  /** False while the capability the KPI reads is not built: no figures. */
  available: z.boolean(),
  /** False when the filters do not apply to this KPI (the ticket figures; tiers for leads and deals). */
  filtered: z.boolean(),
  value: z.number().nullable(),
  /** How many the figure counts over. */
  count: z.number().int(),
  previous: z.number().nullable(),
  lastYear: z.number().nullable(),
  target: z.number().nullable(),
  status: z.enum(['green', 'amber', 'red']).nullable(),
  breakdownBy: z.enum(KPI_BREAKDOWNS),
  /** A second grouping drawn as one line per value (NPS per month, a line per tier). */
  seriesBy: z.enum(['tier']).nullable(),
  breakdown: z.array(kpiBreakdownRow),
});
export type KpiFigure = z.infer<typeof kpiFigure>;

export const dashboardOutput = z.object({
  dashboard: z.enum(DASHBOARDS),
  from: z.string(),
  to: z.string(),
  /** The tenant's currency, for money figures. */
  currency: z.string(),
  /** When the figures were read: they are computed from the tables the product writes, as of now. */
  computedAt: z.string(),
  kpis: z.array(kpiFigure),
});
export type DashboardOutput = z.infer<typeof dashboardOutput>;

export const workbenchInput = z.strictObject(period).refine((input) => input.from < input.to, {
  path: ['to'],
  error: 'must be after from',
});
export type WorkbenchInput = z.infer<typeof workbenchInput>;

export const workbenchOutput = z.object({
  computedAt: z.string(),
  currency: z.string(),
  /** The member's figures (a rep: their own customers and tasks; a manager: the team's; an admin: all). */
  kpis: z.array(kpiFigure),
  /** For owners and admins: the tenant's health. */
  health: z
    .object({
      completenessAverage: z.number().nullable(),
      completeShare: z.number().nullable(),
      failedImports7d: z.number().int(),
      failedExports7d: z.number().int(),
      importsRunning: z.number().int(),
    })
    .nullable(),
});
export type WorkbenchOutput = z.infer<typeof workbenchOutput>;

export const kpiTargetOutput = z.object({
  key: z.enum(KPI_KEYS),
  /** The playbooks' figure (the plugin default). */
  defaultTarget: z.number().nullable(),
  /** The tenant's own, when set. */
  tenantTarget: z.number().nullable(),
  target: z.number().nullable(),
});
export const kpiTargetsOutput = z.array(kpiTargetOutput);
export type KpiTargetOutput = z.infer<typeof kpiTargetOutput>;

export const setKpiTargetInput = z.strictObject({
  key: z.enum(KPI_KEYS),
  /** null: back to the default. */
  target: z.number().min(-1_000_000_000).max(1_000_000_000).nullable(),
});
export type SetKpiTargetInput = z.infer<typeof setKpiTargetInput>;

/** The customers behind a figure (the customer list's `kpi` filter, and so its export). */
export const kpiSegmentInput = z.strictObject({
  key: z.enum(KPI_KEYS),
  from: dateInput,
  to: dateInput,
  /**
   * A breakdown's key (a tier, stage, month, owner id, move 'from>to'; for a trend per tier
   * 'month|tier'); '' for none (no tier, no owner).
   */
  segment: z.string().max(200).optional(),
});
export type KpiSegment = z.infer<typeof kpiSegmentInput>;

/** The teams and owners the member may filter by (record access: none for a rep). */
export const filterOptionsOutput = z.object({
  teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
  owners: z.array(z.object({ userId: z.uuid(), name: z.string(), teamId: z.uuid().nullable() })),
});
export type FilterOptionsOutput = z.infer<typeof filterOptionsOutput>;
