import { type LoyaltyDefinition, resolveSettingRefs } from '@crm/plugin-sdk';
import { getCustomerOrThrow as getCustomer } from '../customers/customers.repository';
import { appError } from '../errors';
import { effectiveSettings, tenantProfileId } from '../plugins/effective-settings';
import type { PluginRegistry } from '../plugins/registry';
import type { MemberScope, Scope } from '../scope';
import {
  cancelReferralRow,
  expirePoints,
  hasCompletedOrder,
  insertPointsEntry,
  insertReferral,
  leadVisible,
  lockCustomerPoints,
  type ReferralRow,
  selectBalance,
  selectCustomerReferrals,
  selectLoyaltySettings,
  selectPointsEntries,
  selectReferral,
  settleOrders,
  upsertLoyaltySettings,
} from './loyalty.repository';
import type {
  AdjustPointsInput,
  CreateReferralInput,
  CustomerLoyaltyOutput,
  LoyaltySettingsOutput,
  RedeemPointsInput,
  ReferralOutput,
  ReferralRuleOutput,
  SaveLoyaltySettingsInput,
} from './loyalty.schemas';

/**
 * Referrals and growth points (转介绍, 成长值): the rate, expiry and referral rules (the
 * tenant's settings over the plugin's over the defaults), a customer's points and referrals,
 * recording and cancelling a referral, manual adjustments and redemptions, the settlement
 * the orders service runs after each order change, and the daily expiry.
 */

export type LoyaltyDependencies = { plugins: PluginRegistry | undefined };

/** Without plugin or tenant settings: a point per yuan, kept 24 months, no referral rule. */
export const DEFAULT_POINTS_PER_YUAN = 1;
export const DEFAULT_EXPIRY_MONTHS = 24;

type PluginLoyalty = { pointsPerYuan?: number; expiryMonths?: number; rules: ReferralRuleOutput[] };

async function pluginLoyalty(scope: Scope, registry: PluginRegistry | undefined): Promise<PluginLoyalty> {
  if (!registry) return { rules: [] };
  const plugin = registry.get(await tenantProfileId(scope.trx, scope.tenantId));
  if (!plugin?.loyalty) return { rules: [] };
  const effective = await effectiveSettings(scope.trx, scope.tenantId, registry).catch(() => null);
  const resolved = resolveSettingRefs(
    plugin.loyalty,
    effective?.settings ?? {},
    'loyalty',
    [],
  ) as LoyaltyDefinition<string> & {
    pointsPerYuan?: number;
    expiryMonths?: number;
    referralRules?: readonly { value: number }[];
  };
  const finite = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  return {
    pointsPerYuan: finite(resolved.pointsPerYuan),
    expiryMonths: finite(resolved.expiryMonths),
    rules: (plugin.loyalty.referralRules ?? []).flatMap((rule, index) => {
      const value = finite(resolved.referralRules?.[index]?.value);
      return value === undefined
        ? []
        : [
            {
              key: rule.key,
              labelZh: rule.labels['zh-CN'],
              labelEn: rule.labels.en,
              reward: rule.reward,
              value,
            },
          ];
    }),
  };
}

export async function getLoyaltySettings(
  scope: Scope,
  dependencies: LoyaltyDependencies,
): Promise<LoyaltySettingsOutput> {
  const plugin = await pluginLoyalty(scope, dependencies.plugins);
  const own = await selectLoyaltySettings(scope);
  const ownRules = Array.isArray(own?.referral_rules) ? (own.referral_rules as ReferralRuleOutput[]) : null;
  return {
    pointsPerYuan:
      own?.points_per_yuan != null
        ? Number(own.points_per_yuan)
        : (plugin.pointsPerYuan ?? DEFAULT_POINTS_PER_YUAN),
    expiryMonths: own?.expiry_months ?? plugin.expiryMonths ?? DEFAULT_EXPIRY_MONTHS,
    rules: ownRules ?? plugin.rules,
    own: {
      pointsPerYuan: own?.points_per_yuan != null,
      expiryMonths: own?.expiry_months != null,
      rules: ownRules !== null,
    },
  };
}

