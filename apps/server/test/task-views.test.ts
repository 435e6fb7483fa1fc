import { type Role, sql } from '@crm/db';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';
import { createCustomerIn, createTeamIn } from './procedure-cases';

/**
 * The task calendar (tasks.calendar) and the team's overdue board (tasks.overdueBoard), on a
 * fixed clock: which tasks fall in a week, who sees whose, and the overdue counts by owner
 * and by customer tier with the list behind each figure (tasks.list by tier).
 */
let server: TestServer;
let tenant: SeededTenant;
let outsider: string;
/** 2026-12-09 10:00 in Shanghai: today is Wednesday 2026-12-09. */
const NOW = new Date('2026-12-09T02:00:00Z');
const titles = (result: { data: { items: { title: string }[] } }) =>
  result.data.items.map((item) => item.title);

const client = (userId: string) => signedInClient(server, userId, tenant.tenantId);
const rep = () => tenant.users.sales_rep;
const manager = () => tenant.users.sales_manager;

async function addMember(role: Role, team: string | null) {
  const user = await server.database.withScope({}, (trx) =>
    trx
      .insertInto('users')
      .values({
        email: `${role}.${crypto.randomUUID().slice(0, 8)}@example.com`,
        name: '外组销售',
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
  return user.id;
}

async function addTask(
  owner: string | null,
  customerId: string | null,
  title: string,
  dueOn: string,
  status: 'open' | 'done' | 'cancelled' = 'open',
  teamId: string | null = null,
) {
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .insertInto('tasks')
      .values({
        tenant_id: tenant.tenantId,
        title,
        type: 'visit',
        owner_user_id: owner,
        team_id: teamId,
        customer_id: customerId,
        due_on: dueOn,
        status,
        closed_at: status === 'open' ? null : `${dueOn}T09:00:00Z`,
      })
      .execute(),
  );
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '任务视图测试企业');
  const teamId = await createTeamIn(server, tenant.tenantId, '华东销售组');
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .updateTable('memberships')
      .set({ team_id: teamId })
      .where('user_id', 'in', [rep().id, manager().id])
      .execute(),
  );
  outsider = await addMember('sales_rep', null);
  const strategic = await createCustomerIn(server, tenant.tenantId, '华东精密机械', false, rep().id);
  const potential = await createCustomerIn(server, tenant.tenantId, '苏州瑞丰电子', false, rep().id);
  const untiered = await createCustomerIn(server, tenant.tenantId, '杭州东方贸易', false, manager().id);
  const outsiders = await createCustomerIn(server, tenant.tenantId, '宁波远洋物流', false, outsider);
  await server.database.withTenant(tenant.tenantId, async (trx) => {
    await sql`insert into customer_tiers (tenant_id, customer_id, tier, explanation)
      values (${tenant.tenantId}, ${strategic}, 'strategic', '{}'), (${tenant.tenantId}, ${potential}, 'potential', '{}')`.execute(
      trx,
    );
  });
  await addTask(rep().id, strategic, '季度需求回顾：华东精密机械', '2026-11-20'); // 19 days overdue
  await addTask(rep().id, strategic, '月度拜访：华东精密机械', '2026-12-07'); // Monday, overdue
  await addTask(rep().id, potential, '首单满意度回访：苏州瑞丰电子', '2026-12-08'); // overdue
  await addTask(rep().id, potential, '生日问候：苏州瑞丰电子', '2026-12-09'); // today
  await addTask(rep().id, potential, '电话确认交期：苏州瑞丰电子', '2026-12-11');
  await addTask(rep().id, potential, '已完成的拜访', '2026-12-08', 'done');
  await addTask(rep().id, potential, '已取消的拜访', '2026-12-10', 'cancelled');
  await addTask(rep().id, potential, '下周的回访', '2026-12-14'); // next week
  await addTask(manager().id, untiered, '经理的回访：杭州东方贸易', '2026-12-01'); // overdue
  await addTask(null, null, '组里待分配的任务', '2026-12-05', 'open', teamId); // the team's, nobody's
  await addTask(outsider, outsiders, '外组的逾期任务', '2026-11-30');
});
afterAll(() => server.destroy());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('tasks.calendar', () => {
  it("gives a rep their open and done tasks of the week in day order, not cancelled ones nor anyone else's", async () => {
    const week = await (await client(rep().id)).call('tasks.calendar', {
      from: '2026-12-07',
      to: '2026-12-13',
    });
    expect(week.error).toBeNull();
    expect(titles(week)).toEqual([
      '月度拜访：华东精密机械',
      '首单满意度回访：苏州瑞丰电子',
      '已完成的拜访',
      '生日问候：苏州瑞丰电子',
      '电话确认交期：苏州瑞丰电子',
    ]);
    expect(week.data.today).toBe('2026-12-09');
    expect(week.data.truncated).toBe(false);
    const overdue = week.data.items
      .filter((task: { overdue: boolean }) => task.overdue)
      .map((task: { title: string }) => task.title);
    expect(overdue).toEqual(['月度拜访：华东精密机械', '首单满意度回访：苏州瑞丰电子']);
    // Another member's calendar shows a rep nothing of theirs.
    const others = await (await client(rep().id)).call('tasks.calendar', {
      from: '2026-11-23',
      to: '2027-01-03',
      owner: outsider,
    });
    expect(titles(others)).toEqual([]);
  });

  it("shows a manager the team's month, and refuses a range that is backwards or too long", async () => {
    const team = await (await client(manager().id)).call('tasks.calendar', {
      from: '2026-11-30',
      to: '2027-01-10',
      owner: 'any',
    });
    expect(titles(team)).toContain('经理的回访：杭州东方贸易');
    expect(titles(team)).toContain('下周的回访');
    expect(titles(team)).not.toContain('外组的逾期任务');
    const managerClient = await client(manager().id);
    for (const range of [
      { from: '2026-12-13', to: '2026-12-07' },
      { from: '2026-12-01', to: '2027-03-01' },
    ]) {
      const refused = await managerClient.call('tasks.calendar', range);
      expect(refused.error?.appCode, JSON.stringify(range)).toBe('TASK_CALENDAR_RANGE');
    }
  });
});

