import type { AddressInfo } from 'node:net';
import {
  claimDueEmails,
  createEmailTransport,
  drainTenantOutbox,
  EMAIL_LEASE_SECONDS,
  type EmailDraft,
  enqueueEmail,
  jobScope,
} from '@crm/api';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';

/**
 * The outbox against a real SMTP server in this process (smtp-server): what arrives is what
 * a mail server would receive. The outbox itself is never mocked.
 */
type Received = { from: string; to: string[]; raw: string };

let server: TestServer;
let tenant: SeededTenant;
let smtp: SMTPServer;
let smtpUrl = '';
const received: Received[] = [];
/** What the SMTP server answers to RCPT TO for an address: null accepts. */
const refusals = new Map<string, { code: number; message: string }>();
let rcptAttempts = 0;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '邮件企业');
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      rcptAttempts += 1;
      const refusal = refusals.get(address.address);
      if (!refusal) return callback();
      const error = new Error(refusal.message) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await server.destroy();
});

const transport = () => createEmailTransport({ url: smtpUrl }, 'CRM <crm@example.com>');

function enqueue(emails: EmailDraft[]) {
  return server.database.withTenant(tenant.tenantId, (trx) =>
    enqueueEmail(jobScope(trx, tenant.tenantId), emails),
  );
}

async function rowOf(to: string) {
  return server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .selectFrom('email_outbox')
      .select(['status', 'attempts', 'last_error', 'transport', 'sent_at', 'next_attempt_at'])
      .where('to_address', '=', to)
      .executeTakeFirstOrThrow(),
  );
}

/** A later instant (the outbox's clock is passed in, so no test waits for a backoff). */
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

/** Decodes RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) in a header line. */
function decodeHeader(raw: string, name: string): string {
  const match = raw.match(new RegExp(`^${name}: ((?:.*)(?:\\r\\n[ \\t].*)*)`, 'm'));
  const value = (match?.[1] ?? '').replace(/\r\n[ \t]/g, ' ');
  return value
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (__, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
    )
    .trim();
}

