import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { checkUrlForm, type NetworkPolicy, resolveAllowed, UrlRefused } from './webhooks.ssrf';

/**
 * Posting one webhook: the Standard Webhooks body and headers (`webhook-id` — the event's id,
 * the same on every retry —, `webhook-timestamp`, `webhook-signature` with one `v1,` signature
 * per live secret during a rotation), sent through the SSRF guard to the checked address,
 * following at most three 307/308 redirects (each checked again), with a timeout. What came
 * back: the status, the time, the first 1,000 characters of the answer.
 */
export type PostResult = {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
  /** 410 Gone: the receiver asks to be unsubscribed. */
  gone: boolean;
};

export type WebhookMessage = {
  url: string;
  eventId: string;
  type: string;
  createdAt: Date;
  data: unknown;
  /** `whsec_…`: the current secret and, during a rotation, the previous one. */
  secrets: string[];
};

export const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;
const EXCERPT_CHARS = 1000;

/** The body and headers of a message, signed at `now`. */
export function signMessage(message: WebhookMessage, now: Date = new Date()) {
  const body = JSON.stringify({
    type: message.type,
    timestamp: message.createdAt.toISOString(),
    data: message.data,
  });
  const signatures = message.secrets.map((secret) => new Webhook(secret).sign(message.eventId, now, body));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'crm-webhooks/1',
      'webhook-id': message.eventId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signatures.join(' '),
    },
  };
}

/**
 * One POST to the address the SSRF guard checked (never a second DNS lookup); no redirect is
 * followed here. Also the 企业微信 robot's sender.
 */
export function postToCheckedAddress(
  url: URL,
  address: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; location: string | null; text: string }> {
  return new Promise((resolve, reject) => {
    // Read from the module at call time (an HTTP interceptor in tests replaces it).
    const send = url.protocol === 'https:' ? https.request : http.request;
    const family = isIP(address) === 6 ? 6 : 4;
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // Connect to the address the guard checked, never to a second lookup's answer.
        lookup: (_host, options, callback) => {
          if ((options as { all?: boolean }).all)
            (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
              { address, family },
            ]);
          else (callback as (e: null, a: string, f: number) => void)(null, address, family);
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_CHARS * 4) {
            chunks.push(chunk);
            size += chunk.length;
          }
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: typeof res.headers.location === 'string' ? res.headers.location : null,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function postWebhook(
  message: WebhookMessage,
  policy: NetworkPolicy,
  options: { timeoutMs?: number; now?: Date } = {},
): Promise<PostResult> {
  const started = performance.now();
  const { body, headers } = signMessage(message, options.now);
  const elapsed = () => Math.round(performance.now() - started);
  let target = message.url;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const url = checkUrlForm(target, policy);
      const address = await resolveAllowed(url, policy);
      const answer = await postToCheckedAddress(
        url,
        address,
        headers,
        body,
        options.timeoutMs ?? DELIVERY_TIMEOUT_MS,
      );
      if ((answer.status === 307 || answer.status === 308) && answer.location && hop < MAX_REDIRECTS) {
        target = new URL(answer.location, url).toString();
        continue;
      }
      const ok = answer.status >= 200 && answer.status < 300;
      return {
        ok,
        status: answer.status,
        latencyMs: elapsed(),
        excerpt: answer.text.slice(0, EXCERPT_CHARS) || null,
        error: ok ? null : `HTTP ${answer.status}`,
        gone: answer.status === 410,
      };
    }
    return {
      ok: false,
      status: null,
      latencyMs: elapsed(),
      excerpt: null,
      error: 'Too many redirects',
      gone: false,
    };
  } catch (error) {
    const text =
      error instanceof UrlRefused
        ? error.reason === 'forbidden'
          ? `Refused: ${error.host} is a private or reserved address`
          : `Refused: invalid URL or unknown host ${error.host}`
        : error instanceof Error
          ? error.message
          : String(error);
    return {
      ok: false,
      status: null,
      latencyMs: elapsed(),
      excerpt: null,
      error: text.slice(0, 500),
      gone: false,
    };
  }
}

/**
 * When the next attempt after `attempt` failures runs (Standard Webhooks' schedule: 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h), with ±20 % jitter so retries of many events spread out.
 */
export const RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000] as const;
export const WEBHOOK_MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;

export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = RETRY_SCHEDULE_SECONDS[Math.min(attempt, RETRY_SCHEDULE_SECONDS.length) - 1] ?? 5;
  return Math.round(base * 1000 * (0.8 + random() * 0.4));
}

/** A new signing secret: `whsec_` and 32 random bytes, base64. */
export function newWebhookSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return `whsec_${Buffer.from(bytes).toString('base64')}`;
}
