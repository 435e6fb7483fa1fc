/**
 * Every route without a session (the public doors), declared once: the server mounts exactly
 * these (apps/server/src/public-doors.ts needs a handler for each id, and has no other), each
 * rate limited per client address and per token under its door's limits, and each checks a
 * signed token (or, for the reply hook, a signed body; for the inbound email hook, both)
 * before it touches anything.
 * apps/server/test/lead-events.test.ts enumerates this list: a forged token gets the same
 * answer as an unknown one on every route.
 */
export type PublicRoute = {
  id: string;
  method: 'GET' | 'POST';
  /** Hono path; `:token` is a signed token (public-links.ts). */
  path: string;
  /** Which limits apply (PublicDoorRateLimiter in @crm/auth). */
  door:
    | 'pixel'
    | 'click'
    | 'form_view'
    | 'form_submit'
    | 'reply_hook'
    | 'survey_view'
    | 'survey_submit'
    | 'inbound_email';
  /** The largest body a POST may carry (16 KB unless said). */
  maxBodyBytes?: number;
};

export const PUBLIC_ROUTES = [
  { id: 'leadEvents.pixel', method: 'GET', path: '/t/o/:token', door: 'pixel' },
  { id: 'leadEvents.click', method: 'GET', path: '/t/c/:token', door: 'click' },
  { id: 'leadEvents.formView', method: 'GET', path: '/f/:token', door: 'form_view' },
  { id: 'leadEvents.formSubmit', method: 'POST', path: '/f/:token', door: 'form_submit' },
  { id: 'leadEvents.replyHook', method: 'POST', path: '/hooks/inbound-reply', door: 'reply_hook' },
  { id: 'surveys.view', method: 'GET', path: '/s/:token', door: 'survey_view' },
  { id: 'surveys.submit', method: 'POST', path: '/s/:token', door: 'survey_submit' },
  // An email with its attachments (tickets/inbound.ts: INBOUND_MAX_BODY_BYTES).
  {
    id: 'tickets.inboundEmail',
    method: 'POST',
    path: '/hooks/inbound-email/:token',
    door: 'inbound_email',
    maxBodyBytes: 30 * 1024 * 1024,
  },
] as const satisfies readonly PublicRoute[];

export type PublicRouteId = (typeof PUBLIC_ROUTES)[number]['id'];
