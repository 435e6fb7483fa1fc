import {
  type ApiDependencies,
  followLink,
  HONEYPOT_FIELD,
  openForm,
  PUBLIC_ROUTES,
  type PublicRouteId,
  pageLocaleOf,
  receiveInboundPost,
  receiveReply,
  recordOpen,
  renderLeadFormPage,
  submitForm,
  submitSurvey,
  viewSurvey,
} from '@crm/api';
import { type PublicDoor, PublicDoorRateLimiter } from '@crm/auth';
import { runWithRequestId } from '@crm/db';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Metrics } from './metrics';
import { clientIp } from './middleware/client-ip';

export type PublicDoorsOptions = {
  dependencies: ApiDependencies;
  trustProxyHops: number;
  /** INBOUND_HOOK_SECRET: the reply hook's HMAC secret; unset, the hook answers 404. */
  inboundHookSecret: string | null;
  rateLimiter?: PublicDoorRateLimiter;
  metrics?: Metrics;
};

/**
 * What a door answers: its status, body and headers (one of the fixed sets below), made into a
 * Response once, with the request id, by the door (`mountPublicDoors`).
 */
type DoorAnswer = {
  status: number;
  body: string | Uint8Array | null;
  headers: Readonly<Record<string, string>>;
};

/*
 * The doors answer before the app's middleware (secure headers, request id, request log), so
 * their headers are written here, built once per kind of answer. Every answer: no-store,
 * HSTS and nosniff as the app's. A page (the survey, the lead form) also gets the rest of the
 * app's secure headers (app.ts) with its own CSP; apps/server/test/surveys.test.ts compares
 * them with the app's.
 */
const EVERY_ANSWER = {
  'Cache-Control': 'no-store',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
} as const;

const PAGE = {
  ...EVERY_ANSWER,
  'Content-Type': 'text/html; charset=utf-8',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
} as const;

/** The survey page runs no script and is framed by no one. */
const SURVEY_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const SURVEY_PAGE = {
  ...PAGE,
  'Content-Security-Policy': SURVEY_CSP,
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
} as const;

/** The hosted form may be framed by any site (the snippet): no X-Frame-Options; it runs no script. */
const FORM_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors *; base-uri 'none'";

