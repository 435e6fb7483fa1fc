import type { Database, Transaction } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../scope';

/** An order counts on top of the customer's opening balance when placed after its as-of date (Beijing). */
const AFTER_BALANCE = sql`(b.as_of is null
  or o.ordered_at >= ((b.as_of + 1)::timestamp at time zone 'Asia/Shanghai'))`;

/** A date's midnight in Beijing, as a point in time. */
const midnight = (date: RawBuilder<unknown>) => sql`(${date}::timestamp at time zone 'Asia/Shanghai')`;

/** The customer columns the facts refresh writes: all ignored by the audit, none a match key. */
export const FACTS_COLUMNS = [
  'first_deal_at',
  'last_deal_at',
  'order_count',
  'amount_12m',
  'amount_lifetime',
  'lifecycle_stage',
  'value_level',
  'activity_level',
  'recent_touches',
  'lifecycle_changed_at',
] as const;

/**
 * The customers a statement selects (one column of ids, e.g. from an import's staging table):
 * a large set of customers is named without its ids passing through the process.
 */
export type CustomerIdsOf = { query: RawBuilder<unknown> };

/**
 * Re-derives the transaction facts and lifecycle stage of some customers of one tenant —
 * or all of them — in one set-based statement, and records each stage move in
 * lifecycle_changes. Run in the same transaction as an order change ('order'), and daily
 * for every tenant ('daily') so that the 12-month amount and the at-risk/dormant stages
 * follow the calendar.
 *
 * Stages: potential (no completed order) → new (one) → returning (two or more) → loyal
 * (the tenant's threshold); at risk and dormant after the tenant's number of days without one.
 *
 * System tags come out of the same pass: value level from the 12-month amount against the
 * tenant's thresholds (high above value_high_amount, mid from value_mid_amount), activity
 * level from the touches — completed orders and logged interactions — in the tenant's
 * activity window. Interactions run it too ('interaction'), and imports ('import').
 *
 * An opening balance (customer_opening_balances, 导入的期初数据: the figures another system had
 * as of a date) is the base the orders build on: the counts and amounts are the balance plus
 * the completed orders placed after its as-of date (Beijing time); orders on or before that
 * date are taken as already in the balance. The balance's 12-month amount is taken as spread
 * evenly over the 12 months before its as-of date, so one 365th of it leaves the window each
 * day after. First and last deal are the earliest and latest of the orders, the balance's
 * last deal date and the customer's first cooperation date (首次合作时间).
 *
 * The statement sets only the facts columns ({@link FACTS_COLUMNS}); the customers' audit and
 * match-key update triggers stand aside for it (`crm.facts_refresh`), since neither would find
 * anything in those columns — a test holds the list to the audit's ignored columns.
 */
