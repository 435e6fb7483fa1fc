import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBlindIndex, DecryptionError, deriveIndexKey, TenantCipher } from './cipher';
import {
  createKeyring,
  generateMasterKey,
  openBytes,
  sealBytes,
  UnknownMasterKeyError,
  unwrapKey,
  wrapKey,
} from './keyring';

function randomCipher(tenantId = randomUUID(), version = 1) {
  return new TenantCipher(tenantId, version, new Map([[version, randomBytes(32)]]), randomBytes(32));
}

describe('T4.1 round trip', () => {
  // 1,000 tenants with their own random keys; each run picks one.
  const ciphers = Array.from({ length: 1000 }, () => randomCipher());

  it('decrypt(encrypt(x)) == x for any Unicode text, under 1,000 tenant keys (10,000 runs)', () => {
    let runs = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: ciphers.length - 1 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.constantFrom('national_id', 'bank_card', 'custom:passport'),
        (index, text, field) => {
          const cipher = ciphers[index] as TenantCipher;
          const customerId = randomUUID();
          const encrypted = cipher.encrypt(field, customerId, text);
          expect(encrypted.ciphertext).toMatch(/^v1:1:[A-Za-z0-9_-]+$/);
          expect(cipher.decrypt(field, customerId, encrypted.ciphertext)).toBe(text);
          runs += 1;
        },
      ),
      { numRuns: 10_000 },
    );
    expect(runs).toBe(10_000);
  });

  it('the AEAD layer round-trips arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.uint8Array({ maxLength: 64 }), (bytes, aad) => {
        const key = randomBytes(32);
        const sealed = sealBytes(key, Buffer.from(bytes), Buffer.from(aad));
        expect(new Uint8Array(openBytes(key, sealed, Buffer.from(aad)))).toEqual(bytes);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('T4.2 context binding', () => {
  it('a ciphertext moved to another row, field, tenant or key version never decrypts', () => {
    const tenantId = randomUUID();
    const dataKey = randomBytes(32);
    const indexKey = randomBytes(32);
    const cipher = new TenantCipher(tenantId, 1, new Map([[1, dataKey]]), indexKey);
    // The same keys under another tenant id: only the AAD differs.
    const sameKeysOtherTenant = new TenantCipher(randomUUID(), 1, new Map([[1, dataKey]]), indexKey);
    const twoVersions = new TenantCipher(
      tenantId,
      2,
      new Map([
        [1, dataKey],
        [2, dataKey],
      ]),
      indexKey,
    );
    let attempts = 0;
    let succeeded = 0;
    const tryDecrypt = (fn: () => string) => {
      attempts += 1;
      try {
        fn();
        succeeded += 1;
      } catch (error) {
        expect(error).toBeInstanceOf(DecryptionError);
      }
    };
    for (let index = 0; index < 500; index += 1) {
      const customerId = randomUUID();
      const { ciphertext } = cipher.encrypt('national_id', customerId, `11010519491231002X-${index}`);
      expect(cipher.decrypt('national_id', customerId, ciphertext)).toContain('11010519491231002X');
      tryDecrypt(() => cipher.decrypt('national_id', randomUUID(), ciphertext)); // another row
      tryDecrypt(() => cipher.decrypt('bank_card', customerId, ciphertext)); // another column
      tryDecrypt(() => sameKeysOtherTenant.decrypt('national_id', customerId, ciphertext)); // another tenant
      tryDecrypt(() => twoVersions.decrypt('national_id', customerId, ciphertext.replace(/^v1:1:/, 'v1:2:'))); // relabelled
      tryDecrypt(() => randomCipher(tenantId).decrypt('national_id', customerId, ciphertext)); // another key
    }
    expect({ attempts, decryptSucceeded: succeeded }).toEqual({ attempts: 2500, decryptSucceeded: 0 });
  });
});

describe('T4.3 nonces', () => {
  it('10^6 encryptions under one key: no nonce repeats; the cipher counts them', () => {
    const key = randomBytes(32);
    const aad = Buffer.from('aad');
    const plaintext = Buffer.from('440304198803151233');
    const nonces = new Set<string>();
    for (let index = 0; index < 1_000_000; index += 1) {
      nonces.add(sealBytes(key, plaintext, aad).subarray(0, 12).toString('latin1'));
    }
    expect({ encryptions: 1_000_000, nonceDupes: 1_000_000 - nonces.size }).toEqual({
      encryptions: 1_000_000,
      nonceDupes: 0,
    });
    const cipher = randomCipher();
    for (let index = 0; index < 10; index += 1)
      cipher.encrypt('bank_card', randomUUID(), '6217000000123456786');
    expect(cipher.encryptions).toBe(10);
  }, 120_000);
});

describe('T4.5 blind index', () => {
  it('same value, same index within a tenant and field (normalised); unrelated across tenants (10,000 pairs)', () => {
    const a = randomCipher();
    const b = randomCipher();
    expect(a.blindIndex('national_id', '11010519491231002x')).toBe(
      a.blindIndex('national_id', '110105 19491231 002X'),
    );
    expect(a.blindIndex('national_id', '11010519491231002X')).not.toBe(
      a.blindIndex('bank_card', '11010519491231002X'),
    );
    let equal = 0;
    for (let index = 0; index < 10_000; index += 1) {
      const value = `${440304198803151233n + BigInt(index)}`;
      if (a.blindIndex('national_id', value) === b.blindIndex('national_id', value)) equal += 1;
    }
    expect({ pairs: 10_000, crossTenantEqual: equal }).toEqual({ pairs: 10_000, crossTenantEqual: 0 });
  });

  it('a truncated index has false positives; filtering by decryption returns exactly the true matches', () => {
    // A 4-bit index (one hex character) makes false positives common, as a Bloom-sized one would.
    const cipher = randomCipher();
    const indexKey = deriveIndexKey(randomBytes(32), cipher.tenantId, 'bank_card');
    const rows = Array.from({ length: 2000 }, (_, index) => {
      const value = `62170000${String(index % 400).padStart(8, '0')}`;
      const customerId = randomUUID();
      return {
        customerId,
        value,
        index: computeBlindIndex(indexKey, 'bank_card', value, 1),
        ciphertext: cipher.encrypt('bank_card', customerId, value).ciphertext,
      };
    });
    const wanted = '6217000000000123';
    const probe = computeBlindIndex(indexKey, 'bank_card', wanted, 1);
    const candidates = rows.filter((row) => row.index === probe);
    const returned = candidates.filter(
      (row) => cipher.decrypt('bank_card', row.customerId, row.ciphertext) === wanted,
    );
    const truth = rows.filter((row) => row.value === wanted);
    expect(candidates.length).toBeGreaterThan(truth.length);
    expect(returned.map((row) => row.customerId).sort()).toEqual(truth.map((row) => row.customerId).sort());
    expect({ recall: returned.length / truth.length, fpReturned: returned.length - truth.length }).toEqual({
      recall: 1,
      fpReturned: 0,
    });
  });
});

describe('master key wrapping', () => {
  it('wraps with the current key, unwraps with current or previous, refuses others', () => {
    const oldKey = generateMasterKey();
    const newKey = generateMasterKey();
    const before = createKeyring(oldKey);
    const during = createKeyring(newKey, oldKey);
    const after = createKeyring(newKey);
    const tenantId = randomUUID();
    const dek = randomBytes(32);
    const wrapped = wrapKey(before, tenantId, 'data', 1, dek);
    expect(wrapped.kekId).toBe(before.current.id);
    expect(unwrapKey(during, tenantId, 'data', 1, wrapped.wrappedKey, wrapped.kekId)).toEqual(dek);
    expect(() => unwrapKey(after, tenantId, 'data', 1, wrapped.wrappedKey, wrapped.kekId)).toThrow(
      UnknownMasterKeyError,
    );
    // Bound to tenant, purpose and version.
    expect(() => unwrapKey(during, randomUUID(), 'data', 1, wrapped.wrappedKey, wrapped.kekId)).toThrow();
    expect(() => unwrapKey(during, tenantId, 'index', 1, wrapped.wrappedKey, wrapped.kekId)).toThrow();
    expect(() => unwrapKey(during, tenantId, 'data', 2, wrapped.wrappedKey, wrapped.kekId)).toThrow();
    expect(wrapped.wrappedKey).not.toContain(dek.toString('base64url'));
  });
});
