import type { MiddlewareHandler } from 'hono';

export type OriginCheckOptions = {
  /** Origins allowed besides the request's own (scheme + Host), e.g. the configured public URL. */
  allowedOrigins: string[];
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for a cookie-authenticated JSON API (SECURITY.md R3.10, T3.7):
 * - a state-changing request must be `application/json`, which no cross-site form or
 *   "simple" fetch can send without a CORS preflight (which we never grant);
 * - when a browser says where the request comes from (Origin or Sec-Fetch-Site), it must be
 *   this site. Clients that send neither are not browsers and carry no ambient cookie risk.
 */
export function originCheck(options: OriginCheckOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins.map((origin) => new URL(origin).origin));
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const contentType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      return c.json(
        { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Content-Type must be application/json' } },
        415,
      );
    }
    const origin = c.req.header('origin');
    const ownOrigin = new URL(c.req.url).origin;
    if (origin !== undefined && origin !== ownOrigin && !allowed.has(origin)) {
      return c.json({ error: { code: 'FORBIDDEN_ORIGIN', message: 'Cross-origin request refused' } }, 403);
    }
    const fetchSite = c.req.header('sec-fetch-site');
    if (
      fetchSite !== undefined &&
      fetchSite !== 'same-origin' &&
      fetchSite !== 'none' &&
      origin === undefined
    ) {
      return c.json({ error: { code: 'FORBIDDEN_ORIGIN', message: 'Cross-site request refused' } }, 403);
    }
    return next();
  };
}
