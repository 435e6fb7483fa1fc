import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/** Industry profiles a tenant can start from; each maps to a plugin under plugins/. */
export const INDUSTRY_PROFILES = ['retail', 'b2b', 'corporate-banking'] as const;
export type IndustryProfile = (typeof INDUSTRY_PROFILES)[number];

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
};
export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;
