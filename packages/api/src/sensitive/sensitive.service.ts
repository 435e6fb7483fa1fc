import { randomBytes } from 'node:crypto';
import type { CrmDatabase } from '@crm/db';
import { maskFromHint, parseBankCard, parseNationalId } from '@crm/domain';
import { appError } from '../errors';
import type { Scope } from '../scope';
import { DecryptionError, TenantCipher } from './cipher';
import { installedKeyring, type Keyring, unwrapKey, wrapKey } from './keyring';
import {
  countSecretsNotOn,
  deleteSecret,
  insertDataKey,
  insertIndexKey,
  insertRevealAudit,
  insertUpdateAudit,
  isReadOnly,
  type KeyRow,
  lockDataKey,
  lockDataKeyRotation,
  retireDataKeysBefore,
  selectDemoCustomerIds,
  selectKeys,
  selectKeysWrappedByOthers,
  selectNextDataKeyVersion,
  selectSecretsByBlindIndex,
  selectSecretsNotOn,
  selectSensitiveFieldKeys,
  selectStoredSecrets,
  selectTenantIds,
  selectVisibleSecret,
  updateReencrypted,
  updateWrappedKey,
  upsertSecret,
} from './sensitive.repository';

/**
 * The use cases of sensitive fields: the tenant's keys (created on first use, rotated, wrapped
 * again under a new master key), writing, finding and revealing a customer's encrypted values,
 * and re-encrypting them after a rotation. Each runs inside the caller's transaction
 * (`scope.trx`); values are encrypted and decrypted here, never in SQL.
 */

/**
 * AES-GCM with random 96-bit nonces stays within its bounds for 2^32 encryptions per key
 * (NIST SP 800-38D §8.3). Stored encryptions are counted per key version; past WARN_AT a
 * warning is logged, and at ROTATE_AT the next writer rotates the tenant's data key — far
 * below the limit, since encryptions that were never stored (a rolled-back import) are not
 * counted.
 */
export const ENCRYPTIONS_WARN_AT = 2 ** 30;
export const ENCRYPTIONS_ROTATE_AT = 2 ** 31;

export type KeyEvent =
  | { event: 'data_key_created'; tenantId: string; version: number }
  | { event: 'data_key_rotated'; tenantId: string; version: number; reason: 'limit' | 'command' }
  | { event: 'encryption_limit_near'; tenantId: string; version: number; encryptions: number };

let listener: (event: KeyEvent) => void = () => {};

/** Where key lifecycle events go (the server logs them; never key material). */
export function onKeyEvent(handler: (event: KeyEvent) => void): void {
  listener = handler;
}

/** Adds the next data key version (concurrent callers agree on one); returns its number. */
export async function addDataKeyVersion(
  scope: Scope,
  keyring: Keyring = installedKeyring(),
): Promise<number> {
  const version = await selectNextDataKeyVersion(scope);
  await insertDataKey(scope, version, wrapKey(keyring, scope.tenantId, 'data', version, randomBytes(32)));
  return version;
}

export type TenantCipherOptions = { keyring?: Keyring };

/**
 * The tenant's cipher, for any number of values in this transaction: its data keys and
 * index key are read and unwrapped once here, not per value. A tenant's first keys are
 * created on first use (in a read-only transaction, where nothing of the tenant can be
 * encrypted yet, a cipher with throwaway keys is returned: its blind indexes match nothing).
 */
export async function getCipher(scope: Scope, options: TenantCipherOptions = {}): Promise<TenantCipher> {
  const { tenantId } = scope;
  const keyring = options.keyring ?? installedKeyring();
  let keys = await selectKeys(scope);
  if (keys.data.length === 0 || keys.index.length === 0) {
    if (await isReadOnly(scope)) {
      return new TenantCipher(tenantId, 1, new Map([[1, randomBytes(32)]]), randomBytes(32));
    }
    if (keys.index.length === 0)
      await insertIndexKey(scope, wrapKey(keyring, tenantId, 'index', 1, randomBytes(32)));
    if (keys.data.length === 0) {
      await addDataKeyVersion(scope, keyring);
      listener({ event: 'data_key_created', tenantId, version: 1 });
    }
    keys = await selectKeys(scope);
  }
  let current = keys.data.at(-1) as KeyRow;
  const encryptions = Number(current.encryptions);
  if (encryptions >= ENCRYPTIONS_WARN_AT) {
    listener({ event: 'encryption_limit_near', tenantId, version: current.version, encryptions });
    if (encryptions >= ENCRYPTIONS_ROTATE_AT && !(await isReadOnly(scope))) {
      const version = await addDataKeyVersion(scope, keyring);
      listener({ event: 'data_key_rotated', tenantId, version, reason: 'limit' });
      keys = await selectKeys(scope);
      current = keys.data.at(-1) as KeyRow;
    }
  }
  const dataKeys = new Map(
    keys.data.map((row) => [
      row.version,
      unwrapKey(keyring, tenantId, 'data', row.version, row.wrapped_key, row.kek_id),
    ]),
  );
  const indexRow = keys.index[0] as KeyRow;
  const indexKey = unwrapKey(
    keyring,
    tenantId,
    'index',
    indexRow.version,
    indexRow.wrapped_key,
    indexRow.kek_id,
  );
  return new TenantCipher(tenantId, current.version, dataKeys, indexKey);
}