export async function saveLoyaltySettings(
  scope: MemberScope,
  dependencies: LoyaltyDependencies,
  input: SaveLoyaltySettingsInput,
): Promise<LoyaltySettingsOutput> {
  await upsertLoyaltySettings(scope, {
    pointsPerYuan: input.pointsPerYuan,
    expiryMonths: input.expiryMonths,
    rules: input.rules,
  });
  return getLoyaltySettings(scope, dependencies);
}

function toReferral(row: ReferralRow): ReferralOutput {
  return {
    id: row.id,
    referrerCustomerId: row.referrer_customer_id,
    referrerName: row.referrer_name,
    referredCustomerId: row.referred_customer_id,
    referredLeadId: row.referred_lead_id,
    referredName: row.referred_name,
    ruleKey: row.rule_key,
    rewardKind: row.reward_kind,
    rewardValue: Number(row.reward_value),
    note: row.note,
    status: row.status,
    rewardedAt: row.rewarded_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

const EXPIRY_HORIZON_MS = 30 * 86_400_000;

/** A customer's balance, what expires in 30 days, its last 50 entries, its referrals both ways. */
export async function getCustomerLoyalty(scope: Scope, customerId: string): Promise<CustomerLoyaltyOutput> {
  await getCustomer(scope, customerId);
  const { balance, expiring } = await selectBalance(
    scope,
    customerId,
    new Date(Date.now() + EXPIRY_HORIZON_MS),
  );
  const entries = await selectPointsEntries(scope, customerId, 50);
  const { made, referredBy } = await selectCustomerReferrals(scope, customerId);
  return {
    balance,
    expiringSoon: Math.min(expiring, Math.max(balance, 0)),
    entries: entries.map((entry) => ({
      id: entry.id,
      kind: entry.kind,
      points: entry.points,
      reason: entry.reason,
      orderId: entry.order_id,
      referralId: entry.referral_id,
      expiresAt: entry.expires_at?.toISOString() ?? null,
      createdByName: entry.created_by_name,
      createdAt: entry.created_at.toISOString(),
    })),
    referrals: made.map(toReferral),
    referredBy: referredBy ? toReferral(referredBy) : null,
    discounts: made
      .filter((row) => row.status === 'rewarded' && row.reward_kind === 'discount' && row.rewarded_at)
      .map((row) => ({
        referralId: row.id,
        percent: Number(row.reward_value),
        rewardedAt: (row.rewarded_at as Date).toISOString(),
      })),
  };
}

/**
 * Records that a customer referred a lead or a new customer, under a rule (the first when
 * none is named). The reward waits for the referred customer's first order.
 */
export async function createReferral(
  scope: MemberScope,
  dependencies: LoyaltyDependencies,
  input: CreateReferralInput,
): Promise<ReferralOutput> {
  await getCustomer(scope, input.referrerCustomerId);
  if (input.referredCustomerId) {
    await getCustomer(scope, input.referredCustomerId);
    if (input.referredCustomerId === input.referrerCustomerId)
      throw appError('REFERRAL_SELF', {}, 'referredCustomerId');
    if (await hasCompletedOrder(scope, input.referredCustomerId))
      throw appError('REFERRAL_NOT_NEW', {}, 'referredCustomerId');
  } else if (input.referredLeadId && !(await leadVisible(scope, input.referredLeadId))) {
    throw appError('LEAD_NOT_FOUND', {}, 'referredLeadId');
  }
  const { rules } = await getLoyaltySettings(scope, dependencies);
  const rule = input.ruleKey ? rules.find((candidate) => candidate.key === input.ruleKey) : rules[0];
  if (!rule) throw appError('REFERRAL_RULE_UNKNOWN', {}, 'ruleKey');
  const id = await insertReferral(scope, {
    referrerCustomerId: input.referrerCustomerId,
    referredCustomerId: input.referredCustomerId ?? null,
    referredLeadId: input.referredLeadId ?? null,
    ruleKey: rule.key,
    rewardKind: rule.reward,
    rewardValue: rule.value,
    note: input.note ?? null,
  });
  if (id === 'TAKEN')
    throw appError('REFERRAL_TAKEN', {}, input.referredLeadId ? 'referredLeadId' : 'referredCustomerId');
  return referralOrThrow(scope, id);
}

async function referralOrThrow(scope: Scope, id: string): Promise<ReferralOutput> {
  const row = await selectReferral(scope, id);
  if (!row) throw appError('REFERRAL_NOT_FOUND');
  // Seen through its referrer: another member's customer's referral is not found.
  await getCustomer(scope, row.referrer_customer_id).catch(() => {
    throw appError('REFERRAL_NOT_FOUND');
  });
  return toReferral(row);
}

/** Cancels a referral still waiting for its reward. */
export async function cancelReferral(scope: MemberScope, id: string): Promise<ReferralOutput> {
  await referralOrThrow(scope, id);
  if ((await cancelReferralRow(scope, id)) === 0) throw appError('REFERRAL_NOT_PENDING');
  return referralOrThrow(scope, id);
}

async function expiryOf(scope: Scope, dependencies: LoyaltyDependencies): Promise<Date | null> {
  const { expiryMonths } = await getLoyaltySettings(scope, dependencies);
  if (expiryMonths <= 0) return null;
  const at = new Date();
  at.setMonth(at.getMonth() + expiryMonths);
  return at;
}

/** Adds or takes off points by hand, with the reason; never below zero. */
export async function adjustPoints(
  scope: MemberScope,
  dependencies: LoyaltyDependencies,
  input: AdjustPointsInput,
): Promise<CustomerLoyaltyOutput> {
  await getCustomer(scope, input.customerId);
  await lockCustomerPoints(scope, input.customerId);
  if (input.points < 0) {
    const { balance } = await selectBalance(scope, input.customerId, new Date());
    if (balance + input.points < 0) throw appError('POINTS_INSUFFICIENT', { balance }, 'points');
  }
  await insertPointsEntry(scope, {
    customerId: input.customerId,
    kind: 'adjust',
    points: input.points,
    reason: input.reason,
    expiresAt: input.points > 0 ? await expiryOf(scope, dependencies) : null,
  });
  return getCustomerLoyalty(scope, input.customerId);
}

/** Spends points (a gift, a discount at the till), at most the balance. */
export async function redeemPoints(
  scope: MemberScope,
  input: RedeemPointsInput,
): Promise<CustomerLoyaltyOutput> {
  await getCustomer(scope, input.customerId);
  await lockCustomerPoints(scope, input.customerId);
  const { balance } = await selectBalance(scope, input.customerId, new Date());
  if (balance < input.points) throw appError('POINTS_INSUFFICIENT', { balance }, 'points');
  await insertPointsEntry(scope, {
    customerId: input.customerId,
    kind: 'redeem',
    points: -input.points,
    reason: input.reason,
    expiresAt: null,
  });
  return getCustomerLoyalty(scope, input.customerId);
}

/**
 * Run by the orders service after orders of these customers changed: points for completed
 * orders at the tenant's rate, back for voided or refunded ones, and the referral rewards
 * now due. Idempotent.
 */
export async function settleCustomerOrders(
  scope: Scope,
  dependencies: LoyaltyDependencies,
  customerIds: readonly string[],
) {
  const settings = await getLoyaltySettings(scope, dependencies);
  return settleOrders(scope, customerIds, settings.pointsPerYuan, settings.expiryMonths);
}

/** Every order of the tenant not settled yet (the nightly catch-up after imports). */
export async function settleTenantOrders(scope: Scope, dependencies: LoyaltyDependencies) {
  const settings = await getLoyaltySettings(scope, dependencies);
  return settleOrders(scope, null, settings.pointsPerYuan, settings.expiryMonths);
}

/** The daily expiry of one tenant's points. */
export async function expireTenantPoints(scope: Scope, at: Date = new Date()): Promise<number> {
  return expirePoints(scope, at);
}
