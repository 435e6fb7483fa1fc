import { jobScope, queueWeeklySummaries } from '@crm/api';
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
import { createCustomerIn, createTeamIn } from './procedure-cases';

/*
 * Every KPI of the dashboards against a hand-built fixture, with the expected figures worked
 * out by hand below (period: Q4 2026, 1 Oct 2026 – 1 Jan 2027 in Beijing time).
 *
 * Customers (live unless said; owner; tier; first deal; completeness; stage):
 *   A  rep      strategic  2026-03-01  100  returning   orders 2026-05-10 ¥1,000; 2026-10-15 ¥3,000 (products X, Y)
 *   B  rep      key        2026-10-05   80  returning   orders 2026-10-05 ¥2,000 (X); 2026-11-20 ¥1,000 (X); 2026-11-21 ¥500 void
 *                                                        stale: updated 2026-09-01
 *   C  manager  key        2025-12-01   90  dormant     orders 2025-12-01 ¥500; turned dormant 2026-11-10
 *   D  nobody   —          —            50  potential
 *   E  rep      strategic  2026-01-10  100  returning   dormant since 2026-08-01, back 2026-10-20; order 2026-10-20 ¥4,000 (Z)
 *   F  manager  strategic  2026-02-01   95  new         order 2026-02-01 ¥800
 *   G  rep      strategic  archived                     order 2026-10-10 ¥9,999 — counts nowhere
 * Tier moves: A → strategic 2026-10-02 (first placement), B ordinary → key 2026-11-01, F key → strategic 2026-06-01.
 * Tasks due in Q4: t1 plan/rep/A due 10-10 done 10-09; t2 plan/rep/B due 10-20 done 10-22;
 *   t3 plan/manager/C due 11-05 open; t4 manual/rep/A due 11-15 done 11-15 12:00; t5 manual/rep cancelled;
 *   t6 manual/rep due 2099 open.
 * Leads (owner; source; grade; status; created; follow-up due; first contact, business minutes):
 *   L1 rep      web_form  A  converted     10-02 10:00  due 10-03 10:00  contacted 10-02 14:00, 240
 *   L2 rep      web_form  B  contacted     10-10 10:00  due 10-12 10:00  contacted 10-13 09:00, 1200, breached 10-12
 *   L3 manager  event     A  disqualified  11-01 10:00  due 11-02 10:00  contacted 11-01 11:00, 60 (was qualified)
 *   L4 manager  event     C  new           11-20 10:00  due 2099
 *   L5 nobody   import    —  new           12-01 10:00  no clock
 *   L6 rep      web_form  A  converted     2026-09-15 (before Q4)
 * Opportunities (owner; created; won or lost; stage; amount, CNY unless said):
 *   O1 rep      2026-09-01 10:00  won 10-11 10:00, from the lead L6 (2026-09-15 10:00: 26 days)
 *   O2 rep      2026-10-01 10:00  won 11-30 10:00 (60 days)
 *   O3 manager  2026-10-05        lost 11-10
 *   O4 manager  open  proposal ¥10,000;  O5 rep  open  needs ¥2,000;  O6 rep  open  needs US$100
 *   O7 rep      2026-06-01        won 2026-08-01 (before Q4)
 * Survey answers (customer; kind; score; tier when answering; day):
 *   NPS  A 10 strategic 10-05; B 6 key 10-06; E 8 strategic 11-03; C 9 key 11-04; G 0 (archived) 10-08
 *   CSAT A 5/5 (100) strategic 10-07; B 3/5 (50) key 11-08; F 4/5 (75) strategic 12-01
 */

let server: TestServer;
let tenant: SeededTenant;
let teamId: string;
const ids: Record<string, string> = {};
const Q4 = { from: '2026-10-01', to: '2027-01-01' };

async function as(role: keyof SeededTenant['users']): Promise<TrpcClient> {
  return signedInClient(server, tenant.users[role].id, tenant.tenantId);
}

type Figure = {
  key: string;
  value: number | null;
  count: number;
  previous: number | null;
  lastYear: number | null;
  target: number | null;
  status: string | null;
  available: boolean;
  filtered: boolean;
  seriesBy: string | null;
  breakdown: {
    key: string | null;
    label: string | null;
    series: string | null;
    value: number | null;
    count: number;
  }[];
};

async function board(client: TrpcClient, dashboard: string, extra: Record<string, unknown> = {}) {
  const result = await client.call('dashboards.get', { dashboard, ...Q4, ...extra });
  expect(result.error, JSON.stringify(result.error)).toBeNull();
  const figures = new Map<string, Figure>();
  for (const figure of result.data.kpis as Figure[]) figures.set(figure.key, figure);
  return (key: string): Figure => {
    const figure = figures.get(key);
    if (!figure) throw new Error(`${key} is not on the ${dashboard} dashboard`);
    return figure;
  };
}

