import type { EmailStatus, EmailTransportKind } from '@crm/domain';
import { sql } from 'kysely';
import type { Scope } from '../scope';

/**
 * Every query of the email outbox. Writes are set-based: one statement queues a batch, one
 * claims the due emails, one records how each delivery went.
 */

export type EmailRow = {
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  kind: string;
  user_id: string | null;
  dedup_key: string | null;
};

/** Queues emails in the caller's transaction; a dedup key already used is skipped. How many were queued. */
export async function insertEmails(scope: Scope, rows: readonly EmailRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await scope.trx
    .insertInto('email_outbox')
    .values(rows.map((row) => ({ tenant_id: scope.tenantId, ...row })))
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'dedup_key']).where('dedup_key', 'is not', null).doNothing(),
    )
    .returning('id')
    .execute();
  return inserted.length;
}

export type ClaimedEmail = {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attempts: number;
};

/**
 * Takes up to `limit` due emails (queued, or sending with a lapsed claim) for one attempt:
 * each becomes `sending`, its attempt counted, and is held until `now + leaseSeconds`. A
 * process that dies before recording the outcome leaves it to be claimed again then.
 */
export async function claimDueEmails(
  scope: Scope,
  options: { now: Date | null; limit: number; leaseSeconds: number },
): Promise<ClaimedEmail[]> {
  const now = sql`coalesce(${options.now?.toISOString() ?? null}::timestamptz, now())`;
  const { rows } = await sql<ClaimedEmail>`
    update email_outbox o
       set status = 'sending', attempts = o.attempts + 1,
           next_attempt_at = ${now} + make_interval(secs => ${options.leaseSeconds})
      from (select id from email_outbox
             where tenant_id = ${scope.tenantId} and status in ('queued', 'sending') and next_attempt_at <= ${now}
             order by next_attempt_at, id
             limit ${options.limit}
             for update skip locked) due
     where o.tenant_id = ${scope.tenantId} and o.id = due.id
    returning o.id, o.to_address, o.subject, o.text_body, o.html_body, o.attempts`.execute(scope.trx);
  return rows;
}

export type DeliveryOutcome =
  | { id: string; ok: true; transport: EmailTransportKind }
  | { id: string; ok: false; error: string; permanent: boolean };

/**
 * Records a batch of delivery outcomes: sent; or queued again after a backoff of
 * 2^(attempts-1) minutes (at most an hour); or failed once permanent or out of attempts.
 */
export async function recordDeliveries(
  scope: Scope,
  outcomes: readonly DeliveryOutcome[],
  options: { now: Date | null; maxAttempts: number },
): Promise<number> {
  if (outcomes.length === 0) return 0;
  const now = sql`coalesce(${options.now?.toISOString() ?? null}::timestamptz, now())`;
  const payload = JSON.stringify(
    outcomes.map((outcome) =>
      outcome.ok
        ? { id: outcome.id, ok: true, transport: outcome.transport }
        : { id: outcome.id, ok: false, error: outcome.error, permanent: outcome.permanent },
    ),
  );
  const result = await sql`
    update email_outbox o
       set status = case when r.ok then 'sent'
                         when r.permanent or o.attempts >= ${options.maxAttempts} then 'failed'
                         else 'queued' end,
           transport = case when r.ok then r.transport else o.transport end,
           sent_at = case when r.ok then ${now} else null end,
           last_error = case when r.ok then o.last_error else left(r.error, 1000) end,
           next_attempt_at = case when r.ok or r.permanent or o.attempts >= ${options.maxAttempts}
                                  then o.next_attempt_at
                                  else ${now} + least(power(2, greatest(o.attempts - 1, 0)), 60) * interval '1 minute' end
      from jsonb_to_recordset(${payload}::jsonb) as r(id uuid, ok boolean, permanent boolean, error text, transport text)
     where o.tenant_id = ${scope.tenantId} and o.id = r.id and o.status = 'sending'`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Whether the tenant has an email to send now (the sweep's cheap look before it drains). */
export async function hasDueEmail(scope: Scope, now: Date | null = null): Promise<boolean> {
  const { rows } = await sql<{ due: boolean }>`
    select exists (select 1 from email_outbox
      where tenant_id = ${scope.tenantId} and status in ('queued', 'sending')
        and next_attempt_at <= coalesce(${now?.toISOString() ?? null}::timestamptz, now())) as due`.execute(
    scope.trx,
  );
  return rows[0]?.due === true;
}

export type OutboxRow = {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  kind: string;
  status: EmailStatus;
  transport: EmailTransportKind | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  created_at: Date;
  sent_at: Date | null;
  sort_key: string;
};

/** The outbox newest first, by keyset pages (the mailbox page). */
export function selectOutboxPage(
  scope: Scope,
  filter: { status?: EmailStatus },
  after: { timestamp: string; id: string } | null,
  limit: number,
): Promise<OutboxRow[]> {
  let query = scope.trx
    .selectFrom('email_outbox')
    .select([
      'id',
      'to_address',
      'subject',
      'text_body',
      'html_body',
      'kind',
      'status',
      'transport',
      'attempts',
      'last_error',
      'next_attempt_at',
      'created_at',
      'sent_at',
      sql<string>`created_at::text`.as('sort_key'),
    ])
    .where('tenant_id', '=', scope.tenantId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (after)
    query = query.where(
      sql<boolean>`(created_at, id) < (${after.timestamp}::text::timestamptz, ${after.id}::uuid)`,
    );
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute() as Promise<
    OutboxRow[]
  >;
}

/** Puts a failed email back in the queue for a fresh round of attempts; whether there was one. */
export async function requeueFailedEmail(scope: Scope, id: string): Promise<boolean> {
  const result = await scope.trx
    .updateTable('email_outbox')
    .set({ status: 'queued', attempts: 0, next_attempt_at: sql<Date>`now()` as never })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes sent emails older than `days` (the outbox is not an archive); how many. */
export async function pruneSentEmails(scope: Scope, days: number): Promise<number> {
  const result = await sql`delete from email_outbox
    where tenant_id = ${scope.tenantId} and status = 'sent'
      and created_at < now() - make_interval(days => ${days})`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0);
}
