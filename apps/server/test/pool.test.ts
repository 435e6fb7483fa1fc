import { jobScope, runPoolRecycle } from '@crm/api';
import { type Role, sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  testPasswordHash,
} from './helpers';
import { createTeamIn } from './procedure-cases';

/*
 * 公海 (the public pool) on a fixed clock: the daily recycle on 2027-03-15 (Beijing) returns an
 * A lead idle for 10 days (7-day rule) and a 普通客户 without contact for 73 days (30-day rule),
 * keeps a 战略客户 (never) until the tenant overrides it, warns owners 3 days ahead once;
 * reps claim within their daily limit — two reps claiming the same lead: one wins, the other
 * is told; release with a reason; managers assign from the pool to their team only; every
 * move is recorded and on the customer's timeline.
 */

const AT = new Date('2027-03-15T01:00:00Z'); // 09:00 in Shanghai
const TODAY = '2027-03-15';

let server: TestServer;
let tenant: SeededTenant;
let team: string;
let repA: string;
let repB: string;
let outsider: string;

async function addMember(role: Role, teamId: string | null, name: string): Promise<string> {
  const passwordHash = await testPasswordHash();
  const user = await server.database.withScope({}, (trx) =>
    trx
      .insertInto('users')
      .values({
        email: `${crypto.randomUUID().slice(0, 12)}@example.com`,
        name,
        password_hash: passwordHash,
        locale: 'zh-CN',
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .insertInto('memberships')
      .values({ tenant_id: tenant.tenantId, user_id: user.id, role, team_id: teamId })
      .execute(),
  );
  return user.id;
}

function insertLead(values: {
  name: string;
  owner: string | null;
  gradeKey: string;
  createdAt: string;
  lastContactAt?: string;
  inPool?: boolean;
}): Promise<string> {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const { rows } = await sql<{ id: string }>`
      insert into leads (tenant_id, person_name, owner_user_id, grade, grade_key, created_at, assigned_at,
        last_contact_at, in_pool, released_at)
      values (${tenant.tenantId}, ${values.name}, ${values.owner}, upper(right(${values.gradeKey}, 1)), ${values.gradeKey},
        ${values.createdAt}::timestamptz, ${values.owner ? values.createdAt : null}::timestamptz,
        ${values.lastContactAt ?? null}::timestamptz, ${values.inPool ?? false},
        ${values.inPool ? values.createdAt : null}::timestamptz)
      returning id`.execute(trx);
    return (rows[0] as { id: string }).id;
  });
}

function insertCustomer(values: {
  name: string;
  owner: string;
  tier: string;
  assignedAt: string;
}): Promise<string> {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const { rows } = await sql<{ id: string }>`
      insert into customers (tenant_id, name, kind, owner_user_id, owner_assigned_at, created_at)
      values (${tenant.tenantId}, ${values.name}, 'company', ${values.owner},
        ${values.assignedAt}::timestamptz, ${values.assignedAt}::timestamptz)
      returning id`.execute(trx);
    const id = (rows[0] as { id: string }).id;
    await sql`insert into customer_tiers (tenant_id, customer_id, tier, explanation)
      values (${tenant.tenantId}, ${id}, ${values.tier}, '{}')`.execute(trx);
    return id;
  });
}

async function stateOf(table: 'leads' | 'customers', id: string) {
  const { rows } = await server.database.withTenant(tenant.tenantId, (trx) =>
    sql<{ owner_user_id: string | null; in_pool: boolean }>`
      select owner_user_id, in_pool from ${sql.table(table)} where id = ${id}`.execute(trx),
  );
  return rows[0];
}

async function movesOf(column: 'lead_id' | 'customer_id', id: string) {
  const { rows } = await server.database.withTenant(tenant.tenantId, (trx) =>
    sql<{
      kind: string;
      reason: string | null;
      from_user_id: string | null;
      to_user_id: string | null;
      data: Record<string, unknown>;
    }>`
      select kind, reason, from_user_id, to_user_id, data from pool_moves
      where ${sql.ref(column)} = ${id} order by occurred_at, id`.execute(trx),
  );
  return rows;
}