/**
 * Takes the lock the encryption counter's trigger would take at the end of the first write
 * (the current key version's row), up front: writers of a tenant's sensitive values then
 * queue on it before they lock any value row, so two of them never wait on each other in
 * opposite order (a re-encryption batch and a profile edit, say).
 */
export function lockCurrentDataKey(scope: Scope, version: number): Promise<void> {
  return lockDataKey(scope, version);
}

/** The masked form of a stored hint: `**** 1234` (`****` when the hint is empty). */
export function maskHint(hint: string | null | undefined): string {
  return maskFromHint(hint);
}

/** A change of one sensitive value: the value in its stored form, or null to clear it. */
export type SecretChange = { field: string; value: string | null };

/** The audit log's jsonb for changed sensitive fields: masked forms only, never the value. */
function auditChanges(changed: { field: string; from: string | null; to: string | null }[]) {
  const changes: Record<string, unknown> = {};
  const customFrom: Record<string, string | null> = {};
  const customTo: Record<string, string | null> = {};
  for (const change of changed) {
    const from = change.from === null ? null : maskFromHint(change.from);
    const to = change.to === null ? null : maskFromHint(change.to);
    if (change.field.startsWith('custom:')) {
      const key = change.field.slice('custom:'.length);
      customFrom[key] = from;
      customTo[key] = to;
    } else {
      changes[change.field] = { from, to };
    }
  }
  if (Object.keys(customTo).length > 0) changes.custom_fields = { from: customFrom, to: customTo };
  return changes;
}

/**
 * Sets (encrypts) and clears a customer's sensitive values, already validated and
 * normalised. Unchanged values are left as they are; the change is audited with masked
 * values. The customer must already be known to be visible to the caller. Returns whether
 * anything changed.
 */
export async function writeSecrets(
  scope: Scope,
  customerId: string,
  changes: SecretChange[],
): Promise<boolean> {
  if (changes.length === 0) return false;
  const writing = changes.some((change) => change.value !== null);
  const cipher = writing ? await getCipher(scope) : null;
  if (cipher) await lockCurrentDataKey(scope, cipher.currentVersion);
  const existing = await selectStoredSecrets(
    scope,
    customerId,
    changes.map((change) => change.field),
  );
  const byField = new Map(existing.map((row) => [row.field, row]));
  const audited: { field: string; from: string | null; to: string | null }[] = [];
  for (const change of changes) {
    const stored = byField.get(change.field);
    if (change.value === null) {
      if (!stored) continue;
      await deleteSecret(scope, customerId, change.field);
      audited.push({ field: change.field, from: stored.hint, to: null });
      continue;
    }
    if (stored && cipher) {
      let same = false;
      try {
        same = cipher.decrypt(change.field, customerId, stored.ciphertext) === change.value;
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
      }
      if (same) continue;
    }
    const encrypted = (cipher as NonNullable<typeof cipher>).encrypt(change.field, customerId, change.value);
    await upsertSecret(scope, customerId, change.field, encrypted);
    audited.push({ field: change.field, from: stored?.hint ?? null, to: encrypted.hint });
  }
  if (audited.length > 0) await insertUpdateAudit(scope, customerId, auditChanges(audited));
  return audited.length > 0;
}

/** Whether the query looks like a whole national ID or card number (then it is searched exactly). */
export function identityCandidates(search: string): SecretChange[] {
  const candidates: SecretChange[] = [];
  const id = parseNationalId(search);
  if (id.ok) candidates.push({ field: 'national_id', value: id.value });
  const card = parseBankCard(search);
  if (card.ok) candidates.push({ field: 'bank_card', value: card.value });
  return candidates;
}

/**
 * Exact search by blind index: the customers whose national ID or bank card is exactly
 * `search`, or null when the query does not look like one. Index hits are decrypted and
 * compared, so a truncated index's false positives never come back.
 */
export async function findCustomerIdsByIdentity(scope: Scope, search: string): Promise<string[] | null> {
  const candidates = identityCandidates(search);
  if (candidates.length === 0) return null;
  const cipher = await getCipher(scope);
  const wanted = candidates.map((candidate) => ({
    ...candidate,
    index: cipher.blindIndex(candidate.field, candidate.value as string),
  }));
  const rows = await selectSecretsByBlindIndex(scope, wanted);
  const matches = new Set<string>();
  for (const row of rows) {
    const target = wanted.find((w) => w.field === row.field);
    try {
      if (target && cipher.decrypt(row.field, row.customer_id, row.ciphertext) === target.value) {
        matches.add(row.customer_id);
      }
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
    }
  }
  return [...matches];
}

