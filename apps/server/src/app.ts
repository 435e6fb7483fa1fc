import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiDependencies, appRouter, createContext, resolveLocale } from '@crm/api';
import type { ApiRateLimiter, PublicDoorRateLimiter } from '@crm/auth';
import { runWithRequestId, sql } from '@crm/db';
import { serveStatic } from '@hono/node-server/serve-static';
import { trpcServer } from '@hono/trpc-server';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { generateCookie, getCookie } from 'hono/cookie';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { mountApiV1, mountApiV1Fallback } from './api-v1';
import { type Metrics, mountMetrics } from './metrics';
import { clientIp } from './middleware/client-ip';
import { originCheck } from './middleware/origin-check';
import { tenantGate, trpcRefusal } from './middleware/tenant-gate';
import { mountPublicDoors } from './public-doors';
import { mountRestRoutes } from './rest-routes';
import { webAppPages } from './web-app';

export type AppOptions = {
  dependencies: ApiDependencies;
  publicUrl: string;
  trustProxyHops?: number;
  /** The largest import file an upload may send (default 1 GB). */
  importMaxBytes?: number;
  /** The built web app; when absent the server answers with a hint to build it. */
  webDist?: string;
  /** False while the process shuts down: /readyz answers 503 so a load balancer stops sending. */
  isReady?: () => boolean;
  /** INBOUND_HOOK_SECRET: signs the reply hook's requests; unset, the hook answers 404. */
  inboundHookSecret?: string | null;
  /** The public doors' rate limits (tests use tight ones). */
  publicDoorLimiter?: PublicDoorRateLimiter;
  /** Prometheus metrics, served at /metrics to a request bearing `metricsToken` (main.ts: METRICS_TOKEN). */
  metrics?: Metrics;
  metricsToken?: string;
  /** The REST API's per-key and per-tenant limits (tests use tight ones). */
  apiRateLimiter?: ApiRateLimiter;
};

type Variables = { requestId: string };

/** The most calls one tRPC batch request may carry (apps/web batches at most this many). */
export const MAX_BATCH_SIZE = 20;

/**
 * A header on the response a handler already returned. Hono's c.header() would rebuild that
 * response around its body stream (and @hono/node-server then streams it instead of writing
 * the string it holds): measured at a few hundred µs per tRPC call. Headers of a response
 * made with `new Response()` are mutable; a response with immutable headers gets c.header().
 */
function setResponseHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

