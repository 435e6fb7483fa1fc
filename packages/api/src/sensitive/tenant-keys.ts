import { randomBytes } from 'node:crypto';
import type { Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { TenantCipher } from './cipher';
import { installedKeyring, type Keyring, unwrapKey, wrapKey } from './keyring';

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

type KeyRow = {
  version: number;
  wrapped_key: string;
  kek_id: string;
  encryptions: string;
  retired_at: Date | null;
};

async function readKeys(trx: Transaction<Database>, tenantId: string) {
  const { rows } = await sql<KeyRow & { purpose: 'data' | 'index' }>`
    select 'data' as purpose, version, wrapped_key, kek_id, encryptions::text as encryptions, retired_at
    from tenant_data_keys where tenant_id = ${tenantId}
    union all
    select 'index', version, wrapped_key, kek_id, '0', null
    from tenant_index_keys where tenant_id = ${tenantId}
    order by 1, 2`.execute(trx);
  return {
    data: rows.filter((row) => row.purpose === 'data'),
    index: rows.filter((row) => row.purpose === 'index'),
  };
}

async function isReadOnly(trx: Transaction<Database>): Promise<boolean> {
  const { rows } = await sql<{
    read_only: string;
  }>`select current_setting('transaction_read_only') as read_only`.execute(trx);
  return rows[0]?.read_only === 'on';
}

/** Adds the next data key version (concurrent callers agree on one); returns its number. */
export async function addDataKeyVersion(
  trx: Transaction<Database>,
  tenantId: string,
  keyring: Keyring = installedKeyring(),
): Promise<number> {
  const { rows } = await sql<{ next: number }>`
    select coalesce(max(version), 0) + 1 as next from tenant_data_keys where tenant_id = ${tenantId}`.execute(
    trx,
  );
  const version = rows[0]?.next ?? 1;
  const { wrappedKey, kekId } = wrapKey(keyring, tenantId, 'data', version, randomBytes(32));
  await trx
    .insertInto('tenant_data_keys')
    .values({ tenant_id: tenantId, version, wrapped_key: wrappedKey, kek_id: kekId })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
  return version;
}

async function addIndexKey(trx: Transaction<Database>, tenantId: string, keyring: Keyring) {
  const { wrappedKey, kekId } = wrapKey(keyring, tenantId, 'index', 1, randomBytes(32));
  await trx
    .insertInto('tenant_index_keys')
    .values({ tenant_id: tenantId, version: 1, wrapped_key: wrappedKey, kek_id: kekId })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

export type TenantCipherOptions = { keyring?: Keyring };

/**
 * The tenant's cipher, for any number of values in this transaction: its data keys and
 * index key are read and unwrapped once here, not per value. A tenant's first keys are
 * created on first use (in a read-only transaction, where nothing of the tenant can be
 * encrypted yet, a cipher with throwaway keys is returned: its blind indexes match nothing).
 */
export async function getTenantCipher(
  trx: Transaction<Database>,
  tenantId: string,
  options: TenantCipherOptions = {},
): Promise<TenantCipher> {
  const keyring = options.keyring ?? installedKeyring();
  let keys = await readKeys(trx, tenantId);
  if (keys.data.length === 0 || keys.index.length === 0) {
    if (await isReadOnly(trx)) {
      return new TenantCipher(tenantId, 1, new Map([[1, randomBytes(32)]]), randomBytes(32));
    }
    if (keys.index.length === 0) await addIndexKey(trx, tenantId, keyring);
    if (keys.data.length === 0) {
      await addDataKeyVersion(trx, tenantId, keyring);
      listener({ event: 'data_key_created', tenantId, version: 1 });
    }
    keys = await readKeys(trx, tenantId);
  }
  let current = keys.data.at(-1) as KeyRow;
  const encryptions = Number(current.encryptions);
  if (encryptions >= ENCRYPTIONS_WARN_AT) {
    listener({ event: 'encryption_limit_near', tenantId, version: current.version, encryptions });
    if (encryptions >= ENCRYPTIONS_ROTATE_AT && !(await isReadOnly(trx))) {
      const version = await addDataKeyVersion(trx, tenantId, keyring);
      listener({ event: 'data_key_rotated', tenantId, version, reason: 'limit' });
      keys = await readKeys(trx, tenantId);
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
export async function lockCurrentDataKey(trx: Transaction<Database>, tenantId: string, version: number) {
  await sql`select version from tenant_data_keys where tenant_id = ${tenantId} and version = ${version} for update`.execute(
    trx,
  );
}
