import type { JobQueue, JobRun } from '@crm/jobs';
import type { Scope } from '../scope';

/** The job queue's read of its runs, as much of it as administration needs. */
export type JobRunReader = Pick<JobQueue, 'listRecent'>;

/**
 * The tenant's newest background runs, live and archived. The queue owns its tables and
 * their SQL; this reads them inside the scope's transaction, for the scope's tenant.
 */
export function selectRecentJobRuns(
  scope: Scope,
  jobs: JobRunReader,
  options: { limit: number; state: JobRun['state'] | undefined },
): Promise<JobRun[]> {
  return jobs.listRecent({
    limit: options.limit,
    state: options.state,
    tenantId: scope.tenantId,
    trx: scope.trx,
  });
}
