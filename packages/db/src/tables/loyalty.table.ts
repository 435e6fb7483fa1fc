import type { ColumnType, Generated, Selectable } from 'kysely';

type Instant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Created = ColumnType<Date, Date | string | undefined, never>;

/** Who referred whom (转介绍) and its reward (migration 2026-12-12-0301-loyalty). */
export type ReferralsTable = {
  tenant_id: string;
  id: Generated<string>;
  referrer_customer_id: string;
  referred_customer_id: string | null;
  referred_lead_id: string | null;
  rule_key: string;
  reward_kind: 'points' | 'discount';
  reward_value: ColumnType<string, string | number, string | number>;
  note: string | null;
  status: ColumnType<'pending' | 'rewarded' | 'cancelled', 'pending' | 'rewarded' | 'cancelled' | undefined>;
  rewarded_at: Instant;
  reward_order_id: string | null;
  created_by: string | null;
  created_at: Created;
};

export const LOYALTY_ENTRY_KINDS = ['earn', 'referral', 'adjust', 'redeem', 'expire', 'reversal'] as const;
export type LoyaltyEntryKind = (typeof LOYALTY_ENTRY_KINDS)[number];

/** The insert-only ledger of a customer's growth points (成长值); the balance is its sum. */
export type LoyaltyPointsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  kind: LoyaltyEntryKind;
  points: number;
  reason: string | null;
  order_id: string | null;
  referral_id: string | null;
  expires_at: Instant;
  created_by: string | null;
  created_at: Created;
};

/** The tenant's own points rate, expiry and referral rules; null takes the plugin's. */
export type LoyaltySettingsTable = {
  tenant_id: string;
  points_per_yuan: ColumnType<string | null, string | number | null, string | number | null>;
  expiry_months: number | null;
  referral_rules: ColumnType<unknown, string | null, string | null>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type Referral = Selectable<ReferralsTable>;
