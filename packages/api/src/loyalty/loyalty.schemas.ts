import { userText } from '@crm/domain';
import { KEY_PATTERN, REFERRAL_REWARD_KINDS } from '@crm/plugin-sdk';
import { z } from 'zod';

/** What a ledger entry records. */
export const LOYALTY_ENTRY_KINDS = ['earn', 'referral', 'adjust', 'redeem', 'expire', 'reversal'] as const;

/** A referral rule (转介绍规则), the plugin's or the tenant's own. */
export const referralRuleOutput = z.object({
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  reward: z.enum(REFERRAL_REWARD_KINDS),
  /** Points, or percent off. */
  value: z.number(),
});
export type ReferralRuleOutput = z.infer<typeof referralRuleOutput>;

/** The effective rate, expiry and rules (the tenant's where set, else the plugin's, else the defaults). */
export const loyaltySettingsOutput = z.object({
  pointsPerYuan: z.number(),
  expiryMonths: z.number().int(),
  rules: z.array(referralRuleOutput),
  /** Which values are the tenant's own (the rest come from the plugin or the defaults). */
  own: z.object({ pointsPerYuan: z.boolean(), expiryMonths: z.boolean(), rules: z.boolean() }),
});
export type LoyaltySettingsOutput = z.infer<typeof loyaltySettingsOutput>;

const ruleInput = z.strictObject({
  key: z.string().regex(KEY_PATTERN),
  labelZh: userText({ required: true, max: 60 }),
  labelEn: userText({ required: true, max: 60 }),
  reward: z.enum(REFERRAL_REWARD_KINDS),
  value: z.number().positive().max(1_000_000),
});

/** null: back to the plugin's value. */
export const saveLoyaltySettingsInput = z.strictObject({
  pointsPerYuan: z.number().min(0).max(100).nullable(),
  expiryMonths: z.number().int().min(0).max(120).nullable(),
  rules: z
    .array(ruleInput)
    .max(20)
    .nullable()
    .refine((rules) => !rules || new Set(rules.map((rule) => rule.key)).size === rules.length, {
      error: 'each rule needs its own key',
    })
    .refine((rules) => !rules || rules.every((rule) => rule.reward === 'points' || rule.value <= 100), {
      error: 'a discount is at most 100 %',
    }),
});
export type SaveLoyaltySettingsInput = z.infer<typeof saveLoyaltySettingsInput>;

export const referralOutput = z.object({
  id: z.uuid(),
  referrerCustomerId: z.uuid(),
  referrerName: z.string(),
  referredCustomerId: z.uuid().nullable(),
  referredLeadId: z.uuid().nullable(),
  /** The referred customer's or lead's name. */
  referredName: z.string(),
  ruleKey: z.string(),
  rewardKind: z.enum(REFERRAL_REWARD_KINDS),
  rewardValue: z.number(),
  note: z.string().nullable(),
  status: z.enum(['pending', 'rewarded', 'cancelled']),
  rewardedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ReferralOutput = z.infer<typeof referralOutput>;

export const pointsEntryOutput = z.object({
  id: z.uuid(),
  kind: z.enum(LOYALTY_ENTRY_KINDS),
  points: z.number().int(),
  reason: z.string().nullable(),
  orderId: z.uuid().nullable(),
  referralId: z.uuid().nullable(),
  expiresAt: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});
export type PointsEntryOutput = z.infer<typeof pointsEntryOutput>;

/** A customer's growth points and referrals, for the profile card. */
export const customerLoyaltyOutput = z.object({
  balance: z.number().int(),
  /** Points expiring within the next 30 days (not yet spent). */
  expiringSoon: z.number().int(),
  entries: z.array(pointsEntryOutput),
  /** Whom this customer referred. */
  referrals: z.array(referralOutput),
  /** Who referred this customer (or the lead it was). */
  referredBy: referralOutput.nullable(),
  /** Discounts earned by referrals (percent off), not yet used up in this product's view. */
  discounts: z.array(z.object({ referralId: z.uuid(), percent: z.number(), rewardedAt: z.string() })),
});
export type CustomerLoyaltyOutput = z.infer<typeof customerLoyaltyOutput>;

export const customerIdInput = z.strictObject({ customerId: z.uuid() });

export const createReferralInput = z
  .strictObject({
    referrerCustomerId: z.uuid(),
    referredCustomerId: z.uuid().optional(),
    referredLeadId: z.uuid().optional(),
    /** Omitted: the first rule. */
    ruleKey: z.string().regex(KEY_PATTERN).optional(),
    note: userText({ multiline: true, max: 500 }).nullish(),
  })
  .refine((input) => (input.referredCustomerId === undefined) !== (input.referredLeadId === undefined), {
    path: ['referredCustomerId'],
    error: 'name the referred customer or the lead, one of them',
  });
export type CreateReferralInput = z.infer<typeof createReferralInput>;

export const referralIdInput = z.strictObject({ id: z.uuid() });

export const adjustPointsInput = z.strictObject({
  customerId: z.uuid(),
  /** Added (positive) or taken off (negative). */
  points: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((points) => points !== 0, { error: 'not zero' }),
  reason: userText({ required: true, max: 500 }),
});
export type AdjustPointsInput = z.infer<typeof adjustPointsInput>;

export const redeemPointsInput = z.strictObject({
  customerId: z.uuid(),
  points: z.number().int().min(1).max(1_000_000),
  reason: userText({ required: true, max: 500 }),
});
export type RedeemPointsInput = z.infer<typeof redeemPointsInput>;
