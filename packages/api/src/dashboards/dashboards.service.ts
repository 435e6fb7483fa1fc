import {
  comparisonPeriods,
  KPI_CATALOGUE,
  type KpiDefinition,
  type KpiKey,
  kpiStatus,
  LEAD_FUNNEL_STEPS,
  LIFECYCLE_STAGES,
  netPromoterScore,
  percentOf,
  type Role,
} from '@crm/domain';
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
    const conversion = (entry: LeadRow) => percentOf(Number(entry.converted), Number(entry.created));
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
    const winRate = (entry: OpportunityRow) => percentOf(Number(entry.won), Number(entry.closed));
    set('sales_cycle_days', {
      value: total ? cycle(total) : null,
      count: Number(total?.won ?? 0),
      breakdown: rows
        .filter((entry) => entry.by === 'month' && Number(entry.won) > 0)
        .map((entry) => row(entry.key, cycle(entry), Number(entry.won)))
        .sort(byKey),
    });
    set('win_rate', {
      value: total ? winRate(total) : null,
      count: Number(total?.closed ?? 0),
      breakdown: rows
        .filter((entry) => entry.by === 'owner')
        .map((entry) => row(entry.key, winRate(entry), Number(entry.closed)))
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

/** What the dashboards need besides the scope: the plugins, whose KPI targets replace the core's. */
export type DashboardDependencies = { plugins?: PluginRegistry };

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
  const kpis = await computeKpis(scope, dependencies, definitions, filters, compare);
  return {
    dashboard,
    from: input.from,
    to: input.to,
    currency: await selectTenantCurrency(scope),
    computedAt: new Date().toISOString(),
    kpis,
  };
}

/** The KPIs a member's workbench shows, by what their role does. */
const WORKBENCH_KPIS: Record<Role, KpiKey[]> = {
  owner: ['retention_rate', 'repurchase_rate', 'average_order_value', 'ticket_closure_rate', 'overdue_tasks'],
  admin: ['retention_rate', 'repurchase_rate', 'average_order_value', 'ticket_closure_rate', 'overdue_tasks'],
  sales_manager: [
    'task_sla_compliance',
    'overdue_tasks',
    'repurchase_rate',
    'average_order_value',
    'customers_per_rep',
  ],
  sales_rep: [
    'task_sla_compliance',
    'overdue_tasks',
    'repurchase_rate',
    'average_order_value',
    'customers_total',
  ],
  service_agent: [
    'ticket_closure_rate',
    'ticket_first_response_hours',
    'ticket_sla_compliance',
    'overdue_tasks',
  ],
  marketing: ['new_customers', 'repurchase_rate', 'completeness_average', 'lead_conversion_rate'],
  analyst: ['retention_rate', 'repurchase_rate', 'churn_rate', 'average_order_value', 'completeness_average'],
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
