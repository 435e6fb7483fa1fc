import { createTasks, jobScope } from '@crm/api';
import { type Role, sql } from '@crm/db';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';
import { createContactIn, createCustomerIn, createTaskIn, createTeamIn } from './procedure-cases';

/**
 * Tasks (任务): who sees and works which task, 我的任务's views in the tenant's time zone,
 * keyset paging, completing with the interaction in one transaction, bulk changes all or
 * nothing, interactions' 下一步 as tasks, and idempotent creation.
 */
let server: TestServer;
let tenant: SeededTenant;
let teamId: string;
/** A second rep, outside the manager's team. */
let outsider: { id: string };
let ownCustomer: string;
let outsiderCustomer: string;
const tasks: Record<string, string> = {};

async function addMember(role: Role, team: string | null) {
  const user = await server.database.withScope({}, (trx) =>
    trx
      .insertInto('users')
      .values({
        email: `${role}.${crypto.randomUUID().slice(0, 8)}@example.com`,
        name: `另一位${role}`,
        password_hash: 'x',
        locale: 'zh-CN',
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .insertInto('memberships')
      .values({ tenant_id: tenant.tenantId, user_id: user.id, role, team_id: team })
      .execute(),
  );
  return user;
}

const client = (userId: string) => signedInClient(server, userId, tenant.tenantId);
const rep = () => tenant.users.sales_rep;
const manager = () => tenant.users.sales_manager;
const ids = (result: { data: { items: { id: string }[] } }) =>
  result.data.items.map((item) => item.id).sort();

async function taskRow(id: string | undefined) {
  if (id === undefined) throw new Error('no such task in the fixture');
  return server.database.withTenant(tenant.tenantId, (trx) =>
    trx.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '任务测试企业');
  teamId = await createTeamIn(server, tenant.tenantId, '华东销售组');
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .updateTable('memberships')
      .set({ team_id: teamId })
      .where('user_id', 'in', [rep().id, manager().id])
      .execute(),
  );
  outsider = await addMember('sales_rep', null);
  ownCustomer = await createCustomerIn(server, tenant.tenantId, '杭州东方贸易', false, rep().id);
  outsiderCustomer = await createCustomerIn(server, tenant.tenantId, '宁波远洋物流', false, outsider.id);
  tasks.own = await createTaskIn(server, tenant.tenantId, rep().id, ownCustomer, '回访东方贸易');
  tasks.outsiders = await createTaskIn(server, tenant.tenantId, outsider.id, outsiderCustomer, '回访远洋');
  // Given to the rep on a customer someone else owns.
  tasks.givenToRep = await createTaskIn(server, tenant.tenantId, rep().id, outsiderCustomer, '协助拜访远洋');
  // The outsider's task on the rep's customer.
  tasks.outsiderOnOwn = await createTaskIn(
    server,
    tenant.tenantId,
    outsider.id,
    ownCustomer,
    '远洋的跨客户任务',
  );
});
afterAll(() => server.destroy());
afterEach(() => {
  vi.useRealTimers();
});

describe('record-level access', () => {
  const all = { view: 'all', owner: 'any', limit: 200 };

  it('a rep sees their own tasks, also on a customer they do not own, and no one else’s', async () => {
    const result = await (await client(rep().id)).call('tasks.list', all);
    expect(result.error).toBeNull();
    expect(ids(result)).toEqual([tasks.own, tasks.givenToRep].sort());
    const other = await (await client(outsider.id)).call('tasks.list', all);
    expect(ids(other)).toEqual([tasks.outsiders, tasks.outsiderOnOwn].sort());
  });

  it('a manager sees the team’s tasks on customers they see; an admin sees all', async () => {
    const result = await (await client(manager().id)).call('tasks.list', all);
    // givenToRep is the team's, but its customer is outside the manager's customers.
    expect(ids(result)).toEqual([tasks.own]);
    const admin = await (await client(tenant.users.admin.id)).call('tasks.list', all);
    expect(ids(admin)).toEqual(Object.values(tasks).sort());
  });

  it('a rep cannot read, complete or reassign another’s task, nor give theirs away', async () => {
    const repClient = await client(rep().id);
    expect((await repClient.call('tasks.get', { id: tasks.outsiders })).error?.appCode).toBe(
      'TASK_NOT_FOUND',
    );
    expect((await repClient.call('tasks.complete', { id: tasks.outsiders })).error?.appCode).toBe(
      'TASK_NOT_FOUND',
    );
    expect(
      (await repClient.call('tasks.update', { id: tasks.own, ownerUserId: outsider.id })).error?.appCode,
    ).toBe('FORBIDDEN');
    expect(
      (await repClient.call('tasks.bulk', { action: 'complete', target: { ids: [tasks.own] } })).error
        ?.appCode,
    ).toBe('FORBIDDEN');
    expect((await repClient.call('tasks.list', { owner: 'unassigned' })).error?.appCode).toBe('FORBIDDEN');
    expect((await taskRow(tasks.outsiders)).status).toBe('open');
  });

  it('an analyst sees every task but may work none; a manager may not give tasks outside the team', async () => {
    const analyst = await client(tenant.users.analyst.id);
    expect((await analyst.call('tasks.get', { id: tasks.outsiders })).error).toBeNull();
    expect((await analyst.call('tasks.skip', { id: tasks.outsiders, reason: '不需要' })).error?.appCode).toBe(
      'FORBIDDEN',
    );
    const managerClient = await client(manager().id);
    const result = await managerClient.call('tasks.update', { id: tasks.own, ownerUserId: outsider.id });
    expect(result.error?.appCode).toBe('TASK_OWNER_INVALID');
  });
});

