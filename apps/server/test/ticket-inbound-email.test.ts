import { signInboundEmail } from '@crm/api';
import { PublicDoorRateLimiter } from '@crm/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';
import { createCustomerIn } from './procedure-cases';

/*
 * Tickets by email (邮件转工单): an admin makes the tenant's inbound address and secret; a mail
 * gateway posts each email (JSON or raw RFC 822) signed with the secret. A contact's email
 * opens a ticket with its attachments; a reply (In-Reply-To, or the number in the subject)
 * is the customer's reply on it; an unknown sender makes nothing but a line in settings; a
 * bad or missing signature, another tenant's address, a forged or rotated-away token, a
 * replayed Message-ID and an oversized attachment are each refused or skipped; the door is
 * rate limited.
 */

let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;
let customerId: string;
let contactId: string;
let address: { token: string; secret: string };
let otherAddress: { token: string; secret: string };

const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);

async function as(who: SeededTenant, role: keyof SeededTenant['users']): Promise<TrpcClient> {
  return signedInClient(server, who.users[role].id, who.tenantId);
}

async function makeAddress(who: SeededTenant): Promise<{ token: string; secret: string }> {
  const rotated = await (await as(who, 'admin')).call('tickets.rotateInboundEmail');
  expect(rotated.error).toBeNull();
  const url = new URL(rotated.data.address);
  expect(url.pathname).toMatch(/^\/hooks\/inbound-email\/[A-Za-z0-9_-]{94}$/);
  return { token: url.pathname.split('/').pop() as string, secret: rotated.data.secret };
}

function post(
  token: string,
  body: string | Uint8Array,
  options: { secret?: string | null; contentType?: string; at?: number; ip?: string } = {},
) {
  const at = options.at ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/json' };
  if (options.secret !== null) headers['X-Crm-Signature'] = signInboundEmail(options.secret ?? '', body, at);
  return server.app.request(
    `http://localhost:3000/hooks/inbound-email/${token}`,
    { method: 'POST', headers, body },
    {
      incoming: {
        socket: { remoteAddress: options.ip ?? `203.0.113.${Math.floor(Math.random() * 200) + 1}` },
      },
    },
  );
}

function email(fields: Record<string, unknown>): string {
  return JSON.stringify({
    messageId: `<${crypto.randomUUID()}@mail.example>`,
    from: '王经理 <wang@customer.example>',
    subject: '设备无法开机',
    text: '你好，昨天收到的设备无法开机，请尽快处理。',
    ...fields,
  });
}

async function ticketOf(id: string) {
  return (await (await as(tenant, 'owner')).call('tickets.get', { id })).data;
}

async function ticketIdOf(number: number): Promise<string> {
  const row = await server.database.withTenant(tenant.tenantId, (trx) =>
    trx.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirstOrThrow(),
  );
  return row.id;
}

