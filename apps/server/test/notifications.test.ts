import { jobScope, notifyUsers, queueDailyDigests } from '@crm/api';
import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';

let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '通知企业');
  other = await seedTenant(server.database, '另一家企业');
});
afterAll(() => server.destroy());

function notify(tenantId: string, drafts: Parameters<typeof notifyUsers>[1]) {
  return server.database.withTenant(tenantId, (trx) => notifyUsers(jobScope(trx, tenantId), drafts));
}

async function outboxOf(tenantId: string) {
  return server.database.withTenant(tenantId, (trx) =>
    trx
      .selectFrom('email_outbox')
      .select(['to_address', 'subject', 'text_body', 'html_body', 'kind', 'status', 'dedup_key'])
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .execute(),
  );
}

describe('notifyUsers', () => {
  it('writes in-app notifications and, for members who want the kind by email, emails in their language, in one statement', async () => {
    const rep = tenant.users.sales_rep;
    const manager = tenant.users.sales_manager;
    await server.database.withScope({}, (trx) =>
      trx.updateTable('users').set({ locale: 'en' }).where('id', '=', manager.id).execute(),
    );
    const customerId = crypto.randomUUID();
    const written = await notify(tenant.tenantId, [
      {
        userId: rep.id,
        kind: 'task_assigned',
        message: 'task_assigned',
        params: { title: '拜访华东电力', due: '2026-12-08' },
        link: `/customers/${customerId}`,
        entity: { kind: 'customer', id: customerId },
      },
      // plan_approval goes by email by default; the manager reads English.
      {
        userId: manager.id,
        kind: 'plan_approval',
        message: 'plan_approval',
        params: { customer: '华东电力', requester: '张三', plan: '战略客户月度拜访' },
        link: '/customers',
      },
      // Not a member of this tenant: skipped.
      { userId: other.users.sales_rep.id, kind: 'reminder', message: 'reminder', params: { title: 'x' } },
    ]);
    expect(written).toEqual({ inApp: 2, emails: 1 });
    const emails = await outboxOf(tenant.tenantId);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      to_address: manager.email,
      subject: 'Maintenance plan awaiting approval: 华东电力',
      kind: 'plan_approval',
      status: 'queued',
    });
    expect(emails[0]?.text_body).toContain('张三 submitted “战略客户月度拜访” for approval');
    expect(emails[0]?.text_body).toContain('http://localhost:3000/customers');
    const otherRows = await server.database.withTenant(other.tenantId, (trx) =>
      trx.selectFrom('notifications').select('id').execute(),
    );
    expect(otherRows).toEqual([]);
  });

  it('honours preferences: email on, in-app off', async () => {
    const agent = tenant.users.service_agent;
    const client = await signedInClient(server, agent.id, tenant.tenantId);
    const saved = await client.call('notifications.updatePreferences', {
      preferences: [{ kind: 'reminder', inApp: false, email: true }],
    });
    expect(saved.error).toBeNull();
    expect(saved.data.find((row: { kind: string }) => row.kind === 'reminder')).toEqual({
      kind: 'reminder',
      inApp: false,
      email: true,
      emailOnly: false,
    });
    const written = await notify(tenant.tenantId, [
      {
        userId: agent.id,
        kind: 'reminder',
        message: 'reminder',
        params: { title: '王总生日', detail: '12月10日' },
      },
    ]);
    expect(written).toEqual({ inApp: 0, emails: 1 });
    const emails = await outboxOf(tenant.tenantId);
    expect(emails.at(-1)).toMatchObject({ to_address: agent.email, subject: '提醒：王总生日' });
    // HTML escapes what callers pass.
    await notify(tenant.tenantId, [
      {
        userId: agent.id,
        kind: 'reminder',
        message: 'reminder',
        params: { title: '<b>x</b>', detail: '<script>' },
      },
    ]);
    const html = (await outboxOf(tenant.tenantId)).at(-1)?.html_body ?? '';
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('notifies once per dedup key, however often it is asked, and writes nothing when the caller rolls back', async () => {
    const rep = tenant.users.sales_rep;
    const draft = {
      userId: rep.id,
      kind: 'task_overdue' as const,
      message: 'task_overdue' as const,
      params: { title: '回访', due: '2026-12-01' },
      dedupKey: 'task-overdue:1',
    };
    expect(await notify(tenant.tenantId, [draft, draft])).toEqual({ inApp: 1, emails: 0 });
    expect(await notify(tenant.tenantId, [draft])).toEqual({ inApp: 0, emails: 0 });

    const before = await countNotifications(tenant.tenantId);
    await expect(
      server.database.withTenant(tenant.tenantId, async (trx) => {
        await notifyUsers(jobScope(trx, tenant.tenantId), [{ ...draft, dedupKey: 'rolled-back' }]);
        throw new Error('the caller fails');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await countNotifications(tenant.tenantId)).toBe(before);
  });

  it('refuses a link that leaves the product', async () => {
    await expect(
      notify(tenant.tenantId, [
        {
          userId: tenant.users.viewer.id,
          kind: 'reminder',
          message: 'reminder',
          link: '//evil.example.com/x',
        },
      ]),
    ).rejects.toThrow();
  });
});

async function countNotifications(tenantId: string) {
  const { rows } = await server.database.withTenant(tenantId, (trx) =>
    sql<{ n: number }>`select count(*)::int as n from notifications`.execute(trx),
  );
  return Number(rows[0]?.n);
}

describe('a member’s inbox', () => {
  it('lists, counts and marks read only the member’s own notifications, in the reader’s language', async () => {
    const analyst = tenant.users.analyst;
    const marketing = tenant.users.marketing;
    // One transaction each: the newest first is by creation time.
    for (let index = 0; index < 5; index += 1) {
      await notify(tenant.tenantId, [
        {
          userId: analyst.id,
          kind: 'reminder',
          message: 'reminder',
          params: { title: `分析提醒${index}` },
          link: '/customers',
        },
      ]);
    }
    await notify(tenant.tenantId, [
      { userId: marketing.id, kind: 'reminder', message: 'reminder', params: { title: '市场部的提醒' } },
    ]);
    const a = await signedInClient(server, analyst.id, tenant.tenantId);
    const b = await signedInClient(server, marketing.id, tenant.tenantId);

    const count = await a.call('notifications.unreadCount');
    expect(count.data.count).toBe(5);
    const first = await a.call('notifications.list', { limit: 3 });
    expect(first.data.items.map((item: { title: string }) => item.title)).toEqual([
      '提醒：分析提醒4',
      '提醒：分析提醒3',
      '提醒：分析提醒2',
    ]);
    const second = await a.call('notifications.list', { limit: 3, cursor: first.data.nextCursor });
    expect(second.data.items).toHaveLength(2);
    expect(second.data.nextCursor).toBeNull();
    const english = await a.call('notifications.list', { limit: 1 }, { 'x-locale': 'en' });
    expect(english.data.items[0].title).toBe('Reminder: 分析提醒4');

    // B cannot see or mark A's.
    const seenByB = await b.call('notifications.list', {});
    expect(seenByB.body).not.toContain('分析提醒');
    const ids = first.data.items.map((item: { id: string }) => item.id);
    const forged = await b.call('notifications.markRead', { ids });
    expect(forged.data.updated).toBe(0);
    expect((await a.call('notifications.unreadCount')).data.count).toBe(5);

    // A marks one read: the version changes, the unread filter drops it.
    const version = count.data.version;
    const marked = await a.call('notifications.markRead', { ids: [ids[0]] });
    expect(marked.data).toMatchObject({ updated: 1, unread: { count: 4 } });
    expect(marked.data.unread.version).not.toBe(version);
    const unread = await a.call('notifications.list', { unreadOnly: true });
    expect(unread.data.items.map((item: { id: string }) => item.id)).not.toContain(ids[0]);
    // Unchanged when nothing changed, changed by a new notification.
    const still = await a.call('notifications.unreadCount');
    expect(still.data.version).toBe(marked.data.unread.version);
    await notify(tenant.tenantId, [{ userId: analyst.id, kind: 'reminder', message: 'reminder' }]);
    const after = await a.call('notifications.unreadCount');
    expect(after.data.count).toBe(5);
    expect(after.data.version).not.toBe(still.data.version);

    const all = await a.call('notifications.markRead', { all: true });
    expect(all.data).toMatchObject({ updated: 5, unread: { count: 0 } });
    expect((await b.call('notifications.unreadCount')).data.count).toBe(1);
  });

  it('shows every kind in the preferences, with defaults; the digest is email only', async () => {
    const viewer = await signedInClient(server, tenant.users.viewer.id, tenant.tenantId);
    const preferences = await viewer.call('notifications.preferences');
    expect(preferences.data.find((row: { kind: string }) => row.kind === 'digest')).toEqual({
      kind: 'digest',
      inApp: false,
      email: true,
      emailOnly: true,
    });
    const saved = await viewer.call('notifications.updatePreferences', {
      preferences: [{ kind: 'digest', inApp: true, email: false }],
    });
    expect(saved.data.find((row: { kind: string }) => row.kind === 'digest')).toMatchObject({
      inApp: false,
      email: false,
    });
  });
});

describe('the daily digest', () => {
  it('emails each member who wants it their tasks due today and overdue, once per day, in their language', async () => {
    const digestTenant = await seedTenant(server.database, '摘要企业');
    const rep = digestTenant.users.sales_rep;
    const marketing = digestTenant.users.marketing;
    const day = '2026-12-08';
    await server.database.withTenant(digestTenant.tenantId, async (trx) => {
      const customer = await trx
        .insertInto('customers')
        .values({ tenant_id: digestTenant.tenantId, name: '华东电力', kind: 'company' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const task = (title: string, owner: string, dueOn: string, status: 'open' | 'done' = 'open') => ({
        tenant_id: digestTenant.tenantId,
        title,
        type: 'call' as const,
        owner_user_id: owner,
        customer_id: customer.id,
        due_on: dueOn,
        status,
        closed_at: status === 'open' ? null : new Date(),
      });
      await trx
        .insertInto('tasks')
        .values([
          task('今日回访', rep.id, day),
          task('上周的拜访', rep.id, '2026-12-01'),
          task('下周的需求回顾', rep.id, '2026-12-15'),
          task('已完成的任务', rep.id, '2026-12-02', 'done'),
          task('市场部的任务', marketing.id, day),
        ])
        .execute();
    });
    // Marketing turned the digest off.
    const marketingClient = await signedInClient(server, marketing.id, digestTenant.tenantId);
    await marketingClient.call('notifications.updatePreferences', {
      preferences: [{ kind: 'digest', inApp: false, email: false }],
    });

    const run = () =>
      server.database.withTenant(digestTenant.tenantId, (trx) =>
        queueDailyDigests(jobScope(trx, digestTenant.tenantId), day),
      );
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    const emails = await outboxOf(digestTenant.tenantId);
    expect(emails).toHaveLength(1);
    const digest = emails[0];
    expect(digest).toMatchObject({
      to_address: rep.email,
      kind: 'digest',
      dedup_key: `digest:${rep.id}:${day}`,
    });
    expect(digest?.subject).toBe('今日工作摘要（2026-12-08）：今日到期 1 项，逾期 1 项');
    expect(digest?.text_body).toContain('【逾期】上周的拜访（华东电力） · 2026-12-01');
    expect(digest?.text_body).toContain('今日回访（华东电力） · 2026-12-08');
    expect(digest?.text_body).not.toContain('下周的需求回顾');
    expect(digest?.text_body).not.toContain('已完成的任务');
    expect(digest?.text_body).toContain('http://localhost:3000/tasks');
  });
  it('counts the maintenance plans waiting for each approver, over the customers they may decide', async () => {
    const approvalTenant = await seedTenant(server.database, '审批摘要企业');
    const { owner, admin, sales_manager: manager, sales_rep: rep, analyst } = approvalTenant.users;
    const day = '2026-12-08';
    await server.database.withTenant(approvalTenant.tenantId, async (trx) => {
      const team = await trx
        .insertInto('teams')
        .values({ tenant_id: approvalTenant.tenantId, name: '华东销售部' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('memberships')
        .set({ team_id: team.id })
        .where('tenant_id', '=', approvalTenant.tenantId)
        .where('user_id', 'in', [rep.id, manager.id])
        .execute();
      const customers = await trx
        .insertInto('customers')
        .values([
          { tenant_id: approvalTenant.tenantId, name: '团队客户', kind: 'company', owner_user_id: rep.id },
          {
            tenant_id: approvalTenant.tenantId,
            name: '分析员的客户',
            kind: 'company',
            owner_user_id: analyst.id,
          },
          { tenant_id: approvalTenant.tenantId, name: '无人负责的客户', kind: 'company' },
        ])
        .returning('id')
        .execute();
      const plan = (customerId: string, status: 'pending' | 'active') => ({
        tenant_id: approvalTenant.tenantId,
        customer_id: customerId,
        cadence_key: 'b2b.visit',
        tier: 'strategic',
        status,
        anchor_on: day,
        submitted_at: status === 'pending' ? new Date() : null,
      });
      await trx
        .insertInto('maintenance_plans')
        .values([
          plan(customers[0]!.id, 'pending'),
          plan(customers[1]!.id, 'pending'),
          plan(customers[2]!.id, 'pending'),
          { ...plan(customers[0]!.id, 'active'), cadence_key: 'b2b.call' },
        ])
        .execute();
    });
    const queued = await server.database.withTenant(approvalTenant.tenantId, (trx) =>
      queueDailyDigests(jobScope(trx, approvalTenant.tenantId), day),
    );
    const emails = await outboxOf(approvalTenant.tenantId);
    const byAddress = new Map(emails.map((email) => [email.to_address, email]));
    // Owner and admin decide every pending plan; the manager those of the team's customers;
    // a rep and an analyst decide none, and nobody has tasks: no digest for them.
    expect(queued).toBe(3);
    expect(byAddress.get(owner.email)?.subject).toBe('今日工作摘要（2026-12-08）：待你审批的维护计划 3 个');
    expect(byAddress.get(admin.email)?.text_body).toContain('待你审批的维护计划 3 个');
    expect(byAddress.get(manager.email)?.subject).toBe('今日工作摘要（2026-12-08）：待你审批的维护计划 1 个');
    expect(byAddress.get(manager.email)?.text_body).toContain('/plans/approvals');
    expect(byAddress.get(manager.email)?.text_body).not.toContain('今日到期');
    expect(byAddress.has(rep.email)).toBe(false);
    expect(byAddress.has(analyst.email)).toBe(false);
  });
});
