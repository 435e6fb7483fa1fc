import {
  cachedPluginSurveys,
  createPluginRegistry,
  installSmsProvider,
  jobScope,
  scheduleInvitations,
  sendDueInvitations,
  signPublicLink,
  viewSurvey,
} from '@crm/api';
import { PublicDoorRateLimiter } from '@crm/auth';
import { sql } from '@crm/db';
import { SDK_VERSION } from '@crm/plugin-sdk';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
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
import {
  createCustomerIn,
  createOpportunityIn,
  createSurveyResponseIn,
  createTicketIn,
} from './procedure-cases';

/*
 * Surveys (问卷) end to end on the b2b plugin: a rep's link opens without a session in either
 * language and takes one answer (a replay records nothing); the answers write the needs the
 * form maps; a detractor's NPS opens the owner's follow-up task, analysed and checked back
 * (the closed loop); NPS and CSAT per tier and month; the daily scheduling never invites
 * twice for an occasion and keeps the frequency cap; a closed ticket's CSAT; SMS through the
 * provider boundary (msw); tenant-made surveys checked like the plugin's.
 */

let server: TestServer;
let tenant: SeededTenant;
const SMS_URL = 'https://sms.example.test/send';
const smsSent: { to: string; text: string }[] = [];
const sms = setupServer(
  http.post(SMS_URL, async ({ request }) => {
    const body = (await request.json()) as { to: string; text: string };
    if (body.to.endsWith('0000')) return HttpResponse.json({ error: 'blocked' }, { status: 502 });
    smsSent.push(body);
    return HttpResponse.json({ ok: true });
  }),
);

beforeAll(async () => {
  sms.listen({ onUnhandledRequest: 'bypass' });
  installSmsProvider({ url: SMS_URL, token: 'secret', timeoutMs: 5_000 });
  server = await createTestServer();
  tenant = await seedTenant(server.database, '问卷测试企业', 'b2b');
});
afterAll(async () => {
  sms.close();
  installSmsProvider(null);
  await server?.destroy();
});

async function as(role: keyof SeededTenant['users']): Promise<TrpcClient> {
  return signedInClient(server, tenant.users[role].id, tenant.tenantId);
}

const page = (path: string, init: RequestInit = {}) =>
  server.app.request(`http://localhost:3000${path}`, init, {
    incoming: { socket: { remoteAddress: `198.51.100.${Math.floor(Math.random() * 200) + 1}` } },
  });

