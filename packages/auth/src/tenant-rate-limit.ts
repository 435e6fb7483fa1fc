import type { CrmDatabase } from '@crm/db';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiRateVerdict } from './api-rate-limit';
import { postgresStoreClient } from './rate-limit';

/**
 * SECURITY.md T5.9: the requests one tenant's members may make of the app's API (tRPC and the
 * session's REST routes) per minute, all its members together, so one tenant's flood cannot
 * crowd out the others. With a PostgreSQL server the counts live in the database (the
 * `login_rate_limits` table of the sign-in limits, under their own key prefix, keys stored as
 * their SHA-256), shared by every web process; on the embedded database — one process — in
 * memory. Fixed one-minute windows. A process that has seen a tenant over its limit refuses
 * it from memory until the window ends, without asking the database.
 */
export const DEFAULT_TENANT_REQUESTS_PER_MINUTE = 6000;

/** Sessions remembered per process, for the tenant they last acted in. */
const MAX_REMEMBERED_SESSIONS = 50_000;

export class TenantRateLimiter {
  readonly limit: number;
  readonly #limiter: RateLimiterMemory | RateLimiterPostgres;
  readonly #sessions = new Map<string, string>();

  constructor(options: { perMinute?: number; durationSeconds?: number } = {}, database?: CrmDatabase) {
    this.limit = options.perMinute ?? DEFAULT_TENANT_REQUESTS_PER_MINUTE;
    const duration = options.durationSeconds ?? 60;
    this.#limiter =
      database?.kind === 'postgres'
        ? new RateLimiterPostgres({
            storeClient: postgresStoreClient(database),
            storeType: 'pool',
            tableName: 'login_rate_limits',
            tableCreated: true,
            clearExpiredByTimeout: false,
            keyPrefix: 'tenant-requests',
            points: this.limit,
            duration,
            // Once this process has seen the tenant over its limit, it refuses from memory until
            // the window ends: a flood's refusals cost the database nothing.
            inMemoryBlockOnConsumed: this.limit + 1,
          })
        : new RateLimiterMemory({ keyPrefix: 'tenant-requests', points: this.limit, duration });
  }

  /**
   * The tenant a session last acted in, as this process saw it. A request is counted against
   * its tenant before any work only when the tenant is known this way; the first request of
   * a session in a process is counted after it ran (its tenant is read with the session).
   */
  tenantOf(sessionId: string): string | undefined {
    return this.#sessions.get(sessionId);
  }

  remember(sessionId: string, tenantId: string): void {
    if (this.#sessions.get(sessionId) === tenantId) return;
    this.#sessions.delete(sessionId);
    if (this.#sessions.size >= MAX_REMEMBERED_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
    }
    this.#sessions.set(sessionId, tenantId);
  }

  forget(sessionId: string): void {
    this.#sessions.delete(sessionId);
  }

  /** Counts one request of the tenant; `allowed` false once the window's limit is spent. */
  async consume(tenantId: string): Promise<ApiRateVerdict> {
    try {
      const res = await this.#limiter.consume(tenantId);
      return {
        allowed: true,
        limit: this.limit,
        remaining: Math.max(0, res.remainingPoints),
        resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
      };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return {
        allowed: false,
        limit: this.limit,
        remaining: 0,
        resetSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
      };
    }
  }
}
