import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export const CUSTOMER_KINDS = ['person', 'company'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

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
};
export type Customer = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
