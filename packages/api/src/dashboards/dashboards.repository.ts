import { sql } from 'kysely';
import { visibleCustomer, visibleTask } from '../customers/access';
import type { Scope } from '../scope';
import { SCORE_COUNTS } from '../surveys/scores.sql';
import { customerInTiers, TIER_JOIN } from '../tiering/placement.sql';
import type { DashboardFilters } from './dashboards.schemas';
import {
  closedOpportunities,
  liveCustomers,
  newCustomers,
  openPipeline,
  ownedBy,
  periodAnswers,
  periodBuyers,
  periodLeads,
  periodOrders,
  type Range,
  retentionBase,
  tenantTimeZone,
  tierMoves,
} from './segments.sql';

/*
 * The dashboards' figures: each statement aggregates one of the sets of segments.sql.ts over
 * the member's record access and the dashboard's filters, grouped by the KPI's breakdown and
 * in total (grouping sets; the total row has `total` true). Numbers arrive as text (bigint,
 * numeric) and are converted by the service.
 */

type Filters = Pick<DashboardFilters, 'tiers' | 'ownerUserId' | 'teamId'>;

/** The member's record access and the dashboard's filters, over `customers`. */
export function customerWhere(scope: Scope, filters: Filters) {
  const parts = [visibleCustomer(scope.access)];
  if (filters.tiers?.length) parts.push(customerInTiers(filters.tiers));
  if (filters.ownerUserId) parts.push(sql<boolean>`customers.owner_user_id = ${filters.ownerUserId}::uuid`);
  if (filters.teamId)
    parts.push(sql<boolean>`customers.owner_user_id in (select m.user_id from memberships m
      where m.tenant_id = customers.tenant_id and m.team_id = ${filters.teamId}::uuid)`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** The member's task access and the dashboard's filters, over `tasks` left-joined to `customers`. */
function taskWhere(scope: Scope, filters: Filters) {
  const parts = [sql<boolean>`tasks.tenant_id = ${scope.tenantId}::uuid`, visibleTask(scope.access)];
  if (filters.tiers?.length) parts.push(customerInTiers(filters.tiers));
  if (filters.ownerUserId) parts.push(sql<boolean>`tasks.owner_user_id = ${filters.ownerUserId}::uuid`);
  if (filters.teamId)
    parts.push(sql<boolean>`tasks.owner_user_id in (select m.user_id from memberships m
      where m.tenant_id = tasks.tenant_id and m.team_id = ${filters.teamId}::uuid)`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** The customers the member sees and the owner and team filters; tiers on the tier when answering. */
function answerWhere(scope: Scope, filters: Filters) {
  const where = customerWhere(scope, { ownerUserId: filters.ownerUserId, teamId: filters.teamId });
  if (!filters.tiers?.length) return where;
  return sql<boolean>`(${where} and r.tier = any(${filters.tiers}::text[]))`;
}

export type SnapshotRow = {
  by: 'tier' | 'stage' | 'owner' | 'total';
  key: string | null;
  customers: string;
  completeness_sum: string;
  complete: string;
  stale: string;
};

/** Customers now: per tier, per stage, per owner and in total, with completeness and staleness. */
export async function selectSnapshot(scope: Scope, filters: Filters): Promise<SnapshotRow[]> {
  const { rows } = await sql<SnapshotRow>`
    select case when grouping(customer_tier.tier) = 0 then 'tier'
        when grouping(customers.lifecycle_stage) = 0 then 'stage'
        when grouping(customers.owner_user_id) = 0 then 'owner' else 'total' end as by,
      coalesce(customer_tier.tier, customers.lifecycle_stage, customers.owner_user_id::text) as key,
      count(*) as customers, coalesce(sum(customers.completeness), 0) as completeness_sum,
      count(*) filter (where customers.completeness >= 90) as complete,
      count(*) filter (where customers.updated_at < now() - interval '30 days') as stale
    from customers
    ${TIER_JOIN}
    where ${liveCustomers(scope.tenantId, customerWhere(scope, filters))}
    group by grouping sets ((customer_tier.tier), (customers.lifecycle_stage), (customers.owner_user_id), ())`.execute(
    scope.trx,
  );
  return rows;
}

export type OrderRow = { by: 'month' | 'tier' | 'total'; key: string | null; orders: string; amount: string };

/** Completed orders of the period in the tenant currency: per month, per tier, in total. */
export async function selectOrderFigures(scope: Scope, range: Range, filters: Filters): Promise<OrderRow[]> {
  const { rows } = await sql<OrderRow>`
    select case when grouping(o.month) = 0 then 'month' when grouping(o.tier) = 0 then 'tier' else 'total' end as by,
      coalesce(o.month, o.tier) as key, count(*) as orders, coalesce(sum(o.amount), 0) as amount
    from (${periodOrders(scope.tenantId, range, customerWhere(scope, filters))}) o
    group by grouping sets ((o.month), (o.tier), ())`.execute(scope.trx);
  return rows;
}

export type BuyerRow = {
  total: boolean;
  key: string | null;
  buyers: string;
  repeat: string;
  cross_sell: string;
};

/** The period's buyers per tier and in total: how many, repeat buyers, cross-sell buyers. */
export async function selectBuyerFigures(scope: Scope, range: Range, filters: Filters): Promise<BuyerRow[]> {
  const { rows } = await sql<BuyerRow>`
    select grouping(b.tier) = 1 as total, b.tier as key, count(*) as buyers,
      count(*) filter (where b.repeat) as repeat, count(*) filter (where b.cross_sell) as cross_sell
    from (${periodBuyers(scope.tenantId, range, customerWhere(scope, filters))}) b
    group by grouping sets ((b.tier), ())`.execute(scope.trx);
  return rows;
}

export type RetentionRow = { total: boolean; key: string | null; base: string; churned: string };

/** Retention and churn per tier and in total. */
export async function selectRetention(scope: Scope, range: Range, filters: Filters): Promise<RetentionRow[]> {
  const { rows } = await sql<RetentionRow>`
    select grouping(r.tier) = 1 as total, r.tier as key, count(*) as base,
      count(*) filter (where r.churned) as churned
    from (${retentionBase(scope.tenantId, range, customerWhere(scope, filters))}) r
    group by grouping sets ((r.tier), ())`.execute(scope.trx);
  return rows;
}

export type CountRow = { total: boolean; key: string | null; count: string };

/** Customers whose first deal falls in the period, per month and in total. */
export async function selectNewCustomers(scope: Scope, range: Range, filters: Filters): Promise<CountRow[]> {
  const { rows } = await sql<CountRow>`
    select grouping(n.month) = 1 as total, n.month as key, count(*) as count
    from (${newCustomers(scope.tenantId, range, customerWhere(scope, filters))}) n
    group by grouping sets ((n.month), ())`.execute(scope.trx);
  return rows;
}

/** Tier moves of the period, per 'from>to' and in total. */
export async function selectTierMoves(scope: Scope, range: Range, filters: Filters): Promise<CountRow[]> {
  const { rows } = await sql<CountRow>`
    select grouping(m.move) = 1 as total, m.move as key, count(*) as count
    from (${tierMoves(scope.tenantId, range, customerWhere(scope, filters))}) m
    group by grouping sets ((m.move), ())`.execute(scope.trx);
  return rows;
}

export type TaskRow = {
  by: 'owner' | 'tier' | 'total';
  key: string | null;
  due: string;
  on_time: string;
  plan_due: string;
  plan_done: string;
  plan_on_time: string;
};

/**
 * Tasks due in the period (not cancelled or skipped) that the member sees: how many, done on
 * or before their due day; of them the maintenance plan's: done, done on time. Per owner, per
 * the customer's tier, in total.
 */
export async function selectTaskFigures(scope: Scope, range: Range, filters: Filters): Promise<TaskRow[]> {
  const onTime = sql<boolean>`tasks.status = 'done'
    and tasks.closed_at < ((tasks.due_on + 1)::timestamp at time zone ${tenantTimeZone(scope.tenantId)})`;
  const { rows } = await sql<TaskRow>`
    select case when grouping(tasks.owner_user_id) = 0 then 'owner'
        when grouping(customer_tier.tier) = 0 then 'tier' else 'total' end as by,
      coalesce(tasks.owner_user_id::text, customer_tier.tier) as key,
      count(*) as due, count(*) filter (where ${onTime}) as on_time,
      count(*) filter (where tasks.source = 'plan') as plan_due,
      count(*) filter (where tasks.source = 'plan' and tasks.status = 'done') as plan_done,
      count(*) filter (where tasks.source = 'plan' and ${onTime}) as plan_on_time
    from tasks
    left join customers on customers.tenant_id = tasks.tenant_id and customers.id = tasks.customer_id
    ${TIER_JOIN}
    where ${taskWhere(scope, filters)} and tasks.status not in ('cancelled', 'skipped')
      and tasks.due_on >= ${range.from}::date and tasks.due_on < ${range.to}::date
    group by grouping sets ((tasks.owner_user_id), (customer_tier.tier), ())`.execute(scope.trx);
  return rows;
}

/** Open tasks past their due day (the tenant's today), per owner and in total. */
export async function selectOverdueTasks(scope: Scope, filters: Filters): Promise<CountRow[]> {
  const { rows } = await sql<CountRow>`
    select grouping(tasks.owner_user_id) = 1 as total, tasks.owner_user_id::text as key, count(*) as count
    from tasks
    left join customers on customers.tenant_id = tasks.tenant_id and customers.id = tasks.customer_id
    where ${taskWhere(scope, filters)} and tasks.status = 'open'
      and tasks.due_on < (now() at time zone ${tenantTimeZone(scope.tenantId)})::date
    group by grouping sets ((tasks.owner_user_id), ())`.execute(scope.trx);
  return rows;
}

export type LeadRow = {
  by: 'source' | 'grade' | 'owner' | 'total';
  key: string | null;
  created: string;
  contacted: string;
  qualified: string;
  converted: string;
  first_contacts: string;
  first_contact_minutes: string;
  sla_due: string;
  sla_met: string;
};

/** The period's leads per source, grade, owner and in total: the funnel, conversion, first contact, SLA. */
export async function selectLeadFigures(scope: Scope, range: Range, filters: Filters): Promise<LeadRow[]> {
  const { rows } = await sql<LeadRow>`
    select case when grouping(l.source) = 0 then 'source' when grouping(l.grade) = 0 then 'grade'
        when grouping(l.owner_user_id) = 0 then 'owner' else 'total' end as by,
      coalesce(l.source, l.grade, l.owner_user_id::text) as key,
      count(*) as created, count(*) filter (where l.contacted) as contacted,
      count(*) filter (where l.qualified) as qualified, count(*) filter (where l.converted) as converted,
      count(l.first_contact_minutes) as first_contacts,
      coalesce(sum(l.first_contact_minutes), 0) as first_contact_minutes,
      count(*) filter (where l.sla_due) as sla_due, count(*) filter (where l.sla_met) as sla_met
    from (${periodLeads(scope.tenantId, range, ownedBy(scope, filters, 'leads'))}) l
    group by grouping sets ((l.source), (l.grade), (l.owner_user_id), ())`.execute(scope.trx);
  return rows;
}

export type OpportunityRow = {
  by: 'month' | 'owner' | 'total';
  key: string | null;
  closed: string;
  won: string;
  cycle_days_sum: string;
};

/** The opportunities won or lost in the period per month, per owner and in total. */
export async function selectOpportunityFigures(
  scope: Scope,
  range: Range,
  filters: Filters,
): Promise<OpportunityRow[]> {
  const { rows } = await sql<OpportunityRow>`
    select case when grouping(o.month) = 0 then 'month' when grouping(o.owner_user_id) = 0 then 'owner'
        else 'total' end as by,
      coalesce(o.month, o.owner_user_id::text) as key, count(*) as closed,
      count(*) filter (where o.won) as won, coalesce(sum(o.cycle_days) filter (where o.won), 0) as cycle_days_sum
    from (${closedOpportunities(scope.tenantId, range, ownedBy(scope, filters, 'opportunities'))}) o
    group by grouping sets ((o.month), (o.owner_user_id), ())`.execute(scope.trx);
  return rows;
}

export type PipelineRow = { total: boolean; key: string | null; opportunities: string; amount: string };

/** The open pipeline now, per stage and in total. */
export async function selectPipeline(scope: Scope, filters: Filters): Promise<PipelineRow[]> {
  const { rows } = await sql<PipelineRow>`
    select grouping(p.stage) = 1 as total, p.stage as key, count(*) as opportunities,
      coalesce(sum(p.amount), 0) as amount
    from (${openPipeline(scope.tenantId, ownedBy(scope, filters, 'opportunities'))}) p
    group by grouping sets ((p.stage), ())`.execute(scope.trx);
  return rows;
}

export type AnswerRow = {
  by: 'month_tier' | 'month' | 'total';
  month: string | null;
  tier: string | null;
  promoters: number;
  passives: number;
  detractors: number;
  nps_count: number;
  csat_count: number;
  satisfied: number;
};

/** The period's NPS and CSAT counts per month and tier, per month, and in total. */
export async function selectAnswerFigures(
  scope: Scope,
  range: Range,
  filters: Filters,
): Promise<AnswerRow[]> {
  const { rows } = await sql<AnswerRow>`
    select case when grouping(r.tier) = 0 then 'month_tier' when grouping(r.month) = 0 then 'month'
        else 'total' end as by, r.month, r.tier, ${SCORE_COUNTS}
    from (${periodAnswers(scope.tenantId, range, answerWhere(scope, filters))}) r
    group by grouping sets ((r.month, r.tier), (r.month), ())`.execute(scope.trx);
  return rows;
}

export type FilterOptionRows = {
  teams: { id: string; name: string }[];
  owners: { user_id: string; name: string; team_id: string | null }[];
};

/**
 * The teams and owners a member may filter the dashboards by: every team and member for a
 * member who sees all records, their own team's for a manager, none for a rep (who sees only
 * their own).
 */
export async function selectFilterOptions(scope: Scope): Promise<FilterOptionRows> {
  const { scope: reach, teamId } = scope.access;
  if (reach === 'own' || (reach === 'team' && teamId === null)) return { teams: [], owners: [] };
  const team = reach === 'team' ? sql`and m.team_id = ${teamId}::uuid` : sql``;
  const teams = await sql<{ id: string; name: string }>`
    select t.id, t.name from teams t
    where t.tenant_id = ${scope.tenantId}::uuid ${reach === 'team' ? sql`and t.id = ${teamId}::uuid` : sql``}
    order by t.name`.execute(scope.trx);
  const owners = await sql<{ user_id: string; name: string; team_id: string | null }>`
    select m.user_id, u.name, m.team_id from memberships m join users u on u.id = m.user_id
    where m.tenant_id = ${scope.tenantId}::uuid ${team}
    order by u.name`.execute(scope.trx);
  return { teams: teams.rows, owners: owners.rows };
}

/** Members' names by id (owners in a breakdown). */
export async function selectUserNames(scope: Scope, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: string; name: string }>`
    select u.id, u.name from users u
    join memberships m on m.user_id = u.id and m.tenant_id = ${scope.tenantId}::uuid
    where u.id = any(${ids}::uuid[])`.execute(scope.trx);
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function selectTenantCurrency(scope: Scope): Promise<string> {
  const row = await scope.trx
    .selectFrom('tenants')
    .select('currency')
    .where('id', '=', scope.tenantId)
    .executeTakeFirst();
  return row?.currency ?? 'CNY';
}

export async function selectKpiTargets(scope: Scope): Promise<Map<string, number>> {
  const rows = await scope.trx
    .selectFrom('kpi_targets')
    .select(['kpi', 'target'])
    .where('tenant_id', '=', scope.tenantId)
    .execute();
  return new Map(rows.map((row) => [row.kpi, Number(row.target)]));
}

export async function upsertKpiTarget(scope: Scope, kpi: string, target: number): Promise<void> {
  await scope.trx
    .insertInto('kpi_targets')
    .values({ tenant_id: scope.tenantId, kpi, target: String(target), updated_by: scope.userId })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'kpi']).doUpdateSet({
        target: String(target),
        updated_by: scope.userId,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

export async function deleteKpiTarget(scope: Scope, kpi: string): Promise<void> {
  await scope.trx
    .deleteFrom('kpi_targets')
    .where('tenant_id', '=', scope.tenantId)
    .where('kpi', '=', kpi)
    .execute();
}

export type HealthRow = { failed_imports: string; failed_exports: string; imports_running: string };

/** Imports and exports that failed in the last 7 days, and imports under way. */
export async function selectTenantHealth(scope: Scope): Promise<HealthRow> {
  const { rows } = await sql<HealthRow>`
    select
      (select count(*) from import_runs r where r.tenant_id = ${scope.tenantId}::uuid and r.status = 'failed'
        and r.created_at >= now() - interval '7 days') as failed_imports,
      (select count(*) from export_runs x where x.tenant_id = ${scope.tenantId}::uuid and x.status = 'failed'
        and x.created_at >= now() - interval '7 days') as failed_exports,
      (select count(*) from import_runs r where r.tenant_id = ${scope.tenantId}::uuid
        and r.status in ('validating', 'committing')) as imports_running`.execute(scope.trx);
  return rows[0] ?? { failed_imports: '0', failed_exports: '0', imports_running: '0' };
}

export type WeeklyRecipientRow = {
  user_id: string;
  role: string;
  team_id: string | null;
  email: string;
  locale: string | null;
  name: string;
};

/** The tenant's members who want the weekly summary (their choice, else the kind's default), active. */
export async function selectWeeklyRecipients(
  scope: Scope,
  emailByDefault: boolean,
): Promise<WeeklyRecipientRow[]> {
  const { rows } = await sql<WeeklyRecipientRow>`
    select m.user_id, m.role, m.team_id, u.email, u.locale, u.name
    from memberships m
    join users u on u.id = m.user_id and u.disabled_at is null
    left join notification_preferences p
      on p.tenant_id = m.tenant_id and p.user_id = m.user_id and p.kind = 'weekly_summary'
    where m.tenant_id = ${scope.tenantId}::uuid and coalesce(p.email, ${emailByDefault})
    order by u.name, m.user_id`.execute(scope.trx);
  return rows;
}
