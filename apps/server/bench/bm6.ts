/**
 * BM6 — what row-level security costs: the BM2 and BM2b statements (captured from the
 * procedures) straight against PostgreSQL, no HTTP, one connection each, interleaved:
 *   RLS on:  the runtime role crm_app in a transaction with set_config('app.tenant_id', …, true)
 *   limit:   the superuser (RLS does not apply) with the same explicit tenant_id filter
 * Both run as prepared statements (as postgres.js does in the app), inside a transaction
 * with the same set_config; only the statements themselves are timed. Ratio: RLS ÷ limit
 * (mean time), target ≤ 1.05. The EXPLAIN (ANALYZE, BUFFERS) of each side goes to
 * .data/bench-plans/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import type { Bm2Scenario } from './bm2';
import type { Dataset } from './generate';
import { type BenchResult, log, percentile, repositoryRoot, round } from './harness';

const ITERATIONS = Number(process.env.BENCH_BM6_ITERATIONS ?? 400);
const WARM_UP = 30;

type Side = { name: 'rls' | 'bypass'; connection: postgres.ReservedSql };

async function runOnce(side: Side, scenario: Bm2Scenario, tenantId: string, userId: string): Promise<number> {
  const { connection } = side;
  await connection`begin`;
  try {
    await connection`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId}, true)`;
    let total = 0;
    for (const query of scenario.queries) {
      const started = performance.now();
      await connection.unsafe(query.sql, query.parameters as never[], { prepare: true });
      total += performance.now() - started;
    }
    return total;
  } finally {
    await connection`commit`;
  }
}

async function explain(side: Side, scenario: Bm2Scenario, tenantId: string, userId: string): Promise<string> {
  const { connection } = side;
  const parts: string[] = [];
  await connection`begin`;
  try {
    await connection`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId}, true)`;
    for (const query of scenario.queries) {
      const rows = await connection.unsafe(
        `explain (analyze, buffers, costs off, summary on) ${query.sql}`,
        query.parameters as never[],
      );
      parts.push(
        `-- ${query.sql.replace(/\s+/g, ' ').slice(0, 160)}…\n${rows.map((row) => row['QUERY PLAN']).join('\n')}`,
      );
    }
  } finally {
    await connection`rollback`;
  }
  return parts.join('\n\n');
}

function summarise(times: number[]) {
  const sorted = [...times].sort((left, right) => left - right);
  return { mean: sorted.reduce((sum, time) => sum + time, 0) / sorted.length, p95: percentile(sorted, 95) };
}

export async function runBm6(dataset: Dataset, scenarios: Bm2Scenario[]): Promise<BenchResult[]> {
  // Custom plans on both sides, as the app's connections run (packages/db/src/connection.ts).
  const options = { max: 1, onnotice: () => {}, connection: { plan_cache_mode: 'force_custom_plan' } };
  const rlsClient = postgres(dataset.appUrl, options);
  const bypassClient = postgres(dataset.superUrl, options);
  const rls: Side = { name: 'rls', connection: await rlsClient.reserve() };
  const bypass: Side = { name: 'bypass', connection: await bypassClient.reserve() };
  const results: BenchResult[] = [];
  const planDir = `${repositoryRoot}.data/bench-plans`;
  mkdirSync(planDir, { recursive: true });
  log(`\nBM6 — RLS vs the superuser with the same tenant filter, ${ITERATIONS} interleaved runs each\n`);
  try {
    const [{ is_super: rlsIsSuper, bypass: rlsBypasses } = { is_super: true, bypass: true }] =
      await rls.connection<
        { is_super: boolean; bypass: boolean }[]
      >`select rolsuper as is_super, rolbypassrls as bypass from pg_roles where rolname = current_user`;
    if (rlsIsSuper || rlsBypasses) throw new Error('BM6: the RLS side must be the runtime role');
    for (const scenario of scenarios) {
      const tenantId = dataset.tenantId;
      const times = { rls: [] as number[], bypass: [] as number[] };
      for (let i = 0; i < WARM_UP; i++) {
        await runOnce(rls, scenario, tenantId, scenario.userId);
        await runOnce(bypass, scenario, tenantId, scenario.userId);
      }
      for (let i = 0; i < ITERATIONS; i++) {
        // Alternate which side goes first, so neither always runs on a warmer cache.
        const order = i % 2 === 0 ? [rls, bypass] : [bypass, rls];
        for (const side of order)
          times[side.name].push(await runOnce(side, scenario, tenantId, scenario.userId));
      }
      const withRls = summarise(times.rls);
      const without = summarise(times.bypass);
      const ratio = round(withRls.mean / without.mean, 3);
      log(
        `  ${scenario.id.padEnd(10)} RLS mean ${withRls.mean.toFixed(3)} ms p95 ${withRls.p95.toFixed(3)} ms | no RLS mean ${without.mean.toFixed(3)} ms p95 ${without.p95.toFixed(3)} ms | ratio ${ratio}\n`,
      );
      results.push({
        id: `BM6 RLS overhead, ${scenario.id} statements`,
        metric: 'mean ms, RLS ÷ no RLS',
        project: round(withRls.mean, 3),
        limit: round(without.mean, 3),
        ratio,
        target: '≤ 1.05',
        met: ratio <= 1.05,
      });
      const file = `${planDir}/${scenario.id.replace(/\s+/g, '-')}.txt`;
      writeFileSync(
        file,
        `# ${scenario.id}: ${scenario.label}\n\n## RLS on (crm_app)\n\n${await explain(rls, scenario, tenantId, scenario.userId)}\n\n## RLS bypassed (superuser), same tenant filter\n\n${await explain(bypass, scenario, tenantId, scenario.userId)}\n`,
      );
    }
    log(`  plans: ${planDir}/\n`);
  } finally {
    rls.connection.release();
    bypass.connection.release();
    await Promise.all([rlsClient.end(), bypassClient.end()]);
  }
  return results;
}
