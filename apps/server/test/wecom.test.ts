import { drainTenantWecom, jobScope, type NetworkPolicy, notifyUsers, scanTicketSlas } from '@crm/api';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';
import { createCustomerIn } from './procedure-cases';

/**
 * 企业微信 group robot (群机器人): a tenant connects its robot, switches events on, binds
 * members to their WeCom ids; an SLA breach told to members posts one markdown message to
 * the group mentioning them. WeCom is answered by msw at the HTTP boundary.
 */
const ROBOT = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
type Posted = { url: string; body: { msgtype: string; markdown: { content: string } } };
let posted: Posted[] = [];
let answer: () => Response = () => HttpResponse.json({ errcode: 0, errmsg: 'ok' });
const wecom = setupServer(
  http.post('https://qyapi.weixin.qq.com/cgi-bin/webhook/send', async ({ request }) => {
    posted.push({ url: request.url, body: (await request.json()) as Posted['body'] });
    return answer();
  }),
);

/** WeCom's host resolves to a public address; a poisoned answer to a loopback one. */
const policy: NetworkPolicy = {
  allowHttp: false,
  allowPrivate: false,
  resolve: async (host) => {
    if (host === 'qyapi.weixin.qq.com') return [resolvedTo];
    throw new Error('ENOTFOUND');
  },
};
let resolvedTo = '101.91.22.57';
const drain = (tenantId: string) =>
  drainTenantWecom(server.database, tenantId, { policy, random: () => 0.5 });

let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  wecom.listen({ onUnhandledRequest: 'error' });
  server = await createTestServer();
});
beforeEach(async () => {
  tenant = await seedTenant(server.database, `企微企业 ${crypto.randomUUID().slice(0, 4)}`);
  posted = [];
  resolvedTo = '101.91.22.57';
  answer = () => HttpResponse.json({ errcode: 0, errmsg: 'ok' });
});
afterAll(async () => {
  wecom.close();
  await server.destroy();
});