describe('我的任务 views', () => {
  it('today and overdue follow the tenant’s midnight (Asia/Shanghai), not the server’s', async () => {
    const member = await addMember('sales_rep', null);
    const customer = await createCustomerIn(server, tenant.tenantId, '午夜客户', false, member.id);
    const memberClient = await client(member.id);
    const created = await memberClient.call('tasks.create', {
      title: '零点前的回访',
      customerId: customer,
      dueOn: '2026-03-10',
    });
    expect(created.error).toBeNull();
    // 23:59 on 10 March in Shanghai is still 15:59 UTC.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: new Date('2026-03-10T15:59:00Z') });
    const before = await memberClient.call('tasks.list', { view: 'today' });
    expect(before.data.today).toBe('2026-03-10');
    expect(ids(before)).toEqual([created.data.id]);
    expect(before.data.items[0].overdue).toBe(false);
    expect((await memberClient.call('tasks.list', { view: 'overdue' })).data.items).toEqual([]);
    expect((await memberClient.call('tasks.counts', {})).data).toEqual({ today: 1, overdue: 0, next7: 0 });
    // Two minutes later it is 11 March in Shanghai: the task is overdue.
    vi.setSystemTime(new Date('2026-03-10T16:01:00Z'));
    const after = await memberClient.call('tasks.list', { view: 'overdue' });
    expect(after.data.today).toBe('2026-03-11');
    expect(ids(after)).toEqual([created.data.id]);
    expect(after.data.items[0].overdue).toBe(true);
    expect((await memberClient.call('tasks.list', { view: 'today' })).data.items).toEqual([]);
    expect((await memberClient.call('tasks.counts', {})).data).toEqual({ today: 0, overdue: 1, next7: 0 });
  });

  it('measures today in the time zone of the tenant’s work calendar', async () => {
    const abroad = await seedTenant(server.database, '伦敦分公司');
    const owner = abroad.users.sales_rep.id;
    await server.database.withTenant(abroad.tenantId, (trx) =>
      trx
        .insertInto('work_calendar_settings')
        .values({ tenant_id: abroad.tenantId, time_zone: 'Europe/London' })
        .execute(),
    );
    const id = await createTaskIn(server, abroad.tenantId, owner, null, '伦敦时间的任务');
    await server.database.withTenant(abroad.tenantId, (trx) =>
      trx.updateTable('tasks').set({ due_on: '2026-03-10' }).where('id', '=', id).execute(),
    );
    // 00:30 on 11 March in Shanghai, still 16:30 on 10 March in London.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: new Date('2026-03-10T16:30:00Z') });
    const abroadClient = await signedInClient(server, owner, abroad.tenantId);
    const today = await abroadClient.call('tasks.list', { view: 'today' });
    expect(today.data.today).toBe('2026-03-10');
    expect(ids(today)).toEqual([id]);
    expect((await abroadClient.call('tasks.counts', {})).data).toEqual({ today: 1, overdue: 0, next7: 0 });
  });

  it('pages by keyset through every sort without gaps or repeats', async () => {
    const member = await addMember('sales_rep', null);
    const scope = (trx: Parameters<typeof jobScope>[0]) => jobScope(trx, tenant.tenantId);
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    await server.database.withTenant(tenant.tenantId, (trx) =>
      createTasks(
        scope(trx),
        Array.from({ length: 29 }, (_, index) => ({
          title: `分页任务 ${index}`,
          type: 'call' as const,
          ownerUserId: member.id,
          dueOn: `2026-12-${String(10 + (index % 4)).padStart(2, '0')}`,
          // Some on the same day with a deadline, some without: both orders of nulls.
          dueAt:
            index % 3 === 0
              ? `2026-12-${String(10 + (index % 4)).padStart(2, '0')}T0${index % 9}:00:00+08:00`
              : null,
          priority: priorities[index % 4],
          source: 'manual' as const,
        })),
      ),
    );
    // Some closed at different times, for the done view's order.
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .updateTable('tasks')
        .set({ status: 'done', closed_at: sql`now() - random() * interval '1 hour'` })
        .where('owner_user_id', '=', member.id)
        .where('priority', 'in', ['high', 'low'])
        .execute(),
    );
    const memberClient = await client(member.id);
    for (const [view, sort, count] of [
      ['all', 'due', 29],
      ['all', 'priority', 29],
      ['all', 'created', 29],
      ['done', 'closed', 15],
    ] as const) {
      const whole = await memberClient.call('tasks.list', { view, sort, limit: 200 });
      const expected = whole.data.items.map((item: { id: string }) => item.id);
      expect(expected).toHaveLength(count);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof memberClient.call>> = await memberClient.call('tasks.list', {
          view,
          sort,
          limit: 4,
          cursor,
        });
        expect(page.error).toBeNull();
        paged.push(...page.data.items.map((item: { id: string }) => item.id));
        cursor = page.data.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(expected);
    }
    const bad = await memberClient.call('tasks.list', {
      view: 'all',
      sort: 'due',
      cursor: 'bm90IGEgY3Vyc29y',
    });
    expect(bad.error?.appCode).toBe('INVALID_CURSOR');
  });
});

