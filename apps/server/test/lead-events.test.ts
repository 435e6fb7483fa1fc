import {
  formPath,
  jobScope,
  recordTenantEvents,
  recordWebhookEvents,
  regradeAfterEvents,
  regradeTenantDaily,
  renderCampaignEmail,
  signPublicLink,
  signReply,
  startFollowUps,
  takeRegradeRequest,
} from '@crm/api';
import { PublicDoorRateLimiter } from '@crm/auth';
import { type Database, sql, type Transaction } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';

/**
 * Behaviour events (docs/leads-and-pipeline.md): the public doors — open pixel, tracked
 * links, hosted form, reply hook — against forgery, tampering, replay, enumeration, open
 * redirects and floods; events append-only; re-grading after events and daily; campaigns
 * through the outbox with the pixel and tracked links.
 */
const SECRET = 'reply-hook-secret-of-at-least-32-characters';
let server: TestServer;
let app: ReturnType<typeof createApp>;
let tenant: SeededTenant;
let other: SeededTenant;

const hour = 3600;
const expiresAt = () => Math.floor(Date.now() / 1000) + hour;

async function request(path: string, init: RequestInit = {}, ip = '203.0.113.7') {
  return app.request(`http://localhost:3000${path}`, init, { incoming: { socket: { remoteAddress: ip } } });
}

async function insertLead(
  tenantId: string,
  values: { name: string; gradeKey: string; grade: string; email?: string; createdDaysAgo?: number },
): Promise<string> {
  const row = await server.database.withTenant(tenantId, (trx) =>
    sql<{ id: string }>`
      insert into leads (tenant_id, person_name, email, grade, grade_key, source, created_at)
      values (${tenantId}, ${values.name}, ${values.email ?? null}, ${values.grade}, ${values.gradeKey}, 'manual',
        now() - make_interval(days => ${values.createdDaysAgo ?? 0}))
      returning id`.execute(trx),
  );
  return (row.rows[0] as { id: string }).id;
}

async function eventsOf(tenantId: string, leadId: string) {
  const result = await server.database.withTenant(tenantId, (trx) =>
    sql<{ kind: string; campaign_id: string | null; target_url: string | null }>`
      select kind, campaign_id, target_url from lead_events where tenant_id = ${tenantId} and lead_id = ${leadId}
      order by seq`.execute(trx),
  );
  return result.rows;
}

async function leadOf(tenantId: string, leadId: string) {
  const result = await server.database.withTenant(tenantId, (trx) =>
    sql<{
      grade: string;
      grade_key: string;
      grade_reason: { rule?: string; facts?: Record<string, number>; regrade?: { from: string } } | null;
    }>`
      select grade, grade_key, grade_reason from leads where tenant_id = ${tenantId} and id = ${leadId}`.execute(
      trx,
    ),
  );
  return result.rows[0];
}

const openToken = (tenantId: string, leadId: string, campaignId: string | null = null) =>
  signPublicLink({ kind: 'email_open', tenantId, subjectId: leadId, campaignId, expiresAt: expiresAt() });
const clickPath = (tenantId: string, leadId: string, target: string) =>
  `/t/c/${signPublicLink({ kind: 'link_click', tenantId, subjectId: leadId, campaignId: null, expiresAt: expiresAt() }, target)}?u=${encodeURIComponent(target)}`;

function tamper(token: string): string {
  const position = 40;
  return `${token.slice(0, position)}${token[position] === 'A' ? 'B' : 'A'}${token.slice(position + 1)}`;
}

beforeAll(async () => {
  server = await createTestServer();
  app = createApp({
    dependencies: server.dependencies,
    publicUrl: server.publicUrl,
    inboundHookSecret: SECRET,
  });
  tenant = await seedTenant(server.database, '行为事件测试企业', 'b2b');
  other = await seedTenant(server.database, '另一家企业', 'b2b');
});

afterAll(async () => {
  await server.destroy();
});

