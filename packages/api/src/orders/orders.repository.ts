import type { Database, Transaction } from '@crm/db';
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import { type CountOutput, countRows } from '../counts';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { violatedConstraint } from '../keyset';
import type { Scope } from '../scope';
import type { OrderFilters, OrderOutput } from './orders.schemas';

/**
 * Every query of orders. Functions take the scope first (its executor, tenant and record
 * access: an order is seen through its customer) and return rows or counts; they throw
 * nothing of their own but what the database raises (the service decides what a missing
 * order or a taken number means).
 */

/** Days are read in Beijing time, as the people filtering think of them. */
const LOCAL_ZONE = 'Asia/Shanghai';

/** A keyset position in a newest-first list: the order's time (as text) and its id. */
export type OrderCursor = { timestamp: string; id: string };

function selectOrderRows(scope: Scope) {
  return scope.trx
    .selectFrom('orders')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'orders.tenant_id')
        .onRef('customers.id', '=', 'orders.customer_id'),
    )
    .select([
      'orders.id',
      'orders.customer_id',
      'customers.name as customer_name',
      'orders.order_number',
      'orders.ordered_at',
      'orders.currency',
      'orders.amount',
      'orders.profit',
      'orders.payment_method',
      'orders.status',
      'orders.void_reason',
      'orders.note',
      'orders.created_at',
      sql<string>`orders.ordered_at::text`.as('sort_key'),
      sql<{ product: string; quantity: string; unitPrice: string; amount: string }[]>`coalesce((
        select json_agg(json_build_object('product', l.product, 'quantity', l.quantity::text,
          'unitPrice', l.unit_price::text, 'amount', round(l.quantity * l.unit_price, 2)::text) order by l.line_no)
        from order_lines l where l.tenant_id = orders.tenant_id and l.order_id = orders.id), '[]'::json)`.as(
        'lines',
      ),
    ])
    .where('orders.tenant_id', '=', scope.tenantId)
    .where(visibleCustomer(scope.access));
}

/** An order with its customer's name, its lines and its keyset position. */
export type OrderRow = Awaited<ReturnType<ReturnType<typeof selectOrderRows>['executeTakeFirstOrThrow']>>;

export function toOrderOutput(row: OrderRow): OrderOutput {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    orderNumber: row.order_number,
    orderedAt: row.ordered_at.toISOString(),
    currency: row.currency,
    amount: row.amount,
    profit: row.profit,
    paymentMethod: row.payment_method,
    status: row.status,
    voidReason: row.void_reason,
    note: row.note,
    lines: row.lines,
    createdAt: row.created_at.toISOString(),
  };
}

/** The order, when it exists and its customer is visible; undefined otherwise. */
export function selectOrder(scope: Scope, id: string): Promise<OrderRow | undefined> {
  return selectOrderRows(scope).where('orders.id', '=', id).executeTakeFirst();
}

/** Up to `limit` orders after the cursor, newest first (a customer's, or every visible one). */
export function selectOrderPage(
  scope: Scope,
  filters: { customerId?: string; includeVoid: boolean },
  after: OrderCursor | null,
  limit: number,
): Promise<OrderRow[]> {
  let query = selectOrderRows(scope);
  if (filters.customerId) query = query.where('orders.customer_id', '=', filters.customerId);
  if (!filters.includeVoid) query = query.where('orders.status', '<>', 'void');
  if (after) {
    query = query.where(
      sql<boolean>`(orders.ordered_at, orders.id) < (${after.timestamp}::text::timestamptz, ${after.id}::uuid)`,
    );
  }
  return query.orderBy('orders.ordered_at', 'desc').orderBy('orders.id', 'desc').limit(limit).execute();
}

/** Start of a local day as a timestamptz. */
function localDay(day: string, plusDays = 0): RawBuilder<Date> {
  return sql<Date>`((${day}::date + ${plusDays}::int)::timestamp at time zone ${LOCAL_ZONE})`;
}

/**
 * Every filter of the orders list, and record access through the order's customer, as one
 * condition over `orders` joined to `customers`.
 */
