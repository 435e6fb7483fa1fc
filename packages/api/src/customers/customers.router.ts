import { z } from 'zod';
import { readTimeline, timelineEntryOutput } from '../timeline/timeline';
import { permittedProcedure, router } from '../trpc';
import { getCustomerOrThrow, listCustomers } from './customers.repository';
import {
  createCustomerInput,
  customerIdInput,
  customerListOutput,
  customerOutput,
  listCustomersInput,
  reassignCustomersInput,
  updateCustomerInput,
} from './customers.schemas';
import {
  archiveCustomer,
  createCustomer,
  reassign,
  type TenantScope,
  updateCustomer,
} from './customers.service';

type TenantProcedureContext = Omit<TenantScope, 'userId'> & { auth: { user: { id: string } } };
const scopeOf = (ctx: TenantProcedureContext): TenantScope => ({
  trx: ctx.trx,
  tenantId: ctx.tenantId,
  userId: ctx.auth.user.id,
  access: ctx.access,
});

export const customersRouter = router({
  create: permittedProcedure('customers.create')
    .input(createCustomerInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) => createCustomer(scopeOf(ctx), input)),

  list: permittedProcedure('customers.read')
    .input(listCustomersInput)
    .output(customerListOutput)
    .query(({ ctx, input }) => listCustomers(ctx.trx, ctx.tenantId, ctx.access, input)),

  get: permittedProcedure('customers.read')
    .input(customerIdInput)
    .output(customerOutput)
    .query(({ ctx, input }) => getCustomerOrThrow(ctx.trx, ctx.tenantId, ctx.access, input.id)),

  update: permittedProcedure('customers.update')
    .input(updateCustomerInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) => updateCustomer(scopeOf(ctx), input)),

  archive: permittedProcedure('customers.archive')
    .input(customerIdInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) => archiveCustomer(scopeOf(ctx), input.id, true)),

  restore: permittedProcedure('customers.archive')
    .input(customerIdInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) => archiveCustomer(scopeOf(ctx), input.id, false)),

  /** Orders, interactions, field changes and stage moves, newest first. */
  timeline: permittedProcedure('customers.read')
    .input(
      z.strictObject({
        id: z.uuid(),
        cursor: z.string().max(300).nullish(),
        direction: z.enum(['forward', 'backward']).optional(),
        limit: z.number().int().min(1).max(100).default(30),
      }),
    )
    .output(z.object({ items: z.array(timelineEntryOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      await getCustomerOrThrow(ctx.trx, ctx.tenantId, ctx.access, input.id);
      return readTimeline(ctx.trx, ctx.tenantId, input.id, input.limit, input.cursor);
    }),

  /** Hands customers to another owner (or to nobody), all or nothing. */
  reassign: permittedProcedure('customers.reassign')
    .input(reassignCustomersInput)
    .output(z.object({ reassigned: z.number().int() }))
    .mutation(({ ctx, input }) => reassign(scopeOf(ctx), input.ids, input.ownerUserId)),
});