function post(path: string, fields: [string, string][]) {
  return page(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('a link for WeChat, answered once', () => {
  it('opens without a session, records the answers, maps the needs and opens a follow-up', async () => {
    const rep = await as('sales_rep');
    const customerId = await createCustomerIn(
      server,
      tenant.tenantId,
      '问卷客户甲',
      false,
      tenant.users.sales_rep.id,
    );
    const invited = await rep.call('surveys.invite', {
      key: 'b2b_quarterly_needs',
      customerIds: [customerId],
      channel: 'link',
    });
    expect(invited.error).toBeNull();
    const url = new URL(invited.data.links[0].url);
    expect(url.pathname).toMatch(/^\/s\/[A-Za-z0-9_-]{94}$/);

    const zh = await page(url.pathname, { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
    expect(zh.status).toBe(200);
    // The page's own headers, not the app's: no script, no framing, no referrer.
    expect(zh.headers.get('content-security-policy')).toMatch(/^default-src 'none';/);
    expect(zh.headers.get('referrer-policy')).toBe('no-referrer');
    expect(zh.headers.get('x-content-type-options')).toBe('nosniff');
    expect(zh.headers.get('x-frame-options')).toBe('DENY');
    // The door answers before the app's middleware with headers of its own: every security
    // header the app sends (here on /healthz) is on the page with the same value, but for the
    // page's own CSP and referrer policy.
    const appHeaders = (await page('/healthz')).headers;
    const own = new Set([
      'content-type',
      'content-length',
      'x-request-id',
      'content-security-policy',
      'referrer-policy',
    ]);
    const shared = [...appHeaders.keys()].filter((name) => !own.has(name));
    expect(shared.length).toBeGreaterThanOrEqual(10);
    for (const name of shared) expect(zh.headers.get(name), name).toBe(appHeaders.get(name));
    const zhHtml = await zh.text();
    expect(zhHtml).toContain('季度需求调研');
    expect(zhHtml).toContain('<html lang="zh-CN">');
    expect(zhHtml).not.toContain('<script');
    // The plugin's description is for the staff (提醒客户经理跟进); the customer is greeted instead.
    expect(zhHtml).not.toContain('客户经理');
    expect(zhHtml).toContain('感谢您抽空填写');
    const en = await (await page(`${url.pathname}?lang=en`)).text();
    expect(en).toContain('Quarterly needs survey');
    expect(en).not.toContain('account manager');

    // A required question left out: the page again, the message tied to the question.
    const missing = await post(url.pathname, [['timing', '1_3m']]);
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('请回答此题');

    const answered = await post(url.pathname, [
      ['plans', 'upgrade'],
      ['plans', 'spare_parts'],
      ['timing', '1_3m'],
      ['fit', '2'],
      ['pain_points', '换型时间太长'],
      ['need_type', 'services'],
    ]);
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('感谢您的反馈');
    // A replay of the same link records nothing.
    const replay = await post(url.pathname, [['plans', 'none']]);
    expect(replay.status).toBe(409);
    expect((await page(url.pathname)).status).toBe(200);

    const customer = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('customers')
        .select(['explicit_needs', 'implicit_needs', 'need_type'])
        .where('id', '=', customerId)
        .executeTakeFirstOrThrow(),
    );
    expect(customer).toEqual({
      explicit_needs: '老线改造升级、备品备件',
      implicit_needs: '换型时间太长',
      need_type: 'service',
    });
    const responses = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('survey_responses')
        .select(['answers', 'low'])
        .where('customer_id', '=', customerId)
        .execute(),
    );
    expect(responses).toHaveLength(1);
    expect(responses[0]?.answers).toMatchObject({ plans: ['upgrade', 'spare_parts'], fit: 2 });

    const timeline = await rep.call('customers.timeline', { id: customerId });
    expect(timeline.error).toBeNull();
    expect(JSON.stringify(timeline.data)).toContain('survey_response');
  });

  it('a detractor opens the owner’s follow-up; analysis and check-back close the loop', async () => {
    const rep = await as('sales_rep');
    const customerId = await createCustomerIn(
      server,
      tenant.tenantId,
      '问卷客户乙',
      false,
      tenant.users.sales_rep.id,
    );
    const link = (
      await rep.call('surveys.invite', { key: 'b2b_nps', customerIds: [customerId], channel: 'link' })
    ).data.links[0].url as string;
    const path = new URL(link).pathname;
    expect(
      (
        await post(path, [
          ['recommend', '4'],
          ['reason', '交付慢'],
        ])
      ).status,
    ).toBe(200);

    const tasks = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('tasks')
        .select(['owner_user_id', 'status', 'related_kind', 'source_key', 'priority'])
        .where('customer_id', '=', customerId)
        .execute(),
    );
    expect(tasks).toEqual([
      expect.objectContaining({
        owner_user_id: tenant.users.sales_rep.id,
        status: 'open',
        related_kind: 'survey_response',
        priority: 'high',
      }),
    ]);
    const followUps = await rep.call('surveys.followUps', { status: 'open' });
    const followUp = followUps.data.items.find(
      (item: { customerId: string }) => item.customerId === customerId,
    );
    expect(followUp).toMatchObject({ score: 4, surveyKey: 'b2b_nps', status: 'open' });

    // Another rep may not work it.
    const other = await signedInClient(server, tenant.users.service_agent.id, tenant.tenantId);
    const refused = await other.call('surveys.analyseFollowUp', {
      id: followUp.id,
      cause: 'service',
      improvement: '不是我的',
      checkBackOn: '2030-01-01',
    });
    expect(refused.error?.appCode).toBe('SURVEY_FOLLOW_UP_NOT_YOURS');

    const analysed = await rep.call('surveys.analyseFollowUp', {
      id: followUp.id,
      cause: 'service',
      causeText: '交付比承诺晚了两周',
      improvement: '指定专人每周通报交付进度',
      checkBackOn: '2030-01-15',
    });
    expect(analysed.data).toMatchObject({ status: 'analysed', cause: 'service', checkBackOn: '2030-01-15' });
    expect(
      (await rep.call('surveys.closeFollowUp', { id: followUp.id, result: '客户认可改进' })).data.status,
    ).toBe('closed');
    const after = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('tasks')
        .select(['status', 'source_key'])
        .where('customer_id', '=', customerId)
        .orderBy('created_at')
        .execute(),
    );
    expect(after.map((task) => task.status)).toEqual(['done', 'done']);

    const manager = await as('sales_manager');
    const results = await manager.call('surveys.results', {
      key: 'b2b_nps',
      from: '2026-01-01',
      to: '2030-12-31',
      by: 'month',
    });
    expect(results.error).toBeNull();
    const admin = await as('admin');
    const all = await admin.call('surveys.results', {
      key: 'b2b_nps',
      from: '2020-01-01',
      to: '2030-12-31',
      by: 'tier',
    });
    expect(all.data.totals.detractors).toBeGreaterThanOrEqual(1);
    expect(all.data.followUps.closed).toBeGreaterThanOrEqual(1);
  });
});

