import { permittedProcedure, router } from '../trpc';
import {
  archiveCustomFieldInput,
  createCustomFieldInput,
  customFieldOutput,
  updateCustomFieldInput,
} from './custom-fields.schemas';
import {
  archiveCustomField,
  createCustomField,
  listCustomFields,
  updateCustomField,
} from './custom-fields.service';

/** Tenant-defined fields on customers (plugins add theirs through the same table). */
export const customFieldsRouter = router({
  list: permittedProcedure('customers.read')
    .output(customFieldOutput.array())
    .query(({ ctx }) => listCustomFields(ctx.scope)),

  create: permittedProcedure('fields.manage', { idempotent: true })
    .input(createCustomFieldInput)
    .output(customFieldOutput)
    .mutation(({ ctx, input }) => createCustomField(ctx.scope, input)),

  update: permittedProcedure('fields.manage')
    .input(updateCustomFieldInput)
    .output(customFieldOutput)
    .mutation(({ ctx, input }) => updateCustomField(ctx.scope, input)),

  archive: permittedProcedure('fields.manage')
    .input(archiveCustomFieldInput)
    .output(customFieldOutput)
    .mutation(({ ctx, input }) => archiveCustomField(ctx.scope, input.id, input.archived)),
});
