import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { jobScope } from '../scope';
import { webhookNetworkPolicy } from '../webhooks/webhooks.service';
import type { NetworkPolicy } from '../webhooks/webhooks.ssrf';
import { httpWecomProvider, type WecomProvider } from './wecom.provider';
import { claimDueMessages, hasDueMessage, recordMessageOutcomes } from './wecom.repository';
import { robotUrlOf } from './wecom.service';

/** Posting the robot outbox: a sweep every minute, a drain per tenant. */
export type WecomJobs = {
  'wecom.drain-all': { minute?: string };
  'wecom.drain-tenant': { tenantId: string };
};

export const WECOM_SCHEDULE = { cron: '* * * * *', tz: 'Asia/Shanghai' } as const;
export const WECOM_MAX_ATTEMPTS = 5;
/**
 * WeCom's limit: a robot takes at most 20 messages a minute (more are refused with errcode
 * 45009). A tenant has one robot; a drain posts no more than what the last minute left.
 */
export const WECOM_MESSAGES_PER_MINUTE = 20;

let provider: WecomProvider = httpWecomProvider;
/** The robot's HTTP boundary (tests answer for WeCom with msw through the default one). */
export function setWecomProvider(next: WecomProvider): void {
  provider = next;
}

export type WecomDrainOptions = { policy?: NetworkPolicy; random?: () => number };

/** Minutes before the next try: 1, 2, 4, 8 (±20 % jitter); a throttled post waits one minute. */
function retryDelaySeconds(attempts: number, throttled: boolean, random: () => number): number {
  const base = throttled ? 60 : 60 * 2 ** (attempts - 1);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Posts a tenant's due robot messages: claim within WeCom's per-minute budget (committed
 * leases), post each through the SSRF guard, record. A message WeCom refuses is retried
 * after about 1, 2, 4, 8 minutes, then marked failed.
 */
export async function drainTenantWecom(
  database: CrmDatabase,
  tenantId: string,
  options: WecomDrainOptions = {},
): Promise<{ sent: number; failed: number; retrying: number }> {
  const result = { sent: 0, failed: 0, retrying: 0 };
  const policy = options.policy ?? webhookNetworkPolicy();
  const random = options.random ?? Math.random;
  const { claimed, url } = await database.withTenant(tenantId, async (trx) => {
    const scope = jobScope(trx, tenantId);
    const robot = await robotUrlOf(scope);
    if (!robot) return { claimed: [], url: null };
    return { claimed: await claimDueMessages(scope, WECOM_MESSAGES_PER_MINUTE), url: robot };
  });
  if (!url || claimed.length === 0) return result;
  const outcomes: { id: string; ok: boolean; error: string | null; retryInSeconds: number | null }[] = [];
  // One at a time, in order: a group reads them as they come.
  for (const message of claimed) {
    const sent = await provider.send(url, { markdown: message.markdown, mentions: message.mentions }, policy);
    const final = sent.ok || message.attempts >= WECOM_MAX_ATTEMPTS;
    outcomes.push({
      id: message.id,
      ok: sent.ok,
      error: sent.error,
      retryInSeconds: final ? null : retryDelaySeconds(message.attempts, sent.throttled, random),
    });
    if (sent.ok) result.sent += 1;
    else if (final) result.failed += 1;
    else result.retrying += 1;
  }
  await database.withTenant(tenantId, (trx) => recordMessageOutcomes(jobScope(trx, tenantId), outcomes));
  return result;
}

export async function queueWecomDrain(jobs: JobQueue<WecomJobs>, tenantId: string): Promise<void> {
  await jobs.enqueue('wecom.drain-tenant', { tenantId }, { debounceKey: tenantId });
}

export function registerWecomJobs(jobs: JobQueue<WecomJobs>, database: CrmDatabase): void {
  jobs.register(
    'wecom.drain-all',
    async () => {
      const tenants = await database.withoutTenant((db) =>
        db.selectFrom('tenant_directory').select('id').execute(),
      );
      for (const tenant of tenants) {
        const due = await database.withTenant(tenant.id, (trx) => hasDueMessage(jobScope(trx, tenant.id)));
        if (due) await queueWecomDrain(jobs, tenant.id);
      }
    },
    { retryLimit: 1, retryDelaySeconds: 30, expireInSeconds: 5 * 60 },
  );
  jobs.register(
    'wecom.drain-tenant',
    async (job) => {
      await drainTenantWecom(database, job.data.tenantId);
    },
    { retryLimit: 2, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 5 * 60 },
  );
}
