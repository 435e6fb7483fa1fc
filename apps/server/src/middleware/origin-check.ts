import type { MiddlewareHandler } from 'hono';

export type OriginCheckOptions = {
  /** The origins allowed: the configured public URL's (the dev server's proxy presents that one too). */
  allowedOrigins: string[];
  /**
   * Content types a state-changing request may have; default JSON only. Any other than the
   * three a form can send (urlencoded, multipart, text/plain) also needs a CORS preflight,
   * e.g. `application/octet-stream` for a file upload.
   */
  contentTypes?: string[];
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
  const contentTypes = new Set(options.contentTypes ?? ['application/json']);
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const contentType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (contentType === undefined || !contentTypes.has(contentType)) {
      return c.json(
        {
          error: {
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: `Content-Type must be ${[...contentTypes].join(' or ')}`,
          },
        },
        415,
      );
    }
    // Only the configured origins: the request's own Host is the caller's to choose, so it
    // proves nothing (a request with Host: evil.example and a matching Origin).
    const origin = c.req.header('origin');
    if (origin !== undefined && !allowed.has(origin)) {
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
