import { z } from 'zod';
import { refreshCompleteness } from '../customers/completeness.repository';
import { permittedProcedure, router } from '../trpc';
import {
  insertCustomField,
  listCustomFieldDefinitions,
  setCustomFieldArchived,
  toCustomFieldOutput,
  updateCustomField,
} from './custom-fields.repository';
import { createCustomFieldInput, customFieldOutput, updateCustomFieldInput } from './custom-fields.schemas';

/** Tenant-defined fields on customers (plugins add theirs through the same table). */
export const customFieldsRouter = router({
  list: permittedProcedure('customers.read')
    .output(z.array(customFieldOutput))
    .query(async ({ ctx }) =>
      (await listCustomFieldDefinitions(ctx.trx, ctx.tenantId)).map(toCustomFieldOutput),
    ),

  create: permittedProcedure('fields.manage', { idempotent: true })
    .input(createCustomFieldInput)
    .output(customFieldOutput)
    .mutation(async ({ ctx, input }) =>
      toCustomFieldOutput(await insertCustomField(ctx.trx, ctx.tenantId, input)),
    ),

  update: permittedProcedure('fields.manage')
    .input(updateCustomFieldInput)
    .output(customFieldOutput)
    .mutation(async ({ ctx, input }) =>
      toCustomFieldOutput(await updateCustomField(ctx.trx, ctx.tenantId, input)),
    ),

  archive: permittedProcedure('fields.manage')
    .input(z.strictObject({ id: z.uuid(), archived: z.boolean().default(true) }))
    .output(customFieldOutput)
    .mutation(async ({ ctx, input }) => {
      const row = await setCustomFieldArchived(ctx.trx, ctx.tenantId, input.id, input.archived);
      // A retired field may have been a key field: everyone's completeness moves with it.
      if (input.archived) await refreshCompleteness(ctx.trx, ctx.tenantId, 'all');
      return toCustomFieldOutput(row);
    }),
});
