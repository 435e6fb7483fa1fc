import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;
type Money = ColumnType<string, string | number | undefined, string | number>;

/** A note on a customer's timeline (备注), e.g. brought by an import. */
export type CustomerNotesTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  body: string;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  import_run_id: string | null;
};

/**
 * The transaction figures another system had for a customer as of a date (导入的期初数据):
 * the derived facts add the completed orders placed after `as_of` to them.
 */
export type CustomerOpeningBalancesTable = {
  tenant_id: string;
  customer_id: string;
  as_of: DateOnly;
  amount_12m: Money;
  amount_lifetime: Money;
  order_count: ColumnType<number, number | undefined, number>;
  last_deal_on: ColumnType<string | null, string | null | undefined, string | null>;
  import_run_id: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