export async function refreshCustomerFacts(
  scope: Scope,
  customerIds: string[] | 'all' | CustomerIdsOf,
  reason: 'order' | 'daily' | 'interaction' | 'settings' | 'import',
): Promise<{ updated: number; stageChanges: number }> {
  const { trx, tenantId } = scope;
  const only =
    customerIds === 'all'
      ? sql`true`
      : Array.isArray(customerIds)
        ? sql`c.id = any(${customerIds}::uuid[])`
        : sql`c.id in (${customerIds.query})`;
  // The statement writes only columns the audit ignores and the match keys do not read: the
  // customers' update triggers stand aside for it (migration 2026-12-18-0801).
  await sql`select set_config('crm.facts_refresh', 'on', true)`.execute(trx);
  const { rows } = await sql<{ updated: number; stage_changes: number }>`
    with order_facts as (
      select c.id, c.first_cooperation_on, b.as_of, b.amount_12m as opening_12m,
        b.amount_lifetime as opening_lifetime, b.order_count as opening_orders, b.last_deal_on as opening_last_deal,
        min(o.ordered_at) filter (where o.status = 'completed') as first_order_at,
        max(o.ordered_at) filter (where o.status = 'completed') as last_order_at,
        (count(o.id) filter (where o.status = 'completed' and ${AFTER_BALANCE}))::int as order_count,
        coalesce(sum(o.amount) filter (where o.status = 'completed' and o.currency = t.currency
          and o.ordered_at >= now() - interval '12 months' and ${AFTER_BALANCE}), 0) as amount_12m,
        coalesce(sum(o.amount) filter (where o.status = 'completed' and o.currency = t.currency
          and ${AFTER_BALANCE}), 0) as amount_lifetime,
        (count(o.id) filter (where o.status = 'completed'
          and o.ordered_at >= now() - make_interval(days => t.activity_window_days)))::int
        + (select count(*)::int from interactions i
           where i.tenant_id = c.tenant_id and i.customer_id = c.id
             and i.occurred_at >= now() - make_interval(days => t.activity_window_days)) as recent_touches
      from customers c
      join tenants t on t.id = c.tenant_id
      left join customer_opening_balances b on b.tenant_id = c.tenant_id and b.customer_id = c.id
      left join orders o on o.tenant_id = c.tenant_id and o.customer_id = c.id
      where c.tenant_id = ${tenantId} and ${only}
      group by c.tenant_id, c.id, t.id, b.tenant_id, b.customer_id
    ),
    facts as (
      select f.id,
        least(f.first_order_at, ${midnight(sql`f.opening_last_deal`)}, ${midnight(sql`f.first_cooperation_on`)}) as first_deal_at,
        greatest(f.last_order_at, ${midnight(sql`f.opening_last_deal`)}) as last_deal_at,
        f.order_count + coalesce(f.opening_orders, 0) as order_count,
        f.amount_12m + coalesce(round(f.opening_12m
          * greatest(0, 1 - ((now() at time zone 'Asia/Shanghai')::date - f.as_of) / 365.0), 2), 0) as amount_12m,
        f.amount_lifetime + coalesce(f.opening_lifetime, 0) as amount_lifetime,
        f.recent_touches
      from order_facts f
    ),
    staged as (
      select f.*,
        case
          when f.order_count = 0 then 'potential'
          when f.last_deal_at < now() - make_interval(days => t.lifecycle_dormant_days) then 'dormant'
          when f.last_deal_at < now() - make_interval(days => t.lifecycle_at_risk_days) then 'at_risk'
          when f.order_count >= t.lifecycle_loyal_orders then 'loyal'
          when f.order_count >= 2 then 'returning'
          else 'new'
        end as stage,
        case
          when f.amount_12m > t.value_high_amount then 'high'
          when f.amount_12m >= t.value_mid_amount then 'mid'
          else 'low'
        end as value_level,
        case
          when f.recent_touches >= t.activity_high_touches then 'high'
          when f.recent_touches >= t.activity_mid_touches then 'mid'
          else 'low'
        end as activity_level
      from facts f
      join tenants t on t.id = ${tenantId}
    ),
    updated as (
      update customers c set
        first_deal_at = s.first_deal_at,
        last_deal_at = s.last_deal_at,
        order_count = s.order_count,
        amount_12m = s.amount_12m,
        amount_lifetime = s.amount_lifetime,
        lifecycle_stage = s.stage,
        value_level = s.value_level,
        activity_level = s.activity_level,
        recent_touches = s.recent_touches,
        lifecycle_changed_at = case when before.lifecycle_stage <> s.stage then now() else before.lifecycle_changed_at end
      from staged s
      join customers before on before.tenant_id = ${tenantId} and before.id = s.id
      where c.tenant_id = ${tenantId} and c.id = s.id
        and (before.first_deal_at is distinct from s.first_deal_at
          or before.last_deal_at is distinct from s.last_deal_at
          or before.order_count <> s.order_count
          or before.amount_12m <> s.amount_12m
          or before.amount_lifetime <> s.amount_lifetime
          or before.lifecycle_stage <> s.stage
          or before.value_level <> s.value_level
          or before.activity_level <> s.activity_level
          or before.recent_touches <> s.recent_touches)
      returning c.id, before.lifecycle_stage as from_stage, s.stage as to_stage
    ),
    moved as (
      insert into lifecycle_changes (tenant_id, customer_id, from_stage, to_stage, reason)
      select ${tenantId}, id, from_stage, to_stage, ${reason} from updated where from_stage <> to_stage
      returning 1
    )
    select (select count(*)::int from updated) as updated, (select count(*)::int from moved) as stage_changes
  `.execute(trx);
  await sql`select set_config('crm.facts_refresh', '', true)`.execute(trx);
  return { updated: rows[0]?.updated ?? 0, stageChanges: rows[0]?.stage_changes ?? 0 };
}
