import { appError } from '../errors';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import type { Scope } from '../scope';
import { insertEmails, requeueFailedEmail, selectOutboxPage } from './email.repository';
import { type EmailDraft, emailDraft, type ListOutboxInput, type OutboxPageOutput } from './email.schemas';
import { emailSettings } from './email.settings';

/**
 * The transactional outbox. `enqueueEmail` writes the emails in the caller's transaction
 * (`scope.trx`): they exist only if it commits, and nothing is sent before that. The
 * email.drain jobs (email.jobs.ts) send them afterwards, with retries.
 */

/** Queues emails (set-based, one statement); a `dedupKey` already queued in the tenant is skipped. How many were queued. */
export async function enqueueEmail(scope: Scope, emails: readonly EmailDraft[]): Promise<number> {
  const parsed = emailDraft.array().parse(emails);
  return insertEmails(
    scope,
    parsed.map((email) => ({
      to_address: email.to,
      subject: email.subject,
      text_body: email.text,
      html_body: email.html ?? null,
      kind: email.kind,
      user_id: email.userId ?? null,
      dedup_key: email.dedupKey ?? null,
    })),
  );
}

/** The outbox newest first (设置 → 邮件): what was sent, or would have been on the dev mailbox. */
export async function listOutbox(scope: Scope, input: ListOutboxInput): Promise<OutboxPageOutput> {
  const after = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const rows = await selectOutboxPage(scope, { status: input.status }, after, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    transport: emailSettings().smtp ? 'smtp' : 'dev_mailbox',
    items: page.map((row) => ({
      id: row.id,
      to: row.to_address,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      kind: row.kind,
      status: row.status,
      transport: row.transport,
      attempts: row.attempts,
      lastError: row.last_error,
      nextAttemptAt: new Date(row.next_attempt_at).toISOString(),
      createdAt: new Date(row.created_at).toISOString(),
      sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    })),
    nextCursor: rows.length > input.limit && last ? encodeTimestampCursor(last.sort_key, last.id) : null,
  };
}

/** Sends a failed email again (a fresh round of attempts), e.g. after fixing the SMTP settings. */
export async function retryEmail(scope: Scope, id: string): Promise<{ queued: true }> {
  if (!(await requeueFailedEmail(scope, id))) throw appError('EMAIL_NOT_FOUND');
  return { queued: true };
}
