import { sql, type Transaction } from 'kysely';
import type { Database, IndustryProfile } from '../tables';

/**
 * Each business's points rate and expiry, and its first referral rule, as its plugin gives
 * them (plugins/*: `loyalty`); the seed cannot read the plugins, so they are repeated here.
 */
const PROGRAMMES: Record<string, { rate: number; months: number; rule: string; points: number }> = {
  retail: { rate: 1, months: 24, rule: 'retail_referral_points', points: 500 },
  b2b: { rate: 0.01, months: 36, rule: 'b2b_referral_points', points: 2000 },
  'corporate-banking': { rate: 0.001, months: 12, rule: 'corporate_banking_referral_points', points: 1000 },
};

/**
 * Growth points and referrals (成长值, 转介绍) of a demo tenant, set-based: every completed
 * order earned its points when it was placed (expiring after the programme's months); eight
 * customers referred another whose first order came later (rewarded then, with the bonus on
 * the referrer's ledger); two referred a lead still being worked (pending); some customers
 * redeemed points; and the expiry ran today over what is past its date.
 */
export async function seedDemoLoyalty(
  trx: Transaction<Database>,
  tenantId: string,
  industry: IndustryProfile,
  now: number,
): Promise<void> {
  const programme = PROGRAMMES[industry] ?? PROGRAMMES.b2b;
  if (!programme) return;
  const at = new Date(now).toISOString();
  await sql`
    insert into loyalty_points (tenant_id, customer_id, kind, points, order_id, expires_at, created_at)
    select o.tenant_id, o.customer_id, 'earn', floor(o.amount * ${programme.rate}::numeric)::int, o.id,
      o.ordered_at + make_interval(months => ${programme.months}::int), o.ordered_at
    from orders o
    where o.tenant_id = ${tenantId} and o.status = 'completed' and floor(o.amount * ${programme.rate}::numeric) >= 1
  `.execute(trx);
  // Pairs of customers: the referrer ordered first; the referred customer's first order came later.
  await sql`
    with firsts as (
      select c.id, c.owner_user_id, min(o.ordered_at) as first_at,
        (array_agg(o.id order by o.ordered_at, o.id))[1] as first_order
      from customers c join orders o on o.tenant_id = c.tenant_id and o.customer_id = c.id and o.status = 'completed'
      where c.tenant_id = ${tenantId} and c.archived_at is null
      group by c.id, c.owner_user_id
    ),
    ranked as (select f.*, row_number() over (order by f.first_at, f.id) as rank, count(*) over () as total from firsts f),
    pairs as (
      select referrer.id as referrer_id, referred.id as referred_id, referred.first_at, referred.first_order,
        referred.owner_user_id
      from ranked referrer
      join ranked referred on referred.rank = referrer.rank + referrer.total / 2
      where referrer.rank in (1, 3, 5, 8, 13, 21, 34, 55)
    ),
    made as (
      insert into referrals (tenant_id, referrer_customer_id, referred_customer_id, rule_key, reward_kind, reward_value,
        note, status, rewarded_at, reward_order_id, created_by, created_at)
      select ${tenantId}, p.referrer_id, p.referred_id, ${programme.rule}, 'points', ${programme.points},
        '老客户介绍的朋友', 'rewarded', p.first_at, p.first_order, p.owner_user_id, p.first_at - interval '12 days'
      from pairs p
      returning id, referrer_customer_id, rewarded_at
    )
    insert into loyalty_points (tenant_id, customer_id, kind, points, referral_id, reason, expires_at, created_at)
    select ${tenantId}, m.referrer_customer_id, 'referral', ${programme.points}, m.id, '转介绍奖励',
      m.rewarded_at + make_interval(months => ${programme.months}::int), m.rewarded_at
    from made m
  `.execute(trx);
  // Two customers brought leads still being worked: their rewards wait for a first order.
  await sql`
    with leads_open as (
      select l.id, row_number() over (order by l.created_at desc, l.id) as rank
      from leads l where l.tenant_id = ${tenantId} and l.converted_customer_id is null
    ),
    referrers as (
      select c.id, row_number() over (order by c.created_at, c.id) as rank
      from customers c where c.tenant_id = ${tenantId} and c.archived_at is null
    )
    insert into referrals (tenant_id, referrer_customer_id, referred_lead_id, rule_key, reward_kind, reward_value,
      note, created_at)
    select ${tenantId}, r.id, l.id, ${programme.rule}, 'points', ${programme.points}, '介绍了同行', ${at}::timestamptz - interval '3 days'
    from leads_open l join referrers r on r.rank = l.rank + 1
    where l.rank <= 2
    on conflict do nothing
  `.execute(trx);
  // Every seventh customer with points spent a fifth of them in the last month.
  await sql`
    with balances as (
      select customer_id, sum(points)::int as balance, row_number() over (order by customer_id) as rank
      from loyalty_points where tenant_id = ${tenantId} group by customer_id
    )
    insert into loyalty_points (tenant_id, customer_id, kind, points, reason, created_at)
    select ${tenantId}, b.customer_id, 'redeem', -(b.balance / 5), '积分兑换礼品',
      ${at}::timestamptz - make_interval(days => (b.rank % 28)::int)
    from balances b where b.rank % 7 = 0 and b.balance >= 5
  `.execute(trx);
  // Today's expiry: credits past their date less what was spent (oldest first), one row per customer.
  await sql`
    insert into loyalty_points (tenant_id, customer_id, kind, points, reason, created_at)
    select ${tenantId}, s.customer_id, 'expire', -s.due, '积分过期', ${at}::timestamptz
    from (
      select customer_id,
        coalesce(sum(points) filter (where points > 0 and expires_at <= ${at}::timestamptz), 0)
          + coalesce(sum(points) filter (where points < 0), 0) as due
      from loyalty_points where tenant_id = ${tenantId} group by customer_id
    ) s
    where s.due > 0
  `.execute(trx);
}