const simple = (figure: Figure) => figure.breakdown.map((entry) => [entry.key, entry.value]);

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '看板测试企业', 'b2b');
  const rep = tenant.users.sales_rep.id;
  const manager = tenant.users.sales_manager.id;
  teamId = await createTeamIn(server, tenant.tenantId, '华北销售组');
  const customers: [string, string | null, boolean][] = [
    ['A', rep, false],
    ['B', rep, false],
    ['C', manager, false],
    ['D', null, false],
    ['E', rep, false],
    ['F', manager, false],
    ['G', rep, true],
  ];
  for (const [name, owner, archived] of customers) {
    ids[name] = await createCustomerIn(server, tenant.tenantId, `看板客户${name}`, archived, owner);
  }
  await server.database.withTenant(tenant.tenantId, async (trx) => {
    await trx
      .updateTable('memberships')
      .set({ team_id: teamId })
      .where('tenant_id', '=', tenant.tenantId)
      .where('user_id', 'in', [rep, manager])
      .execute();
    const facts: [string, string | null, string | null, number, string, string][] = [
      ['A', 'strategic', '2026-03-01T10:00:00+08:00', 100, 'returning', 'now'],
      ['B', 'key', '2026-10-05T10:00:00+08:00', 80, 'returning', '2026-09-01T00:00:00+08:00'],
      ['C', 'key', '2025-12-01T10:00:00+08:00', 90, 'dormant', 'now'],
      ['D', null, null, 50, 'potential', 'now'],
      ['E', 'strategic', '2026-01-10T10:00:00+08:00', 100, 'returning', 'now'],
      ['F', 'strategic', '2026-02-01T10:00:00+08:00', 95, 'new', 'now'],
      ['G', 'strategic', '2026-01-01T10:00:00+08:00', 100, 'returning', 'now'],
    ];
    for (const [name, tier, firstDeal, completeness, stage, updated] of facts) {
      await sql`update customers set first_deal_at = ${firstDeal}::timestamptz,
          completeness = ${completeness}, lifecycle_stage = ${stage},
          updated_at = ${updated === 'now' ? sql`now()` : sql`${updated}::timestamptz`}
        where tenant_id = ${tenant.tenantId} and id = ${ids[name]}::uuid`.execute(trx);
      if (tier !== null)
        await sql`insert into customer_tiers (tenant_id, customer_id, tier, explanation)
          values (${tenant.tenantId}, ${ids[name]}::uuid, ${tier}, '{}')`.execute(trx);
    }
    const orders: [string, string, number, string, string[]][] = [
      ['A', '2026-05-10T12:00:00+08:00', 1000, 'completed', ['X']],
      ['A', '2026-10-15T12:00:00+08:00', 3000, 'completed', ['X', 'Y']],
      ['B', '2026-10-05T10:00:00+08:00', 2000, 'completed', ['X']],
      ['B', '2026-11-20T12:00:00+08:00', 1000, 'completed', ['X']],
      ['B', '2026-11-21T12:00:00+08:00', 500, 'void', ['Y']],
      ['C', '2025-12-01T10:00:00+08:00', 500, 'completed', ['X']],
      ['E', '2026-10-20T12:00:00+08:00', 4000, 'completed', ['Z']],
      ['F', '2026-02-01T10:00:00+08:00', 800, 'completed', ['X']],
      ['G', '2026-10-10T12:00:00+08:00', 9999, 'completed', ['X', 'Y']],
    ];
    for (const [name, at, amount, status, products] of orders) {
      const order = await trx
        .insertInto('orders')
        .values({
          tenant_id: tenant.tenantId,
          customer_id: ids[name] as string,
          ordered_at: at,
          amount: String(amount),
          status: status as 'completed',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('order_lines')
        .values(
          products.map((product, index) => ({
            tenant_id: tenant.tenantId,
            order_id: order.id,
            line_no: index + 1,
            product,
            quantity: '1',
            unit_price: String(amount / products.length),
          })),
        )
        .execute();
    }
    const stageMoves: [string, string, string, string][] = [
      ['C', 'at_risk', 'dormant', '2026-11-10T03:00:00+08:00'],
      ['E', 'at_risk', 'dormant', '2026-08-01T03:00:00+08:00'],
      ['E', 'dormant', 'returning', '2026-10-20T12:00:00+08:00'],
    ];
    for (const [name, from, to, at] of stageMoves) {
      await sql`insert into lifecycle_changes (tenant_id, customer_id, from_stage, to_stage, changed_at, reason)
        values (${tenant.tenantId}, ${ids[name]}::uuid, ${from}, ${to}, ${at}::timestamptz, 'daily')`.execute(
        trx,
      );
    }
    const tierMoves: [string, string | null, string, string][] = [
      ['A', null, 'strategic', '2026-10-02T09:00:00+08:00'],
      ['B', 'ordinary', 'key', '2026-11-01T09:00:00+08:00'],
      ['F', 'key', 'strategic', '2026-06-01T09:00:00+08:00'],
    ];
    for (const [name, from, to, at] of tierMoves) {
      await sql`insert into tier_history (tenant_id, customer_id, from_tier, to_tier, reason, changed_at)
        values (${tenant.tenantId}, ${ids[name]}::uuid, ${from}, ${to}, 'retier', ${at}::timestamptz)`.execute(
        trx,
      );
    }
    const tasks: [string, string, string | null, string, string, string | null][] = [
      ['plan', rep, 'A', '2026-10-10', 'done', '2026-10-09T15:00:00+08:00'],
      ['plan', rep, 'B', '2026-10-20', 'done', '2026-10-22T15:00:00+08:00'],
      ['plan', manager, 'C', '2026-11-05', 'open', null],
      ['manual', rep, 'A', '2026-11-15', 'done', '2026-11-15T12:00:00+08:00'],
      ['manual', rep, null, '2026-11-16', 'cancelled', '2026-11-10T12:00:00+08:00'],
      ['manual', rep, null, '2099-01-01', 'open', null],
    ];
    for (const [source, owner, customer, due, status, closed] of tasks) {
      await trx
        .insertInto('tasks')
        .values({
          tenant_id: tenant.tenantId,
          title: `看板任务 ${due}`,
          type: 'call',
          customer_id: customer ? (ids[customer] as string) : null,
          owner_user_id: owner,
          due_on: due,
          status: status as 'open',
          closed_at: closed,
          source: source as 'manual',
        })
        .execute();
    }
    const leads: [
      string,
      string | null,
      string,
      string | null,
      string,
      string,
      string | null,
      string | null,
      number | null,
      string | null,
    ][] = [
      [
        'L1',
        rep,
        'web_form',
        'A',
        'converted',
        '2026-10-02T10:00:00+08:00',
        '2026-10-03T10:00:00+08:00',
        '2026-10-02T14:00:00+08:00',
        240,
        null,
      ],
      [
        'L2',
        rep,
        'web_form',
        'B',
        'contacted',
        '2026-10-10T10:00:00+08:00',
        '2026-10-12T10:00:00+08:00',
        '2026-10-13T09:00:00+08:00',
        1200,
        '2026-10-12T10:00:00+08:00',
      ],
      [
        'L3',
        manager,
        'event',
        'A',
        'disqualified',
        '2026-11-01T10:00:00+08:00',
        '2026-11-02T10:00:00+08:00',
        '2026-11-01T11:00:00+08:00',
        60,
        null,
      ],
      [
        'L4',
        manager,
        'event',
        'C',
        'new',
        '2026-11-20T10:00:00+08:00',
        '2099-01-01T10:00:00+08:00',
        null,
        null,
        null,
      ],
      ['L5', null, 'import', null, 'new', '2026-12-01T10:00:00+08:00', null, null, null, null],
      [
        'L6',
        rep,
        'web_form',
        'A',
        'converted',
        '2026-09-15T10:00:00+08:00',
        '2026-09-16T10:00:00+08:00',
        '2026-09-15T11:00:00+08:00',
        60,
        null,
      ],
    ];
    for (const [name, owner, source, grade, status, created, due, contacted, minutes, breached] of leads) {
      const lead = await sql<{
        id: string;
      }>`insert into leads (tenant_id, person_name, owner_user_id, source, grade,
          status, created_at, follow_up_due_at, first_contact_at, first_contact_minutes, sla_breached_at,
          converted_at, disqualify_reason)
        values (${tenant.tenantId}, ${`看板线索${name}`}, ${owner}, ${source}, ${grade}, ${status},
          ${created}::timestamptz, ${due}::timestamptz, ${contacted}::timestamptz, ${minutes}, ${breached}::timestamptz,
          ${status === 'converted' ? sql`${created}::timestamptz + interval '5 days'` : null},
          ${status === 'disqualified' ? 'no_budget' : null})
        returning id`.execute(trx);
      ids[name] = lead.rows[0]?.id as string;
    }
    await sql`insert into lead_history (tenant_id, lead_id, kind, from_status, to_status, changed_at)
      values (${tenant.tenantId}, ${ids.L3}::uuid, 'status', 'contacted', 'qualified', '2026-11-05T10:00:00+08:00'),
        (${tenant.tenantId}, ${ids.L3}::uuid, 'status', 'qualified', 'disqualified', '2026-11-10T10:00:00+08:00')`.execute(
      trx,
    );
    const opportunities: [string, string, string, string, string | null, string | null, number, string][] = [
      ['O1', rep, 'won', '2026-09-01T10:00:00+08:00', '2026-10-11T10:00:00+08:00', null, 5000, 'CNY'],
      ['O2', rep, 'won', '2026-10-01T10:00:00+08:00', '2026-11-30T10:00:00+08:00', null, 3000, 'CNY'],
      ['O3', manager, 'lost', '2026-10-05T10:00:00+08:00', null, '2026-11-10T10:00:00+08:00', 4000, 'CNY'],
      ['O4', manager, 'proposal', '2026-10-20T10:00:00+08:00', null, null, 10000, 'CNY'],
      ['O5', rep, 'needs', '2026-11-02T10:00:00+08:00', null, null, 2000, 'CNY'],
      ['O6', rep, 'needs', '2026-11-03T10:00:00+08:00', null, null, 100, 'USD'],
      ['O7', rep, 'won', '2026-06-01T10:00:00+08:00', '2026-08-01T10:00:00+08:00', null, 700, 'CNY'],
    ];
    for (const [name, owner, stage, created, won, lost, amount, currency] of opportunities) {
      const kind = stage === 'won' || stage === 'lost' ? stage : 'open';
      await sql`insert into opportunities (tenant_id, name, owner_user_id, stage, stage_kind, created_at, won_at,
          lost_at, lost_reason, amount, currency)
        values (${tenant.tenantId}, ${`看板商机${name}`}, ${owner}, ${stage}, ${kind}, ${created}::timestamptz,
          ${won}::timestamptz, ${lost}::timestamptz, ${lost ? 'price' : null}, ${amount}, ${currency})`.execute(
        trx,
      );
    }
    // O1 came from the lead L6 (created 2026-09-15 10:00): its cycle starts there.
    await sql`update opportunities set lead_id = ${ids.L6}::uuid
      where tenant_id = ${tenant.tenantId} and name = '看板商机O1'`.execute(trx);
    const answers: [string, 'nps' | 'csat', number, number, string | null, string][] = [
      ['A', 'nps', 10, 100, 'strategic', '2026-10-05T10:00:00+08:00'],
      ['B', 'nps', 6, 60, 'key', '2026-10-06T10:00:00+08:00'],
      ['E', 'nps', 8, 80, 'strategic', '2026-11-03T10:00:00+08:00'],
      ['C', 'nps', 9, 90, 'key', '2026-11-04T10:00:00+08:00'],
      ['G', 'nps', 0, 0, 'strategic', '2026-10-08T10:00:00+08:00'],
      ['A', 'csat', 5, 100, 'strategic', '2026-10-07T10:00:00+08:00'],
      ['B', 'csat', 3, 50, 'key', '2026-11-08T10:00:00+08:00'],
      ['F', 'csat', 4, 75, 'strategic', '2026-12-01T10:00:00+08:00'],
    ];
    for (const [name, kind, score, pct, tier, at] of answers) {
      await sql`insert into survey_responses (tenant_id, survey_key, survey_kind, customer_id, tier, answers, score,
          score_pct, responded_at)
        values (${tenant.tenantId}, ${`kpi_${kind}`}, ${kind}, ${ids[name]}::uuid, ${tier}, '{}'::jsonb, ${score},
          ${pct}, ${at}::timestamptz)`.execute(trx);
    }
  });
}, 120_000);