describe('the open pixel', () => {
  it('answers before the app’s middleware: its own headers, the request id it was given, one log line', async () => {
    const lead = await insertLead(tenant.tenantId, {
      name: '请求编号线索',
      gradeKey: 'b2b_lead_c',
      grade: 'C',
    });
    const requestId = 'req-pixel-0201-a';
    const response = await request(`/t/o/${openToken(tenant.tenantId, lead)}.gif`, {
      headers: { 'x-request-id': requestId },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    // A webmail shows the pixel inside its own page: a cross-origin image.
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const logged = server.logger.lines.filter(
      (line) => line.message === 'request' && line.requestId === requestId,
    );
    expect(logged).toEqual([
      expect.objectContaining({ method: 'GET', status: 200, path: expect.stringMatching(/^\/t\/o\//) }),
    ]);
    // Without one the door makes one.
    const made = await request(`/t/o/${openToken(tenant.tenantId, lead)}.gif`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('always answers the same GIF, and records an open once per email per window', async () => {
    const lead = await insertLead(tenant.tenantId, { name: '王小明', gradeKey: 'b2b_lead_c', grade: 'C' });
    const token = openToken(tenant.tenantId, lead);
    const first = await request(`/t/o/${token}.gif`);
    const again = await request(`/t/o/${token}.gif`);
    const forged = await request(`/t/o/${tamper(token)}.gif`);
    const garbage = await request('/t/o/nothing-at-all.gif');
    const bodies = await Promise.all(
      [first, again, forged, garbage].map((response) => response.arrayBuffer()),
    );
    for (const [index, response] of [first, again, forged, garbage].entries()) {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/gif');
      expect(response.headers.get('cache-control')).toContain('no-store');
      expect(Buffer.from(bodies[index] as ArrayBuffer).equals(Buffer.from(bodies[0] as ArrayBuffer))).toBe(
        true,
      );
    }
    expect(await eventsOf(tenant.tenantId, lead)).toEqual([
      { kind: 'email_open', campaign_id: null, target_url: null },
    ]);
  });

  it("records nothing when a token names another tenant's lead (the tenant comes from the signature)", async () => {
    const theirs = await insertLead(other.tenantId, { name: '李四', gradeKey: 'b2b_lead_c', grade: 'C' });
    const response = await request(`/t/o/${openToken(tenant.tenantId, theirs)}.gif`);
    expect(response.status).toBe(200);
    expect(await eventsOf(other.tenantId, theirs)).toEqual([]);
  });
});

describe('tracked links', () => {
  it('redirect only to the signed target; a tampered token or target, or another URL, answers 404', async () => {
    const lead = await insertLead(tenant.tenantId, { name: '赵敏', gradeKey: 'b2b_lead_c', grade: 'C' });
    const target = 'https://example.com/pricing?from=crm';
    const path = clickPath(tenant.tenantId, lead, target);
    const followed = await request(path);
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe(target);
    // Replay within the window: redirects again, records once.
    expect((await request(path)).status).toBe(302);

    const token = path.slice('/t/c/'.length, path.indexOf('?'));
    const attempts = [
      `/t/c/${token}?u=${encodeURIComponent('https://evil.example/phish')}`,
      `/t/c/${token}?u=${encodeURIComponent(`${target}&x=1`)}`,
      `/t/c/${token}`,
      `/t/c/${tamper(token)}?u=${encodeURIComponent(target)}`,
      `/t/c/${openToken(tenant.tenantId, lead)}?u=${encodeURIComponent(target)}`,
      `/t/c/${token}?u=${encodeURIComponent('javascript:alert(1)')}`,
      `/t/c/not-a-token?u=${encodeURIComponent(target)}`,
    ];
    for (const attempt of attempts) {
      const response = await request(attempt);
      expect(response.status, attempt).toBe(404);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toBe('Not found');
    }
    expect(await eventsOf(tenant.tenantId, lead)).toEqual([
      { kind: 'link_click', campaign_id: null, target_url: target },
    ]);
  });

  it('refuses a link past its expiry like a forged one', async () => {
    const lead = await insertLead(tenant.tenantId, { name: '过期', gradeKey: 'b2b_lead_c', grade: 'C' });
    const target = 'https://example.com/';
    const token = signPublicLink(
      {
        kind: 'link_click',
        tenantId: tenant.tenantId,
        subjectId: lead,
        campaignId: null,
        expiresAt: Math.floor(Date.now() / 1000) - 1,
      },
      target,
    );
    expect((await request(`/t/c/${token}?u=${encodeURIComponent(target)}`)).status).toBe(404);
    expect(await eventsOf(tenant.tenantId, lead)).toEqual([]);
  });
});

describe('the hosted lead form', () => {
  let formId: string;
  let path: string;

  beforeAll(async () => {
    const marketing = await signedInClient(server, tenant.users.marketing.id, tenant.tenantId);
    const created = await marketing.call('marketing.forms.create', {
      name: '官网询价表单',
      title: '获取报价',
      intro: '留下联系方式，顾问 24 小时内联系您。',
      intents: ['price', 'features', 'browsed'],
    });
    expect(created.error).toBeNull();
    formId = created.data.id;
    path = new URL(created.data.url).pathname;
    expect(path).toBe(formPath(tenant.tenantId, formId));
    expect(created.data.snippet).toContain(`<iframe src="${created.data.url}"`);
  });

  const submit = (fields: Record<string, string>, ip = '198.51.100.20') =>
    request(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      },
      ip,
    );

  it('shows the page (embeddable, no script) and 404s a forged, foreign or switched-off form alike', async () => {
    const page = await request(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('获取报价');
    expect(html).toContain('name="website"');
    expect(html).not.toContain('<script');
    expect(page.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(page.headers.get('x-frame-options')).toBeNull();

    const token = path.slice('/f/'.length);
    const foreign = formPath(other.tenantId, formId);
    const unknown = formPath(tenant.tenantId, crypto.randomUUID());
    for (const attempt of [`/f/${tamper(token)}`, foreign, unknown, '/f/abc']) {
      const response = await request(attempt);
      expect(response.status, attempt).toBe(404);
      expect(await response.text()).toBe('Not found');
    }
  });

  it('creates a lead from a submission, then updates the same lead (dedup on phone or email)', async () => {
    const first = await submit({
      name: '钱多多',
      company: '多多科技',
      phone: '13800138000',
      intent: 'features',
      message: '想了解报表功能',
    });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('提交成功');
    const second = await submit(
      { name: '钱多多', phone: '+86 138 0013 8000', email: 'qian@duoduo.cn', intent: 'price' },
      '198.51.100.21',
    );
    expect(second.status).toBe(200);
    const leads = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{
        id: string;
        source: string;
        intent: string;
        email: string | null;
        company_name: string | null;
        needs: string[];
      }>`
        select id, source, intent, email, company_name, needs from leads
        where tenant_id = ${tenant.tenantId} and phone_key = crm_normalize_phone('13800138000')`.execute(trx),
    );
    expect(leads.rows).toHaveLength(1);
    expect(leads.rows[0]).toMatchObject({
      source: 'web_form',
      intent: 'price',
      email: 'qian@duoduo.cn',
      company_name: '多多科技',
      needs: ['想了解报表功能'],
    });
    const events = await eventsOf(tenant.tenantId, (leads.rows[0] as { id: string }).id);
    expect(events.map((event) => event.kind)).toEqual(['form_submit', 'form_submit']);
  });

  it('answers a filled honeypot with thanks and records nothing; shows messages for a bad submission', async () => {
    const before = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{
        count: number;
      }>`select count(*)::int as count from leads where tenant_id = ${tenant.tenantId}`.execute(trx),
    );
    const bot = await submit(
      { name: 'bot', phone: '13900000000', intent: 'price', website: 'http://spam.example' },
      '198.51.100.30',
    );
    expect(bot.status).toBe(200);
    expect(await bot.text()).toContain('提交成功');
    const bad = await submit({ name: '', email: 'not-an-email', intent: 'nonsense' }, '198.51.100.31');
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('请填写姓名');
    expect(html).toContain('请填写正确的邮箱');
    expect(html).toContain('请选择您的需求');
    const after = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{
        count: number;
      }>`select count(*)::int as count from leads where tenant_id = ${tenant.tenantId}`.execute(trx),
    );
    expect(after.rows[0]?.count).toBe(before.rows[0]?.count);
  });

  it('closes when marketing turns the form off', async () => {
    const marketing = await signedInClient(server, tenant.users.marketing.id, tenant.tenantId);
    const form = (await marketing.call('marketing.forms.get', { id: formId })).data;
    const off = await marketing.call('marketing.forms.update', {
      id: formId,
      name: form.name,
      title: form.title,
      intro: form.intro,
      locale: form.locale,
      intents: form.intents,
      askCompany: form.askCompany,
      campaignId: null,
      active: false,
    });
    expect(off.error).toBeNull();
    expect((await request(path)).status).toBe(404);
    expect(
      (await submit({ name: '晚来', phone: '13700000000', intent: 'price' }, '198.51.100.40')).status,
    ).toBe(404);
  });
});

describe('the reply hook', () => {
  it('records a signed reply once; refuses a bad or stale signature, a forged reply token and a replay', async () => {
    const lead = await insertLead(tenant.tenantId, { name: '孙回复', gradeKey: 'b2b_lead_c', grade: 'C' });
    const replyToken = signPublicLink({
      kind: 'reply',
      tenantId: tenant.tenantId,
      subjectId: lead,
      campaignId: null,
      expiresAt: expiresAt(),
    });
    const body = JSON.stringify({ messageId: '<m1@example.com>', replyToken, subject: 'Re: 报价' });
    const now = Math.floor(Date.now() / 1000);
    const post = (payload: string, signature: string | null) =>
      request('/hooks/inbound-reply', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-crm-signature': signature } : {}),
        },
        body: payload,
      });
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, signReply('wrong-secret-wrong-secret-wrong-secret', body, now))).status).toBe(
      401,
    );
    expect((await post(body, signReply(SECRET, body, now - 3600))).status).toBe(401);
    expect((await post(`${body} `, signReply(SECRET, body, now))).status).toBe(401);
    const forged = JSON.stringify({ messageId: '<m2@example.com>', replyToken: tamper(replyToken) });
    expect((await post(forged, signReply(SECRET, forged, now))).status).toBe(401);

    const signature = signReply(SECRET, body, now);
    expect((await post(body, signature)).status).toBe(202);
    const replay = await post(body, signature);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    expect((await eventsOf(tenant.tenantId, lead)).map((event) => event.kind)).toEqual(['reply']);
  });

  it('is not there without INBOUND_HOOK_SECRET', async () => {
    const bare = createApp({ dependencies: server.dependencies, publicUrl: server.publicUrl });
    const response = await bare.request('http://localhost:3000/hooks/inbound-reply', {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(404);
  });
});

describe('rate limits', () => {
  it('limit each door per token and per address', async () => {
    const tight = {
      pixel: { perIp: { points: 3, durationSeconds: 60 }, perToken: { points: 2, durationSeconds: 60 } },
      click: { perIp: { points: 3, durationSeconds: 60 }, perToken: { points: 2, durationSeconds: 60 } },
      form_view: {
        perIp: { points: 3, durationSeconds: 60 },
        perToken: { points: 100, durationSeconds: 60 },
      },
      form_submit: {
        perIp: { points: 2, durationSeconds: 60 },
        perToken: { points: 100, durationSeconds: 60 },
      },
      reply_hook: {
        perIp: { points: 3, durationSeconds: 60 },
        perToken: { points: 100, durationSeconds: 60 },
      },
      survey_view: {
        perIp: { points: 3, durationSeconds: 60 },
        perToken: { points: 2, durationSeconds: 60 },
      },
      survey_submit: {
        perIp: { points: 3, durationSeconds: 60 },
        perToken: { points: 2, durationSeconds: 60 },
      },
    };
    const limited = createApp({
      dependencies: server.dependencies,
      publicUrl: server.publicUrl,
      publicDoorLimiter: new PublicDoorRateLimiter(tight),
    });
    const hit = (path: string, ip: string) =>
      limited.request(`http://localhost:3000${path}`, {}, { incoming: { socket: { remoteAddress: ip } } });
    const lead = await insertLead(tenant.tenantId, { name: '限流', gradeKey: 'b2b_lead_c', grade: 'C' });
    const token = openToken(tenant.tenantId, lead);
    // Per token: the third request for one email is refused, whatever the address.
    expect((await hit(`/t/o/${token}.gif`, '192.0.2.1')).status).toBe(200);
    expect((await hit(`/t/o/${token}.gif`, '192.0.2.2')).status).toBe(200);
    const flooded = await hit(`/t/o/${token}.gif`, '192.0.2.3');
    expect(flooded.status).toBe(429);
    expect(flooded.headers.get('retry-after')).toBe('60');
    // Per address: the fourth request from one address is refused, whatever the token (enumeration).
    const statuses = [];
    for (let index = 0; index < 4; index += 1) {
      statuses.push((await hit(`/t/c/guess-${index}?u=https%3A%2F%2Fexample.com`, '192.0.2.9')).status);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
  });
});

describe('events are append-only', () => {
  it('the app role cannot update or delete an event', async () => {
    const lead = await insertLead(tenant.tenantId, { name: '不可改', gradeKey: 'b2b_lead_c', grade: 'C' });
    await request(`/t/o/${openToken(tenant.tenantId, lead)}.gif`);
    await expect(
      server.database.withTenant(tenant.tenantId, (trx) =>
        sql`update lead_events set kind = 'reply' where tenant_id = ${tenant.tenantId} and lead_id = ${lead}`.execute(
          trx,
        ),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      server.database.withTenant(tenant.tenantId, (trx) =>
        sql`delete from lead_events where tenant_id = ${tenant.tenantId} and lead_id = ${lead}`.execute(trx),
      ),
    ).rejects.toThrow(/permission denied/);
  });
});

describe('re-grading on behaviour', () => {
  it('moves a C lead up one grade after two opens and a click within 7 days, once (its cool-down)', async () => {
    const lead = await insertLead(tenant.tenantId, { name: '周活跃', gradeKey: 'b2b_lead_c', grade: 'C' });
    const quiet = await insertLead(tenant.tenantId, { name: '吴一次', gradeKey: 'b2b_lead_c', grade: 'C' });
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`insert into lead_events (tenant_id, lead_id, kind, occurred_at) values
        (${tenant.tenantId}, ${lead}, 'email_open', now() - interval '3 days'),
        (${tenant.tenantId}, ${quiet}, 'email_open', now() - interval '1 day')`.execute(trx),
    );
    await request(`/t/o/${openToken(tenant.tenantId, lead)}.gif`);
    await request(clickPath(tenant.tenantId, lead, 'https://example.com/features'));
    const outcome = await server.database.withTenant(tenant.tenantId, (trx) =>
      regradeAfterEvents(jobScope(trx, tenant.tenantId), server.dependencies.plugins),
    );
    expect(outcome.up).toBeGreaterThanOrEqual(1);
    expect(await leadOf(tenant.tenantId, lead)).toMatchObject({ grade: 'B', grade_key: 'b2b_lead_b' });
    const reason = (await leadOf(tenant.tenantId, lead))?.grade_reason;
    expect(reason?.rule).toBe('b2b_regrade_engaged');
    expect(reason?.regrade?.from).toBe('C');
    expect(reason?.facts?.email_open_7d).toBe(2);
    expect(reason?.facts?.link_click_7d).toBe(1);
    expect(await leadOf(tenant.tenantId, quiet)).toMatchObject({ grade: 'C' });
    const history = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ from_grade: string; to_grade: string; by_kind: string; rule_key: string }>`
        select from_grade, to_grade, by_kind, rule_key from lead_grade_history
        where tenant_id = ${tenant.tenantId} and lead_id = ${lead}`.execute(trx),
    );
    expect(history.rows).toEqual([
      { from_grade: 'C', to_grade: 'B', by_kind: 'regrade_rule', rule_key: 'b2b_regrade_engaged' },
    ]);
    // The move restarts the follow-up clock by B's limit (48 h), with the task due at the same instant.
    const clock = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{
        follow_up_hours: string;
        follow_up_due_at: Date | null;
        task_due_at: Date | null;
        open_tasks: number;
      }>`
        select l.follow_up_hours::text as follow_up_hours, l.follow_up_due_at,
          (select max(t.due_at) from tasks t where t.tenant_id = l.tenant_id and t.related_kind = 'lead'
            and t.related_id = l.id and t.status = 'open' and t.type = 'follow_up') as task_due_at,
          (select count(*)::int from tasks t where t.tenant_id = l.tenant_id and t.related_kind = 'lead'
            and t.related_id = l.id and t.status = 'open' and t.type = 'follow_up') as open_tasks
        from leads l where l.tenant_id = ${tenant.tenantId} and l.id = ${lead}`.execute(trx),
    );
    expect(Number(clock.rows[0]?.follow_up_hours)).toBe(48);
    expect(clock.rows[0]?.open_tasks).toBe(1);
    expect(clock.rows[0]?.follow_up_due_at).not.toBeNull();
    expect(clock.rows[0]?.follow_up_due_at?.getTime()).toBeGreaterThan(Date.now());
    expect(clock.rows[0]?.follow_up_due_at?.getTime()).toBe(clock.rows[0]?.task_due_at?.getTime());

    // More events within the week: the rule waits out its cool-down.
    await request(`/t/o/${openToken(tenant.tenantId, lead, null)}.gif`, {}, '203.0.113.99');
    await server.database.withTenant(tenant.tenantId, (trx) =>
      regradeAfterEvents(jobScope(trx, tenant.tenantId), server.dependencies.plugins),
    );
    expect(await leadOf(tenant.tenantId, lead)).toMatchObject({ grade: 'B' });
  });

  it('moves a lead without activity for 30 days down one grade in the daily run', async () => {
    const stale = await insertLead(tenant.tenantId, {
      name: '郑沉寂',
      gradeKey: 'b2b_lead_b',
      grade: 'B',
      createdDaysAgo: 40,
    });
    const fresh = await insertLead(tenant.tenantId, {
      name: '冯新',
      gradeKey: 'b2b_lead_b',
      grade: 'B',
      createdDaysAgo: 2,
    });
    const bottom = await insertLead(tenant.tenantId, {
      name: '陈到底',
      gradeKey: 'b2b_lead_c',
      grade: 'C',
      createdDaysAgo: 90,
    });
    await server.database.withTenant(tenant.tenantId, (trx) =>
      regradeTenantDaily(jobScope(trx, tenant.tenantId), server.dependencies.plugins),
    );
    expect(await leadOf(tenant.tenantId, stale)).toMatchObject({ grade: 'C', grade_key: 'b2b_lead_c' });
    expect(await leadOf(tenant.tenantId, fresh)).toMatchObject({ grade: 'B' });
    expect(await leadOf(tenant.tenantId, bottom)).toMatchObject({ grade: 'C' });
  });

  it('writes the same follow-up tasks, clocks and webhook events in its one statement as the grading path does for the same moves', async () => {
    // A tenant of its own, with a team and an endpoint subscribed to every event the moves announce.
    const own = await seedTenant(server.database, '升降级对照企业', 'b2b');
    const rep = own.users.sales_rep.id;
    const teamId = crypto.randomUUID();
    await server.database.withTenant(own.tenantId, async (trx) => {
      await sql`insert into teams (tenant_id, id, name) values (${own.tenantId}, ${teamId}, '华东销售组')`.execute(
        trx,
      );
      await sql`update memberships set team_id = ${teamId} where tenant_id = ${own.tenantId} and user_id = ${rep}`.execute(
        trx,
      );
      await sql`insert into webhook_endpoints (tenant_id, url, events, secret_cipher)
        values (${own.tenantId}, 'https://hooks.example.com/crm', ${['lead.graded', 'task.created', 'task.completed']}::text[],
          'not-a-real-cipher')`.execute(trx);
    });
    const engaged = await insertLead(own.tenantId, {
      name: '上海启明精密机械有限公司',
      gradeKey: 'b2b_lead_c',
      grade: 'C',
    });
    const stale = await insertLead(own.tenantId, {
      name: '孙久未联系',
      gradeKey: 'b2b_lead_b',
      grade: 'B',
      createdDaysAgo: 45,
    });
    const unowned = await insertLead(own.tenantId, {
      name: '无人认领',
      gradeKey: 'b2b_lead_a',
      grade: 'A',
      createdDaysAgo: 60,
    });
    const untouched = await insertLead(own.tenantId, { name: '刚来的', gradeKey: 'b2b_lead_c', grade: 'C' });
    const leads = [engaged, stale, unowned, untouched];
    await server.database.withTenant(own.tenantId, async (trx) => {
      await sql`update leads set owner_user_id = ${rep}, team_id = ${teamId}
        where tenant_id = ${own.tenantId} and id = any(${[engaged, stale, untouched]}::uuid[])`.execute(trx);
      await sql`insert into lead_events (tenant_id, lead_id, kind, occurred_at) values
        (${own.tenantId}, ${engaged}, 'email_open', now() - interval '2 days'),
        (${own.tenantId}, ${engaged}, 'email_open', now() - interval '1 day'),
        (${own.tenantId}, ${engaged}, 'link_click', now() - interval '1 day')`.execute(trx);
      // Each lead's open follow-up task of its current grade (superseded by a move), and a task
      // of another kind on the same lead (left alone).
      await sql`insert into tasks (tenant_id, title, type, related_kind, related_id, owner_user_id, team_id, due_on,
          source, source_key)
        select ${own.tenantId}::uuid, '旧的跟进', 'follow_up', 'lead', l.id, l.owner_user_id, l.team_id, current_date, 'rule',
          'lead:follow-up:' || l.id || ':' || l.grade_key || ':1'
        from leads l where l.tenant_id = ${own.tenantId} and l.id = any(${leads}::uuid[])
        union all
        select ${own.tenantId}::uuid, '送样品', 'visit', 'lead', l.id, l.owner_user_id, l.team_id, current_date, 'manual', null
        from leads l where l.tenant_id = ${own.tenantId} and l.id = any(${leads}::uuid[])`.execute(trx);
    });
    const now = new Date();

    type Moved = {
      id: string;
      name: string;
      grade: string;
      grade_key: string;
      from_grade: string;
      hours: number;
      owner_user_id: string | null;
      team_id: string | null;
    };
    // What either path wrote, without what differs by transaction (ids, the transaction's own time).
    async function written(trx: Transaction<Database>) {
      const tasks = await sql<Record<string, unknown>>`
        select title, type, status, status_reason, related_kind, related_id, customer_id, contact_id, owner_user_id,
          team_id, due_on::text as due_on, due_at, priority, source, source_id, source_key, created_by, closed_by,
          closed_at is not null as closed, notes
        from tasks where tenant_id = ${own.tenantId} order by related_id, type, source_key`.execute(trx);
      const events = await sql<{ type: string; payload: Record<string, unknown> }>`
        select type, payload from (
          select type, case when type like 'task.%' then payload - 'id' - 'createdAt' - 'closedAt' else payload end as payload
          from webhook_events where tenant_id = ${own.tenantId}
        ) e order by type, payload::text`.execute(trx);
      const deliveries = await sql<{ n: number }>`
        select count(*)::int as n from webhook_deliveries where tenant_id = ${own.tenantId}`.execute(trx);
      const clocks = await sql<Record<string, unknown>>`
        select id, follow_up_due_at, follow_up_task_id from leads where tenant_id = ${own.tenantId} order by id`.execute(
        trx,
      );
      return {
        tasks: tasks.rows,
        events: events.rows,
        deliveries: deliveries.rows[0]?.n,
        clocks: clocks.rows,
      };
    }
    class Rollback extends Error {
      constructor(readonly value: unknown) {
        super('rollback');
      }
    }
    async function rolledBack<T>(run: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      try {
        await server.database.withTenant(own.tenantId, async (trx) => {
          throw new Rollback(await run(trx));
        });
      } catch (error) {
        if (error instanceof Rollback) return error.value as T;
        throw error;
      }
      throw new Error('not rolled back');
    }

    const regraded = await rolledBack(async (trx) => {
      const outcome = await regradeTenantDaily(jobScope(trx, own.tenantId), server.dependencies.plugins, now);
      const moved = await sql<Moved>`
        select l.id, coalesce(l.company_name, l.person_name) as name, l.grade, l.grade_key, h.from_grade,
          l.follow_up_hours::float8 as hours, l.owner_user_id, l.team_id
        from lead_grade_history h join leads l on l.tenant_id = h.tenant_id and l.id = h.lead_id
        where h.tenant_id = ${own.tenantId} order by l.id`.execute(trx);
      return { outcome, moved: moved.rows, rows: await written(trx) };
    });
    expect(regraded.outcome).toEqual({ moved: 3, up: 1, down: 2 });
    expect(Object.fromEntries(regraded.moved.map((lead) => [lead.id, lead.grade]))).toEqual({
      [engaged]: 'B',
      [stale]: 'C',
      [unowned]: 'B',
    });

    // The grading path (leads.service.ts): startFollowUps for the same moves at the same moment,
    // and the lead.graded events the re-grade sent before it wrote them in its statement.
    const graded = await rolledBack(async (trx) => {
      const scope = jobScope(trx, own.tenantId);
      await startFollowUps(
        scope,
        regraded.moved.map((lead) => ({
          id: lead.id,
          name: lead.name,
          grade: lead.grade,
          gradeKey: lead.grade_key,
          hours: lead.hours,
          ownerUserId: lead.owner_user_id,
          teamId: lead.team_id,
        })),
        now,
      );
      await recordWebhookEvents(
        scope,
        'lead.graded',
        regraded.moved.map((lead) => ({
          id: lead.id,
          name: lead.name,
          from: lead.from_grade,
          grade: lead.grade,
          gradeKey: lead.grade_key,
          by: 'regrade',
          ownerUserId: lead.owner_user_id,
        })),
      );
      return written(trx);
    });

    expect(regraded.rows).toEqual(graded);
    // What the comparison covers: a superseded and a new follow-up task per moved lead, the
    // untouched lead's task still open, the other tasks alone, and an event per write.
    const followUps = regraded.rows.tasks.filter((task) => task.type === 'follow_up');
    expect(
      followUps.filter((task) => task.status === 'done' && task.status_reason === 'regraded'),
    ).toHaveLength(3);
    expect(followUps.filter((task) => task.status === 'open')).toHaveLength(4);
    expect(
      regraded.rows.tasks.filter((task) => task.type === 'visit' && task.status === 'open'),
    ).toHaveLength(4);
    expect(followUps.find((task) => task.related_id === engaged && task.status === 'open')).toMatchObject({
      title: '跟进 B 级线索：上海启明精密机械有限公司',
      owner_user_id: rep,
      team_id: teamId,
      priority: 'normal',
    });
    expect(followUps.find((task) => task.related_id === unowned && task.status === 'open')).toMatchObject({
      owner_user_id: null,
      team_id: null,
    });
    expect(regraded.rows.events.map((event) => event.type).sort()).toEqual([
      'lead.graded',
      'lead.graded',
      'lead.graded',
      'task.completed',
      'task.completed',
      'task.completed',
      'task.created',
      'task.created',
      'task.created',
    ]);
    expect(regraded.rows.deliveries).toBe(9);
  });

  it('one run waits per tenant: the first event after a run took the request asks for the next, later ones ask nothing; a request no run took in time asks again', async () => {
    const quietTenant = await seedTenant(server.database, '排队测试企业', 'b2b');
    const tenantId = quietTenant.tenantId;
    const lead = await insertLead(tenantId, { name: '韩排队', gradeKey: 'b2b_lead_c', grade: 'C' });
    const state = async () => {
      const { rows } = await server.database.withTenant(tenantId, (trx) =>
        sql<{ requests: number; waiting: number }>`
          select (select count(*)::int from lead_regrade_requests) as requests,
            (select count(*)::int from pgboss.job where name = 'lead-events.regrade-tenant'
              and singleton_key = ${tenantId} and state in ('created', 'retry')) as waiting`.execute(trx),
      );
      return rows[0];
    };
    const enqueue = vi.spyOn(server.dependencies.jobs, 'enqueue');
    const asks = () => enqueue.mock.calls.filter(([name]) => name === 'lead-events.regrade-tenant').length;
    try {
      const open = (ip: string) =>
        request(`/t/o/${openToken(tenantId, lead, crypto.randomUUID())}.gif`, {}, ip);
      await open('203.0.113.60');
      expect(asks()).toBe(1);
      expect(await state()).toEqual({ requests: 1, waiting: 1 });
      // The run already asked for will see these: nothing more is written for them.
      await open('203.0.113.61');
      await request(clickPath(tenantId, lead, 'https://example.com/asked'), {}, '203.0.113.62');
      expect(asks()).toBe(1);
      expect(await eventsOf(tenantId, lead)).toHaveLength(3);

      // The run takes the request: the next event asks again (and joins the run still waiting).
      await server.database.withTenant(tenantId, (trx) => takeRegradeRequest(jobScope(trx, tenantId)));
      expect(await state()).toEqual({ requests: 0, waiting: 1 });
      await open('203.0.113.63');
      expect(asks()).toBe(2);
      expect(await state()).toEqual({ requests: 1, waiting: 1 });

      // Its job lost: a request older than a minute is asked again, by one event.
      await server.database.withTenant(tenantId, async (trx) => {
        await sql`delete from pgboss.job where name = 'lead-events.regrade-tenant' and singleton_key = ${tenantId}`.execute(
          trx,
        );
        await sql`update lead_regrade_requests set requested_at = now() - interval '2 minutes'`.execute(trx);
      });
      expect(await state()).toEqual({ requests: 1, waiting: 0 });
      await open('203.0.113.64');
      await open('203.0.113.65');
      expect(asks()).toBe(3);
      expect(await state()).toEqual({ requests: 1, waiting: 1 });
    } finally {
      enqueue.mockRestore();
    }
  });

  it('a run taking the request waits for the transactions that saw it, so it reads their events', async () => {
    const tenantId = (await seedTenant(server.database, '等待测试企业', 'b2b')).tenantId;
    const lead = await insertLead(tenantId, { name: '秦等待', gradeKey: 'b2b_lead_c', grade: 'C' });
    await request(`/t/o/${openToken(tenantId, lead, crypto.randomUUID())}.gif`, {}, '203.0.113.70');
    // A recording transaction that saw the request and has not committed yet.
    let recorded!: () => void;
    const didRecord = new Promise<void>((resolve) => {
      recorded = resolve;
    });
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const held = server.database.withTenant(tenantId, async (trx) => {
      const count = await recordTenantEvents(server.dependencies, jobScope(trx, tenantId), [
        { kind: 'email_open', leadId: lead, campaignId: null, dedupKey: `held:${crypto.randomUUID()}` },
      ]);
      expect(count).toBe(1);
      recorded();
      await committing;
    });
    await didRecord;
    let taken = false;
    const taking = server.database
      .withTenant(tenantId, (trx) => takeRegradeRequest(jobScope(trx, tenantId)))
      .then(() => {
        taken = true;
      });
    // The run waits on the request lock (seen in pg_locks), not on time.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await server.database.withTenant(tenantId, (trx) =>
        sql<{ waiting: number }>`
          select count(*)::int as waiting from pg_locks
          where locktype = 'advisory' and not granted
            and database = (select oid from pg_database where datname = current_database())`.execute(trx),
      );
      if ((rows[0]?.waiting ?? 0) > 0) break;
      if (Date.now() > deadline) throw new Error('the run did not wait for the recording transaction');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(taken).toBe(false);
    commit();
    await held;
    await taking;
    // Taken after the commit: what the run reads next includes the held transaction's event.
    const { rows } = await server.database.withTenant(tenantId, (trx) =>
      sql<{ requests: number; events: number }>`
        select (select count(*)::int from lead_regrade_requests) as requests,
          (select count(*)::int from lead_events where lead_id = ${lead}) as events`.execute(trx),
    );
    expect(rows[0]).toEqual({ requests: 0, events: 2 });
  });

  it('re-grades through the job queue within seconds of the events', async () => {
    const lead = await insertLead(tenant.tenantId, { name: '蒋队列', gradeKey: 'b2b_lead_c', grade: 'C' });
    const jobs = server.dependencies.jobs;
    await jobs.start();
    try {
      await request(`/t/o/${openToken(tenant.tenantId, lead)}.gif`, {}, '203.0.113.50');
      await request(`/t/o/${openToken(tenant.tenantId, lead, null)}.gif`, {}, '203.0.113.51');
      await server.database.withTenant(tenant.tenantId, (trx) =>
        sql`insert into lead_events (tenant_id, lead_id, kind) values (${tenant.tenantId}, ${lead}, 'email_open')`.execute(
          trx,
        ),
      );
      await request(clickPath(tenant.tenantId, lead, 'https://example.com/demo'), {}, '203.0.113.52');
      const started = Date.now();
      const deadline = started + 60_000;
      while ((await leadOf(tenant.tenantId, lead))?.grade !== 'B') {
        if (Date.now() > deadline) throw new Error('the lead was not re-graded within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      console.log(
        `BM9 smoke: re-graded through the queue ${((Date.now() - started) / 1000).toFixed(1)} s after the click`,
      );
    } finally {
      await jobs.stop();
    }
  });
});

describe("a lead's timeline", () => {
  it('lists its events newest first to whoever sees the lead, and no one else', async () => {
    const lead = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ id: string }>`
        insert into leads (tenant_id, person_name, owner_user_id, grade, grade_key)
        values (${tenant.tenantId}, '时间线', ${tenant.users.sales_rep.id}, 'C', 'b2b_lead_c') returning id`.execute(
        trx,
      ),
    );
    const leadId = (lead.rows[0] as { id: string }).id;
    await request(`/t/o/${openToken(tenant.tenantId, leadId)}.gif`, {}, '203.0.113.70');
    await request(clickPath(tenant.tenantId, leadId, 'https://example.com/t'), {}, '203.0.113.70');
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    const page = await rep.call('leadEvents.list', { leadId, limit: 1 });
    expect(page.error).toBeNull();
    expect(page.data.items.map((item: { kind: string }) => item.kind)).toEqual(['link_click']);
    const next = await rep.call('leadEvents.list', { leadId, limit: 1, cursor: page.data.nextCursor });
    expect(next.data.items.map((item: { kind: string }) => item.kind)).toEqual(['email_open']);
    expect(next.data.nextCursor).toBeNull();
    const service = await signedInClient(server, tenant.users.service_agent.id, tenant.tenantId);
    expect((await service.call('leadEvents.list', { leadId })).error?.appCode).toBe('LEAD_NOT_FOUND');
    const stranger = await signedInClient(server, other.users.owner.id, other.tenantId);
    expect((await stranger.call('leadEvents.list', { leadId })).error?.appCode).toBe('LEAD_NOT_FOUND');
  });
});

