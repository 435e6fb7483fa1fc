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
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { clientIp } from './middleware/client-ip';

export type PublicDoorsOptions = {
  dependencies: ApiDependencies;
  trustProxyHops: number;
  /** INBOUND_HOOK_SECRET: the reply hook's HMAC secret; unset, the hook answers 404. */
  inboundHookSecret: string | null;
  rateLimiter?: PublicDoorRateLimiter;
};

/** A transparent 1×1 GIF: the same bytes for every pixel request, valid token or not. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** The hosted form may be framed by any site (the snippet); it runs no script. */
const FORM_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors *; base-uri 'none'";

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

function tooMany(): Response {
  return new Response('Too many requests', {
    status: 429,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Retry-After': '60',
      'Cache-Control': 'no-store',
    },
  });
}

function pixel(): Response {
  return new Response(PIXEL, {
    status: 200,
    headers: {
      'Content-Type': 'image/gif',
      'Content-Length': String(PIXEL.length),
      'Cache-Control': 'no-store, no-cache, must-revalidate, private',
    },
  });
}

/** The survey page runs no script and is framed by no one. */
const SURVEY_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function surveyPage(answer: { status: number; html: string }): Response {
  // Bytes, not the string: a string body is made well-formed and then encoded (two passes).
  const body = Buffer.from(answer.html);
  return new Response(body, {
    status: answer.status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': SURVEY_CSP,
      'Referrer-Policy': 'no-referrer',
    },
  });
}

function formPage(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

type Handler = (c: Context, options: PublicDoorsOptions, token: string) => Promise<Response>;

/** The handlers, one per public route (a route without one does not compile). */
const HANDLERS: Record<PublicRouteId, Handler> = {
  /** GET /t/o/:token.gif — the open pixel: always the same GIF; records an open once per window. */
  'leadEvents.pixel': async (_c, options, token) => {
    try {
      await recordOpen(options.dependencies, token.replace(/\.gif$/, ''));
    } catch (error) {
      options.dependencies.logger.error({ err: error }, 'pixel: recording the open failed');
    }
    return pixel();
  },

  /** GET /t/c/:token?u=<target> — redirects to the signed target only; anything else 404. */
  'leadEvents.click': async (c, options, token) => {
    const target = await followLink(options.dependencies, token, c.req.query('u') ?? '');
    if (!target) return notFound();
    return new Response(null, {
      status: 302,
      headers: { Location: target, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
    });
  },

  /** GET /f/:token — the hosted lead form (zh-CN or en, by the form). */
  'leadEvents.formView': async (_c, options, token) => {
    const form = await openForm(options.dependencies, token);
    if (!form) return notFound();
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
    if (!outcome) return notFound();
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
    if (!options.inboundHookSecret) return notFound();
    const body = await c.req.text();
    const outcome = await receiveReply(
      options.dependencies,
      options.inboundHookSecret,
      body,
      c.req.header('x-crm-signature') ?? null,
    );
    const status =
      outcome === 'recorded' ? 202 : outcome === 'duplicate' ? 200 : outcome === 'invalid' ? 400 : 401;
    return new Response(JSON.stringify({ status: outcome }), {
      status,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    });
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
    return new Response(JSON.stringify(outcome.body), {
      status: outcome.status,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  },
};

/** The survey's answers from an ordinary form post: each question's value, or values (multi choice). */
async function surveyFields(c: Context): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(name)) continue;
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value))
      fields[name] = value.filter((item): item is string => typeof item === 'string');
  }
  return fields;
}

/**
 * Mounts the public doors (PUBLIC_ROUTES in @crm/api): no session, no cookie read; each
 * request counted against its door's limits per client address and per token before
 * anything else, bodies capped at 16 KB (an inbound email at its route's own cap). The hosted form's page may be framed anywhere (its
 * own CSP); everything else keeps the app's headers.
 */
export function mountPublicDoors(
  app: Hono<{ Variables: { requestId: string } }>,
  options: PublicDoorsOptions,
) {
  const limiter = options.rateLimiter ?? new PublicDoorRateLimiter();
  const limitBody = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () =>
        new Response('Payload too large', { status: 413, headers: { 'Cache-Control': 'no-store' } }),
    });
  for (const route of PUBLIC_ROUTES) {
    const handler = HANDLERS[route.id];
    const door = async (c: Context) => {
      const token = c.req.param('token') ?? '';
      const ip = clientIp(c, options.trustProxyHops);
      if (!(await limiter.allow(route.door as PublicDoor, ip, token || ip))) return tooMany();
      return handler(c, options, token);
    };
    const maxBodyBytes = 'maxBodyBytes' in route ? route.maxBodyBytes : 16 * 1024;
    if (route.method === 'POST') app.post(route.path, limitBody(maxBodyBytes), door);
    else app.get(route.path, door);
  }
}

/** Runs before the secure-headers middleware: lets the hosted form be framed by the snippet. */
export function allowFormFraming(app: Hono<{ Variables: { requestId: string } }>) {
  app.use('/f/*', async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', FORM_CSP);
    c.res.headers.delete('X-Frame-Options');
  });
}