describe('NPS and CSAT', () => {
  it('computes NPS per tier per month and CSAT as the share of satisfied scores', async () => {
    const fresh = await seedTenant(server.database, '问卷统计企业', 'b2b');
    const customerId = await createCustomerIn(server, fresh.tenantId, '统计客户');
    await server.database.withTenant(fresh.tenantId, async (trx) => {
      const rows = [
        ['nps', 10, 'b2b_key', '2026-03-05'],
        ['nps', 9, 'b2b_key', '2026-03-06'],
        ['nps', 8, 'b2b_key', '2026-03-07'],
        ['nps', 3, 'b2b_key', '2026-03-08'],
        ['nps', 6, 'b2b_strategic', '2026-03-09'],
        ['nps', 10, 'b2b_strategic', '2026-04-01'],
        ['csat', 5, 'b2b_key', '2026-03-10'],
        ['csat', 4, 'b2b_key', '2026-03-11'],
        ['csat', 2, 'b2b_key', '2026-03-12'],
      ] as const;
      for (const [kind, score, tier, day] of rows) {
        await trx
          .insertInto('survey_responses')
          .values({
            tenant_id: fresh.tenantId,
            survey_key: kind === 'nps' ? 'b2b_nps' : 'b2b_ticket_csat',
            survey_kind: kind,
            customer_id: customerId,
            tier,
            answers: '{}',
            score,
            score_pct: kind === 'nps' ? score * 10 : (score - 1) * 25,
            responded_at: `${day}T04:00:00Z`,
          })
          .execute();
      }
    });
    const admin = await signedInClient(server, fresh.users.admin.id, fresh.tenantId);
    const result = await admin.call('surveys.results', {
      from: '2026-01-01',
      to: '2026-12-31',
      by: 'tier',
      thenBy: 'month',
    });
    expect(result.error).toBeNull();
    const row = (tier: string, month: string) =>
      result.data.rows.find(
        (item: { group: string; subgroup: string }) => item.group === tier && item.subgroup === month,
      );
    // key, March: 2 promoters, 1 passive, 1 detractor of 4 → 25; CSAT 2 of 3 satisfied → 66.7.
    expect(row('b2b_key', '2026-03')).toMatchObject({
      promoters: 2,
      passives: 1,
      detractors: 1,
      nps: 25,
      csat: 66.7,
    });
    expect(row('b2b_key', '2026-03').label).toBe('重点客户');
    expect(row('b2b_strategic', '2026-03')).toMatchObject({ nps: -100 });
    expect(row('b2b_strategic', '2026-04')).toMatchObject({ nps: 100 });
    // Overall: 3 promoters, 2 detractors of 6 → 16.7.
    expect(result.data.totals.nps).toBe(16.7);
    const rep = await signedInClient(server, fresh.users.sales_rep.id, fresh.tenantId);
    expect((await rep.call('surveys.results', { from: '2026-01-01', to: '2026-12-31' })).error?.appCode).toBe(
      'FORBIDDEN',
    );
  });
});