describe('dashboards against the hand-built fixture', () => {
  it('the management dashboard: every figure, its comparison and its target', async () => {
    const kpi = await board(await as('admin'), 'management');
    // Live customers A–F: strategic A, E, F; key B, C; no tier D.
    expect(kpi('customers_total')).toMatchObject({ value: 6, target: null, status: null });
    expect(simple(kpi('customers_total'))).toEqual([
      ['key', 2],
      ['strategic', 3],
      [null, 1],
    ]);
    // First deals in Q4: B (October).
    expect(kpi('new_customers')).toMatchObject({ value: 1 });
    expect(simple(kpi('new_customers'))).toEqual([['2026-10', 1]]);
    // Buyers in Q4: A (repeat: an earlier order), B (repeat: two in Q4), E (one order, none before).
    expect(kpi('repurchase_rate')).toMatchObject({
      value: 66.7,
      count: 3,
      target: 45,
      status: 'green',
      // Q3 2026: no order; Q4 2025: C's first order, not a repeat.
      previous: null,
      lastYear: 0,
    });
    expect(simple(kpi('repurchase_rate'))).toEqual([
      ['key', 100],
      ['strategic', 50],
    ]);
    // Dealt before Q4 and not dormant on 1 Oct: A, C, F (E was dormant then); C turned dormant.
    expect(kpi('retention_rate')).toMatchObject({ value: 66.7, count: 3, target: 90, status: 'red' });
    expect(simple(kpi('retention_rate'))).toEqual([
      ['key', 0],
      ['strategic', 100],
    ]);
    expect(kpi('churn_rate')).toMatchObject({ value: 33.3, count: 3 });
    // ¥3,000 + ¥2,000 + ¥1,000 + ¥4,000 over four orders; October ¥9,000 / 3, November ¥1,000 / 1.
    expect(kpi('average_order_value')).toMatchObject({
      value: 2500,
      count: 4,
      previous: null,
      lastYear: 500,
    });
    expect(simple(kpi('average_order_value'))).toEqual([
      ['2026-10', 3000],
      ['2026-11', 1000],
    ]);
    expect(kpi('revenue_by_tier')).toMatchObject({ value: 10000, count: 4 });
    expect(simple(kpi('revenue_by_tier'))).toEqual([
      ['key', 3000],
      ['strategic', 7000],
    ]);
    // (100 + 80 + 90 + 50 + 100 + 95) / 6.
    expect(kpi('completeness_average')).toMatchObject({ value: 85.8, target: 90, status: 'amber' });
    // The rep owns A, B, E; the manager C, F: 5 / 2.
    expect(kpi('customers_per_rep')).toMatchObject({ value: 2.5, count: 2, target: 110, status: 'red' });
    expect(kpi('customers_per_rep').breakdown).toEqual([
      {
        key: tenant.users.sales_rep.id,
        label: tenant.users.sales_rep.name,
        series: null,
        value: 3,
        count: 3,
      },
      {
        key: tenant.users.sales_manager.id,
        label: tenant.users.sales_manager.name,
        series: null,
        value: 2,
        count: 2,
      },
    ]);
    // No tickets: no figure, the capability is there.
    expect(kpi('ticket_closure_rate')).toMatchObject({ value: null, available: true, target: 98 });
    // O1 (26 days from its lead L6) and O2 (60 days) won in Q4; O7 in August.
    expect(kpi('sales_cycle_days')).toMatchObject({
      value: 43,
      count: 2,
      available: true,
      target: 42,
      status: 'amber',
      previous: 61,
    });
    expect(simple(kpi('sales_cycle_days'))).toEqual([
      ['2026-10', 26],
      ['2026-11', 60],
    ]);
    // NPS answers of live customers in Q4: A 10, B 6, E 8, C 9 (G is archived): (2 − 1) / 4.
    expect(kpi('nps')).toMatchObject({ value: 25, count: 4, seriesBy: 'tier' });
    expect(kpi('nps').breakdown.map((entry) => [entry.key, entry.series, entry.value, entry.count])).toEqual([
      ['2026-10', 'key', -100, 1],
      ['2026-10', 'strategic', 100, 1],
      ['2026-10', null, 0, 2],
      ['2026-11', 'key', 100, 1],
      ['2026-11', 'strategic', 0, 1],
      ['2026-11', null, 50, 2],
    ]);
    // CSAT: A 100 and F 75 satisfied, B 50 not: 2 / 3.
    expect(kpi('csat')).toMatchObject({ value: 66.7, count: 3, target: 92, status: 'red' });
    expect(
      kpi('csat')
        .breakdown.filter((entry) => entry.series === null)
        .map((entry) => [entry.key, entry.value]),
    ).toEqual([
      ['2026-10', 100],
      ['2026-11', 0],
      ['2026-12', 100],
    ]);
  });

  it('the sales dashboard: the lead funnel, conversion by source, grade and rep, first contact, SLA, win rate, pipeline', async () => {
    const kpi = await board(await as('owner'), 'sales', { compare: false });
    // Created in Q4: L1–L5; contacted L1, L2, L3; qualified L1 (converted), L3 (before it was disqualified).
    expect(kpi('lead_funnel')).toMatchObject({ value: 5, count: 5 });
    expect(simple(kpi('lead_funnel'))).toEqual([
      ['created', 5],
      ['contacted', 3],
      ['qualified', 2],
      ['converted', 1],
    ]);
    expect(kpi('lead_conversion_rate')).toMatchObject({
      value: 20,
      count: 5,
      target: 18.75,
      status: 'green',
    });
    expect(simple(kpi('lead_conversion_rate'))).toEqual([
      ['event', 0],
      ['import', 0],
      ['web_form', 50],
    ]);
    expect(simple(kpi('lead_conversion_by_grade'))).toEqual([
      ['A', 50],
      ['B', 0],
      ['C', 0],
      [null, 0],
    ]);
    // The rep L1, L2; the manager L3, L4; nobody L5.
    const byRep = new Map(kpi('lead_conversion_by_rep').breakdown.map((entry) => [entry.key, entry.value]));
    expect(byRep.get(tenant.users.sales_rep.id)).toBe(50);
    expect(byRep.get(tenant.users.sales_manager.id)).toBe(0);
    expect(byRep.get(null)).toBe(0);
    // (240 + 1200 + 60) minutes / 3 = 500 minutes; A (240 + 60) / 2, B 1200.
    expect(kpi('lead_first_contact_hours')).toMatchObject({ value: 8.3, count: 3 });
    expect(simple(kpi('lead_first_contact_hours'))).toEqual([
      ['A', 2.5],
      ['B', 20],
    ]);
    // Clocks ended: L1 (met), L2 (breached), L3 (met); L4 runs to 2099, L5 has none.
    // The B2B plugin's target (kpiTargets), not the core's (none).
    expect(kpi('lead_sla_compliance')).toMatchObject({ value: 66.7, count: 3, target: 90, status: 'red' });
    expect(simple(kpi('lead_sla_compliance'))).toEqual([
      ['A', 100],
      ['B', 0],
    ]);
    // Won or lost in Q4: O1, O2 won, O3 lost.
    expect(kpi('win_rate')).toMatchObject({ value: 66.7, count: 3, target: 25, status: 'green' });
    expect(kpi('win_rate').breakdown.map((entry) => [entry.key, entry.value, entry.count])).toEqual([
      [tenant.users.sales_rep.id, 100, 2],
      [tenant.users.sales_manager.id, 0, 1],
    ]);
    // Open, in CNY: O4 ¥10,000 (proposal), O5 ¥2,000 (needs); O6 is in dollars.
    expect(kpi('pipeline_value')).toMatchObject({ value: 12000, count: 2 });
    expect(simple(kpi('pipeline_value'))).toEqual([
      ['needs', 2000],
      ['proposal', 10000],
    ]);
  });

  it('leads, opportunities and answers: a rep sees their own, filters narrow them', async () => {
    const rep = await board(await as('sales_rep'), 'sales', { compare: false });
    // L1, L2 (L6 is before Q4); O1, O2; O5.
    expect(rep('lead_funnel')).toMatchObject({ value: 2 });
    expect(rep('lead_conversion_rate')).toMatchObject({ value: 50 });
    expect(rep('win_rate')).toMatchObject({ value: 100, count: 2 });
    expect(rep('pipeline_value')).toMatchObject({ value: 2000, count: 1 });
    const repService = await board(await as('sales_rep'), 'service', { compare: false });
    // The rep's customers A, B, E: NPS 10, 6, 8 → (1 − 1) / 3; CSAT A 100, B 50.
    expect(repService('nps')).toMatchObject({ value: 0, count: 3 });
    expect(repService('csat')).toMatchObject({ value: 50, count: 2 });

    const admin = await as('admin');
    const managers = await board(admin, 'sales', {
      ownerUserId: tenant.users.sales_manager.id,
      compare: false,
    });
    expect(managers('lead_funnel')).toMatchObject({ value: 2, filtered: true });
    expect(managers('win_rate')).toMatchObject({ value: 0, count: 1 });
    expect(managers('pipeline_value')).toMatchObject({ value: 10000 });
    // Leads have no tier: the tier filter does not apply to them, and the card says so.
    const keyTier = await board(admin, 'sales', { tiers: ['key'], compare: false });
    expect(keyTier('lead_funnel')).toMatchObject({ value: 5, filtered: false });
    // NPS of the answers given as a key customer: B 6, C 9.
    const keyService = await board(admin, 'service', { tiers: ['key'], compare: false });
    expect(keyService('nps')).toMatchObject({ value: 0, count: 2, filtered: true });
  });

  it('the customer-operations dashboard: stages, completeness, staleness, tier moves, plans and tasks', async () => {
    const kpi = await board(await as('owner'), 'operations', { compare: false });
    expect(simple(kpi('customers_by_stage'))).toEqual([
      ['potential', 1],
      ['new', 1],
      ['returning', 3],
      ['loyal', 0],
      ['at_risk', 0],
      ['dormant', 1],
    ]);
    // ≥ 90 %: A, C, E, F of six; stale: B.
    expect(kpi('completeness_share')).toMatchObject({ value: 66.7 });
    expect(kpi('stale_profiles')).toMatchObject({ value: 16.7 });
    expect(simple(kpi('tier_moves'))).toEqual([
      ['>strategic', 1],
      ['ordinary>key', 1],
    ]);
    // Plan tasks due in Q4: t1 (on time), t2 (late), t3 (open).
    expect(kpi('plan_task_completion')).toMatchObject({ value: 66.7, count: 3 });
    expect(simple(kpi('plan_task_completion'))).toEqual([
      ['key', 50],
      ['strategic', 100],
    ]);
    expect(kpi('contact_cadence_compliance')).toMatchObject({ value: 33.3, count: 3 });
    // All tasks due in Q4 but the cancelled: t1, t2, t3, t4; on time t1, t4.
    expect(kpi('task_sla_compliance')).toMatchObject({ value: 50, count: 4 });
    expect(kpi('overdue_tasks')).toMatchObject({ value: 1, target: 0, status: 'amber' });
    expect(kpi('overdue_tasks').breakdown).toEqual([
      {
        key: tenant.users.sales_manager.id,
        label: tenant.users.sales_manager.name,
        series: null,
        value: 1,
        count: 1,
      },
    ]);
  });

  it('the sales dashboard: cross-sell', async () => {
    const kpi = await board(await as('owner'), 'sales', { compare: false });
    // Two products in Q4: A only, of A, B, E.
    expect(kpi('cross_sell_share')).toMatchObject({ value: 33.3, count: 3 });
    expect(simple(kpi('cross_sell_share'))).toEqual([
      ['key', 0],
      ['strategic', 50],
    ]);
  });

  it('a rep counts only their own customers and tasks; a manager the team’s', async () => {
    const rep = await board(await as('sales_rep'), 'management', { compare: false });
    expect(rep('customers_total')).toMatchObject({ value: 3 });
    expect(rep('repurchase_rate')).toMatchObject({ value: 66.7, count: 3 });
    expect(rep('retention_rate')).toMatchObject({ value: 100, count: 1 });
    expect(rep('revenue_by_tier')).toMatchObject({ value: 10000 });
    const repOps = await board(await as('sales_rep'), 'operations', { compare: false });
    expect(repOps('task_sla_compliance')).toMatchObject({ value: 66.7, count: 3 });
    expect(repOps('overdue_tasks')).toMatchObject({ value: 0 });

    const manager = await board(await as('sales_manager'), 'management', { compare: false });
    // The team's customers: not D, whom nobody owns.
    expect(manager('customers_total')).toMatchObject({ value: 5 });
    expect(manager('retention_rate')).toMatchObject({ value: 66.7, count: 3 });
  });

  it('filters by tier and owner', async () => {
    const keyTier = await board(await as('admin'), 'management', { tiers: ['key'], compare: false });
    expect(keyTier('customers_total')).toMatchObject({ value: 2 });
    expect(keyTier('revenue_by_tier')).toMatchObject({ value: 3000, count: 2 });
    expect(keyTier('repurchase_rate')).toMatchObject({ value: 100, count: 1 });
    const managers = await board(await as('admin'), 'management', {
      ownerUserId: tenant.users.sales_manager.id,
      compare: false,
    });
    expect(managers('customers_total')).toMatchObject({ value: 2 });
    expect(managers('average_order_value')).toMatchObject({ value: null, count: 0 });
  });

  it('filters by team, and offers the teams and owners the member’s role may filter by', async () => {
    const admin = await as('admin');
    // The team holds the rep and the manager: everyone's customers but D, nobody's.
    const team = await board(admin, 'management', { teamId, compare: false });
    expect(team('customers_total')).toMatchObject({ value: 5 });
    const teamSales = await board(admin, 'sales', { teamId, compare: false });
    expect(teamSales('lead_funnel')).toMatchObject({ value: 4 });

    const options = async (role: keyof SeededTenant['users']) => {
      const result = await (await as(role)).call('dashboards.filters', undefined);
      expect(result.error, JSON.stringify(result.error)).toBeNull();
      return result.data as { teams: { id: string }[]; owners: { userId: string }[] };
    };
    const all = await options('admin');
    expect(all.teams.map((entry) => entry.id)).toEqual([teamId]);
    expect(all.owners.length).toBe(Object.keys(tenant.users).length);
    const manager = await options('sales_manager');
    expect(manager.teams.map((entry) => entry.id)).toEqual([teamId]);
    expect(manager.owners.map((entry) => entry.userId).sort()).toEqual(
      [tenant.users.sales_rep.id, tenant.users.sales_manager.id].sort(),
    );
    expect(await options('sales_rep')).toEqual({ teams: [], owners: [] });
  });

  it('a click on a figure lists the customers behind it, and the export takes the same filter', async () => {
    const admin = await as('admin');
    const names = async (kpi: Record<string, unknown>) => {
      const result = await admin.call('customers.list', {
        kpi: { ...Q4, ...kpi },
        sort: 'name',
        direction: 'asc',
      });
      expect(result.error, JSON.stringify(result.error)).toBeNull();
      return (result.data.items as { name: string }[]).map((item) => item.name);
    };
    expect(await names({ key: 'repurchase_rate' })).toEqual(['看板客户A', '看板客户B']);
    expect(await names({ key: 'churn_rate' })).toEqual(['看板客户C']);
    expect(await names({ key: 'retention_rate', segment: 'strategic' })).toEqual(['看板客户A', '看板客户F']);
    expect(await names({ key: 'revenue_by_tier', segment: 'strategic' })).toEqual(['看板客户A', '看板客户E']);
    expect(await names({ key: 'average_order_value', segment: '2026-11' })).toEqual(['看板客户B']);
    expect(await names({ key: 'new_customers' })).toEqual(['看板客户B']);
    expect(await names({ key: 'tier_moves', segment: 'ordinary>key' })).toEqual(['看板客户B']);
    expect(await names({ key: 'customers_total', segment: '' })).toEqual(['看板客户D']);
    expect(await names({ key: 'stale_profiles' })).toEqual(['看板客户B']);
    expect(await names({ key: 'cross_sell_share' })).toEqual(['看板客户A']);
    expect(await names({ key: 'nps' })).toEqual(['看板客户A', '看板客户B', '看板客户C', '看板客户E']);
    expect(await names({ key: 'nps', segment: '2026-10|key' })).toEqual(['看板客户B']);
    expect(await names({ key: 'csat', segment: '2026-12' })).toEqual(['看板客户F']);
    // The rep's list of the same figure holds only their own.
    const rep = await as('sales_rep');
    const repList = await rep.call('customers.list', { kpi: { ...Q4, key: 'retention_rate' } });
    expect((repList.data.items as { name: string }[]).map((item) => item.name)).toEqual(['看板客户A']);
    // The export of the list behind a figure.
    const exported = await admin.call('exports.create', {
      entity: 'customers',
      format: 'csv',
      filters: { kpi: { ...Q4, key: 'churn_rate' } },
    });
    expect(exported.error, JSON.stringify(exported.error)).toBeNull();
  });

  it('targets: the default, the tenant’s own and back; only the tenant’s settings permission sets them', async () => {
    const admin = await as('admin');
    const set = await admin.call('dashboards.setTarget', { key: 'repurchase_rate', target: 70 });
    expect(set.error, JSON.stringify(set.error)).toBeNull();
    expect((set.data as { key: string }[]).find((entry) => entry.key === 'repurchase_rate')).toEqual({
      key: 'repurchase_rate',
      defaultTarget: 45,
      tenantTarget: 70,
      target: 70,
    });
    // 66.7 against 70: short by less than a tenth.
    expect((await board(admin, 'management', { compare: false }))('repurchase_rate')).toMatchObject({
      target: 70,
      status: 'amber',
    });
    await admin.call('dashboards.setTarget', { key: 'repurchase_rate', target: 80 });
    expect((await board(admin, 'management', { compare: false }))('repurchase_rate').status).toBe('red');
    await admin.call('dashboards.setTarget', { key: 'repurchase_rate', target: null });
    expect((await board(admin, 'management', { compare: false }))('repurchase_rate')).toMatchObject({
      target: 45,
      status: 'green',
    });
    // A target the industry plugin gives: its default; the tenant's own wins over it.
    const targets = (await admin.call('dashboards.targets', undefined)).data as { key: string }[];
    expect(targets.find((entry) => entry.key === 'win_rate')).toEqual({
      key: 'win_rate',
      defaultTarget: 25,
      tenantTarget: null,
      target: 25,
    });
    await admin.call('dashboards.setTarget', { key: 'win_rate', target: 70 });
    expect((await board(admin, 'sales', { compare: false }))('win_rate')).toMatchObject({
      target: 70,
      status: 'amber',
    });
    await admin.call('dashboards.setTarget', { key: 'win_rate', target: null });
    const rep = await as('sales_rep');
    expect((await rep.call('dashboards.setTarget', { key: 'repurchase_rate', target: 10 })).error?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('the workbench: the member’s own figures, and the tenant’s health for admins', async () => {
    const rep = await as('sales_rep');
    const mine = await rep.call('dashboards.workbench', Q4);
    expect(mine.error, JSON.stringify(mine.error)).toBeNull();
    const figures = new Map((mine.data.kpis as Figure[]).map((figure) => [figure.key, figure]));
    expect(figures.get('task_sla_compliance')).toMatchObject({ value: 66.7 });
    expect(figures.get('customers_total')).toMatchObject({ value: 3 });
    expect(mine.data.health).toBeNull();
    const owner = await as('owner');
    const tenantWide = await owner.call('dashboards.workbench', Q4);
    expect(tenantWide.data.health).toEqual({
      completenessAverage: 85.8,
      completeShare: 66.7,
      failedImports7d: 0,
      failedExports7d: 0,
      importsRunning: 0,
    });
  });

  it('the weekly summary: one email per member who wants it, in their language, with their role’s figures; once a week', async () => {
    await server.database.withScope({}, (trx) =>
      trx
        .updateTable('users')
        .set({ locale: 'en' })
        .where('id', '=', tenant.users.sales_manager.id)
        .execute(),
    );
    // The viewer turned it off in 通知设置.
    const viewer = await as('viewer');
    const off = await viewer.call('notifications.updatePreferences', {
      preferences: [{ kind: 'weekly_summary', inApp: false, email: false }],
    });
    expect(off.error, JSON.stringify(off.error)).toBeNull();
    const queue = () =>
      server.database.withTenant(tenant.tenantId, (trx) =>
        queueWeeklySummaries(jobScope(trx, tenant.tenantId), {}, '2026-10-19'),
      );
    expect(await queue()).toBe(Object.keys(tenant.users).length - 1);
    // Again (the job retried, or run twice): nothing new.
    expect(await queue()).toBe(0);
    const emails = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('email_outbox')
        .select(['to_address', 'subject', 'text_body', 'html_body', 'dedup_key'])
        .where('kind', '=', 'weekly_summary')
        .execute(),
    );
    const to = (role: keyof SeededTenant['users']) =>
      emails.find((email) => email.to_address === tenant.users[role].email);
    expect(to('viewer')).toBeUndefined();
    // The week of 12–18 October: the rep's buyer A (a repeat buyer); the week before, B's first order.
    const rep = to('sales_rep');
    expect(rep?.subject).toMatch(/^每周指标摘要（2026-10-12 至 2026-10-18）：\d+\/\d+ 项达标$/);
    expect(rep?.text_body).toContain('这是你上周（2026-10-12 至 2026-10-18）的指标');
    expect(rep?.text_body).toContain('复购率：100%（目标 45%，达标，较前一周 +100 个百分点）');
    expect(rep?.text_body).toContain('线索跟进及时率：');
    expect(rep?.text_body).toContain('/dashboards');
    expect(rep?.dedup_key).toBe(`weekly_summary:${tenant.users.sales_rep.id}:2026-10-19`);
    const manager = to('sales_manager');
    expect(manager?.subject).toMatch(
      /^Your week in figures \(2026-10-12 to 2026-10-18\): \d+ of \d+ on target$/,
    );
    expect(manager?.text_body).toContain('here are your team’s figures for last week');
    expect(manager?.text_body).toContain('Win rate:');
    expect(manager?.text_body).toContain('You can turn the weekly figures off in Notification settings.');
    expect(to('owner')?.text_body).toContain('这是公司上周');
  });
});
