import { countOutput } from '../counts';
import { permittedProcedure, router } from '../trpc';
import {
  checkDuplicatesInput,
  checkDuplicatesOutput,
  countDuplicatesInput,
  customerIdInput,
  duplicateIdInput,
  duplicateIdOutput,
  listDuplicatesInput,
  listDuplicatesOutput,
  mergeIdInput,
  mergeInput,
  mergeOutput,
  mergeRecordOutput,
  scanOutput,
} from './duplicates.schemas';
import {
  checkDuplicates,
  countDuplicates,
  dismissDuplicate,
  lastScan,
  listCustomerMerges,
  listDuplicates,
  mergeCustomers,
  queueScan,
  unmergeCustomers,
} from './duplicates.service';

export const duplicatesRouter = router({
  /** Likely duplicates of what a create or edit form holds, before it is saved. */
  check: permittedProcedure('customers.read')
    .input(checkDuplicatesInput)
    .output(checkDuplicatesOutput)
    .query(({ ctx, input }) => checkDuplicates(ctx.scope, input)),

  /** The review queue of candidate pairs. */
  list: permittedProcedure('customers.merge')
    .input(listDuplicatesInput)
    .output(listDuplicatesOutput)
    .query(({ ctx, input }) => listDuplicates(ctx.scope, input)),

  /** 共 N 条 of the queue with the same filters, fetched beside the page. */
  count: permittedProcedure('customers.merge')
    .input(countDuplicatesInput)
    .output(countOutput)
    .query(({ ctx, input }) => countDuplicates(ctx.scope, input)),

  /** Not duplicates: the pair leaves the queue and stays out of it through later scans. */
  dismiss: permittedProcedure('customers.merge')
    .input(duplicateIdInput)
    .output(duplicateIdOutput)
    .mutation(({ ctx, input }) => dismissDuplicate(ctx.scope, input.id)),

  /** Queues a tenant-wide scan (it also runs nightly); the page follows it with `lastScan`. */
  scan: permittedProcedure('customers.merge')
    .output(scanOutput)
    .mutation(({ ctx }) => queueScan(ctx.scope, ctx.jobs)),

  /** The latest scan of the tenant, or null before the first one. */
  lastScan: permittedProcedure('customers.merge')
    .output(scanOutput.nullable())
    .query(({ ctx }) => lastScan(ctx.scope)),
});

/** Merge procedures, mounted on the customers router (customers.merge, customers.unmerge, customers.merges). */
export const customerMergeProcedures = {
  merge: permittedProcedure('customers.merge')
    .input(mergeInput)
    .output(mergeOutput)
    .mutation(({ ctx, input }) => mergeCustomers(ctx.scope, input)),

  unmerge: permittedProcedure('customers.merge')
    .input(mergeIdInput)
    .output(mergeOutput)
    .mutation(({ ctx, input }) => unmergeCustomers(ctx.scope, input.mergeId)),

  /** The merges into a customer (with what moved and until when each can be undone). */
  merges: permittedProcedure('customers.read')
    .input(customerIdInput)
    .output(mergeRecordOutput.array())
    .query(({ ctx, input }) => listCustomerMerges(ctx.scope, input.id)),
};
