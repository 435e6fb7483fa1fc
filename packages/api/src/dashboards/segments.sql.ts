import type { KpiKey } from '@crm/domain';
import { type RawBuilder, sql } from 'kysely';
import { visibleLead, visibleOpportunity } from '../customers/access';
import type { Scope } from '../scope';
import { SCORED_ANSWERS } from '../surveys/scores.sql';
import { customerTierOf, TIER_JOIN } from '../tiering/placement.sql';
import type { KpiSegment } from './dashboards.schemas';

/*
 * The SQL twins of the KPI definitions (packages/domain dashboards/kpis.ts): for each figure,
 * the set of customers (or orders) it counts, written once. The dashboards aggregate these
 * sets (dashboards.repository.ts); the customer list's `kpi` filter — a click on a chart, and
 * the export of what it shows — selects the customers of the same set. So a figure and the
 * list behind it cannot disagree.
 *
 * Every set joins `customers` under that name and takes `where`, a condition over it: the
 * member's record access and the dashboard's filters for a figure, `true` for the list (which
 * applies its own). Merged and archived customers count nowhere.
 */

export type Range = { from: string; to: string };

/** The tenant's time zone (its work calendar's), in which periods and months are read. */
export function tenantTimeZone(tenantId: string): RawBuilder<string> {
  return sql<string>`coalesce((select w.time_zone from work_calendar_settings w
    where w.tenant_id = ${tenantId}::uuid), 'Asia/Shanghai')`;
}

/** A day's midnight in the tenant's time zone, as an instant. */
export function startOf(tenantId: string, day: string): RawBuilder<Date> {
  return sql<Date>`(${day}::date::timestamp at time zone ${tenantTimeZone(tenantId)})`;
}

/** The customers a figure may count: the tenant's, live, and `where`. */
export function liveCustomers(tenantId: string, where: RawBuilder<boolean>): RawBuilder<boolean> {
  return sql<boolean>`customers.tenant_id = ${tenantId}::uuid and customers.archived_at is null
    and customers.merged_into is null and ${where}`;
}

/**
 * Completed orders placed in the period in the tenant's currency, with the customer's tier and
 * the order's month: average order value and revenue by tier.
 */
export function periodOrders(tenantId: string, range: Range, where: RawBuilder<boolean>) {
  return sql`select o.id, o.customer_id, o.amount, customer_tier.tier,
      to_char(o.ordered_at at time zone ${tenantTimeZone(tenantId)}, 'YYYY-MM') as month
    from orders o
    join customers on customers.tenant_id = o.tenant_id and customers.id = o.customer_id
    ${TIER_JOIN}
    where o.tenant_id = ${tenantId}::uuid and o.status = 'completed'
      and o.currency = (select t.currency from tenants t where t.id = ${tenantId}::uuid)
      and o.ordered_at >= ${startOf(tenantId, range.from)} and o.ordered_at < ${startOf(tenantId, range.to)}
      and ${liveCustomers(tenantId, where)}`;
}

/**
 * The customers with a completed order in the period (any currency), each with their tier and
 * whether they are a repeat buyer — two or more completed orders by the end of the period:
 * more than one in it, or one before it (or an imported opening balance with orders, dated
 * before it) — and a cross-sell buyer (two or more different products in the period).
 */
export function periodBuyers(tenantId: string, range: Range, where: RawBuilder<boolean>) {
  const start = startOf(tenantId, range.from);
  return sql`select b.customer_id, b.tier, b.repeat, coalesce(pp.products, 0) >= 2 as cross_sell
    from (select po.customer_id, max(po.tier) as tier, array_agg(po.id) as order_ids,
        (count(*) >= 2
          or exists (select 1 from orders p where p.tenant_id = ${tenantId}::uuid
            and p.customer_id = po.customer_id and p.status = 'completed' and p.ordered_at < ${start})
          or exists (select 1 from customer_opening_balances ob where ob.tenant_id = ${tenantId}::uuid
            and ob.customer_id = po.customer_id and ob.order_count > 0 and ob.as_of < ${range.from}::date)) as repeat
      from (select o.id, o.customer_id, customer_tier.tier
        from orders o
        join customers on customers.tenant_id = o.tenant_id and customers.id = o.customer_id
        ${TIER_JOIN}
        where o.tenant_id = ${tenantId}::uuid and o.status = 'completed'
          and o.ordered_at >= ${start} and o.ordered_at < ${startOf(tenantId, range.to)}
          and ${liveCustomers(tenantId, where)}) po
      group by po.customer_id) b
    left join lateral (select count(distinct l.product) as products from order_lines l
      where l.tenant_id = ${tenantId}::uuid and l.order_id = any(b.order_ids)) pp on true`;
}

