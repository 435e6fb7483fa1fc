import { sql } from '@crm/db';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';
import { createTeamIn } from './procedure-cases';

/*
 * The sales metrics (销售指标) against a hand-built fixture; the expected figures are worked
 * out by hand below. Period: March 2027 in Beijing time (2027-03-01 – 2027-04-01). R is the
 * sales rep, M the sales manager (no team: they see their own), tenant currency CNY.
 *
 * Leads (created; source; grade and its limit; owner; status; business minutes to first contact):
 *   L1 03-02  web_form  A 24 h   R  converted      60
 *   L2 03-05  web_form  A 24 h   R  contacted    2000  breached
 *   L3 03-06  import    B 48 h   M  converted     120
 *   L4 03-07  import    C 168 h  R  new             —
 *   L5 03-08  manual    B 48 h   M  disqualified   30
 *   L6 02-20  web_form  A 24 h   R  converted      —   (before the period; the lead of O1)
 *   L7 03-31 23:30  manual  no grade  unassigned  new    (in March in Beijing, 15:30 UTC)
 *   L8 04-01 00:10  manual  no grade  unassigned  new    (April in Beijing, still March in UTC: out)
 *
 * Deals (owner; where; amount; created; closed):
 *   O1  R  won          ¥100,000  03-01 10:00  won 03-12 10:00, lead L6 (created 02-20 10:00): 20 days
 *   O2  M  after sales  ¥50,000   03-03        won 03-13: 10 days
 *   O3  R  lost (price) ¥30,000   02-01        lost 03-20
 *   O4  M  lost (price) ¥20,000   03-02        lost 03-21
 *   O5  R  lost (competitor) —    03-05        lost 03-22
 *   O6  R  won          $999      03-06        won 03-25: 19 days (counted, not summed)
 *   O7  R  won          ¥7,777    01-10        won 02-15 (before the period)
 *   O8  R  需求沟通 10%   ¥10,000   03-07
 *   O9  R  方案制定 40%   ¥20,000   03-08
 *   O10 M  方案制定 40%   ¥5,000    01-05
 *   O11 R  商务谈判 70%   €1,000    03-09
 * Stage history (created in March): O1 needs → proposal → negotiation → won; O2 needs → won →
 * after sales; O4 needs → lost; O5 needs → proposal → lost; O6 negotiation → won; O8 needs;
 * O9 needs → proposal; O11 needs → proposal → negotiation.
 */

let server: TestServer;
let tenant: SeededTenant;
const MARCH = { from: '2027-03-01', to: '2027-04-01' };
const STAGE = {
  needs: 'b2b_stage_needs',
  proposal: 'b2b_stage_proposal',
  negotiation: 'b2b_stage_negotiation',
  won: 'b2b_stage_won',
  lost: 'b2b_stage_lost',
  afterSales: 'b2b_stage_after_sales',
};

async function as(role: keyof SeededTenant['users']): Promise<TrpcClient> {
  return signedInClient(server, tenant.users[role].id, tenant.tenantId);
}

