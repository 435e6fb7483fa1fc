import type { ApiDependencies, Logger } from '@crm/api';
import { DEFAULT_SESSION_POLICY, LoginRateLimiter, type LoginRateLimits, sessionCookieFor } from '@crm/auth';
import type { CrmDatabase } from '@crm/db';

/** Wires the long-lived parts every request shares. */
export function createDependencies(
  database: CrmDatabase,
  logger: Logger,
  publicUrl: string,
  rateLimits?: LoginRateLimits,
): ApiDependencies {
  return {
    database,
    logger,
    rateLimiter: new LoginRateLimiter(rateLimits),
    sessionCookie: sessionCookieFor(publicUrl),
    sessionPolicy: DEFAULT_SESSION_POLICY,
  };
}
