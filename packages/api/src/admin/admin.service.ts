import type { Scope } from '../scope';
import { type JobRunReader, selectRecentJobRuns } from './admin.repository';
import type { JobRunOutput, JobRunsInput } from './admin.schemas';

/** Recent background runs of this tenant (re-derivations, imports, exports): state, retries, failures. */
export async function listJobRuns(
  scope: Scope,
  input: JobRunsInput,
  jobs: JobRunReader,
): Promise<JobRunOutput[]> {
  const runs = await selectRecentJobRuns(scope, jobs, { limit: input.limit, state: input.state });
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
}