async function seedFixture() {
  const rep = tenant.users.sales_rep.id;
  const manager = tenant.users.sales_manager.id;
  const at = (local: string) => `${local}+08:00`;
  await server.database.withTenant(tenant.tenantId, async (trx) => {
    const lead = async (
      name: string,
      created: string,
      source: string,
      grade: [string, number] | null,
      owner: string | null,
      status: string,
      minutes: number | null,
      breached = false,
    ) => {
      const { rows } = await sql<{ id: string }>`
        insert into leads (tenant_id, person_name, source, grade, follow_up_hours, owner_user_id, status,
          converted_at, disqualify_reason, first_contact_at, first_contact_minutes, sla_breached_at, created_at)
        values (${tenant.tenantId}, ${name}, ${source}, ${grade?.[0] ?? null}, ${grade?.[1] ?? null}, ${owner},
          ${status}, ${status === 'converted' ? at(created) : null}, ${status === 'disqualified' ? 'no_need' : null},
          ${minutes === null ? null : at(created)}, ${minutes}, ${breached ? at(created) : null}, ${at(created)})
        returning id`.execute(trx);
      return rows[0]?.id as string;
    };
    await lead('L1', '2027-03-02 10:00', 'web_form', ['A', 24], rep, 'converted', 60);
    await lead('L2', '2027-03-05 10:00', 'web_form', ['A', 24], rep, 'contacted', 2000, true);
    await lead('L3', '2027-03-06 10:00', 'import', ['B', 48], manager, 'converted', 120);
    await lead('L4', '2027-03-07 10:00', 'import', ['C', 168], rep, 'new', null);
    await lead('L5', '2027-03-08 10:00', 'manual', ['B', 48], manager, 'disqualified', 30);
    const l6 = await lead('L6', '2027-02-20 10:00', 'web_form', ['A', 24], rep, 'converted', null);
    await lead('L7', '2027-03-31 23:30', 'manual', null, null, 'new', null);
    await lead('L8', '2027-04-01 00:10', 'manual', null, null, 'new', null);

    const deal = async (
      name: string,
      owner: string,
      stage: keyof typeof STAGE,
      amount: number | null,
      currency: string,
      created: string,
      closed: string | null,
      extra: { lostReason?: string; leadId?: string; probability?: number },
      history: (keyof typeof STAGE)[],
    ) => {
      const kind =
        stage === 'won' ? 'won' : stage === 'afterSales' ? 'after_sales' : stage === 'lost' ? 'lost' : 'open';
      const wonAt = kind === 'won' || kind === 'after_sales' ? closed : null;
      const lostAt = kind === 'lost' ? closed : null;
      const { rows } = await sql<{ id: string }>`
        insert into opportunities (tenant_id, name, owner_user_id, stage, stage_kind, amount, currency, probability,
          lost_reason, won_at, lost_at, lead_id, created_at)
        values (${tenant.tenantId}, ${name}, ${owner}, ${STAGE[stage]}, ${kind}, ${amount}, ${currency},
          ${extra.probability ?? 0}, ${extra.lostReason ?? null}, ${wonAt ? at(wonAt) : null},
          ${lostAt ? at(lostAt) : null}, ${extra.leadId ?? null}, ${at(created)})
        returning id`.execute(trx);
      const id = rows[0]?.id as string;
      for (const [index, step] of history.entries()) {
        const toKind =
          step === 'won' ? 'won' : step === 'afterSales' ? 'after_sales' : step === 'lost' ? 'lost' : 'open';
        await sql`insert into opportunity_stage_history (tenant_id, opportunity_id, from_stage, to_stage, to_kind, changed_at)
          values (${tenant.tenantId}, ${id}, ${index === 0 ? null : STAGE[history[index - 1] as keyof typeof STAGE]},
            ${STAGE[step]}, ${toKind}, ${at(created)}::timestamptz + ${`${index} hours`}::interval)`.execute(
          trx,
        );
      }
    };
    await deal('O1', rep, 'won', 100_000, 'CNY', '2027-03-01 10:00', '2027-03-12 10:00', { leadId: l6 }, [
      'needs',
      'proposal',
      'negotiation',
      'won',
    ]);
    await deal('O2', manager, 'afterSales', 50_000, 'CNY', '2027-03-03 00:00', '2027-03-13 00:00', {}, [
      'needs',
      'won',
      'afterSales',
    ]);
    await deal(
      'O3',
      rep,
      'lost',
      30_000,
      'CNY',
      '2027-02-01 00:00',
      '2027-03-20 00:00',
      {
        lostReason: 'b2b_lost_price',
      },
      ['needs', 'lost'],
    );
    await deal(
      'O4',
      manager,
      'lost',
      20_000,
      'CNY',
      '2027-03-02 00:00',
      '2027-03-21 00:00',
      {
        lostReason: 'b2b_lost_price',
      },
      ['needs', 'lost'],
    );
    await deal(
      'O5',
      rep,
      'lost',
      null,
      'CNY',
      '2027-03-05 00:00',
      '2027-03-22 00:00',
      {
        lostReason: 'b2b_lost_competitor',
      },
      ['needs', 'proposal', 'lost'],
    );
    await deal('O6', rep, 'won', 999, 'USD', '2027-03-06 00:00', '2027-03-25 00:00', {}, [
      'negotiation',
      'won',
    ]);
    await deal('O7', rep, 'won', 7777, 'CNY', '2027-01-10 00:00', '2027-02-15 00:00', {}, ['needs', 'won']);
    await deal('O8', rep, 'needs', 10_000, 'CNY', '2027-03-07 00:00', null, { probability: 10 }, ['needs']);
    await deal('O9', rep, 'proposal', 20_000, 'CNY', '2027-03-08 00:00', null, { probability: 40 }, [
      'needs',
      'proposal',
    ]);
    await deal('O10', manager, 'proposal', 5000, 'CNY', '2027-01-05 00:00', null, { probability: 40 }, [
      'needs',
      'proposal',
    ]);
    await deal('O11', rep, 'negotiation', 1000, 'EUR', '2027-03-09 00:00', null, { probability: 70 }, [
      'needs',
      'proposal',
      'negotiation',
    ]);
  });
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '销售指标测试企业', 'b2b');
  await seedFixture();
}, 180_000);