const FORM_PAGE = {
  ...PAGE,
  'Content-Security-Policy': FORM_CSP,
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;

const TEXT = { ...EVERY_ANSWER, 'Content-Type': 'text/plain; charset=utf-8' } as const;
const JSON_ANSWER = { ...EVERY_ANSWER, 'Content-Type': 'application/json; charset=utf-8' } as const;

/** A transparent 1×1 GIF: the same bytes for every pixel request, valid token or not. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Shown inside someone else's page (a webmail's): a cross-origin image. */
const PIXEL_ANSWER: DoorAnswer = {
  status: 200,
  body: PIXEL,
  headers: {
    ...EVERY_ANSWER,
    'Cache-Control': 'no-store, no-cache, must-revalidate, private',
    'Content-Type': 'image/gif',
    'Content-Length': String(PIXEL.length),
    'Cross-Origin-Resource-Policy': 'cross-origin',
  },
};

const NOT_FOUND: DoorAnswer = { status: 404, body: 'Not found', headers: TEXT };
const TOO_MANY: DoorAnswer = {
  status: 429,
  body: 'Too many requests',
  headers: { ...TEXT, 'Retry-After': '60' },
};
const TOO_LARGE: DoorAnswer = { status: 413, body: 'Payload too large', headers: TEXT };
const FAILED: DoorAnswer = { status: 500, body: 'Internal Server Error', headers: TEXT };
/** What the body limit returns over the cap: never sent (the door answers TOO_LARGE). */
const OVER_THE_CAP = new Response(null, { status: 413 });

function surveyPage(answer: { status: number; html: string }): DoorAnswer {
  // Bytes, not the string: a string body is made well-formed and then encoded (two passes).
  const body = Buffer.from(answer.html);
  return {
    status: answer.status,
    body,
    headers: { ...SURVEY_PAGE, 'Content-Length': String(body.length) },
  };
}

function formPage(html: string, status = 200): DoorAnswer {
  return { status, body: html, headers: FORM_PAGE };
}

function json(status: number, value: unknown): DoorAnswer {
  return { status, body: JSON.stringify(value), headers: JSON_ANSWER };
}

type Handler = (c: Context, options: PublicDoorsOptions, token: string) => Promise<DoorAnswer>;

/** The handlers, one per public route (a route without one does not compile). */
const HANDLERS: Record<PublicRouteId, Handler> = {
  /** GET /t/o/:token.gif — the open pixel: always the same GIF; records an open once per window. */
  'leadEvents.pixel': async (_c, options, token) => {
    try {
      await recordOpen(options.dependencies, token.replace(/\.gif$/, ''));
    } catch (error) {
      options.dependencies.logger.error({ err: error }, 'pixel: recording the open failed');
    }
    return PIXEL_ANSWER;
  },

  /** GET /t/c/:token?u=<target> — redirects to the signed target only; anything else 404. */
  'leadEvents.click': async (c, options, token) => {
    const target = await followLink(options.dependencies, token, c.req.query('u') ?? '');
    if (!target) return NOT_FOUND;
    return {
      status: 302,
      body: null,
      headers: { ...EVERY_ANSWER, Location: target, 'Referrer-Policy': 'no-referrer' },
    };
  },

  /** GET /f/:token — the hosted lead form (zh-CN or en, by the form). */
  'leadEvents.formView': async (_c, options, token) => {
    const form = await openForm(options.dependencies, token);
    if (!form) return NOT_FOUND;
    return formPage(renderLeadFormPage(form, { action: `/f/${token}` }));
  },

  /** POST /f/:token — a submission (an ordinary form post): thanks, or the form again with messages. */
  'leadEvents.formSubmit': async (c, options, token) => {
    const body = await c.req.parseBody();
    const raw: Record<string, string> = {};
    for (const field of ['name', 'company', 'phone', 'email', 'intent', 'message', HONEYPOT_FIELD]) {
      const value = body[field];
      if (typeof value === 'string') raw[field] = value;
    }
    const outcome = await submitForm(options.dependencies, token, raw);
    if (!outcome) return NOT_FOUND;
    if (outcome.kind === 'thanks') {
      return formPage(renderLeadFormPage(outcome.form, { action: `/f/${token}`, thanks: true }));
    }
    return formPage(
      renderLeadFormPage(outcome.form, {
        action: `/f/${token}`,
        values: outcome.values,
        errors: outcome.errors,
      }),
      422,
    );
  },

  /** POST /hooks/inbound-reply — an inbound mail gateway reports a reply (signed with INBOUND_HOOK_SECRET). */
  'leadEvents.replyHook': async (c, options) => {
    if (!options.inboundHookSecret) return NOT_FOUND;
    const body = await c.req.text();
    const outcome = await receiveReply(
      options.dependencies,
      options.inboundHookSecret,
      body,
      c.req.header('x-crm-signature') ?? null,
    );
    const status =
      outcome === 'recorded' ? 202 : outcome === 'duplicate' ? 200 : outcome === 'invalid' ? 400 : 401;
    return json(status, { status: outcome });
  },

  /** GET /s/:token — the survey page (zh-CN or en: ?lang=, else the browser's). */
  'surveys.view': async (c, options, token) =>
    surveyPage(
      await viewSurvey(
        options.dependencies,
        token,
        pageLocaleOf(c.req.query('lang'), c.req.header('accept-language')),
      ),
    ),

  /** POST /s/:token — the answers: thanks, the page again with messages, or already answered. */
  'surveys.submit': async (c, options, token) =>
    surveyPage(
      await submitSurvey(
        options.dependencies,
        token,
        await surveyFields(c),
        pageLocaleOf(c.req.query('lang'), c.req.header('accept-language')),
      ),
    ),

  /** POST /hooks/inbound-email/:token — an email to the tenant's address (signed with its secret): a ticket, or a reply on one. */
  'tickets.inboundEmail': async (c, options, token) => {
    const outcome = await receiveInboundPost(options.dependencies, {
      token,
      body: new Uint8Array(await c.req.arrayBuffer()),
      contentType: c.req.header('content-type') ?? '',
      signature: c.req.header('x-crm-signature') ?? null,
    });
    return json(outcome.status, outcome.body);
  },
};

const FIELD_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The survey's answers from an ordinary form post: each question's value, or values (multi
 * choice). A browser posts the page's form URL-encoded: read as text and split, without
 * building a FormData; any other body goes through Hono's parser.
 */
async function surveyFields(c: Context): Promise<Record<string, string | string[]>> {
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    if (!FIELD_NAME.test(name)) return;
    const known = fields[name];
    if (known === undefined) fields[name] = value;
    else if (typeof known === 'string') fields[name] = [known, value];
    else known.push(value);
  };
  if ((c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(await c.req.text())) add(name, value);
    return fields;
  }
  const body = await c.req.parseBody({ all: true });
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string') add(name, item);
    }
  }
  return fields;
}

