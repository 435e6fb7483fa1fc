import type { LoginRateLimiter, Permission, SessionCookie, SessionPolicy, ValidatedSession } from '@crm/auth';
import { validateSessionToken } from '@crm/auth';
import type { CrmDatabase, Database, Role, Transaction } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import type { RecordAccess } from './customers/access';
import type { Locale } from './i18n';
import type { AppJobs } from './jobs';

/** Structured log sink (pino in the server). Never pass credentials or raw tokens. */
export type Logger = {
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
};

/** Long-lived parts shared by every request. */
export type ApiDependencies = {
  database: CrmDatabase;
  rateLimiter: LoginRateLimiter;
  sessionCookie: SessionCookie;
  sessionPolicy: SessionPolicy;
  logger: Logger;
  /** The job queue (read by the admin page; capabilities enqueue through it). */
  jobs: JobQueue<AppJobs>;
};

/** What the HTTP layer knows about one request. */
export type RequestInfo = {
  requestId: string;
  sessionToken: string | null;
  /** From the socket, or from the trusted proxy header when one is configured. */
  clientIp: string;
  locale: Locale;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
};

export type Context = ApiDependencies &
  RequestInfo & {
    auth: ValidatedSession | null;
  };

/** The extra context a tenant procedure runs with, inside its tenant transaction. */
export type TenantContext = {
  tenantId: string;
  role: Role;
  permissions: readonly Permission[];
  trx: Transaction<Database>;
  access: RecordAccess;
};

export async function createContext(dependencies: ApiDependencies, request: RequestInfo): Promise<Context> {
  let auth: ValidatedSession | null = null;
  if (request.sessionToken) {
    const token = request.sessionToken;
    auth = await dependencies.database.withoutTenant((db) =>
      validateSessionToken(db, token, dependencies.sessionPolicy),
    );
    if (!auth) request.clearSessionCookie();
  }
  return { ...dependencies, ...request, auth };
}