/**
 * The plaintext of one sensitive value, for a member allowed to reveal it who can see the
 * customer; the reveal is written to the audit log (who, which customer, which field, when).
 */
export async function revealSecret(
  scope: Scope,
  customerId: string,
  field: string,
): Promise<{ field: string; value: string }> {
  const row = await selectVisibleSecret(scope, customerId, field);
  if (!row) throw appError('CUSTOMER_NOT_FOUND');
  if (!row.ciphertext) throw appError('SENSITIVE_VALUE_NOT_FOUND');
  const cipher = await getCipher(scope);
  const value = cipher.decrypt(field, customerId, row.ciphertext);
  await insertRevealAudit(scope, customerId, field);
  return { field, value };
}

/** Re-wraps the tenant's keys under the current master key; returns how many were re-wrapped. */
export async function rewrapKeys(scope: Scope, keyring: Keyring): Promise<number> {
  let rewrapped = 0;
  for (const purpose of ['data', 'index'] as const) {
    const keys = await selectKeysWrappedByOthers(scope, purpose, keyring.current.id);
    for (const row of keys) {
      const key = unwrapKey(keyring, scope.tenantId, purpose, row.version, row.wrapped_key, row.kek_id);
      await updateWrappedKey(
        scope,
        purpose,
        row.version,
        wrapKey(keyring, scope.tenantId, purpose, row.version, key),
      );
      rewrapped += 1;
    }
  }
  return rewrapped;
}

/** Makes a new data key version current for the tenant; returns its number. */
export async function rotateDataKey(scope: Scope, keyring: Keyring): Promise<number> {
  // Serialises with a concurrent rotation of the same tenant.
  await lockDataKeyRotation(scope);
  await getCipher(scope, { keyring });
  return addDataKeyVersion(scope, keyring);
}

/** One batch of re-encryption: what it saw, changed, skipped and could not read, and where it ended. */
export type ReencryptBatch = {
  current: number;
  seen: number;
  changed: number;
  skipped: number;
  unreadable: number;
  next: { customerId: string; field: string } | null;
};

/**
 * Re-encrypts up to `batchSize` values on older data key versions under the current one, in
 * primary-key order after `after`. Values that cannot be decrypted are counted and left.
 */
export async function reencryptBatch(
  scope: Scope,
  keyring: Keyring,
  after: { customerId: string; field: string } | null,
  batchSize: number,
): Promise<ReencryptBatch> {
  const cipher = await getCipher(scope, { keyring });
  const current = cipher.currentVersion;
  await lockCurrentDataKey(scope, current);
  const rows = await selectSecretsNotOn(scope, current, after, batchSize);
  let unreadable = 0;
  const updates: { customerId: string; field: string; old: string; ciphertext: string }[] = [];
  for (const row of rows) {
    try {
      const plaintext = cipher.decrypt(row.field, row.customer_id, row.ciphertext);
      updates.push({
        customerId: row.customer_id,
        field: row.field,
        old: row.ciphertext,
        ciphertext: cipher.encrypt(row.field, row.customer_id, plaintext).ciphertext,
      });
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      unreadable += 1;
    }
  }
  // One statement for the batch; a row someone rewrote meanwhile (other ciphertext) is left alone.
  const changed = updates.length > 0 ? await updateReencrypted(scope, current, updates) : 0;
  const last = rows.at(-1);
  return {
    current,
    seen: rows.length,
    changed,
    skipped: updates.length - changed,
    unreadable,
    next: last ? { customerId: last.customer_id, field: last.field } : null,
  };
}

/**
 * How many values are still on older versions than the current one (`current`, or read now
 * when 0); when none are and the run was not aborted, those versions are marked retired.
 */
export async function settleReencryption(
  scope: Scope,
  keyring: Keyring,
  current: number,
  aborted: boolean,
): Promise<number> {
  const version = current || (await getCipher(scope, { keyring })).currentVersion;
  const remaining = await countSecretsNotOn(scope, version);
  if (remaining === 0 && !aborted) await retireDataKeysBefore(scope, version);
  return remaining;
}

/** Every tenant's id (the directory holds ids only; no tenant scope applies to it). */
export function allTenantIds(database: CrmDatabase): Promise<string[]> {
  return database.withoutTenant((db) => selectTenantIds(db));
}

/** The customers (people first, at most `perTenant`) and sensitive custom fields a demo tenant's values go to. */
export async function demoSecretTargets(
  scope: Scope,
  perTenant: number,
): Promise<{ customers: { id: string; kind: 'person' | 'company' }[]; customKeys: string[] }> {
  const customers = await selectDemoCustomerIds(scope, perTenant);
  const customKeys = await selectSensitiveFieldKeys(scope);
  return { customers, customKeys };
}
