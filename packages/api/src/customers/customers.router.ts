import { countOutput } from '../counts';
import { customerMergeProcedures } from '../duplicates/duplicates.router';
import { permittedProcedure, router } from '../trpc';
import {
  archiveCustomersInput,
  completenessSummaryOutput,
  countCustomersInput,
  createCustomerInput,
  customerIdInput,
  customerListOutput,
  customerOutput,
  customerProfileOutput,
  customerTimelineInput,
  customerTimelineOutput,
  findByIdentityInput,
  findByIdentityOutput,
  listCustomersInput,
  reassignCustomersInput,
  reassignedCountOutput,
  revealSensitiveInput,
  revealSensitiveOutput,
  tagCustomersInput,
  updateCustomerInput,
  updatedCountOutput,
  upsertCustomersInput,
  upsertCustomersOutput,
} from './customers.schemas';
import {
  archiveCustomer,
  archiveCustomers,
  countCustomerList,
  createCustomer,
  findByIdentity,
  getCustomer,
  getCustomerProfile,
  getCustomerTimeline,
  listCustomerPage,
  reassign,
  revealSensitive,
  summariseCompleteness,
  tagCustomers,
  updateCustomer,
  upsertCustomers,
} from './customers.service';

export const customersRouter = router({
  ...customerMergeProcedures,

  create: permittedProcedure('customers.create', { idempotent: true })
    .input(createCustomerInput)
    .output(customerOutput)
    .mutation(({ ctx, input }) => createCustomer(ctx.scope, input)),

  /** Creates or updates up to 100 customers by external id or the identity rules (the REST API's batch). */
  upsertMany: permittedProcedure('customers.create', { idempotent: true })
    .input(upsertCustomersInput)
    .output(upsertCustomersOutput)
    .mutation(({ ctx, input }) => upsertCustomers(ctx.scope, input)),

  list: permittedProcedure('customers.read')
    .input(listCustomersInput)
    .output(customerListOutput)
    .query(({ ctx, input }) => listCustomerPage(ctx.scope, input)),

  /** 共 N 条 of the list with these filters, fetched beside the page (exact, or an estimate beyond 10,000). */
  count: permittedProcedure('customers.read')
    .input(countCustomersInput)
    .output(countOutput)
    .query(({ ctx, input }) => countCustomerList(ctx.scope, input)),

  get: permittedProcedure('customers.read')
    .input(customerIdInput)
    .output(customerOutput)
    .query(({ ctx, input }) => getCustomer(ctx.scope, input.id)),

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
    .output(customerProfileOutput)
    .query(({ ctx, input }) => getCustomerProfile(ctx.scope, input.id)),

  /** Adds and removes free tags on many customers, all or nothing. */
  tag: permittedProcedure('customers.tag')
    .input(tagCustomersInput)
    .output(updatedCountOutput)
    .mutation(({ ctx, input }) => tagCustomers(ctx.scope, input.ids, input.add, input.remove)),

  /** Archives or restores many customers, all or nothing. */
  archiveMany: permittedProcedure('customers.archive')
    .input(archiveCustomersInput)
    .output(updatedCountOutput)
    .mutation(({ ctx, input }) => archiveCustomers(ctx.scope, input.ids, input.archived)),

  /** Completeness across the customers the member sees: average, share ≥ 90 %, stale ones. */
  completenessSummary: permittedProcedure('customers.read')
    .output(completenessSummaryOutput)
    .query(({ ctx }) => summariseCompleteness(ctx.scope)),

  /** Orders, interactions, field changes and stage moves, newest first. */
  timeline: permittedProcedure('customers.read')
    .input(customerTimelineInput)
    .output(customerTimelineOutput)
    .query(({ ctx, input }) => getCustomerTimeline(ctx.scope, input)),

  /**
   * The full value of one sensitive field of a customer the member can see, for roles
   * with `sensitive.reveal`; every reveal is written to the audit log. A mutation, so the
   * request is a POST (nothing in the URL); the response is never cached.
   */
  revealSensitive: permittedProcedure('sensitive.reveal')
    .input(revealSensitiveInput)
    .output(revealSensitiveOutput)
    .mutation(({ ctx, input }) => revealSensitive(ctx.scope, input.customerId, input.field)),

  /**
   * The visible customers whose national ID or bank card is exactly `value` (any spacing or
   * width), by blind index. A mutation, so the number travels in the request body, never in
   * a URL or query string; it reveals nothing the caller did not type.
   */
  findByIdentity: permittedProcedure('customers.read')
    .input(findByIdentityInput)
    .output(findByIdentityOutput)
    .mutation(({ ctx, input }) => findByIdentity(ctx.scope, input.value)),

  /** Hands customers to another owner (or to nobody), all or nothing. */
  reassign: permittedProcedure('customers.reassign')
    .input(reassignCustomersInput)
    .output(reassignedCountOutput)
    .mutation(({ ctx, input }) => reassign(ctx.scope, input.ids, input.ownerUserId)),
});
