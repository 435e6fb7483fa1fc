import { timingSafeEqual } from 'node:crypto';
import {
  API_V1_ROUTES,
  type ApiDependencies,
  type ApiV1Outcome,
  type ApiV1Route,
  hashSecret,
  inputFromQuery,
  openApiDocument,
  type ParsedApiKey,
  parseApiKey,
  problem,
  resolveLocale,
  runApiV1,
} from '@crm/api';
import { type ApiRateLimiter, type ApiRateVerdict, createApiRateLimiter } from '@crm/auth';
import type { Context, Hono } from 'hono';
import { mountApiDocs } from './api-docs';
import { clientIp } from './middleware/client-ip';

export type ApiV1Options = {
  dependencies: ApiDependencies;
  trustProxyHops: number;
  /** The per-key and per-tenant limits (tests use tight ones). */
  rateLimiter?: ApiRateLimiter;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEARER = /^Bearer\s+(\S+)\s*$/i;
const MAX_BODY_BYTES = 1024 * 1024;

function setRateHeaders(headers: Headers, verdict: ApiRateVerdict) {
  headers.set('RateLimit-Limit', String(verdict.limit));
  headers.set('RateLimit-Remaining', String(verdict.remaining));
  headers.set('RateLimit-Reset', String(verdict.resetSeconds));
}

/** A token this process has seen verify: its secret's hash, its tenant and its key's limit. */
type VerifiedKey = { secretHash: Buffer; tenantId: string; limit: number };

function send(headers: Headers, outcome: ApiV1Outcome): Response {
  const isProblem = outcome.status >= 400;
  headers.set(
    'Content-Type',
    isProblem ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8',
  );
  return new Response(JSON.stringify(outcome.body), { status: outcome.status, headers });
}

/**
 * The REST API for integrations (`/api/v1`, docs/api.md): every route of API_V1_ROUTES
 * through one door — `Authorization: Bearer crmk_…` (no cookies: a browser's session never
 * reaches this API, so there is nothing for a cross-site request to ride on), the key's
 * and the tenant's rate limits with `RateLimit-*` headers, UUID path ids, the JSON body or
 * the query string as the procedure's input, `Idempotency-Key` on writes, and problem
 * details on failure. Each call is logged with its key (the audit of API use).
 */
export function mountApiV1(app: Hono<{ Variables: { requestId: string } }>, options: ApiV1Options) {
  const limiter = options.rateLimiter ?? createApiRateLimiter();
  /**
   * The tokens that verified here, by key id (one entry per real key: only a verified token
   * is remembered). A token is charged to its key and tenant only when it is one of these; the
   * ids inside any other token are an unverified claim (docs/api.md, "Limits").
   */
  const verifiedKeys = new Map<string, VerifiedKey>();
  const verifiedKeyOf = (parsed: ParsedApiKey): VerifiedKey | null => {
    const known = verifiedKeys.get(parsed.keyId);
    if (!known || known.tenantId !== parsed.tenantId) return null;
    return timingSafeEqual(hashSecret(parsed.secret), known.secretHash) ? known : null;
  };
  const { logger } = options.dependencies;

  const door = (route: ApiV1Route) => async (c: Context) => {
    const headers = new Headers({ 'Cache-Control': 'no-store' });
    const locale = resolveLocale(c.req.header('x-locale'), c.req.header('accept-language'));
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    const parsed = match ? parseApiKey(match[1] as string) : null;
    if (!match || !parsed) {
      headers.set('WWW-Authenticate', 'Bearer realm="crm-api"');
      return send(headers, problem('API_KEY_INVALID', locale));
    }
    const id = c.req.param('id');
    if (id !== undefined && !UUID.test(id))
      return send(
        headers,
        problem('notFound' in route && route.notFound ? route.notFound : 'API_ROUTE_NOT_FOUND', locale),
      );

    // A token seen to verify is charged to its key and tenant before the call (so a limited key
    // costs no database work); any other is charged to the client's address, and to its key and
    // tenant only once the call has verified it.
    const address = clientIp(c, options.trustProxyHops);
    const known = verifiedKeyOf(parsed);
    const verdict = known
      ? await limiter.consume({ keyId: parsed.keyId, tenantId: parsed.tenantId, keyLimit: known.limit })
      : await limiter.consumeUnverified({ clientIp: address });
    setRateHeaders(headers, verdict);
    if (!verdict.allowed) {
      headers.set('Retry-After', String(verdict.resetSeconds));
      return send(headers, problem('API_RATE_LIMITED', locale, { seconds: verdict.resetSeconds }));
    }

    let input: unknown;
    if (route.method === 'GET') {
      input = inputFromQuery(route.input, c.req.queries());
    } else {
      const contentType = c.req.header('content-type') ?? '';
      const text = await c.req.text();
      if (text.length > MAX_BODY_BYTES) return send(headers, problem('INVALID_INPUT', locale));
      if (text.trim() === '') input = {};
      else {
        if (!contentType.toLowerCase().startsWith('application/json'))
          return send(headers, problem('INVALID_INPUT', locale));
        try {
          input = JSON.parse(text);
        } catch {
          return send(headers, problem('INVALID_INPUT', locale));
        }
      }
    }
    if (id !== undefined) input = { ...(typeof input === 'object' && input !== null ? input : {}), id };

    // The tenant's requests at once (T5.9), for a token this process has verified before: at
    // the cap the call waits behind the tenant's own, past the waiting line it is refused.
    const gate = options.dependencies.tenantGate;
    const release = known ? await gate.enter(parsed.tenantId) : () => {};
    if (!release) {
      headers.set('Retry-After', '1');
      return send(headers, problem('TENANT_BUSY', locale, { max: gate.maxInFlight }));
    }
    let actor: string | null = null;
    let verifiedLimit: number | null = null;
    const outcome = await runApiV1(
      options.dependencies,
      {
        requestId: c.get('requestId') as string,
        sessionToken: null,
        clientIp: address,
        locale,
        idempotencyKey:
          'idempotent' in route && route.idempotent ? (c.req.header('idempotency-key') ?? null) : null,
        setSessionCookie: () => undefined,
        clearSessionCookie: () => undefined,
      },
      {
        route,
        token: match[1] as string,
        input,
        onVerified: (key) => {
          verifiedKeys.set(key.keyId, {
            secretHash: hashSecret(parsed.secret),
            tenantId: parsed.tenantId,
            limit: key.limit,
          });
          verifiedLimit = key.limit;
          actor = key.userId;
        },
      },
    ).finally(release);
    if (known && outcome.status === 401) verifiedKeys.delete(parsed.keyId);
    if (!known && verifiedLimit !== null) {
      // Verified by this call: it is the key's and the tenant's from now on, this call included.
      setRateHeaders(
        headers,
        await limiter.consume({ keyId: parsed.keyId, tenantId: parsed.tenantId, keyLimit: verifiedLimit }),
      );
    }
    logger.info(
      {
        event: 'api.call',
        requestId: c.get('requestId'),
        tenantId: parsed.tenantId,
        apiKeyId: parsed.keyId,
        userId: actor,
        route: route.id,
        status: outcome.status,
      },
      'api call',
    );
    return send(headers, outcome);
  };

  // The OpenAPI 3.1 document (generated from the routes and their zod schemas) and its
  // interactive reference page (api-docs.ts). Neither needs a key.
  app.get('/api/v1/openapi.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(openApiDocument());
  });
  mountApiDocs(app);

  for (const route of API_V1_ROUTES) {
    const path = route.path.replace(/\{(\w+)\}/g, ':$1');
    app.on(route.method, path, door(route));
  }
}

/** Anything else under /api/v1 answers 404 as problem details (never the web app's shell). */
export function mountApiV1Fallback(app: Hono<{ Variables: { requestId: string } }>) {
  app.all('/api/v1/*', (c) => {
    const locale = resolveLocale(c.req.header('x-locale'), c.req.header('accept-language'));
    return send(new Headers({ 'Cache-Control': 'no-store' }), problem('API_ROUTE_NOT_FOUND', locale));
  });
}
