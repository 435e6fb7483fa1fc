import { z } from 'zod';
import { permittedProcedure, router } from '../trpc';
import { jobRunOutput, jobRunsInput } from './admin.schemas';
import { listJobRuns } from './admin.service';

export const adminRouter = router({
  /** Recent background runs of this tenant (re-derivations, later imports and sends): state, retries, failures. */
  jobs: permittedProcedure('jobs.read')
    .input(jobRunsInput)
    .output(z.array(jobRunOutput))
    .query(({ ctx, input }) => listJobRuns(ctx.scope, input, ctx.jobs)),
});