async function breach(userIds: string[]) {
  await server.database.withTenant(tenant.tenantId, (trx) =>
    notifyUsers(
      jobScope(trx, tenant.tenantId),
      userIds.map((userId) => ({
        userId,
        kind: 'ticket_sla_breach' as const,
        message: 'ticket_sla_breach_resolution' as const,
        params: { number: 1024, subject: '配送延误三天', customer: '华辰工业', due: '2026-12-08 18:00' },
        entity: { kind: 'ticket', id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' },
      })),
    ),
  );
}

describe('企业微信 robot', () => {
  it('posts an SLA breach to the group as markdown, mentioning the bound members, once', async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    const saved = await owner.call('wecom.saveSettings', {
      robotUrl: ROBOT,
      enabled: true,
      events: ['ticket_sla_breach', 'task_overdue'],
    });
    expect(saved.error).toBeNull();
    expect(saved.data).toMatchObject({ connected: true, robotUrlHint: '…5aaa' });
    expect(JSON.stringify(saved.data)).not.toContain('693a91f6');
    expect(
      (
        await owner.call('wecom.saveBinding', {
          userId: tenant.users.service_agent.id,
          wecomUserId: 'ZhangWei',
        })
      ).error,
    ).toBeNull();

    await breach([tenant.users.service_agent.id, tenant.users.sales_manager.id]);
    expect(await drain(tenant.tenantId)).toEqual({
      sent: 1,
      failed: 0,
      retrying: 0,
    });
    expect(posted).toHaveLength(1);
    const [message] = posted as [Posted];
    expect(message.url).toBe(ROBOT);
    expect(message.body.msgtype).toBe('markdown');
    expect(message.body.markdown.content).toContain('#1024');
    expect(message.body.markdown.content).toContain('<@ZhangWei>');
    const log = (await owner.call('wecom.messages')).data as { status: string; event: string }[];
    expect(log[0]).toMatchObject({ status: 'sent', event: 'ticket_sla_breach' });
  });

  it('posts nothing for events switched off or while disconnected, and retries what WeCom refuses', async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    await owner.call('wecom.saveSettings', { robotUrl: ROBOT, enabled: true, events: ['task_overdue'] });
    await breach([tenant.users.service_agent.id]);
    expect((await drain(tenant.tenantId)).sent).toBe(0);

    await owner.call('wecom.saveSettings', { enabled: true, events: ['ticket_sla_breach'] });
    answer = () => HttpResponse.json({ errcode: 45009, errmsg: 'api freq out of limit' });
    await breach([tenant.users.service_agent.id]);
    expect(await drain(tenant.tenantId)).toEqual({
      sent: 0,
      failed: 0,
      retrying: 1,
    });
    const log = (await owner.call('wecom.messages')).data as { status: string; lastError: string }[];
    expect(log[0]).toMatchObject({ status: 'pending', lastError: '45009: api freq out of limit' });

    await owner.call('wecom.saveSettings', { robotUrl: null, enabled: true, events: ['ticket_sla_breach'] });
    await breach([tenant.users.service_agent.id]);
    expect((await owner.call('wecom.sendTest')).error?.appCode).toBe('WECOM_NOT_CONNECTED');
  });

  it('accepts only a WeCom robot URL, and is managed by owners and admins only', async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    for (const robotUrl of [
      'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh',
      'https://evil.example/cgi-bin/webhook/send?key=abcdefgh',
      'https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=abcdefgh',
    ]) {
      const result = await owner.call('wecom.saveSettings', { robotUrl, enabled: true, events: [] });
      expect(result.error?.appCode, robotUrl).toBe('INVALID_INPUT');
    }
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    expect((await rep.call('wecom.settings')).error?.appCode).toBe('FORBIDDEN');
  });

  it('sends a test message on request', async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    await owner.call('wecom.saveSettings', { robotUrl: ROBOT, enabled: false, events: [] });
    expect((await owner.call('wecom.sendTest')).error).toBeNull();
    expect((await drain(tenant.tenantId)).sent).toBe(1);
    expect(posted[0]?.body.markdown.content).toContain('已连接企业微信群机器人');
  });

  it('keeps the robot URL encrypted at rest and shows only its last four characters', async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    await owner.call('wecom.saveSettings', { robotUrl: ROBOT, enabled: true, events: [] });
    const row = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('wecom_settings').selectAll().executeTakeFirstOrThrow(),
    );
    expect(row.robot_url_cipher).not.toContain('693a91f6');
    expect(row.robot_url_cipher).not.toContain('qyapi');
    expect(row.robot_url_hint).toBe('…5aaa');
  });

  it("posts no more than WeCom's 20 messages a minute, the rest in the next minute", async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    await owner.call('wecom.saveSettings', { robotUrl: ROBOT, enabled: true, events: ['ticket_sla_breach'] });
    for (let round = 0; round < 25; round += 1) {
      await server.database.withTenant(tenant.tenantId, (trx) =>
        notifyUsers(jobScope(trx, tenant.tenantId), [
          {
            userId: tenant.users.service_agent.id,
            kind: 'ticket_sla_breach',
            message: 'ticket_sla_breach_resolution',
            params: { number: 2000 + round, subject: '退货', customer: '华辰工业', due: '2026-12-08 18:00' },
            entity: { kind: 'ticket', id: crypto.randomUUID() },
          },
        ]),
      );
    }
    // Two drains at once share one budget.
    const [first, second] = await Promise.all([drain(tenant.tenantId), drain(tenant.tenantId)]);
    expect(first.sent + second.sent).toBe(20);
    expect(posted).toHaveLength(20);
    expect((await drain(tenant.tenantId)).sent).toBe(0);
    // A minute later (the attempts moved back in time), the rest go out.
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .updateTable('wecom_outbox')
        .set({ last_attempt_at: new Date(Date.now() - 61_000) })
        .where('last_attempt_at', 'is not', null)
        .execute(),
    );
    expect((await drain(tenant.tenantId)).sent).toBe(5);
    expect(new Set(posted.map((entry) => entry.body.markdown.content)).size).toBe(25);
  });

  it("refuses to post when WeCom's name resolves to a private address (SSRF guard), then gives up", async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    await owner.call('wecom.saveSettings', { robotUrl: ROBOT, enabled: true, events: [] });
    await owner.call('wecom.sendTest');
    for (const address of ['127.0.0.1', '169.254.169.254', '10.0.0.8', '::ffff:192.168.1.1', '::1']) {
      resolvedTo = address;
      await server.database.withTenant(tenant.tenantId, (trx) =>
        trx.updateTable('wecom_outbox').set({ next_attempt_at: new Date(), last_attempt_at: null }).execute(),
      );
      const outcome = await drain(tenant.tenantId);
      expect(outcome.sent, address).toBe(0);
    }
    expect(posted).toHaveLength(0);
    const log = (await owner.call('wecom.messages')).data as { status: string; lastError: string }[];
    expect(log[0]?.status).toBe('failed');
    expect(log[0]?.lastError).toContain('private or reserved');
  });

  it('a ticket the SLA scan finds breached reaches the group through the whole path', async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    await owner.call('wecom.saveSettings', { robotUrl: ROBOT, enabled: true, events: ['ticket_sla_breach'] });
    const agent = await signedInClient(server, tenant.users.service_agent.id, tenant.tenantId);
    const customerId = await createCustomerIn(server, tenant.tenantId, `企微工单客户${Date.now()}`);
    const created = await agent.call('tickets.create', {
      customerId,
      type: 'complaint',
      subject: '冷链温控失效',
      description: '到货温度超标',
      priority: 'urgent',
      channel: 'phone',
    });
    expect(created.error).toBeNull();
    await server.database.withTenant(tenant.tenantId, (trx) =>
      scanTicketSlas(jobScope(trx, tenant.tenantId), new Date(Date.now() + 30 * 86_400_000)),
    );
    const outcome = await drain(tenant.tenantId);
    expect(outcome.sent).toBeGreaterThan(0);
    const breach = posted.find((entry) => entry.body.markdown.content.includes('冷链温控失效'));
    expect(breach?.body.markdown.content).toContain('已超过');
    expect(breach?.body.msgtype).toBe('markdown');
    expect(breach?.url).toBe(ROBOT);
  });
});