describe('the daily scheduling', () => {
  it('invites per schedule and audience, never twice for an occasion, within the frequency cap', async () => {
    const fresh = await seedTenant(server.database, '问卷排程企业', 'b2b');
    const a = await createCustomerIn(server, fresh.tenantId, '排程客户甲');
    const b = await createCustomerIn(server, fresh.tenantId, '排程客户乙');
    await server.database.withTenant(fresh.tenantId, async (trx) => {
      await sql`update customers set email = 'buyer@example.com' where tenant_id = ${fresh.tenantId}`.execute(
        trx,
      );
      await sql`insert into customer_tiers (tenant_id, customer_id, tier, explanation)
        select tenant_id, id, 'b2b_key', '{}' from customers where tenant_id = ${fresh.tenantId}`.execute(
        trx,
      );
    });
    const run = (today: string) =>
      server.database.withTenant(fresh.tenantId, (trx) =>
        scheduleInvitations(jobScope(trx, fresh.tenantId), { plugins: server.dependencies.plugins }, today),
      );
    // Late in the quarter every customer's spread day has come: one invitation each (the cap keeps the NPS back).
    expect(await run('2026-12-30')).toBe(2);
    expect(await run('2026-12-30')).toBe(0);
    expect(await run('2026-12-31')).toBe(0);
    const invitations = await server.database.withTenant(fresh.tenantId, (trx) =>
      trx.selectFrom('survey_invitations').select(['survey_key', 'occasion', 'channel', 'status']).execute(),
    );
    expect(invitations.map((row) => row.survey_key).sort()).toEqual(['b2b_nps', 'b2b_nps']);
    expect(invitations.every((row) => row.channel === 'email' && row.status === 'pending')).toBe(true);
    expect(invitations.map((row) => row.occasion).sort()).toEqual(
      [`period:b2b_nps:2026H2:${a}`, `period:b2b_nps:2026H2:${b}`].sort(),
    );

    // A closed ticket's CSAT is not held back by the cap.
    const ticketId = await createTicketIn(server, fresh.tenantId, a, null, '配件缺失', 'closed');
    const closed = await server.database.withTenant(fresh.tenantId, (trx) =>
      scheduleInvitations(
        jobScope(trx, fresh.tenantId),
        { plugins: server.dependencies.plugins },
        // The survey's day is Shanghai's (after 16:00 UTC it is already tomorrow there).
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()),
        {
          customerId: a,
          event: 'ticket_closed',
        },
      ),
    );
    expect(closed).toBe(1);
    const csat = await server.database.withTenant(fresh.tenantId, (trx) =>
      trx
        .selectFrom('survey_invitations')
        .select('occasion')
        .where('survey_key', '=', 'b2b_ticket_csat')
        .execute(),
    );
    expect(csat).toEqual([{ occasion: `ticket_closed:b2b_ticket_csat:${ticketId}` }]);

    // Sending: email into the outbox; SMS through the provider (one refused by it).
    await server.database.withTenant(fresh.tenantId, async (trx) => {
      await sql`update customers set email = null, phone = '13800138000' where id = ${b}`.execute(trx);
      await sql`update survey_invitations set channel = 'sms' where customer_id = ${b}`.execute(trx);
    });
    const sent = await server.database.withTenant(fresh.tenantId, (trx) =>
      sendDueInvitations(
        jobScope(trx, fresh.tenantId),
        { plugins: server.dependencies.plugins },
        '2026-12-31',
      ),
    );
    const errors = await server.database.withTenant(fresh.tenantId, (trx) =>
      trx.selectFrom('survey_invitations').select(['channel', 'status', 'last_error']).execute(),
    );
    expect(sent, JSON.stringify(errors)).toMatchObject({ sms: 1, failed: 0 });
    expect(sent.emails).toBeGreaterThanOrEqual(1);
    expect(smsSent.at(-1)?.to).toBe('13800138000');
    expect(smsSent.at(-1)?.text).toMatch(/\/s\/[A-Za-z0-9_-]{94}/);
    const outbox = await server.database.withTenant(fresh.tenantId, (trx) =>
      trx.selectFrom('email_outbox').select(['to_address', 'kind']).execute(),
    );
    expect(
      outbox.every((row) => row.kind === 'survey_invitation' && row.to_address === 'buyer@example.com'),
    ).toBe(true);
  });
});

