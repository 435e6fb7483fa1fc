import type { CrmDatabase } from '@crm/db';
import {
  comparisonPeriods,
  KPI_CATALOGUE,
  type KpiDefinition,
  type KpiKey,
  kpiStatus,
  LEAD_FUNNEL_STEPS,
  LIFECYCLE_STAGES,
  leadConversionRate,
  NOTIFICATION_DEFAULTS,
  netPromoterScore,
  percentOf,
  type Role,
  winRate,
} from '@crm/domain';
import { memberAccess } from '../customers/access';
import { renderEmail } from '../email/email.render';
import type { EmailDraft } from '../email/email.schemas';
import { enqueueEmail } from '../email/email.service';
import { AppError } from '../errors';
import { tenantProfileId } from '../plugins/effective-settings';
import type { PluginRegistry } from '../plugins/registry';
import type { Scope } from '../scope';
import { ticketKpis } from '../tickets/tickets.service';
import {
  type AnswerRow,
  type CountRow,
  deleteKpiTarget,
  type LeadRow,
  type OpportunityRow,
  selectAnswerFigures,
  selectBuyerFigures,
  selectFilterOptions,
  selectKpiTargets,
  selectLeadFigures,
  selectNewCustomers,
  selectOpportunityFigures,
  selectOrderFigures,
  selectOverdueTasks,
  selectPipeline,
  selectRetention,
  selectSnapshot,
  selectTaskFigures,
  selectTenantCurrency,
  selectTenantHealth,
  selectTierMoves,
  selectUserNames,
  selectWeeklyRecipients,
  upsertKpiTarget,
} from './dashboards.repository';
import type {
  DashboardFilters,
  DashboardInput,
  DashboardOutput,
  FilterOptionsOutput,
  KpiBreakdownRow,
  KpiFigure,
  KpiTargetOutput,
  SetKpiTargetInput,
  WorkbenchInput,
  WorkbenchOutput,
} from './dashboards.schemas';
import type { Range } from './segments.sql';

/** A KPI's figure for one period: its value, what it counts over, and its breakdown. */
type Figure = { value: number | null; count: number; breakdown: KpiBreakdownRow[] };
type Figures = Map<KpiKey, Figure>;

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
const ratio = (part: number, whole: number, digits = 1) => (whole === 0 ? null : round(part / whole, digits));
const row = (
  key: string | null,
  value: number | null,
  count: number,
  series: string | null = null,
): KpiBreakdownRow => ({
  key,
  label: null,
  series,
  value,
  count,
});
const compareKeys = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
/** Breakdown rows in a stable order: keys ascending, none last (then series alike). */
const byKey = (a: KpiBreakdownRow, b: KpiBreakdownRow) =>
  compareKeys(a.key, b.key) || compareKeys(a.series, b.series);

function countFigure(rows: CountRow[]): Figure {
  const total = rows.find((entry) => entry.total);
  return {
    value: Number(total?.count ?? 0),
    count: Number(total?.count ?? 0),
    breakdown: rows
      .filter((entry) => !entry.total)
      .map((entry) => row(entry.key, Number(entry.count), Number(entry.count)))
      .sort(byKey),
  };
}

const needs = (keys: Set<KpiKey>, ...of: KpiKey[]) => of.some((key) => keys.has(key));

