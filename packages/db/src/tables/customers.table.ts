import type {
  ActivityLevel,
  BirthdayCalendar,
  CustomerKind,
  LifecycleStage,
  NeedType,
  ValueLevel,
} from '@crm/domain';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export {
  ACTIVITY_LEVELS,
  type ActivityLevel,
  BIRTHDAY_CALENDARS,
  type BirthdayCalendar,
  CUSTOMER_KINDS,
  type CustomerKind,
  LIFECYCLE_STAGES,
  type LifecycleStage,
  NEED_TYPES,
  type NeedType,
  VALUE_LEVELS,
  type ValueLevel,
} from '@crm/domain';

/** A custom field's stored value: text, number/money as a decimal string, date, option(s), yes/no. */
export type CustomFieldValue = string | boolean | string[] | null;

export type Address = {
  label?: string;
  province?: string;
  city?: string;
  district?: string;
  street?: string;
  postcode?: string;
};

/** numeric columns arrive as strings (never floats); they are written as strings too. */
type Money = ColumnType<string, string | number | undefined, string | number>;

export type CustomersTable = {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  kind: CustomerKind;
  phone: string | null;
  email: string | null;
  owner_user_id: string | null;
  created_by: string | null;
  archived_at: Date | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  customer_number: string | null;
  /** The id another system knows the customer by (unique in the tenant; the REST API's batch upsert). */
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  industry: string | null;
  birthday: ColumnType<string | null, string | null | undefined, string | null>;
  /** 公历 or 农历: a lunar birthday is celebrated on the lunar anniversary of `birthday`. */
  birthday_calendar: ColumnType<BirthdayCalendar, BirthdayCalendar | undefined, BirthdayCalendar>;
  founded_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** 首次合作时间: when the relationship began (imported from another system or typed). */
  first_cooperation_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** 纪念日: a date the customer keeps (a wedding, a membership anniversary …). */
  anniversary_on: ColumnType<string | null, string | null | undefined, string | null>;
  addresses: ColumnType<Address[], string | undefined, string>;
  explicit_needs: string | null;
  implicit_needs: string | null;
  pain_points: string | null;
  purchase_plan: string | null;
  purchase_plan_amount: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  purchase_plan_expected_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** Derived from orders, maintained in SQL. */
  first_deal_at: ColumnType<Date | null, never, Date | null>;
  last_deal_at: ColumnType<Date | null, never, Date | null>;
  order_count: ColumnType<number, never, number>;
  amount_12m: Money;
  amount_lifetime: Money;
  lifecycle_stage: ColumnType<LifecycleStage, never, LifecycleStage>;
  lifecycle_changed_at: ColumnType<Date | null, never, Date | null>;
  /** Free tags (ids into tags). */
  tag_ids: ColumnType<string[], string[] | undefined, string[]>;
  custom_fields: ColumnType<Record<string, CustomFieldValue>, string | undefined, string>;
  need_type: NeedType | null;
  /** System tags derived from orders and interactions, maintained in SQL. */
  value_level: ColumnType<ValueLevel, never, ValueLevel>;
  activity_level: ColumnType<ActivityLevel, never, ActivityLevel>;
  recent_touches: ColumnType<number, never, number>;
  /** Weighted share of the tenant's key fields that are filled, 0–100, maintained in SQL. */
  completeness: ColumnType<number, never, number>;
  search_grams: ColumnType<string[], never, never>;
  /** Unified social credit code (统一社会信用代码), stored in its canonical form (check digit valid). */
  credit_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set on a customer merged into another (a tombstone, archived and hidden from lists). */
  merged_into: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * Set while the customer waits for the next full run (待重算): a large tenant whose model ranks
   * customers. The tier placement itself is a row of customer_tiers, written by the re-tier.
   */
  tier_pending_since: ColumnType<Date | null, never, Date | null>;
  /** 公海: in the public pool (then without an owner), since when. */
  in_pool: ColumnType<boolean, boolean | undefined, boolean>;
  released_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the current owner got the customer: kept by a trigger on every change of owner. */
  owner_assigned_at: ColumnType<Date | null, never, never>;
};
export type Customer = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
