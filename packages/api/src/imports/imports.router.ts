import { z } from 'zod';
import { permittedProcedure, router } from '../trpc';
import {
  entityInput,
  errorsInput,
  importErrorOutput,
  mappingOutput,
  rowOutcomeOutput,
  rowsInput,
  runDetailOutput,
  runIdInput,
  runOutput,
  saveMappingInput,
  startInput,
  startOutput,
} from './imports.schemas';
import {
  cancelRun,
  deleteMapping,
  getRun,
  listErrors,
  listMappings,
  listRowOutcomes,
  listRuns,
  saveMapping,
  startImport,
} from './imports.service';

const importProcedure = permittedProcedure('customers.import');

const mappingsRouter = router({
  list: importProcedure
    .input(z.strictObject({ entity: entityInput.optional() }).default({}))
    .output(z.array(mappingOutput))
    .query(({ ctx, input }) => listMappings(ctx.scope, input.entity)),
  save: permittedProcedure('customers.import', { idempotent: true })
    .input(saveMappingInput)
    .output(mappingOutput)
    .mutation(({ ctx, input }) => saveMapping(ctx.scope, input)),
  delete: importProcedure
    .input(z.strictObject({ id: z.uuid() }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => deleteMapping(ctx.scope, input.id)),
});

/**
 * Imports of customers (with a primary contact), orders and interactions from an uploaded
 * file (POST /api/imports/files): dry run, commit, progress, errors, cancel, history.
 */
export const importsRouter = router({
  mappings: mappingsRouter,
  start: permittedProcedure('customers.import', { idempotent: true })
    .input(startInput)
    .output(startOutput)
    .mutation(({ ctx, input }) =>
      startImport(ctx.scope, input, async (runId) => {
        await ctx.jobs.enqueue('imports.run', { tenantId: ctx.tenantId, runId }, { trx: ctx.trx });
      }),
    ),
  get: importProcedure
    .input(runIdInput)
    .output(runDetailOutput)
    .query(({ ctx, input }) => getRun(ctx.scope, input.runId)),
  errors: importProcedure
    .input(errorsInput)
    .output(z.object({ items: z.array(importErrorOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listErrors(ctx.scope, input.runId, input.cursor, input.limit)),
  rows: importProcedure
    .input(rowsInput)
    .output(z.object({ items: z.array(rowOutcomeOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listRowOutcomes(ctx.scope, input)),
  cancel: importProcedure
    .input(runIdInput)
    .output(runOutput)
    .mutation(({ ctx, input }) => cancelRun(ctx.scope, input.runId)),
  list: importProcedure
    .input(z.strictObject({ limit: z.number().int().min(1).max(100).default(30) }).default({ limit: 30 }))
    .output(z.array(runOutput))
    .query(({ ctx, input }) => listRuns(ctx.scope, input.limit)),
});
