import { leadConversionRate, percentOf, winRate } from '@crm/domain';
import type { Range } from '../dashboards/segments.sql';
import { type LeadDependencies, listLeadGrades } from '../leads/leads.service';
import { tenantPipeline } from '../opportunities/opportunities.service';
import type { Scope } from '../scope';
import {
  type ClosedDealRow,
  type FirstContactRow,
  type LeadConversionRow,
  type SalesFilters,
  selectClosedDeals,
  selectFirstContact,
  selectLeadConversion,
  selectLostReasons,
  selectOpenPipeline,
  selectOwnerNames,
  selectStageReach,
  selectTenantCurrency,
} from './sales.repository';
import type {
  ConversionRow,
  FirstContactOutput,
  SalesMetricsInput,
  SalesMetricsOutput,
} from './sales.schemas';

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
const numberOrNull = (value: string | null, digits: number) =>
  value === null ? null : round(Number(value), digits);
/** Keys ascending, none last. */
const byKey = <T extends { key: string | null }>(a: T, b: T) =>
  a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1;

function conversionOf(row: LeadConversionRow | undefined, key: string | null = null): ConversionRow {
  const leads = Number(row?.leads ?? 0);
  const converted = Number(row?.converted ?? 0);
  return { key: row?.key ?? key, label: null, leads, converted, rate: leadConversionRate(converted, leads) };
}

/**
 * Lead conversion (线索转化率) of the leads created in the period: in total and per source,
 * grade, owner and month. The dashboards' 线索转化率 is this figure.
 */
export async function leadConversion(scope: Scope, range: Range, filters: SalesFilters) {
  const rows = await selectLeadConversion(scope, range, filters);
  const of = (by: LeadConversionRow['by']) =>
    rows
      .filter((row) => row.by === by)
      .map((row) => conversionOf(row))
      .sort(byKey);
  return {
    total: conversionOf(rows.find((row) => row.by === 'total')),
    bySource: of('source'),
    byGrade: of('grade'),
    byOwner: of('owner'),
    byMonth: of('month'),
  };
}

type ClosedDeals = {
  won: number;
  lost: number;
  winRate: number | null;
  wonAmount: number;
  averageWonAmount: number | null;
  salesCycleDays: number | null;
  salesCycleMedianDays: number | null;
};

function closedOf(row: ClosedDealRow | undefined): ClosedDeals {
  const won = Number(row?.won ?? 0);
  const lost = Number(row?.lost ?? 0);
  const wonAmount = round(Number(row?.won_amount ?? 0), 2);
  const inCurrency = Number(row?.won_in_currency ?? 0);
  return {
    won,
    lost,
    winRate: winRate(won, won + lost),
    wonAmount,
    averageWonAmount: inCurrency === 0 ? null : round(wonAmount / inCurrency, 2),
    salesCycleDays:
      won === 0 || row?.cycle_days_sum == null ? null : round(Number(row.cycle_days_sum) / won, 1),
    salesCycleMedianDays: numberOrNull(row?.cycle_days_median ?? null, 1),
  };
}

/**
 * The deals closed in the period: won, lost, win rate, won amount, the average won deal and the
 * sales cycle (lead created → won), in total, per owner and per month. The dashboards' 销售周期
 * is this figure.
 */
export async function closedDeals(scope: Scope, range: Range, filters: SalesFilters) {
  const rows = await selectClosedDeals(scope, range, filters);
  const keyed = (by: ClosedDealRow['by']) =>
    rows
      .filter((row) => row.by === by)
      .map((row) => ({ key: row.key, ...closedOf(row) }))
      .sort(byKey);
  return {
    total: closedOf(rows.find((row) => row.by === 'total')),
    byOwner: keyed('owner'),
    byMonth: keyed('month'),
  };
}

function firstContactOf(row: FirstContactRow): FirstContactOutput {
  const leads = Number(row.leads);
  const withinSla = Number(row.within_sla);
  return {
    grade: row.grade,
    slaHours: numberOrNull(row.sla_hours, 2),
    leads,
    contacted: Number(row.contacted),
    withinSla,
    withinSlaRate: percentOf(withinSla, leads),
    breached: Number(row.breached),
    averageMinutes: numberOrNull(row.average_minutes, 0),
    medianMinutes: numberOrNull(row.median_minutes, 0),
  };
}

const EMPTY_FIRST_CONTACT: FirstContactRow = {
  total: true,
  grade: null,
  sla_hours: null,
  leads: '0',
  contacted: '0',
  within_sla: '0',
  breached: '0',
  average_minutes: null,
  median_minutes: null,
};

