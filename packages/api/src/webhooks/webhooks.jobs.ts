import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { CompiledQuery } from 'kysely';
import { notifyUsers } from '../notifications/notifications.service';
import { jobScope, type Scope } from '../scope';
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
  type ClaimedDelivery,
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

type Claimed = { row: ClaimedDelivery; secrets: string[]; batch: Batch };
/** One claim's deliveries: recorded together (one statement) once each has its outcome. */
type Batch = { outcomes: AttemptOutcome[]; left: number };

/**
 * Delivers a tenant's due webhooks as a pipeline: `concurrency` senders post one delivery each
 * at a time, outside any transaction; the next batch is claimed (committed: the claims are
 * leases) while the senders still have work, and a batch's outcomes, the attempt log and the
 * endpoints' failure runs are recorded in one statement as soon as its last post is back, while
 * the senders go on — the senders never wait on the database. An endpoint that answers 410
 * during the drain gets no further post from it: its remaining claims are handed back unsent.
 * At least once: a worker killed between a post and its record posts again when its lease
 * lapses — with the same `webhook-id`, which receivers use to drop the duplicate. A failure
 * (a sender or a statement throwing) stops the drain once the statements already running have
 * ended, and is thrown.
 */
export async function drainTenantWebhooks(
  database: CrmDatabase,
  tenantId: string,
  options: WebhookDrainOptions = {},
): Promise<WebhookDrainResult> {
  const policy = options.policy ?? webhookNetworkPolicy();
  const post = options.post ?? ((message, p) => postWebhook(message, p, { timeoutMs: options.timeoutMs }));
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 8;
  const maxBatches = options.maxBatches ?? 20;
  const result: WebhookDrainResult = { delivered: 0, retrying: 0, failed: 0, disabled: 0 };
  const queue: Claimed[] = [];
  /** Endpoints that answered 410 in this drain (disabled when their batch is recorded). */
  const gone = new Set<string>();
  const statements = new Set<Promise<void>>();
  let claiming: Promise<void> | null = null;
  let claims = 0;
  let exhausted = false;
  let failure: { error: unknown } | null = null;

  const track = (work: Promise<void>) => {
    const tracked = work.catch((error: unknown) => {
      failure ??= { error };
    });
    statements.add(tracked);
    void tracked.finally(() => statements.delete(tracked));
    return tracked;
  };

  /** Claims the next batch unless one is being claimed or there is nothing more to claim. */
  const claimNext = (): Promise<void> | null => {
    if (claiming || exhausted || failure) return claiming;
    if (claims >= maxBatches) {
      exhausted = true;
      return null;
    }
    claims += 1;
    claiming = track(
      (async () => {
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
        if (claimed.length < batchSize) exhausted = true;
        const batch: Batch = { outcomes: [], left: claimed.length };
        for (const item of claimed) queue.push({ ...item, batch });
      })(),
    ).finally(() => {
      claiming = null;
    });
    return claiming;
  };

  const record = (batch: Batch) =>
    track(
      database.withTenant(tenantId, async (trx) => {
        const scope = jobScope(trx, tenantId);
        const endpoints = await recordOutcomes(scope, batch.outcomes, DISABLE_AFTER_FAILURES);
        result.disabled += endpoints.length;
        if (endpoints.length > 0) await tellAdmins(scope, endpoints);
      }),
    );

  const settle = (item: Claimed, outcome: AttemptOutcome) => {
    item.batch.outcomes.push(outcome);
    item.batch.left -= 1;
    if (item.batch.left === 0) void record(item.batch);
  };

  const sender = async () => {
    for (;;) {
      if (failure) return;
      // Keep the next batch coming while this one is still being sent.
      if (queue.length <= concurrency) void claimNext();
      const item = queue.shift();
      if (!item) {
        const waiting = claiming ?? claimNext();
        if (!waiting) return;
        await waiting;
        continue;
      }
      const { row, secrets } = item;
      if (gone.has(row.endpoint_id)) {
        settle(item, skippedOutcome(row));
        continue;
      }
      let sent: PostResult;
      try {
        sent = await post(
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
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (sent.gone) gone.add(row.endpoint_id);
      const final = sent.ok || sent.gone || row.attempts >= WEBHOOK_MAX_ATTEMPTS;
      if (sent.ok) result.delivered += 1;
      else if (final) result.failed += 1;
      else result.retrying += 1;
      settle(item, {
        id: row.id,
        endpointId: row.endpoint_id,
        eventId: row.event_id,
        attempt: row.attempts,
        ok: sent.ok,
        gone: sent.gone,
        skipped: false,
        statusCode: sent.status,
        latencyMs: sent.latencyMs,
        excerpt: sent.excerpt,
        error: sent.error,
        retryInMs: final ? null : retryDelayMs(row.attempts, options.random),
      });
    }
  };

  await Promise.all(Array.from({ length: concurrency }, sender));
  // Whatever is still being claimed or recorded ends before the drain does.
  while (statements.size > 0) await Promise.all([...statements]);
  if (failure) throw (failure as { error: unknown }).error;
  return result;
}

/** A claimed delivery handed back unsent (its endpoint answered 410 meanwhile): no attempt. */
function skippedOutcome(row: ClaimedDelivery): AttemptOutcome {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    attempt: row.attempts,
    ok: false,
    gone: false,
    skipped: true,
    statusCode: null,
    latencyMs: 0,
    excerpt: null,
    error: null,
    retryInMs: 0,
  };
}

/** Every owner and admin hears of the endpoints this drain disabled (in the app and by email). */
async function tellAdmins(
  scope: Scope,
  endpoints: { id: string; url: string; reason: 'failures' | 'gone' }[],
): Promise<void> {
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

/** The opening of an ask's own transaction: its COMMIT does not wait for the WAL to reach disk. */
const NOT_DURABLE = CompiledQuery.raw("select set_config('synchronous_commit', 'off', true)");

/**
 * Asks for a drain of the tenant's deliveries soon (one waits per tenant; more asks join it).
 * With `database`, the ask's own short transaction commits without waiting for the WAL flush
 * (synchronous_commit off): the request that wrote the events does not wait for a second flush
 * after its own — the ask cost customers.create as much as a commit (BM11b). An ask lost to a
 * crash of PostgreSQL in that instant is what the sweep (webhooks.drain-all, every minute)
 * catches; the events themselves were committed durably with their change.
 */
export async function queueWebhookDrain(
  jobs: JobQueue<WebhookJobs>,
  tenantId: string,
  database?: CrmDatabase,
): Promise<void> {
  if (!database) {
    await jobs.enqueue('webhooks.drain-tenant', { tenantId }, { debounceKey: tenantId });
    return;
  }
  await database.withTenantFirst(tenantId, NOT_DURABLE, (trx) =>
    jobs.enqueue('webhooks.drain-tenant', { tenantId }, { debounceKey: tenantId, trx }).then(() => undefined),
  );
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
