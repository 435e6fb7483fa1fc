import { CUSTOM_KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';
import { contactOutput } from '../contacts/contacts.schemas';
import { listContacts } from '../contacts/contacts.service';
import { customerMergeProcedures } from '../duplicates/duplicates.router';
import { interactionOutput } from '../interactions/interactions.schemas';
import { listInteractions } from '../interactions/interactions.service';
import { listOrders } from '../orders/orders.repository';
import { orderOutput } from '../orders/orders.schemas';
import { findCustomersByIdentity, revealCustomerSecret } from '../sensitive/customer-secrets';
import { timelineEntryOutput } from '../timeline/timeline.schemas';
import { readTimeline } from '../timeline/timeline.service';
import { permittedProcedure, router } from '../trpc';
import { completenessSummary } from './completeness.repository';
import { getCustomerOrThrow, listCustomers, listCustomersByIds } from './customers.repository';
import {
  archiveCustomersInput,
  createCustomerInput,
  customerIdInput,
  customerListItemOutput,
  customerListOutput,
  customerOutput,
  listCustomersInput,
  reassignCustomersInput,
  tagCustomersInput,
  updateCustomerInput,
} from './customers.schemas';
import {
  archiveCustomer,
  archiveCustomers,
  createCustomer,
  reassign,
  type TenantScope,
  tagCustomers,
  updateCustomer,
} from './customers.service';

export const customersRouter = router({
  ...customerMergeProcedures,

  create: permittedProcedure('customers.create', { idempotent: true })
    .input(createCustomerInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) => createCustomer(ctx.scope, input)),

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
    .mutation(({ ctx, input }) => updateCustomer(ctx.scope, input)),

  archive: permittedProcedure('customers.archive')
    .input(customerIdInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) => archiveCustomer(ctx.scope, input.id, true)),

  restore: permittedProcedure('customers.archive')
    .input(customerIdInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) => archiveCustomer(ctx.scope, input.id, false)),

  /**
   * Everything the 360 page shows, in one call: the profile with its field groups and
   * completeness, contacts, recent orders and interactions, and the first timeline page.
   */
  profile: permittedProcedure('customers.read')
    .input(customerIdInput)
    .output(
      z.object({
        customer: customerOutput,
        contacts: z.array(contactOutput),
        orders: z.object({ items: z.array(orderOutput), nextCursor: z.string().nullable() }),
        interactions: z.array(interactionOutput),
        timeline: z.object({ items: z.array(timelineEntryOutput), nextCursor: z.string().nullable() }),
      }),
    )
    .query(async ({ ctx, input }) => {
      const customer = await getCustomerOrThrow(ctx.trx, ctx.tenantId, ctx.access, input.id);
      const contacts = await listContacts(ctx.scope, input.id);
      const orders = await listOrders(ctx.trx, ctx.tenantId, ctx.access, {
        customerId: input.id,
        includeVoid: true,
        limit: 20,
      });
      const interactions = await listInteractions(ctx.scope, input.id, 20);
      const timeline = await readTimeline(ctx.scope, input.id, 30, null);
      return { customer, contacts, orders, interactions, timeline };
    }),

  /** Adds and removes free tags on many customers, all or nothing. */
  tag: permittedProcedure('customers.tag')
    .input(tagCustomersInput)
    .output(z.object({ updated: z.number().int() }))
    .mutation(({ ctx, input }) => tagCustomers(ctx.scope, input.ids, input.add, input.remove)),

  /** Archives or restores many customers, all or nothing. */
  archiveMany: permittedProcedure('customers.archive')
    .input(archiveCustomersInput)
    .output(z.object({ updated: z.number().int() }))
    .mutation(({ ctx, input }) => archiveCustomers(ctx.scope, input.ids, input.archived)),

  /** Completeness across the customers the member sees: average, share ≥ 90 %, stale ones. */
  completenessSummary: permittedProcedure('customers.read')
    .output(
      z.object({
        customers: z.number().int(),
        average: z.number(),
        completeShare: z.number(),
        complete: z.number().int(),
        stale: z.number().int(),
        goal: z.number().int(),
      }),
    )
    .query(({ ctx }) => completenessSummary(ctx.trx, ctx.tenantId, ctx.access)),

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
      return readTimeline(ctx.scope, input.id, input.limit, input.cursor);
    }),

  /**
   * The full value of one sensitive field of a customer the member can see, for roles
   * with `sensitive.reveal`; every reveal is written to the audit log. A mutation, so the
   * request is a POST (nothing in the URL); the response is never cached.
   */
  revealSensitive: permittedProcedure('sensitive.reveal')
    .input(
      z.strictObject({
        customerId: z.uuid(),
        field: z.union([z.enum(['national_id', 'bank_card']), z.string().regex(CUSTOM_KEY_PATTERN)]),
      }),
    )
    .output(z.object({ field: z.string(), value: z.string() }))
    .mutation(({ ctx, input }) =>
      revealCustomerSecret(ctx.trx, ctx.tenantId, ctx.access, input.customerId, input.field),
    ),

  /**
   * The visible customers whose national ID or bank card is exactly `value` (any spacing or
   * width), by blind index. A mutation, so the number travels in the request body, never in
   * a URL or query string; it reveals nothing the caller did not type.
   */
  findByIdentity: permittedProcedure('customers.read')
    .input(z.strictObject({ value: z.string().trim().min(1).max(40) }))
    .output(z.object({ items: z.array(customerListItemOutput), recognised: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const ids = await findCustomersByIdentity(ctx.trx, ctx.tenantId, input.value);
      if (ids === null) return { items: [], recognised: false };
      return { items: await listCustomersByIds(ctx.trx, ctx.tenantId, ctx.access, ids), recognised: true };
    }),

  /** Hands customers to another owner (or to nobody), all or nothing. */
  reassign: permittedProcedure('customers.reassign')
    .input(reassignCustomersInput)
    .output(z.object({ reassigned: z.number().int() }))
    .mutation(({ ctx, input }) => reassign(ctx.scope, input.ids, input.ownerUserId)),
});
