/**
 * BM9b — the 商机 kanban: the board of a tenant with 10,000 open opportunities (and 2,000
 * closed ones) in the b2b pipeline, the first page of each stage with its count and amount,
 * through the real opportunities.board over HTTP (session, tenant transaction with RLS,
 * membership, the plugin's stages, the lead scope, output validation) vs the same SQL —
 * captured from the procedure — on a bare Hono route. Also p95 at one connection (one user).
 * Targets: ratio ≥ 0.6, p95 ≤ 50 ms.
 *
 * Its own database (`crm_bench_pipeline`), seeded once, set-based, and vacuumed and analysed
 * before every run (harness.ts, `prepareBenchDatabase`).
 */
import { type CrmDatabase, sql } from '@crm/db';
import { type BenchResult, log, prepareBenchDatabase, procedureVsBareRoute, settings } from './harness';

// BENCH_BM9B_DATABASE: another database name (a second copy beside a running one).
const DATABASE = process.env.BENCH_BM9B_DATABASE ?? 'crm_bench_pipeline';
const OPEN = 10_000;
const CLOSED = 2_000;
const tenantId = '00000000-0000-4000-8000-000000000911';
const managerId = '00000000-0000-4000-8000-000000000912';
const repIds = [
  '00000000-0000-4000-8000-000000000913',
  '00000000-0000-4000-8000-000000000914',
  '00000000-0000-4000-8000-000000000915',
];
const teamId = '00000000-0000-4000-8000-000000000916';

/** The board as the 商机 page first asks for it; BENCH_BM9B_INPUT overrides it. */
const INPUT: Record<string, unknown> = JSON.parse(
  process.env.BENCH_BM9B_INPUT ?? '{"filters":{},"perStage":20}',
);

async function seed(database: CrmDatabase) {
  const existing = await database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from opportunities where tenant_id = ${tenantId} and stage_kind = 'open'`.execute(
      trx,
    );
    return rows[0]?.count ?? 0;
  });
  if (existing === OPEN) return;
  log(`seeding ${OPEN} open and ${CLOSED} closed opportunities (set-based)…\n`);
  await database.withScope({}, async (trx) => {
    await sql`insert into users (id, email, name, password_hash)
        select id, 'bm9b.' || n || '@example.com', '商机压测成员' || n, 'x'
        from unnest(${[managerId, ...repIds]}::uuid[]) with ordinality as u(id, n)
        on conflict do nothing`.execute(trx);
  });
  await database.withTenant(tenantId, async (trx) => {
    await sql`insert into tenants (id, name, industry) values (${tenantId}, '商机压测企业', 'b2b') on conflict do nothing`.execute(
      trx,
    );
    await sql`insert into teams (tenant_id, id, name) values (${tenantId}, ${teamId}, '销售一部') on conflict do nothing`.execute(
      trx,
    );
    await sql`insert into memberships (tenant_id, user_id, role, team_id)
        select ${tenantId}, id, case when id = ${managerId}::uuid then 'sales_manager' else 'sales_rep' end, ${teamId}
        from unnest(${[managerId, ...repIds]}::uuid[]) id
        on conflict do nothing`.execute(trx);
    await sql`delete from opportunities where tenant_id = ${tenantId}`.execute(trx);
    // Open deals: half in 需求沟通, 30 % in 方案制定, 20 % in 商务谈判, entered over 90 days;
    // closed ones won or lost over the last year.
    await sql`insert into opportunities (tenant_id, name, owner_user_id, team_id, stage, stage_kind, stage_entered_at,
          amount, probability, needs, lost_reason, won_at, lost_at, created_at)
        select ${tenantId}, '产线自动化改造 ' || g, (${repIds}::uuid[])[1 + g % 3], ${teamId},
          case when g > ${OPEN} then (case when g % 2 = 0 then 'b2b_stage_won' else 'b2b_stage_lost' end)
            when g % 10 < 5 then 'b2b_stage_needs' when g % 10 < 8 then 'b2b_stage_proposal' else 'b2b_stage_negotiation' end,
          case when g > ${OPEN} then (case when g % 2 = 0 then 'won' else 'lost' end) else 'open' end,
          now() - ((g * 7 % (90 * 24 * 60)) || ' minutes')::interval,
          10000 + (g % 50) * 5000, 20 + (g % 5) * 10, array['需求一', '需求二'],
          case when g > ${OPEN} and g % 2 = 1 then 'b2b_lost_price' end,
          case when g > ${OPEN} and g % 2 = 0 then now() - ((g % 365) || ' days')::interval end,
          case when g > ${OPEN} and g % 2 = 1 then now() - ((g % 365) || ' days')::interval end,
          now() - ((g % 200) || ' days')::interval
        from generate_series(1, ${OPEN + CLOSED}) g`.execute(trx);
  });
}

export async function runBm9b(adminUrl: string): Promise<BenchResult[]> {
  const { database, appUrl } = await prepareBenchDatabase(adminUrl, DATABASE, {
    seed,
    tables: ['opportunities', 'memberships', 'users', 'sessions'],
  });
  await database.close();
  log(
    `\nBM9b — the 商机 kanban of ${OPEN} open opportunities, input ${JSON.stringify(INPUT)}, ${settings.durationSeconds}s per target, ${settings.connections} connections, ${new Date().toISOString()}\n`,
  );
  // The manager sees the team's deals: every one of the board.
  return procedureVsBareRoute({
    id: 'BM9b opportunities.board',
    procedure: 'opportunities.board',
    input: INPUT,
    appUrl,
    tenantId,
    userId: managerId,
    ratioTarget: '≥ 0.6',
    p95BudgetMs: 50,
  });
}