async function ticketCount(tenantId: string): Promise<number> {
  const rows = await server.database.withTenant(tenantId, (trx) =>
    trx.selectFrom('tickets').select('id').execute(),
  );
  return rows.length;
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '邮件工单企业', 'b2b');
  other = await seedTenant(server.database, '另一家企业', 'b2b');
  customerId = await createCustomerIn(
    server,
    tenant.tenantId,
    '华东设备厂',
    false,
    tenant.users.sales_rep.id,
  );
  contactId = await server.database.withTenant(tenant.tenantId, async (trx) => {
    await trx
      .updateTable('customers')
      .set({ email: 'Purchasing@Customer.example' })
      .where('id', '=', customerId)
      .execute();
    const row = await trx
      .insertInto('contacts')
      .values({
        tenant_id: tenant.tenantId,
        customer_id: customerId,
        name: '王经理',
        emails: ['wang@customer.example'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}, 60_000);
afterAll(() => server?.destroy());

describe('the inbound address', () => {
  it('is off until an admin makes it; only tickets.configure sees it', async () => {
    const before = await (await as(tenant, 'admin')).call('tickets.inboundEmail');
    expect(before.data).toMatchObject({ enabled: false, address: null, messages: [] });
    expect((await (await as(tenant, 'service_agent')).call('tickets.inboundEmail')).error?.code).toBe(
      'FORBIDDEN',
    );
    address = await makeAddress(tenant);
    otherAddress = await makeAddress(other);
    const after = await (await as(tenant, 'admin')).call('tickets.inboundEmail');
    expect(after.data.enabled).toBe(true);
    // The secret is shown once, on rotation, never in the settings.
    expect(JSON.stringify(after.data)).not.toContain(address.secret);
  });
});

describe('an email becomes a ticket', () => {
  let firstMessageId: string;
  let ticketId: string;
  let ticketNumber: number;

  it('opens a ticket for the contact’s customer, with its attachment', async () => {
    firstMessageId = `<${crypto.randomUUID()}@mail.example>`;
    const response = await post(
      address.token,
      email({
        messageId: firstMessageId,
        attachments: [
          {
            filename: '故障照片.png',
            contentType: 'image/png',
            content: Buffer.from(PNG).toString('base64'),
          },
        ],
      }),
      { secret: address.secret },
    );
    expect(response.status).toBe(202);
    const body = (await response.json()) as { status: string; ticketNumber: number };
    expect(body.status).toBe('created');
    ticketNumber = body.ticketNumber;
    ticketId = await ticketIdOf(ticketNumber);
    const detail = await ticketOf(ticketId);
    expect(detail.ticket).toMatchObject({
      subject: '设备无法开机',
      channel: 'email',
      customerId,
      contactId,
      status: 'new',
    });
    expect(detail.description).toContain('无法开机');
    expect(detail.attachments.map((file: { fileName: string }) => file.fileName)).toEqual(['故障照片.png']);
    expect(detail.events[0]).toMatchObject({ kind: 'created', data: { source: 'email' } });
  });

  it('threads a reply by In-Reply-To onto the ticket as the customer’s reply', async () => {
    const response = await post(
      address.token,
      email({
        subject: 'Re: 设备无法开机',
        text: '补充：指示灯不亮。',
        inReplyTo: firstMessageId,
        references: [firstMessageId],
      }),
      { secret: address.secret },
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'threaded', ticketNumber });
    const detail = await ticketOf(ticketId);
    const reply = detail.events.find((event: { kind: string }) => event.kind === 'customer_reply');
    expect(reply).toMatchObject({ body: '补充：指示灯不亮。', authorName: null });
  });

  it('threads a raw RFC 822 reply by the ticket number in its subject, matching the customer’s own email', async () => {
    const raw = [
      'From: "采购部" <purchasing@customer.example>',
      'To: support@tenant.example',
      `Subject: =?UTF-8?B?${Buffer.from(`回复：工单 #${ticketNumber} 的进展`).toString('base64')}?=`,
      `Message-ID: <${crypto.randomUUID()}@mx.customer.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('请问维修师傅什么时候到？').toString('base64'),
      '--b1',
      'Content-Type: text/plain; name="serial.txt"',
      'Content-Disposition: attachment; filename="serial.txt"',
      '',
      'SN-2026-0042',
      '--b1--',
      '',
    ].join('\r\n');
    const response = await post(address.token, raw, {
      secret: address.secret,
      contentType: 'message/rfc822',
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'threaded', ticketNumber });
    const detail = await ticketOf(ticketId);
    expect(
      detail.events
        .filter((event: { kind: string }) => event.kind === 'customer_reply')
        .map((e: { body: string }) => e.body),
    ).toContain('请问维修师傅什么时候到？');
    expect(detail.attachments.map((file: { fileName: string }) => file.fileName).sort()).toEqual([
      'serial.txt',
      '故障照片.png',
    ]);
  });

  it('does not thread onto another customer’s ticket by its number', async () => {
    const stranger = await createCustomerIn(server, tenant.tenantId, '另一位客户');
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .updateTable('customers')
        .set({ email: 'li@other-customer.example' })
        .where('id', '=', stranger)
        .execute(),
    );
    const response = await post(
      address.token,
      email({ from: { email: 'li@other-customer.example', name: '李' }, subject: `工单 #${ticketNumber}` }),
      { secret: address.secret },
    );
    const body = (await response.json()) as { status: string; ticketNumber: number };
    expect(body.status).toBe('created');
    expect(body.ticketNumber).not.toBe(ticketNumber);
  });

  it('keeps an unknown sender’s message for the settings page and makes no ticket', async () => {
    const before = await ticketCount(tenant.tenantId);
    const response = await post(
      address.token,
      email({ from: 'nobody@unknown.example', subject: '合作咨询' }),
      { secret: address.secret },
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'unmatched' });
    expect(await ticketCount(tenant.tenantId)).toBe(before);
    const settings = (await (await as(tenant, 'admin')).call('tickets.inboundEmail')).data;
    expect(settings.messages[0]).toMatchObject({
      outcome: 'unmatched',
      fromAddress: 'nobody@unknown.example',
      subject: '合作咨询',
      ticketId: null,
    });
  });

  it('makes one ticket of a Message-ID however often it is posted, even at once', async () => {
    const before = await ticketCount(tenant.tenantId);
    const body = email({ subject: '重复推送的邮件' });
    const first = await post(address.token, body, { secret: address.secret });
    expect(first.status).toBe(202);
    const again = await Promise.all(
      [1, 2, 3].map(() => post(address.token, body, { secret: address.secret })),
    );
    expect(again.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(await again[0]?.json()).toEqual({ status: 'duplicate' });
    expect(await ticketCount(tenant.tenantId)).toBe(before + 1);
  });

  it('keeps the ticket but not an attachment over 10 MB or of a refused type, and says so', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41).toString('base64');
    const response = await post(
      address.token,
      email({
        subject: '附件太大',
        attachments: [
          { filename: 'video.txt', content: big },
          {
            filename: 'page.html',
            content: Buffer.from('<html><script>alert(1)</script></html>').toString('base64'),
          },
          { filename: 'ok.png', content: Buffer.from(PNG).toString('base64') },
        ],
      }),
      { secret: address.secret },
    );
    expect(response.status).toBe(202);
    const { ticketNumber: number } = (await response.json()) as { ticketNumber: number };
    const detail = await ticketOf(await ticketIdOf(number));
    expect(detail.attachments.map((file: { fileName: string }) => file.fileName)).toEqual(['ok.png']);
    const note = detail.events.find(
      (event: { kind: string; data: Record<string, unknown> }) =>
        event.kind === 'note' && event.data.attachmentsRefused,
    );
    expect(note.data).toMatchObject({ attachmentsRefused: 'video.txt | page.html', megabytes: 10 });
  });

  it('answers 413 to a post over the door’s cap', async () => {
    const huge = new Uint8Array(30 * 1024 * 1024 + 1);
    const response = await post(address.token, huge, { secret: address.secret });
    expect(response.status).toBe(413);
  });
});

