import { type RawBuilder, sql } from 'kysely';

/*
 * Where a customer's tier is read. The placement (tier, score, explanation, when it moved and
 * was computed) is a row of `customer_tiers` keyed (tenant_id, customer_id), apart from the
 * wide customer row, so a re-tier writes narrow rows only; a customer not placed yet has no
 * row (no tier). Queries over many customers join it; a condition or a column of a query of
 * any shape reads it by its key.
 */

/** The placement of `customers`, left-joined as `customer_tier` (a query that reads none of it drops the join). */
export const TIER_JOIN = sql`left join customer_tiers customer_tier
  on customer_tier.tenant_id = customers.tenant_id and customer_tier.customer_id = customers.id`;

/** The tier of the customer aliased `alias` (null: not placed), read by its key. */
export function customerTierOf(alias = 'customers'): RawBuilder<string | null> {
  const customer = sql.table(alias);
  return sql<string | null>`(select placement.tier from customer_tiers placement
    where placement.tenant_id = ${customer}.tenant_id and placement.customer_id = ${customer}.id)`;
}

/** Whether the customer aliased `alias` is placed in one of `tiers`. */
export function customerInTiers(tiers: readonly string[], alias = 'customers'): RawBuilder<boolean> {
  const customer = sql.table(alias);
  return sql<boolean>`exists (select 1 from customer_tiers placement
    where placement.tenant_id = ${customer}.tenant_id and placement.customer_id = ${customer}.id
      and placement.tier = any(${sql.val([...tiers])}::text[]))`;
}