/** The HTTP surface: health, tRPC at /trpc, and the web app. Tests drive it with app.request(). */
export function createApp(options: AppOptions) {
  const { dependencies } = options;
  const { logger, sessionCookie } = dependencies;
  const app = new Hono<{ Variables: Variables }>();

  // First: a door answers before any of the middleware below runs (public-doors.ts).
  mountPublicDoors(app, {
    dependencies,
    trustProxyHops: options.trustProxyHops ?? 0,
    inboundHookSecret: options.inboundHookSecret ?? null,
    rateLimiter: options.publicDoorLimiter,
    metrics: options.metrics,
  });

  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    // The request id travels with everything the request does: its transactions (audit rows),
    // the jobs it enqueues and their logs (@crm/db request-context).
    await runWithRequestId(c.get('requestId'), next);
    setResponseHeader(c, 'X-Request-Id', c.get('requestId'));
    const elapsed = performance.now() - started;
    // The path only: tRPC query inputs travel in the query string and must not reach the logs.
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round(elapsed * 10) / 10,
      },
      'request',
    );
    options.metrics?.observeRequest(c, elapsed / 1000);
  });
  app.use(
    secureHeaders({
      // A header a handler set itself stands; the rest get these. (The public doors answer
      // before this runs, with their own: public-doors.ts.)
      overwrite: false,
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
      referrerPolicy: 'strict-origin-when-cross-origin',
      xFrameOptions: 'DENY',
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The component library injects its styles at runtime.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    }),
  );

  mountProbes(app, dependencies, options.isReady ?? (() => true));
  mountMetrics(app as unknown as Hono<never>, options.metrics, options.metricsToken);

  app.use('/trpc/*', async (c, next) => {
    await next();
    setResponseHeader(c, 'Cache-Control', 'no-store');
  });
  // Only requests that carry a body: reading `body` makes @hono/node-server build a full
  // fetch Request for the incoming message, which a GET (every query) never needs.
  const limitBody = bodyLimit({
    maxSize: 1024 * 1024,
    onError: (c) => trpcRefusal(c, 413, 'REQUEST_TOO_LARGE', { max: '1 MB' }),
  });
  app.use('/trpc/*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );
  app.use('/trpc/*', originCheck({ allowedOrigins: [options.publicUrl] }));
  // A batch is one transaction per call, each with its session lookup: cap how many one
  // request may carry (the web client batches at most as many).
  app.use('/trpc/*', async (c, next) => {
    if (c.req.query('batch') !== '1') return next();
    const count = c.req.path.slice('/trpc/'.length).split(',').length;
    if (count <= MAX_BATCH_SIZE) return next();
    return trpcRefusal(c, 400, 'BATCH_TOO_LARGE', { max: MAX_BATCH_SIZE, count });
  });
  // A tenant's requests per minute and at once, checked before the request is read.
  app.use('/trpc/*', tenantGate(dependencies));
  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      allowMethodOverride: false,
      maxBatchSize: MAX_BATCH_SIZE,
      onError: ({ error, path }) => {
        const cause = error.cause as { code?: unknown } | undefined;
        options.metrics?.countError(path, typeof cause?.code === 'string' ? cause.code : error.code);
      },
      createContext: (fetchOptions, c) =>
        createContext(dependencies, {
          requestId: c.get('requestId') as string,
          sessionToken: getCookie(c, sessionCookie.name) ?? null,
          clientIp: clientIp(c, options.trustProxyHops ?? 0),
          locale: resolveLocale(c.req.header('x-locale'), c.req.header('accept-language')),
          idempotencyKey: c.req.header('idempotency-key') ?? null,
          setSessionCookie(token, expiresAt) {
            fetchOptions.resHeaders.append(
              'Set-Cookie',
              generateCookie(sessionCookie.name, token, { ...sessionCookie.attributes, expires: expiresAt }),
            );
          },
          setResponseHeader(name, value) {
            fetchOptions.resHeaders.set(name, value);
          },
          clearSessionCookie() {
            fetchOptions.resHeaders.append(
              'Set-Cookie',
              generateCookie(sessionCookie.name, '', { ...sessionCookie.attributes, maxAge: 0 }),
            );
          },
        }),
    }),
  );

  mountRestRoutes(app, {
    dependencies,
    publicUrl: options.publicUrl,
    trustProxyHops: options.trustProxyHops ?? 0,
    maxBytes: options.importMaxBytes ?? 1024 * 1024 * 1024,
  });

  mountApiV1(app, {
    dependencies,
    trustProxyHops: options.trustProxyHops ?? 0,
    rateLimiter: options.apiRateLimiter,
  });
  mountApiV1Fallback(app);

  const webDist = options.webDist;
  if (webDist && existsSync(join(webDist, 'index.html'))) {
    const pages = webAppPages(webDist);
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.status === 200) setResponseHeader(c, 'Cache-Control', 'public, max-age=31536000, immutable');
    });
    // The build writes .br and .gz copies beside each asset; send the one the browser accepts.
    app.use('/*', serveStatic({ root: webDist, precompressed: true }));
    // Client-side routes: every other GET gets the app shell, with the page's own scripts named for preloading.
    app.get('*', (c) => c.html(pages.htmlFor(c.req.path)));
  } else {
    app.get('*', (c) =>
      c.text('The web app is not built yet. Run `pnpm --filter @crm/web build`, or use `pnpm start`.', 404),
    );
  }

  return app;
}

/**
 * The probes of a load balancer or orchestrator. /healthz (live): the database answers, and
 * no background job is stuck — a job still running past its bound (its expiry) makes the
 * answer 503 'degraded', named by job, with no tenant data. /readyz (ready for traffic): the
 * process finished starting (migrations ran before it listens) and is not shutting down, and
 * the database answers.
 */
function mountProbes(
  app: Hono<{ Variables: Variables }>,
  dependencies: ApiDependencies,
  isReady: () => boolean,
) {
  const { logger } = dependencies;
  app.get('/healthz', async (c) => {
    try {
      await dependencies.database.withScope({}, (trx) => sql`select 1`.execute(trx));
      const overdue = await dependencies.jobs.listOverdue();
      if (overdue.length > 0) {
        logger.warn({ requestId: c.get('requestId'), overdue }, 'jobs running past their bound');
        return c.json(
          {
            status: 'degraded',
            overdueJobs: overdue.map((job) => ({
              name: job.name,
              count: job.count,
              oldestStartedAt: job.oldestStartedAt.toISOString(),
            })),
          },
          503,
        );
      }
      return c.json({ status: 'ok' });
    } catch (error) {
      logger.error({ requestId: c.get('requestId'), err: error }, 'health check failed');
      return c.json({ status: 'unavailable' }, 503);
    }
  });

  app.get('/readyz', async (c) => {
    if (!isReady()) return c.json({ status: 'stopping' }, 503);
    try {
      await dependencies.database.withScope({}, (trx) => sql`select 1`.execute(trx));
      return c.json({ status: 'ready' });
    } catch (error) {
      logger.error({ requestId: c.get('requestId'), err: error }, 'readiness check failed');
      return c.json({ status: 'unavailable' }, 503);
    }
  });
}

/** A worker process's HTTP surface: its probes only. */
export function createProbeApp(
  dependencies: ApiDependencies,
  isReady: () => boolean,
  metrics?: { metrics: Metrics; token: string },
) {
  const app = new Hono<{ Variables: Variables }>();
  app.use('*', requestId());
  mountProbes(app, dependencies, isReady);
  mountMetrics(app as unknown as Hono<never>, metrics?.metrics, metrics?.token);
  app.all('*', (c) =>
    c.text('This is a worker process (ROLE=worker): it serves /healthz and /readyz only.', 404),
  );
  return app;
}