describe('campaigns', () => {
  it('sends to the audience through the outbox with the pixel and tracked links, and counts opens and clicks', async () => {
    const lead = await insertLead(tenant.tenantId, {
      name: '韩营销',
      gradeKey: 'b2b_lead_c',
      grade: 'C',
      email: 'han@example.com',
    });
    await insertLead(tenant.tenantId, { name: '没邮箱', gradeKey: 'b2b_lead_c', grade: 'C' });
    const marketing = await signedInClient(server, tenant.users.marketing.id, tenant.tenantId);
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    expect((await rep.call('marketing.campaigns.list')).error?.appCode).toBe('FORBIDDEN');
    const created = await marketing.call('marketing.campaigns.create', {
      name: '双十二新品发布',
      subject: '{{name}}，新品发布会邀请',
      body: '{{name}} 您好：\n新品详情见 https://example.com/launch?src=mail 。',
      audience: { grades: ['C'] },
    });
    expect(created.error).toBeNull();
    const campaignId = created.data.id;
    const count = await marketing.call('marketing.campaigns.audienceCount', { audience: { grades: ['C'] } });
    expect(count.data.count).toBeGreaterThanOrEqual(1);
    const sent = await marketing.call('marketing.campaigns.send', { id: campaignId });
    expect(sent.error).toBeNull();
    expect(sent.data.sent).toBe(count.data.count);
    expect((await marketing.call('marketing.campaigns.send', { id: campaignId })).error?.appCode).toBe(
      'CAMPAIGN_ALREADY_SENT',
    );

    const outbox = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ subject: string; html_body: string; text_body: string }>`
        select subject, html_body, text_body from email_outbox
        where tenant_id = ${tenant.tenantId} and to_address = 'han@example.com' and kind = 'campaign'`.execute(
        trx,
      ),
    );
    const email = outbox.rows[0];
    expect(email?.subject).toBe('韩营销，新品发布会邀请');
    const pixel = /src="http:\/\/localhost:3000(\/t\/o\/[A-Za-z0-9_-]+\.gif)"/.exec(
      email?.html_body ?? '',
    )?.[1];
    const link = /href="http:\/\/localhost:3000(\/t\/c\/[^"]+)"/
      .exec(email?.html_body ?? '')?.[1]
      ?.replaceAll('&amp;', '&');
    expect(pixel).toBeDefined();
    expect(link).toBeDefined();
    expect(email?.text_body).not.toContain('https://example.com/launch?src=mail ');
    await request(pixel as string, {}, '203.0.113.60');
    const clicked = await request(link as string, {}, '203.0.113.60');
    expect(clicked.headers.get('location')).toBe('https://example.com/launch?src=mail');
    expect((await eventsOf(tenant.tenantId, lead)).map((event) => [event.kind, event.campaign_id])).toEqual([
      ['email_open', campaignId],
      ['link_click', campaignId],
    ]);
    const stats = await marketing.call('marketing.campaigns.get', { id: campaignId });
    expect(stats.data).toMatchObject({ status: 'sent', opened: 1, clicked: 1, replied: 0 });
    expect(stats.data.sent).toBe(sent.data.sent);
  });

  it('renders one email per lead: escapes the body and signs each link for that lead', () => {
    const email = renderCampaignEmail(
      tenant.tenantId,
      { id: crypto.randomUUID(), subject: 'Hi {{name}}', body: '<b>{{name}}</b> see https://example.com/a.' },
      { leadId: crypto.randomUUID(), name: 'Ann & Bob' },
    );
    expect(email.subject).toBe('Hi Ann & Bob');
    expect(email.html).toContain('&lt;b&gt;Ann &amp; Bob&lt;/b&gt;');
    expect(email.html).toContain('>https://example.com/a</a>.');
  });
});
