import { jobScope, scanTicketSlas } from '@crm/api';
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
import { createCustomerIn, createTicketIn } from './procedure-cases';

/*
 * Tickets (工单) on the work calendar with a fixed clock: a complaint interaction becomes a
 * ticket whose SLA runs in working time (Friday 16:00, the weekend and a company holiday on
 * Monday do not count); the first-response warning, the breach and the manager's escalation
 * fire on Tuesday, once each; a reply stops the response clock; waiting on the customer
 * pauses the clock and answering resumes it; closing enqueues `tickets.closed`; who sees and
 * works which ticket; the KPIs against a hand-computed fixture.
 */

let server: TestServer;
let tenant: SeededTenant;

const at = (iso: string) => new Date(iso);
/** Beijing time (UTC+8) as an instant. */
const beijing = (local: string) => new Date(`${local}+08:00`);

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '工单测试企业', 'b2b');
}, 60_000);
afterAll(() => server?.destroy());
afterEach(() => {
  vi.useRealTimers();
});

async function as(role: keyof SeededTenant['users']): Promise<TrpcClient> {
  return signedInClient(server, tenant.users[role].id, tenant.tenantId);
}

function scan(now: Date) {
  return server.database.withTenant(tenant.tenantId, (trx) =>
    scanTicketSlas(jobScope(trx, tenant.tenantId), now),
  );
}

async function slaTasks(ticketId: string) {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const { rows } = await sql<{ source_key: string; owner_user_id: string | null; status: string }>`
      select source_key, owner_user_id, status from tasks
      where tenant_id = ${tenant.tenantId} and related_kind = 'ticket' and related_id = ${ticketId}::uuid
      order by created_at, source_key`.execute(trx);
    return rows;
  });
}

async function notificationsOf(userId: string, ticketId: string) {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const { rows } = await sql<{ kind: string; message_key: string }>`
      select kind, message_key from notifications
      where tenant_id = ${tenant.tenantId} and user_id = ${userId}::uuid and entity_id = ${ticketId}::uuid
      order by created_at, kind`.execute(trx);
    return rows;
  });
}