/** The figures of a period (or of now, for the snapshot KPIs) for these KPIs. */
async function periodFigures(
  scope: Scope,
  keys: Set<KpiKey>,
  range: Range,
  filters: DashboardFilters,
  withSnapshot: boolean,
): Promise<Figures> {
  const figures: Figures = new Map();
  const set = (key: KpiKey, figure: Figure) => {
    if (keys.has(key)) figures.set(key, figure);
  };

  if (
    withSnapshot &&
    needs(
      keys,
      'customers_total',
      'customers_by_stage',
      'completeness_average',
      'completeness_share',
      'stale_profiles',
      'customers_per_rep',
    )
  ) {
    const rows = await selectSnapshot(scope, filters);
    const total = rows.find((entry) => entry.by === 'total');
    const customers = Number(total?.customers ?? 0);
    const tiers = rows.filter((entry) => entry.by === 'tier');
    const perTier = (value: (entry: (typeof rows)[number]) => number | null) =>
      tiers.map((entry) => row(entry.key, value(entry), Number(entry.customers))).sort(byKey);
    set('customers_total', {
      value: customers,
      count: customers,
      breakdown: perTier((entry) => Number(entry.customers)),
    });
    const stages = rows.filter((entry) => entry.by === 'stage');
    set('customers_by_stage', {
      value: customers,
      count: customers,
      breakdown: LIFECYCLE_STAGES.map((stage) => {
        const found = Number(stages.find((entry) => entry.key === stage)?.customers ?? 0);
        return row(stage, found, found);
      }),
    });
    const average = (entry: { completeness_sum: string; customers: string }) =>
      ratio(Number(entry.completeness_sum), Number(entry.customers));
    set('completeness_average', {
      value: total ? average(total) : null,
      count: customers,
      breakdown: perTier(average),
    });
    set('completeness_share', {
      value: percentOf(Number(total?.complete ?? 0), customers),
      count: customers,
      breakdown: perTier((entry) => percentOf(Number(entry.complete), Number(entry.customers))),
    });
    set('stale_profiles', {
      value: percentOf(Number(total?.stale ?? 0), customers),
      count: customers,
      breakdown: perTier((entry) => percentOf(Number(entry.stale), Number(entry.customers))),
    });
    const owners = rows.filter((entry) => entry.by === 'owner' && entry.key !== null);
    const owned = owners.reduce((sum, entry) => sum + Number(entry.customers), 0);
    set('customers_per_rep', {
      value: ratio(owned, owners.length),
      count: owners.length,
      breakdown: owners
        .map((entry) => row(entry.key, Number(entry.customers), Number(entry.customers)))
        .sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || byKey(a, b)),
    });
  }

  if (needs(keys, 'average_order_value', 'revenue_by_tier')) {
    const rows = await selectOrderFigures(scope, range, filters);
    const total = rows.find((entry) => entry.by === 'total');
    const aov = (entry: { amount: string; orders: string }) =>
      ratio(Number(entry.amount), Number(entry.orders), 2);
    set('average_order_value', {
      value: total ? aov(total) : null,
      count: Number(total?.orders ?? 0),
      breakdown: rows
        .filter((entry) => entry.by === 'month')
        .map((entry) => row(entry.key, aov(entry), Number(entry.orders)))
        .sort(byKey),
    });
    set('revenue_by_tier', {
      value: round(Number(total?.amount ?? 0), 2),
      count: Number(total?.orders ?? 0),
      breakdown: rows
        .filter((entry) => entry.by === 'tier')
        .map((entry) => row(entry.key, round(Number(entry.amount), 2), Number(entry.orders)))
        .sort(byKey),
    });
  }

  if (needs(keys, 'repurchase_rate', 'cross_sell_share')) {
    const rows = await selectBuyerFigures(scope, range, filters);
    const total = rows.find((entry) => entry.total);
    const tiers = rows.filter((entry) => !entry.total);
    const share = (field: 'repeat' | 'cross_sell'): Figure => ({
      value: percentOf(Number(total?.[field] ?? 0), Number(total?.buyers ?? 0)),
      count: Number(total?.buyers ?? 0),
      breakdown: tiers
        .map((entry) =>
          row(entry.key, percentOf(Number(entry[field]), Number(entry.buyers)), Number(entry.buyers)),
        )
        .sort(byKey),
    });
    set('repurchase_rate', share('repeat'));
    set('cross_sell_share', share('cross_sell'));
  }

  if (needs(keys, 'retention_rate', 'churn_rate')) {
    const rows = await selectRetention(scope, range, filters);
    const total = rows.find((entry) => entry.total);
    const tiers = rows.filter((entry) => !entry.total);
    const rate = (kept: boolean) => (entry: { base: string; churned: string }) =>
      percentOf(
        kept ? Number(entry.base) - Number(entry.churned) : Number(entry.churned),
        Number(entry.base),
      );
    for (const [key, kept] of [
      ['retention_rate', true],
      ['churn_rate', false],
    ] as const) {
      set(key, {
        value: total ? rate(kept)(total) : null,
        count: Number(total?.base ?? 0),
        breakdown: tiers.map((entry) => row(entry.key, rate(kept)(entry), Number(entry.base))).sort(byKey),
      });
    }
  }

  if (keys.has('new_customers'))
    set('new_customers', countFigure(await selectNewCustomers(scope, range, filters)));
  if (keys.has('tier_moves')) set('tier_moves', countFigure(await selectTierMoves(scope, range, filters)));

  if (needs(keys, 'task_sla_compliance', 'plan_task_completion', 'contact_cadence_compliance')) {
    const rows = await selectTaskFigures(scope, range, filters);
    const total = rows.find((entry) => entry.by === 'total');
    const tiers = rows.filter((entry) => entry.by === 'tier');
    set('task_sla_compliance', {
      value: percentOf(Number(total?.on_time ?? 0), Number(total?.due ?? 0)),
      count: Number(total?.due ?? 0),
      breakdown: rows
        .filter((entry) => entry.by === 'owner')
        .map((entry) =>
          row(entry.key, percentOf(Number(entry.on_time), Number(entry.due)), Number(entry.due)),
        )
        .sort(byKey),
    });
    const plan = (field: 'plan_done' | 'plan_on_time'): Figure => ({
      value: percentOf(Number(total?.[field] ?? 0), Number(total?.plan_due ?? 0)),
      count: Number(total?.plan_due ?? 0),
      breakdown: tiers
        .filter((entry) => Number(entry.plan_due) > 0)
        .map((entry) =>
          row(entry.key, percentOf(Number(entry[field]), Number(entry.plan_due)), Number(entry.plan_due)),
        )
        .sort(byKey),
    });
    set('plan_task_completion', plan('plan_done'));
    set('contact_cadence_compliance', plan('plan_on_time'));
  }

  if (withSnapshot && keys.has('overdue_tasks')) {
    const figure = countFigure(await selectOverdueTasks(scope, filters));
    figure.breakdown.sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || byKey(a, b));
    set('overdue_tasks', figure);
  }

  if (
    needs(
      keys,
      'lead_funnel',
      'lead_conversion_rate',
      'lead_conversion_by_grade',
      'lead_conversion_by_rep',
      'lead_first_contact_hours',
      'lead_sla_compliance',
    )
  ) {
    const rows = await selectLeadFigures(scope, range, filters);
    const total = rows.find((entry) => entry.by === 'total');
    const of = (by: LeadRow['by']) => rows.filter((entry) => entry.by === by);
    const funnel = {
      created: Number(total?.created ?? 0),
      contacted: Number(total?.contacted ?? 0),
      qualified: Number(total?.qualified ?? 0),
      converted: Number(total?.converted ?? 0),
    };
    set('lead_funnel', {
      value: funnel.created,
      count: funnel.created,
      // In the funnel's order, not by key.
      breakdown: LEAD_FUNNEL_STEPS.map((step) => row(step, funnel[step], funnel[step])),
    });
    const conversion = (entry: LeadRow) => leadConversionRate(Number(entry.converted), Number(entry.created));
    const conversionBy = (by: LeadRow['by']): Figure => ({
      value: total ? conversion(total) : null,
      count: funnel.created,
      breakdown: of(by)
        .map((entry) => row(entry.key, conversion(entry), Number(entry.created)))
        .sort(byKey),
    });
    set('lead_conversion_rate', conversionBy('source'));
    set('lead_conversion_by_grade', conversionBy('grade'));
    set('lead_conversion_by_rep', conversionBy('owner'));
    const firstContactHours = (entry: LeadRow) =>
      ratio(Number(entry.first_contact_minutes) / 60, Number(entry.first_contacts));
    set('lead_first_contact_hours', {
      value: total ? firstContactHours(total) : null,
      count: Number(total?.first_contacts ?? 0),
      breakdown: of('grade')
        .filter((entry) => Number(entry.first_contacts) > 0)
        .map((entry) => row(entry.key, firstContactHours(entry), Number(entry.first_contacts)))
        .sort(byKey),
    });
    const slaMet = (entry: LeadRow) => percentOf(Number(entry.sla_met), Number(entry.sla_due));
    set('lead_sla_compliance', {
      value: percentOf(Number(total?.sla_met ?? 0), Number(total?.sla_due ?? 0)),
      count: Number(total?.sla_due ?? 0),
      breakdown: of('grade')
        .filter((entry) => Number(entry.sla_due) > 0)
        .map((entry) => row(entry.key, slaMet(entry), Number(entry.sla_due)))
        .sort(byKey),
    });
  }

  if (needs(keys, 'sales_cycle_days', 'win_rate')) {
    const rows = await selectOpportunityFigures(scope, range, filters);
    const total = rows.find((entry) => entry.by === 'total');
    const cycle = (entry: OpportunityRow) => ratio(Number(entry.cycle_days_sum), Number(entry.won));
    const winRateOf = (entry: OpportunityRow) => winRate(Number(entry.won), Number(entry.closed));
    set('sales_cycle_days', {
      value: total ? cycle(total) : null,
      count: Number(total?.won ?? 0),
      breakdown: rows
        .filter((entry) => entry.by === 'month' && Number(entry.won) > 0)
        .map((entry) => row(entry.key, cycle(entry), Number(entry.won)))
        .sort(byKey),
    });
    set('win_rate', {
      value: total ? winRateOf(total) : null,
      count: Number(total?.closed ?? 0),
      breakdown: rows
        .filter((entry) => entry.by === 'owner')
        .map((entry) => row(entry.key, winRateOf(entry), Number(entry.closed)))
        .sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || byKey(a, b)),
    });
  }

  if (withSnapshot && keys.has('pipeline_value')) {
    const rows = await selectPipeline(scope, filters);
    const total = rows.find((entry) => entry.total);
    set('pipeline_value', {
      value: round(Number(total?.amount ?? 0), 2),
      count: Number(total?.opportunities ?? 0),
      breakdown: rows
        .filter((entry) => !entry.total)
        .map((entry) => row(entry.key, round(Number(entry.amount), 2), Number(entry.opportunities)))
        .sort(byKey),
    });
  }

  if (needs(keys, 'nps', 'csat')) {
    const rows = await selectAnswerFigures(scope, range, filters);
    const total = rows.find((entry) => entry.by === 'total');
    const nps = (entry: AnswerRow) => netPromoterScore(entry.promoters, entry.detractors, entry.nps_count);
    const csat = (entry: AnswerRow) => percentOf(entry.satisfied, entry.csat_count);
    // Per month (series null: every tier) and per month and tier (a line per tier).
    const trend = (read: (entry: AnswerRow) => number | null, count: (entry: AnswerRow) => number) =>
      rows
        .filter((entry) => entry.by !== 'total' && count(entry) > 0)
        .map((entry) =>
          row(entry.month, read(entry), count(entry), entry.by === 'month_tier' ? (entry.tier ?? '') : null),
        )
        .sort(byKey);
    set('nps', {
      value: total ? nps(total) : null,
      count: total?.nps_count ?? 0,
      breakdown: trend(nps, (entry) => entry.nps_count),
    });
    set('csat', {
      value: total ? csat(total) : null,
      count: total?.csat_count ?? 0,
      breakdown: trend(csat, (entry) => entry.csat_count),
    });
  }

  if (
    needs(
      keys,
      'ticket_closure_rate',
      'ticket_first_response_hours',
      'ticket_resolution_hours',
      'ticket_sla_compliance',
    )
  ) {
    // The ticket capability's own KPIs (the member's tickets), read through its service.
    const tickets = await ticketKpis(scope, { from: range.from, to: range.to, by: 'month' });
    const percent = (value: number | null) => (value === null ? null : round(value * 100, 1));
    const hours = (value: number | null) => (value === null ? null : round(value, 1));
    const ticketFigure = (
      read: (entry: (typeof tickets)['total']) => number | null,
      count: (entry: (typeof tickets)['total']) => number,
    ): Figure => ({
      value: read(tickets.total),
      count: count(tickets.total),
      breakdown: tickets.rows.map((entry) => row(entry.key, read(entry), count(entry))).sort(byKey),
    });
    set(
      'ticket_closure_rate',
      ticketFigure(
        (entry) => percent(entry.closureRate),
        (entry) => entry.opened,
      ),
    );
    set(
      'ticket_first_response_hours',
      ticketFigure(
        (entry) => hours(entry.firstResponseHours),
        (entry) => entry.opened,
      ),
    );
    set(
      'ticket_resolution_hours',
      ticketFigure(
        (entry) => hours(entry.resolutionHours),
        (entry) => entry.closed,
      ),
    );
    set(
      'ticket_sla_compliance',
      ticketFigure(
        (entry) => percent(entry.firstResponseMetRate),
        (entry) => entry.opened,
      ),
    );
  }
  return figures;
}

