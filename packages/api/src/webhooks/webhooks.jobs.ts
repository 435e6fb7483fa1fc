import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { notifyUsers } from '../notifications/notifications.service';
import { jobScope } from '../scope';
import { getCipher } from '../sensitive/sensitive.service';
import {
  type PostResult,
  postWebhook,
  retryDelayMs,
  WEBHOOK_MAX_ATTEMPTS,
  type WebhookMessage,
} from './webhooks.delivery';
import {
  type AttemptOutcome,
  claimDueDeliveries,
  hasDueDelivery,
  pruneDeliveries,
  recordOutcomes,
  selectAdminIds,
} from './webhooks.repository';
import { signingSecrets, webhookNetworkPolicy } from './webhooks.service';
import type { NetworkPolicy } from './webhooks.ssrf';

/** Delivering the outbox: a sweep every minute finds tenants with due deliveries; each drains. */
export type WebhookJobs = {
  'webhooks.drain-all': { minute?: string };
  'webhooks.drain-tenant': { tenantId: string };
};

export const WEBHOOKS_SCHEDULE = { cron: '* * * * *', tz: 'Asia/Shanghai' } as const;
/** Failed attempts in a row after which an endpoint is disabled (its admins are told). */
export const DISABLE_AFTER_FAILURES = 20;
export const WEBHOOK_LEASE_SECONDS = 60;
export const WEBHOOK_RETENTION_DAYS = 30;

export type WebhookDrainOptions = {
  policy?: NetworkPolicy;
  /** A sender other than the HTTP one (benchmarks). */
  post?: (message: WebhookMessage, policy: NetworkPolicy) => Promise<PostResult>;
  batchSize?: number;
  maxBatches?: number;
  /** Deliveries posted at once within a batch. */
  concurrency?: number;
  leaseSeconds?: number;
  timeoutMs?: number;
  random?: () => number;
};

export type WebhookDrainResult = { delivered: number; retrying: number; failed: number; disabled: number };

/**
 * Delivers a tenant's due webhooks: claim a batch (committed: the claims are leases), post
 * each outside any transaction with a few at a time, then record every outcome, the attempt
 * log and the endpoints' failure runs in one statement. At least once: a worker killed
 * between the post and the record posts again when its lease lapses — with the same
 * `webhook-id`, which receivers use to drop the duplicate.
 */
export async function drainTenantWebhooks(
  database: CrmDatabase,
  tenantId: string,
  options: WebhookDrainOptions = {},
): Promise<WebhookDrainResult> {
  const policy = options.policy ?? webhookNetworkPolicy();
  const post = options.post ?? ((message, p) => postWebhook(message, p, { timeoutMs: options.timeoutMs }));
  const batchSize = options.batchSize ?? 50;
  const concurrency = options.concurrency ?? 8;
  const result: WebhookDrainResult = { delivered: 0, retrying: 0, failed: 0, disabled: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 20); batch += 1) {
    const claimed = await database.withTenant(tenantId, async (trx) => {
      const scope = jobScope(trx, tenantId);
      const rows = await claimDueDeliveries(scope, {
        limit: batchSize,
        leaseSeconds: options.leaseSeconds ?? WEBHOOK_LEASE_SECONDS,
      });
      if (rows.length === 0) return [];
      const cipher = await getCipher(scope);
      const secrets = new Map<string, string[]>();
      for (const row of rows)
        if (!secrets.has(row.endpoint_id))
          secrets.set(row.endpoint_id, await signingSecrets(scope, row, cipher));
      return rows.map((row) => ({ row, secrets: secrets.get(row.endpoint_id) as string[] }));
    });
    if (claimed.length === 0) break;
    const outcomes: AttemptOutcome[] = new Array(claimed.length);
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const index = next;
        next += 1;
        const { row, secrets } = claimed[index] as (typeof claimed)[number];
        const sent = await post(
          {
            url: row.url,
            eventId: row.event_id,
            type: row.type,
            createdAt: new Date(row.event_created_at),
            data: row.payload,
            secrets,
          },
          policy,
        );
        const final = sent.ok || sent.gone || row.attempts >= WEBHOOK_MAX_ATTEMPTS;
        outcomes[index] = {
          id: row.id,
          endpointId: row.endpoint_id,
          eventId: row.event_id,
          attempt: row.attempts,
          ok: sent.ok,
          gone: sent.gone,
          statusCode: sent.status,
          latencyMs: sent.latencyMs,
          excerpt: sent.excerpt,
          error: sent.error,
          retryInMs: final ? null : retryDelayMs(row.attempts, options.random),
        };
        if (sent.ok) result.delivered += 1;
        else if (final) result.failed += 1;
        else result.retrying += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    const disabled = await database.withTenant(tenantId, async (trx) => {
      const scope = jobScope(trx, tenantId);
      const endpoints = await recordOutcomes(scope, outcomes, DISABLE_AFTER_FAILURES);
      if (endpoints.length > 0) {
        const admins = await selectAdminIds(scope);
        await notifyUsers(
          scope,
          endpoints.flatMap((endpoint) =>
            admins.map((userId) => ({
              userId,
              kind: 'platform_alert' as const,
              message: 'webhook_disabled' as const,
              params: {
                url: endpoint.url.slice(0, 200),
                reason:
                  endpoint.reason === 'gone'
                    ? '接收端返回 410（已不再接收）'
                    : `连续 ${DISABLE_AFTER_FAILURES} 次投递失败`,
                reasonEn:
                  endpoint.reason === 'gone'
                    ? 'The receiver answered 410 (gone)'
                    : `${DISABLE_AFTER_FAILURES} deliveries in a row failed`,
              },
              link: '/settings/platform',
              dedupKey: `webhook_disabled:${endpoint.id}:${Date.now()}`,
            })),
          ),
        );
      }
      return endpoints.length;
    });
    result.disabled += disabled;
    if (claimed.length < batchSize) break;
  }
  return result;
}

/** Asks for a drain of the tenant's deliveries soon (one waits per tenant; more asks join it). */
export async function queueWebhookDrain(jobs: JobQueue<WebhookJobs>, tenantId: string): Promise<void> {
  await jobs.enqueue('webhooks.drain-tenant', { tenantId }, { debounceKey: tenantId });
}

export function registerWebhookJobs(jobs: JobQueue<WebhookJobs>, database: CrmDatabase): void {
  jobs.register(
    'webhooks.drain-all',
    async () => {
      const tenants = await database.withoutTenant((db) =>
        db.selectFrom('tenant_directory').select('id').execute(),
      );
      for (const tenant of tenants) {
        const due = await database.withTenant(tenant.id, (trx) => hasDueDelivery(jobScope(trx, tenant.id)));
        if (due) await queueWebhookDrain(jobs, tenant.id);
      }
    },
    { retryLimit: 1, retryDelaySeconds: 30, expireInSeconds: 5 * 60 },
  );
  // Retries live in the delivery rows (attempts, next_attempt_at), not in the job.
  jobs.register(
    'webhooks.drain-tenant',
    async (job) => {
      const { tenantId } = job.data;
      await drainTenantWebhooks(database, tenantId);
      await database.withTenant(tenantId, (trx) =>
        pruneDeliveries(jobScope(trx, tenantId), WEBHOOK_RETENTION_DAYS),
      );
    },
    { retryLimit: 2, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 10 * 60 },
  );
}