describe('the email outbox over SMTP', () => {
  it('sends a committed email: it arrives with its recipient, subject and body', async () => {
    expect(
      await enqueue([
        {
          to: 'li.lei@example.com',
          subject: '今日任务摘要 Daily digest',
          text: 'Two tasks are due today.',
          html: '<p>Two tasks are due today.</p>',
          kind: 'digest',
        },
      ]),
    ).toBe(1);
    const result = await drainTenantOutbox(server.database, tenant.tenantId, { transport: transport() });
    expect(result).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const email = received.find((item) => item.to.includes('li.lei@example.com'));
    expect(email?.from).toBe('crm@example.com');
    expect(decodeHeader(email?.raw ?? '', 'Subject')).toBe('今日任务摘要 Daily digest');
    expect(email?.raw).toContain('Two tasks are due today.');
    expect(await rowOf('li.lei@example.com')).toMatchObject({
      status: 'sent',
      attempts: 1,
      transport: 'smtp',
    });
  });

  it('sends nothing of a transaction that rolls back, and a dedup key queues once', async () => {
    await expect(
      server.database.withTenant(tenant.tenantId, async (trx) => {
        await enqueueEmail(jobScope(trx, tenant.tenantId), [
          { to: 'never@example.com', subject: 'Never', text: 'x', kind: 'digest' },
        ]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const once = {
      to: 'once@example.com',
      subject: 'Once',
      text: 'x',
      kind: 'digest',
      dedupKey: 'digest:once',
    };
    expect(await enqueue([once])).toBe(1);
    expect(await enqueue([once])).toBe(0);
    await drainTenantOutbox(server.database, tenant.tenantId, { transport: transport() });
    expect(received.filter((item) => item.to.includes('never@example.com'))).toEqual([]);
    expect(received.filter((item) => item.to.includes('once@example.com'))).toHaveLength(1);
  });

  it('retries a temporary refusal with backoff, then marks it failed with the server’s answer', async () => {
    refusals.set('busy@example.com', { code: 451, message: 'Mailbox busy, try later' });
    await enqueue([{ to: 'busy@example.com', subject: 'Retry me', text: 'x', kind: 'digest' }]);
    const options = { transport: transport(), maxAttempts: 3 };
    const before = rcptAttempts;

    expect(await drainTenantOutbox(server.database, tenant.tenantId, { ...options, now: later(1) })).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
    });
    expect(await rowOf('busy@example.com')).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await rowOf('busy@example.com')).last_error).toContain('Mailbox busy');
    // Not again before its backoff (1 minute after the first attempt).
    await drainTenantOutbox(server.database, tenant.tenantId, { ...options, now: later(30) });
    expect(rcptAttempts - before).toBe(1);
    await drainTenantOutbox(server.database, tenant.tenantId, { ...options, now: later(2 * 60) });
    expect(await rowOf('busy@example.com')).toMatchObject({ status: 'queued', attempts: 2 });
    // The second backoff is 2 minutes.
    expect(
      await drainTenantOutbox(server.database, tenant.tenantId, { ...options, now: later(5 * 60) }),
    ).toEqual({
      sent: 0,
      retrying: 0,
      failed: 1,
    });
    const row = await rowOf('busy@example.com');
    expect(row).toMatchObject({ status: 'failed', attempts: 3, sent_at: null });
    expect(row.last_error).toContain('451');
    expect(rcptAttempts - before).toBe(3);
    // Failed is final: no further attempt.
    await drainTenantOutbox(server.database, tenant.tenantId, { ...options, now: later(60 * 60) });
    expect(rcptAttempts - before).toBe(3);
  });

  it('fails a permanent refusal at once', async () => {
    refusals.set('nobody@example.com', { code: 550, message: 'No such user here' });
    await enqueue([{ to: 'nobody@example.com', subject: 'Bounce', text: 'x', kind: 'digest' }]);
    await drainTenantOutbox(server.database, tenant.tenantId, { transport: transport() });
    const row = await rowOf('nobody@example.com');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toContain('No such user here');
  });

  it('never loses an email to a crash: queued stays queued, a claimed one is sent once its claim lapses', async () => {
    await enqueue([
      { to: 'crash@example.com', subject: 'After a crash', text: 'Still here.', kind: 'digest' },
    ]);
    // The process dies after the commit, before any drain: the email waits, queued.
    expect(await rowOf('crash@example.com')).toMatchObject({ status: 'queued', attempts: 0 });
    // Another dies after claiming it, before sending (nothing records an outcome).
    const claimed = await server.database.withTenant(tenant.tenantId, (trx) =>
      claimDueEmails(jobScope(trx, tenant.tenantId), {
        now: null,
        limit: 50,
        leaseSeconds: EMAIL_LEASE_SECONDS,
      }),
    );
    expect(claimed.map((email) => email.to_address)).toContain('crash@example.com');
    expect(await rowOf('crash@example.com')).toMatchObject({ status: 'sending', attempts: 1 });
    // While the claim holds, nobody else sends it.
    await drainTenantOutbox(server.database, tenant.tenantId, { transport: transport(), now: later(60) });
    expect(received.filter((item) => item.to.includes('crash@example.com'))).toEqual([]);
    // Once it lapses, the next drain sends it.
    await drainTenantOutbox(server.database, tenant.tenantId, {
      transport: transport(),
      now: later(EMAIL_LEASE_SECONDS + 60),
    });
    const arrived = received.filter((item) => item.to.includes('crash@example.com'));
    expect(arrived).toHaveLength(1);
    expect(arrived[0]?.raw).toContain('Still here.');
    expect(await rowOf('crash@example.com')).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('the dev mailbox', () => {
  it('marks emails delivered to the dev mailbox and shows them to admins only', async () => {
    await enqueue([
      { to: 'dev@example.com', subject: '开发邮箱里的邮件', text: '正文：三个任务今日到期', kind: 'digest' },
    ]);
    const result = await drainTenantOutbox(server.database, tenant.tenantId, {
      transport: createEmailTransport(null, 'CRM <crm@example.com>'),
    });
    expect(result.sent).toBeGreaterThanOrEqual(1);
    expect(received.filter((item) => item.to.includes('dev@example.com'))).toEqual([]);
    expect(await rowOf('dev@example.com')).toMatchObject({ status: 'sent', transport: 'dev_mailbox' });

    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const page = await admin.call('email.list', { limit: 100 });
    expect(page.data.transport).toBe('dev_mailbox');
    const shown = page.data.items.find((item: { to: string }) => item.to === 'dev@example.com');
    expect(shown).toMatchObject({
      subject: '开发邮箱里的邮件',
      text: '正文：三个任务今日到期',
      status: 'sent',
    });
    const failed = await admin.call('email.list', { status: 'failed' });
    expect(failed.data.items.map((item: { to: string }) => item.to).sort()).toEqual([
      'busy@example.com',
      'nobody@example.com',
    ]);
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    expect((await rep.call('email.list', {})).error?.appCode).toBe('FORBIDDEN');
  });

  it('sends through the job queue: the minute sweep drains the tenant', async () => {
    await enqueue([{ to: 'queue@example.com', subject: 'Through the queue', text: 'x', kind: 'digest' }]);
    const jobs = server.dependencies.jobs;
    await jobs.start();
    try {
      await jobs.enqueue('email.drain-all', {});
      const deadline = Date.now() + 60_000;
      while ((await rowOf('queue@example.com')).status !== 'sent') {
        if (Date.now() > deadline) throw new Error('the outbox was not drained within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await rowOf('queue@example.com')).toMatchObject({ status: 'sent', transport: 'dev_mailbox' });
    } finally {
      await jobs.stop();
    }
  });
});