/**
 * Retention and churn: the customers who had dealt before the period and were not dormant at
 * its start (their last stage move before it was not into dormant), each with whether they
 * turned dormant during it.
 */
export function retentionBase(tenantId: string, range: Range, where: RawBuilder<boolean>) {
  const start = startOf(tenantId, range.from);
  return sql`select customers.id as customer_id, customer_tier.tier,
      exists (select 1 from lifecycle_changes d where d.tenant_id = ${tenantId}::uuid
        and d.customer_id = customers.id and d.to_stage = 'dormant'
        and d.changed_at >= ${start} and d.changed_at < ${startOf(tenantId, range.to)}) as churned
    from customers
    ${TIER_JOIN}
    where ${liveCustomers(tenantId, where)} and customers.first_deal_at < ${start}
      and customers.id not in (
        select x.customer_id from (
          select distinct on (lc.customer_id) lc.customer_id, lc.to_stage
          from lifecycle_changes lc
          where lc.tenant_id = ${tenantId}::uuid and lc.changed_at < ${start}
            and lc.customer_id in (select e.customer_id from lifecycle_changes e
              where e.tenant_id = ${tenantId}::uuid and e.to_stage = 'dormant' and e.changed_at < ${start})
          order by lc.customer_id, lc.changed_at desc) x
        where x.to_stage = 'dormant')`;
}

/** The customers whose first deal falls in the period, with its month. */
export function newCustomers(tenantId: string, range: Range, where: RawBuilder<boolean>) {
  return sql`select customers.id as customer_id, customer_tier.tier,
      to_char(customers.first_deal_at at time zone ${tenantTimeZone(tenantId)}, 'YYYY-MM') as month
    from customers
    ${TIER_JOIN}
    where ${liveCustomers(tenantId, where)}
      and customers.first_deal_at >= ${startOf(tenantId, range.from)}
      and customers.first_deal_at < ${startOf(tenantId, range.to)}`;
}

/** The tier moves in the period, as 'from>to' ('' for a first placement). */
export function tierMoves(tenantId: string, range: Range, where: RawBuilder<boolean>) {
  return sql`select th.customer_id, coalesce(th.from_tier, '') || '>' || th.to_tier as move
    from tier_history th
    join customers on customers.tenant_id = th.tenant_id and customers.id = th.customer_id
    where th.tenant_id = ${tenantId}::uuid
      and th.changed_at >= ${startOf(tenantId, range.from)} and th.changed_at < ${startOf(tenantId, range.to)}
      and ${liveCustomers(tenantId, where)}`;
}

/**
 * The leads or opportunities a member counts (their lead scope), of one owner or of a team (its
 * members' and the team's unassigned ones): the dashboards and 商机 → 销售指标 narrow alike.
 */
