import type {
  ApiScope,
  LoginRateLimiter,
  Permission,
  SessionCookie,
  SessionPolicy,
  TenantGate,
  TenantRateLimiter,
  ValidatedSession,
} from '@crm/auth';
import { validateSessionToken } from '@crm/auth';
import type { CrmDatabase, Database, Role, Transaction } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import type { RecordAccess } from './customers/access';
import type { Locale } from './i18n';
import type { AppJobs } from './jobs';
import type { Logger } from './logger';
import type { PluginRegistry } from './plugins/registry';

/** Structured log sink (pino in the server). Never pass credentials or raw tokens. */
export type { Logger } from './logger';

/** Long-lived parts shared by every request. */
export type ApiDependencies = {
  database: CrmDatabase;
  rateLimiter: LoginRateLimiter;
  sessionCookie: SessionCookie;
  sessionPolicy: SessionPolicy;
  logger: Logger;
  /** The job queue (read by the admin page; capabilities enqueue through it). */
  jobs: JobQueue<AppJobs>;
  /** The industry plugins this server runs with (validated at start-up). */
  plugins: PluginRegistry;
  /** Requests per tenant per minute on the app's API (SECURITY.md T5.9); none: unlimited. */
  tenantRateLimiter?: TenantRateLimiter;
  /**
   * Requests per tenant served at once by this process (SECURITY.md T5.9), and the tenant
   * of each session and API key it has served, which the HTTP layer reads before any work.
   */
  tenantGate: TenantGate;
};

/** What the HTTP layer knows about one request. */
export type RequestInfo = {
  requestId: string;
  sessionToken: string | null;
  /** From the socket, or from the trusted proxy header when one is configured. */
  clientIp: string;
  locale: Locale;
  /** The `Idempotency-Key` request header, if any (honoured by idempotent mutations). */
  idempotencyKey?: string | null;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
  /** Sets a header of the response (the tenant's `RateLimit-*`, `Retry-After`). */
  setResponseHeader?(name: string, value: string): void;
  /** A REST API call authenticated by an API key (`Authorization: Bearer crmk_…`) instead of a session. */
  apiKey?: ApiKeyCall | null;
};

/** An API key call: the token and the scope its route needs (rest/api-v1.routes.ts). */
export type ApiKeyCall = {
  token: string;
  scope: ApiScope;
  /** Told once the key is verified: the REST door's rate limit reads the key's own limit. */
  onVerified?(key: { keyId: string; userId: string; limit: number }): void;
};

/**
 * The request's session, validated at most once per request and only by a procedure that
 * needs it: public and authenticated procedures look it up on their own (`resolve`); a
 * tenant procedure reads it inside its own transaction's opening round trip and `settle`s it.
 */
export class RequestSession {
  /** The validated session once known (for logs), undefined before. */
  current: ValidatedSession | null | undefined = undefined;
  #pending: Promise<ValidatedSession | null> | null = null;
  readonly #dependencies: ApiDependencies;
  readonly #request: RequestInfo;

  constructor(dependencies: ApiDependencies, request: RequestInfo) {
    this.#dependencies = dependencies;
    this.#request = request;
  }

  resolve(): Promise<ValidatedSession | null> {
    this.#pending ??= this.#validate();
    return this.#pending;
  }

  settle(auth: ValidatedSession | null): void {
    this.current = auth;
    this.#pending ??= Promise.resolve(auth);
  }

  async #validate(): Promise<ValidatedSession | null> {
    const token = this.#request.sessionToken;
    if (!token) {
      this.current = null;
      return null;
    }
    const { database, sessionPolicy } = this.#dependencies;
    const auth = await database.withoutTenant((db) => validateSessionToken(db, token, sessionPolicy));
    if (!auth) this.#request.clearSessionCookie();
    this.current = auth;
    return auth;
  }
}

export type Context = ApiDependencies &
  RequestInfo & {
    /**
     * The signed-in session. Filled in by the procedure builders (trpc.ts) before any
     * procedure body runs; null until then.
     */
    auth: ValidatedSession | null;
    requestSession: RequestSession;
  };

/** The extra context a tenant procedure runs with, inside its tenant transaction. */
export type TenantContext = {
  tenantId: string;
  role: Role;
  permissions: readonly Permission[];
  trx: Transaction<Database>;
  access: RecordAccess;
};

/** No database work here: the session is validated by the procedure that needs it. */
export async function createContext(dependencies: ApiDependencies, request: RequestInfo): Promise<Context> {
  return {
    ...dependencies,
    ...request,
    auth: null,
    requestSession: new RequestSession(dependencies, request),
  };
}
