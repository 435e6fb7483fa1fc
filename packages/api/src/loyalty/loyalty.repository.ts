import { type RawBuilder, sql } from 'kysely';
import { visibleLead } from '../customers/access';
import type { Scope } from '../scope';

/*
 * Every query of referrals and growth points. The points ledger is insert-only: the balance
 * is its sum; an expiry is a new row. Bulk work (orders settled, points expired) is one
 * statement over the tenant's rows.
 */

export type LoyaltySettingsRow = {
  points_per_yuan: string | null;
  expiry_months: number | null;
  referral_rules: unknown;
};

export async function selectLoyaltySettings(scope: Scope): Promise<LoyaltySettingsRow | undefined> {
  return scope.trx
    .selectFrom('loyalty_settings')
    .select(['points_per_yuan', 'expiry_months', 'referral_rules'])
    .where('tenant_id', '=', scope.tenantId)
    .executeTakeFirst();
}

export async function upsertLoyaltySettings(
  scope: Scope,
  values: { pointsPerYuan: number | null; expiryMonths: number | null; rules: unknown[] | null },
): Promise<void> {
  const row = {
    tenant_id: scope.tenantId,
    points_per_yuan: values.pointsPerYuan,
    expiry_months: values.expiryMonths,
    referral_rules: values.rules === null ? null : JSON.stringify(values.rules),
    updated_by: scope.userId,
    updated_at: new Date(),
  };
  await scope.trx
    .insertInto('loyalty_settings')
    .values(row)
    .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet(row))
    .execute();
}

export type ReferralRow = {
  id: string;
  referrer_customer_id: string;
  referrer_name: string;
  referred_customer_id: string | null;
  referred_lead_id: string | null;
  referred_name: string;
  rule_key: string;
  reward_kind: 'points' | 'discount';
  reward_value: string;
  note: string | null;
  status: 'pending' | 'rewarded' | 'cancelled';
  rewarded_at: Date | null;
  created_at: Date;
};

const REFERRAL_COLUMNS = sql`r.id, r.referrer_customer_id, referrer.name as referrer_name, r.referred_customer_id,
  r.referred_lead_id, coalesce(referred.name, l.company_name, l.person_name, '') as referred_name, r.rule_key,
  r.reward_kind, r.reward_value::text as reward_value, r.note, r.status, r.rewarded_at, r.created_at`;
const REFERRAL_FROM = sql`referrals r
  join customers referrer on referrer.tenant_id = r.tenant_id and referrer.id = r.referrer_customer_id
  left join customers referred on referred.tenant_id = r.tenant_id and referred.id = r.referred_customer_id
  left join leads l on l.tenant_id = r.tenant_id and l.id = r.referred_lead_id`;

/** Whether a lead exists and the actor sees it. */
export async function leadVisible(scope: Scope, leadId: string): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    select leads.id from leads
    where leads.tenant_id = ${scope.tenantId} and leads.id = ${leadId} and ${visibleLead(scope.access)}`.execute(
    scope.trx,
  );
  return rows.length > 0;
}

/** Whether the customer already has a completed order (then it is not a new customer). */
export async function hasCompletedOrder(scope: Scope, customerId: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    select 1 as one from orders
    where tenant_id = ${scope.tenantId} and customer_id = ${customerId} and status = 'completed' limit 1`.execute(
    scope.trx,
  );
  return rows.length > 0;
}