/**
 * The sales metrics (销售指标) of a period over the leads and deals the member sees: lead
 * conversion (by source, grade, rep, month; the top grade's), time to first contact against
 * the grade's limit, deals won and lost, win rate, the average won deal, the sales cycle, the
 * open pipeline by stage, stage conversion, lost reasons, and each rep's results.
 */
export async function readSalesMetrics(
  scope: Scope,
  dependencies: LeadDependencies,
  input: SalesMetricsInput,
): Promise<SalesMetricsOutput> {
  const range = { from: input.from, to: input.to };
  const filters: SalesFilters = { ownerUserId: input.ownerUserId, teamId: input.teamId };
  const pipeline = await tenantPipeline(scope, dependencies.plugins);
  const openStages = pipeline.stages.filter((stage) => stage.kind === 'open').map((stage) => stage.key);
  const grades = await listLeadGrades(scope, dependencies);

  const conversion = await leadConversion(scope, range, filters);
  const firstContactRows = await selectFirstContact(scope, range, filters);
  const closed = await closedDeals(scope, range, filters);
  const open = await selectOpenPipeline(scope, filters);
  const reach = await selectStageReach(scope, range, filters, openStages);
  const lost = await selectLostReasons(scope, range, filters);

  const topGrade = grades[0]?.grade;
  const highValue = topGrade
    ? (conversion.byGrade.find((row) => row.key === topGrade) ?? {
        ...conversionOf(undefined),
        key: topGrade,
      })
    : null;

  const openRows = (by: 'stage' | 'owner') => open.filter((row) => row.by === by);
  const stageRow = (key: string) => openRows('stage').find((row) => row.key === key);
  const reached = (position: number) => Number(reach.find((row) => row.position === position)?.reached ?? 0);

  // Each rep: the union of the owners of leads, closed deals and open deals.
  const ownerIds = new Set<string | null>();
  for (const row of conversion.byOwner) ownerIds.add(row.key);
  for (const row of closed.byOwner) ownerIds.add(row.key);
  for (const row of openRows('owner')) ownerIds.add(row.key);
  const names = await selectOwnerNames(
    scope,
    [...ownerIds].filter((id): id is string => id !== null),
  );
  const reps = [...ownerIds].map((userId) => {
    const leads = conversion.byOwner.find((row) => row.key === userId);
    const deals = closed.byOwner.find((row) => row.key === userId);
    const pipelineRow = openRows('owner').find((row) => row.key === userId);
    return {
      userId,
      name: userId ? (names.get(userId) ?? null) : null,
      leads: leads?.leads ?? 0,
      converted: leads?.converted ?? 0,
      conversionRate: leads?.rate ?? null,
      won: deals?.won ?? 0,
      lost: deals?.lost ?? 0,
      winRate: deals?.winRate ?? null,
      wonAmount: deals?.wonAmount ?? 0,
      openDeals: Number(pipelineRow?.deals ?? 0),
      openAmount: round(Number(pipelineRow?.amount ?? 0), 2),
    };
  });
  reps.sort((a, b) => b.wonAmount - a.wonAmount || b.won - a.won || byKey({ key: a.name }, { key: b.name }));

  return {
    from: input.from,
    to: input.to,
    currency: await selectTenantCurrency(scope),
    computedAt: new Date().toISOString(),
    leadConversion: {
      ...conversion,
      byOwner: conversion.byOwner.map((row) => ({
        ...row,
        label: row.key ? (names.get(row.key) ?? null) : null,
      })),
      highValue,
    },
    firstContact: {
      total: firstContactOf(firstContactRows.find((row) => row.total) ?? EMPTY_FIRST_CONTACT),
      byGrade: firstContactRows
        .filter((row) => !row.total)
        .map(firstContactOf)
        .sort((a, b) => byKey({ key: a.grade }, { key: b.grade })),
    },
    deals: {
      ...closed.total,
      byMonth: closed.byMonth.map((row) => ({
        key: row.key ?? '',
        won: row.won,
        lost: row.lost,
        winRate: row.winRate,
        wonAmount: row.wonAmount,
        salesCycleDays: row.salesCycleDays,
      })),
    },
    pipeline: openStages.map((stage) => {
      const row = stageRow(stage);
      return {
        stage,
        deals: Number(row?.deals ?? 0),
        amount: round(Number(row?.amount ?? 0), 2),
        weightedAmount: round(Number(row?.weighted_amount ?? 0), 2),
      };
    }),
    stageConversion: openStages.map((stage, index) => {
      const here = reached(index + 1);
      const next = reached(index + 2);
      return { stage, reached: here, movedOn: next, rate: percentOf(next, here) };
    }),
    lostReasons: lost.map((row) => ({
      reason: row.reason,
      deals: Number(row.deals),
      amount: round(Number(row.amount), 2),
    })),
    reps,
  };
}