describe('tasks.overdueBoard', () => {
  it("counts the team's overdue tasks by owner and by customer tier, oldest first, without other teams", async () => {
    const board = await (await client(manager().id)).call('tasks.overdueBoard');
    expect(board.error).toBeNull();
    expect(board.data.today).toBe('2026-12-09');
    expect(board.data.total).toBe(5);
    expect(board.data.overWeek).toBe(2);
    const reps = board.data.reps.map(
      (row: {
        name: string | null;
        overdue: number;
        overWeek: number;
        dueToday: number;
        oldestDueOn: string | null;
      }) => [row.name, row.overdue, row.overWeek, row.dueToday, row.oldestDueOn],
    );
    expect(reps).toEqual([
      [rep().name, 3, 1, 1, '2026-11-20'],
      [manager().name, 1, 1, 0, '2026-12-01'],
      [null, 1, 0, 0, '2026-12-05'],
    ]);
    const tiers = board.data.tiers.map((row: { tier: string | null; overdue: number; overWeek: number }) => [
      row.tier,
      row.overdue,
      row.overWeek,
    ]);
    expect(tiers).toEqual([
      ['strategic', 2, 1],
      [null, 2, 1],
      ['potential', 1, 0],
    ]);
  });

  it('lists the tasks behind a tier row, and an admin sees every team', async () => {
    const managerClient = await client(manager().id);
    const strategic = await managerClient.call('tasks.list', {
      view: 'overdue',
      owner: 'any',
      tier: 'strategic',
    });
    expect(titles(strategic)).toEqual(['季度需求回顾：华东精密机械', '月度拜访：华东精密机械']);
    const none = await managerClient.call('tasks.list', { view: 'overdue', owner: 'any', tier: null });
    expect(titles(none)).toEqual(['经理的回访：杭州东方贸易', '组里待分配的任务']);
    const admin = await (await client(tenant.users.admin.id)).call('tasks.overdueBoard');
    expect(admin.data.total).toBe(6);
  });

  it('is for those who manage tasks: a rep is refused', async () => {
    const refused = await (await client(rep().id)).call('tasks.overdueBoard');
    expect(refused.error?.appCode).toBe('FORBIDDEN');
  });
});
