import { assignCustomers, assignLeads, jobScope } from '@crm/api';
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
 * Assignment rules (分配规则): ordered, first match wins — by region, industry and source —
 * then round robin within a team, by load, one member or the team's queue; records no rule
 * matched go to the 公海 (or stay unassigned). A batch of leads is assigned in one go and
 * every assignment is written to the moves.
 */

let server: TestServer;
let tenant: SeededTenant;
let east: string;
let north: string;
const eastReps: string[] = [];
const northReps: string[] = [];

async function addMember(tenantId: string, role: Role, teamId: string | null, name: string): Promise<string> {
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
  await server.database.withTenant(tenantId, (trx) =>
    trx
      .insertInto('memberships')
      .values({ tenant_id: tenantId, user_id: user.id, role, team_id: teamId })
      .execute(),
  );
  return user.id;
}

async function insertLeads(
  tenantId: string,
  leads: { name: string; region?: string; industry?: string; source?: string }[],
): Promise<string[]> {
  return server.database.withTenant(tenantId, async (trx) => {
    const ids: string[] = [];
    for (const [index, lead] of leads.entries()) {
      const { rows } = await sql<{ id: string }>`
        insert into leads (tenant_id, person_name, region, industry, source, created_at)
        values (${tenantId}, ${lead.name}, ${lead.region ?? null}, ${lead.industry ?? null},
          ${lead.source ?? 'manual'}, now() + ${index} * interval '1 millisecond')
        returning id`.execute(trx);
      ids.push((rows[0] as { id: string }).id);
    }
    return ids;
  });
}

async function ownersOf(tenantId: string, ids: string[]) {
  const { rows } = await server.database.withTenant(tenantId, (trx) =>
    sql<{ id: string; owner_user_id: string | null; team_id: string | null; in_pool: boolean }>`
      select id, owner_user_id, team_id, in_pool from leads where id = any(${ids}::uuid[])`.execute(trx),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

function assign(ids: string[]) {
  return server.database.withTenant(tenant.tenantId, (trx) =>
    assignLeads(jobScope(trx, tenant.tenantId), ids),
  );
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '分配规则测试');
  east = await createTeamIn(server, tenant.tenantId, '华东销售组');
  north = await createTeamIn(server, tenant.tenantId, '华北销售组');
  for (const name of ['华东甲', '华东乙', '华东丙'])
    eastReps.push(await addMember(tenant.tenantId, 'sales_rep', east, name));
  for (const name of ['华北甲', '华北乙'])
    northReps.push(await addMember(tenant.tenantId, 'sales_rep', north, name));
});
afterAll(() => server?.destroy());

