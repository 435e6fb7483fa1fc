import { TAG_COLORS } from '@crm/db';
import { userText } from '@crm/domain';
import { z } from 'zod';
import { permittedProcedure, router } from '../trpc';
import { deleteTag, insertTag, listTags, updateTag } from './tags.repository';

const tagOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  color: z.enum(TAG_COLORS),
  description: z.string().nullable(),
});
const tagName = userText({ required: true, max: 30 });
const description = z
  .string()
  .trim()
  .max(200)
  .transform((value) => (value === '' ? null : value))
  .nullish();

/** Free tags (高流失风险, 价格敏感 …), managed per tenant. System tags are customer columns. */
export const tagsRouter = router({
  list: permittedProcedure('customers.read')
    .output(z.array(tagOutput))
    .query(({ ctx }) => listTags(ctx.trx, ctx.tenantId)),

  create: permittedProcedure('tags.manage', { idempotent: true })
    .input(z.strictObject({ name: tagName, color: z.enum(TAG_COLORS).default('blue'), description }))
    .output(tagOutput)
    .mutation(({ ctx, input }) => insertTag(ctx.trx, ctx.tenantId, ctx.auth.user.id, input)),

  update: permittedProcedure('tags.manage')
    .input(
      z.strictObject({
        id: z.uuid(),
        name: tagName.optional(),
        color: z.enum(TAG_COLORS).optional(),
        description,
      }),
    )
    .output(tagOutput)
    .mutation(({ ctx, input }) => updateTag(ctx.trx, ctx.tenantId, input)),

  delete: permittedProcedure('tags.manage')
    .input(z.strictObject({ id: z.uuid() }))
    .output(z.object({ untagged: z.number().int() }))
    .mutation(async ({ ctx, input }) => ({ untagged: await deleteTag(ctx.trx, ctx.tenantId, input.id) })),
});
