import { z } from 'zod';
import { getCustomerOrThrow } from '../customers/customers.repository';
import { permittedProcedure, router } from '../trpc';
import {
  checkDuplicatesInput,
  checkDuplicatesOutput,
  listDuplicatesInput,
  listDuplicatesOutput,
  mergeInput,
  mergeOutput,
  mergeRecordOutput,
  scanOutput,
} from './duplicates.schemas';
import { checkDuplicates, dismissDuplicate, listDuplicates } from './duplicates.service';
import { listMerges, mergeCustomers, unmergeCustomers } from './merge';
import { lastScan, queueScan } from './scans';

export const duplicatesRouter = router({
  /** Likely duplicates of what a create or edit form holds, before it is saved. */
  check: permittedProcedure('customers.read')
    .input(checkDuplicatesInput)
    .output(checkDuplicatesOutput)
    .query(({ ctx, input }) => checkDuplicates(ctx.trx, ctx.tenantId, ctx.access, input)),

  /** The review queue of candidate pairs. */
  list: permittedProcedure('customers.merge')
    .input(listDuplicatesInput)
    .output(listDuplicatesOutput)
    .query(({ ctx, input }) => listDuplicates(ctx.trx, ctx.tenantId, ctx.access, input)),

  /** Not duplicates: the pair leaves the queue and stays out of it through later scans. */
  dismiss: permittedProcedure('customers.merge')
    .input(z.strictObject({ id: z.uuid() }))
    .output(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) =>
      dismissDuplicate(ctx.trx, ctx.tenantId, ctx.access, ctx.auth.user.id, input.id),
    ),

  /** Queues a tenant-wide scan (it also runs nightly); the page follows it with `lastScan`. */
  scan: permittedProcedure('customers.merge')
    .output(scanOutput)
    .mutation(({ ctx }) => queueScan(ctx.trx, ctx.jobs, ctx.tenantId, ctx.auth.user.id)),

  /** The latest scan of the tenant, or null before the first one. */
  lastScan: permittedProcedure('customers.merge')
    .output(scanOutput.nullable())
    .query(({ ctx }) => lastScan(ctx.trx, ctx.tenantId)),
});

/** Merge procedures, mounted on the customers router (customers.merge, customers.unmerge, customers.merges). */
export const customerMergeProcedures = {
  merge: permittedProcedure('customers.merge')
    .input(mergeInput)
    .output(mergeOutput)
    .mutation(({ ctx, input }) =>
      mergeCustomers(
        { trx: ctx.trx, tenantId: ctx.tenantId, userId: ctx.auth.user.id, access: ctx.access },
        input,
      ),
    ),

  unmerge: permittedProcedure('customers.merge')
    .input(z.strictObject({ mergeId: z.uuid() }))
    .output(mergeOutput)
    .mutation(({ ctx, input }) =>
      unmergeCustomers(
        { trx: ctx.trx, tenantId: ctx.tenantId, userId: ctx.auth.user.id, access: ctx.access },
        input.mergeId,
      ),
    ),

  /** The merges into a customer (with what moved and until when each can be undone). */
  merges: permittedProcedure('customers.read')
    .input(z.strictObject({ id: z.uuid() }))
    .output(z.array(mergeRecordOutput))
    .query(async ({ ctx, input }) => {
      await getCustomerOrThrow(ctx.trx, ctx.tenantId, ctx.access, input.id);
      return listMerges(ctx.trx, ctx.tenantId, input.id);
    }),
};