describe('assignment rules', () => {
  it('admins order rules; the first match wins; round robin, by load, the team queue and the pool', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const eastRule = await admin.call('assignment.saveRule', {
      entity: 'lead',
      name: '华东轮流',
      regions: ['上海', '江苏'],
      method: 'round_robin',
      teamId: east,
    });
    expect(eastRule.error).toBeNull();
    expect(eastRule.data).toMatchObject({ position: 0, teamName: '华东销售组', candidateCount: 3 });
    const northRule = await admin.call('assignment.saveRule', {
      entity: 'lead',
      name: '华北按负载',
      regions: ['北京'],
      method: 'load',
      teamId: north,
    });
    const formRule = await admin.call('assignment.saveRule', {
      entity: 'lead',
      name: '网站表单进华北队列',
      sources: ['web_form'],
      method: 'manual',
      teamId: north,
    });
    expect(formRule.data?.position).toBe(2);
    const rules = await admin.call('assignment.rules', { entity: 'lead' });
    expect(rules.data?.map((rule: { name: string }) => rule.name)).toEqual([
      '华东轮流',
      '华北按负载',
      '网站表单进华北队列',
    ]);

    // Round robin over the team, continuing where the last batch stopped.
    const first = await insertLeads(tenant.tenantId, [
      { name: '上海一', region: '上海' },
      { name: '江苏二', region: '江苏' },
      { name: '上海三', region: '上海', source: 'web_form' },
      { name: '上海四', region: '上海' },
    ]);
    expect(await assign(first)).toEqual({ assigned: 4, queued: 0, unmatched: 0 });
    expect((await ownersOf(tenant.tenantId, first)).map((lead) => lead?.owner_user_id)).toEqual([
      eastReps[0],
      eastReps[1],
      eastReps[2],
      eastReps[0],
    ]);
    expect((await ownersOf(tenant.tenantId, first)).every((lead) => lead?.team_id === east)).toBe(true);
    const second = await insertLeads(tenant.tenantId, [{ name: '上海五', region: '上海' }]);
    await assign(second);
    expect((await ownersOf(tenant.tenantId, second))[0]?.owner_user_id).toBe(eastReps[1]);

    // By load: the north rep with fewer open leads gets them until they are even.
    await insertLeads(tenant.tenantId, [{ name: '已有一' }, { name: '已有二' }]).then((ids) =>
      server.database.withTenant(tenant.tenantId, (trx) =>
        sql`update leads set owner_user_id = ${northReps[0]} where id = any(${ids}::uuid[])`.execute(trx),
      ),
    );
    const north3 = await insertLeads(tenant.tenantId, [
      { name: '北京一', region: '北京' },
      { name: '北京二', region: '北京' },
      { name: '北京三', region: '北京' },
    ]);
    await assign(north3);
    expect((await ownersOf(tenant.tenantId, north3)).map((lead) => lead?.owner_user_id)).toEqual([
      northReps[1],
      northReps[1],
      northReps[0],
    ]);

    // A web form lead from elsewhere waits in the north team's queue; one matching nothing goes to the pool.
    const [queued, stray] = await insertLeads(tenant.tenantId, [
      { name: '广州表单', region: '广东', source: 'web_form' },
      { name: '无匹配', region: '四川' },
    ]);
    expect(await assign([queued as string, stray as string])).toEqual({
      assigned: 0,
      queued: 1,
      unmatched: 1,
    });
    expect(await ownersOf(tenant.tenantId, [queued as string, stray as string])).toEqual([
      expect.objectContaining({ owner_user_id: null, team_id: north, in_pool: false }),
      expect.objectContaining({ owner_user_id: null, in_pool: true }),
    ]);

    // Every assignment is a move.
    const { rows: moves } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ kind: string; rule_id: string | null; to_user_id: string | null }>`
        select kind, rule_id, to_user_id from pool_moves where lead_id = any(${[...first, ...north3]}::uuid[])`.execute(
        trx,
      ),
    );
    expect(moves).toHaveLength(7);
    expect(moves.every((move) => move.kind === 'assign' && move.rule_id !== null)).toBe(true);

    // Moving the north rule up makes it win for a Beijing web form lead.
    const moved = await admin.call('assignment.moveRule', { id: formRule.data?.id, direction: 'up' });
    expect(moved.data?.map((rule: { name: string }) => rule.name)).toEqual([
      '华东轮流',
      '网站表单进华北队列',
      '华北按负载',
    ]);
    const preview = await admin.call('assignment.preview', {
      entity: 'lead',
      region: '北京',
      source: 'web_form',
    });
    expect(preview.data).toMatchObject({
      ruleName: '网站表单进华北队列',
      method: 'manual',
      userId: null,
      teamName: '华北销售组',
    });
    const eastPreview = await admin.call('assignment.preview', { entity: 'lead', region: '上海' });
    expect(eastPreview.data).toMatchObject({ ruleName: '华东轮流', userId: eastReps[2], userName: '华东丙' });
    const nothing = await admin.call('assignment.preview', { entity: 'lead', region: '西藏' });
    expect(nothing.data).toMatchObject({ ruleId: null, unmatched: 'pool' });

    // A disabled rule is skipped; a deleted one is gone.
    await admin.call('assignment.saveRule', {
      id: eastRule.data?.id,
      entity: 'lead',
      name: '华东轮流',
      enabled: false,
      regions: ['上海', '江苏'],
      method: 'round_robin',
      teamId: east,
    });
    expect(
      (await admin.call('assignment.preview', { entity: 'lead', region: '上海' })).data?.ruleId,
    ).toBeNull();
    expect((await admin.call('assignment.deleteRule', { id: northRule.data?.id })).error).toBeNull();
    expect((await admin.call('assignment.deleteRule', { id: northRule.data?.id })).error?.appCode).toBe(
      'ASSIGNMENT_RULE_NOT_FOUND',
    );
  });

  it('assigns customers by industry to one member, and managers run the rules over the pool', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const rule = await admin.call('assignment.saveRule', {
      entity: 'customer',
      name: '制造业给华北甲',
      industries: ['制造业'],
      method: 'member',
      memberIds: [northReps[0]],
    });
    expect(rule.error).toBeNull();
    const ids = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows } = await sql<{ id: string }>`
        insert into customers (tenant_id, name, kind, industry, in_pool, released_at)
        values (${tenant.tenantId}, '机床厂', 'company', '制造业', true, now()),
               (${tenant.tenantId}, '餐馆', 'company', '餐饮', true, now())
        returning id`.execute(trx);
      return rows.map((row) => row.id);
    });
    const manager = await signedInClient(server, tenant.users.sales_manager.id, tenant.tenantId);
    const applied = await manager.call('assignment.run', { entity: 'customer', ids });
    expect(applied.data).toEqual({ assigned: 1, queued: 0, unmatched: 1 });
    const { rows } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ name: string; owner_user_id: string | null; in_pool: boolean; owner_assigned_at: Date | null }>`
        select name, owner_user_id, in_pool, owner_assigned_at from customers where id = any(${ids}::uuid[]) order by name`.execute(
        trx,
      ),
    );
    expect(rows).toEqual([
      expect.objectContaining({ name: '机床厂', owner_user_id: northReps[0], in_pool: false }),
      expect.objectContaining({ name: '餐馆', owner_user_id: null, in_pool: true }),
    ]);
    expect(rows[0]?.owner_assigned_at).not.toBeNull();
    // Nothing left to assign: an owned customer is not the rules' to move.
    expect((await manager.call('assignment.run', { entity: 'customer', ids: [ids[0]] })).error?.appCode).toBe(
      'ASSIGNMENT_NO_RECORDS',
    );
    const direct = await server.database.withTenant(tenant.tenantId, (trx) =>
      assignCustomers(jobScope(trx, tenant.tenantId), [ids[1] as string]),
    );
    expect(direct).toEqual({ assigned: 0, queued: 0, unmatched: 1 });
  });

  it('a lead created without an owner goes through the rules before it is graded: the rep gets its follow-up', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const rule = await admin.call('assignment.saveRule', {
      entity: 'lead',
      name: '浙江给华北乙',
      regions: ['浙江'],
      method: 'member',
      memberIds: [northReps[1]],
    });
    expect(rule.error).toBeNull();
    // Marketing brings leads it does not work: they have no owner until the rules give them one.
    const marketing = await signedInClient(server, tenant.users.marketing.id, tenant.tenantId);
    const created = await marketing.call('leads.create', {
      personName: '杭州询价客户',
      region: '浙江',
      intent: 'price',
      phone: '13900001111',
    });
    expect(created.error).toBeNull();
    expect(created.data).toMatchObject({
      ownerUserId: northReps[1],
      teamId: north,
      inPool: false,
      grade: 'A',
    });
    const { rows: tasks } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ owner_user_id: string | null }>`
        select owner_user_id from tasks where related_kind = 'lead' and related_id = ${created.data.id}
          and status = 'open'`.execute(trx),
    );
    expect(tasks).toEqual([{ owner_user_id: northReps[1] }]);
    const { rows: history } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ kind: string; reason: string | null; to_owner_id: string | null }>`
        select kind, reason, to_owner_id from lead_history where lead_id = ${created.data.id}
        order by changed_at, kind`.execute(trx),
    );
    expect(history).toEqual([
      { kind: 'created', reason: null, to_owner_id: null },
      { kind: 'owner', reason: 'rule', to_owner_id: northReps[1] },
    ]);

    // No rule matches: the lead goes to the 公海, unowned, recorded as unmatched.
    const stray = await marketing.call('leads.create', {
      personName: '西藏访客',
      region: '西藏',
      intent: 'browsed',
    });
    expect(stray.data).toMatchObject({ ownerUserId: null, inPool: true });
    const { rows: moves } = await server.database.withTenant(tenant.tenantId, (trx) =>
      sql<{ kind: string; data: Record<string, unknown> }>`
        select kind, data from pool_moves where lead_id = ${stray.data.id}`.execute(trx),
    );
    expect(moves).toEqual([{ kind: 'assign', data: { toPool: true } }]);

    // A rep's own lead is theirs: the rules are not asked.
    const rep = await signedInClient(server, eastReps[0] as string, tenant.tenantId);
    const own = await rep.call('leads.create', { personName: '自己的客户', region: '浙江' });
    expect(own.data?.ownerUserId).toBe(eastReps[0]);
  });

  it('a lead takes its assignee’s team, or the rule’s when the assignee has none; a teamless owner never empties it', async () => {
    const other = await seedTenant(server.database, '分配团队归属测试');
    const queueTeam = await createTeamIn(server, other.tenantId, '线索池小组');
    const ownTeam = await createTeamIn(server, other.tenantId, '自有小组');
    const teamless = await addMember(other.tenantId, 'sales_rep', null, '无组销售');
    const teamed = await addMember(other.tenantId, 'sales_rep', ownTeam, '有组销售');
    const admin = await signedInClient(server, other.users.admin.id, other.tenantId);
    const rule = await admin.call('assignment.saveRule', {
      entity: 'lead',
      name: '转介绍轮流',
      sources: ['referral'],
      method: 'round_robin',
      teamId: queueTeam,
      memberIds: [teamless, teamed],
    });
    expect(rule.error).toBeNull();
    const ids = await insertLeads(other.tenantId, [
      { name: '转介绍一', source: 'referral' },
      { name: '转介绍二', source: 'referral' },
    ]);
    await server.database.withTenant(other.tenantId, (trx) =>
      assignLeads(jobScope(trx, other.tenantId), ids),
    );
    const owners = await ownersOf(other.tenantId, ids);
    expect(new Set(owners.map((lead) => lead?.owner_user_id))).toEqual(new Set([teamless, teamed]));
    for (const lead of owners)
      expect(lead?.team_id).toBe(lead?.owner_user_id === teamed ? ownTeam : queueTeam);

    // Handed by hand to the rep without a team, the lead keeps its team; to a rep with one, it takes theirs.
    const [lead] = ids as [string];
    const toTeamed = await admin.call('leads.reassign', { id: lead, ownerUserId: teamed });
    expect(toTeamed.error).toBeNull();
    expect((await ownersOf(other.tenantId, [lead]))[0]).toMatchObject({
      owner_user_id: teamed,
      team_id: ownTeam,
    });
    const toTeamless = await admin.call('leads.reassign', { id: lead, ownerUserId: teamless });
    expect(toTeamless.error).toBeNull();
    expect((await ownersOf(other.tenantId, [lead]))[0]).toMatchObject({
      owner_user_id: teamless,
      team_id: ownTeam,
    });
  });

  it('refuses a rule for a member or team of no such tenant', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const stranger = await admin.call('assignment.saveRule', {
      entity: 'lead',
      name: '外人',
      method: 'member',
      memberIds: [crypto.randomUUID()],
    });
    expect(stranger.error?.appCode).toBe('ASSIGNMENT_MEMBER_INVALID');
    const noTeam = await admin.call('assignment.saveRule', {
      entity: 'lead',
      name: '无队列',
      method: 'manual',
      teamId: null,
    });
    expect(noTeam.status).toBe(400);
  });
});