describe('tickets on the work calendar', () => {
  it('a complaint becomes a ticket whose warning, breach and escalation fire across a weekend and a holiday', async () => {
    // Friday 11 December 2026, 16:00 in Beijing; Monday 14 December is a company day off.
    vi.useFakeTimers({ toFake: ['Date'], now: beijing('2026-12-11T16:00:00') });
    const admin = await as('admin');
    expect(
      (await admin.call('calendar.setOverride', { day: '2026-12-14', working: false, name: '公司年会' }))
        .error,
    ).toBeNull();
    // High-priority tickets: first response within 6 working hours, resolution within 16.
    const policy = await admin.call('tickets.saveSlaPolicy', {
      priority: 'high',
      tier: null,
      firstResponseMinutes: 360,
      resolutionMinutes: 960,
      mode: 'business',
    });
    expect(policy.error, JSON.stringify(policy.error)).toBeNull();

    const rep = await as('sales_rep');
    const customerId = await createCustomerIn(
      server,
      tenant.tenantId,
      '华辰工业',
      false,
      tenant.users.sales_rep.id,
    );
    const logged = await rep.call('interactions.log', {
      customerId,
      kind: 'call',
      summary: '客户来电投诉：到货的轴承有锈蚀，要求尽快换货',
      sentiment: 'complaint',
    });
    expect(logged.error).toBeNull();
    const created = await rep.call('tickets.createFromInteraction', { interactionId: logged.data.id });
    expect(created.error, JSON.stringify(created.error)).toBeNull();
    const ticket = created.data.ticket;
    expect(ticket).toMatchObject({ type: 'complaint', priority: 'high', channel: 'phone', status: 'new' });
    expect(ticket.sla.policy).toBe('tenant:*/high');
    // 2 h on Friday, nothing at the weekend or on the holiday, 4 h on Tuesday (lunch 12:00–13:30 not counted).
    expect(ticket.sla.firstResponseDueAt).toBe(beijing('2026-12-15T14:30:00').toISOString());
    // 2 h Friday + 7.5 h Tuesday + 6.5 h Wednesday.
    expect(ticket.sla.resolutionDueAt).toBe(beijing('2026-12-16T17:00:00').toISOString());
    expect(ticket.sla.state).toBe('on_track');
    // The same interaction makes no second ticket.
    const again = await rep.call('tickets.createFromInteraction', { interactionId: logged.data.id });
    expect(again.error?.appCode).toBe('TICKET_INTERACTION_TAKEN');

    const manager = await as('sales_manager');
    const assigned = await manager.call('tickets.assign', {
      id: ticket.id,
      assigneeUserId: tenant.users.service_agent.id,
    });
    expect(assigned.error, JSON.stringify(assigned.error)).toBeNull();
    const agentId = tenant.users.service_agent.id;

    // The holiday and Tuesday before 11:48 (80 % of 6 h) fire nothing.
    expect(await scan(beijing('2026-12-14T16:00:00'))).toMatchObject({
      warnings: 0,
      breaches: 0,
      escalations: 0,
    });
    expect(await scan(beijing('2026-12-15T11:47:00'))).toMatchObject({
      warnings: 0,
      breaches: 0,
      escalations: 0,
    });
    // 11:49: the first-response warning, once.
    expect(await scan(beijing('2026-12-15T11:49:00'))).toMatchObject({
      warnings: 1,
      breaches: 0,
      escalations: 0,
    });
    expect(await scan(beijing('2026-12-15T11:50:00'))).toMatchObject({
      warnings: 0,
      breaches: 0,
      escalations: 0,
    });
    expect(await slaTasks(ticket.id)).toEqual([
      { source_key: `ticket:${ticket.id}:first_response:1:0`, owner_user_id: agentId, status: 'open' },
    ]);
    expect(await notificationsOf(agentId, ticket.id)).toEqual(
      expect.arrayContaining([
        { kind: 'ticket_sla_warning', message_key: 'ticket_sla_warning_first_response' },
      ]),
    );
    vi.setSystemTime(beijing('2026-12-15T11:55:00'));
    const agent = await as('service_agent');
    const atRisk = await agent.call('tickets.list', { view: 'mine' });
    expect(
      atRisk.data.items.map((item: { id: string; sla: { state: string } }) => [item.id, item.sla.state]),
    ).toEqual([[ticket.id, 'at_risk']]);

    // 14:31: breached — the assignee is told; 16:01 (125 %): the managers are.
    expect(await scan(beijing('2026-12-15T14:31:00'))).toMatchObject({ breaches: 1, escalations: 0 });
    expect(await scan(beijing('2026-12-15T16:01:00'))).toMatchObject({ breaches: 0, escalations: 1 });
    expect(await scan(beijing('2026-12-15T16:05:00'))).toMatchObject({
      warnings: 0,
      breaches: 0,
      escalations: 0,
    });
    const keys = (await slaTasks(ticket.id)).map((task) => task.source_key);
    expect(keys).toEqual([
      `ticket:${ticket.id}:first_response:1:0`,
      `ticket:${ticket.id}:first_response:2:0`,
      `ticket:${ticket.id}:first_response:3:0`,
    ]);
    expect((await notificationsOf(agentId, ticket.id)).map((row) => row.kind)).toEqual(
      expect.arrayContaining(['ticket_sla_warning', 'ticket_sla_breach']),
    );
    // No team: the escalation goes to the tenant's admins and owners.
    expect((await notificationsOf(tenant.users.admin.id, ticket.id)).map((row) => row.kind)).toContain(
      'ticket_escalated',
    );
    expect((await notificationsOf(tenant.users.owner.id, ticket.id)).map((row) => row.kind)).toContain(
      'ticket_escalated',
    );

    // The agent answers at 16:10: the response clock stops (late), its tasks close.
    vi.setSystemTime(beijing('2026-12-15T16:10:00'));
    const agentNow = await as('service_agent');
    const replied = await agentNow.call('tickets.reply', {
      id: ticket.id,
      body: '您好，已为您安排换货，今天发出。',
    });
    expect(replied.error, JSON.stringify(replied.error)).toBeNull();
    expect(replied.data.ticket.status).toBe('in_progress');
    expect(replied.data.ticket.sla).toMatchObject({
      firstResponseBreached: true,
      state: 'breached',
      clock: 'resolution',
    });
    // Every first-response task (the warning, the breach and the manager's escalation) closes with the answer.
    expect((await slaTasks(ticket.id)).filter((task) => task.status === 'open')).toEqual([]);
    // Resolve, then close: the CSAT hook is enqueued once, with the ticket.
    vi.setSystemTime(beijing('2026-12-16T10:00:00'));
    const closer = await as('service_agent');
    expect(
      (await closer.call('tickets.move', { id: ticket.id, to: 'resolved', comment: '已换货' })).error,
    ).toBeNull();
    const closed = await closer.call('tickets.move', { id: ticket.id, to: 'closed' });
    expect(closed.error).toBeNull();
    expect(closed.data.ticket.sla.state).toBe('breached');
    const hooks = await server.database.withoutTenant(async (db) => {
      const { rows } = await sql<{ data: { ticketId: string; tenantId: string; customerId: string } }>`
        select data from pgboss.job where name = 'tickets.closed'`.execute(db);
      return rows.map((row) => row.data).filter((data) => data.ticketId === ticket.id);
    });
    expect(hooks).toEqual([
      expect.objectContaining({ ticketId: ticket.id, tenantId: tenant.tenantId, customerId }),
    ]);
  });

  it('waiting on the customer pauses the clock and the customer’s answer resumes it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: beijing('2026-12-18T16:00:00') });
    const agent = await as('service_agent');
    const customerId = await createCustomerIn(server, tenant.tenantId, '远航贸易');
    const created = await agent.call('tickets.create', {
      customerId,
      type: 'service_request',
      subject: '需要补开发票',
      priority: 'high',
      assigneeUserId: tenant.users.service_agent.id,
    });
    expect(created.error, JSON.stringify(created.error)).toBeNull();
    const id = created.data.ticket.id;
    // Friday 17:00: one working hour has run; waiting on the customer.
    vi.setSystemTime(beijing('2026-12-18T17:00:00'));
    const waiting = await (await as('service_agent')).call('tickets.move', { id, to: 'waiting_on_customer' });
    expect(waiting.error).toBeNull();
    expect(waiting.data.ticket.sla).toMatchObject({ state: 'paused', dueAt: null, firstResponseDueAt: null });
    // Long past the first deadline the scan does nothing while the clock stands still.
    expect(await scan(beijing('2026-12-22T17:00:00'))).toMatchObject({
      warnings: 0,
      breaches: 0,
      escalations: 0,
    });
    // Tuesday 22 December 10:00 the customer answers: 5 h left → 10–12, 13:30–16:30.
    vi.setSystemTime(beijing('2026-12-22T10:00:00'));
    const answered = await (await as('service_agent')).call('tickets.reply', {
      id,
      kind: 'customer_reply',
      body: '发票抬头：远航贸易有限公司',
    });
    expect(answered.error).toBeNull();
    expect(answered.data.ticket.status).toBe('in_progress');
    expect(answered.data.ticket.sla.firstResponseDueAt).toBe(beijing('2026-12-22T16:30:00').toISOString());
    expect(answered.data.ticket.sla.state).toBe('on_track');
    expect(answered.data.events.map((event: { kind: string }) => event.kind)).toEqual([
      'created',
      'status',
      'customer_reply',
      'status',
    ]);
  });

  it('service agents work their own and the queue’s tickets; others see what their role allows', async () => {
    const mine = await createCustomerIn(
      server,
      tenant.tenantId,
      '代表的客户',
      false,
      tenant.users.sales_rep.id,
    );
    const other = await createCustomerIn(server, tenant.tenantId, '别人的客户', false, tenant.users.owner.id);
    const queued = await createTicketIn(server, tenant.tenantId, mine, null, '排队中的工单');
    const managers = await createTicketIn(
      server,
      tenant.tenantId,
      other,
      tenant.users.sales_manager.id,
      '经理的工单',
    );
    const agent = await as('service_agent');
    const seen = (await agent.call('tickets.list', { view: 'all', limit: 200 })).data.items.map(
      (item: { id: string }) => item.id,
    );
    expect(seen).toContain(queued);
    expect(seen).not.toContain(managers);
    expect((await agent.call('tickets.get', { id: managers })).error?.appCode).toBe('TICKET_NOT_FOUND');
    // Replying to a queue ticket takes it.
    const taken = await agent.call('tickets.reply', { id: queued, body: '我来处理' });
    expect(taken.data.ticket.assigneeUserId).toBe(tenant.users.service_agent.id);
    // An agent may not give tickets to others.
    expect(
      (await agent.call('tickets.assign', { id: queued, assigneeUserId: tenant.users.sales_manager.id }))
        .error?.appCode,
    ).toBe('FORBIDDEN');
    // A sales rep sees the tickets of their customers, not others'; reads but does not work them.
    const rep = await as('sales_rep');
    const repSees = (await rep.call('tickets.list', { view: 'all', limit: 200 })).data.items.map(
      (item: { id: string }) => item.id,
    );
    expect(repSees).toContain(queued);
    expect(repSees).not.toContain(managers);
    expect((await rep.call('tickets.reply', { id: queued, body: '代表回复' })).error?.appCode).toBe(
      'FORBIDDEN',
    );
    // A viewer reads every ticket, and changes none.
    const viewer = await as('viewer');
    expect((await viewer.call('tickets.get', { id: managers })).error).toBeNull();
    expect((await viewer.call('tickets.move', { id: managers, to: 'closed' })).error?.appCode).toBe(
      'FORBIDDEN',
    );
    // Moves follow the workflow.
    const manager = await as('sales_manager');
    expect((await manager.call('tickets.move', { id: managers, to: 'in_progress' })).error).toBeNull();
    const closedTicket = await manager.call('tickets.move', { id: managers, to: 'closed' });
    expect(closedTicket.error).toBeNull();
    expect(
      (await manager.call('tickets.move', { id: managers, to: 'waiting_on_customer' })).error?.appCode,
    ).toBe('TICKET_MOVE_INVALID');
    const reopened = await manager.call('tickets.move', {
      id: managers,
      to: 'in_progress',
      comment: '客户再次反映',
    });
    expect(reopened.error).toBeNull();
    expect(reopened.data.ticket).toMatchObject({ status: 'in_progress', closedAt: null, resolvedAt: null });
  });

  it('refuses attachments by content, not by name, and caps their size', async () => {
    const customerId = await createCustomerIn(server, tenant.tenantId, '附件客户');
    const id = await createTicketIn(server, tenant.tenantId, customerId, tenant.users.service_agent.id);
    const cookie = (await as('service_agent')).cookie ?? '';
    const upload = (name: string, body: Uint8Array) =>
      server.app.request(
        `http://localhost:3000/api/tickets/${id}/attachments`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/octet-stream',
            'x-file-name': encodeURIComponent(name),
            origin: server.publicUrl,
            cookie,
          },
          body,
        },
        { incoming: { socket: { remoteAddress: '10.0.0.7' } } },
      );
    const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    const ok = await upload('检测报告.pdf', pdf);
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { contentType: string }).contentType).toBe('application/pdf');
    // An executable named like a picture is refused.
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
    const refused = await upload('照片.jpg', exe);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { code: string }).code).toBe('TICKET_ATTACHMENT_TYPE');
    // HTML posing as text is refused too.
    expect(
      (await upload('说明.txt', new TextEncoder().encode('<html><script>alert(1)</script>'))).status,
    ).toBe(422);
    const large = new Uint8Array(10 * 1024 * 1024 + 1);
    large.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    const tooLarge = await upload('大文件.pdf', large);
    expect(tooLarge.status).toBe(413);
    const detail = await (await as('service_agent')).call('tickets.get', { id });
    expect(detail.data.attachments.map((file: { fileName: string }) => file.fileName)).toEqual([
      '检测报告.pdf',
    ]);
    const download = await server.app.request(
      `http://localhost:3000/api/tickets/attachments/${detail.data.attachments[0].id}`,
      { headers: { cookie, origin: server.publicUrl } },
      { incoming: { socket: { remoteAddress: '10.0.0.7' } } },
    );
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);
  });
});

