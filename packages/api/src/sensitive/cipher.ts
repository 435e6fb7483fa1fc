import { createHmac, hkdfSync } from 'node:crypto';
import { maskedSuffix, normalizeIdentifier } from '@crm/domain';
import { openBytes, sealBytes } from './keyring';

/** The table every ciphertext here belongs to (part of its AAD). */
export const SECRETS_TABLE = 'customer_secrets';
/** Hex characters kept of a blind index: 32 bits (see docs/sensitive-data.md, "Blind index"). */
export const BLIND_INDEX_HEX = 8;

const FORMAT = 'v1';
const CIPHERTEXT = /^v1:(\d{1,9}):([A-Za-z0-9_-]+)$/;

export type Encrypted = { ciphertext: string; keyVersion: number; blindIndex: string; hint: string };

/** The key version a stored ciphertext names (its second part). */
export function ciphertextKeyVersion(ciphertext: string): number {
  const match = CIPHERTEXT.exec(ciphertext);
  if (!match) throw new Error('Sensitive fields: not a ciphertext of a known format');
  return Number(match[1]);
}

/**
 * Everything a ciphertext is bound to: the format, tenant, table, field, row (customer)
 * and key version. A ciphertext copied into another tenant, row or field, or relabelled
 * with another version, fails authentication.
 */
export function secretAad(tenantId: string, field: string, customerId: string, keyVersion: number): Buffer {
  return Buffer.from(
    `crm/${FORMAT}|${tenantId}|${SECRETS_TABLE}|${field}|${customerId}|${keyVersion}`,
    'utf8',
  );
}

/** How a field's value is compared: identity numbers in their normalised form, other text trimmed and NFKC. */
export function normalizeForIndex(field: string, value: string): string {
  if (field === 'national_id' || field === 'bank_card') return normalizeIdentifier(value);
  return value.normalize('NFKC').trim();
}

/** A per-tenant, per-field blind-index key, derived by HKDF-SHA256 from the tenant's index key. */
export function deriveIndexKey(indexKey: Buffer, tenantId: string, field: string): Buffer {
  return Buffer.from(
    hkdfSync(
      'sha256',
      indexKey,
      Buffer.from(tenantId, 'utf8'),
      `crm blind index v1|${SECRETS_TABLE}|${field}`,
      32,
    ),
  );
}

/** The blind index of one value: HMAC-SHA256 of the normalised value, truncated. */
export function computeBlindIndex(
  fieldKey: Buffer,
  field: string,
  value: string,
  hexLength = BLIND_INDEX_HEX,
) {
  return createHmac('sha256', fieldKey)
    .update(normalizeForIndex(field, value), 'utf8')
    .digest('hex')
    .slice(0, hexLength);
}

export class DecryptionError extends Error {
  constructor() {
    super('Sensitive fields: a stored value could not be decrypted (wrong key or context)');
  }
}

/**
 * A tenant's keys, unwrapped once: encrypts and decrypts any number of values of that
 * tenant without further database or master-key work.
 */
export class TenantCipher {
  readonly tenantId: string;
  readonly currentVersion: number;
  readonly #dataKeys: ReadonlyMap<number, Buffer>;
  readonly #indexKey: Buffer;
  readonly #fieldKeys = new Map<string, Buffer>();
  #encryptions = 0;

  constructor(
    tenantId: string,
    currentVersion: number,
    dataKeys: ReadonlyMap<number, Buffer>,
    indexKey: Buffer,
  ) {
    if (!dataKeys.has(currentVersion)) throw new Error('Sensitive fields: the current data key is missing');
    this.tenantId = tenantId;
    this.currentVersion = currentVersion;
    this.#dataKeys = dataKeys;
    this.#indexKey = indexKey;
  }

  /** Encryptions made by this object (the database counts stored ones per key version). */
  get encryptions(): number {
    return this.#encryptions;
  }

  /** Encrypts under the current data key; the value is stored as given (normalise first). */
  encrypt(field: string, customerId: string, plaintext: string): Encrypted {
    const version = this.currentVersion;
    const key = this.#dataKeys.get(version) as Buffer;
    const sealed = sealBytes(
      key,
      Buffer.from(plaintext, 'utf8'),
      secretAad(this.tenantId, field, customerId, version),
    );
    this.#encryptions += 1;
    return {
      ciphertext: `${FORMAT}:${version}:${sealed.toString('base64url')}`,
      keyVersion: version,
      blindIndex: this.blindIndex(field, plaintext),
      hint: maskedSuffix(plaintext),
    };
  }

  /** Decrypts a value stored for this tenant, field and customer; throws DecryptionError otherwise. */
  decrypt(field: string, customerId: string, ciphertext: string): string {
    const match = CIPHERTEXT.exec(ciphertext);
    if (!match) throw new DecryptionError();
    const version = Number(match[1]);
    const key = this.#dataKeys.get(version);
    if (!key) throw new DecryptionError();
    try {
      const plaintext = openBytes(
        key,
        Buffer.from(match[2] as string, 'base64url'),
        secretAad(this.tenantId, field, customerId, version),
      );
      return plaintext.toString('utf8');
    } catch {
      throw new DecryptionError();
    }
  }

  /** The blind index of a value of `field` for this tenant (equal values, equal index). */
  blindIndex(field: string, value: string): string {
    let fieldKey = this.#fieldKeys.get(field);
    if (!fieldKey) {
      fieldKey = deriveIndexKey(this.#indexKey, this.tenantId, field);
      this.#fieldKeys.set(field, fieldKey);
    }
    return computeBlindIndex(fieldKey, field, value);
  }

  /** Whether a data key version is loaded (the current one and those still in use). */
  hasVersion(version: number): boolean {
    return this.#dataKeys.has(version);
  }
}