describe('completing and logging in one step', () => {
  it('a failing interaction rolls the completion back', async () => {
    const id = await createTaskIn(server, tenant.tenantId, rep().id, ownCustomer, '失败的回访');
    const elsewhere = await createContactIn(server, tenant.tenantId, outsiderCustomer);
    const result = await (await client(rep().id)).call('tasks.complete', {
      id,
      interaction: { kind: 'call', summary: '打了电话', contactId: elsewhere },
    });
    expect(result.error?.appCode).toBe('CONTACT_NOT_FOUND');
    const row = await taskRow(id);
    expect(row.status).toBe('open');
    expect(row.closed_at).toBeNull();
  });

  it('logs the interaction, links it, and its 下一步 with a 截止日期 becomes the next task', async () => {
    const id = await createTaskIn(server, tenant.tenantId, rep().id, ownCustomer, '季度回访');
    const result = await (await client(rep().id)).call('tasks.complete', {
      id,
      interaction: {
        kind: 'visit',
        summary: '上门拜访，客户有增购意向',
        outcome: '约定下周报价',
        nextStep: '发送报价单',
        nextStepDue: '2026-12-21',
      },
    });
    expect(result.error).toBeNull();
    expect(result.data.task.status).toBe('done');
    const interactionId = result.data.interactionId as string;
    expect((await taskRow(id)).interaction_id).toBe(interactionId);
    const followUps = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('tasks').selectAll().where('source_id', '=', interactionId).execute(),
    );
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({
      title: '发送报价单',
      source: 'interaction',
      source_key: `interaction:${interactionId}`,
      owner_user_id: rep().id,
      team_id: teamId,
      due_on: '2026-12-21',
      status: 'open',
      customer_id: ownCustomer,
    });
    // Done once: completing again is refused, and reopening clears the completion.
    const repClient = await client(rep().id);
    expect((await repClient.call('tasks.complete', { id })).error?.appCode).toBe('TASK_CLOSED');
    const reopened = await repClient.call('tasks.reopen', { id });
    expect(reopened.data.status).toBe('open');
    expect(reopened.data.interactionId).toBeNull();
  });

  it('an interaction logged on its own makes its follow-up once', async () => {
    const repClient = await client(rep().id);
    const logged = await repClient.call('interactions.log', {
      customerId: ownCustomer,
      kind: 'call',
      summary: '电话沟通',
      nextStep: '  ',
      nextStepDue: '2026-12-30',
    });
    expect(logged.error).toBeNull();
    const rows = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('tasks').selectAll().where('source_key', '=', `interaction:${logged.data.id}`).execute(),
    );
    expect(rows.map((row) => [row.title, row.due_on, row.owner_user_id])).toEqual([
      ['跟进', '2026-12-30', rep().id],
    ]);
    const none = await repClient.call('interactions.log', {
      customerId: ownCustomer,
      kind: 'call',
      summary: '无下一步',
    });
    const noTask = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('tasks').select('id').where('source_id', '=', none.data.id).execute(),
    );
    expect(noTask).toEqual([]);
  });
});

