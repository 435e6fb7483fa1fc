import type { Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { appError } from '../errors';
import { decodeTimestampCursor, encodeTimestampCursor, violatedConstraint } from '../keyset';
import type { ListOrdersInput, OrderOutput } from './orders.schemas';

function selectOrders(trx: Transaction<Database>, tenantId: string, access: RecordAccess) {
  return trx
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
    .where('orders.tenant_id', '=', tenantId)
    .where(visibleCustomer(access));
}

type OrderRow = Awaited<ReturnType<ReturnType<typeof selectOrders>['executeTakeFirstOrThrow']>>;

function toOutput(row: OrderRow): OrderOutput {
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

export async function getOrderOrThrow(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  id: string,
) {
  const row = await selectOrders(trx, tenantId, access).where('orders.id', '=', id).executeTakeFirst();
  if (!row) throw appError('ORDER_NOT_FOUND');
  return toOutput(row);
}

export async function listOrders(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  input: ListOrdersInput,
) {
  let query = selectOrders(trx, tenantId, access);
  if (input.customerId) query = query.where('orders.customer_id', '=', input.customerId);
  if (!input.includeVoid) query = query.where('orders.status', '<>', 'void');
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
    items: page.map(toOutput),
    nextCursor: rows.length > input.limit && last ? encodeTimestampCursor(last.sort_key, last.id) : null,
  };
}

export type OrderLineValues = { product: string; quantity: string; unitPrice: string };

/** Replaces an order's lines and, when it has any, sets its amount to their total — in SQL, in decimals. */
export async function replaceOrderLines(
  trx: Transaction<Database>,
  tenantId: string,
  orderId: string,
  lines: OrderLineValues[],
) {
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
export async function totalOfLines(trx: Transaction<Database>, lines: OrderLineValues[]): Promise<string> {
  const { rows } = await sql<{ total: string }>`
    select round(sum(l.quantity * l.unit_price), 2)::text as total
    from unnest(${lines.map((line) => line.quantity)}::numeric[], ${lines.map((line) => line.unitPrice)}::numeric[])
      as l(quantity, unit_price)`.execute(trx);
  return rows[0]?.total ?? '0';
}

export function isOrderNumberTaken(error: unknown): boolean {
  return violatedConstraint(error, '23505')?.includes('orders_number_key') ?? false;
}
