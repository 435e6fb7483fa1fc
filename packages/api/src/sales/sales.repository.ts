import { type RawBuilder, sql } from 'kysely';
import { closedOpportunities, ownedBy, periodLeads, type Range, startOf } from '../dashboards/segments.sql';
import type { Scope } from '../scope';

/*
 * The sales metrics (销售指标, docs/leads-and-pipeline.md "Sales metrics"): each statement
 * aggregates the leads or opportunities the member sees (the lead scope, `visibleLead` /
 * `visibleOpportunity`) under the filters, grouped by its breakdowns and in total with
 * grouping sets (`by` names the breakdown, 'total' the whole). The leads of a period and the
 * deals closed in it are the dashboards' sets (`periodLeads`, `closedOpportunities` in
 * dashboards/segments.sql.ts), so 线索转化率, 赢单率 and 销售周期 read the same here and there. Periods are days in the tenant's time zone,
 * from inclusive, to exclusive. Numbers arrive as text (bigint, numeric); the service
 * converts them. Money sums count the tenant's currency only (deals in another currency are
 * counted, not summed).
 */

export type SalesFilters = { ownerUserId?: string | undefined; teamId?: string | undefined };

function leadsWhere(scope: Scope, filters: SalesFilters): RawBuilder<boolean> {
  return sql<boolean>`leads.tenant_id = ${scope.tenantId}::uuid and ${ownedBy(scope, filters, 'leads')}`;
}

function opportunitiesWhere(scope: Scope, filters: SalesFilters): RawBuilder<boolean> {
  return sql<boolean>`opportunities.tenant_id = ${scope.tenantId}::uuid and ${ownedBy(scope, filters, 'opportunities')}`;
}

const tenantCurrency = (tenantId: string) =>
  sql<string>`(select t.currency from tenants t where t.id = ${tenantId}::uuid)`;

function inPeriod(scope: Scope, column: RawBuilder<unknown>, range: Range): RawBuilder<boolean> {
  return sql<boolean>`(${column} >= ${startOf(scope.tenantId, range.from)}
    and ${column} < ${startOf(scope.tenantId, range.to)})`;
}

export type LeadConversionRow = {
  by: 'source' | 'grade' | 'owner' | 'month' | 'total';
  key: string | null;
  leads: string;
  converted: string;
};

/**
 * Lead conversion (线索转化率): of the leads created in the period, how many are converted (to a
 * customer and an opportunity), per source, grade, owner, month and in total.
 */
export async function selectLeadConversion(
  scope: Scope,
  range: Range,
  filters: SalesFilters,
): Promise<LeadConversionRow[]> {
  const { rows } = await sql<LeadConversionRow>`
    select case when grouping(l.source) = 0 then 'source' when grouping(l.grade) = 0 then 'grade'
        when grouping(l.owner_user_id) = 0 then 'owner' when grouping(l.month) = 0 then 'month' else 'total' end as by,
      coalesce(l.source, l.grade, l.owner_user_id::text, l.month) as key,
      count(*) as leads, count(*) filter (where l.converted) as converted
    from (${periodLeads(scope.tenantId, range, ownedBy(scope, filters, 'leads'))}) l
    group by grouping sets ((l.source), (l.grade), (l.owner_user_id), (l.month), ())`.execute(scope.trx);
  return rows;
}

export type FirstContactRow = {
  total: boolean;
  grade: string | null;
  sla_hours: string | null;
  leads: string;
  contacted: string;
  within_sla: string;
  breached: string;
  average_minutes: string | null;
  median_minutes: string | null;
};

/**
 * Time to first contact against the grade's follow-up limit: of the leads created in the period
 * with a follow-up limit, per grade and in total — how many, how many were contacted, within
 * the limit (business minutes of the work calendar against the grade's hours), how many
 * breached it, and the mean and median business minutes to the first contact.
 */
export async function selectFirstContact(
  scope: Scope,
  range: Range,
  filters: SalesFilters,
): Promise<FirstContactRow[]> {
  const { rows } = await sql<FirstContactRow>`
    select grouping(leads.grade) = 1 as total, leads.grade, max(leads.follow_up_hours) as sla_hours,
      count(*) as leads, count(leads.first_contact_minutes) as contacted,
      count(*) filter (where leads.first_contact_minutes <= leads.follow_up_hours * 60) as within_sla,
      count(leads.sla_breached_at) as breached,
      avg(leads.first_contact_minutes) as average_minutes,
      percentile_cont(0.5) within group (order by leads.first_contact_minutes) as median_minutes
    from leads
    where ${leadsWhere(scope, filters)} and ${inPeriod(scope, sql.ref('leads.created_at'), range)}
      and leads.follow_up_hours is not null
    group by grouping sets ((leads.grade), ())`.execute(scope.trx);
  return rows;
}

export type ClosedDealRow = {
  by: 'owner' | 'month' | 'total';
  key: string | null;
  won: string;
  lost: string;
  won_amount: string;
  won_in_currency: string;
  cycle_days_sum: string | null;
  cycle_days_median: string | null;
};

/**
 * The deals closed in the period (`closedOpportunities`: won in it — now won or after sales —
 * or lost in it) per owner, per month of closing and in total: how many, the
 * won amount in the tenant's currency (and how many won deals it sums), and the sales cycle of
 * the won ones: days from the lead's creation (the deal's, without a lead) to the win.
 */
