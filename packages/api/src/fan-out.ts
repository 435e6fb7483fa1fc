import type { CrmDatabase } from '@crm/db';
import type { JobMap, JobQueue } from '@crm/jobs';

/**
 * The body of a daily (or periodic) "every tenant" job: one job per tenant, so one tenant's
 * failure is retried alone and harms no other. Each is keyed by `key(tenantId)` — the tenant
 * and its period (a day, a quarter, a 5-minute window) — so a tenant's job runs at most once
 * per period however often the fan-out runs (a retry, two schedulers, a restart).
 */
export async function fanOutToTenants<TJobs extends JobMap, N extends keyof TJobs & string>(
  jobs: JobQueue<TJobs>,
  database: CrmDatabase,
  name: N,
  each: { data: (tenantId: string) => TJobs[N]; key: (tenantId: string) => string; singletonSeconds: number },
): Promise<void> {
  const tenants = await database.withoutTenant((db) =>
    db.selectFrom('tenant_directory').select('id').execute(),
  );
  for (const tenant of tenants) {
    await jobs.enqueue(name, each.data(tenant.id), {
      singletonKey: each.key(tenant.id),
      singletonSeconds: each.singletonSeconds,
    });
  }
}
