import { IMPORT_ENTITIES, IMPORT_ROW_OUTCOMES, IMPORT_STATUSES } from '@crm/db';
import { userText } from '@crm/domain';
import { z } from 'zod';

export const entityInput = z.enum(IMPORT_ENTITIES);
/** File header → target field key; '' or absent: the column is not imported. */
export const mappingInput = z
  .record(z.string().max(200), z.string().max(60))
  .refine((value) => Object.keys(value).length <= 500, { error: 'INVALID_INPUT' });

export const startInput = z.strictObject({
  fileId: z.uuid(),
  entity: entityInput,
  mapping: mappingInput,
  /** The saved mapping this one came from, if any (kept on the run). */
  mappingId: z.uuid().nullish(),
  onMatch: z.enum(['update', 'skip']).default('skip'),
  dryRun: z.boolean(),
  /** A commit only: write the valid rows and leave out (and report) the rows with errors. */
  skipErrorRows: z.boolean().default(false),
});
export type StartInput = z.infer<typeof startInput>;

export const runIdInput = z.strictObject({ runId: z.uuid() });

export const errorsInput = z.strictObject({
  runId: z.uuid(),
  /** The last row number and seq of the previous page, 'row:seq'. */
  cursor: z
    .string()
    .regex(/^\d{1,10}:\d{1,6}$/)
    .nullish(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const importErrorOutput = z.object({
  rowNumber: z.number().int(),
  column: z.string(),
  value: z.string().nullable(),
  reason: z.string(),
  message: z.string(),
});
export type ImportErrorItem = z.infer<typeof importErrorOutput>;

export const outcomeInput = z.enum(IMPORT_ROW_OUTCOMES);

export const rowsInput = z.strictObject({
  runId: z.uuid(),
  /** Only the rows of this outcome; every row when absent. */
  outcome: outcomeInput.nullish(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(100).nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const rowOutcomeOutput = z.object({
  rowNumber: z.number().int(),
  outcome: outcomeInput,
  /** The key that matched: customer_number, credit_code, phone, email, name, order_number, interaction. */
  matchKind: z.string().nullable(),
  matchValue: z.string().nullable(),
  /** The existing record matched (a customer, order or interaction), or the customer a candidate resembles. */
  matchedId: z.uuid().nullable(),
  /** The customer the row is about, and its name when the caller may see it (after a commit, new ones too). */
  customerId: z.uuid().nullable(),
  customerName: z.string().nullable(),
  /** The customer a row matched or resembles, by name (updates, skips, candidates of customers). */
  matchedName: z.string().nullable(),
  /** Why the row is skipped, or its first error's code. */
  reason: z.string().nullable(),
  /** Why it is skipped, in the caller's language. */
  message: z.string().nullable(),
  /** An error row's errors, each with its column ('' for the row as a whole). */
  errors: z.array(z.object({ column: z.string(), value: z.string().nullable(), message: z.string() })),
});
export type RowOutcomeItem = z.infer<typeof rowOutcomeOutput>;

export const outcomeCountsOutput = z.object({
  new: z.number(),
  update: z.number(),
  skip: z.number(),
  error: z.number(),
  candidate: z.number(),
});

export const runOutput = z.object({
  id: z.uuid(),
  entity: entityInput,
  fileName: z.string(),
  fileSize: z.number(),
  dryRun: z.boolean(),
  onMatch: z.enum(['update', 'skip']),
  status: z.enum(IMPORT_STATUSES),
  /** Why it failed: 'HAS_ERRORS', 'INTERNAL', 'READ:<code>'. */
  failure: z.string().nullable(),
  failureMessage: z.string().nullable(),
  rowsRead: z.number(),
  bytesRead: z.number(),
  totalRows: z.number(),
  validRows: z.number(),
  errorRows: z.number(),
  errorCount: z.number(),
  created: z.number(),
  updated: z.number(),
  skipped: z.number(),
  /** A commit that wrote the valid rows and left out the rows with errors. */
  skipErrorRows: z.boolean(),
  /** Rows per outcome; all zero until the run has checked its rows. */
  outcomes: outcomeCountsOutput,
  cancelRequested: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RunOutput = z.infer<typeof runOutput>;

export const runDetailOutput = runOutput.extend({
  errors: z.array(importErrorOutput),
  /** The cursor of the errors after `errors` (imports.errors), null when they are all. */
  errorsCursor: z.string().nullable(),
});

export const startOutput = z.object({
  runId: z.uuid(),
  /** The same file was committed before (or is being committed): nothing new was started. */
  alreadyImported: z.boolean(),
});

export const mappingOutput = z.object({
  id: z.uuid(),
  entity: entityInput,
  name: z.string(),
  columns: z.record(z.string(), z.string()),
  updatedAt: z.string(),
});

export const saveMappingInput = z.strictObject({
  id: z.uuid().nullish(),
  entity: entityInput,
  name: userText({ required: true, max: 50 }),
  columns: mappingInput,
});

/** GET /api/imports/template: which kind, which format, headers in which language (default: the user's). */
export const templateInput = z.strictObject({
  kind: entityInput,
  format: z.enum(['csv', 'xlsx']).default('csv'),
  locale: z.enum(['zh-CN', 'en']).optional(),
});
export type TemplateInput = z.infer<typeof templateInput>;
