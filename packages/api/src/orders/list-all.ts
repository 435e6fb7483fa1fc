import { type Database, ORDER_STATUSES, PAYMENT_METHODS, type Transaction } from '@crm/db';
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import { z } from 'zod';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { dateInput } from '../customers/customers.schemas';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import { orderOutput } from './orders.schemas';

/** Days are read in Beijing time, as the people filtering think of them. */
const LOCAL_ZONE = 'Asia/Shanghai';

/** The tenant-wide orders list's filters (exports take the same). */
export const orderFilterFields = {
  from: dateInput.optional(),
  to: dateInput.optional(),
  customerId: z.uuid().optional(),
  /** Orders of customers owned by these members. */
  ownerUserIds: z.array(z.uuid()).max(100).optional(),
  statuses: z.array(z.enum(ORDER_STATUSES)).max(ORDER_STATUSES.length).optional(),
  paymentMethods: z.array(z.enum(PAYMENT_METHODS)).max(PAYMENT_METHODS.length).optional(),
};
export const orderFiltersInput = z.strictObject(orderFilterFields);
export type OrderFilters = z.infer<typeof orderFiltersInput>;

export const listAllOrdersInput = z
  .strictObject({
    ...orderFilterFields,
    cursor: z.string().max(300).nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ limit: 50 });

export const orderListItemOutput = orderOutput.omit({ lines: true, voidReason: true }).extend({
  ownerName: z.string().nullable(),
  lineCount: z.number().int(),
});

/** Start of a local day as a timestamptz. */
function localDay(day: string, plusDays = 0): RawBuilder<Date> {
  return sql<Date>`((${day}::date + ${plusDays}::int)::timestamp at time zone ${LOCAL_ZONE})`;
}

/**
 * Every filter of the orders list, and record access through the order's customer, as one
 * condition over `orders` joined to `customers`.
 */
export function orderConditions(tenantId: string, access: RecordAccess, filters: OrderFilters) {
  return (eb: ExpressionBuilder<Database, 'orders' | 'customers'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [
      eb('orders.tenant_id', '=', tenantId),
      visibleCustomer(access) as unknown as Expression<SqlBool>,
    ];
    if (filters.from) conditions.push(eb('orders.ordered_at', '>=', localDay(filters.from)));
    if (filters.to) conditions.push(eb('orders.ordered_at', '<', localDay(filters.to, 1)));
    if (filters.customerId) conditions.push(eb('orders.customer_id', '=', filters.customerId));
    if (filters.ownerUserIds?.length)
      conditions.push(eb('customers.owner_user_id', 'in', filters.ownerUserIds));
    if (filters.statuses?.length) conditions.push(eb('orders.status', 'in', filters.statuses));
    if (filters.paymentMethods?.length)
      conditions.push(eb('orders.payment_method', 'in', filters.paymentMethods));
    return eb.and(conditions);
  };
}

/** Orders and their customers, filtered, newest first (the export reads the same ids). */
export function selectFilteredOrders(
  trx: Transaction<Database> | Kysely<Database>,
  tenantId: string,
  access: RecordAccess,
  filters: OrderFilters,
) {
  return trx
    .selectFrom('orders')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'orders.tenant_id')
        .onRef('customers.id', '=', 'orders.customer_id'),
    )
    .where(orderConditions(tenantId, access, filters));
}

export async function listAllOrders(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  input: z.infer<typeof listAllOrdersInput>,
) {
  let query = selectFilteredOrders(trx, tenantId, access, input)
    .leftJoin('users as owner', 'owner.id', 'customers.owner_user_id')
    .select([
      'orders.id',
      'orders.customer_id',
      'customers.name as customer_name',
      'owner.name as owner_name',
      'orders.order_number',
      'orders.ordered_at',
      'orders.currency',
      'orders.amount',
      'orders.profit',
      'orders.payment_method',
      'orders.status',
      'orders.note',
      'orders.created_at',
      sql<string>`orders.ordered_at::text`.as('sort_key'),
      sql<number>`(select count(*)::int from order_lines l
        where l.tenant_id = orders.tenant_id and l.order_id = orders.id)`.as('line_count'),
    ]);
  if (input.cursor) {
    const { timestamp, id } = decodeTimestampCursor(input.cursor);
    query = query.where(
      sql<boolean>`(orders.ordered_at, orders.id) < (${timestamp}::text::timestamptz, ${id}::uuid)`,
    );
  }
  const rows = await query
    .orderBy('orders.ordered_at', 'desc')
    .orderBy('orders.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      customerName: row.customer_name,
      ownerName: row.owner_name,
      orderNumber: row.order_number,
      orderedAt: row.ordered_at.toISOString(),
      currency: row.currency,
      amount: row.amount,
      profit: row.profit,
      paymentMethod: row.payment_method,
      status: row.status,
      note: row.note,
      lineCount: row.line_count,
      createdAt: row.created_at.toISOString(),
    })),
    nextCursor: rows.length > input.limit && last ? encodeTimestampCursor(last.sort_key, last.id) : null,
  };
}
