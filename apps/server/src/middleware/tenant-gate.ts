import { type ApiDependencies, type ErrorCode, resolveLocale, translateError } from '@crm/api';
import { parseSessionToken } from '@crm/auth';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** JSON-RPC's codes for the HTTP statuses tRPC answers with (what its clients read). */
const JSON_RPC_CODES = { 400: -32600, 413: -32600, 429: -32029 } as const;
const TRPC_CODES = { 400: 'BAD_REQUEST', 413: 'PAYLOAD_TOO_LARGE', 429: 'TOO_MANY_REQUESTS' } as const;

/**
 * A refusal of a tRPC request before tRPC reads it, shaped as tRPC's own errors (the web
 * client shows `message`, reads `data.appCode`): for a batch too, whose client applies one
 * error to every call of the batch.
 */
export function trpcRefusal(
  c: Context,
  status: keyof typeof JSON_RPC_CODES,
  appCode: ErrorCode,
  params: Record<string, string | number>,
): Response {
  const locale = resolveLocale(c.req.header('x-locale'), c.req.header('accept-language'));
  return c.json(
    {
      error: {
        message: translateError(appCode, locale, params),
        code: JSON_RPC_CODES[status],
        data: { code: TRPC_CODES[status], httpStatus: status, appCode, appParams: params, fieldErrors: [] },
      },
    },
    status as ContentfulStatusCode,
  );
}

/** How many calls a tRPC request carries (a batch's paths are joined by commas). */
function callsOf(c: Context): number {
  if (c.req.query('batch') !== '1') return 1;
  return c.req.path.slice('/trpc/'.length).split(',').length;
}

/**
 * SECURITY.md T5.9, before any work: a tRPC request of a session this process has served is
 * known by its cookie to belong to a tenant, before it is read. If this process already
 * refused that tenant in the current minute (its requests per minute), it is refused here
 * again (429 TENANT_RATE_LIMITED); otherwise it takes one of the tenant's slots (a batch
 * one per call) — at the tenant's cap it waits behind the tenant's own earlier requests, and
 * past the waiting line or the wait it is refused (429 TENANT_BUSY). Nothing of it reaches
 * tRPC, the pool or the database. A session's first request here passes and teaches its
 * tenant (trpc.ts).
 */
export function tenantGate(dependencies: ApiDependencies): MiddlewareHandler {
  return async (c, next) => {
    const { tenantGate: gate, tenantRateLimiter: limiter, sessionCookie } = dependencies;
    if (!limiter && gate.maxInFlight === Number.POSITIVE_INFINITY) return next();
    const cookie = getCookie(c, sessionCookie.name);
    const token = cookie ? parseSessionToken(cookie) : null;
    const tenantId = token ? gate.tenantOf(`session:${token.id}`) : undefined;
    if (!tenantId) return next();
    const blocked = limiter?.blockedSeconds(tenantId) ?? 0;
    if (limiter && blocked > 0) {
      const refusal = trpcRefusal(c, 429, 'TENANT_RATE_LIMITED', { seconds: blocked, limit: limiter.limit });
      refusal.headers.set('RateLimit-Limit', String(limiter.limit));
      refusal.headers.set('RateLimit-Remaining', '0');
      refusal.headers.set('RateLimit-Reset', String(blocked));
      refusal.headers.set('Retry-After', String(blocked));
      return refusal;
    }
    const release = await gate.enter(tenantId, callsOf(c));
    if (!release) return tenantBusy(c, gate.maxInFlight);
    try {
      await next();
    } finally {
      release();
    }
  };
}

function tenantBusy(c: Context, max: number): Response {
  const refusal = trpcRefusal(c, 429, 'TENANT_BUSY', { max });
  refusal.headers.set('Retry-After', '1');
  return refusal;
}