/** The sources whose figures exist: a KPI of a capability still to come is declared and stays empty. */
const AVAILABLE_SOURCES = new Set<KpiDefinition['source']>([
  'customers',
  'orders',
  'lifecycle',
  'tiering',
  'tasks',
  'plans',
  'tickets',
  'leads',
  'opportunities',
  'surveys',
]);

/**
 * Whether the dashboard's filters all apply to a KPI: ticket figures take none of them (the
 * ticket capability's own KPIs), leads and opportunities have no tier (owner and team apply).
 */
function filtersApply(definition: KpiDefinition, filters: DashboardFilters): boolean {
  if (definition.source === 'tickets')
    return !(filters.tiers?.length || filters.ownerUserId || filters.teamId);
  if (definition.source === 'leads' || definition.source === 'opportunities') return !filters.tiers?.length;
  return true;
}

/**
 * What the dashboards need besides the scope: the plugins, whose KPI targets replace the
 * core's, and the database, whose replica serves the figures when it can.
 */
export type DashboardDependencies = { plugins?: PluginRegistry; database?: CrmDatabase };

/** How long a dashboard waits for the replica to replay what was committed before it, before it reads on the primary. */
export const DASHBOARD_REPLICA_WAIT_MS = 250;

/**
 * A dashboard's reads, on the read replica when there is one that has replayed everything
 * committed before the request (within DASHBOARD_REPLICA_WAIT_MS) — as the same member, under
 * the same row-level security and record access (docs/scaling.md, "Read replica"); otherwise
 * (no replica, lagging, not answering, or failing mid-read) in the request's own transaction
 * on the primary. The figures are the same either way.
 */