export async function insertReferral(
  scope: Scope,
  values: {
    referrerCustomerId: string;
    referredCustomerId: string | null;
    referredLeadId: string | null;
    ruleKey: string;
    rewardKind: 'points' | 'discount';
    rewardValue: number;
    note: string | null;
  },
): Promise<string | 'TAKEN'> {
  const row = await scope.trx
    .insertInto('referrals')
    .values({
      tenant_id: scope.tenantId,
      referrer_customer_id: values.referrerCustomerId,
      referred_customer_id: values.referredCustomerId,
      referred_lead_id: values.referredLeadId,
      rule_key: values.ruleKey,
      reward_kind: values.rewardKind,
      reward_value: values.rewardValue,
      note: values.note,
      created_by: scope.userId,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? 'TAKEN';
}

/** One referral whose referrer the actor sees. */
export async function selectReferral(scope: Scope, id: string): Promise<ReferralRow | undefined> {
  const { rows } = await sql<ReferralRow>`
    select ${REFERRAL_COLUMNS} from ${REFERRAL_FROM}
    where r.tenant_id = ${scope.tenantId} and r.id = ${id}`.execute(scope.trx);
  return rows[0];
}

export async function cancelReferralRow(scope: Scope, id: string): Promise<number> {
  const result = await scope.trx
    .updateTable('referrals')
    .set({ status: 'cancelled' })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Whom the customer referred, newest first; and who referred it (directly, or the lead it was converted from). */
export async function selectCustomerReferrals(
  scope: Scope,
  customerId: string,
): Promise<{ made: ReferralRow[]; referredBy: ReferralRow | undefined }> {
  const made = await sql<ReferralRow>`
    select ${REFERRAL_COLUMNS} from ${REFERRAL_FROM}
    where r.tenant_id = ${scope.tenantId} and r.referrer_customer_id = ${customerId}
    order by r.created_at desc limit 100`.execute(scope.trx);
  const by = await sql<ReferralRow>`
    select ${REFERRAL_COLUMNS} from ${REFERRAL_FROM}
    where r.tenant_id = ${scope.tenantId} and r.status <> 'cancelled'
      and (r.referred_customer_id = ${customerId} or l.converted_customer_id = ${customerId})
    order by r.created_at limit 1`.execute(scope.trx);
  return { made: made.rows, referredBy: by.rows[0] };
}

export type PointsEntryRow = {
  id: string;
  kind: 'earn' | 'referral' | 'adjust' | 'redeem' | 'expire' | 'reversal';
  points: number;
  reason: string | null;
  order_id: string | null;
  referral_id: string | null;
  expires_at: Date | null;
  created_by_name: string | null;
  created_at: Date;
};

export async function selectPointsEntries(
  scope: Scope,
  customerId: string,
  limit: number,
): Promise<PointsEntryRow[]> {
  const { rows } = await sql<PointsEntryRow>`
    select p.id, p.kind, p.points, p.reason, p.order_id, p.referral_id, p.expires_at, u.name as created_by_name,
      p.created_at
    from loyalty_points p left join users u on u.id = p.created_by
    where p.tenant_id = ${scope.tenantId} and p.customer_id = ${customerId}
    order by p.created_at desc, p.id desc limit ${limit}`.execute(scope.trx);
  return rows;
}

/**
 * The tenant's ledger with each row marked `reversed` when it is an order's points that a
 * reversal took back, or that reversal itself: the two cancel out, so neither is a credit
 * that expires nor a spending that uses up older credits.
 */
function ledgerOf(scope: Scope): RawBuilder<unknown> {
  return sql`(
    select p.customer_id, p.points, p.expires_at,
      p.kind = 'reversal' or (p.kind = 'earn' and exists (
        select 1 from loyalty_points r
        where r.tenant_id = p.tenant_id and r.order_id = p.order_id and r.kind = 'reversal')) as reversed
    from loyalty_points p where p.tenant_id = ${scope.tenantId}) ledger`;
}

/**
 * What of the ledger is due to expire by `at`: credits are spent oldest first (and an
 * earlier expiry counts as spent), so it is the credits past their date less everything
 * taken off — leaving out an order's points and their reversal, which cancel out.
 */
function dueSql(at: Date): RawBuilder<number> {
  return sql<number>`coalesce(sum(points) filter (where points > 0 and expires_at <= ${at} and not reversed), 0)
    + coalesce(sum(points) filter (where points < 0 and not reversed), 0)`;
}

/**
 * The balance (the ledger's sum) and what of it expires by `horizon`: credits are spent
 * oldest first, so what expires is the credits past their date less everything taken off.
 */
export async function selectBalance(
  scope: Scope,
  customerId: string,
  horizon: Date,
): Promise<{ balance: number; expiring: number }> {
  const { rows } = await sql<{ balance: number; expiring: number }>`
    select coalesce(sum(points), 0)::int as balance, greatest(0, ${dueSql(horizon)})::int as expiring
    from ${ledgerOf(scope)} where customer_id = ${customerId}`.execute(scope.trx);
  return rows[0] ?? { balance: 0, expiring: 0 };
}

/** Holds the customer's row until the transaction ends: one redemption at a time per customer. */
export async function lockCustomerPoints(scope: Scope, customerId: string): Promise<void> {
  await sql`select id from customers where tenant_id = ${scope.tenantId} and id = ${customerId} for update`.execute(
    scope.trx,
  );
}

export async function insertPointsEntry(
  scope: Scope,
  entry: {
    customerId: string;
    kind: 'adjust' | 'redeem';
    points: number;
    reason: string;
    expiresAt: Date | null;
  },
): Promise<void> {
  await scope.trx
    .insertInto('loyalty_points')
    .values({
      tenant_id: scope.tenantId,
      customer_id: entry.customerId,
      kind: entry.kind,
      points: entry.points,
      reason: entry.reason,
      expires_at: entry.expiresAt,
      created_by: scope.userId,
    })
    .execute();
}

/**
 * After orders of these customers were recorded, changed or voided, in three statements:
 * each completed order earns floor(amount × rate) points once (expiring after `months`, 0:
 * never); a voided order's earned points are taken back once; and each pending referral whose
 * referred customer (or the lead converted into it) now has a completed order is rewarded —
 * its points to the referrer once. Idempotent: running it again adds nothing.
 */
export async function settleOrders(
  scope: Scope,
  customerIds: readonly string[] | null,
  rate: number,
  months: number,
): Promise<{ earned: number; reversed: number; rewarded: number }> {
  if (customerIds !== null && customerIds.length === 0) return { earned: 0, reversed: 0, rewarded: 0 };
  // null: every customer of the tenant (after an import of orders).
  const among = (column: RawBuilder<unknown>) =>
    customerIds === null ? sql`true` : sql`${column} = any(${`{${customerIds.join(',')}}`}::uuid[])`;
  const expiry = months > 0 ? sql`now() + make_interval(months => ${months}::int)` : sql`null::timestamptz`;
  // An order's points run from the day it was placed (an order recorded late keeps its date).
  const orderExpiry =
    months > 0 ? sql`o.ordered_at + make_interval(months => ${months}::int)` : sql`null::timestamptz`;
  const earned =
    rate > 0
      ? await sql`
          insert into loyalty_points (tenant_id, customer_id, kind, points, order_id, expires_at)
          select o.tenant_id, o.customer_id, 'earn', floor(o.amount * ${rate}::numeric)::int, o.id, ${orderExpiry}
          from orders o
          where o.tenant_id = ${scope.tenantId} and ${among(sql`o.customer_id`)} and o.status = 'completed'
            and floor(o.amount * ${rate}::numeric) >= 1
            and not exists (select 1 from loyalty_points p
              where p.tenant_id = o.tenant_id and p.order_id = o.id and p.kind = 'earn')
          on conflict (tenant_id, order_id, kind) where order_id is not null do nothing`.execute(scope.trx)
      : { numAffectedRows: 0n };
  const reversed = await sql`
    insert into loyalty_points (tenant_id, customer_id, kind, points, order_id, reason)
    select p.tenant_id, p.customer_id, 'reversal', -p.points, p.order_id, '订单作废'
    from loyalty_points p
    join orders o on o.tenant_id = p.tenant_id and o.id = p.order_id
    where p.tenant_id = ${scope.tenantId} and ${among(sql`p.customer_id`)} and p.kind = 'earn'
      and o.status in ('void', 'refunded')
      and not exists (select 1 from loyalty_points r
        where r.tenant_id = p.tenant_id and r.order_id = p.order_id and r.kind = 'reversal')
    on conflict (tenant_id, order_id, kind) where order_id is not null do nothing`.execute(scope.trx);
  const rewarded = await sql`
    with due as (
      select distinct on (r.id) r.id, first_order.id as order_id
      from referrals r
      left join leads l on l.tenant_id = r.tenant_id and l.id = r.referred_lead_id
      join lateral (
        select o.id from orders o
        where o.tenant_id = r.tenant_id and o.status = 'completed'
          and o.customer_id = coalesce(r.referred_customer_id, l.converted_customer_id)
        order by o.ordered_at, o.id limit 1
      ) first_order on true
      where r.tenant_id = ${scope.tenantId} and r.status = 'pending'
        and ${among(sql`coalesce(r.referred_customer_id, l.converted_customer_id)`)}
    ),
    paid as (
      update referrals r set status = 'rewarded', rewarded_at = now(), reward_order_id = due.order_id
      from due where r.tenant_id = ${scope.tenantId} and r.id = due.id
      returning r.id, r.referrer_customer_id, r.reward_kind, r.reward_value
    )
    insert into loyalty_points (tenant_id, customer_id, kind, points, referral_id, reason, expires_at)
    select ${scope.tenantId}, paid.referrer_customer_id, 'referral', paid.reward_value::int, paid.id, '转介绍奖励',
      ${expiry}
    from paid where paid.reward_kind = 'points'
    on conflict (tenant_id, referral_id) where referral_id is not null do nothing`.execute(scope.trx);
  return {
    earned: Number(earned.numAffectedRows ?? 0),
    reversed: Number(reversed.numAffectedRows ?? 0),
    rewarded: Number(rewarded.numAffectedRows ?? 0),
  };
}

/**
 * The daily expiry of a tenant: one `expire` row per customer for the credits past their
 * date that were not spent (credits are spent oldest first, and an earlier expiry counts as
 * spent), so running it twice expires nothing more.
 */
export async function expirePoints(scope: Scope, at: Date): Promise<number> {
  const result = await sql`
    insert into loyalty_points (tenant_id, customer_id, kind, points, reason)
    select ${scope.tenantId}, s.customer_id, 'expire', -s.due, '积分过期'
    from (
      select customer_id, ${dueSql(at)} as due
      from ${ledgerOf(scope)}
      where customer_id in (
        select customer_id from loyalty_points where tenant_id = ${scope.tenantId} and expires_at <= ${at})
      group by customer_id
    ) s
    where s.due > 0`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0);
}
