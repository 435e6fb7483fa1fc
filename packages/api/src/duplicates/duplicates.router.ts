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

type ScanRow = {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  created_at: Date;
  finished_at: Date | null;
  pairs: number | null;
  new_pairs: number | null;
  removed_pairs: number | null;
  capped_keys: { kind: string; value: string; customers: number }[];
};
const toScan = (row: ScanRow) => ({
  id: row.id,
  status: row.status,
  createdAt: row.created_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
  pairs: row.pairs,
  newPairs: row.new_pairs,
  removedPairs: row.removed_pairs,
  cappedKeys: row.capped_keys,
});

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
    .mutation(async ({ ctx }) => {
      const row = await ctx.trx
        .insertInto('duplicate_scans')
        .values({ tenant_id: ctx.tenantId, requested_by: ctx.auth.user.id, status: 'queued' })
        .returningAll()
        .executeTakeFirstOrThrow();
      await ctx.jobs.enqueue(
        'duplicates.scan-tenant',
        { tenantId: ctx.tenantId, scanId: row.id },
        { trx: ctx.trx, id: row.id, retryLimit: 2, expireInSeconds: 60 * 60 },
      );
      return toScan(row as ScanRow);
    }),

  /** The latest scan of the tenant, or null before the first one. */
  lastScan: permittedProcedure('customers.merge')
    .output(scanOutput.nullable())
    .query(async ({ ctx }) => {
      const row = await ctx.trx
        .selectFrom('duplicate_scans')
        .selectAll()
        .where('tenant_id', '=', ctx.tenantId)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toScan(row as ScanRow) : null;
    }),
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
