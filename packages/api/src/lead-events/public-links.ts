import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { installedKeyring, type Keyring } from '../sensitive/keyring';

/**
 * Signed tokens of the public doors (no session): the email-open pixel, tracked links, the
 * hosted lead form, the reply hook's reply address, a survey invitation (问卷链接) and a tenant's
 * inbound email address (邮件转工单). A token names its tenant and what it is about, expires
 * (forms and inbound addresses excepted: an admin turns a form off or rotates the address instead), and is signed with
 * HMAC-SHA256 under a key derived from the server's master key (the keyring of sensitive
 * fields, docs/sensitive-data.md), so no tenant data is needed to check one and nothing of
 * the key is stored. During a master-key rotation tokens signed under the previous key
 * still verify. A click token also signs its target URL: the redirect goes only there.
 *
 * Layout (base64url, 94 characters): version 1 B | kind 1 B | tenant 16 B | subject 16 B |
 * campaign 16 B (zeros: none) | expires (unix seconds, 0: never) 4 B | MAC 16 B (truncated
 * HMAC-SHA256 over everything before it, and for a click the target URL).
 */
export const PUBLIC_LINK_KINDS = [
  'email_open',
  'link_click',
  'form',
  'reply',
  'survey',
  'inbound_email',
] as const;
export type PublicLinkKind = (typeof PUBLIC_LINK_KINDS)[number];

export type PublicLink = {
  kind: PublicLinkKind;
  tenantId: string;
  /** The lead (open, click, reply), the form (form) or the survey invitation (survey). */
  subjectId: string;
  campaignId: string | null;
  /** Unix seconds; 0: never. */
  expiresAt: number;
};

const VERSION = 1;
const PAYLOAD_BYTES = 1 + 1 + 16 + 16 + 16 + 4;
const MAC_BYTES = 16;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{94}$/;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** How long an email's tracking tokens stay valid (the pixel, its links, its reply address). */
export const EMAIL_TOKEN_DAYS = 180;

/**
 * The derived keys per installed keyring (a rotation installs a new one), as key objects: an
 * HMAC over a key object skips importing the key's bytes on every token.
 */
const derivedKeys = new WeakMap<Keyring, KeyObject[]>();

function linkKeys(keyring: Keyring): KeyObject[] {
  const known = derivedKeys.get(keyring);
  if (known) return known;
  const derive = (key: Buffer) =>
    createSecretKey(createHmac('sha256', key).update('crm/public-links/v1').digest());
  const keys = [keyring.current.key, ...(keyring.previous ? [keyring.previous.key] : [])].map(derive);
  derivedKeys.set(keyring, keys);
  return keys;
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function macOf(key: KeyObject, payload: Buffer, target: string | null): Buffer {
  const hmac = createHmac('sha256', key).update(payload);
  if (target !== null) hmac.update(`|${target}`);
  return hmac.digest().subarray(0, MAC_BYTES);
}

/** Signs a token; `target` is the URL a click token redirects to (signed with it). */
export function signPublicLink(link: PublicLink, target: string | null = null): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  payload.writeUInt8(PUBLIC_LINK_KINDS.indexOf(link.kind), 1);
  uuidBytes(link.tenantId).copy(payload, 2);
  uuidBytes(link.subjectId).copy(payload, 18);
  uuidBytes(link.campaignId ?? ZERO_UUID).copy(payload, 34);
  payload.writeUInt32BE(link.expiresAt, 50);
  const [key] = linkKeys(installedKeyring());
  return Buffer.concat([payload, macOf(key as KeyObject, payload, target)]).toString('base64url');
}

/**
 * The link a token stands for, or null when it is malformed, forged, of another kind, for
 * another target, or expired — one answer for all, so a caller cannot tell them apart.
 */
export function verifyPublicLink(
  token: string,
  kind: PublicLinkKind,
  target: string | null = null,
  now: Date = new Date(),
): PublicLink | null {
  if (!TOKEN_PATTERN.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES) return null;
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  const mac = bytes.subarray(PAYLOAD_BYTES);
  const signed = linkKeys(installedKeyring()).some((key) =>
    timingSafeEqual(macOf(key, payload, target), mac),
  );
  if (!signed) return null;
  if (payload.readUInt8(0) !== VERSION || PUBLIC_LINK_KINDS[payload.readUInt8(1)] !== kind) return null;
  const expiresAt = payload.readUInt32BE(50);
  if (expiresAt !== 0 && expiresAt * 1000 <= now.getTime()) return null;
  const campaignId = uuidOf(payload.subarray(34, 50));
  return {
    kind,
    tenantId: uuidOf(payload.subarray(2, 18)),
    subjectId: uuidOf(payload.subarray(18, 34)),
    campaignId: campaignId === ZERO_UUID ? null : campaignId,
    expiresAt,
  };
}

/** A target a tracked link may point at: an absolute http(s) URL without credentials, ≤ 2,000 characters. */
export function isTrackableUrl(value: string): boolean {
  if (value.length > 2000) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  } catch {
    return false;
  }
}