function recycle(today = TODAY, at = AT) {
  return server.database.withTenant(tenant.tenantId, (trx) =>
    runPoolRecycle(jobScope(trx, tenant.tenantId), server.dependencies.plugins, { today, at }),
  );
}

async function warningsOf(userId: string) {
  const { rows } = await server.database.withTenant(tenant.tenantId, (trx) =>
    sql<{ message_key: string; params: Record<string, unknown> }>`
      select message_key, params from notifications where user_id = ${userId} and kind = 'pool_recycle_warning'
      order by created_at`.execute(trx),
  );
  return rows;
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '公海测试', 'b2b');
  team = await createTeamIn(server, tenant.tenantId, '华东组');
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .updateTable('memberships')
      .set({ team_id: team })
      .where('tenant_id', '=', tenant.tenantId)
      .where('user_id', '=', tenant.users.sales_manager.id)
      .execute(),
  );
  repA = await addMember('sales_rep', team, '销售小王');
  repB = await addMember('sales_rep', team, '销售小李');
  outsider = await addMember('sales_rep', null, '别组小赵');
});
afterAll(() => server?.destroy());

describe('the daily recycle', () => {
  it('returns idle leads and customers by grade and tier, warns once, and follows the tenant’s overrides', async () => {
    const idleA = await insertLead({
      name: 'A级闲置',
      owner: repA,
      gradeKey: 'b2b_lead_a',
      createdAt: '2027-03-05T02:00:00Z',
    });
    const contactedA = await insertLead({
      name: 'A级刚联系',
      owner: repA,
      gradeKey: 'b2b_lead_a',
      createdAt: '2027-03-01T02:00:00Z',
      lastContactAt: '2027-03-13T08:00:00Z',
    });
    const soonB = await insertLead({
      name: 'B级将到期',
      owner: repA,
      gradeKey: 'b2b_lead_b',
      createdAt: '2027-03-02T02:00:00Z',
    });
    const freshC = await insertLead({
      name: 'C级培育',
      owner: repA,
      gradeKey: 'b2b_lead_c',
      createdAt: '2027-03-01T02:00:00Z',
    });
    const strategic = await insertCustomer({
      name: '战略大客户',
      owner: repB,
      tier: 'b2b_strategic',
      assignedAt: '2026-01-05T02:00:00Z',
    });
    const ordinary = await insertCustomer({
      name: '普通小客户',
      owner: repB,
      tier: 'b2b_ordinary',
      assignedAt: '2027-01-01T02:00:00Z',
    });
    const visited = await insertCustomer({
      name: '刚拜访的客户',
      owner: repB,
      tier: 'b2b_ordinary',
      assignedAt: '2027-01-01T02:00:00Z',
    });
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`insert into interactions (tenant_id, customer_id, kind, occurred_at, user_id, summary)
          values (${tenant.tenantId}, ${visited}, 'visit', '2027-03-10T03:00:00Z', ${repB}, '上门拜访')`.execute(
        trx,
      ),
    );

    const first = await recycle();
    expect(first).toMatchObject({ today: TODAY, leads: 1, customers: 1 });
    expect(await stateOf('leads', idleA)).toEqual({ owner_user_id: null, in_pool: true });
    for (const kept of [contactedA, soonB, freshC])
      expect((await stateOf('leads', kept))?.owner_user_id).toBe(repA);
    expect(await stateOf('customers', ordinary)).toEqual({ owner_user_id: null, in_pool: true });
    expect((await stateOf('customers', strategic))?.owner_user_id).toBe(repB);
    expect((await stateOf('customers', visited))?.owner_user_id).toBe(repB);
    expect(await movesOf('lead_id', idleA)).toEqual([
      expect.objectContaining({
        kind: 'recycle',
        from_user_id: repA,
        data: expect.objectContaining({ key: 'b2b_lead_a', days: 7 }),
      }),
    ]);

    // The B lead is due on 03-16: its owner hears of it once, however often the job runs.
    expect(await warningsOf(repA)).toEqual([
      { message_key: 'pool_recycle_warning_lead', params: { name: 'B级将到期', days: 14, on: '2027-03-16' } },
    ]);
    expect(await recycle()).toMatchObject({ leads: 0, customers: 0, warned: 0 });
    expect(await warningsOf(repA)).toHaveLength(1);

    // The tenant says a 战略客户 returns after a year without contact.
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const saved = await admin.call('pool.saveRecycleRule', {
      entity: 'customer',
      key: 'b2b_strategic',
      mode: 'days',
      days: 365,
    });
    expect(saved.error).toBeNull();
    expect(
      saved.data?.customerRules.find((rule: { key: string }) => rule.key === 'b2b_strategic'),
    ).toMatchObject({
      pluginDays: null,
      overridden: true,
      days: 365,
    });
    expect(await recycle()).toMatchObject({ customers: 1 });
    expect(await stateOf('customers', strategic)).toEqual({ owner_user_id: null, in_pool: true });

    // On the customer's timeline.
    const timeline = await admin.call('customers.timeline', { id: ordinary });
    expect(timeline.data?.items.find((item: { kind: string }) => item.kind === 'pool')?.data).toMatchObject({
      kind: 'recycle',
      from: '销售小李',
      days: 30,
    });
  });
});