function orderConditions(tenantId: string, access: RecordAccess, filters: OrderFilters) {
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

/**
 * Orders and their customers, filtered, newest first (the export reads the same ids). It
 * takes an executor rather than a scope: the export also compiles it against the pool, for
 * the COPY it runs on a connection of its own.
 */
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

/** How many orders the tenant-wide list's filters match (exact up to a cap). */
export function countOrders(scope: Scope, filters: OrderFilters): Promise<CountOutput> {
  const rows = selectFilteredOrders(scope.trx, scope.tenantId, scope.access, filters).select(
    sql`1`.as('one'),
  );
  return countRows(scope.trx, rows);
}

/** Up to `limit` orders of the tenant-wide list after the cursor, with owner and line count. */
export function selectOrderListPage(
  scope: Scope,
  filters: OrderFilters,
  after: OrderCursor | null,
  limit: number,
) {
  let query = selectFilteredOrders(scope.trx, scope.tenantId, scope.access, filters)
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
  if (after) {
    query = query.where(
      sql<boolean>`(orders.ordered_at, orders.id) < (${after.timestamp}::text::timestamptz, ${after.id}::uuid)`,
    );
  }
  return query.orderBy('orders.ordered_at', 'desc').orderBy('orders.id', 'desc').limit(limit).execute();
}

export type OrderValues = {
  customerId: string;
  orderNumber: string | null;
  orderedAt: string;
  currency: string;
  amount: string;
  profit: string | null;
  paymentMethod: OrderOutput['paymentMethod'];
  status: 'pending' | 'completed' | 'refunded';
  note: string | null;
};

/** The new order's id, or 'NUMBER_TAKEN' when the tenant has an order of that number. */
export async function insertOrder(
  scope: Scope,
  values: OrderValues,
): Promise<{ id: string } | 'NUMBER_TAKEN'> {
  return numberTaken(
    scope.trx
      .insertInto('orders')
      .values({
        tenant_id: scope.tenantId,
        customer_id: values.customerId,
        order_number: values.orderNumber,
        ordered_at: values.orderedAt,
        currency: values.currency,
        amount: values.amount,
        profit: values.profit,
        payment_method: values.paymentMethod,
        status: values.status,
        note: values.note,
        created_by: scope.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
}

/** The columns an update sets; fields left out stay as they are. */
export type OrderChanges = {
  order_number?: string | null;
  ordered_at?: string;
  currency?: string;
  amount?: string;
  profit?: string | null;
  payment_method?: OrderOutput['paymentMethod'];
  status?: 'pending' | 'completed' | 'refunded';
  note?: string | null;
};

/** Changes an order (its updated time moves); 'NUMBER_TAKEN' when the number is another order's. */
export async function updateOrderRow(
  scope: Scope,
  id: string,
  changes: OrderChanges,
): Promise<'NUMBER_TAKEN' | undefined> {
  const result = await numberTaken(
    scope.trx
      .updateTable('orders')
      .set({ ...changes, updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', id)
      .execute(),
  );
  return result === 'NUMBER_TAKEN' ? result : undefined;
}

/** Marks an order void, with the reason. */
export async function setOrderVoid(scope: Scope, id: string, reason: string): Promise<void> {
  await scope.trx
    .updateTable('orders')
    .set({ status: 'void', void_reason: reason, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
}

export type OrderLineValues = { product: string; quantity: string; unitPrice: string };

/** Replaces an order's lines and, when it has any, sets its amount to their total — in SQL, in decimals. */
export async function replaceOrderLines(scope: Scope, orderId: string, lines: OrderLineValues[]) {
  const { trx, tenantId } = scope;
  await trx
    .deleteFrom('order_lines')
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .execute();
  if (lines.length === 0) return;
  await trx
    .insertInto('order_lines')
    .values(
      lines.map((line, index) => ({
        tenant_id: tenantId,
        order_id: orderId,
        line_no: index + 1,
        product: line.product,
        quantity: line.quantity,
        unit_price: line.unitPrice,
      })),
    )
    .execute();
  // Only a real change is written (and so audited).
  await sql`update orders o set amount = t.total
    from (select round(sum(quantity * unit_price), 2) as total from order_lines
          where tenant_id = ${tenantId} and order_id = ${orderId}) t
    where o.tenant_id = ${tenantId} and o.id = ${orderId} and o.amount <> t.total`.execute(trx);
}

/** The total of some lines, in the database's decimals (never a float). */
export async function totalOfLines(scope: Scope, lines: OrderLineValues[]): Promise<string> {
  const { rows } = await sql<{ total: string }>`
    select round(sum(l.quantity * l.unit_price), 2)::text as total
    from unnest(${lines.map((line) => line.quantity)}::numeric[], ${lines.map((line) => line.unitPrice)}::numeric[])
      as l(quantity, unit_price)`.execute(scope.trx);
  return rows[0]?.total ?? '0';
}

async function numberTaken<T>(work: Promise<T>): Promise<T | 'NUMBER_TAKEN'> {
  try {
    return await work;
  } catch (error) {
    if (violatedConstraint(error, '23505')?.includes('orders_number_key')) return 'NUMBER_TAKEN';
    throw error;
  }
}
