import { createHmac, timingSafeEqual } from 'node:crypto';
import PostalMime from 'postal-mime';
import { z } from 'zod';
import type { ApiDependencies } from '../context';
import { verifyPublicLink } from '../lead-events/public-links';
import { jobScope } from '../scope';
import {
  type InboundEmail,
  type InboundOutcome,
  inboundEmailSecret,
  receiveInboundEmail,
} from './tickets.service';

/**
 * The edge of the inbound email hook (邮件转工单, `POST /hooks/inbound-email/:token`, no
 * session): a mail gateway posts each email received at the tenant's address, either as
 * JSON in the common shape of inbound-mail providers or as the raw RFC 822 message
 * (`Content-Type: message/rfc822`, parsed with postal-mime), signed
 * `X-Crm-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t." + body>` with the tenant's
 * secret (设置 → 工单设置). The token names the tenant and the address key: a forged token,
 * another kind's, or an address rotated away answers 404 like an unknown one; a wrong, old
 * or missing signature 401; a body that is no email 400. The server adds the rate limits and
 * the body cap.
 */
export type InboundDependencies = Pick<ApiDependencies, 'database' | 'jobs' | 'logger' | 'plugins'>;

/** How old a signature may be (a captured post cannot be replayed later; a replay within it is a duplicate Message-ID). */
export const INBOUND_TOLERANCE_SECONDS = 300;

/** The largest post the hook reads: ten attachments of 10 MB, base64-encoded, would not fit, nor should they. */
export const INBOUND_MAX_BODY_BYTES = 30 * 1024 * 1024;

export type InboundAnswer = { status: number; body: Record<string, unknown> };

/** Signs a post the way a gateway must (tests and the docs' example use it). */
export function signInboundEmail(secret: string, body: Uint8Array | string, at: number): string {
  const mac = createHmac('sha256', secret).update(`${at}.`).update(body).digest('hex');
  return `t=${at},v1=${mac}`;
}

function signatureValid(secret: string, body: Uint8Array, header: string | null, now: Date): boolean {
  if (!header) return false;
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!match) return false;
  const at = Number(match[1]);
  if (Math.abs(now.getTime() / 1000 - at) > INBOUND_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signInboundEmail(secret, body, at).slice(-64), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2] as string, 'hex'));
}

const address = z.union([
  z.string().max(400),
  z.object({
    email: z.string().max(320).optional(),
    address: z.string().max(320).optional(),
    name: z.string().max(200).nullish(),
  }),
]);

/** The JSON shape: camelCase fields as most inbound-mail providers post them, attachments base64. */
const jsonEmail = z.object({
  messageId: z.string().min(1).max(300),
  from: address,
  subject: z.string().max(2000).nullish(),
  text: z.string().max(1_000_000).nullish(),
  html: z.string().max(2_000_000).nullish(),
  inReplyTo: z.string().max(2000).nullish(),
  references: z.union([z.string().max(20_000), z.array(z.string().max(1000)).max(100)]).nullish(),
  attachments: z
    .array(
      z.object({
        filename: z.string().max(400).nullish(),
        contentType: z.string().max(200).nullish(),
        /** Base64. */
        content: z.string(),
      }),
    )
    .max(50)
    .nullish(),
});

const emailAddress = z.email().max(254);

/** "Name <a@b.example>" or "a@b.example" → the address, lower-cased; null when it is none. */
function addressOf(value: z.infer<typeof address>): { email: string | null; name: string | null } {
  if (typeof value !== 'string') {
    const raw = (value.email ?? value.address ?? '').trim().toLowerCase();
    return { email: emailAddress.safeParse(raw).success ? raw : null, name: value.name?.trim() || null };
  }
  const angle = /<([^<>]+)>\s*$/.exec(value);
  const raw = (angle ? (angle[1] as string) : value).trim().toLowerCase();
  const name = angle ? value.slice(0, angle.index).replace(/"/g, '').trim() || null : null;
  return { email: emailAddress.safeParse(raw).success ? raw : null, name };
}

/** Message-IDs out of a header value ("<a@b> <c@d>"), without angle brackets. */
function messageIdsOf(value: string | readonly string[] | null | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : ((value as string | null | undefined) ?? '');
  const bracketed = [...text.matchAll(/<([^<>\s]{1,300})>/g)].map((match) => match[1] as string);
  const ids = bracketed.length > 0 ? bracketed : text.split(/\s+/).filter((id) => id.length > 0);
  return [...new Set(ids.map((id) => id.slice(0, 300)))].slice(0, 50);
}

function bareMessageId(value: string): string {
  return value.trim().replace(/^<|>$/g, '').trim().slice(0, 300);
}

/** Plain text of an HTML body (for a message without a text part): tags dropped, entities of whitespace and markup decoded. */
function textOfHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udfff]/gu;