describe('after a won deal', () => {
  it('invites the customer the plugin’s delay after the deal was won, once', async () => {
    const fresh = await seedTenant(server.database, '问卷赢单企业', 'b2b');
    const customerId = await createCustomerIn(server, fresh.tenantId, '赢单客户');
    const opportunityId = await createOpportunityIn(server, fresh.tenantId, null, customerId);
    await server.database.withTenant(fresh.tenantId, (trx) =>
      sql`update opportunities set won_at = '2026-12-01T02:00:00Z' where id = ${opportunityId}`.execute(trx),
    );
    const run = (today: string) =>
      server.database.withTenant(fresh.tenantId, (trx) =>
        scheduleInvitations(jobScope(trx, fresh.tenantId), { plugins: server.dependencies.plugins }, today, {
          customerId,
          event: 'deal_won',
        }),
      );
    expect(await run('2026-12-07')).toBe(0);
    expect(await run('2026-12-08')).toBe(1);
    expect(await run('2026-12-09')).toBe(0);
  });
});

describe('tenant surveys', () => {
  it('are built from the same question types and checked like a plugin’s, naming the question', async () => {
    const marketing = await as('marketing');
    const bad = await marketing.call('surveys.save', {
      kind: 'custom',
      title: '门店服务',
      questions: [
        {
          key: 'why',
          type: 'single_choice',
          labels: { 'zh-CN': '原因' },
          options: [{ value: 'a', labels: { 'zh-CN': '甲' } }],
        },
      ],
    });
    expect(bad.error?.appCode).toBe('SURVEY_FORM_INVALID');
    expect(bad.error?.message).toContain('why');
    const saved = await marketing.call('surveys.save', {
      kind: 'csat',
      title: '门店服务',
      questions: [
        { key: 'overall', type: 'rating', labels: { 'zh-CN': '满意吗？', en: 'Satisfied?' }, required: true },
        { key: 'again', type: 'yes_no', labels: { 'zh-CN': '还会再来吗？' } },
        { key: 'visits', type: 'number', labels: { 'zh-CN': '每月到店几次？' } },
      ],
    });
    expect(saved.error).toBeNull();
    expect(saved.data).toMatchObject({ source: 'tenant', kind: 'csat', title: { 'zh-CN': '门店服务' } });
    expect(
      (
        await (
          await as('sales_rep')
        ).call('surveys.save', {
          kind: 'custom',
          title: 'x',
          questions: [{ key: 'q', type: 'text', labels: { 'zh-CN': 'x' } }],
        })
      ).error?.appCode,
    ).toBe('FORBIDDEN');
    const list = await marketing.call('surveys.list');
    expect(list.data.items.map((item: { key: string }) => item.key)).toEqual(
      expect.arrayContaining(['b2b_quarterly_needs', 'b2b_nps', 'b2b_ticket_csat', saved.data.key]),
    );
  });
});

