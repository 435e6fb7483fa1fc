import { z } from 'zod';
import { permittedProcedure, router } from '../trpc';

const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;

const jobRunOutput = z.object({
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

export const adminRouter = router({
  /** Recent background runs of this tenant (re-derivations, later imports and sends): state, retries, failures. */
  jobs: permittedProcedure('jobs.read')
    .input(
      z
        .strictObject({
          state: z.enum(JOB_STATES).optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .output(z.array(jobRunOutput))
    .query(async ({ ctx, input }) => {
      const runs = await ctx.jobs.listRecent({
        limit: input.limit,
        state: input.state,
        tenantId: ctx.tenantId,
        trx: ctx.trx,
      });
      return runs.map((run) => ({
        id: run.id,
        name: run.name,
        state: run.state,
        attempts: run.attempts,
        maxAttempts: run.maxAttempts,
        createdAt: run.createdAt.toISOString(),
        startedAt: run.startedAt?.toISOString() ?? null,
        finishedAt: run.finishedAt?.toISOString() ?? null,
        runAfter: run.runAfter.toISOString(),
        lastError: run.lastError,
        overdue: run.overdue,
      }));
    }),
});
