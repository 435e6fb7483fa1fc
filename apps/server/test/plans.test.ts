import { jobScope, refreshCustomerFacts, replanCustomers, syncTenantCadences } from '@crm/api';
import { type Database, sql, type Transaction } from '@crm/db';
import { createWorkCalendar, nextWorkingDay } from '@crm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';

/*
 * Maintenance plans (维护计划): every active customer gets the plans of its tier; plans put
 * their occurrences up to the horizon on the task list, never twice; a change of tier or owner
 * re-plans in the changing transaction; plans that need approval make no tasks until a
 * manager approves; the 行业配置 preview is exactly what the save then does.
 */

let server: TestServer;
const TODAY = '2026-03-02';

/** The default work calendar: Monday to Friday, statutory holidays and 调休 days. */
const CALENDAR = createWorkCalendar();

const STRATEGIC = 'b2b_strategic';
const KEY = 'b2b_key';
const ORDINARY = 'b2b_ordinary';

beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server.destroy());

function plugin(id: string) {
  const found = server.dependencies.plugins.get(id);
  if (!found) throw new Error(`no plugin ${id}`);
  return found;
}

async function withScope<T>(tenant: SeededTenant, work: (scope: ReturnType<typeof jobScope>) => Promise<T>) {
  return server.database.withTenant(tenant.tenantId, (trx) => work(jobScope(trx, tenant.tenantId)));
}

/** Places a customer in a tier (its row of customer_tiers), as a re-tier would. */
async function placeTier(trx: Transaction<Database>, tenantId: string, customerId: string, tier: string) {
  await sql`insert into customer_tiers (tenant_id, customer_id, tier, explanation)
    values (${tenantId}, ${customerId}, ${tier}, '{}')`.execute(trx);
}

