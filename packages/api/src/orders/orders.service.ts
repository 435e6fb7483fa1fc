import { sql } from 'kysely';
import { getCustomerOrThrow } from '../customers/customers.repository';
import type { TenantScope } from '../customers/customers.service';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { appError } from '../errors';
import { getOrderOrThrow, isOrderNumberTaken, replaceOrderLines, totalOfLines } from './orders.repository';
import type { CreateOrderInput, UpdateOrderInput } from './orders.schemas';

async function mapOrderNumber<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isOrderNumberTaken(error)) throw appError('ORDER_NUMBER_TAKEN', {}, 'orderNumber');
    throw error;
  }
}

/** Records an order and re-derives the customer's transaction facts and stage in the same transaction. */
export async function createOrder(scope: TenantScope, input: CreateOrderInput) {
  const { trx, tenantId, access } = scope;
  const customer = await getCustomerOrThrow(trx, tenantId, access, input.customerId);
  if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
  const lines = input.lines ?? [];
  if (lines.length === 0 && input.amount === undefined) throw appError('ORDER_AMOUNT_REQUIRED', {}, 'amount');
  // With lines, the amount is their total, computed in decimals before the order is written.
  const amount = lines.length > 0 ? await totalOfLines(trx, lines) : (input.amount ?? '0');
  const row = await mapOrderNumber(
    trx
      .insertInto('orders')
      .values({
        tenant_id: tenantId,
        customer_id: input.customerId,
        order_number: input.orderNumber ?? null,
        ordered_at: input.orderedAt,
        currency: input.currency ?? customer.currency,
        amount,
        profit: input.profit ?? null,
        payment_method: input.paymentMethod ?? null,
        status: input.status ?? 'completed',
        note: input.note ?? null,
        created_by: scope.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await replaceOrderLines(trx, tenantId, row.id, lines);
  await refreshCustomerFacts(trx, tenantId, [input.customerId], 'order');
  return getOrderOrThrow(trx, tenantId, access, row.id);
}

export async function updateOrder(scope: TenantScope, input: UpdateOrderInput) {
  const { trx, tenantId, access } = scope;
  const order = await getOrderOrThrow(trx, tenantId, access, input.id);
  if (order.status === 'void') throw appError('ORDER_VOID');
  await mapOrderNumber(
    trx
      .updateTable('orders')
      .set({
        ...(input.orderNumber !== undefined && { order_number: input.orderNumber }),
        ...(input.orderedAt !== undefined && { ordered_at: input.orderedAt }),
        ...(input.currency !== undefined && { currency: input.currency }),
        ...(input.amount !== undefined && { amount: input.amount }),
        ...(input.profit !== undefined && { profit: input.profit }),
        ...(input.paymentMethod !== undefined && { payment_method: input.paymentMethod }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.note !== undefined && { note: input.note }),
        updated_at: sql<Date>`now()`,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', input.id)
      .execute(),
  );
  if (input.lines !== undefined) await replaceOrderLines(trx, tenantId, input.id, input.lines);
  await refreshCustomerFacts(trx, tenantId, [order.customerId], 'order');
  return getOrderOrThrow(trx, tenantId, access, input.id);
}

/** Voiding keeps the order (and its history) but takes it out of every derived figure. */
export async function voidOrder(scope: TenantScope, id: string, reason: string) {
  const { trx, tenantId, access } = scope;
  const order = await getOrderOrThrow(trx, tenantId, access, id);
  if (order.status === 'void') throw appError('ORDER_VOID');
  await trx
    .updateTable('orders')
    .set({ status: 'void', void_reason: reason, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await refreshCustomerFacts(trx, tenantId, [order.customerId], 'order');
  return getOrderOrThrow(trx, tenantId, access, id);
}