async function readWhereCaughtUp<T>(
  scope: Scope,
  dependencies: DashboardDependencies,
  read: (scope: Scope) => Promise<T>,
): Promise<T> {
  if (!dependencies.database) return read(scope);
  const reads = await dependencies.database.heavyReads({
    waitMs: DASHBOARD_REPLICA_WAIT_MS,
    within: scope.trx,
  });
  if (reads.source !== 'replica') return read(scope);
  try {
    return await reads.withTenant(
      scope.tenantId,
      (trx) => read({ ...scope, trx }),
      scope.userId ?? undefined,
    );
  } catch (error) {
    if (error instanceof AppError) throw error;
    return read(scope);
  }
}

/**
 * The targets in force: the tenant's own, else its industry plugin's (`kpiTargets`), else the
 * catalogue's (the playbooks' numbers).
 */
async function kpiTargets(
  scope: Scope,
  dependencies: DashboardDependencies,
): Promise<{ tenant: Map<string, number>; plugin: Readonly<Record<string, number | undefined>> }> {
  const tenant = await selectKpiTargets(scope);
  let plugin: Readonly<Record<string, number | undefined>> = {};
  if (dependencies.plugins) {
    const status = dependencies.plugins.status(await tenantProfileId(scope.trx, scope.tenantId));
    if (status.state === 'ok') plugin = status.plugin.kpiTargets ?? {};
  }
  return { tenant, plugin };
}