export function ownedBy(
  scope: Scope,
  filters: { ownerUserId?: string | undefined; teamId?: string | undefined },
  table: 'leads' | 'opportunities',
): RawBuilder<boolean> {
  const parts = [table === 'leads' ? visibleLead(scope.access) : visibleOpportunity(scope.access)];
  const owner = sql.ref(`${table}.owner_user_id`);
  if (filters.ownerUserId) parts.push(sql<boolean>`${owner} = ${filters.ownerUserId}::uuid`);
  if (filters.teamId)
    parts.push(sql<boolean>`(${sql.ref(`${table}.team_id`)} = ${filters.teamId}::uuid or ${owner} in (
      select m.user_id from memberships m where m.tenant_id = ${scope.tenantId}::uuid and m.team_id = ${filters.teamId}::uuid))`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/**
 * The leads created in the period (`where` over `leads`), each with how far it went — contacted
 * (a first contact, or a status after new), qualified (qualified at some point: now, converted,
 * or disqualified after a move to qualified), converted — and its follow-up clock: whether the
 * deadline has been met or has passed (`sla_due`), and whether the first contact came by it
 * (`sla_met`, never breached), the month of its creation. Funnel, conversion and first contact
 * read this one set, on the dashboards and in 商机 → 销售指标.
 */
export function periodLeads(tenantId: string, range: Range, where: RawBuilder<boolean>) {
  return sql`select leads.id as lead_id, leads.source, leads.grade, leads.owner_user_id,
      (leads.first_contact_at is not null or leads.status in ('contacted', 'qualified', 'converted')) as contacted,
      (leads.status in ('qualified', 'converted') or (leads.status = 'disqualified' and exists (
        select 1 from lead_history h where h.tenant_id = leads.tenant_id and h.lead_id = leads.id
          and h.kind = 'status' and h.to_status = 'qualified'))) as qualified,
      leads.status = 'converted' as converted,
      leads.first_contact_minutes,
      to_char(leads.created_at at time zone ${tenantTimeZone(tenantId)}, 'YYYY-MM') as month,
      (leads.follow_up_due_at is not null and (leads.first_contact_at is not null
        or leads.sla_breached_at is not null or leads.follow_up_due_at <= now())) as sla_due,
      (leads.follow_up_due_at is not null and leads.first_contact_at is not null
        and leads.first_contact_at <= leads.follow_up_due_at and leads.sla_breached_at is null) as sla_met
    from leads
    where leads.tenant_id = ${tenantId}::uuid
      and leads.created_at >= ${startOf(tenantId, range.from)} and leads.created_at < ${startOf(tenantId, range.to)}
      and ${where}`;
}

/**
 * The opportunities won or lost in the period (`where` over `opportunities`): whether won in
 * it (else lost in it), its amount and whether in the tenant's currency, the days from the
 * lead's creation (the deal's, without a lead) to the win, the month of the win or loss. Win
 * rate and the sales cycle read this one set, on the dashboards and in 商机 → 销售指标.
 */
export function closedOpportunities(tenantId: string, range: Range, where: RawBuilder<boolean>) {
  const start = startOf(tenantId, range.from);
  const end = startOf(tenantId, range.to);
  return sql`select opportunities.id as opportunity_id, opportunities.owner_user_id, opportunities.customer_id,
      opportunities.amount, opportunities.lost_reason,
      opportunities.currency = (select t.currency from tenants t where t.id = ${tenantId}::uuid) as in_currency,
      coalesce(opportunities.won_at >= ${start} and opportunities.won_at < ${end}, false) as won,
      extract(epoch from (opportunities.won_at - coalesce((select l.created_at from leads l
        where l.tenant_id = opportunities.tenant_id and l.id = opportunities.lead_id),
        opportunities.created_at))) / 86400 as cycle_days,
      to_char(coalesce(opportunities.won_at, opportunities.lost_at) at time zone ${tenantTimeZone(tenantId)}, 'YYYY-MM') as month
    from opportunities
    where opportunities.tenant_id = ${tenantId}::uuid
      and ((opportunities.won_at >= ${start} and opportunities.won_at < ${end})
        or (opportunities.won_at is null and opportunities.lost_at >= ${start} and opportunities.lost_at < ${end}))
      and ${where}`;
}

/**
 * The open opportunities now (neither won nor lost) in the tenant currency, with their stage
 * and amount (none: 0).
 */
export function openPipeline(tenantId: string, where: RawBuilder<boolean>) {
  return sql`select opportunities.id as opportunity_id, opportunities.stage,
      coalesce(opportunities.amount, 0) as amount
    from opportunities
    where opportunities.tenant_id = ${tenantId}::uuid and opportunities.stage_kind = 'open'
      and opportunities.won_at is null and opportunities.lost_at is null
      and opportunities.currency = (select t.currency from tenants t where t.id = ${tenantId}::uuid) and ${where}`;
}

/**
 * The scored NPS and CSAT answers of the period, of live customers (`where` over `customers`
 * and the answer `r`), with the tier when answering and the month (the surveys' results read
 * the same answers and counts: surveys/scores.sql.ts).
 */
export function periodAnswers(tenantId: string, range: Range, where: RawBuilder<boolean>) {
  return sql`select r.customer_id, r.tier, r.survey_kind, r.score, r.score_pct,
      to_char(r.responded_at at time zone ${tenantTimeZone(tenantId)}, 'YYYY-MM') as month
    from survey_responses r
    join customers on customers.tenant_id = r.tenant_id and customers.id = r.customer_id
    where r.tenant_id = ${tenantId}::uuid and ${SCORED_ANSWERS}
      and r.responded_at >= ${startOf(tenantId, range.from)} and r.responded_at < ${startOf(tenantId, range.to)}
      and ${liveCustomers(tenantId, where)}`;
}

const SNAPSHOT_DRILLS = new Set<KpiKey>([
  'customers_total',
  'customers_by_stage',
  'completeness_average',
  'completeness_share',
  'stale_profiles',
  'customers_per_rep',
]);

/** A breakdown key as a condition on a nullable column ('' or absent: no narrowing / null). */
function segmentIs(column: RawBuilder<unknown>, segment: string | undefined): RawBuilder<boolean> {
  if (segment === undefined) return sql<boolean>`true`;
  if (segment === '') return sql<boolean>`${column} is null`;
  return sql<boolean>`${column} = ${segment}`;
}

/**
 * The customer list's `kpi` filter: the customers behind a figure, or behind one bar of its
 * breakdown (`segment`). For a rate, the customers it counts against (the denominator's
 * that meet it: repeat buyers, customers retained, churned, cross-sell buyers, profiles below
 * 90 %, stale ones).
 */
export function kpiSegmentCondition(tenantId: string, filter: KpiSegment): RawBuilder<boolean> {
  const range = { from: filter.from, to: filter.to };
  const all = sql<boolean>`true`;
  const segment = filter.segment;
  const tier = segmentIs(sql`s.tier`, segment);
  const within = (set: RawBuilder<unknown>, condition: RawBuilder<boolean>) =>
    sql<boolean>`customers.id in (select s.customer_id from (${set}) s where ${condition})`;
  if (SNAPSHOT_DRILLS.has(filter.key)) {
    const column =
      filter.key === 'customers_by_stage'
        ? sql`customers.lifecycle_stage`
        : filter.key === 'customers_per_rep'
          ? sql`customers.owner_user_id::text`
          : customerTierOf();
    const narrowed = segmentIs(column, segment);
    if (filter.key === 'completeness_share')
      return sql<boolean>`(${narrowed} and customers.completeness < 90)`;
    if (filter.key === 'stale_profiles')
      return sql<boolean>`(${narrowed} and customers.updated_at < now() - interval '30 days')`;
    if (filter.key === 'customers_per_rep')
      return sql<boolean>`(${narrowed} and customers.owner_user_id is not null)`;
    return narrowed;
  }
  switch (filter.key) {
    case 'new_customers':
      return within(newCustomers(tenantId, range, all), segmentIs(sql`s.month`, segment));
    case 'tier_moves':
      return within(tierMoves(tenantId, range, all), segmentIs(sql`s.move`, segment));
    case 'repurchase_rate':
      return within(periodBuyers(tenantId, range, all), sql<boolean>`s.repeat and ${tier}`);
    case 'cross_sell_share':
      return within(periodBuyers(tenantId, range, all), sql<boolean>`s.cross_sell and ${tier}`);
    case 'retention_rate':
      return within(retentionBase(tenantId, range, all), sql<boolean>`not s.churned and ${tier}`);
    case 'churn_rate':
      return within(retentionBase(tenantId, range, all), sql<boolean>`s.churned and ${tier}`);
    case 'average_order_value':
      return within(periodOrders(tenantId, range, all), segmentIs(sql`s.month`, segment));
    case 'revenue_by_tier':
      return within(periodOrders(tenantId, range, all), tier);
    case 'nps':
    case 'csat': {
      // A point of the trend: 'month' or 'month|tier' ('month|' for no tier).
      const [month, answerTier] = segment === undefined ? [undefined, undefined] : segment.split('|');
      const kind = sql<boolean>`s.survey_kind = ${filter.key}`;
      return within(
        periodAnswers(tenantId, range, all),
        sql<boolean>`${kind} and ${segmentIs(sql`s.month`, month || undefined)} and ${segmentIs(sql`s.tier`, answerTier)}`,
      );
    }
    default:
      // A KPI whose click leads elsewhere (tasks, tickets) or nowhere selects no customer.
      return sql<boolean>`false`;
  }
}
