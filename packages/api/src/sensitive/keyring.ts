import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The master key (KEK) wraps every tenant's data and index keys; it never touches data.
 * A keyring holds the current master key and, during a master-key rotation, the previous
 * one, so keys wrapped by either can be unwrapped while they are being re-wrapped.
 */
export type MasterKey = { id: string; key: Buffer };
export type Keyring = { current: MasterKey; previous: MasterKey | null };

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A master key's public fingerprint: 16 hex characters of HMAC-SHA256(key, label). */
export function masterKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('crm master key id v1').digest('hex').slice(0, 16);
}

/** A master key from its base64 form (32 bytes). */
export function parseMasterKey(base64: string): MasterKey {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('A master key must be 32 bytes, base64-encoded');
  return { id: masterKeyId(key), key };
}

export function createKeyring(current: string | Buffer, previous?: string | Buffer | null): Keyring {
  const toKey = (value: string | Buffer) =>
    typeof value === 'string' ? parseMasterKey(value) : { id: masterKeyId(value), key: Buffer.from(value) };
  const currentKey = toKey(current);
  const previousKey = previous ? toKey(previous) : null;
  return {
    current: currentKey,
    previous: previousKey && !timingSafeEqual(previousKey.key, currentKey.key) ? previousKey : null,
  };
}

/** A new random master key, base64 (for `MASTER_KEY`). */
export function generateMasterKey(): string {
  return randomBytes(32).toString('base64');
}

let installed: Keyring | null = null;

/** Installs the process's keyring (once at start; tests may replace it). */
export function installKeyring(keyring: Keyring): void {
  installed = keyring;
}

export function installedKeyring(): Keyring {
  if (!installed) {
    throw new Error('Sensitive fields: no master key is configured (MASTER_KEY, see docs/sensitive-data.md)');
  }
  return installed;
}

export function hasInstalledKeyring(): boolean {
  return installed !== null;
}

/** AES-256-GCM; the output is nonce | ciphertext | tag. */
export function sealBytes(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Opens what sealBytes made; throws when the key, the AAD or any byte differs. */
export function openBytes(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('Sealed value too short');
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([
    decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
    decipher.final(),
  ]);
}

export type KeyPurpose = 'data' | 'index';

/** What a wrapped key is bound to: its tenant, purpose, version and wrapping master key. */
function wrapAad(tenantId: string, purpose: KeyPurpose, version: number, kekId: string): Buffer {
  return Buffer.from(`crm/wrap/v1|${tenantId}|${purpose}|${version}|${kekId}`, 'utf8');
}

export function wrapKey(
  keyring: Keyring,
  tenantId: string,
  purpose: KeyPurpose,
  version: number,
  key: Buffer,
): { wrappedKey: string; kekId: string } {
  const kek = keyring.current;
  const sealed = sealBytes(kek.key, key, wrapAad(tenantId, purpose, version, kek.id));
  return { wrappedKey: sealed.toString('base64url'), kekId: kek.id };
}

export class UnknownMasterKeyError extends Error {
  constructor(kekId: string) {
    super(
      `Sensitive fields: a key is wrapped by master key ${kekId}, which is neither MASTER_KEY nor MASTER_KEY_PREVIOUS`,
    );
  }
}

export function unwrapKey(
  keyring: Keyring,
  tenantId: string,
  purpose: KeyPurpose,
  version: number,
  wrappedKey: string,
  kekId: string,
): Buffer {
  const kek =
    keyring.current.id === kekId ? keyring.current : keyring.previous?.id === kekId ? keyring.previous : null;
  if (!kek) throw new UnknownMasterKeyError(kekId);
  const key = openBytes(
    kek.key,
    Buffer.from(wrappedKey, 'base64url'),
    wrapAad(tenantId, purpose, version, kekId),
  );
  if (key.length !== 32) throw new Error('Sensitive fields: an unwrapped key is not 32 bytes');
  return key;
}