/** Characters the ticket's text fields refuse (controls but tab and line breaks, lone surrogates) become spaces. */
function cleanText(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, ' ').replace(/\r\n?/g, '\n');
}

/** The email a post carries, or null when it is none (bad JSON, no Message-ID, no sender address). */
export async function parseInboundEmail(body: Uint8Array, contentType: string): Promise<InboundEmail | null> {
  if (/^message\/rfc822\b/i.test(contentType)) {
    let parsed: Awaited<ReturnType<typeof PostalMime.parse>>;
    try {
      parsed = await PostalMime.parse(body);
    } catch {
      return null;
    }
    const from = parsed.from?.address?.trim().toLowerCase() ?? '';
    const messageId = bareMessageId(parsed.messageId ?? '');
    if (!messageId || !emailAddress.safeParse(from).success) return null;
    return {
      messageId,
      fromAddress: from,
      fromName: parsed.from?.name?.trim() || null,
      subject: cleanText(parsed.subject ?? ''),
      text: cleanText(parsed.text ?? textOfHtml(parsed.html ?? '')),
      replyTo: messageIdsOf(`${parsed.inReplyTo ?? ''} ${parsed.references ?? ''}`),
      attachments: parsed.attachments.map((attachment) => ({
        fileName: attachment.filename ?? 'attachment',
        bytes:
          typeof attachment.content === 'string'
            ? new TextEncoder().encode(attachment.content)
            : new Uint8Array(attachment.content),
      })),
    };
  }
  if (!/^application\/json\b/i.test(contentType)) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return null;
  }
  const parsed = jsonEmail.safeParse(json);
  if (!parsed.success) return null;
  const email = parsed.data;
  const from = addressOf(email.from);
  const messageId = bareMessageId(email.messageId);
  if (!from.email || !messageId) return null;
  const references = Array.isArray(email.references) ? email.references.join(' ') : (email.references ?? '');
  return {
    messageId,
    fromAddress: from.email,
    fromName: from.name,
    subject: cleanText(email.subject ?? ''),
    text: cleanText(email.text ?? textOfHtml(email.html ?? '')),
    replyTo: messageIdsOf(`${email.inReplyTo ?? ''} ${references}`),
    attachments: (email.attachments ?? []).map((attachment) => ({
      fileName: attachment.filename ?? 'attachment',
      bytes: new Uint8Array(Buffer.from(attachment.content, 'base64')),
    })),
  };
}

function answer(status: number, outcome: string, extra: Record<string, unknown> = {}): InboundAnswer {
  return { status, body: { status: outcome, ...extra } };
}

/**
 * A post to a tenant's inbound address: the token, then the signature with the tenant's
 * secret, then the email, then — in one tenant transaction — the ticket (or the reply on one).
 */
export async function receiveInboundPost(
  dependencies: InboundDependencies,
  request: { token: string; body: Uint8Array; contentType: string; signature: string | null },
  now: Date = new Date(),
): Promise<InboundAnswer> {
  const link = verifyPublicLink(request.token, 'inbound_email', null, now);
  if (!link) return answer(404, 'not_found');
  const { tenantId } = link;
  const key = await dependencies.database.withTenant(tenantId, (trx) =>
    inboundEmailSecret(jobScope(trx, tenantId)),
  );
  if (!key || key.addressKey !== link.subjectId) return answer(404, 'not_found');
  if (!signatureValid(key.secret, request.body, request.signature, now)) return answer(401, 'refused');
  const email = await parseInboundEmail(request.body, request.contentType);
  if (!email) return answer(400, 'invalid');
  const outcome: InboundOutcome = await dependencies.database.withTenant(tenantId, (trx) =>
    receiveInboundEmail(
      jobScope(trx, tenantId),
      { plugins: dependencies.plugins, jobs: dependencies.jobs },
      email,
      now,
    ),
  );
  if (outcome.outcome === 'duplicate') return answer(200, 'duplicate');
  if (outcome.outcome === 'unmatched') return answer(202, 'unmatched');
  return answer(202, outcome.outcome, { ticketNumber: outcome.number });
}
