import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * Opportunities (商机) in the b2b pipeline: 需求沟通 → 方案制定 → 商务谈判 → 赢单 / 输单 → 售后.
 * A move forward is refused at the gate until 3 core needs are recorded, the message naming
 * what is missing in zh-CN and en; entering 方案制定 puts the proposal's 48 h SLA task on the
 * owner's list and ticking the action off closes it; lost needs a reason from the tenant's
 * list; won records the order from the lines, re-derives the customer's facts and hands the
 * customer to operations with a task due within 48 h carrying the needs. Who sees and works which.
 */

let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '商机测试企业', 'b2b');
}, 180_000);
afterAll(() => server?.destroy());

async function as(role: keyof SeededTenant['users'], locale = 'zh-CN'): Promise<TrpcClient> {
  return signedInClient(server, tenant.users[role].id, tenant.tenantId, { headers: { 'x-locale': locale } });
}

async function tasksOf(opportunityId: string) {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const { rows } = await sql<{
      type: string;
      status: string;
      owner_user_id: string | null;
      due_at: Date | null;
      notes: string | null;
      created_at: Date;
    }>`select type, status, owner_user_id, due_at, notes, created_at from tasks
      where tenant_id = ${tenant.tenantId} and related_kind = 'opportunity' and related_id = ${opportunityId}::uuid
      order by created_at, source_key`.execute(trx);
    return rows;
  });
}

