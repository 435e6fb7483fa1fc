import { getCustomerOrThrow } from '../customers/customers.repository';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { appError } from '../errors';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import { type LoyaltyDependencies, settleCustomerOrders } from '../loyalty/loyalty.service';
import type { MemberScope, Scope } from '../scope';
import { touchTiers } from '../tiering/tiering.service';
import { recordWebhookEvent } from '../webhooks/webhooks.service';
import {
  countOrders,
  insertOrder,
  type OrderChanges,
  type OrderRow,
  replaceOrderLines,
  selectOrder,
  selectOrderListPage,
  selectOrderPage,
  setOrderVoid,
  toOrderOutput,
  totalOfLines,
  updateOrderRow,
} from './orders.repository';
import type {
  CreateOrderInput,
  ListAllOrdersInput,
  ListOrdersInput,
  OrderFilters,
  OrderListPageOutput,
  OrderOutput,
  OrderPageOutput,
  UpdateOrderInput,
} from './orders.schemas';

/**
 * The use cases of orders. Each runs inside the caller's transaction (`scope.trx`): an order
 * and the facts it changes on its customer (amounts, stage) commit or roll back together.
 * An order is seen through its customer: one the actor cannot see is not found.
 */

/** Not found and not visible answer the same: a rep cannot probe for others' orders. */
async function orderOrThrow(scope: Scope, id: string): Promise<OrderRow> {
  const row = await selectOrder(scope, id);
  if (!row) throw appError('ORDER_NOT_FOUND');
  return row;
}

export async function getOrder(scope: Scope, id: string): Promise<OrderOutput> {
  return toOrderOutput(await orderOrThrow(scope, id));
}

/** A customer's orders (or every visible one), newest first, by keyset pages. */
export async function listOrders(scope: Scope, input: ListOrdersInput): Promise<OrderPageOutput> {
  const after = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const rows = await selectOrderPage(scope, input, after, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toOrderOutput),
    nextCursor: rows.length > input.limit && last ? encodeTimestampCursor(last.sort_key, last.id) : null,
  };
}

/** 共 N 条 of the tenant-wide orders list with these filters. */
export function countOrderList(scope: Scope, filters: OrderFilters) {
  return countOrders(scope, filters);
}

/** Every visible customer's orders, filtered, newest first, by keyset pages. */
export async function listAllOrders(scope: Scope, input: ListAllOrdersInput): Promise<OrderListPageOutput> {
  const after = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const rows = await selectOrderListPage(scope, input, after, input.limit + 1);
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

/** Records an order and re-derives the customer's transaction facts and stage in the same transaction. */
export async function createOrder(
  scope: MemberScope,
  input: CreateOrderInput,
  dependencies: LoyaltyDependencies,
): Promise<OrderOutput> {
  const customer = await getCustomerOrThrow(scope, input.customerId);
  if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
  const lines = input.lines ?? [];
  if (lines.length === 0 && input.amount === undefined) throw appError('ORDER_AMOUNT_REQUIRED', {}, 'amount');
  // With lines, the amount is their total, computed in decimals before the order is written.
  const amount = lines.length > 0 ? await totalOfLines(scope, lines) : (input.amount ?? '0');
  const created = await insertOrder(scope, {
    customerId: input.customerId,
    orderNumber: input.orderNumber ?? null,
    orderedAt: input.orderedAt,
    currency: input.currency ?? customer.currency,
    amount,
    profit: input.profit ?? null,
    paymentMethod: input.paymentMethod ?? null,
    status: input.status ?? 'completed',
    note: input.note ?? null,
  });
  if (created === 'NUMBER_TAKEN') throw appError('ORDER_NUMBER_TAKEN', {}, 'orderNumber');
  await replaceOrderLines(scope, created.id, lines);
  await refreshCustomerFacts(scope, [input.customerId], 'order');
  await touchTiers(scope, [input.customerId]);
  // Growth points for the order, and the referrer's reward if this is a referred customer's first.
  await settleCustomerOrders(scope, dependencies, [input.customerId]);
  const order = await getOrder(scope, created.id);
  await recordWebhookEvent(scope, 'order.created', order);
  return order;
}

/** The columns an input sets; fields left out of the input stay as they are. */
function toChanges(input: UpdateOrderInput): OrderChanges {
  return {
    ...(input.orderNumber !== undefined && { order_number: input.orderNumber }),
    ...(input.orderedAt !== undefined && { ordered_at: input.orderedAt }),
    ...(input.currency !== undefined && { currency: input.currency }),
    ...(input.amount !== undefined && { amount: input.amount }),
    ...(input.profit !== undefined && { profit: input.profit }),
    ...(input.paymentMethod !== undefined && { payment_method: input.paymentMethod }),
    ...(input.status !== undefined && { status: input.status }),
    ...(input.note !== undefined && { note: input.note }),
  };
}

export async function updateOrder(
  scope: MemberScope,
  input: UpdateOrderInput,
  dependencies: LoyaltyDependencies,
): Promise<OrderOutput> {
  const order = await orderOrThrow(scope, input.id);
  if (order.status === 'void') throw appError('ORDER_VOID');
  if ((await updateOrderRow(scope, input.id, toChanges(input))) === 'NUMBER_TAKEN')
    throw appError('ORDER_NUMBER_TAKEN', {}, 'orderNumber');
  if (input.lines !== undefined) await replaceOrderLines(scope, input.id, input.lines);
  await refreshCustomerFacts(scope, [order.customer_id], 'order');
  await touchTiers(scope, [order.customer_id]);
  await settleCustomerOrders(scope, dependencies, [order.customer_id]);
  return getOrder(scope, input.id);
}

/** Voiding keeps the order (and its history) but takes it out of every derived figure. */
export async function voidOrder(
  scope: MemberScope,
  id: string,
  reason: string,
  dependencies: LoyaltyDependencies,
): Promise<OrderOutput> {
  const order = await orderOrThrow(scope, id);
  if (order.status === 'void') throw appError('ORDER_VOID');
  await setOrderVoid(scope, id, reason);
  await refreshCustomerFacts(scope, [order.customer_id], 'order');
  await touchTiers(scope, [order.customer_id]);
  // A voided order's points are taken back.
  await settleCustomerOrders(scope, dependencies, [order.customer_id]);
  const voided = await getOrder(scope, id);
  await recordWebhookEvent(scope, 'order.voided', voided);
  return voided;
}