describe('bulk changes', () => {
  it('all or nothing over ids: one the manager may not manage fails the whole change', async () => {
    const a = await createTaskIn(server, tenant.tenantId, rep().id, ownCustomer, '批量甲');
    const b = await createTaskIn(server, tenant.tenantId, rep().id, ownCustomer, '批量乙');
    const managerClient = await client(manager().id);
    const refused = await managerClient.call('tasks.bulk', {
      action: 'complete',
      target: { ids: [a, b, tasks.outsiders] },
    });
    expect(refused.error?.appCode).toBe('TASK_NOT_FOUND');
    expect((await taskRow(a)).status).toBe('open');
    expect((await taskRow(b)).status).toBe('open');

    const moved = await managerClient.call('tasks.bulk', {
      action: 'reschedule',
      target: { ids: [a, b] },
      dueOn: '2027-01-05',
    });
    expect(moved.data).toEqual({ changed: 2 });
    expect((await taskRow(b)).due_on).toBe('2027-01-05');
    const shifted = await managerClient.call('tasks.bulk', {
      action: 'reschedule',
      target: { ids: [a] },
      shiftDays: -3,
    });
    expect(shifted.data).toEqual({ changed: 1 });
    expect((await taskRow(a)).due_on).toBe('2027-01-02');
    const reassigned = await managerClient.call('tasks.bulk', {
      action: 'reassign',
      target: { ids: [a, b] },
      ownerUserId: manager().id,
    });
    expect(reassigned.data).toEqual({ changed: 2 });
    expect((await taskRow(a)).owner_user_id).toBe(manager().id);
    const outside = await managerClient.call('tasks.bulk', {
      action: 'reassign',
      target: { ids: [a] },
      ownerUserId: outsider.id,
    });
    expect(outside.error?.appCode).toBe('TASK_OWNER_INVALID');
  });

  it('by filter: every open task it matches among those the manager sees, and nothing else', async () => {
    const title = `筛选批量${crypto.randomUUID().slice(0, 6)}`;
    const mine = await createTaskIn(server, tenant.tenantId, rep().id, ownCustomer, title);
    const notSeen = await createTaskIn(server, tenant.tenantId, outsider.id, outsiderCustomer, title);
    const cancelled = await (await client(manager().id)).call('tasks.bulk', {
      action: 'cancel',
      target: { filter: { view: 'all', owner: 'any', search: title } },
      reason: '客户合并，任务作废',
    });
    expect(cancelled.data).toEqual({ changed: 1 });
    expect(await taskRow(mine)).toMatchObject({ status: 'cancelled', status_reason: '客户合并，任务作废' });
    expect((await taskRow(notSeen)).status).toBe('open');
  });
});

describe('creating', () => {
  it('the same Idempotency-Key creates the task once', async () => {
    const repClient = await client(rep().id);
    const key = crypto.randomUUID();
    const input = { title: '幂等任务', customerId: ownCustomer, dueOn: '2026-12-15', type: 'wechat' };
    const first = await repClient.call('tasks.create', input, { 'idempotency-key': key });
    const second = await repClient.call('tasks.create', input, { 'idempotency-key': key });
    expect(first.error).toBeNull();
    expect(second.data.id).toBe(first.data.id);
    const rows = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('tasks').select('id').where('title', '=', '幂等任务').execute(),
    );
    expect(rows).toHaveLength(1);
  });

  it('createTasks skips an occasion it already has (source_key) and counts what it inserted', async () => {
    const task = {
      title: '生日关怀',
      type: 'care' as const,
      customerId: ownCustomer,
      ownerUserId: rep().id,
      dueOn: '2027-02-01',
      source: 'reminder' as const,
      sourceKey: `reminder:birthday:${ownCustomer}:2027`,
    };
    const run = () =>
      server.database.withTenant(tenant.tenantId, (trx) =>
        createTasks(jobScope(trx, tenant.tenantId), [task, { ...task, sourceKey: null, title: '无键任务' }]),
      );
    expect(await run()).toBe(2);
    expect(await run()).toBe(1);
  });

  it('a task on the customer appears on its timeline when set and when done', async () => {
    const repClient = await client(rep().id);
    const created = await repClient.call('tasks.create', {
      title: '时间线任务',
      customerId: ownCustomer,
      dueOn: '2026-12-16',
    });
    await repClient.call('tasks.complete', { id: created.data.id });
    const timeline = await repClient.call('customers.timeline', { id: ownCustomer });
    expect(timeline.error).toBeNull();
    const events = timeline.data.items
      .filter((entry: { kind: string; id: string }) => entry.kind === 'task' && entry.id === created.data.id)
      .map((entry: { data: { event: string } }) => entry.data.event)
      .sort();
    expect(events).toEqual(['created', 'done']);
  });
});

