import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * The REST API's limits (docs/api.md): per key (its own limit per minute, 600 by default) and
 * per tenant (all its keys together), fixed one-minute windows, counted in the web process's
 * memory — a deployment with N web processes allows up to N times the figures. Every answer
 * carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` of the tighter one.
 *
 * A key's and its tenant's quota are spent only by a token whose secret has verified: the
 * tenant and key ids inside a token are the caller's claim until then, and a forged token
 * naming another tenant must not spend that tenant's quota. Tokens not yet verified are
 * counted per client address instead (`consumeUnverified`), so guessing costs the guesser.
 */
export type ApiRateVerdict = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
};

export type ApiRateLimiter = {
  /** A call of a verified key: its own limit and its tenant's. */
  consume(call: { keyId: string; tenantId: string; keyLimit: number }): Promise<ApiRateVerdict>;
  /** A call whose token has not verified (yet): the client address's limit. */
  consumeUnverified(call: { clientIp: string }): Promise<ApiRateVerdict>;
};

export const DEFAULT_KEY_LIMIT_PER_MINUTE = 600;
export const DEFAULT_TENANT_LIMIT_PER_MINUTE = 3000;

export function createApiRateLimiter(
  options: { tenantPerMinute?: number; unverifiedPerMinute?: number } = {},
): ApiRateLimiter {
  const tenantLimit = options.tenantPerMinute ?? DEFAULT_TENANT_LIMIT_PER_MINUTE;
  const unverifiedLimit = options.unverifiedPerMinute ?? DEFAULT_KEY_LIMIT_PER_MINUTE;
  const tenants = new RateLimiterMemory({ keyPrefix: 'api-tenant', points: tenantLimit, duration: 60 });
  const addresses = new RateLimiterMemory({
    keyPrefix: 'api-unverified',
    points: unverifiedLimit,
    duration: 60,
  });
  const byLimit = new Map<number, RateLimiterMemory>();
  const keyLimiter = (points: number) => {
    let limiter = byLimit.get(points);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: `api-key-${points}`, points, duration: 60 });
      byLimit.set(points, limiter);
    }
    return limiter;
  };
  const take = async (limiter: RateLimiterMemory, key: string, points: number) => {
    try {
      const res = await limiter.consume(key);
      return { allowed: true, limit: points, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return { allowed: false, limit: points, remaining: 0, resetMs: error.msBeforeNext };
    }
  };
  const verdictOf = (binding: { allowed: boolean; limit: number; remaining: number; resetMs: number }) => ({
    allowed: binding.allowed,
    limit: binding.limit,
    remaining: Math.max(0, binding.remaining),
    resetSeconds: Math.max(1, Math.ceil(binding.resetMs / 1000)),
  });
  return {
    async consumeUnverified({ clientIp }) {
      return verdictOf(await take(addresses, clientIp, unverifiedLimit));
    },
    async consume({ keyId, tenantId, keyLimit }) {
      const key = await take(keyLimiter(keyLimit), keyId, keyLimit);
      const tenant = key.allowed
        ? await take(tenants, tenantId, tenantLimit)
        : { allowed: true, limit: tenantLimit, remaining: tenantLimit, resetMs: 0 };
      const binding = !key.allowed
        ? key
        : !tenant.allowed
          ? tenant
          : key.remaining <= tenant.remaining
            ? key
            : tenant;
      return verdictOf({ ...binding, allowed: key.allowed && tenant.allowed });
    },
  };
}
