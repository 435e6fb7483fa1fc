/**
 * `pnpm bench [BM1] [BM2] [BM2b] [BM5] [BM6] …`: every benchmark next to its physical limit measured
 * in the same run (all of them when none is named), printed as project vs limit and ratio,
 * and merged into bench-results.json (`[{id, metric, project, limit, ratio, target?, met?, load, noisy?}]`;
 * the entries of benchmarks not run this time are kept).
 *
 * BM1   the cost of each layer of a request (bm1.ts), on `crm_bench` (100,000 customers)
 * BM2   the Customer 360 list page at 1M customers, real procedure vs bare SQL route (bm2.ts)
 * BM2b  the full 360 profile payload of one customer (bm2.ts)
 * BM3   importing 1M customers (~200 MB CSV) through the real import path, in a child process
 *       whose peak memory is measured, vs bare COPY FROM STDIN of the same rows, in a database
 *       of its own (bm3.ts)
 * BM3b  exporting the big tenant's customers to CSV, export job vs bare COPY TO STDOUT (bm3b.ts)
 * BM3c  the duplicate scan of the big tenant with 1 % planted duplicates: time vs a bare group-by
 *       of the match keys, recall of the planted pairs, false-pair rate (bm3c.ts)
 * BM4   re-tiering the big tenant with the b2b weighted model, engine vs a hand-written
 *       INSERT … ON CONFLICT into customer_tiers: first placement, steady re-tier, 1 % changed;
 *       and BM4-select: the model run as a SELECT vs the engine's first placement (bm4.ts)
 * BM4-select  the same run (bm4.ts)
 * BM4b  the preview matrix of a changed tier threshold at 1M customers (bm4.ts)
 * BM5   the customer list's first rows cold in Chromium on the embedded demo (PGlite, demo data)
 *       vs the same app's sign-in page without data (bm5.ts; needs the built web app)
 * BM5d  the four dashboards of the big tenant, dashboards.get vs the same SQL on a bare route, and
 *       p95 at one connection ≤ 300 ms per 1M customers (bm5d.ts)
 * BM6   RLS overhead on the BM2/BM2b statements, straight against PostgreSQL (bm6.ts)
 * BM7   maintenance plans of the big tenant: plans and next-quarter tasks from scratch, and the
 *       re-plan after 1 % change tier, product path vs hand-written INSERT … SELECT (bm7.ts)
 * BM7b  我的任务: a rep's task list with 5,000 open tasks, real tasks.list vs bare SQL route, and
 *       p95 at one connection (bm7b.ts, its own small database)
 * BM8   the web app in Chromium: the app shell's initial JavaScript (gzip), LCP of the workbench on
 *       the embedded demo vs the sign-in page, INP of its interactions (bm8.ts; needs the built web app)
 * BM9   behaviour events: opens and clicks through the public doors vs a bare INSERT route, and
 *       the re-grade of 100,000 leads after 1M events vs a hand-written UPDATE (bm9.ts, its own
 *       database)
 * BM9b  the 商机 kanban of 10,000 open opportunities, opportunities.board vs the same SQL on a bare
 *       route, and p95 at one connection ≤ 50 ms (bm9b.ts, its own database)
 * BM10  surveys: the public survey page and its submission vs a bare route serving and
 *       inserting the same, the page's gzip size, and (BM10b) NPS per tier per month over 5M
 *       responses vs raw SQL (bm10.ts, its own database)
 * BM11  the REST API: a page of 50 customers with an API key vs the bare SQL route (bm11.ts,
 *       BM1's database)
 * BM11c the REST batch upsert of 10,000 customers in batches of 100 (new, then updated by external
 *       id) vs importing the same as a CSV (bm11.ts, its own database; reported, no target)
 * BM11b the webhook outbox: drained events/s to a local receiver vs a bare POST loop, and the
 *       outbox write's overhead on customers.create (bm11.ts, its own database)
 *
 * Needs a PostgreSQL server: BENCH_DATABASE_URL (an administrator URL; default the local
 * server). BM2, BM2b and BM6 use the generated data set (generate.ts, `crm_bench_1m`),
 * built once and reused. See docs/benchmarks.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { runBm1 } from './bm1';
import { bm2Scenarios, runBm2 } from './bm2';
import { runBm3 } from './bm3';
import { runBm3b } from './bm3b';
import { runBm3c } from './bm3c';
import { runBm4 } from './bm4';
import { runBm5 } from './bm5';
import { runBm5d } from './bm5d';
import { runBm6 } from './bm6';
import { runBm7 } from './bm7';
import { runBm7b } from './bm7b';
import { runBm8 } from './bm8';
import { runBm9 } from './bm9';
import { runBm9b } from './bm9b';
import { runBm10 } from './bm10';
import { runBm11, runBm11b, runBm11c } from './bm11';
import { ensureDataset } from './generate';
import { type BenchResult, benchDatabases, log, quietLoad, repositoryRoot, underLoad } from './harness';

const BENCHMARKS = [
  'BM1',
  'BM2',
  'BM2b',
  'BM3',
  'BM3b',
  'BM3c',
  'BM4',
  'BM4-select',
  'BM4b',
  'BM5',
  'BM5d',
  'BM6',
  'BM7',
  'BM7b',
  'BM8',
  'BM9',
  'BM9b',
  'BM10',
  'BM11',
  'BM11b',
  'BM11c',
] as const;
type Benchmark = (typeof BENCHMARKS)[number];

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scale = Number(process.env.BENCH_SCALE ?? 1);

const requested = process.argv.slice(2).filter((argument) => argument !== '--');
const unknown = requested.filter(
  (name) => !BENCHMARKS.some((benchmark) => benchmark.toLowerCase() === name.toLowerCase()),
);
if (unknown.length > 0) {
  log(`Unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.join(', ')}\n`);
  process.exit(2);
}
const selected = new Set<Benchmark>(
  requested.length === 0
    ? BENCHMARKS
    : BENCHMARKS.filter((benchmark) =>
        requested.some((name) => name.toLowerCase() === benchmark.toLowerCase()),
      ),
);

const results: BenchResult[] = [];
if (selected.has('BM1')) results.push(...(await underLoad(() => runBm1(adminUrl))));
if (selected.has('BM3')) results.push(...(await underLoad(() => runBm3(adminUrl, scale))));
if (selected.has('BM5')) results.push(...(await underLoad(() => runBm5())));
if (selected.has('BM7b')) results.push(...(await underLoad(() => runBm7b(adminUrl))));
if (selected.has('BM8')) results.push(...(await underLoad(() => runBm8())));
if (selected.has('BM9')) results.push(...(await underLoad(() => runBm9(adminUrl, scale))));
if (selected.has('BM9b')) results.push(...(await underLoad(() => runBm9b(adminUrl))));
if (selected.has('BM10')) results.push(...(await underLoad(() => runBm10(adminUrl, scale))));
if (selected.has('BM11')) results.push(...(await underLoad(() => runBm11(adminUrl))));
if (selected.has('BM11b')) results.push(...(await underLoad(() => runBm11b(adminUrl))));
if (selected.has('BM11c')) results.push(...(await underLoad(() => runBm11c(adminUrl))));
if (
  selected.has('BM2') ||
  selected.has('BM2b') ||
  selected.has('BM3b') ||
  selected.has('BM3c') ||
  selected.has('BM4') ||
  selected.has('BM4-select') ||
  selected.has('BM4b') ||
  selected.has('BM5d') ||
  selected.has('BM6') ||
  selected.has('BM7')
) {
  const dataset = await ensureDataset(adminUrl, scale);
  benchDatabases.add(dataset.database);
  if (selected.has('BM2') || selected.has('BM2b')) {
    results.push(
      ...(await underLoad(() =>
        runBm2(dataset, { list: selected.has('BM2'), profile: selected.has('BM2b') }),
      )),
    );
  }
  if (selected.has('BM3b')) results.push(...(await underLoad(() => runBm3b(dataset))));
  if (selected.has('BM3c')) results.push(...(await underLoad(() => runBm3c(dataset))));
  if (selected.has('BM4') || selected.has('BM4-select') || selected.has('BM4b'))
    results.push(...(await underLoad(() => runBm4(dataset))));
  if (selected.has('BM5d')) results.push(...(await underLoad(() => runBm5d(dataset))));
  if (selected.has('BM7')) results.push(...(await underLoad(() => runBm7(dataset))));
  if (selected.has('BM6')) {
    const scenarios = await bm2Scenarios(dataset);
    results.push(
      ...(await underLoad(() => runBm6(dataset, [scenarios.narrow, scenarios.broad, scenarios.profile]))),
    );
  }
}

log(
  '\n  id                                              metric                                        project      limit   ratio  load (start → end)    target\n',
);
for (const result of results) {
  const outcome = result.noisy ? 'noisy' : result.met ? 'met' : 'NOT MET';
  const verdict = result.target ? `  ${result.target} ${outcome}` : '';
  const load = result.load ? `${result.load.start} → ${result.load.end}` : '';
  log(
    `  ${result.id.padEnd(47)} ${result.metric.padEnd(45)} ${String(result.project).padStart(8)} ${String(result.limit).padStart(10)}  ${result.ratio.toFixed(3).padStart(6)}  ${load.padEnd(20)}${verdict}\n`,
  );
}
if (results.some((result) => result.noisy)) {
  log(
    `\n  noisy: the load average was above ${quietLoad} when the benchmark started (other work on the machine); run it again on a quiet machine for a verdict\n`,
  );
}

// Keep what other benchmarks wrote last time; replace what ran now.
const file = `${repositoryRoot}bench-results.json`;
const ranNow = (id: string) => [...selected].some((benchmark) => id.split(' ')[0] === benchmark);
const kept: BenchResult[] = existsSync(file)
  ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult[]).filter((result) => !ranNow(result.id))
  : [];
writeFileSync(file, `${JSON.stringify([...kept, ...results], null, 2)}\n`);
log(`\nwrote ${file}\n`);
