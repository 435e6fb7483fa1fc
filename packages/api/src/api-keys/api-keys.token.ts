import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key's token: `crmk_` (so a leaked key is recognisable: secret scanners and log
 * filters match it), the tenant's and the key's ids (32 hex digits each: the tenant selects
 * the row-level security scope before anything is read), `_`, and 32 random bytes
 * (base64url). Only SHA-256 of the secret is stored: the secret has 256 bits of entropy, so a
 * slow hash adds nothing, and a lookup costs one hash.
 */
export const API_KEY_PREFIX = 'crmk_';
const TOKEN = /^crmk_([0-9a-f]{32})([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export type ParsedApiKey = { tenantId: string; keyId: string; secret: string };

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new token for a key (its id chosen by the caller) and what is stored of it. */
export function mintApiKey(
  tenantId: string,
  keyId: string,
): { token: string; secretHash: Buffer; displayPrefix: string } {
  const secret = randomBytes(32).toString('base64url');
  const token = `${API_KEY_PREFIX}${tenantId.replaceAll('-', '')}${keyId.replaceAll('-', '')}_${secret}`;
  return { token, secretHash: hashSecret(secret), displayPrefix: `${API_KEY_PREFIX}…${secret.slice(-4)}` };
}

/** The parts of a well-formed token, or null (anything else is refused before the database). */
export function parseApiKey(token: string): ParsedApiKey | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  return {
    tenantId: uuidFromHex(match[1] as string),
    keyId: uuidFromHex(match[2] as string),
    secret: match[3] as string,
  };
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Whether `secret` is the one whose hash is stored (constant time). */
export function secretMatches(secret: string, stored: Uint8Array): boolean {
  const hash = hashSecret(secret);
  return stored.byteLength === hash.byteLength && timingSafeEqual(hash, stored);
}