describe('the door refuses what is not signed by the tenant', () => {
  it('refuses a wrong, stale or missing signature with 401 and makes nothing', async () => {
    const before = await ticketCount(tenant.tenantId);
    const body = email({ subject: '伪造的邮件' });
    expect((await post(address.token, body, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await post(address.token, body, { secret: null })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 3600;
    expect((await post(address.token, body, { secret: address.secret, at: stale })).status).toBe(401);
    expect(await ticketCount(tenant.tenantId)).toBe(before);
    // The body signed is the body read: a changed body fails.
    const at = Math.floor(Date.now() / 1000);
    const tampered = await server.app.request(
      `http://localhost:3000/hooks/inbound-email/${address.token}`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Crm-Signature': signInboundEmail(address.secret, body, at),
        },
        body: body.replace('伪造', '篡改'),
      },
      { incoming: { socket: { remoteAddress: '203.0.113.250' } } },
    );
    expect(tampered.status).toBe(401);
  });

  it('refuses another tenant’s secret on this address, and this tenant’s customers are unknown at another’s', async () => {
    const body = email({ subject: '跨租户' });
    expect((await post(address.token, body, { secret: otherAddress.secret })).status).toBe(401);
    expect((await post(otherAddress.token, body, { secret: address.secret })).status).toBe(401);
    // Signed properly for the other tenant: its own customers only — ours is unknown there.
    const response = await post(otherAddress.token, body, { secret: otherAddress.secret });
    expect(await response.json()).toEqual({ status: 'unmatched' });
    expect(await ticketCount(other.tenantId)).toBe(0);
  });

  it('answers a forged, unknown or other-kind token like a missing one: 404', async () => {
    const body = email({});
    const bytes = Buffer.from(address.token, 'base64url');
    // The token re-pointed at the other tenant: its MAC no longer matches.
    Buffer.from(other.tenantId.replaceAll('-', ''), 'hex').copy(bytes, 2);
    const forged = bytes.toString('base64url');
    for (const token of [forged, 'A'.repeat(94), 'short']) {
      const response = await post(token, body, { secret: address.secret });
      expect(response.status).toBe(404);
    }
  });

  it('stops the old address at once when the secret is rotated', async () => {
    const old = address;
    address = await makeAddress(tenant);
    expect(address.token).not.toBe(old.token);
    expect((await post(old.token, email({}), { secret: old.secret })).status).toBe(404);
    expect((await post(old.token, email({}), { secret: address.secret })).status).toBe(404);
    expect((await post(address.token, email({}), { secret: address.secret })).status).toBe(202);
  });

  it('limits posts per address and per gateway', async () => {
    const tight = { perIp: { points: 3, durationSeconds: 60 }, perToken: { points: 2, durationSeconds: 60 } };
    const limited = createApp({
      dependencies: server.dependencies,
      publicUrl: server.publicUrl,
      publicDoorLimiter: new PublicDoorRateLimiter({ inbound_email: tight }),
    });
    const hit = (token: string, ip: string) =>
      limited.request(
        `http://localhost:3000/hooks/inbound-email/${token}`,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
        { incoming: { socket: { remoteAddress: ip } } },
      );
    // Per address: the third post to one address is refused, whatever the gateway.
    expect((await hit(address.token, '192.0.2.1')).status).toBe(401);
    expect((await hit(address.token, '192.0.2.2')).status).toBe(401);
    expect((await hit(address.token, '192.0.2.3')).status).toBe(429);
    // Per gateway: guessing addresses from one IP stops at the fourth.
    const statuses = [];
    for (const index of [1, 2, 3, 4])
      statuses.push((await hit(`${'g'.repeat(93)}${index}`, '192.0.2.9')).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
  });
});
