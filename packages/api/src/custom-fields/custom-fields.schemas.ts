import { CUSTOM_FIELD_TYPES } from '@crm/db';
import { userText } from '@crm/domain';
import { KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';

export const customFieldKeyInput = z.string().trim().regex(KEY_PATTERN, {
  error: 'CUSTOM_FIELD_KEY_FORMAT',
});

const label = userText({ required: true, max: 50 });
const boundText = userText({ required: true, max: 100 });

/**
 * The bounds an administrator sets on a field (the same rules as a plugin's
 * `CustomFieldValidation`): checked against the field's type by `boundsProblem`.
 */
export const customFieldBoundsInput = z.strictObject({
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  integer: z.boolean().optional(),
  rating: z.boolean().optional(),
  minLength: z.number().int().min(0).max(1000).optional(),
  maxLength: z.number().int().min(1).max(1000).optional(),
  pattern: z.string().trim().min(1).max(200).optional(),
  patternMessage: z.strictObject({ 'zh-CN': boundText, en: boundText }).optional(),
  checkDigit: z.enum(['credit-code', 'national-id', 'luhn']).optional(),
});
export type CustomFieldBoundsInput = z.infer<typeof customFieldBoundsInput>;
const optionInput = z.strictObject({
  value: z.string().trim().min(1).max(50),
  labelZh: label,
  labelEn: label,
});

export const createCustomFieldInput = z.strictObject({
  key: customFieldKeyInput,
  labelZh: label,
  labelEn: label,
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(optionInput).max(100).default([]),
  required: z.boolean().default(false),
  position: z.number().int().min(0).max(1000).default(0),
  /** 敏感字段: stored encrypted, shown masked, revealed on request (text fields only). */
  sensitive: z.boolean().default(false),
  /** 取值范围: min / max, whole numbers, a rating, length, a pattern with its message. */
  validation: customFieldBoundsInput.default({}),
});
export type CreateCustomFieldInput = z.infer<typeof createCustomFieldInput>;

export const updateCustomFieldInput = z.strictObject({
  id: z.uuid(),
  labelZh: label.optional(),
  labelEn: label.optional(),
  type: z.enum(CUSTOM_FIELD_TYPES).optional(),
  options: z.array(optionInput).max(100).optional(),
  required: z.boolean().optional(),
  position: z.number().int().min(0).max(1000).optional(),
  sensitive: z.boolean().optional(),
  validation: customFieldBoundsInput.optional(),
});
export type UpdateCustomFieldInput = z.infer<typeof updateCustomFieldInput>;

export const customFieldOutput = z.object({
  id: z.uuid(),
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.object({ value: z.string(), labelZh: z.string(), labelEn: z.string() })),
  required: z.boolean(),
  position: z.number().int(),
  source: z.enum(['tenant', 'plugin']),
  archived: z.boolean(),
  sensitive: z.boolean(),
  validation: customFieldBoundsInput,
});
export type CustomFieldOutput = z.infer<typeof customFieldOutput>;

export const archiveCustomFieldInput = z.strictObject({ id: z.uuid(), archived: z.boolean().default(true) });
export type ArchiveCustomFieldInput = z.infer<typeof archiveCustomFieldInput>;
