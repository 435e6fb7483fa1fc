import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { jobScope } from '../scope';
import {
  claimDueEmails,
  type DeliveryOutcome,
  hasDueEmail,
  pruneSentEmails,
  recordDeliveries,
} from './email.repository';
import { DeliveryError, type EmailTransport, installedEmailTransport } from './email.transport';

/** Sending the outbox: a sweep every minute finds tenants with due emails and drains each. */
export type EmailJobs = {
  'email.drain-all': { minute?: string };
  'email.drain-tenant': { tenantId: string };
};

/** Every minute: a queued email leaves within about a minute of its transaction's commit. */
export const EMAIL_SCHEDULE = { cron: '* * * * *', tz: 'Asia/Shanghai' } as const;

/** Attempts before an email is marked failed: retries after 1, 2, 4 … 60 minutes, about 4 hours in all. */
export const EMAIL_MAX_ATTEMPTS = 8;
/** How long a claimed email is held; a crashed sender's emails are claimed again after it. */
export const EMAIL_LEASE_SECONDS = 15 * 60;
/** Sent emails are kept this long on the mailbox page, then deleted. */
export const EMAIL_RETENTION_DAYS = 30;

export type DrainOptions = {
  /** Default: the installed settings' (SMTP, or the dev mailbox). */
  transport?: EmailTransport;
  /** The clock of claims and backoff; default the database's now() (tests pass a fixed one). */
  now?: Date;
  batchSize?: number;
  /** Batches in one run at most; what is left waits for the next run. */
  maxBatches?: number;
  maxAttempts?: number;
  leaseSeconds?: number;
};

export type DrainResult = { sent: number; retrying: number; failed: number };

/**
 * Sends a tenant's due emails: claim a batch (one transaction, committed), send each outside
 * any transaction (a slow SMTP server holds no lock and no connection), then record every
 * outcome in one statement. Delivery is at least once: an email whose send succeeded but
 * whose outcome was lost with a crash is sent again when its claim lapses.
 */
export async function drainTenantOutbox(
  database: CrmDatabase,
  tenantId: string,
  options: DrainOptions = {},
): Promise<DrainResult> {
  const transport = options.transport ?? installedEmailTransport();
  const maxAttempts = options.maxAttempts ?? EMAIL_MAX_ATTEMPTS;
  const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 10); batch += 1) {
    const claimed = await database.withTenant(tenantId, (trx) =>
      claimDueEmails(jobScope(trx, tenantId), {
        now: options.now ?? null,
        limit: options.batchSize ?? 20,
        leaseSeconds: options.leaseSeconds ?? EMAIL_LEASE_SECONDS,
      }),
    );
    if (claimed.length === 0) break;
    const outcomes: DeliveryOutcome[] = [];
    for (const email of claimed) {
      try {
        await transport.send({
          id: email.id,
          to: email.to_address,
          subject: email.subject,
          text: email.text_body,
          html: email.html_body,
        });
        outcomes.push({ id: email.id, ok: true, transport: transport.kind });
        result.sent += 1;
      } catch (error) {
        const permanent = error instanceof DeliveryError && error.permanent;
        const message = error instanceof Error ? error.message : String(error);
        outcomes.push({ id: email.id, ok: false, error: message, permanent });
        if (permanent || email.attempts >= maxAttempts) result.failed += 1;
        else result.retrying += 1;
      }
    }
    await database.withTenant(tenantId, (trx) =>
      recordDeliveries(jobScope(trx, tenantId), outcomes, { now: options.now ?? null, maxAttempts }),
    );
    if (claimed.length < (options.batchSize ?? 20)) break;
  }
  return result;
}

/** Asks for a drain of the tenant's outbox soon (one waits per tenant; more asks join it). */
export async function queueEmailDrain(jobs: JobQueue<EmailJobs>, tenantId: string): Promise<void> {
  await jobs.enqueue('email.drain-tenant', { tenantId }, { debounceKey: tenantId });
}

export function registerEmailJobs(jobs: JobQueue<EmailJobs>, database: CrmDatabase): void {
  // The sweep: one cheap indexed look per tenant, a drain only where something is due.
  jobs.register(
    'email.drain-all',
    async () => {
      const tenants = await database.withoutTenant((db) =>
        db.selectFrom('tenant_directory').select('id').execute(),
      );
      for (const tenant of tenants) {
        const due = await database.withTenant(tenant.id, (trx) => hasDueEmail(jobScope(trx, tenant.id)));
        if (due) await queueEmailDrain(jobs, tenant.id);
      }
    },
    { retryLimit: 1, retryDelaySeconds: 30, expireInSeconds: 5 * 60 },
  );
  // Retries live in the outbox rows (attempts, next_attempt_at), not in the job: a failed
  // run loses nothing, the next sweep picks the emails up again.
  jobs.register(
    'email.drain-tenant',
    async (job) => {
      const { tenantId } = job.data;
      await drainTenantOutbox(database, tenantId);
      await database.withTenant(tenantId, (trx) =>
        pruneSentEmails(jobScope(trx, tenantId), EMAIL_RETENTION_DAYS),
      );
    },
    { retryLimit: 2, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 10 * 60 },
  );
}