const defaultTargetOf = (
  definition: KpiDefinition,
  plugin: Readonly<Record<string, number | undefined>>,
): number | null => plugin[definition.key] ?? definition.target;

async function computeKpis(
  scope: Scope,
  dependencies: DashboardDependencies,
  definitions: readonly KpiDefinition[],
  filters: DashboardFilters,
  compare: boolean,
): Promise<KpiFigure[]> {
  const keys = new Set(definitions.map((definition) => definition.key as KpiKey));
  const range = { from: filters.from, to: filters.to };
  const current = await periodFigures(scope, keys, range, filters, true);
  let previous: Figures = new Map();
  let lastYear: Figures = new Map();
  if (compare) {
    const periodKeys = new Set(
      definitions.filter((definition) => !definition.snapshot).map((definition) => definition.key as KpiKey),
    );
    const periods = comparisonPeriods(filters.from, filters.to);
    previous = await periodFigures(scope, periodKeys, periods.previous, filters, false);
    lastYear = await periodFigures(scope, periodKeys, periods.lastYear, filters, false);
  }
  const targets = await kpiTargets(scope, dependencies);

  const ownerIds = new Set<string>();
  for (const definition of definitions) {
    if (definition.breakdown !== 'owner') continue;
    for (const entry of current.get(definition.key as KpiKey)?.breakdown ?? []) {
      if (entry.key) ownerIds.add(entry.key);
    }
  }
  const names = await selectUserNames(scope, [...ownerIds]);

  return definitions.map((definition) => {
    const key = definition.key as KpiKey;
    const figure = current.get(key);
    const target = targets.tenant.get(key) ?? defaultTargetOf(definition, targets.plugin);
    const value = figure?.value ?? null;
    return {
      key,
      unit: definition.unit,
      better: definition.better,
      available: AVAILABLE_SOURCES.has(definition.source),
      filtered: filtersApply(definition, filters),
      value,
      count: figure?.count ?? 0,
      previous: previous.get(key)?.value ?? null,
      lastYear: lastYear.get(key)?.value ?? null,
      target,
      status: kpiStatus(value, target, definition.better),
      breakdownBy: definition.breakdown,
      seriesBy: definition.series ?? null,
      breakdown: (figure?.breakdown ?? []).map((entry) =>
        definition.breakdown === 'owner' && entry.key
          ? { ...entry, label: names.get(entry.key) ?? null }
          : entry,
      ),
    };
  });
}

