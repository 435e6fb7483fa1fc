import { jobScope, markLeadConverted, scanTicketSlas, signPublicLink } from '@crm/api';
import { describe, expect, it } from 'vitest';
import { createCustomerIn, createSurveyResponseIn } from './procedure-cases';
import { subscribedTenantSuite } from './webhook-events-setup';

/**
 * The webhook events of leads, opportunities, tickets and surveys: each written to the outbox
 * in the transaction of its change (docs/api.md), with the data the docs list; a refused
 * change writes none.
 */
const suite = subscribedTenantSuite();
const { events, as } = suite;

describe('webhook events of the capabilities', () => {
  it('lead.created and lead.graded when a lead is created, lead.converted when it converts', async () => {
    const rep = await as('sales_rep');
    const created = await rep.call('leads.create', {
      personName: '王先生',
      companyName: `事件线索${crypto.randomUUID().slice(0, 6)}`,
      phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      intent: 'price',
      needs: ['报价'],
    });
    expect(created.error).toBeNull();
    const lead = created.data as { id: string; grade: string | null };
    const [leadCreated] = await events('lead.created');
    expect(leadCreated?.payload).toMatchObject({
      id: lead.id,
      personName: '王先生',
      source: 'manual',
      ownerUserId: suite.tenant.users.sales_rep.id,
    });
    const graded = await events('lead.graded');
    expect(graded).toHaveLength(1);
    expect(graded[0]?.payload).toMatchObject({ id: lead.id, from: null, by: 'grade_rule' });
    expect(graded[0]?.payload.grade).toBe(lead.grade);

    // A refused duplicate writes no event.
    const again = await rep.call('leads.create', {
      personName: '王先生',
      phone: leadCreated?.payload.phone as string,
    });
    expect(again.error?.appCode).toBe('LEAD_DUPLICATE');
    expect(await events('lead.created')).toHaveLength(1);

    const customerId = await createCustomerIn(suite.server, suite.tenant.tenantId, `转化客户${Date.now()}`);
    await suite.server.database.withTenant(suite.tenant.tenantId, (trx) =>
      markLeadConverted(jobScope(trx, suite.tenant.tenantId), lead.id, { customerId }),
    );
    expect((await events('lead.converted')).map((event) => event.payload)).toEqual([
      { id: lead.id, customerId, contactId: null },
    ]);
  });

  it('opportunity.stage_changed on every move, opportunity.won and opportunity.lost when it closes', async () => {
    const rep = await as('sales_rep');
    const customerId = await createCustomerIn(
      suite.server,
      suite.tenant.tenantId,
      `商机客户${Date.now()}`,
      false,
      suite.tenant.users.sales_rep.id,
    );
    const lost = await rep.call('opportunities.create', { name: '旧线改造', customerId, needs: ['降本'] });
    const lostId = (lost.data as { id: string }).id;
    const moved = await rep.call('opportunities.move', {
      id: lostId,
      stage: 'b2b_stage_lost',
      lostReason: 'b2b_lost_price',
    });
    expect(moved.error).toBeNull();
    expect((await events('opportunity.lost'))[0]?.payload).toMatchObject({
      id: lostId,
      to: 'b2b_stage_lost',
      lostReason: 'b2b_lost_price',
    });

    const won = await rep.call('opportunities.create', {
      name: '产线自动化改造',
      customerId,
      needs: ['提升产能 30%', '降低能耗', '远程运维'],
    });
    const id = (won.data as { id: string }).id;
    expect((await rep.call('opportunities.move', { id, stage: 'b2b_stage_proposal' })).error).toBeNull();
    await rep.call('opportunities.update', {
      id,
      lines: [{ product: '六轴机器人', quantity: 4, unitPrice: '85000' }],
      decisionChain: [{ name: '王总', title: '生产副总', role: 'decision_maker' }],
    });
    await rep.call('opportunities.setAction', { id, action: 'b2b_action_proposal_sent', done: true });
    expect((await rep.call('opportunities.move', { id, stage: 'b2b_stage_negotiation' })).error).toBeNull();
    await rep.call('opportunities.setAction', { id, action: 'b2b_action_contract_review', done: true });
    expect((await rep.call('opportunities.move', { id, stage: 'b2b_stage_won' })).error).toBeNull();

    const stages = (await events('opportunity.stage_changed'))
      .filter((event) => event.payload.id === id)
      .map((event) => `${event.payload.from}→${event.payload.to}`);
    expect(stages).toEqual([
      'b2b_stage_needs→b2b_stage_proposal',
      'b2b_stage_proposal→b2b_stage_negotiation',
      'b2b_stage_negotiation→b2b_stage_won',
    ]);
    expect((await events('opportunity.won')).map((event) => event.payload)).toEqual([
      expect.objectContaining({ id, name: '产线自动化改造', amount: '340000.00' }),
    ]);
  });

  it('ticket.sla_breached from the SLA scan, ticket.closed when it closes', async () => {
    const agent = await as('service_agent');
    const customerId = await createCustomerIn(suite.server, suite.tenant.tenantId, `工单客户${Date.now()}`);
    const created = await agent.call('tickets.create', {
      customerId,
      type: 'complaint',
      subject: '配送延误三天',
      description: '客户反映订单配送延误三天',
      priority: 'urgent',
      channel: 'phone',
    });
    expect(created.error).toBeNull();
    const ticketId = (created.data as { ticket: { id: string } }).ticket.id;
    // Weeks later every clock has run out.
    const later = new Date(Date.now() + 30 * 86_400_000);
    await suite.server.database.withTenant(suite.tenant.tenantId, (trx) =>
      scanTicketSlas(jobScope(trx, suite.tenant.tenantId), later),
    );
    const breached = await events('ticket.sla_breached');
    expect(breached.length).toBeGreaterThan(0);
    expect(breached[0]?.payload).toMatchObject({ id: ticketId, subject: '配送延误三天', customerId });
    expect(['first_response', 'resolution']).toContain(breached[0]?.payload.clock);

    const closed = await agent.call('tickets.move', { id: ticketId, to: 'closed', comment: '客户已确认' });
    expect(closed.error).toBeNull();
    expect((await events('ticket.closed')).map((event) => event.payload)).toEqual([
      expect.objectContaining({ id: ticketId, customerId, subject: '配送延误三天' }),
    ]);
  });

  it('survey.responded when a customer answers a survey link', async () => {
    const customerId = await createCustomerIn(suite.server, suite.tenant.tenantId, `问卷客户${Date.now()}`);
    const { invitationId } = await createSurveyResponseIn(
      suite.server,
      suite.tenant.tenantId,
      customerId,
      null,
      null,
    );
    const token = signPublicLink({
      kind: 'survey',
      tenantId: suite.tenant.tenantId,
      subjectId: invitationId,
      campaignId: null,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    const answered = await suite.server.app.request(
      `http://localhost:3000/s/${token}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([['recommend', '4']]).toString(),
      },
      { incoming: { socket: { remoteAddress: '198.51.100.77' } } },
    );
    expect(answered.status).toBe(200);
    const [responded] = await events('survey.responded');
    expect(responded?.payload).toMatchObject({
      surveyKey: 'b2b_nps',
      customerId,
      score: 4,
      low: true,
      answers: { recommend: 4 },
    });
    // The detractor's follow-up task, announced by the same statement, with its follow-up record.
    const created = (await events('task.created')).filter((event) => event.payload.customerId === customerId);
    expect(created).toHaveLength(1);
    expect(created[0]?.payload).toMatchObject({
      relatedKind: 'survey_response',
      relatedId: responded?.payload.id,
      type: 'call',
      priority: 'high',
      status: 'open',
    });
    const followUps = await suite.server.database.withTenant(suite.tenant.tenantId, (trx) =>
      trx
        .selectFrom('survey_follow_ups')
        .select(['task_id', 'status'])
        .where('response_id', '=', responded?.payload.id as string)
        .execute(),
    );
    expect(followUps).toEqual([{ task_id: created[0]?.payload.id, status: 'open' }]);
  });
});