describe('the public survey door: security', () => {
  async function freshLink() {
    const customerId = await createCustomerIn(
      server,
      tenant.tenantId,
      '安全客户',
      false,
      tenant.users.sales_rep.id,
    );
    const { invitationId } = await createSurveyResponseIn(server, tenant.tenantId, customerId, null, null);
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    return {
      invitationId,
      token: signPublicLink({
        kind: 'survey',
        tenantId: tenant.tenantId,
        subjectId: invitationId,
        campaignId: null,
        expiresAt,
      }),
    };
  }

  it('answers forged, tampered, expired, other-kind and unknown tokens with one 404', async () => {
    const { invitationId, token } = await freshLink();
    expect((await page(`/s/${token}`)).status).toBe(200);
    const flipped = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherKind = signPublicLink({
      kind: 'form',
      tenantId: tenant.tenantId,
      subjectId: invitationId,
      campaignId: null,
      expiresAt: 0,
    });
    const expired = signPublicLink({
      kind: 'survey',
      tenantId: tenant.tenantId,
      subjectId: invitationId,
      campaignId: null,
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    // Enumeration: a correctly signed token for an invitation that does not exist, or of another tenant.
    const unknown = signPublicLink({
      kind: 'survey',
      tenantId: tenant.tenantId,
      subjectId: crypto.randomUUID(),
      campaignId: null,
      expiresAt: 0,
    });
    const otherTenant = signPublicLink({
      kind: 'survey',
      tenantId: crypto.randomUUID(),
      subjectId: invitationId,
      campaignId: null,
      expiresAt: 0,
    });
    const bodies = new Set<string>();
    for (const candidate of [flipped, otherKind, expired, unknown, otherTenant, 'x'.repeat(94), 'short']) {
      const view = await page(`/s/${candidate}`);
      expect(view.status, candidate).toBe(404);
      bodies.add(await view.text());
      const submit = await post(`/s/${candidate}`, [['recommend', '10']]);
      expect(submit.status, candidate).toBe(404);
      bodies.add(await submit.text());
    }
    expect(bodies.size).toBe(1);
    const responses = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('survey_responses').select('id').where('invitation_id', '=', invitationId).execute(),
    );
    expect(responses).toEqual([]);
  });

  it('takes one answer per link: a replay, even concurrent, records nothing', async () => {
    const { invitationId, token } = await freshLink();
    const answers: [string, string][] = [['recommend', '9']];
    const statuses = await Promise.all([
      post(`/s/${token}`, answers),
      post(`/s/${token}`, answers),
      post(`/s/${token}`, answers),
    ]);
    expect(statuses.map((response) => response.status).sort()).toEqual([200, 409, 409]);
    const count = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('survey_responses').select('id').where('invitation_id', '=', invitationId).execute(),
    );
    expect(count).toHaveLength(1);
  });

  it('limits views and submissions per address and per link', async () => {
    const tight = { perIp: { points: 3, durationSeconds: 60 }, perToken: { points: 2, durationSeconds: 60 } };
    const open = {
      perIp: { points: 1000, durationSeconds: 60 },
      perToken: { points: 1000, durationSeconds: 60 },
    };
    const limited = createApp({
      dependencies: server.dependencies,
      publicUrl: server.publicUrl,
      publicDoorLimiter: new PublicDoorRateLimiter({
        pixel: open,
        click: open,
        form_view: open,
        form_submit: open,
        reply_hook: open,
        survey_view: tight,
        survey_submit: tight,
      }),
    });
    const hit = (path: string, ip: string) =>
      limited.request(`http://localhost:3000${path}`, {}, { incoming: { socket: { remoteAddress: ip } } });
    const { token } = await freshLink();
    // Per link: the third view is refused, whatever the address.
    expect((await hit(`/s/${token}`, '192.0.2.1')).status).toBe(200);
    expect((await hit(`/s/${token}`, '192.0.2.2')).status).toBe(200);
    expect((await hit(`/s/${token}`, '192.0.2.3')).status).toBe(429);
    // Per address: guessing tokens from one address stops at the fourth.
    const guesses = await Promise.all(
      [1, 2, 3, 4].map(
        async () =>
          (
            await hit(
              `/s/${'g'.repeat(94)}${crypto.randomUUID().slice(0, 0)}`.replace(
                /g{4}$/,
                crypto.randomUUID().replaceAll('-', '').slice(0, 4),
              ),
              '192.0.2.9',
            )
          ).status,
      ),
    );
    expect(guesses.filter((status) => status === 429)).toHaveLength(1);
  });
});

