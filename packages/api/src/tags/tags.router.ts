import { permittedProcedure, router } from '../trpc';
import { createTagInput, deleteTagOutput, tagIdInput, tagOutput, updateTagInput } from './tags.schemas';
import { createTag, deleteTag, listTags, updateTag } from './tags.service';

/**
 * Free tags (高流失风险, 价格敏感 …), managed per tenant; system tags are customer columns.
 * The worked example of a capability (docs/code-style.md): each procedure parses its input,
 * names its permission, calls one service function with `ctx.scope`, and declares its output.
 */
export const tagsRouter = router({
  list: permittedProcedure('customers.read')
    .output(tagOutput.array())
    .query(({ ctx }) => listTags(ctx.scope)),

  create: permittedProcedure('tags.manage', { idempotent: true })
    .input(createTagInput)
    .output(tagOutput)
    .mutation(({ ctx, input }) => createTag(ctx.scope, input)),

  update: permittedProcedure('tags.manage')
    .input(updateTagInput)
    .output(tagOutput)
    .mutation(({ ctx, input }) => updateTag(ctx.scope, input)),

  delete: permittedProcedure('tags.manage')
    .input(tagIdInput)
    .output(deleteTagOutput)
    .mutation(({ ctx, input }) => deleteTag(ctx.scope, input.id)),
});
