import type { Database, Transaction } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import type { AppJobs } from '../jobs';

type ScanRow = {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  created_at: Date;
  finished_at: Date | null;
  pairs: number | null;
  new_pairs: number | null;
  removed_pairs: number | null;
  capped_keys: { kind: string; value: string; customers: number }[];
};
const toScan = (row: ScanRow) => ({
  id: row.id,
  status: row.status,
  createdAt: row.created_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
  pairs: row.pairs,
  newPairs: row.new_pairs,
  removedPairs: row.removed_pairs,
  cappedKeys: row.capped_keys,
});

/** Queues a tenant-wide scan (it also runs nightly), in the caller's transaction. */
export async function queueScan(
  trx: Transaction<Database>,
  jobs: JobQueue<AppJobs>,
  tenantId: string,
  userId: string,
) {
  const row = await trx
    .insertInto('duplicate_scans')
    .values({ tenant_id: tenantId, requested_by: userId, status: 'queued' })
    .returningAll()
    .executeTakeFirstOrThrow();
  await jobs.enqueue(
    'duplicates.scan-tenant',
    { tenantId, scanId: row.id },
    { trx, id: row.id, retryLimit: 2, expireInSeconds: 60 * 60 },
  );
  return toScan(row as ScanRow);
}

/** The latest scan of the tenant, or null before the first one. */
export async function lastScan(trx: Transaction<Database>, tenantId: string) {
  const row = await trx
    .selectFrom('duplicate_scans')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toScan(row as ScanRow) : null;
}
