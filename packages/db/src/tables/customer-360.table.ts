import type { BirthdayCalendar, InteractionKind, OrderStatus, PaymentMethod, Sentiment } from '@crm/domain';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export {
  INTERACTION_KINDS,
  type InteractionKind,
  ORDER_STATUSES,
  type OrderStatus,
  PAYMENT_METHODS,
  type PaymentMethod,
  SENTIMENTS,
  type Sentiment,
} from '@crm/domain';

import type { LifecycleStage } from './customers.table';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** numeric columns arrive as strings (never floats). */
type Numeric = ColumnType<string, string | number, string | number>;
/** date columns are read as 'YYYY-MM-DD' strings (see the connection's type parsers). */
type DateOnly = ColumnType<string | null, string | null | undefined, string | null>;

export type TeamsTable = { tenant_id: string; id: Generated<string>; name: string; created_at: CreatedAt };

export type ContactsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  name: string;
  title: string | null;
  phones: ColumnType<string[], string[] | undefined, string[]>;
  emails: ColumnType<string[], string[] | undefined, string[]>;
  birthday: DateOnly;
  /** 公历 or 农历, as on customers. */
  birthday_calendar: ColumnType<BirthdayCalendar, BirthdayCalendar | undefined, BirthdayCalendar>;
  anniversary_on: DateOnly;
  is_primary: ColumnType<boolean, boolean | undefined, boolean>;
  note: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};
export type Contact = Selectable<ContactsTable>;

export type OrdersTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  order_number: string | null;
  ordered_at: ColumnType<Date, Date | string, Date | string>;
  currency: ColumnType<string, string | undefined, string>;
  amount: Numeric;
  profit: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  payment_method: PaymentMethod | null;
  status: ColumnType<OrderStatus, OrderStatus | undefined, OrderStatus>;
  void_reason: string | null;
  note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};
export type Order = Selectable<OrdersTable>;
export type NewOrder = Insertable<OrdersTable>;

export type OrderLinesTable = {
  tenant_id: string;
  order_id: string;
  line_no: number;
  product: string;
  quantity: Numeric;
  unit_price: Numeric;
};

export type InteractionsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  contact_id: string | null;
  kind: InteractionKind;
  occurred_at: ColumnType<Date, Date | string, Date | string>;
  user_id: string | null;
  summary: string;
  outcome: string | null;
  next_step: string | null;
  next_step_due: DateOnly;
  sentiment: ColumnType<Sentiment, Sentiment | undefined, Sentiment>;
  created_at: CreatedAt;
};
export type Interaction = Selectable<InteractionsTable>;

export type LifecycleChangesTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  from_stage: LifecycleStage;
  to_stage: LifecycleStage;
  changed_at: CreatedAt;
  reason: 'order' | 'daily' | 'interaction' | 'settings' | 'import';
};

/** `call`: a mutation that wrote no other audit row (its procedure is the action). */
export type AuditEntity = 'customer' | 'contact' | 'order' | 'interaction' | 'call';
export type AuditLogTable = {
  tenant_id: string;
  id: Generated<string>;
  occurred_at: CreatedAt;
  actor_user_id: string | null;
  entity: AuditEntity;
  entity_id: string;
  customer_id: string | null;
  /** A record's change, or (entity `call`) the procedure of a mutation that wrote no other audit row. */
  action: 'create' | 'update' | 'delete' | 'reveal' | 'merge' | 'unmerge' | 'create_anyway' | (string & {});
  changes: ColumnType<Record<string, { from: unknown; to: unknown }>, never, never>;
  /** The request behind the row (its x-request-id), set by the column's default from `app.request_id`. */
  request_id: ColumnType<string | null, never, never>;
};
