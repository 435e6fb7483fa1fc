import { jobScope, markLeadConverted, regradeAfterEvents, scanLeadSlas } from '@crm/api';
import { sql } from '@crm/db';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';
import { createCustomerIn, createTeamIn } from './procedure-cases';

/*
 * Leads (线索): a rep creates leads graded by the b2b plugin's grades (set-based in SQL, with
 * the rule that matched and the facts it read), each with a follow-up task due by its grade's
 * limit on the work calendar; the duplicate check against leads and customers; who sees and
 * works which lead; logging the first contact stops the clock (time to first contact in
 * business minutes); status moves, disqualification with a reason, reassignment carrying the
 * follow-up task; the timeline; the list's filters, counts and keyset pages; the conversion's
 * service function.
 */

let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;
let teamId: string;

/** Beijing time (UTC+8) as an instant. */
const beijing = (local: string) => new Date(`${local}+08:00`);
const phone = () => `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '线索测试企业', 'b2b');
  other = await seedTenant(server.database, '另一家企业', 'b2b');
  teamId = await createTeamIn(server, tenant.tenantId, '华东销售组');
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .updateTable('memberships')
      .set({ team_id: teamId })
      .where('tenant_id', '=', tenant.tenantId)
      .where('user_id', 'in', [tenant.users.sales_rep.id, tenant.users.sales_manager.id])
      .execute(),
  );
}, 180_000);
afterAll(() => server?.destroy());
afterEach(() => {
  vi.useRealTimers();
});

async function as(role: keyof SeededTenant['users'], of: SeededTenant = tenant): Promise<TrpcClient> {
  return signedInClient(server, of.users[role].id, of.tenantId);
}

async function followUpTasks(leadId: string) {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const { rows } = await sql<{
      status: string;
      owner_user_id: string | null;
      due_at: Date;
      status_reason: string | null;
      title: string;
    }>`
      select status, owner_user_id, due_at, status_reason, title from tasks
      where tenant_id = ${tenant.tenantId} and related_kind = 'lead' and related_id = ${leadId}::uuid
      order by created_at, id`.execute(trx);
    return rows;
  });
}

describe('leads', () => {
  it('a rep creates an A lead: graded by the rule that matched, with a follow-up task due in 24 business hours', async () => {
    // Friday 11 December 2026, 16:00 in Beijing: "within 24 h" is the next working day, Monday 16:00.
    vi.useFakeTimers({ toFake: ['Date'], now: beijing('2026-12-11T16:00:00') });
    const rep = await as('sales_rep');
    const created = await rep.call('leads.create', {
      personName: '张伟',
      companyName: '苏州精工机械有限公司',
      phone: phone(),
      intent: 'price',
      needs: ['报价', '交期'],
      budget: 200000,
    });
    expect(created.error, JSON.stringify(created.error)).toBeNull();
    const lead = created.data;
    expect(lead).toMatchObject({
      status: 'new',
      grade: 'A',
      gradeKey: 'b2b_lead_a',
      ownerUserId: tenant.users.sales_rep.id,
      teamId,
      followUpHours: 24,
      slaState: expect.any(String),
    });
    expect(lead.gradeReason).toMatchObject({
      rule: 'b2b_lead_a',
      grade: 'A',
      labels: { 'zh-CN': 'A 级：已索要报价或方案' },
      when: { field: 'intent', op: 'in', value: ['price', 'proposal'] },
      followUpWithinHours: 24,
      facts: { intent: 'price' },
    });
    expect(lead.followUpDueAt).toBe(beijing('2026-12-14T16:00:00').toISOString());
    const tasks = await followUpTasks(lead.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: 'open', owner_user_id: tenant.users.sales_rep.id });
    expect(new Date(tasks[0]?.due_at as Date).toISOString()).toBe(
      beijing('2026-12-14T16:00:00').toISOString(),
    );
    expect(lead.timeline.map((item: { type: string }) => item.type).sort()).toEqual(['grade', 'history']);
    expect(lead.followUpTask).toMatchObject({ status: 'open' });
  });

  it('C is the rest (a lead that only browsed), with a week of working days to nurture it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: beijing('2026-12-14T10:00:00') });
    const rep = await as('sales_rep');
    const { data, error } = await rep.call('leads.create', {
      personName: '李娜',
      email: `lina.${Date.now()}@example.com`,
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ grade: 'C', followUpHours: 168 });
    expect(data.gradeReason).toMatchObject({ rule: 'b2b_lead_c', facts: {} });
    // 7 working days after Monday 14 December 10:00: Wednesday 23 December 10:00.
    expect(data.followUpDueAt).toBe(beijing('2026-12-23T10:00:00').toISOString());
  });

  it('the duplicate check finds leads with the same phone or email and the same customer; create refuses unless forced', async () => {
    const rep = await as('sales_rep');
    const number = phone();
    const first = await rep.call('leads.create', { personName: '王芳', phone: number, intent: 'features' });
    expect(first.error).toBeNull();
    expect(first.data.grade).toBe('B');
    const check = await rep.call('leads.checkDuplicates', { personName: '王芳', phone: ` ${number} ` });
    expect(check.error).toBeNull();
    expect(check.data.leads).toEqual([expect.objectContaining({ id: first.data.id, reasons: ['phone'] })]);
    const again = await rep.call('leads.create', { personName: '王芳', phone: number });
    expect(again.error?.appCode).toBe('LEAD_DUPLICATE');
    expect(again.error?.code).toBe('CONFLICT');
    // The rep's manager sees it too (their team's lead).
    const manager = await as('sales_manager');
    expect((await manager.call('leads.checkDuplicates', { phone: number })).data.leads).toHaveLength(1);
    const forced = await rep.call('leads.create', { personName: '王芳', phone: number, force: true });
    expect(forced.error).toBeNull();

    // A customer with the same company name (the identity rule of wave 1).
    const company = `杭州云帆科技有限公司${Date.now()}`;
    await createCustomerIn(server, tenant.tenantId, company, false, tenant.users.sales_rep.id);
    const customerCheck = await rep.call('leads.checkDuplicates', { companyName: company });
    expect(customerCheck.data.customers.matches[0]).toMatchObject({
      exact: true,
      customer: { name: company },
    });
    const refused = await rep.call('leads.create', { companyName: company });
    expect(refused.error?.appCode).toBe('LEAD_DUPLICATE');
  });

  it('who sees and works which lead: rep own, manager team, marketing creates unassigned, analyst reads', async () => {
    const rep = await as('sales_rep');
    const manager = await as('sales_manager');
    const marketing = await as('marketing');
    const analyst = await as('analyst');
    const agent = await as('service_agent');
    const mine = (await rep.call('leads.create', { personName: '赵磊', phone: phone() })).data;
    expect((await manager.call('leads.get', { id: mine.id })).error).toBeNull();
    expect((await analyst.call('leads.get', { id: mine.id })).error).toBeNull();
    expect((await agent.call('leads.get', { id: mine.id })).error?.appCode).toBe('LEAD_NOT_FOUND');
    expect((await analyst.call('leads.move', { id: mine.id, to: 'contacted' })).error?.appCode).toBe(
      'FORBIDDEN',
    );

    const fromMarketing = await marketing.call('leads.create', {
      companyName: `展会线索${Date.now()}`,
      phone: phone(),
      source: 'event',
      campaign: '2026 工博会',
    });
    expect(fromMarketing.error).toBeNull();
    expect(fromMarketing.data).toMatchObject({ ownerUserId: null, source: 'event' });
    // Nobody owns it: the rep does not see it; marketing may not give it to someone (leads.manage).
    expect((await rep.call('leads.get', { id: fromMarketing.data.id })).error?.appCode).toBe(
      'LEAD_NOT_FOUND',
    );
    const named = await marketing.call('leads.create', {
      personName: '钱多多',
      phone: phone(),
      ownerUserId: tenant.users.sales_rep.id,
    });
    expect(named.error?.appCode).toBe('FORBIDDEN');
    // A rep cannot reassign; a manager can, and the follow-up task moves with the lead.
    expect(
      (await rep.call('leads.reassign', { id: mine.id, ownerUserId: tenant.users.sales_manager.id })).error
        ?.appCode,
    ).toBe('FORBIDDEN');
    const moved = await manager.call('leads.reassign', {
      id: mine.id,
      ownerUserId: tenant.users.sales_manager.id,
      note: '客户在上海',
    });
    expect(moved.error).toBeNull();
    expect(moved.data.ownerUserId).toBe(tenant.users.sales_manager.id);
    expect((await followUpTasks(mine.id)).map((task) => task.owner_user_id)).toEqual([
      tenant.users.sales_manager.id,
    ]);
    expect(
      moved.data.timeline.find(
        (item: { type: string; kind?: string }) => item.type === 'history' && item.kind === 'owner',
      ),
    ).toMatchObject({ reason: 'manual', note: '客户在上海', toOwnerName: tenant.users.sales_manager.name });
    expect((await rep.call('leads.get', { id: mine.id })).error?.appCode).toBe('LEAD_NOT_FOUND');

    // Another tenant sees nothing of it.
    const stranger = await as('owner', other);
    expect((await stranger.call('leads.get', { id: mine.id })).error?.appCode).toBe('LEAD_NOT_FOUND');
    expect((await stranger.call('leads.list', {})).data.items).toEqual([]);
  });

  it('the first logged contact stops the clock: its task done, time to first contact in business minutes, contacted', async () => {
    // Created Friday 17:00; called Monday 10:00: one working hour on Friday, one on Monday → 120 minutes.
    vi.useFakeTimers({ toFake: ['Date'], now: beijing('2026-12-11T17:00:00') });
    const rep = await as('sales_rep');
    const { data: lead } = await rep.call('leads.create', {
      personName: '孙丽',
      phone: phone(),
      intent: 'proposal',
    });
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update leads set created_at = ${beijing('2026-12-11T17:00:00').toISOString()}::timestamptz
        where tenant_id = ${tenant.tenantId} and id = ${lead.id}::uuid`.execute(trx),
    );
    vi.setSystemTime(beijing('2026-12-14T10:00:00'));
    const logged = await rep.call('leads.logContact', {
      id: lead.id,
      kind: 'call',
      summary: '已电话沟通，约下周拜访',
    });
    expect(logged.error, JSON.stringify(logged.error)).toBeNull();
    expect(logged.data).toMatchObject({
      status: 'contacted',
      contactCount: 1,
      firstContactMinutes: 120,
      slaState: 'met',
    });
    expect(await followUpTasks(lead.id)).toEqual([
      expect.objectContaining({ status: 'done', status_reason: 'contacted' }),
    ]);
    // A second contact changes neither the first contact nor the task.
    const second = await rep.call('leads.logContact', { id: lead.id, kind: 'visit' });
    expect(second.data).toMatchObject({ contactCount: 2, firstContactMinutes: 120 });
    const future = await rep.call('leads.logContact', {
      id: lead.id,
      kind: 'call',
      occurredAt: beijing('2026-12-20T10:00:00').toISOString(),
    });
    expect(future.error?.appCode).toBe('LEAD_CONTACT_IN_FUTURE');
  });

  it('an edit re-grades the lead (a new follow-up task, the old one closed); status moves; disqualify with a reason', async () => {
    const rep = await as('sales_rep');
    const manager = await as('sales_manager');
    const { data: lead } = await rep.call('leads.create', {
      personName: '周杰',
      phone: phone(),
      intent: 'browsed',
    });
    expect(lead.grade).toBe('C');
    const edited = await rep.call('leads.update', { id: lead.id, intent: 'price', budget: 80000 });
    expect(edited.error).toBeNull();
    expect(edited.data).toMatchObject({ grade: 'A', budget: '80000.00', followUpHours: 24 });
    const tasks = await followUpTasks(lead.id);
    expect(tasks.map((task) => [task.status, task.status_reason])).toEqual([
      ['done', 'regraded'],
      ['open', null],
    ]);
    const grades = edited.data.timeline.filter((item: { type: string }) => item.type === 'grade');
    expect(grades[0]).toMatchObject({
      fromGrade: 'C',
      toGrade: 'A',
      byKind: 'grade_rule',
      ruleKey: 'b2b_lead_a',
    });

    expect((await rep.call('leads.move', { id: lead.id, to: 'qualified' })).data.status).toBe('qualified');
    expect((await rep.call('leads.disqualify', { id: lead.id, reason: 'no_budget' })).error?.appCode).toBe(
      'FORBIDDEN',
    );
    const out = await manager.call('leads.disqualify', {
      id: lead.id,
      reason: 'no_budget',
      note: '预算取消',
    });
    expect(out.error).toBeNull();
    expect(out.data).toMatchObject({
      status: 'disqualified',
      disqualifyReason: 'no_budget',
      disqualifyNote: '预算取消',
    });
    expect((await followUpTasks(lead.id)).every((task) => task.status === 'done')).toBe(true);
    // A rep cannot reopen it; a manager can.
    expect((await rep.call('leads.move', { id: lead.id, to: 'contacted' })).error?.appCode).toBe('FORBIDDEN');
    expect((await manager.call('leads.move', { id: lead.id, to: 'contacted' })).data.status).toBe(
      'contacted',
    );
  });

  it('markLeadConverted (the conversion) closes the lead for good', async () => {
    const rep = await as('sales_rep');
    const { data: lead } = await rep.call('leads.create', {
      companyName: `转化测试${Date.now()}`,
      phone: phone(),
    });
    const customerId = await createCustomerIn(server, tenant.tenantId, `转化客户${Date.now()}`);
    const converted = await server.database.withTenant(tenant.tenantId, (trx) =>
      markLeadConverted(jobScope(trx, tenant.tenantId), lead.id, { customerId }),
    );
    expect(converted).toMatchObject({ status: 'converted', convertedCustomerId: customerId });
    expect((await rep.call('leads.update', { id: lead.id, notes: '改' })).error?.appCode).toBe(
      'LEAD_CONVERTED',
    );
    expect((await followUpTasks(lead.id)).map((task) => task.status_reason)).toEqual(['converted']);
  });

  it('the list filters, counts and pages by keyset', async () => {
    const admin = await as('admin');
    const campaign = `分页测试${Date.now()}`;
    for (let index = 0; index < 5; index++) {
      const created = await admin.call('leads.create', {
        personName: `分页${index}`,
        phone: phone(),
        campaign,
        intent: index % 2 === 0 ? 'price' : 'features',
        ownerUserId: tenant.users.sales_rep.id,
      });
      expect(created.error).toBeNull();
    }
    const first = await admin.call('leads.list', { campaign, limit: 2 });
    expect(first.data.items.map((item: { name: string }) => item.name)).toEqual(['分页4', '分页3']);
    const second = await admin.call('leads.list', { campaign, limit: 2, cursor: first.data.nextCursor });
    const third = await admin.call('leads.list', { campaign, limit: 2, cursor: second.data.nextCursor });
    expect([...second.data.items, ...third.data.items].map((item: { name: string }) => item.name)).toEqual([
      '分页2',
      '分页1',
      '分页0',
    ]);
    expect(third.data.nextCursor).toBeNull();
    const byDue = await admin.call('leads.list', { campaign, sort: 'due_asc', limit: 3 });
    expect(byDue.data.items.map((item: { grade: string }) => item.grade)).toEqual(['A', 'A', 'A']);
    const grades = await admin.call('leads.list', { campaign, grades: ['B'] });
    expect(grades.data.items).toHaveLength(2);
    const counts = await admin.call('leads.counts', { campaign, grades: ['A'] });
    expect(counts.data).toMatchObject({ total: 3, byStatus: { new: 3 } });
    expect(counts.data.byGrade).toEqual([
      { grade: 'A', count: 3 },
      { grade: 'B', count: 2 },
    ]);
    const search = await admin.call('leads.list', { search: '分页3' });
    expect(search.data.items.map((item: { name: string }) => item.name)).toEqual(['分页3']);
    const bad = await admin.call('leads.list', { cursor: 'not-a-cursor' });
    expect(bad.error?.appCode).toBe('INVALID_CURSOR');
    const grades2 = await admin.call('leads.grades');
    expect(grades2.data.map((grade: { grade: string }) => grade.grade)).toEqual(['A', 'B', 'C']);
  });

  it('a breach is flagged once: the owner told, the manager told with a 督办 task; a late contact is missed', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: beijing('2026-12-11T16:00:00') });
    const rep = await as('sales_rep');
    const { data: lead } = await rep.call('leads.create', {
      personName: '吴敏',
      phone: phone(),
      intent: 'price',
    });
    expect(lead.followUpDueAt).toBe(beijing('2026-12-14T16:00:00').toISOString());
    const scan = (at: Date) =>
      server.database.withTenant(tenant.tenantId, (trx) => scanLeadSlas(jobScope(trx, tenant.tenantId), at));
    // Not yet at Monday 15:59; breached at 16:01, once.
    await scan(beijing('2026-12-14T15:59:00'));
    const before = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('leads').select('sla_breached_at').where('id', '=', lead.id).executeTakeFirstOrThrow(),
    );
    expect(before.sla_breached_at).toBeNull();
    expect((await scan(beijing('2026-12-14T16:01:00'))).breached).toBeGreaterThanOrEqual(1);
    expect((await scan(beijing('2026-12-14T16:06:00'))).breached).toBe(0);
    const notes = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows } = await sql<{ user_id: string; kind: string }>`
        select user_id, kind from notifications
        where tenant_id = ${tenant.tenantId} and entity_id = ${lead.id}::uuid order by kind`.execute(trx);
      return rows;
    });
    expect(notes).toEqual([
      { user_id: tenant.users.sales_manager.id, kind: 'lead_escalated' },
      { user_id: tenant.users.sales_rep.id, kind: 'lead_sla_breach' },
    ]);
    // Both made while the clock is held still (the same instant on the embedded database): in any order.
    const tasks = await followUpTasks(lead.id);
    expect(tasks.map((task) => [task.status, task.owner_user_id])).toHaveLength(2);
    expect(tasks.map((task) => [task.status, task.owner_user_id])).toEqual(
      expect.arrayContaining([
        ['open', tenant.users.sales_rep.id],
        ['open', tenant.users.sales_manager.id],
      ]),
    );
    vi.setSystemTime(beijing('2026-12-14T17:00:00'));
    const logged = await (await as('sales_rep')).call('leads.logContact', { id: lead.id, kind: 'call' });
    expect(logged.error, JSON.stringify(logged.error)).toBeNull();
    expect(logged.data).toMatchObject({
      slaState: 'missed',
      slaBreachedAt: beijing('2026-12-14T16:01:00').toISOString(),
    });
  });

  it("a hosted form's ungraded lead is graded by the event-driven run, with its follow-up task", async () => {
    const leadId = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows } = await sql<{ id: string }>`
        with lead as (
          insert into leads (tenant_id, person_name, phone, source, intent)
          values (${tenant.tenantId}, '表单访客', ${phone()}, 'web_form', 'features') returning id
        ), event as (
          insert into lead_events (tenant_id, lead_id, kind) select ${tenant.tenantId}, id, 'form_submit' from lead
        )
        select id from lead`.execute(trx);
      return (rows[0] as { id: string }).id;
    });
    await server.database.withTenant(tenant.tenantId, (trx) =>
      regradeAfterEvents(jobScope(trx, tenant.tenantId), server.dependencies.plugins),
    );
    const admin = await as('admin');
    const { data } = await admin.call('leads.get', { id: leadId });
    expect(data).toMatchObject({ grade: 'B', followUpHours: 48, ownerUserId: null });
    expect(data.followUpTask).toMatchObject({ status: 'open' });
  });
});