describe('claiming, releasing and assigning', () => {
  it('two reps claiming the same lead: one gets it, the other is told someone was quicker', async () => {
    const lead = await insertLead({
      name: '抢手线索',
      owner: null,
      gradeKey: 'b2b_lead_a',
      createdAt: '2027-03-01T02:00:00Z',
      inPool: true,
    });
    const [a, b] = await Promise.all([
      signedInClient(server, repA, tenant.tenantId),
      signedInClient(server, repB, tenant.tenantId),
    ]);
    const results = await Promise.all([
      a.call('pool.claim', { entity: 'lead', ids: [lead] }),
      b.call('pool.claim', { entity: 'lead', ids: [lead] }),
    ]);
    const won = results.filter((result) => result.error === null);
    const lost = results.filter((result) => result.error !== null);
    expect(won).toHaveLength(1);
    expect(lost.map((result) => result.error?.appCode)).toEqual(['POOL_ALREADY_CLAIMED']);
    expect(lost[0]?.status).toBe(409);
    const winner = results[0]?.error === null ? repA : repB;
    expect(await stateOf('leads', lead)).toEqual({ owner_user_id: winner, in_pool: false });
    expect((await movesOf('lead_id', lead)).map((move) => [move.kind, move.to_user_id])).toEqual([
      ['claim', winner],
    ]);
    // An id of no record answers NOT_FOUND, not a conflict.
    expect((await a.call('pool.claim', { entity: 'lead', ids: [crypto.randomUUID()] })).error?.appCode).toBe(
      'POOL_NOT_FOUND',
    );
  });

  it('claims stop at the daily limit per role, and the pool page says how many are left', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    await admin.call('pool.saveSettings', {
      claimLimits: { sales_rep: 3 },
      defaultClaimLimit: 10,
      warnDaysBefore: 3,
      unmatched: 'pool',
    });
    const rep = await signedInClient(server, outsider, tenant.tenantId);
    const ids = await Promise.all(
      ['一', '二', '三', '四'].map((suffix) =>
        insertLead({
          name: `公海线索${suffix}`,
          owner: null,
          gradeKey: 'b2b_lead_b',
          createdAt: '2027-03-01T02:00:00Z',
          inPool: true,
        }),
      ),
    );
    expect((await rep.call('pool.summary')).data).toMatchObject({
      claimLimit: 3,
      claimedToday: 0,
      remaining: 3,
    });
    expect((await rep.call('pool.claim', { entity: 'lead', ids: ids.slice(0, 2) })).data).toEqual({
      claimed: 2,
      remaining: 1,
    });
    const over = await rep.call('pool.claim', { entity: 'lead', ids: ids.slice(2) });
    expect(over.error?.appCode).toBe('POOL_CLAIM_LIMIT');
    expect(over.error?.message).toContain('3');
    expect((await stateOf('leads', ids[2] as string))?.in_pool).toBe(true);
    expect((await rep.call('pool.claim', { entity: 'lead', ids: [ids[2]] })).data).toEqual({
      claimed: 1,
      remaining: 0,
    });
    expect((await rep.call('pool.summary')).data).toMatchObject({ claimedToday: 3, remaining: 0 });
    // A manager's own limit is the default.
    const manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
    expect((await manager.call('pool.summary')).data).toMatchObject({ claimLimit: 10 });
  });

  it('reps release their own with a reason; managers assign from the pool to their team only', async () => {
    const lead = await insertLead({
      name: '小王的线索',
      owner: repA,
      gradeKey: 'b2b_lead_b',
      createdAt: '2027-03-10T02:00:00Z',
    });
    const a = await signedInClient(server, repA, tenant.tenantId);
    const b = await signedInClient(server, repB, tenant.tenantId);
    expect(
      (await b.call('pool.release', { entity: 'lead', id: lead, reason: 'no_need' })).error?.appCode,
    ).toBe('POOL_RELEASE_NOT_ALLOWED');
    const released = await a.call('pool.release', {
      entity: 'lead',
      id: lead,
      reason: 'unreachable',
      note: '三次未接通',
    });
    expect(released.error).toBeNull();
    expect(await stateOf('leads', lead)).toEqual({ owner_user_id: null, in_pool: true });

    const page = await b.call('pool.list', { entity: 'lead', reasons: ['unreachable'] });
    expect(page.data?.items).toEqual([
      expect.objectContaining({
        id: lead,
        via: 'release',
        reason: 'unreachable',
        note: '三次未接通',
        previousOwnerName: '销售小王',
      }),
    ]);

    const manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
    expect(
      (await manager.call('pool.assign', { entity: 'lead', ids: [lead], userId: outsider })).error?.appCode,
    ).toBe('POOL_ASSIGNEE_OUTSIDE_TEAM');
    expect((await manager.call('pool.assign', { entity: 'lead', ids: [lead], userId: repB })).data).toEqual({
      assigned: 1,
    });
    expect((await stateOf('leads', lead))?.owner_user_id).toBe(repB);
    const { rows: told } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{
        message_key: string;
        link: string;
      }>`select message_key, link from notifications where user_id = ${repB} and kind = 'pool_assigned'`.execute(
        trx,
      ),
    );
    expect(told.map((row) => row.message_key)).toEqual(['pool_assigned_lead']);
    // The link opens the lead's drawer on the 线索 page (there is no page per lead).
    expect(told.map((row) => row.link)).toEqual([`/leads?lead=${lead}`]);

    const history = await b.call('pool.history', { entity: 'lead', id: lead });
    expect(history.data?.map((move: { kind: string }) => move.kind)).toEqual(['pool_assign', 'release']);
    expect(history.data?.[1]).toMatchObject({
      reason: 'unreachable',
      fromUserName: '销售小王',
      actorName: '销售小王',
    });
    // A rep who never had it and cannot see it gets no history.
    const other = await signedInClient(server, outsider, tenant.tenantId);
    expect((await other.call('pool.history', { entity: 'lead', id: lead })).error?.appCode).toBe(
      'LEAD_NOT_FOUND',
    );
  });

  it('a customer released by its owner goes to the pool and back to a claimant', async () => {
    const customer = await insertCustomer({
      name: '要释放的客户',
      owner: repA,
      tier: 'b2b_key',
      assignedAt: '2027-03-01T02:00:00Z',
    });
    const a = await signedInClient(server, repA, tenant.tenantId);
    expect(
      (await a.call('pool.release', { entity: 'customer', id: customer, reason: 'no_budget' })).error,
    ).toBeNull();
    const b = await signedInClient(server, repB, tenant.tenantId);
    const list = await b.call('pool.list', { entity: 'customer', tiers: ['b2b_key'] });
    expect(list.data?.items.map((item: { id: string }) => item.id)).toContain(customer);
    expect((await b.call('pool.claim', { entity: 'customer', ids: [customer] })).error).toBeNull();
    expect(await stateOf('customers', customer)).toEqual({ owner_user_id: repB, in_pool: false });
    expect((await movesOf('customer_id', customer)).map((move) => move.kind)).toEqual(['release', 'claim']);
  });

  it('every move of a lead goes through the lead’s owner change: its history says how, its open tasks follow', async () => {
    const lead = await insertLead({
      name: '带任务的线索',
      owner: repA,
      gradeKey: 'b2b_lead_a',
      createdAt: '2027-03-10T02:00:00Z',
    });
    const taskOf = async (key: string | null, owner: string | null) =>
      server.database.withTenant(tenant.tenantId, async (trx) => {
        const { rows } = await sql<{ id: string }>`
          insert into tasks (tenant_id, title, type, related_kind, related_id, owner_user_id, team_id, due_on, source,
            source_key)
          values (${tenant.tenantId}, ${key ? '跟进' : '约见面'}, 'follow_up', 'lead', ${lead}, ${owner}, ${team},
            '2027-03-16', ${key ? 'rule' : 'manual'}, ${key})
          returning id`.execute(trx);
        return (rows[0] as { id: string }).id;
      });
    const followUp = await taskOf(`lead:follow-up:${lead}:b2b_lead_a:1`, repA);
    const own = await taskOf(null, repA);
    const someoneElses = await taskOf(null, tenant.users.sales_manager.id);
    const ownersOf = async () => {
      const { rows } = await server.database.withTenant(tenant.tenantId, (trx) =>
        sql<{ id: string; owner_user_id: string | null }>`
          select id, owner_user_id from tasks where related_id = ${lead}`.execute(trx),
      );
      return Object.fromEntries(rows.map((row) => [row.id, row.owner_user_id]));
    };
    const historyOf = async () => {
      const { rows } = await server.database.withTenant(tenant.tenantId, (trx) =>
        sql<{
          reason: string;
          from_owner_id: string | null;
          to_owner_id: string | null;
          note: string | null;
        }>`
          select reason, from_owner_id, to_owner_id, note from lead_history
          where lead_id = ${lead} and kind = 'owner' order by changed_at, id`.execute(trx),
      );
      return rows;
    };

    const a = await signedInClient(server, repA, tenant.tenantId);
    expect(
      (await a.call('pool.release', { entity: 'lead', id: lead, reason: 'no_budget', note: '预算冻结' }))
        .error,
    ).toBeNull();
    // Released: the follow-up and the rep's own task wait in the team's queue; another's task stays theirs.
    expect(await ownersOf()).toEqual({
      [followUp]: null,
      [own]: null,
      [someoneElses]: tenant.users.sales_manager.id,
    });

    const b = await signedInClient(server, repB, tenant.tenantId);
    expect((await b.call('pool.claim', { entity: 'lead', ids: [lead] })).error).toBeNull();
    expect(await ownersOf()).toMatchObject({ [followUp]: repB, [own]: null });

    // The daily recycle returns it (idle since the claim), set-based, and its follow-up goes back to the queue.
    expect((await recycle('2027-04-30', new Date())).leads).toBeGreaterThanOrEqual(1);
    expect(await stateOf('leads', lead)).toEqual({ owner_user_id: null, in_pool: true });
    expect((await ownersOf())[followUp]).toBeNull();

    const manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
    expect(
      (await manager.call('pool.assign', { entity: 'lead', ids: [lead], userId: repA })).error,
    ).toBeNull();
    expect((await ownersOf())[followUp]).toBe(repA);

    expect(await historyOf()).toEqual([
      { reason: 'release', from_owner_id: repA, to_owner_id: null, note: '预算冻结' },
      { reason: 'claim', from_owner_id: null, to_owner_id: repB, note: null },
      { reason: 'recycle', from_owner_id: repB, to_owner_id: null, note: null },
      { reason: 'pool_assign', from_owner_id: null, to_owner_id: repA, note: null },
    ]);
    // The lead's own timeline tells the same moves.
    const detail = await manager.call('leads.get', { id: lead });
    const ways = ((detail.data?.timeline ?? []) as { type: string; kind?: string; reason?: string }[])
      .filter((item) => item.type === 'history' && item.kind === 'owner')
      .map((item) => item.reason);
    expect(ways).toEqual(['pool_assign', 'recycle', 'claim', 'release']);
    expect((await movesOf('lead_id', lead)).map((move) => move.kind)).toEqual([
      'release',
      'claim',
      'recycle',
      'pool_assign',
    ]);
  });
});
