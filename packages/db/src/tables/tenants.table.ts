import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/** The industry profiles that ship with the product (plugins/), used by the demo seed. */
export const INDUSTRY_PROFILES = ['retail', 'b2b', 'corporate-banking'] as const;
/**
 * A tenant's industry profile: the id of an industry plugin (kebab-case). Any plugin the server
 * is configured with may be chosen, not only the shipped ones.
 */
export type IndustryProfile = string;
/** The shape of a plugin id, as the database checks it. */
export const INDUSTRY_PROFILE_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export type TenantsTable = {
  /** The tenant's own id is its tenant_id everywhere else. */
  id: string;
  name: string;
  industry: IndustryProfile;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  currency: ColumnType<string, string | undefined, string>;
  lifecycle_at_risk_days: ColumnType<number, number | undefined, number>;
  lifecycle_dormant_days: ColumnType<number, number | undefined, number>;
  lifecycle_loyal_orders: ColumnType<number, number | undefined, number>;
  value_high_amount: ColumnType<string, string | undefined, string>;
  value_mid_amount: ColumnType<string, string | undefined, string>;
  activity_window_days: ColumnType<number, number | undefined, number>;
  activity_high_touches: ColumnType<number, number | undefined, number>;
  activity_mid_touches: ColumnType<number, number | undefined, number>;
  /** Key field → weight, for completeness. */
  completeness_weights: ColumnType<Record<string, number>, string | undefined, string>;
  /** When the tenant's customers were last re-tiered all together (maintained by the re-tier). */
  tiers_computed_at: ColumnType<Date | null, never, Date | null>;
  /** Every maintenance plan waits for a manager's approval before it makes tasks. */
  plans_require_approval: ColumnType<boolean, boolean | undefined, boolean>;
  /** How many days ahead maintenance plans put their occurrences on the task list. */
  plan_horizon_days: ColumnType<number, number | undefined, number>;
};
export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;
