/**
 * BM5d — the dashboards over the big tenant (issue 19's BM5; 1M customers, 10M orders, 5M
 * interactions at BENCH_SCALE=1): each dashboard's figures through the real dashboards.get
 * (session, tenant transaction with RLS, membership, record access, the previous period and the
 * same period last year, targets, output validation) vs the same SQL — captured from the
 * procedure — on a bare Hono route. Admin (the whole tenant) for every dashboard, and the sales
 * dashboard as a sales manager (the team's customers). Targets: throughput ≥ 0.91 of the bare
 * route (the procedure ≤ 1.1× its time) and each dashboard ≤ 300 ms per 1M customers at one
 * connection (p95, scaled by BENCH_SCALE). The load average is printed with every scenario.
 * Each scenario first prints its one captured call's time and slowest statements; a call slower
 * than BENCH_BM5D_MAX_CALL_SECONDS (20) is its own figure (no load run: 16 such calls at once
 * outlast the HTTP client's 300 s header timeout).
 */
import { loadavg } from 'node:os';
import type { Dashboard } from '@crm/domain';
import postgres from 'postgres';
import { captureProcedure } from './capture';
import type { Dataset } from './generate';
import { type BenchResult, formatMeasured, log, measure, round, settings, throughputRatios } from './harness';

const DASHBOARDS: Dashboard[] = ['management', 'sales', 'operations', 'service'];

const procedurePath = (input: unknown) =>
  `/trpc/dashboards.get?input=${encodeURIComponent(JSON.stringify(input))}`;

/** A sales manager of the big tenant with a team (their dashboards count the team's customers). */
async function pickManager(dataset: Dataset): Promise<string> {
  const db = postgres(dataset.superUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await db<{ user_id: string }[]>`
      select user_id from memberships
      where tenant_id = ${dataset.tenantId} and role = 'sales_manager' and team_id is not null
      order by user_id limit 1`;
    return row?.user_id ?? dataset.managerUserId;
  } finally {
    await db.end();
  }
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

export async function runBm5d(dataset: Dataset): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const scale = dataset.stats.scale;
  const budgetMs = Math.max(50, Math.round(300 * scale));
  const maxCallMs = Number(process.env.BENCH_BM5D_MAX_CALL_SECONDS ?? 20) * 1000;
  // The last twelve months, as the dashboards open by default.
  const today = new Date();
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1));
  const from = new Date(Date.UTC(to.getUTCFullYear() - 1, to.getUTCMonth(), 1));
  const period = { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
  const manager = await pickManager(dataset);
  const scenarios = [
    ...DASHBOARDS.map((dashboard) => ({ dashboard, userId: dataset.adminUserId, who: 'admin' })),
    { dashboard: 'sales' as Dashboard, userId: manager, who: 'sales manager' },
  ];
  log(
    `\nBM5d — dashboards.get on ${dataset.database} (${settings.durationSeconds}s per target, ${settings.connections} connections), ${period.from} – ${period.to}, ${new Date().toISOString()}\n`,
  );
  for (const scenario of scenarios) {
    const input = { dashboard: scenario.dashboard, ...period };
    const env = {
      BENCH_APP_URL: dataset.appUrl,
      BENCH_TENANT_ID: dataset.tenantId,
      BENCH_USER_ID: scenario.userId,
    };
    const captureStarted = performance.now();
    const timed = await captureProcedure(dataset.appUrl, dataset.tenantId, scenario.userId, (caller) =>
      caller.dashboards.get(input),
    );
    const captureMs = performance.now() - captureStarted;
    const id = `BM5d ${scenario.dashboard} as ${scenario.who}`;
    log(
      `\n${id} — one call while capturing its SQL: ${(captureMs / 1000).toFixed(1)} s, ${timed.length} statements; the slowest:\n`,
    );
    for (const query of [...timed].sort((left, right) => right.ms - left.ms).slice(0, 8)) {
      log(
        `  ${(query.ms / 1000).toFixed(2).padStart(8)} s  ${query.sql.replace(/\s+/g, ' ').slice(0, 150)}\n`,
      );
    }
    // A dashboard that takes longer than a load window per call cannot be loaded for a
    // throughput figure: its one call is the figure (one connection, nothing else running).
    if (captureMs > maxCallMs) {
      log(`  (one call took longer than ${maxCallMs / 1000} s: no load run; the call's time is its p95)\n`);
      results.push({
        id: `${id} p95`,
        metric: `p95 ms, 1 connection (target ÷ project)`,
        project: round(captureMs, 1),
        limit: budgetMs,
        ratio: round(budgetMs / captureMs, 3),
        target: `≤ ${budgetMs} ms`,
        met: false,
      });
      continue;
    }
    const queries = timed.map(({ sql, parameters }) => ({ sql, parameters }));
    const path = procedurePath(input);
    const loadBefore = load();
    const project = await measure('app', path, env);
    const limit = await measure('bare-sql', '/q', { ...env, BENCH_QUERIES: JSON.stringify(queries) });
    const single = await measure('app', path, env, { connections: 1 });
    log(`\n${id} — ${queries.length} statements; load average ${loadBefore} → ${load()}\n`);
    log(formatMeasured('project: dashboards.get', project));
    log(formatMeasured('limit: same SQL, bare Hono + postgres.js', limit));
    log(formatMeasured('project, 1 connection (one user)', single));
    results.push(...throughputRatios(`${id} vs bare SQL route`, project, limit, '≥ 0.91'));
    results.push({
      id: `${id} p95`,
      metric: `p95 ms, 1 connection (target ÷ project)`,
      project: round(single.p95Ms, 1),
      limit: budgetMs,
      ratio: round(budgetMs / single.p95Ms, 3),
      target: `≤ ${budgetMs} ms`,
      met: single.p95Ms <= budgetMs,
    });
  }
  return results;
}
