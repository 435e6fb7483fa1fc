import type { CrmDatabase, Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { DecryptionError } from './cipher';
import { installedKeyring, type Keyring, unwrapKey, wrapKey } from './keyring';
import { addDataKeyVersion, getTenantCipher, lockCurrentDataKey } from './tenant-keys';

/**
 * Key rotation (docs/sensitive-data.md, "Rotation runbook"):
 * - master key (KEK): every tenant's data and index keys not wrapped by the current master
 *   key are unwrapped (by MASTER_KEY_PREVIOUS) and wrapped again; values are untouched;
 * - data key (DEK): a new version becomes current (new values use it at once), then the
 *   values on older versions are re-encrypted in batches, each batch its own transaction,
 *   so the work can be stopped at any point and run again: nothing is left unreadable, and
 *   a batch done twice does nothing the second time.
 */

/** Re-wraps a tenant's keys under the current master key; returns how many were re-wrapped. */
export async function rewrapTenantKeys(
  database: CrmDatabase,
  tenantId: string,
  keyring: Keyring = installedKeyring(),
): Promise<number> {
  return database.withTenant(tenantId, async (trx) => {
    let rewrapped = 0;
    const dataKeys = await trx
      .selectFrom('tenant_data_keys')
      .select(['version', 'wrapped_key', 'kek_id'])
      .where('tenant_id', '=', tenantId)
      .where('kek_id', '<>', keyring.current.id)
      .forUpdate()
      .execute();
    for (const row of dataKeys) {
      const key = unwrapKey(keyring, tenantId, 'data', row.version, row.wrapped_key, row.kek_id);
      const { wrappedKey, kekId } = wrapKey(keyring, tenantId, 'data', row.version, key);
      await trx
        .updateTable('tenant_data_keys')
        .set({ wrapped_key: wrappedKey, kek_id: kekId })
        .where('tenant_id', '=', tenantId)
        .where('version', '=', row.version)
        .execute();
      rewrapped += 1;
    }
    const indexKeys = await trx
      .selectFrom('tenant_index_keys')
      .select(['version', 'wrapped_key', 'kek_id'])
      .where('tenant_id', '=', tenantId)
      .where('kek_id', '<>', keyring.current.id)
      .forUpdate()
      .execute();
    for (const row of indexKeys) {
      const key = unwrapKey(keyring, tenantId, 'index', row.version, row.wrapped_key, row.kek_id);
      const { wrappedKey, kekId } = wrapKey(keyring, tenantId, 'index', row.version, key);
      await trx
        .updateTable('tenant_index_keys')
        .set({ wrapped_key: wrappedKey, kek_id: kekId })
        .where('tenant_id', '=', tenantId)
        .where('version', '=', row.version)
        .execute();
      rewrapped += 1;
    }
    return rewrapped;
  });
}

/** Makes a new data key version current for the tenant; returns its number. */
export async function rotateTenantDataKey(
  database: CrmDatabase,
  tenantId: string,
  keyring: Keyring = installedKeyring(),
): Promise<number> {
  return database.withTenant(tenantId, async (trx) => {
    // Serialises with a concurrent rotation of the same tenant.
    await sql`select pg_advisory_xact_lock(hashtext('crm.rotate-data-key'), hashtext(${tenantId}))`.execute(
      trx,
    );
    await getTenantCipher(trx, tenantId, { keyring });
    return addDataKeyVersion(trx, tenantId, keyring);
  });
}

export type ReencryptProgress = {
  batches: number;
  /** Rows re-encrypted by this run. */
  reencrypted: number;
  /** Rows changed meanwhile by someone else (left for the next run, already current or newer). */
  skipped: number;
  /** Rows that could not be decrypted (wrong key or context): counted, left as they are. */
  unreadable: number;
  /** Rows still on an older version when the run ended. */
  remaining: number;
  currentVersion: number;
  aborted: boolean;
};

type SecretRow = { customer_id: string; field: string; ciphertext: string; key_version: number };

async function reencryptBatch(
  trx: Transaction<Database>,
  tenantId: string,
  keyring: Keyring,
  after: { customerId: string; field: string } | null,
  batchSize: number,
) {
  const cipher = await getTenantCipher(trx, tenantId, { keyring });
  const current = cipher.currentVersion;
  await lockCurrentDataKey(trx, tenantId, current);
  const cursor = after ? sql`and (customer_id, field) > (${after.customerId}::uuid, ${after.field})` : sql``;
  const { rows } = await sql<SecretRow>`
    select customer_id, field, ciphertext, key_version from customer_secrets
    where tenant_id = ${tenantId} and key_version <> ${current} ${cursor}
    order by customer_id, field
    limit ${batchSize}
    for update skip locked`.execute(trx);
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
  let changed = 0;
  if (updates.length > 0) {
    // One statement for the batch; a row someone rewrote meanwhile (other ciphertext) is left alone.
    const result = await sql`
      update customer_secrets s set ciphertext = u.ciphertext, key_version = ${current}
      from unnest(${updates.map((u) => u.customerId)}::uuid[], ${updates.map((u) => u.field)}::text[],
                  ${updates.map((u) => u.old)}::text[], ${updates.map((u) => u.ciphertext)}::text[])
        as u(customer_id, field, old, ciphertext)
      where s.tenant_id = ${tenantId} and s.customer_id = u.customer_id and s.field = u.field
        and s.ciphertext = u.old`.execute(trx);
    changed = Number(result.numAffectedRows ?? 0);
  }
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
 * Re-encrypts the tenant's values that are on an older data key version, `batchSize` rows
 * per transaction, in primary-key order. Stops between batches when `signal` aborts; safe
 * to run again at any time (it starts over and finds only what is left). When nothing is
 * left on older versions, those versions are marked retired.
 */
export async function reencryptTenant(
  database: CrmDatabase,
  tenantId: string,
  options: {
    batchSize?: number;
    signal?: AbortSignal;
    keyring?: Keyring;
    onBatch?: (progress: ReencryptProgress) => void | Promise<void>;
  } = {},
): Promise<ReencryptProgress> {
  const keyring = options.keyring ?? installedKeyring();
  const batchSize = options.batchSize ?? 1000;
  const progress: ReencryptProgress = {
    batches: 0,
    reencrypted: 0,
    skipped: 0,
    unreadable: 0,
    remaining: 0,
    currentVersion: 0,
    aborted: false,
  };
  let after: { customerId: string; field: string } | null = null;
  for (;;) {
    if (options.signal?.aborted) {
      progress.aborted = true;
      break;
    }
    const batch = await database.withTenant(tenantId, (trx) =>
      reencryptBatch(trx, tenantId, keyring, after, batchSize),
    );
    progress.batches += 1;
    progress.currentVersion = batch.current;
    progress.reencrypted += batch.changed;
    progress.skipped += batch.skipped;
    progress.unreadable += batch.unreadable;
    after = batch.next;
    await options.onBatch?.(progress);
    if (batch.seen < batchSize) break;
  }
  progress.remaining = await database.withTenant(tenantId, async (trx) => {
    const current =
      progress.currentVersion || (await getTenantCipher(trx, tenantId, { keyring })).currentVersion;
    const row = await trx
      .selectFrom('customer_secrets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('key_version', '<>', current)
      .executeTakeFirstOrThrow();
    const remaining = Number(row.n);
    if (remaining === 0 && !progress.aborted) {
      await trx
        .updateTable('tenant_data_keys')
        .set({ retired_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('version', '<', current)
        .where('retired_at', 'is', null)
        .execute();
    }
    return remaining;
  });
  return progress;
}

/** Every tenant's id (the directory holds ids only). */
export async function allTenantIds(database: CrmDatabase): Promise<string[]> {
  const rows = await database.withoutTenant((db) => db.selectFrom('tenant_directory').select('id').execute());
  return rows.map((row) => row.id);
}
