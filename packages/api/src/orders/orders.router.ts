import { countOutput } from '../counts';
import { permittedProcedure, router } from '../trpc';
import {
  createOrderInput,
  listAllOrdersInput,
  listOrdersInput,
  orderFiltersInput,
  orderIdInput,
  orderListPageOutput,
  orderOutput,
  orderPageOutput,
  updateOrderInput,
  voidOrderInput,
} from './orders.schemas';
import {
  countOrderList,
  createOrder,
  getOrder,
  listAllOrders,
  listOrders,
  updateOrder,
  voidOrder,
} from './orders.service';

/** Orders of customers: each procedure parses its input, names its permission and calls one use case. */
export const ordersRouter = router({
  list: permittedProcedure('customers.read')
    .input(listOrdersInput)
    .output(orderPageOutput)
    .query(({ ctx, input }) => listOrders(ctx.scope, input)),

  /** Every visible customer's orders, filtered, newest first, by keyset pages. */
  listAll: permittedProcedure('customers.read')
    .input(listAllOrdersInput)
    .output(orderListPageOutput)
    .query(({ ctx, input }) => listAllOrders(ctx.scope, input)),

  /** 共 N 条 of `listAll` with the same filters, fetched beside the page. */
  count: permittedProcedure('customers.read')
    .input(orderFiltersInput.default({}))
    .output(countOutput)
    .query(({ ctx, input }) => countOrderList(ctx.scope, input)),

  get: permittedProcedure('customers.read')
    .input(orderIdInput)
    .output(orderOutput)
    .query(({ ctx, input }) => getOrder(ctx.scope, input.id)),

  create: permittedProcedure('orders.write', { idempotent: true })
    .input(createOrderInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) => createOrder(ctx.scope, input, ctx)),

  update: permittedProcedure('orders.write')
    .input(updateOrderInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) => updateOrder(ctx.scope, input, ctx)),

  void: permittedProcedure('orders.void')
    .input(voidOrderInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) => voidOrder(ctx.scope, input.id, input.reason, ctx)),
});