describe('sales metrics', () => {
  it('lead conversion by source, grade, rep and month, and the top grade', async () => {
    const { data, error } = await (await as('admin')).call('sales.metrics', MARCH);
    expect(error).toBeNull();
    const rep = tenant.users.sales_rep;
    const manager = tenant.users.sales_manager;
    const conversion = data.leadConversion;
    // L1–L5 and L7 (L6 before, L8 after the period in Beijing time); L1 and L3 converted: 2 / 6.
    expect(conversion.total).toMatchObject({ leads: 6, converted: 2, rate: 33.3 });
    const simple = (rows: { key: string | null; leads: number; converted: number; rate: number | null }[]) =>
      rows.map((row) => [row.key, row.leads, row.converted, row.rate]);
    expect(simple(conversion.bySource)).toEqual([
      ['import', 2, 1, 50],
      ['manual', 2, 0, 0],
      ['web_form', 2, 1, 50],
    ]);
    expect(simple(conversion.byGrade)).toEqual([
      ['A', 2, 1, 50],
      ['B', 2, 1, 50],
      ['C', 1, 0, 0],
      [null, 1, 0, 0],
    ]);
    expect(conversion.highValue).toMatchObject({ key: 'A', leads: 2, converted: 1, rate: 50 });
    expect(simple(conversion.byMonth)).toEqual([['2027-03', 6, 2, 33.3]]);
    expect(
      conversion.byOwner.map((row: { key: string | null; label: string | null; rate: number | null }) => [
        row.label,
        row.rate,
      ]),
    ).toEqual(
      [
        [rep.name, 33.3],
        [manager.name, 50],
        [null, 0],
      ].sort((a, b) => {
        const keyOf = (name: unknown) =>
          name === rep.name ? rep.id : name === manager.name ? manager.id : '\uffff';
        return keyOf(a[0]) < keyOf(b[0]) ? -1 : 1;
      }),
    );
  });

  it('time to first contact against each grade’s limit', async () => {
    const { data } = await (await as('admin')).call('sales.metrics', MARCH);
    // L1 60 ≤ 1440 yes, L2 2000 no, L3 120 ≤ 2880 yes, L5 30 yes, L4 not contacted; L7 has no limit.
    expect(data.firstContact.total).toEqual({
      grade: null,
      slaHours: 168,
      leads: 5,
      contacted: 4,
      withinSla: 3,
      withinSlaRate: 60,
      breached: 1,
      averageMinutes: 553, // (60 + 2000 + 120 + 30) / 4 = 552.5
      medianMinutes: 90,
    });
    expect(data.firstContact.byGrade).toEqual([
      {
        grade: 'A',
        slaHours: 24,
        leads: 2,
        contacted: 2,
        withinSla: 1,
        withinSlaRate: 50,
        breached: 1,
        averageMinutes: 1030,
        medianMinutes: 1030,
      },
      {
        grade: 'B',
        slaHours: 48,
        leads: 2,
        contacted: 2,
        withinSla: 2,
        withinSlaRate: 100,
        breached: 0,
        averageMinutes: 75,
        medianMinutes: 75,
      },
      {
        grade: 'C',
        slaHours: 168,
        leads: 1,
        contacted: 0,
        withinSla: 0,
        withinSlaRate: 0,
        breached: 0,
        averageMinutes: null,
        medianMinutes: null,
      },
    ]);
  });

  it('won and lost deals, win rate, the average won deal, the sales cycle and lost reasons', async () => {
    const { data } = await (await as('admin')).call('sales.metrics', MARCH);
    // Won O1, O2, O6; lost O3, O4, O5. ¥150,000 over O1 and O2 (O6 is in dollars).
    // Cycle: (20 + 10 + 19) / 3 = 16.3 days, median 19.
    expect(data.currency).toBe('CNY');
    expect(data.deals).toMatchObject({
      won: 3,
      lost: 3,
      winRate: 50,
      wonAmount: 150_000,
      averageWonAmount: 75_000,
      salesCycleDays: 16.3,
      salesCycleMedianDays: 19,
    });
    expect(data.deals.byMonth).toEqual([
      { key: '2027-03', won: 3, lost: 3, winRate: 50, wonAmount: 150_000, salesCycleDays: 16.3 },
    ]);
    expect(data.lostReasons).toEqual([
      { reason: 'b2b_lost_price', deals: 2, amount: 50_000 },
      { reason: 'b2b_lost_competitor', deals: 1, amount: 0 },
    ]);
  });

  it('the open pipeline by stage and the stage conversion of the period’s deals', async () => {
    const { data } = await (await as('admin')).call('sales.metrics', MARCH);
    expect(data.pipeline).toEqual([
      { stage: STAGE.needs, deals: 1, amount: 10_000, weightedAmount: 1000 },
      { stage: STAGE.proposal, deals: 2, amount: 25_000, weightedAmount: 10_000 },
      { stage: STAGE.negotiation, deals: 1, amount: 0, weightedAmount: 0 },
    ]);
    // Created in March: O1 O2 O4 O5 O6 O8 O9 O11 (8) reached 需求沟通; past it O1 O2 O5 O6 O9 O11 (6);
    // past 方案制定 O1 O2 O6 O11 (4); won O1 O2 O6 (3).
    expect(data.stageConversion).toEqual([
      { stage: STAGE.needs, reached: 8, movedOn: 6, rate: 75 },
      { stage: STAGE.proposal, reached: 6, movedOn: 4, rate: 66.7 },
      { stage: STAGE.negotiation, reached: 4, movedOn: 3, rate: 75 },
    ]);
  });

  it('each rep’s results, and a rep sees only their own', async () => {
    const rep = tenant.users.sales_rep;
    const manager = tenant.users.sales_manager;
    const { data } = await (await as('admin')).call('sales.metrics', MARCH);
    expect(data.reps).toEqual([
      {
        userId: rep.id,
        name: rep.name,
        leads: 3,
        converted: 1,
        conversionRate: 33.3,
        won: 2,
        lost: 2,
        winRate: 50,
        wonAmount: 100_000,
        openDeals: 3,
        openAmount: 30_000,
      },
      {
        userId: manager.id,
        name: manager.name,
        leads: 2,
        converted: 1,
        conversionRate: 50,
        won: 1,
        lost: 1,
        winRate: 50,
        wonAmount: 50_000,
        openDeals: 1,
        openAmount: 5000,
      },
      {
        userId: null,
        name: null,
        leads: 1,
        converted: 0,
        conversionRate: 0,
        won: 0,
        lost: 0,
        winRate: null,
        wonAmount: 0,
        openDeals: 0,
        openAmount: 0,
      },
    ]);

    const own = (await (await as('sales_rep')).call('sales.metrics', MARCH)).data;
    expect(own.leadConversion.total).toMatchObject({ leads: 3, converted: 1 });
    expect(own.deals).toMatchObject({ won: 2, lost: 2, wonAmount: 100_000 });
    expect(own.pipeline.map((row: { deals: number }) => row.deals)).toEqual([1, 1, 1]);
    expect(own.reps.map((row: { userId: string | null }) => row.userId)).toEqual([rep.id]);

    // The admin narrowing to the manager sees the manager's figures.
    const narrowed = (await (await as('admin')).call('sales.metrics', { ...MARCH, ownerUserId: manager.id }))
      .data;
    expect(narrowed.leadConversion.total).toMatchObject({ leads: 2, converted: 1 });
    expect(narrowed.deals).toMatchObject({ won: 1, lost: 1 });
  });

  it('shows the dashboards’ lead conversion rate and win rate: one definition, the same figures for a period and a team', async () => {
    // The rep joins a team (the manager has none): the team's leads and deals are the rep's.
    const teamId = await createTeamIn(server, tenant.tenantId, '销售指标一致性小组');
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update memberships set team_id = ${teamId} where tenant_id = ${tenant.tenantId}
        and user_id = ${tenant.users.sales_rep.id}`.execute(trx),
    );
    const admin = await as('admin');
    const figures = async (input: { from: string; to: string; teamId?: string }) => {
      const { data: sales } = await admin.call('sales.metrics', input);
      const { data: board } = await admin.call('dashboards.get', {
        dashboard: 'sales',
        compare: false,
        ...input,
      });
      const kpi = (key: string) => board.kpis.find((figure: { key: string }) => figure.key === key);
      return {
        sales: { conversion: sales.leadConversion.total.rate, winRate: sales.deals.winRate },
        dashboards: { conversion: kpi('lead_conversion_rate')?.value, winRate: kpi('win_rate')?.value },
      };
    };
    // February and March: leads L1–L7 (not L8, April in Beijing), converted L1, L3, L6: 3 of 7 =
    // 42.9 %. Deals won O1, O2, O6, O7 and lost O3, O4, O5: 4 of 7 = 57.1 %.
    const both = await figures({ from: '2027-02-01', to: '2027-04-01' });
    expect(both.sales).toEqual({ conversion: 42.9, winRate: 57.1 });
    expect(both.dashboards).toEqual(both.sales);
    // The team (the rep's): leads L1, L2, L4, L6, converted L1, L6: 2 of 4 = 50 %. Deals won O1,
    // O6, O7 and lost O3, O5: 3 of 5 = 60 %.
    const team = await figures({ from: '2027-02-01', to: '2027-04-01', teamId });
    expect(team.sales).toEqual({ conversion: 50, winRate: 60 });
    expect(team.dashboards).toEqual(team.sales);
    // March alone: 2 of 6 leads (L1, L3), 3 of 6 deals.
    const march = await figures(MARCH);
    expect(march.sales).toEqual({ conversion: 33.3, winRate: 50 });
    expect(march.dashboards).toEqual(march.sales);
  });

  it('refuses a period that ends before it starts', async () => {
    const { error } = await (await as('admin')).call('sales.metrics', {
      from: '2027-04-01',
      to: '2027-03-01',
    });
    expect(error?.httpStatus).toBe(400);
  });
});
