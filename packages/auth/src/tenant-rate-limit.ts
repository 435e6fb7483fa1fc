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
 * it from memory until the window ends, without asking the database (`blockedSeconds`).
 */
export const DEFAULT_TENANT_REQUESTS_PER_MINUTE = 6000;

export class TenantRateLimiter {
  readonly limit: number;
  readonly #limiter: RateLimiterMemory | RateLimiterPostgres;
  /** Tenants this process refused, until their window ends (ms since the epoch). */
  readonly #blockedUntil = new Map<string, number>();

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
   * Seconds until the tenant's window ends when this process has already refused it in this
   * window, else 0: the HTTP layer refuses such a request before reading it (app.ts), at no
   * cost to the database or the event loop beyond the answer.
   */
  blockedSeconds(tenantId: string): number {
    const until = this.#blockedUntil.get(tenantId);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left > 0) return Math.max(1, Math.ceil(left / 1000));
    this.#blockedUntil.delete(tenantId);
    return 0;
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
      this.#blockedUntil.set(tenantId, Date.now() + error.msBeforeNext);
      return {
        allowed: false,
        limit: this.limit,
        remaining: 0,
        resetSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
      };
    }
  }
}