describe('ticket KPIs', () => {
  it('closure rate, first-response and resolution times and SLA met rates per category, by hand', async () => {
    const kpiTenant = await seedTenant(server.database, '工单指标企业', 'b2b');
    const customerId = await createCustomerIn(server, kpiTenant.tenantId, '指标客户');
    const hour = 3_600_000;
    // category, status, first response ms (breached?), resolution ms (breached?)
    const fixture = [
      ['b2b_delivery', 'closed', 2 * hour, false, 10 * hour, false],
      ['b2b_delivery', 'resolved', 4 * hour, false, 30 * hour, true],
      ['b2b_delivery', 'in_progress', 30 * hour, true, null, false],
      ['b2b_billing', 'closed', 1 * hour, false, 5 * hour, false],
      ['b2b_billing', 'new', null, false, null, false],
    ] as const;
    await server.database.withTenant(kpiTenant.tenantId, async (trx) => {
      for (const [
        index,
        [category, status, firstMs, firstLate, resolutionMs, resolutionLate],
      ] of fixture.entries()) {
        const created = at('2026-11-02T02:00:00Z');
        await trx
          .insertInto('tickets')
          .values({
            tenant_id: kpiTenant.tenantId,
            number: index + 1,
            type: 'complaint',
            category,
            subject: `指标工单 ${index}`,
            customer_id: customerId,
            status,
            sla_mode: 'calendar',
            sla_policy: 'default',
            first_response_minutes: 1440,
            resolution_minutes: 4320,
            sla_started_at: created,
            created_at: created,
            first_responded_at: firstMs === null ? null : new Date(created.getTime() + firstMs),
            first_response_ms: firstMs,
            first_response_breached: firstLate,
            resolved_at: resolutionMs === null ? null : new Date(created.getTime() + resolutionMs),
            resolution_ms: resolutionMs,
            resolution_breached: resolutionLate,
            closed_at: status === 'closed' ? new Date(created.getTime() + (resolutionMs ?? 0)) : null,
          })
          .execute();
      }
    });
    const admin = await signedInClient(server, kpiTenant.users.admin.id, kpiTenant.tenantId);
    const result = await admin.call('tickets.kpis', { from: '2026-11-01', to: '2026-12-01', by: 'category' });
    expect(result.error, JSON.stringify(result.error)).toBeNull();
    const byKey = Object.fromEntries(result.data.rows.map((row: { key: string }) => [row.key, row]));
    expect(byKey.b2b_delivery).toMatchObject({
      opened: 3,
      closed: 2,
      breached: 2,
      firstResponseHours: 12, // (2 + 4 + 30) / 3
      resolutionHours: 20, // (10 + 30) / 2
      resolutionMetRate: 0.5,
    });
    expect(byKey.b2b_delivery.closureRate).toBeCloseTo(2 / 3, 10);
    expect(byKey.b2b_delivery.firstResponseMetRate).toBeCloseTo(2 / 3, 10);
    expect(byKey.b2b_billing).toMatchObject({
      opened: 2,
      closed: 1,
      closureRate: 0.5,
      firstResponseHours: 1,
      resolutionHours: 5,
      firstResponseMetRate: 1,
      breached: 0,
    });
    expect(result.data.total).toMatchObject({ opened: 5, closed: 3, closureRate: 0.6, breached: 2 });
    // Outside the period: nothing.
    const empty = await admin.call('tickets.kpis', { from: '2026-12-01', to: '2027-01-01', by: 'month' });
    expect(empty.data.total.opened).toBe(0);
    expect(empty.data.rows).toEqual([]);
  });
});
