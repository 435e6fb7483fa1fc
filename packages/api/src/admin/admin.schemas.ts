import { z } from 'zod';

const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;

export const jobRunsInput = z
  .strictObject({
    state: z.enum(JOB_STATES).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .default({ limit: 50 });
export type JobRunsInput = z.infer<typeof jobRunsInput>;

export const jobRunOutput = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(JOB_STATES),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  runAfter: z.string(),
  lastError: z.string().nullable(),
  /** Still running past its bound: stuck. */
  overdue: z.boolean(),
});
export type JobRunOutput = z.infer<typeof jobRunOutput>;