/**
 * One dashboard's figures over the period and filters, for what the member may see (a rep:
 * their own customers and tasks; a manager: the team's), each against its target, with the
 * previous period and the same period a year earlier when asked.
 */
export async function readDashboard(
  scope: Scope,
  dependencies: DashboardDependencies,
  input: DashboardInput,
): Promise<DashboardOutput> {
  const { dashboard, compare, ...filters } = input;
  const definitions = KPI_CATALOGUE.filter((definition) =>
    (definition.dashboards as readonly string[]).includes(dashboard),
  );
  return readWhereCaughtUp(scope, dependencies, async (reading) => {
    const kpis = await computeKpis(reading, dependencies, definitions, filters, compare);
    return {
      dashboard,
      from: input.from,
      to: input.to,
      currency: await selectTenantCurrency(reading),
      computedAt: new Date().toISOString(),
      kpis,
    };
  });
}

/** The KPIs a member's workbench shows, by what their role does. */
const WORKBENCH_KPIS: Record<Role, KpiKey[]> = {
  owner: [
    'retention_rate',
    'repurchase_rate',
    'average_order_value',
    'lead_conversion_rate',
    'csat',
    'ticket_closure_rate',
    'overdue_tasks',
  ],
  admin: [
    'retention_rate',
    'repurchase_rate',
    'average_order_value',
    'lead_conversion_rate',
    'csat',
    'ticket_closure_rate',
    'overdue_tasks',
  ],
  sales_manager: [
    'lead_conversion_rate',
    'win_rate',
    'lead_sla_compliance',
    'task_sla_compliance',
    'overdue_tasks',
    'repurchase_rate',
    'customers_per_rep',
  ],
  sales_rep: [
    'lead_sla_compliance',
    'lead_conversion_rate',
    'task_sla_compliance',
    'overdue_tasks',
    'repurchase_rate',
    'customers_total',
  ],
  service_agent: [
    'ticket_closure_rate',
    'ticket_first_response_hours',
    'ticket_sla_compliance',
    'csat',
    'overdue_tasks',
  ],
  marketing: [
    'new_customers',
    'lead_funnel',
    'lead_conversion_rate',
    'repurchase_rate',
    'completeness_average',
  ],
  analyst: ['retention_rate', 'repurchase_rate', 'churn_rate', 'average_order_value', 'nps', 'csat'],
  viewer: ['retention_rate', 'repurchase_rate', 'average_order_value', 'ticket_closure_rate'],
};

/**
 * The workbench (工作台): the member's own figures for the period against their targets, and
 * for owners and admins the tenant's health (completeness, failed imports and exports).
 */
export async function readWorkbench(
  scope: Scope,
  dependencies: DashboardDependencies,
  input: WorkbenchInput,
): Promise<WorkbenchOutput> {
  const role = scope.role ?? 'viewer';
  const wanted = new Set<KpiKey>(WORKBENCH_KPIS[role]);
  const admin = role === 'owner' || role === 'admin';
  if (admin) {
    wanted.add('completeness_average');
    wanted.add('completeness_share');
  }
  const definitions = KPI_CATALOGUE.filter((definition) => wanted.has(definition.key));
  return readWhereCaughtUp(scope, dependencies, (reading) =>
    workbenchFigures(reading, dependencies, definitions, input, admin),
  );
}

async function workbenchFigures(
  scope: Scope,
  dependencies: DashboardDependencies,
  definitions: readonly KpiDefinition[],
  input: WorkbenchInput,
  admin: boolean,
): Promise<WorkbenchOutput> {
  const role = scope.role ?? 'viewer';
  const kpis = await computeKpis(scope, dependencies, definitions, { from: input.from, to: input.to }, false);
  let health: WorkbenchOutput['health'] = null;
  if (admin) {
    const row = await selectTenantHealth(scope);
    health = {
      completenessAverage: kpis.find((kpi) => kpi.key === 'completeness_average')?.value ?? null,
      completeShare: kpis.find((kpi) => kpi.key === 'completeness_share')?.value ?? null,
      failedImports7d: Number(row.failed_imports),
      failedExports7d: Number(row.failed_exports),
      importsRunning: Number(row.imports_running),
    };
  }
  return {
    computedAt: new Date().toISOString(),
    currency: await selectTenantCurrency(scope),
    kpis: kpis.filter((kpi) => WORKBENCH_KPIS[role].includes(kpi.key)),
    health,
  };
}