/** A tenant with its profile's cadences in force and customers of the given tiers, owned by the rep. */
async function tenantWithCustomers(tiers: readonly string[], industry = 'b2b') {
  const tenant = await seedTenant(
    server.database,
    `维护计划测试${crypto.randomUUID().slice(0, 4)}`,
    industry,
  );
  const team = await server.database.withTenant(tenant.tenantId, async (trx) => {
    const row = await trx
      .insertInto('teams')
      .values({ tenant_id: tenant.tenantId, name: '华东销售部' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('memberships')
      .set({ team_id: row.id })
      .where('tenant_id', '=', tenant.tenantId)
      .where('user_id', 'in', [tenant.users.sales_rep.id, tenant.users.sales_manager.id])
      .execute();
    return row.id;
  });
  const ids = await withScope(tenant, async (scope) => {
    await syncTenantCadences(scope, plugin(industry), plugin(industry).settings.schema.parse({}));
    const ids: string[] = [];
    for (const [index, tier] of tiers.entries()) {
      const row = await scope.trx
        .insertInto('customers')
        .values({
          tenant_id: tenant.tenantId,
          name: `计划客户${index + 1}`,
          kind: 'company',
          owner_user_id: tenant.users.sales_rep.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await placeTier(scope.trx, tenant.tenantId, row.id, tier);
      ids.push(row.id);
    }
    return ids;
  });
  return { tenant, ids, team };
}

type TaskRow = {
  id: string;
  customer_id: string;
  owner_user_id: string | null;
  team_id: string | null;
  type: string;
  title: string;
  status: string;
  status_reason: string | null;
  due_on: string;
  source_id: string;
  source_key: string;
};

async function planTasks(tenant: SeededTenant): Promise<TaskRow[]> {
  return withScope(tenant, async ({ trx }) => {
    const { rows } = await sql<TaskRow>`
      select id, customer_id, owner_user_id, team_id, type, title, status, status_reason,
        to_char(due_on, 'YYYY-MM-DD') as due_on, source_id, source_key
      from tasks where source = 'plan' order by due_on, source_key`.execute(trx);
    return rows;
  });
}

type PlanRow = { id: string; customer_id: string; cadence_key: string; status: string; anchor_on: string };

async function plans(tenant: SeededTenant): Promise<PlanRow[]> {
  return withScope(tenant, async ({ trx }) => {
    const { rows } = await sql<PlanRow>`
      select id, customer_id, cadence_key, status, to_char(anchor_on, 'YYYY-MM-DD') as anchor_on
      from maintenance_plans order by created_at, id`.execute(trx);
    return rows;
  });
}

/**
 * The occurrences of a plan from `from` to `to` (both included): the anchor plus any whole
 * number of intervals, months added as PostgreSQL adds them (the end of a month clamps).
 */
function occurrences(
  anchor: string,
  every: number,
  unit: 'day' | 'week' | 'month',
  from: string,
  to: string,
) {
  const days: string[] = [];
  const [year, month, day] = anchor.split('-').map(Number) as [number, number, number];
  for (let n = -24; n < 200; n += 1) {
    let date: Date;
    if (unit === 'month') {
      const target = new Date(Date.UTC(year, month - 1 + n * every, 1));
      const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      date = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(day, last)));
    } else {
      date = new Date(Date.UTC(year, month - 1, day + n * every * (unit === 'week' ? 7 : 1)));
    }
    const text = date.toISOString().slice(0, 10);
    if (text > to) break;
    if (text >= from) days.push(text);
  }
  return days;
}

function addDays(day: string, count: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

describe('generation', () => {
  it('gives every active customer the plans of its tier and puts their occurrences up to the horizon on the task list', async () => {
    const tiers = [...Array(12).fill(KEY), ...Array(12).fill(ORDINARY), ...Array(3).fill(STRATEGIC)];
    const { tenant, ids, team } = await tenantWithCustomers(tiers);
    // An archived customer and one without a tier get none.
    await withScope(tenant, async ({ trx }) => {
      const archived = await trx
        .insertInto('customers')
        .values([
          { tenant_id: tenant.tenantId, name: '已归档', kind: 'company', archived_at: new Date() },
          { tenant_id: tenant.tenantId, name: '未分层', kind: 'company' },
        ] as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await placeTier(trx, tenant.tenantId, archived.id, KEY);
    });

    const outcome = await withScope(tenant, (scope) => replanCustomers(scope, 'all', { today: TODAY }));
    const made = await plans(tenant);
    expect(made).toHaveLength(ids.length);
    expect(outcome.plansCreated).toBe(ids.length);
    // b2b's strategic cadence asks for a manager's approval: those plans wait and make no tasks.
    expect(made.filter((plan) => plan.status === 'pending')).toHaveLength(3);
    expect(outcome.plansPending).toBe(3);

    const horizonEnd = addDays(TODAY, 90);
    const expected = made
      .filter((plan) => plan.status === 'active')
      .flatMap((plan) => {
        const every = plan.cadence_key === 'b2b_key_call_back' ? 3 : 6;
        expect(plan.anchor_on >= TODAY && plan.anchor_on < addDays(TODAY, every * 30)).toBe(true);
        return occurrences(plan.anchor_on, every, 'month', TODAY, horizonEnd).map(
          (day) => `plan:${plan.id}:${day}`,
        );
      })
      .sort();
    const tasks = await planTasks(tenant);
    expect(tasks.map((task) => task.source_key).sort()).toEqual(expected);
    expect(outcome.tasksAdded).toBe(expected.length);
    expect(tasks.length).toBeGreaterThanOrEqual(12);
    for (const task of tasks) {
      expect(task.status).toBe('open');
      expect(task.owner_user_id).toBe(tenant.users.sales_rep.id);
      expect(task.team_id).toBe(team);
      // Due on the occurrence's day, or the next working day when it falls on a weekend or holiday.
      expect(task.due_on).toBe(nextWorkingDay(CALENDAR, task.source_key.slice(-10)));
      const day = task.source_key.slice(-10);
      expect(day >= TODAY && day <= horizonEnd).toBe(true);
    }
    const keyTask = tasks.find(
      (task) => made.find((plan) => plan.id === task.source_id)?.cadence_key === 'b2b_key_call_back',
    );
    expect(keyTask).toMatchObject({ type: 'call', title: '季度回访' });
    const careTask = tasks.find(
      (task) => made.find((plan) => plan.id === task.source_id)?.cadence_key === 'b2b_ordinary_care',
    );
    expect(careTask?.title).toBe('半年度关怀回访');
  });

  it('never makes an occurrence twice: the job run again the same day does nothing, the next day only extends', async () => {
    const { tenant } = await tenantWithCustomers(Array(20).fill(KEY));
    await withScope(tenant, (scope) => replanCustomers(scope, 'all', { today: TODAY }));
    const first = await planTasks(tenant);
    const again = await withScope(tenant, (scope) => replanCustomers(scope, 'all', { today: TODAY }));
    expect(again).toEqual({
      plansCreated: 0,
      plansPending: 0,
      plansEnded: 0,
      tasksAdded: 0,
      tasksMoved: 0,
      tasksCancelled: 0,
    });
    expect(await planTasks(tenant)).toEqual(first);
    // A done task's occasion is never made again.
    const done = first[0];
    if (!done) throw new Error('no task');
    await withScope(tenant, ({ trx }) =>
      trx
        .updateTable('tasks')
        .set({ status: 'done', closed_at: new Date() })
        .where('id', '=', done.id)
        .execute(),
    );
    // Three months on, the horizon has moved: new occurrences only, and each occasion once.
    const later = addDays(TODAY, 95);
    await withScope(tenant, (scope) => replanCustomers(scope, 'all', { today: later }));
    const tasks = await planTasks(tenant);
    expect(new Set(tasks.map((task) => task.source_key)).size).toBe(tasks.length);
    expect(tasks.filter((task) => task.source_key === done.source_key)).toHaveLength(1);
    expect(tasks.filter((task) => task.due_on > addDays(TODAY, 90)).length).toBeGreaterThan(0);
  });

  it('moves an occurrence that falls in 劳动节 to the next working day, keeping its occasion', async () => {
    const { tenant } = await tenantWithCustomers([KEY]);
    await withScope(tenant, async (scope) => {
      await replanCustomers(scope, 'all', { today: TODAY });
      await sql`delete from tasks where source = 'plan'`.execute(scope.trx);
      await sql`update maintenance_plans set anchor_on = '2026-05-01'`.execute(scope.trx);
      await replanCustomers(scope, 'all', { today: TODAY });
    });
    const [task] = await planTasks(tenant);
    expect(task?.source_key.endsWith(':2026-05-01')).toBe(true);
    expect(task?.due_on).toBe(nextWorkingDay(CALENDAR, '2026-05-01'));
    expect(task?.due_on).not.toBe('2026-05-01');
  });
});

describe('kept current', () => {
  it('a tier change re-plans in the same transaction, and a rolled-back change moves nothing', async () => {
    const { tenant, ids } = await tenantWithCustomers(Array(6).fill(ORDINARY).concat(Array(6).fill(KEY)));
    await withScope(tenant, (scope) => replanCustomers(scope, 'all', { today: TODAY }));
    const before = await planTasks(tenant);
    const beforePlans = await plans(tenant);
    const keyCustomers = ids.slice(6, 9);

    // Rolled back: the change and its re-plan go together.
    await expect(
      withScope(tenant, async (scope) => {
        await sql`update customer_tiers set tier = ${ORDINARY}, changed_at = now() where customer_id = any(${keyCustomers}::uuid[])`.execute(
          scope.trx,
        );
        const outcome = await replanCustomers(scope, 'changed_now', { today: TODAY });
        expect(outcome.plansEnded).toBe(3);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await planTasks(tenant)).toEqual(before);
    expect(await plans(tenant)).toEqual(beforePlans);

    // Committed: the key call-backs of the moved customers are cancelled, their care plans start.
    const outcome = await withScope(tenant, async (scope) => {
      await sql`update customer_tiers set tier = ${ORDINARY}, changed_at = now() where customer_id = any(${keyCustomers}::uuid[])`.execute(
        scope.trx,
      );
      return replanCustomers(scope, 'changed_now', { today: TODAY });
    });
    expect(outcome.plansEnded).toBe(3);
    expect(outcome.plansCreated).toBe(3);
    const after = await planTasks(tenant);
    const cancelled = after.filter((task) => task.status === 'cancelled');
    expect(cancelled.map((task) => task.customer_id).sort()).toEqual(
      before
        .filter((task) => keyCustomers.includes(task.customer_id))
        .map((task) => task.customer_id)
        .sort(),
    );
    expect(outcome.tasksCancelled).toBe(cancelled.length);
    expect(cancelled[0]?.status_reason).toBe('客户层级已变，改按新层级的维护计划');
    const ended = (await plans(tenant)).filter((plan) => plan.status === 'ended');
    expect(ended.map((plan) => plan.customer_id).sort()).toEqual([...keyCustomers].sort());
    // The others were not touched.
    const untouched = before.filter((task) => !keyCustomers.includes(task.customer_id));
    expect(after.filter((task) => !keyCustomers.includes(task.customer_id))).toEqual(untouched);
  });

  it("an owner change moves the customer's open plan tasks to the new owner, in their language", async () => {
    const { tenant, ids } = await tenantWithCustomers(Array(4).fill(KEY));
    await withScope(tenant, (scope) => replanCustomers(scope, 'all', { today: TODAY }));
    await server.database.withScope({}, (trx) =>
      trx
        .updateTable('users')
        .set({ locale: 'en' })
        .where('id', '=', tenant.users.sales_manager.id)
        .execute(),
    );
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const moved = ids.slice(0, 2);
    const result = await admin.call('customers.reassign', {
      ids: moved,
      ownerUserId: tenant.users.sales_manager.id,
    });
    expect(result.error).toBeNull();
    const tasks = (await planTasks(tenant)).filter(
      (task) => task.due_on >= new Date().toISOString().slice(0, 10),
    );
    for (const task of tasks) {
      if (moved.includes(task.customer_id)) {
        expect(task.owner_user_id).toBe(tenant.users.sales_manager.id);
        expect(task.title).toBe('Quarterly call-back');
      } else {
        expect(task.owner_user_id).toBe(tenant.users.sales_rep.id);
      }
    }
  });

  it('archiving a customer ends its plans and cancels its future plan tasks', async () => {
    const { tenant, ids } = await tenantWithCustomers(Array(3).fill(KEY));
    await withScope(tenant, (scope) => replanCustomers(scope, 'all'));
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const target = ids[0] as string;
    expect((await admin.call('customers.archive', { id: target })).error).toBeNull();
    const tasks = (await planTasks(tenant)).filter((task) => task.customer_id === target);
    expect(tasks.every((task) => task.status === 'cancelled')).toBe(true);
    expect((await plans(tenant)).find((plan) => plan.customer_id === target)?.status).toBe('ended');
  });
});

describe('approvals', () => {
  it('a plan that needs approval waits in the managers’ inbox and makes tasks once approved', async () => {
    const { tenant, ids } = await tenantWithCustomers([STRATEGIC, STRATEGIC, KEY]);
    await withScope(tenant, (scope) => replanCustomers(scope, 'all'));
    const manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);

    expect((await rep.call('plans.approvals', {})).error?.code).toBe('FORBIDDEN');
    const inbox = await manager.call('plans.approvals', {});
    expect(inbox.error).toBeNull();
    const items = inbox.data.items as Array<{
      id: string;
      customerId: string;
      status: string;
      cadence: { goals: unknown[] };
    }>;
    expect(items).toHaveLength(2);
    expect(inbox.data.total).toBe(2);
    expect(items[0]?.cadence.goals).toContainEqual({ 'zh-CN': '年度增购 ≥ 20%', en: 'Annual upsell ≥ 20 %' });
    const strategicTasks = async () =>
      (await planTasks(tenant)).filter((task) => task.customer_id === ids[0] || task.customer_id === ids[1]);
    expect(await strategicTasks()).toHaveLength(0);

    const [first, second] = items;
    if (!first || !second) throw new Error('inbox');
    // A manager of another team does not see them.
    const other = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const team = await trx
        .insertInto('teams')
        .values({ tenant_id: tenant.tenantId, name: '华南销售部' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('memberships')
        .set({ team_id: team.id })
        .where('tenant_id', '=', tenant.tenantId)
        .where('user_id', '=', tenant.users.sales_manager.id)
        .execute();
      return team.id;
    });
    expect(other).toBeTruthy();
    expect((await manager.call('plans.approvals', {})).data.items).toHaveLength(0);
    expect((await manager.call('plans.approve', { planId: first.id })).error?.appCode).toBe('PLAN_NOT_FOUND');

    const rejected = await admin.call('plans.reject', {
      planId: second.id,
      comment: '拜访频次过高，请先和客户确认',
    });
    expect(rejected.error).toBeNull();
    expect(rejected.data).toMatchObject({ status: 'rejected', tasksAdded: 0 });
    expect((await admin.call('plans.reject', { planId: second.id, comment: '再次' })).error?.appCode).toBe(
      'PLAN_STATUS_CHANGED',
    );
    expect((await admin.call('plans.reject', { planId: first.id, comment: '  ' })).error?.code).toBe(
      'BAD_REQUEST',
    );

    const approved = await admin.call('plans.approve', { planId: first.id, comment: '同意' });
    expect(approved.error).toBeNull();
    expect(approved.data.status).toBe('active');
    const tasks = await strategicTasks();
    expect(tasks.length).toBe(approved.data.tasksAdded);
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    expect(tasks.every((task) => task.customer_id === first.customerId && task.type === 'visit')).toBe(true);

    // The customer's card shows the plan, its goals, its next occurrences and the decision.
    const card = await rep.call('plans.forCustomer', { customerId: first.customerId });
    expect(card.error).toBeNull();
    const plan = card.data.plans[0];
    expect(plan.status).toBe('active');
    expect(plan.next.length).toBeGreaterThan(0);
    expect(plan.decisions).toEqual([expect.objectContaining({ action: 'approve', comment: '同意' })]);
    expect(plan.tierLabels).toEqual({ 'zh-CN': '战略客户', en: 'Strategic' });

    // The customer's timeline tells the plan's story: submitted, approved with the comment.
    const timeline = await rep.call('customers.timeline', { id: first.customerId });
    expect(timeline.error).toBeNull();
    const planEvents = timeline.data.items
      .filter((entry: { kind: string }) => entry.kind === 'plan')
      .map((entry: { data: { event: string; comment?: string | null; zh: string | null } }) => entry.data);
    expect(planEvents).toEqual([
      expect.objectContaining({ event: 'approve', comment: '同意' }),
      expect.objectContaining({ event: 'submitted' }),
    ]);
    expect(planEvents[0].zh).toBeTruthy();

    // The owner heard both decisions, with the comments.
    const told = async (userId: string) =>
      withScope(tenant, async ({ trx }) => {
        const { rows } = await sql<{ message_key: string; params: Record<string, string> }>`
          select message_key, params from notifications where user_id = ${userId} order by created_at, id`.execute(
          trx,
        );
        return rows;
      });
    expect(await told(tenant.users.sales_rep.id)).toEqual([
      expect.objectContaining({
        message_key: 'plan_rejected',
        params: expect.objectContaining({ comment: '拜访频次过高，请先和客户确认' }),
      }),
      expect.objectContaining({
        message_key: 'plan_approved',
        params: expect.objectContaining({ comment: '同意' }),
      }),
    ]);

    // A rejected plan, its goals revised, goes back to the inbox, and its approvers hear of it.
    expect(
      (await admin.call('plans.setGoals', { planId: second.id, goals: ['年度增购 ≥ 15%'] })).error,
    ).toBeNull();
    expect((await admin.call('plans.submit', { planId: second.id })).data.status).toBe('pending');
    expect((await told(tenant.users.owner.id)).map((row) => row.message_key)).toContain('plan_approval');
    expect(
      (await admin.call('plans.approvals', {})).data.items.map((item: { id: string }) => item.id),
    ).toEqual([second.id]);
  });

  it('a tenant setting makes every new plan wait for approval', async () => {
    const { tenant } = await tenantWithCustomers([KEY, ORDINARY]);
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const saved = await admin.call('plans.saveSettings', { requireApproval: true, horizonDays: 60 });
    expect(saved.error).toBeNull();
    expect((await admin.call('plans.settings')).data).toMatchObject({
      requireApproval: true,
      horizonDays: 60,
    });
    expect((await plans(tenant)).every((plan) => plan.status === 'pending')).toBe(true);
    expect(await planTasks(tenant)).toHaveLength(0);
  });
});

describe('行业配置 preview', () => {
  it('counts exactly what the save then does: tier thresholds, and a cadence change', async () => {
    const tenant = await seedTenant(server.database, `维护计划预览${crypto.randomUUID().slice(0, 4)}`, 'b2b');
    await withScope(tenant, async ({ trx }) => {
      for (let index = 0; index < 30; index += 1) {
        const row = await trx
          .insertInto('customers')
          .values({
            tenant_id: tenant.tenantId,
            name: `预览客户${index + 1}`,
            kind: 'company',
            owner_user_id: tenant.users.sales_rep.id,
            custom_fields: JSON.stringify({
              b2b_industry_growth: ['high', 'medium', 'low'][index % 3],
              b2b_willingness: (index % 5) + 1,
              b2b_need_extensibility: ((index * 3) % 5) + 1,
            }),
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('orders')
          .values({
            tenant_id: tenant.tenantId,
            customer_id: row.id,
            ordered_at: new Date(Date.now() - ((index * 17) % 300) * 86_400_000),
            amount: String(1000 * (index + 1)),
            profit: String(150 * (index + 1)),
          })
          .execute();
      }
      await refreshCustomerFacts(jobScope(trx, tenant.tenantId), 'all', 'daily');
    });
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const first = await admin.call('industry.save', { settings: {}, expectedVersion: 0 });
    expect(first.error).toBeNull();
    expect(first.data.plans.plansCreated).toBeGreaterThan(0);
    const settings = (await admin.call('industry.settings')).data.settings;

    // Lower thresholds move customers up; yearly care calls instead of half-yearly.
    const faster = { ...settings, cadences: { ...settings.cadences, ordinaryMonths: 12 } };
    faster.tiers = { strategicMin: 80, keyMin: 40, ordinaryMin: 20 };
    const tasksBefore = await planTasks(tenant);
    const preview = await admin.call('industry.preview', { settings: faster });
    expect(preview.error).toBeNull();
    expect(await planTasks(tenant)).toEqual(tasksBefore);
    expect(preview.data.plans.plansEnded).toBeGreaterThan(0);
    const saved = await admin.call('industry.save', { settings: faster, expectedVersion: 1 });
    expect(saved.error).toBeNull();
    expect(saved.data.plans).toEqual(preview.data.plans);

    // Half-yearly care calls again: a plan whose next yearly call is 200 days away gets one in ~20 days.
    await withScope(tenant, ({ trx }) =>
      sql`update maintenance_plans set anchor_on = current_date + 200
        where cadence_key = 'b2b_ordinary_care' and status = 'active'`.execute(trx),
    );
    expect(
      (await plans(tenant)).filter((plan) => plan.cadence_key === 'b2b_ordinary_care').length,
    ).toBeGreaterThan(0);
    const slower = { ...faster, cadences: { ...faster.cadences, ordinaryMonths: 6 } };
    const cadencePreview = await admin.call('industry.preview', { settings: slower });
    expect(cadencePreview.data.plans.tasksAdded).toBeGreaterThan(0);
    const cadenceSaved = await admin.call('industry.save', { settings: slower, expectedVersion: 2 });
    expect(cadenceSaved.data.plans).toEqual(cadencePreview.data.plans);
    const open = (await planTasks(tenant)).filter((task) => task.status === 'open');
    expect(new Set(open.map((task) => task.source_key)).size).toBe(open.length);
  });
});
