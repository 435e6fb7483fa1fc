import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export const TIER_CHANGE_REASONS = ['retier', 'settings', 'quarterly', 'plugin', 'change'] as const;
/** Why a re-tier ran: on demand, after a settings save, the quarterly job, a change of profile, the customer's own change. */
export type TierChangeReason = (typeof TIER_CHANGE_REASONS)[number];

/** One move of a customer between tiers (from_tier null: its first placement). */
export type TierHistoryTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  from_tier: string | null;
  to_tier: string;
  /** numeric: a decimal string. */
  score: ColumnType<string | null, string | number | null, never>;
  reason: TierChangeReason;
  settings_version: number | null;
  changed_by: string | null;
  changed_at: CreatedAt;
};
export type TierHistoryEntry = Selectable<TierHistoryTable>;

/** A tenant's industry plugin and settings overrides, one row per saved version (latest in force). */
export type TenantPluginSettingsTable = {
  tenant_id: string;
  version: number;
  plugin_id: string;
  overrides: ColumnType<Record<string, unknown>, string | undefined, never>;
  settings_version: number;
  changed_by: string | null;
  changed_at: CreatedAt;
  note: string | null;
};
export type TenantPluginSettings = Selectable<TenantPluginSettingsTable>;

/** A customer whose tier is to be recomputed by the tenant's next incremental re-tier. */
export type TierTouchesTable = {
  tenant_id: string;
  customer_id: string;
  touched_at: CreatedAt;
};

/**
 * A customer's tier placement, kept apart from the wide customer row (a re-tier writes only
 * these narrow rows). No row: not placed yet.
 */
export type CustomerTiersTable = {
  tenant_id: string;
  customer_id: string;
  tier: string;
  /** 0–100 as a decimal string; null for value-threshold models. */
  score: ColumnType<string | null, string | number | null, string | number | null>;
  explanation: ColumnType<Record<string, unknown>, string, string>;
  /** When the customer last moved between tiers (or got its first). */
  changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** When the placement was last computed (a full run that changed nothing leaves it: see tenants.tiers_computed_at). */
  computed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  settings_version: number | null;
};
export type CustomerTier = Selectable<CustomerTiersTable>;