/** Every KPI's target: the default (the industry plugin's, else the playbooks') and the tenant's own. */
export async function listKpiTargets(
  scope: Scope,
  dependencies: DashboardDependencies,
): Promise<KpiTargetOutput[]> {
  const targets = await kpiTargets(scope, dependencies);
  return KPI_CATALOGUE.map((definition) => {
    const tenantTarget = targets.tenant.get(definition.key) ?? null;
    const defaultTarget = defaultTargetOf(definition, targets.plugin);
    return { key: definition.key, defaultTarget, tenantTarget, target: tenantTarget ?? defaultTarget };
  });
}

/** Sets a KPI's target for the tenant (null: back to the default). */
export async function setKpiTarget(
  scope: Scope,
  dependencies: DashboardDependencies,
  input: SetKpiTargetInput,
): Promise<KpiTargetOutput[]> {
  if (input.target === null) await deleteKpiTarget(scope, input.key);
  else await upsertKpiTarget(scope, input.key, input.target);
  return listKpiTargets(scope, dependencies);
}

/** The teams and owners the member may filter the dashboards by. */
export async function listFilterOptions(scope: Scope): Promise<FilterOptionsOutput> {
  const rows = await selectFilterOptions(scope);
  return {
    teams: rows.teams,
    owners: rows.owners.map((owner) => ({ userId: owner.user_id, name: owner.name, teamId: owner.team_id })),
  };
}

// ---------------------------------------------------------------------------------------------
// The weekly summary (每周指标摘要)

type Locale = 'zh-CN' | 'en';

const WEEKLY_WORDS = {
  subject: {
    'zh-CN': '每周指标摘要（{from} 至 {to}）：{met}/{total} 项达标',
    en: 'Your week in figures ({from} to {to}): {met} of {total} on target',
  },
  heading: {
    'zh-CN': '{name}，这是{whose}上周（{from} 至 {to}）的指标',
    en: '{name}, here are {whose} figures for last week ({from} to {to})',
  },
  whoseOwn: { 'zh-CN': '你', en: 'your' },
  whoseTeam: { 'zh-CN': '你团队', en: 'your team’s' },
  whoseTenant: { 'zh-CN': '公司', en: 'the company’s' },
  target: { 'zh-CN': '目标 {value}', en: 'target {value}' },
  noTarget: { 'zh-CN': '未设目标', en: 'no target' },
  change: { 'zh-CN': '较前一周 {change}', en: '{change} on the week before' },
  now: { 'zh-CN': '当前', en: 'now' },
  green: { 'zh-CN': '达标', en: 'on target' },
  amber: { 'zh-CN': '接近目标', en: 'near target' },
  red: { 'zh-CN': '未达标', en: 'off target' },
  open: { 'zh-CN': '打开数据看板', en: 'Open the dashboards' },
  footer: {
    'zh-CN': '你可以在「通知设置」中关闭每周指标摘要邮件。',
    en: 'You can turn the weekly figures off in Notification settings.',
  },
} satisfies Record<string, Record<Locale, string>>;

const UNIT_WORDS: Record<Locale, Record<'percent' | 'hours' | 'days' | 'points', string>> = {
  'zh-CN': { percent: '{value}%', hours: '{value} 小时', days: '{value} 天', points: '{value} 个百分点' },
  en: { percent: '{value} %', hours: '{value} h', days: '{value} days', points: '{value} pp' },
};

function words(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/**
 * Number formats, built once per locale (and currency): `toLocaleString` with options builds a
 * new `Intl.NumberFormat` on every call, which a weekly summary makes for each figure of
 * each member.
 */
const ONE_DECIMAL: Record<Locale, Intl.NumberFormat> = {
  'zh-CN': new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en', { maximumFractionDigits: 1 }),
};
const CURRENCY_FORMATS = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, locale: Locale): Intl.NumberFormat {
  const key = `${locale} ${currency}`;
  let format = CURRENCY_FORMATS.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    CURRENCY_FORMATS.set(key, format);
  }
  return format;
}

/** A figure in its unit, in the reader's language: 66.7%, ¥2,500.00, 12 小时. */
export function formatFigure(
  unit: KpiDefinition['unit'],
  value: number,
  currency: string,
  locale: Locale,
): string {
  if (unit === 'currency') return currencyFormat(currency, locale).format(value);
  const number = ONE_DECIMAL[locale].format(value);
  if (unit === 'count') return number;
  return words(UNIT_WORDS[locale][unit], { value: number });
}

