import { createHash } from 'node:crypto';
import { CompiledQuery, type CrmDatabase } from '@crm/db';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';

export type LoginRateLimits = {
  perAccount: { points: number; durationSeconds: number };
  perIp: { points: number; durationSeconds: number };
};

/** SECURITY.md T3.5: at most 10 tries per account and 100 per IP in 15 minutes. */
export const DEFAULT_LOGIN_RATE_LIMITS: LoginRateLimits = {
  perAccount: { points: 10, durationSeconds: 15 * 60 },
  perIp: { points: 100, durationSeconds: 15 * 60 },
};

type Limiter = RateLimiterMemory | RateLimiterPostgres;

/**
 * rate-limiter-flexible's PostgreSQL store speaks to a `pg`-style pool (`query({ text,
 * values })`); this one runs its statements on the product's own connection, outside any
 * tenant, on the `login_rate_limits` table (migration 2026-12-09-0901). The limiter's key —
 * an email or an address with its prefix — is stored as its SHA-256, never as itself.
 */
export function postgresStoreClient(database: CrmDatabase) {
  return {
    async query(query: { text: string; values?: unknown[]; name?: string }) {
      const values = [...(query.values ?? [])];
      // The statements that take the key first: upsert, get and delete (not clear-expired).
      if (/rlflx-(upsert|upsert-force|get|delete)$/.test(query.name ?? '') && typeof values[0] === 'string') {
        values[0] = createHash('sha256').update(values[0]).digest('hex');
      }
      const result = await database.withoutTenant((db) =>
        db.executeQuery(CompiledQuery.raw(query.text, values)),
      );
      return { rows: result.rows, rowCount: result.rows.length || Number(result.numAffectedRows ?? 0) };
    },
  };
}

/**
 * Counts failed sign-ins per account and per client IP. The IP comes from the socket
 * (or a proxy header only when the operator configured one), so a client cannot reset
 * its counter by sending its own X-Forwarded-For. Windows expire: no permanent lockout.
 *
 * With a PostgreSQL server the counts live in the database, shared by every web process
 * (docs/scaling.md); on the embedded database — one process — in memory.
 */
export class LoginRateLimiter {
  readonly #perAccount: Limiter;
  readonly #perIp: Limiter;

  constructor(limits: LoginRateLimits = DEFAULT_LOGIN_RATE_LIMITS, database?: CrmDatabase) {
    const shared = database?.kind === 'postgres' ? postgresStoreClient(database) : null;
    const limiter = (keyPrefix: string, points: number, duration: number): Limiter =>
      shared
        ? new RateLimiterPostgres({
            storeClient: shared,
            storeType: 'pool',
            tableName: 'login_rate_limits',
            tableCreated: true,
            clearExpiredByTimeout: true,
            keyPrefix,
            points,
            duration,
          })
        : new RateLimiterMemory({ keyPrefix, points, duration });
    this.#perAccount = limiter('login-account', limits.perAccount.points, limits.perAccount.durationSeconds);
    this.#perIp = limiter('login-ip', limits.perIp.points, limits.perIp.durationSeconds);
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

/** A public door without a session: the pixel, tracked links, hosted forms, the reply hook. */
export type PublicDoor =
  | 'pixel'
  | 'click'
  | 'form_view'
  | 'form_submit'
  | 'reply_hook'
  | 'survey_view'
  | 'survey_submit'
  | 'inbound_email';

export type PublicDoorLimits = Record<
  PublicDoor,
  {
    perIp: { points: number; durationSeconds: number };
    perToken: { points: number; durationSeconds: number };
  }
>;

const minute = (points: number) => ({ points, durationSeconds: 60 });

/**
 * Per minute: an address may open 240 pixels and follow 120 links (a company behind one NAT
 * reads a campaign together), one email's pixel or link counts 30 times; a form is shown 60
 * times and submitted 5 times per address, 300 submissions a minute per form at most; the
 * reply hook takes 600 calls per address. A survey page is opened 60 times a minute per
 * address and 30 per link, and submitted 10 times per address and 5 per link (a replay or a
 * guess of the next token is stopped early; a signed token cannot be guessed anyway). A
 * tenant's inbound email address takes 60 emails a minute, 120 per gateway address.
 */
export const DEFAULT_PUBLIC_DOOR_LIMITS: PublicDoorLimits = {
  pixel: { perIp: minute(240), perToken: minute(30) },
  click: { perIp: minute(120), perToken: minute(30) },
  form_view: { perIp: minute(60), perToken: minute(1200) },
  form_submit: { perIp: minute(5), perToken: minute(300) },
  reply_hook: { perIp: minute(600), perToken: minute(60) },
  survey_view: { perIp: minute(60), perToken: minute(30) },
  survey_submit: { perIp: minute(10), perToken: minute(5) },
  inbound_email: { perIp: minute(120), perToken: minute(60) },
};

/**
 * Rate limits of the public doors, per client address and per token (a token names one
 * email, link or form), each door on its own counters. In the process's memory like the
 * sign-in limits: with several web processes each counts its own share.
 */
export class PublicDoorRateLimiter {
  readonly #limiters: Map<string, RateLimiterMemory>;

  /** Doors left out of `limits` keep their default limits. */
  constructor(limits: Partial<PublicDoorLimits> = DEFAULT_PUBLIC_DOOR_LIMITS) {
    this.#limiters = new Map();
    for (const [door, limit] of Object.entries({ ...DEFAULT_PUBLIC_DOOR_LIMITS, ...limits })) {
      this.#limiters.set(
        `${door}:ip`,
        new RateLimiterMemory({
          keyPrefix: `${door}-ip`,
          points: limit.perIp.points,
          duration: limit.perIp.durationSeconds,
        }),
      );
      this.#limiters.set(
        `${door}:token`,
        new RateLimiterMemory({
          keyPrefix: `${door}-token`,
          points: limit.perToken.points,
          duration: limit.perToken.durationSeconds,
        }),
      );
    }
  }

  /** Counts one request; false when the address or the token is over its limit. */
  async allow(door: PublicDoor, ip: string, token: string): Promise<boolean> {
    const byIp = this.#limiters.get(`${door}:ip`) as RateLimiterMemory;
    const byToken = this.#limiters.get(`${door}:token`) as RateLimiterMemory;
    const results = await Promise.allSettled([byIp.consume(ip), byToken.consume(token.slice(0, 200))]);
    return results.every((result) => result.status === 'fulfilled');
  }
}