export async function selectClosedDeals(
  scope: Scope,
  range: Range,
  filters: SalesFilters,
): Promise<ClosedDealRow[]> {
  const { rows } = await sql<ClosedDealRow>`
    select case when grouping(d.owner_user_id) = 0 then 'owner' when grouping(d.month) = 0 then 'month' else 'total' end as by,
      coalesce(d.owner_user_id::text, d.month) as key,
      count(*) filter (where d.won) as won, count(*) filter (where not d.won) as lost,
      coalesce(sum(d.amount) filter (where d.won and d.in_currency), 0) as won_amount,
      count(*) filter (where d.won and d.in_currency and d.amount is not null) as won_in_currency,
      sum(d.cycle_days) filter (where d.won) as cycle_days_sum,
      percentile_cont(0.5) within group (order by d.cycle_days) filter (where d.won) as cycle_days_median
    from (${closedOpportunities(scope.tenantId, range, ownedBy(scope, filters, 'opportunities'))}) d
    group by grouping sets ((d.owner_user_id), (d.month), ())`.execute(scope.trx);
  return rows;
}

export type OpenPipelineRow = {
  by: 'stage' | 'owner' | 'total';
  key: string | null;
  deals: string;
  amount: string;
  weighted_amount: string;
};

/** The open pipeline now, per stage, per owner and in total: deals, amount and amount × probability. */
export async function selectOpenPipeline(scope: Scope, filters: SalesFilters): Promise<OpenPipelineRow[]> {
  const { rows } = await sql<OpenPipelineRow>`
    select case when grouping(opportunities.stage) = 0 then 'stage'
        when grouping(opportunities.owner_user_id) = 0 then 'owner' else 'total' end as by,
      coalesce(opportunities.stage, opportunities.owner_user_id::text) as key,
      count(*) as deals,
      coalesce(sum(opportunities.amount) filter (where opportunities.currency = ${tenantCurrency(scope.tenantId)}), 0)
        as amount,
      coalesce(sum(opportunities.amount * opportunities.probability / 100.0)
        filter (where opportunities.currency = ${tenantCurrency(scope.tenantId)}), 0) as weighted_amount
    from opportunities
    where ${opportunitiesWhere(scope, filters)} and opportunities.stage_kind = 'open'
    group by grouping sets ((opportunities.stage), (opportunities.owner_user_id), ())`.execute(scope.trx);
  return rows;
}

export type StageReachRow = { position: number; reached: string };

/**
 * Stage conversion: of the deals created in the period, how many reached each open stage of the
 * pipeline or went beyond it — a deal reached the furthest stage it ever entered (its stage
 * history) and every stage before it; a won deal reached them all. `stages` are the open
 * stages in pipeline order (position 1, 2 …); won counts as the position after the last.
 */
export async function selectStageReach(
  scope: Scope,
  range: Range,
  filters: SalesFilters,
  stages: readonly string[],
): Promise<StageReachRow[]> {
  if (stages.length === 0) return [];
  const beyond = stages.length + 1;
  const { rows } = await sql<StageReachRow>`
    with positions as (
      select key, position::int from unnest(${stages}::text[]) with ordinality as p(key, position)
    ), furthest as (
      select opportunities.id, max(case when h.to_kind in ('won', 'after_sales') then ${beyond}::int
          else positions.position end) as position
      from opportunities
      join opportunity_stage_history h on h.tenant_id = opportunities.tenant_id and h.opportunity_id = opportunities.id
      left join positions on positions.key = h.to_stage
      where ${opportunitiesWhere(scope, filters)} and ${inPeriod(scope, sql.ref('opportunities.created_at'), range)}
      group by opportunities.id
    )
    select s.position, count(f.id) as reached
    from generate_series(1, ${beyond}::int) s(position)
    left join furthest f on f.position >= s.position
    group by s.position
    order by s.position`.execute(scope.trx);
  return rows.map((row) => ({ position: Number(row.position), reached: row.reached }));
}

export type LostReasonRow = { reason: string; deals: string; amount: string };

/** Deals lost in the period, per lost reason: how many, and their amount in the tenant's currency. */
export async function selectLostReasons(
  scope: Scope,
  range: Range,
  filters: SalesFilters,
): Promise<LostReasonRow[]> {
  const { rows } = await sql<LostReasonRow>`
    select opportunities.lost_reason as reason, count(*) as deals,
      coalesce(sum(opportunities.amount) filter (where opportunities.currency = ${tenantCurrency(scope.tenantId)}), 0)
        as amount
    from opportunities
    where ${opportunitiesWhere(scope, filters)} and opportunities.stage_kind = 'lost'
      and ${inPeriod(scope, sql.ref('opportunities.lost_at'), range)}
    group by opportunities.lost_reason
    order by count(*) desc, opportunities.lost_reason`.execute(scope.trx);
  return rows;
}

export async function selectTenantCurrency(scope: Scope): Promise<string> {
  const { rows } = await sql<{ currency: string }>`${tenantCurrency(scope.tenantId)}`.execute(scope.trx);
  return rows[0]?.currency ?? 'CNY';
}

/** Members' names by id (the owners of a breakdown). */
export async function selectOwnerNames(scope: Scope, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: string; name: string }>`
    select u.id, u.name from users u
    join memberships m on m.user_id = u.id and m.tenant_id = ${scope.tenantId}::uuid
    where u.id = any(${ids}::uuid[])`.execute(scope.trx);
  return new Map(rows.map((row) => [row.id, row.name]));
}