/** A change on the week before, signed: +3.2 个百分点, −1 小时. */
function formatChange(unit: KpiDefinition['unit'], change: number, currency: string, locale: Locale): string {
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const magnitude = Math.abs(Math.round(change * 100) / 100);
  if (unit === 'percent')
    return `${sign}${words(UNIT_WORDS[locale].points, { value: ONE_DECIMAL[locale].format(magnitude) })}`;
  return `${sign}${formatFigure(unit, magnitude, currency, locale)}`;
}

/** The Monday of the week a day falls in (weeks start on Monday). */
export function mondayOf(day: string): string {
  const time = Date.parse(`${day}T00:00:00Z`);
  const weekday = new Date(time).getUTCDay();
  return new Date(time - ((weekday + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The weekly summary of one tenant for the week before `weekStart` (a Monday): one email per
 * member who wants it (on by default; 通知设置 turns it off), in their language, with the
 * figures of their workbench — a rep their own, a manager the team's, an admin the
 * company's — each against its target and the week before. Queued in the outbox in the
 * caller's transaction, never twice for a member and week (the dedup key). How many were queued.
 */
export async function queueWeeklySummaries(
  scope: Scope,
  dependencies: DashboardDependencies,
  weekStart: string,
): Promise<number> {
  const monday = mondayOf(weekStart);
  const start = new Date(Date.parse(`${monday}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
  const lastDay = new Date(Date.parse(`${monday}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const recipients = await selectWeeklyRecipients(scope, NOTIFICATION_DEFAULTS.weekly_summary.email);
  const currency = await selectTenantCurrency(scope);
  const emails: EmailDraft[] = [];
  // One summary per member (their own record access), not per customer: a handful of
  // set-based statements each.
  for (const recipient of recipients) {
    const role = recipient.role as Role;
    const locale: Locale = recipient.locale === 'en' ? 'en' : 'zh-CN';
    const member: Scope = {
      ...scope,
      userId: recipient.user_id,
      role,
      access: memberAccess(recipient.user_id, recipient.team_id, role),
      locale,
    };
    const definitions = KPI_CATALOGUE.filter((definition) => WORKBENCH_KPIS[role].includes(definition.key));
    const kpis = await computeKpis(member, dependencies, definitions, { from: start, to: monday }, true);
    const lines = kpis.map((figure) => {
      const definition = KPI_CATALOGUE.find((entry) => entry.key === figure.key) as KpiDefinition;
      const value = figure.value === null ? '—' : formatFigure(figure.unit, figure.value, currency, locale);
      const parts = [
        figure.target === null
          ? WEEKLY_WORDS.noTarget[locale]
          : words(WEEKLY_WORDS.target[locale], {
              value: formatFigure(figure.unit, figure.target, currency, locale),
            }),
        ...(figure.status ? [WEEKLY_WORDS[figure.status][locale]] : []),
        ...(definition.snapshot
          ? [WEEKLY_WORDS.now[locale]]
          : figure.value !== null && figure.previous !== null
            ? [
                words(WEEKLY_WORDS.change[locale], {
                  change: formatChange(figure.unit, figure.value - figure.previous, currency, locale),
                }),
              ]
            : []),
      ];
      return locale === 'en'
        ? `${definition.label.en}: ${value} (${parts.join(', ')})`
        : `${definition.label['zh-CN']}：${value}（${parts.join('，')}）`;
    });
    const scopeWord =
      member.access.scope === 'all'
        ? WEEKLY_WORDS.whoseTenant
        : member.access.scope === 'team'
          ? WEEKLY_WORDS.whoseTeam
          : WEEKLY_WORDS.whoseOwn;
    const params = {
      name: recipient.name,
      whose: scopeWord[locale],
      from: start,
      to: lastDay,
      met: kpis.filter((figure) => figure.status === 'green').length,
      total: kpis.filter((figure) => figure.status !== null).length,
    };
    const { text, html } = renderEmail({
      heading: words(WEEKLY_WORDS.heading[locale], params),
      paragraphs: [lines.join('\n')],
      link: { path: '/dashboards', label: WEEKLY_WORDS.open[locale] },
      footer: WEEKLY_WORDS.footer[locale],
    });
    emails.push({
      to: recipient.email,
      subject: words(WEEKLY_WORDS.subject[locale], params),
      text,
      html,
      kind: 'weekly_summary',
      userId: recipient.user_id,
      dedupKey: `weekly_summary:${recipient.user_id}:${monday}`,
    });
  }
  return enqueueEmail(scope, emails);
}
