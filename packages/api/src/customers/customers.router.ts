import { permittedProcedure, router } from '../trpc';
import { getCustomerOrThrow, listCustomers } from './customers.repository';
import {
  createCustomerInput,
  customerIdInput,
  customerListOutput,
  customerOutput,
  listCustomersInput,
  updateCustomerInput,
} from './customers.schemas';
import { archiveCustomer, createCustomer, updateCustomer } from './customers.service';

export const customersRouter = router({
  create: permittedProcedure('customers.create')
    .input(createCustomerInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) =>
      createCustomer({ trx: ctx.trx, tenantId: ctx.tenantId, userId: ctx.auth.user.id }, input),
    ),

  list: permittedProcedure('customers.read')
    .input(listCustomersInput)
    .output(customerListOutput)
    .query(({ ctx, input }) => listCustomers(ctx.trx, ctx.tenantId, input)),

  get: permittedProcedure('customers.read')
    .input(customerIdInput)
    .output(customerOutput)
    .query(({ ctx, input }) => getCustomerOrThrow(ctx.trx, ctx.tenantId, input.id)),

  update: permittedProcedure('customers.update')
    .input(updateCustomerInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) =>
      updateCustomer({ trx: ctx.trx, tenantId: ctx.tenantId, userId: ctx.auth.user.id }, input),
    ),

  archive: permittedProcedure('customers.archive')
    .input(customerIdInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) =>
      archiveCustomer({ trx: ctx.trx, tenantId: ctx.tenantId, userId: ctx.auth.user.id }, input.id, true),
    ),

  restore: permittedProcedure('customers.archive')
    .input(customerIdInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) =>
      archiveCustomer({ trx: ctx.trx, tenantId: ctx.tenantId, userId: ctx.auth.user.id }, input.id, false),
    ),
});
