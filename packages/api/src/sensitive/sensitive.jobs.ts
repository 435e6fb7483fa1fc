import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { reencryptTenant } from './rotation';

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
