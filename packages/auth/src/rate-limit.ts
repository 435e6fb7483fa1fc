import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

export type LoginRateLimits = {
  perAccount: { points: number; durationSeconds: number };
  perIp: { points: number; durationSeconds: number };
};

/** SECURITY.md T3.5: at most 10 tries per account and 100 per IP in 15 minutes. */
export const DEFAULT_LOGIN_RATE_LIMITS: LoginRateLimits = {
  perAccount: { points: 10, durationSeconds: 15 * 60 },
  perIp: { points: 100, durationSeconds: 15 * 60 },
};

/**
 * Counts failed sign-ins per account and per client IP. The IP comes from the socket
 * (or a proxy header only when the operator configured one), so a client cannot reset
 * its counter by sending its own X-Forwarded-For. Windows expire: no permanent lockout.
 */
export class LoginRateLimiter {
  readonly #perAccount: RateLimiterMemory;
  readonly #perIp: RateLimiterMemory;

  constructor(limits: LoginRateLimits = DEFAULT_LOGIN_RATE_LIMITS) {
    this.#perAccount = new RateLimiterMemory({
      keyPrefix: 'login-account',
      points: limits.perAccount.points,
      duration: limits.perAccount.durationSeconds,
    });
    this.#perIp = new RateLimiterMemory({
      keyPrefix: 'login-ip',
      points: limits.perIp.points,
      duration: limits.perIp.durationSeconds,
    });
  }

  /** Seconds to wait before another try, or 0 when allowed. */
  async retryAfterSeconds(email: string, ip: string): Promise<number> {
    const [account, address] = await Promise.all([this.#perAccount.get(email), this.#perIp.get(ip)]);
    const blocked = [
      account && account.remainingPoints <= 0 ? account : null,
      address && address.remainingPoints <= 0 ? address : null,
    ].filter((result): result is RateLimiterRes => result !== null);
    if (blocked.length === 0) return 0;
    return Math.max(...blocked.map((result) => Math.ceil(result.msBeforeNext / 1000)), 1);
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([this.#perAccount.penalty(email, 1), this.#perIp.penalty(ip, 1)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.#perAccount.delete(email);
  }
}