/** An incoming X-Request-Id a proxy set (as Hono's request-id middleware takes it), else a new one. */
function requestIdOf(c: Context): string {
  const incoming = c.req.header('x-request-id');
  return incoming && incoming.length <= 255 && !/[^\w\-=]/.test(incoming) ? incoming : crypto.randomUUID();
}

/**
 * Mounts the public doors (PUBLIC_ROUTES in @crm/api) — called before the app's middleware,
 * so a door's request runs only what it needs: no session, no cookie read; each request
 * counted against its door's limits per client address and per token before anything else,
 * bodies capped at 16 KB (an inbound email at its route's own cap); its own fixed headers
 * (above); the request id (X-Request-Id, carried into its transactions and jobs) and the
 * request log line and metrics as the app's middleware writes them.
 */
export function mountPublicDoors(
  app: Hono<{ Variables: { requestId: string } }>,
  options: PublicDoorsOptions,
) {
  const limiter = options.rateLimiter ?? new PublicDoorRateLimiter();
  const { logger } = options.dependencies;
  for (const route of PUBLIC_ROUTES) {
    const handler = HANDLERS[route.id];
    const maxBodyBytes = 'maxBodyBytes' in route ? route.maxBodyBytes : 16 * 1024;
    // Over the cap the body limit calls no further: the answer stays TOO_LARGE.
    const limitBody =
      route.method === 'POST' ? bodyLimit({ maxSize: maxBodyBytes, onError: () => OVER_THE_CAP }) : null;
    const guarded = async (c: Context): Promise<DoorAnswer> => {
      const token = c.req.param('token') ?? '';
      const ip = clientIp(c, options.trustProxyHops);
      if (!(await limiter.allow(route.door as PublicDoor, ip, token || ip))) return TOO_MANY;
      if (!limitBody) return handler(c, options, token);
      let answer = TOO_LARGE;
      await limitBody(c, async () => {
        answer = await handler(c, options, token);
      });
      return answer;
    };
    const door = async (c: Context) => {
      const started = performance.now();
      const requestId = requestIdOf(c);
      const answer = await runWithRequestId(requestId, () =>
        guarded(c).catch((error: unknown) => {
          logger.error({ requestId, err: error }, `${route.id}: the door failed`);
          return FAILED;
        }),
      );
      const elapsed = performance.now() - started;
      logger.info(
        {
          requestId,
          method: route.method,
          path: c.req.path,
          status: answer.status,
          durationMs: Math.round(elapsed * 10) / 10,
        },
        'request',
      );
      options.metrics?.observeRoute(route.path, route.method, answer.status, elapsed / 1000);
      return new Response(answer.body, {
        status: answer.status,
        headers: { ...answer.headers, 'X-Request-Id': requestId },
      });
    };
    if (route.method === 'POST') app.post(route.path, door);
    else app.get(route.path, door);
  }
}