describe('the compiled plugin survey', () => {
  it('is served from memory per plugin, tenant and settings version: a new plugin or a saved settings change serves the new form', async () => {
    const shop = await seedTenant(server.database, '问卷缓存零售', 'retail');
    const admin = await signedInClient(server, shop.users.admin.id, shop.tenantId);
    const customerId = await createCustomerIn(server, shop.tenantId, '缓存客户', false, shop.users.admin.id);
    const invited = await admin.call('surveys.invite', {
      key: 'retail_csat_after_purchase',
      customerIds: [customerId],
      channel: 'link',
    });
    expect(invited.error).toBeNull();
    const path = new URL(invited.data.links[0].url).pathname;
    const token = path.slice('/s/'.length);
    const html = async (response: Response | Promise<Response>) => (await response).text();
    expect(await html(page(path))).toContain('购后满意度回访');

    // A new version of the plugin is a new object: the page is compiled from it.
    const retail = server.dependencies.plugins.get('retail');
    if (!retail) throw new Error('the retail plugin is not loaded');
    const renamed = {
      ...retail,
      version: retail.version.replace(/\d+$/, (patch) => String(Number(patch) + 1)),
      surveys: (retail.surveys ?? []).map((survey) =>
        survey.key === 'retail_csat_after_purchase'
          ? { ...survey, labels: { 'zh-CN': '购物体验调研', en: 'Shopping experience survey' } }
          : survey,
      ),
    };
    const upgraded = createPluginRegistry([renamed], { sdkVersion: SDK_VERSION });
    expect(upgraded.refused).toEqual([]);
    const next = await viewSurvey({ database: server.database, plugins: upgraded }, token, 'zh-CN');
    expect(next.status).toBe(200);
    expect(next.html).toContain('购物体验调研');
    expect(next.html).not.toContain('购后满意度回访');
    // The server still running the old plugin serves the old form.
    expect(await html(page(path))).toContain('购后满意度回访');

    // A saved settings change is a new version: the form is compiled again with it.
    const compiled = () =>
      server.database.withTenant(shop.tenantId, async (trx) => {
        const { rows } = await sql<{ version: number | null }>`
          select max(version)::int as version from tenant_plugin_settings`.execute(trx);
        const forms = await cachedPluginSurveys(jobScope(trx, shop.tenantId), server.dependencies.plugins, {
          profileId: 'retail',
          settingsVersion: rows[0]?.version ?? null,
        });
        return forms.find((form) => form.key === 'retail_csat_after_purchase');
      });
    const before = await compiled();
    expect(before?.schedule).toEqual({ after: 'first_order', delayDays: 7 });
    expect(await compiled()).toBe(before);
    const saved = await admin.call('industry.save', {
      settings: { surveys: { csatDelayDays: 14 } },
      expectedVersion: 0,
    });
    expect(saved.error).toBeNull();
    const after = await compiled();
    expect(after).not.toBe(before);
    expect(after?.schedule).toEqual({ after: 'first_order', delayDays: 14 });
    expect(await compiled()).toBe(after);
    // The page still opens on the new version.
    expect(await html(page(path))).toContain('购后满意度回访');
  });
});