describe('opportunities and the pipeline', () => {
  it('reads the stages, checklists, gates and lost reasons from the plugin', async () => {
    const rep = await as('sales_rep');
    const { data } = await rep.call('opportunities.pipeline');
    expect(data.origin).toBe('b2b');
    expect(data.stages.map((stage: { labels: { 'zh-CN': string } }) => stage.labels['zh-CN'])).toEqual([
      '需求沟通',
      '方案制定',
      '商务谈判',
      '赢单',
      '输单',
      '售后',
    ]);
    expect(data.stages[0].gates).toEqual([
      { 'zh-CN': '至少记录 3 条核心需求', en: 'At least 3 core needs recorded' },
    ]);
    expect(data.lostReasons.map((reason: { key: string }) => reason.key)).toContain('b2b_lost_price');
  });

  it('refuses a move at the gate until 3 needs are recorded, then keeps the history and the proposal SLA', async () => {
    const rep = await as('sales_rep');
    const customerId = await createCustomerIn(
      server,
      tenant.tenantId,
      '华东精密制造',
      false,
      tenant.users.sales_rep.id,
    );
    const created = await rep.call('opportunities.create', {
      name: '产线自动化改造',
      customerId,
      needs: ['提升产能 30%'],
    });
    expect(created.error).toBeNull();
    const id = created.data.id as string;
    expect(created.data).toMatchObject({
      stage: 'b2b_stage_needs',
      probability: 20,
      ownerUserId: tenant.users.sales_rep.id,
    });
    expect(created.data.blockers).toHaveLength(1);

    const refused = await rep.call('opportunities.move', { id, stage: 'b2b_stage_proposal' });
    expect(refused.error?.appCode).toBe('OPPORTUNITY_GATE_FAILED');
    expect(refused.error?.message).toBe('还不能离开「需求沟通」：需要至少记录 3 条核心需求（已记录 1 条）');
    const inEnglish = await (await as('sales_rep', 'en')).call('opportunities.move', {
      id,
      stage: 'b2b_stage_won',
    });
    expect(inEnglish.error?.message).toContain(
      'It cannot leave “Needs discovery” yet: it needs at least 3 core needs recorded (1 so far)',
    );
    // Skipping ahead checks the stages skipped too.
    expect(inEnglish.error?.message).toContain('“Send the proposal”');

    await rep.call('opportunities.update', { id, needs: ['提升产能 30%', '降低能耗', '远程运维'] });
    const moved = await rep.call('opportunities.move', { id, stage: 'b2b_stage_proposal' });
    expect(moved.error).toBeNull();
    expect(moved.data).toMatchObject({ stage: 'b2b_stage_proposal', probability: 40 });
    expect(
      moved.data.history.map((entry: { fromStage: string | null; toStage: string }) => [
        entry.fromStage,
        entry.toStage,
      ]),
    ).toEqual([
      ['b2b_stage_needs', 'b2b_stage_proposal'],
      [null, 'b2b_stage_needs'],
    ]);
    expect(moved.data.history[0].secondsInFrom).toBeGreaterThanOrEqual(0);
    const proposal = moved.data.checklist.find(
      (item: { key: string }) => item.key === 'b2b_action_proposal_sent',
    );
    expect(proposal.done).toBe(false);
    expect(proposal.dueAt).not.toBeNull();
    const [task] = await tasksOf(id);
    expect(task).toMatchObject({
      type: 'follow_up',
      status: 'open',
      owner_user_id: tenant.users.sales_rep.id,
    });
    // 48 working hours on the work calendar: at least two days away.
    expect(new Date(task?.due_at ?? 0).getTime() - Date.now()).toBeGreaterThan(48 * 3600 * 1000);

    const stillShut = await rep.call('opportunities.move', { id, stage: 'b2b_stage_negotiation' });
    expect(stillShut.error?.message).toBe(
      '还不能离开「方案制定」：需要完成标准动作「提交方案」；填写金额、产品明细',
    );
    const ticked = await rep.call('opportunities.setAction', {
      id,
      action: 'b2b_action_proposal_sent',
      done: true,
    });
    expect(ticked.data.checklist[0]).toMatchObject({ done: true });
    expect((await tasksOf(id))[0]?.status).toBe('done');
    await rep.call('opportunities.update', {
      id,
      lines: [
        { product: '六轴机器人', quantity: 4, unitPrice: '85000' },
        { product: '能耗监测系统', quantity: '1', unitPrice: '60000.50' },
      ],
      decisionChain: [{ name: '王总', title: '生产副总', role: 'decision_maker' }],
    });
    const negotiation = await rep.call('opportunities.move', { id, stage: 'b2b_stage_negotiation' });
    expect(negotiation.error).toBeNull();
    expect(negotiation.data.amount).toBe('400000.50');

    const notYet = await rep.call('opportunities.move', { id, stage: 'b2b_stage_won' });
    expect(notYet.error?.message).toBe('还不能离开「商务谈判」：需要完成标准动作「合同评审」');
    await rep.call('opportunities.setAction', { id, action: 'b2b_action_contract_review', done: true });
    const won = await rep.call('opportunities.move', { id, stage: 'b2b_stage_won' });
    expect(won.error).toBeNull();
    expect(won.data).toMatchObject({ stageKind: 'won', probability: 100, customerId });
    expect(won.data.orderId).not.toBeNull();
    expect(won.data.wonAt).not.toBeNull();

    // The order from the lines, the customer's facts re-derived in the same transaction.
    const orders = await rep.call('orders.list', { customerId });
    expect(orders.data.items.map((order: { amount: string }) => order.amount)).toEqual(['400000.50']);
    const facts = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('customers')
        .select(['order_count', 'lifecycle_stage'])
        .where('id', '=', customerId)
        .executeTakeFirstOrThrow(),
    );
    expect(facts).toEqual({ order_count: 1, lifecycle_stage: 'new' });

    // The hand-off to customer operations: the service agent, due within 48 h, with the needs.
    const handoff = (await tasksOf(id)).find((row) => row.type === 'handoff');
    expect(handoff).toMatchObject({ status: 'open', owner_user_id: tenant.users.service_agent.id });
    const dueIn = new Date(handoff?.due_at ?? 0).getTime() - new Date(handoff?.created_at ?? 0).getTime();
    expect(dueIn).toBeLessThanOrEqual(48 * 3600 * 1000 + 1000);
    expect(handoff?.notes).toContain('1. 提升产能 30%');
    expect(handoff?.notes).toContain('3. 远程运维');

    // Settled: no more edits; after sales is the only way on.
    expect((await rep.call('opportunities.update', { id, name: '改名' })).error?.appCode).toBe(
      'OPPORTUNITY_CLOSED',
    );
    expect((await rep.call('opportunities.move', { id, stage: 'b2b_stage_needs' })).error?.appCode).toBe(
      'OPPORTUNITY_MOVE_INVALID',
    );
    expect((await rep.call('opportunities.move', { id, stage: 'b2b_stage_after_sales' })).error).toBeNull();
  });

  it('loses a deal only with a reason from the tenant’s list, which an admin may extend', async () => {
    const rep = await as('sales_rep');
    const { data } = await rep.call('opportunities.create', { name: '办公设备采购' });
    const id = data.id as string;
    expect((await rep.call('opportunities.move', { id, stage: 'b2b_stage_lost' })).error?.appCode).toBe(
      'OPPORTUNITY_LOST_REASON_REQUIRED',
    );
    expect(
      (await rep.call('opportunities.move', { id, stage: 'b2b_stage_lost', lostReason: 'lost_delivery' }))
        .error?.appCode,
    ).toBe('OPPORTUNITY_LOST_REASON_UNKNOWN');
    const admin = await as('admin');
    const saved = await admin.call('opportunities.saveLostReason', {
      key: 'lost_delivery',
      labelZh: '交期太长',
      labelEn: 'Lead time too long',
    });
    expect(saved.data.lostReasons.at(-1)).toEqual({
      key: 'lost_delivery',
      labels: { 'zh-CN': '交期太长', en: 'Lead time too long' },
      origin: 'tenant',
    });
    expect(
      (await rep.call('opportunities.saveLostReason', { key: 'lost_x', labelZh: 'x', labelEn: 'x' })).error
        ?.appCode,
    ).toBe('FORBIDDEN');
    const lost = await rep.call('opportunities.move', {
      id,
      stage: 'b2b_stage_lost',
      lostReason: 'lost_delivery',
      lostNote: '对方要求两周内交付',
    });
    expect(lost.data).toMatchObject({
      stageKind: 'lost',
      lostReason: 'lost_delivery',
      lostNote: '对方要求两周内交付',
    });
    // A lost deal may be taken up again.
    const revived = await rep.call('opportunities.move', { id, stage: 'b2b_stage_needs' });
    expect(revived.data).toMatchObject({ stageKind: 'open', lostReason: null });
  });

  it('shows reps their own deals, managers their team’s, analysts all (read only)', async () => {
    const rep = await as('sales_rep');
    const { data } = await rep.call('opportunities.create', { name: '仓储系统升级', amount: '50000' });
    const id = data.id as string;
    const other = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const row = await trx
        .insertInto('opportunities')
        .values({
          tenant_id: tenant.tenantId,
          name: '别人的商机',
          stage: 'b2b_stage_needs',
          owner_user_id: tenant.users.admin.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
    expect((await rep.call('opportunities.get', { id: other })).error?.appCode).toBe('OPPORTUNITY_NOT_FOUND');
    expect(
      (
        await rep.call('opportunities.move', {
          id: other,
          stage: 'b2b_stage_lost',
          lostReason: 'b2b_lost_price',
        })
      ).error?.appCode,
    ).toBe('OPPORTUNITY_NOT_FOUND');
    const analyst = await as('analyst');
    expect((await analyst.call('opportunities.get', { id })).data.name).toBe('仓储系统升级');
    expect((await analyst.call('opportunities.get', { id: other })).data.name).toBe('别人的商机');
    expect((await analyst.call('opportunities.create', { name: '不可以' })).error?.appCode).toBe('FORBIDDEN');
    const board = await rep.call('opportunities.board', { perStage: 2 });
    expect(board.data.columns.map((column: { stage: string }) => column.stage)).toHaveLength(6);
    const needs = board.data.columns[0];
    expect(
      needs.items.every((card: { ownerUserId: string }) => card.ownerUserId === tenant.users.sales_rep.id),
    ).toBe(true);
  });

  it('pages lists by keyset and pages each kanban column', async () => {
    const manager = await as('sales_manager');
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`insert into opportunities (tenant_id, name, stage, owner_user_id, amount, stage_entered_at)
        select ${tenant.tenantId}, '批量商机 ' || n, 'b2b_stage_negotiation', ${tenant.users.sales_manager.id}::uuid,
          n * 1000, now() - n * interval '1 minute'
        from generate_series(1, 7) n`.execute(trx),
    );
    const board = await manager.call('opportunities.board', { perStage: 3, filters: { owner: 'me' } });
    const column = board.data.columns.find(
      (candidate: { stage: string }) => candidate.stage === 'b2b_stage_negotiation',
    );
    expect(column.count).toBe(7);
    expect(column.amount).toBe('28000.00');
    const seen = column.items.map((card: { name: string }) => card.name);
    let cursor = column.nextCursor;
    while (cursor) {
      const page = await manager.call('opportunities.list', {
        filters: { stage: 'b2b_stage_negotiation', owner: 'me' },
        sort: 'in_stage',
        cursor,
        limit: 3,
      });
      seen.push(...page.data.items.map((card: { name: string }) => card.name));
      cursor = page.data.nextCursor;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `批量商机 ${n}`));
    const byAmount = await manager.call('opportunities.list', {
      filters: { owner: 'me', amountMin: '5000' },
      sort: 'amount',
      limit: 2,
    });
    expect(byAmount.data.items.map((card: { amount: string }) => card.amount)).toEqual([
      '7000.00',
      '6000.00',
    ]);
    const rest = await manager.call('opportunities.list', {
      filters: { owner: 'me', amountMin: '5000' },
      sort: 'amount',
      limit: 2,
      cursor: byAmount.data.nextCursor,
    });
    expect(rest.data.items.map((card: { amount: string }) => card.amount)).toEqual(['5000.00']);
    expect((await manager.call('opportunities.list', { cursor: 'bogus' })).error?.appCode).toBe(
      'INVALID_CURSOR',
    );
  });

  it('converts a lead into a customer, a contact and an opportunity in one transaction, keeping its history', async () => {
    const rep = await as('sales_rep');
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const lead = await rep.call('leads.create', {
      personName: '周婷',
      companyName: '苏州恒远电子',
      jobTitle: '采购经理',
      phone,
      intent: 'price',
      needs: ['贴片产线扩产', '质检自动化'],
      budget: 500000,
      expectedCloseOn: '2027-03-31',
    });
    expect(lead.error).toBeNull();
    const leadId = lead.data.id as string;
    const converted = await rep.call('opportunities.convertLead', { leadId, customer: { mode: 'new' } });
    expect(converted.error).toBeNull();
    const { customerId, contactId, opportunityId } = converted.data;
    expect(contactId).not.toBeNull();
    const opportunity = await rep.call('opportunities.get', { id: opportunityId });
    expect(opportunity.data).toMatchObject({
      name: '苏州恒远电子 · 贴片产线扩产',
      customerId,
      contactId,
      leadId,
      amount: '500000.00',
      expectedCloseOn: '2027-03-31',
      needs: ['贴片产线扩产', '质检自动化'],
      stage: 'b2b_stage_needs',
      ownerUserId: tenant.users.sales_rep.id,
    });
    const after = await rep.call('leads.get', { id: leadId });
    expect(after.data.lead?.status ?? after.data.status).toBe('converted');
    const timeline = await rep.call('customers.timeline', { id: customerId, limit: 100 });
    const kinds = (timeline.data.items as { kind: string }[]).map((entry) => entry.kind);
    expect(kinds).toContain('lead');
    expect(
      (await rep.call('opportunities.convertLead', { leadId, customer: { mode: 'new' } })).error?.appCode,
    ).toBe('LEAD_CONVERTED');

    // A second lead of the same company: a new customer is refused by the duplicate check; attaching works.
    const again = await rep.call('leads.create', {
      personName: '陈刚',
      companyName: '苏州恒远电子二厂',
      needs: ['备件'],
    });
    const secondId = again.data.id as string;
    const attached = await rep.call('opportunities.convertLead', {
      leadId: secondId,
      customer: { mode: 'existing', customerId },
      opportunityName: '备件年度框架',
    });
    expect(attached.error).toBeNull();
    expect(attached.data.customerId).toBe(customerId);
    const foreignCustomer = await createCustomerIn(
      server,
      tenant.tenantId,
      '别人的客户',
      false,
      tenant.users.admin.id,
    );
    const third = await rep.call('leads.create', { personName: '李雷', needs: ['试用'] });
    expect(
      (
        await rep.call('opportunities.convertLead', {
          leadId: third.data.id,
          customer: { mode: 'existing', customerId: foreignCustomer },
        })
      ).error?.appCode,
    ).toBe('CUSTOMER_NOT_FOUND');
    // Nothing of the refused conversion stayed: the lead is still open.
    expect((await rep.call('opportunities.list', { filters: { leadId: third.data.id } })).data.items).toEqual(
      [],
    );
  });
});
