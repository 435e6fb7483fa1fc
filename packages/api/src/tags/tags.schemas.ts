import { TAG_COLORS, userText } from '@crm/domain';
import { z } from 'zod';

/** A free tag (高流失风险, 价格敏感 …) as every procedure returns it. */
export const tagOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  color: z.enum(TAG_COLORS),
  description: z.string().nullable(),
});
export type TagOutput = z.infer<typeof tagOutput>;

const tagName = userText({ required: true, max: 30 });
const description = z
  .string()
  .trim()
  .max(200)
  .transform((value) => (value === '' ? null : value))
  .nullish();

export const createTagInput = z.strictObject({
  name: tagName,
  color: z.enum(TAG_COLORS).default('blue'),
  description,
});
export type CreateTagInput = z.infer<typeof createTagInput>;

export const updateTagInput = z.strictObject({
  id: z.uuid(),
  name: tagName.optional(),
  color: z.enum(TAG_COLORS).optional(),
  description,
});
export type UpdateTagInput = z.infer<typeof updateTagInput>;

export const tagIdInput = z.strictObject({ id: z.uuid() });

export const deleteTagOutput = z.object({ untagged: z.number().int() });
