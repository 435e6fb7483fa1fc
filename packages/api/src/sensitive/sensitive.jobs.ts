import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { jobScope } from '../scope';
import { installedKeyring, type Keyring } from './keyring';
import { reencryptBatch, rewrapKeys, rotateDataKey, settleReencryption } from './sensitive.service';

/**
 * Key rotation (docs/sensitive-data.md, "Rotation runbook"), run by the job below and the
 * `keys:rotate` command, each step in transactions of its own (each with a `jobScope`):
 * - master key (KEK): every tenant's data and index keys not wrapped by the current master
 *   key are unwrapped (by MASTER_KEY_PREVIOUS) and wrapped again; values are untouched;
 * - data key (DEK): a new version becomes current (new values use it at once), then the
 *   values on older versions are re-encrypted in batches, each batch its own transaction,
 *   so the work can be stopped at any point and run again: nothing is left unreadable, and
 *   a batch done twice does nothing the second time.
 */

/** Re-encryption of a tenant's values after its data key rotated (resumable, idempotent). */
export type SensitiveJobs = {
  'sensitive.reencrypt-tenant': { tenantId: string };
};

export function registerSensitiveJobs(jobs: JobQueue<SensitiveJobs>, database: CrmDatabase): void {
  // Safe to retry from the start: rows already on the current version are not touched again.
  jobs.register(
    'sensitive.reencrypt-tenant',
    async (job) => {
      await reencryptTenant(database, job.data.tenantId, { batchSize: 1000 });
    },
    { retryLimit: 5, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 60 * 60 },
  );
}

/** Re-wraps a tenant's keys under the current master key; returns how many were re-wrapped. */
export function rewrapTenantKeys(
  database: CrmDatabase,
  tenantId: string,
  keyring: Keyring = installedKeyring(),
): Promise<number> {
  return database.withTenant(tenantId, (trx) => rewrapKeys(jobScope(trx, tenantId), keyring));
}

/** Makes a new data key version current for the tenant; returns its number. */
export function rotateTenantDataKey(
  database: CrmDatabase,
  tenantId: string,
  keyring: Keyring = installedKeyring(),
): Promise<number> {
  return database.withTenant(tenantId, (trx) => rotateDataKey(jobScope(trx, tenantId), keyring));
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
      reencryptBatch(jobScope(trx, tenantId), keyring, after, batchSize),
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
  progress.remaining = await database.withTenant(tenantId, (trx) =>
    settleReencryption(jobScope(trx, tenantId), keyring, progress.currentVersion, progress.aborted),
  );
  return progress;
}
