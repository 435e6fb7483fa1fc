import { type ApiDependencies, type AppJobs, type Logger, registerJobs } from '@crm/api';
import { DEFAULT_SESSION_POLICY, LoginRateLimiter, type LoginRateLimits, sessionCookieFor } from '@crm/auth';
import type { CrmDatabase } from '@crm/db';
import { createJobQueue } from '@crm/jobs';

/** Wires the long-lived parts every request shares. The job queue is created, not started. */
export function createDependencies(
  database: CrmDatabase,
  logger: Logger,
  publicUrl: string,
  rateLimits?: LoginRateLimits,
): ApiDependencies {
  const jobs = createJobQueue<AppJobs>({ database, logger });
  registerJobs(jobs, database);
  return {
    database,
    logger,
    jobs,
    rateLimiter: new LoginRateLimiter(rateLimits),
    sessionCookie: sessionCookieFor(publicUrl),
    sessionPolicy: DEFAULT_SESSION_POLICY,
  };
}
