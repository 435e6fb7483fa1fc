import { z } from 'zod';
import type { TenantScope } from '../customers/customers.service';
import { permittedProcedure, router } from '../trpc';
import { listAllOrders, listAllOrdersInput, orderListItemOutput } from './list-all';
import { getOrderOrThrow, listOrders } from './orders.repository';
import {
  createOrderInput,
  listOrdersInput,
  orderOutput,
  updateOrderInput,
  voidOrderInput,
} from './orders.schemas';
import { createOrder, updateOrder, voidOrder } from './orders.service';

export const ordersRouter = router({
  list: permittedProcedure('customers.read')
    .input(listOrdersInput)
    .output(z.object({ items: z.array(orderOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listOrders(ctx.trx, ctx.tenantId, ctx.access, input)),

  /** Every visible customer's orders, filtered, newest first, by keyset pages. */
  listAll: permittedProcedure('customers.read')
    .input(listAllOrdersInput)
    .output(z.object({ items: z.array(orderListItemOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listAllOrders(ctx.trx, ctx.tenantId, ctx.access, input)),

  get: permittedProcedure('customers.read')
    .input(z.strictObject({ id: z.uuid() }))
    .output(orderOutput)
    .query(({ ctx, input }) => getOrderOrThrow(ctx.trx, ctx.tenantId, ctx.access, input.id)),

  create: permittedProcedure('orders.write', { idempotent: true })
    .input(createOrderInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) => createOrder(ctx.scope, input)),

  update: permittedProcedure('orders.write')
    .input(updateOrderInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) => updateOrder(ctx.scope, input)),

  void: permittedProcedure('orders.void')
    .input(voidOrderInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) => voidOrder(ctx.scope, input.id, input.reason)),
});
