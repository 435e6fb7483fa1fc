/**
 * BM7b — 我的任务: the first page of a rep's task list when the rep has 5,000 open tasks
 * (and a history of done ones, and a manager with thousands more in the same tenant), through
 * the real tasks.list over HTTP (session, tenant transaction with RLS, membership, the rep's
 * task scope, output validation) vs the same SQL — captured from the procedure — on a bare
 * Hono route. Also p95 at one connection (one user). Targets: ratio ≥ 0.6, p95 ≤ 20 ms.
 *
 * Its own database (`crm_bench_tasks`), seeded once, set-based, and vacuumed and analysed
 * before every run (harness.ts, `prepareBenchDatabase`).
 */
import { type CrmDatabase, sql } from '@crm/db';
import { type BenchResult, log, prepareBenchDatabase, procedureVsBareRoute, settings } from './harness';

const DATABASE = 'crm_bench_tasks';
const OPEN_TASKS = 5_000;
const DONE_TASKS = 3_000;
const CUSTOMERS = 20_000;
const tenantId = '00000000-0000-4000-8000-000000000701';
const repId = '00000000-0000-4000-8000-000000000702';
const managerId = '00000000-0000-4000-8000-000000000703';
const otherRepId = '00000000-0000-4000-8000-000000000704';
const teamId = '00000000-0000-4000-8000-000000000705';

/** The list as the screen first asks for it (the default view of 我的任务); BENCH_BM7B_INPUT overrides it. */
const INPUT: Record<string, unknown> = JSON.parse(process.env.BENCH_BM7B_INPUT ?? '{"limit":50}');

async function seed(database: CrmDatabase) {
  const existing = await database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from tasks where owner_user_id = ${repId} and status = 'open'`.execute(
      trx,
    );
    return rows[0]?.count ?? 0;
  });
  if (existing === OPEN_TASKS) return;
  log(`seeding ${CUSTOMERS} customers and the tasks of three members (set-based)…\n`);
  await database.withScope({}, async (trx) => {
    await sql`insert into users (id, email, name, password_hash) values
          (${repId}, 'bm7b.rep@example.com', '任务压测销售', 'x'),
          (${managerId}, 'bm7b.manager@example.com', '任务压测经理', 'x'),
          (${otherRepId}, 'bm7b.rep2@example.com', '任务压测销售二', 'x')
        on conflict do nothing`.execute(trx);
  });
  await database.withTenant(tenantId, async (trx) => {
    await sql`insert into tenants (id, name, industry) values (${tenantId}, '任务压测企业', 'b2b') on conflict do nothing`.execute(
      trx,
    );
    await sql`insert into teams (tenant_id, id, name) values (${tenantId}, ${teamId}, '销售一部') on conflict do nothing`.execute(
      trx,
    );
    await sql`insert into memberships (tenant_id, user_id, role, team_id) values
          (${tenantId}, ${repId}, 'sales_rep', ${teamId}),
          (${tenantId}, ${managerId}, 'sales_manager', ${teamId}),
          (${tenantId}, ${otherRepId}, 'sales_rep', ${teamId})
        on conflict do nothing`.execute(trx);
    await sql`delete from tasks where tenant_id = ${tenantId}`.execute(trx);
    await sql`delete from customers where tenant_id = ${tenantId}`.execute(trx);
    // Half the customers are the rep's, the rest the other rep's and the manager's.
    await sql`insert into customers (tenant_id, name, kind, owner_user_id, created_at, updated_at)
        select ${tenantId}, '华东精密机械' || g || '有限公司', 'company',
          case when g % 2 = 0 then ${repId}::uuid when g % 4 = 1 then ${otherRepId}::uuid else ${managerId}::uuid end,
          now() - (g || ' minutes')::interval, now() - (g || ' seconds')::interval
        from generate_series(1, ${CUSTOMERS}) g`.execute(trx);
    // Each member's open tasks spread from 30 days overdue to four months ahead, a few with
    // a precise deadline; done ones over the last 90 days.
    await sql`with owned as (
          select id, owner_user_id, row_number() over (partition by owner_user_id order by created_at) as n,
            count(*) over (partition by owner_user_id) as total
          from customers where tenant_id = ${tenantId}
        ),
        members as (
          select * from (values (${repId}::uuid, ${OPEN_TASKS}::int, ${DONE_TASKS}::int),
            (${otherRepId}::uuid, 2500, 1500), (${managerId}::uuid, 3000, 1000)) m(user_id, open, done)
        ),
        drawn as (
          select m.user_id, g, g <= m.open as open,
            case when g <= m.open then current_date - 30 + (g % 150) else current_date - (g % 90) end as due_on
          from members m cross join lateral generate_series(1, m.open + m.done) g
        )
        insert into tasks (tenant_id, title, type, customer_id, owner_user_id, team_id, due_on, due_at, priority,
          status, closed_at, closed_by, source, source_key, created_at)
        select ${tenantId}, '季度需求回顾：华东精密机械' || d.g, (array['visit','call','wechat','callback','care','needs_review'])[1 + d.g % 6],
          o.id, d.user_id, ${teamId}, d.due_on,
          case when d.g % 5 = 0 then (d.due_on + time '15:00') at time zone 'Asia/Shanghai' end,
          (array['normal','normal','high','low'])[1 + d.g % 4],
          case when d.open then 'open' else 'done' end,
          case when d.open then null else (d.due_on + time '17:00') at time zone 'Asia/Shanghai' end,
          case when d.open then null else d.user_id end,
          case when d.g % 3 = 0 then 'plan' else 'manual' end,
          case when d.g % 3 = 0 then 'plan:' || d.user_id || ':' || d.g end,
          now() - interval '60 days'
        from drawn d
        join owned o on o.owner_user_id = d.user_id and o.n = 1 + d.g % o.total`.execute(trx);
  });
}

/** BM7b's database (`crm_bench_tasks`), seeded once, vacuumed and analysed; the rep whose list is read. */
export async function prepareBm7bDatabase(adminUrl: string) {
  const { database, appUrl } = await prepareBenchDatabase(adminUrl, DATABASE, {
    seed,
    tables: ['tasks', 'customers', 'memberships', 'users', 'sessions'],
  });
  await database.close();
  return { appUrl, tenantId, userId: repId };
}

export async function runBm7b(adminUrl: string): Promise<BenchResult[]> {
  const { appUrl } = await prepareBm7bDatabase(adminUrl);
  log(
    `\nBM7b — 我的任务 of a rep with ${OPEN_TASKS} open tasks, input ${JSON.stringify(INPUT)}, ${settings.durationSeconds}s per target, ${settings.connections} connections, ${new Date().toISOString()}\n`,
  );
  return procedureVsBareRoute({
    id: 'BM7b tasks.list',
    procedure: 'tasks.list',
    input: INPUT,
    appUrl,
    tenantId,
    userId: repId,
    ratioTarget: '≥ 0.6',
    p95BudgetMs: 20,
  });
}