describe('merging customers', () => {
  it('moves the merged customer’s tasks to the survivor, and undo moves exactly those back', async () => {
    const admin = await client(tenant.users.admin.id);
    const survivor = await createCustomerIn(server, tenant.tenantId, '苏州恒达机械', false, rep().id);
    const merged = await createCustomerIn(server, tenant.tenantId, '苏州恒达机械有限公司', false, rep().id);
    const open = await createTaskIn(server, tenant.tenantId, rep().id, merged, '回访恒达：报价跟进');
    const done = await createTaskIn(server, tenant.tenantId, rep().id, merged, '首次拜访恒达');
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update tasks set status = 'done', closed_at = now() where id = ${done}`.execute(trx),
    );
    const survivorsOwn = await createTaskIn(server, tenant.tenantId, rep().id, survivor, '恒达年度回顾');

    const result = await admin.call('customers.merge', { survivorId: survivor, mergedId: merged });
    expect(result.error, JSON.stringify(result.error)).toBeNull();
    expect((await taskRow(open)).customer_id).toBe(survivor);
    expect((await taskRow(done)).customer_id).toBe(survivor);
    expect((await taskRow(open)).status).toBe('open');
    const onSurvivor = await (await client(rep().id)).call('tasks.list', {
      view: 'all',
      customerId: survivor,
    });
    expect(ids(onSurvivor)).toEqual([open, done, survivorsOwn].sort());

    const undo = await admin.call('customers.unmerge', { mergeId: result.data.mergeId });
    expect(undo.error, JSON.stringify(undo.error)).toBeNull();
    expect((await taskRow(open)).customer_id).toBe(merged);
    expect((await taskRow(done)).customer_id).toBe(merged);
    expect((await taskRow(survivorsOwn)).customer_id).toBe(survivor);
  });
});

describe('telling the owner', () => {
  it('a task someone else gives you arrives in your notifications; your own does not; a bulk reassign is one notification', async () => {
    const repClient = await client(rep().id);
    const managerClient = await client(manager().id);
    const title = `经理分配的回访${crypto.randomUUID().slice(0, 6)}`;
    const given = await managerClient.call('tasks.create', {
      title,
      customerId: ownCustomer,
      ownerUserId: rep().id,
      dueOn: '2027-02-01',
    });
    expect(given.error, JSON.stringify(given.error)).toBeNull();
    const own = await repClient.call('tasks.create', { title: `${title}（自己）`, dueOn: '2027-02-01' });
    expect(own.error).toBeNull();
    const inbox = async () =>
      (await repClient.call('notifications.list', {})).data.items as {
        kind: string;
        title: string;
        link: string | null;
      }[];
    const mine = (await inbox()).filter((item) => item.title.includes(title));
    expect(mine).toEqual([
      expect.objectContaining({
        kind: 'task_assigned',
        title: `新任务：${title}`,
        link: `/customers/${ownCustomer}`,
      }),
    ]);

    const a = await createTaskIn(server, tenant.tenantId, manager().id, ownCustomer, `${title}-A`);
    const b = await createTaskIn(server, tenant.tenantId, manager().id, ownCustomer, `${title}-B`);
    const moved = await managerClient.call('tasks.bulk', {
      action: 'reassign',
      target: { ids: [a, b] },
      ownerUserId: rep().id,
    });
    expect(moved.data).toEqual({ changed: 2 });
    const batch = (await inbox()).filter((item) => item.title === '有 2 个任务分配给你');
    expect(batch).toHaveLength(1);
  });
});
