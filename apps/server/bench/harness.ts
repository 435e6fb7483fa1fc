/**
 * Shared by every benchmark: start a target in its own Node process (its CPU time is its
 * own), drive it with autocannon from this process, and collect requests/s, CPU-µs per
 * request (from the target's process.cpuUsage) and exact latency percentiles (every
 * response's time, not a histogram bucket). Also the scaffolding the benchmarks with a
 * database of their own share: provision, seed and vacuum it (`prepareBenchDatabase`), a
 * procedure against its captured SQL on a bare route (`procedureVsBareRoute`), and the app
 * driven in-process (`inProcessApp`, `drive`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PublicDoorRateLimiter } from '@crm/auth';
import { type CrmDatabase, openDatabase, provisionDatabase, sql } from '@crm/db';
import autocannon from 'autocannon';
import pino from 'pino';
import { createApp } from '../src/app';
import { createDependencies } from '../src/dependencies';
import { captureProcedure } from './capture';

export const here = fileURLToPath(new URL('.', import.meta.url));
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const settings = {
  durationSeconds: Number(process.env.BENCH_DURATION ?? 8),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 16),
  /** A folder: targets run with `node --cpu-prof` and leave their profiles there. */
  cpuProfileDir: process.env.BENCH_CPU_PROF,
  /** Loads per target; the median of each figure is reported. */
  repeat: Number(process.env.BENCH_REPEAT ?? 3),
  /** Other processes may use this much CPU (in cores) during a load before it is run again. */
  foreignCpuLimit: Number(process.env.BENCH_FOREIGN_CPU ?? 0.15),
};

/** Databases whose PostgreSQL backends are the benchmark's own (any other backend is foreign load). */
export const benchDatabases = new Set<string>(['crm_bench']);

export type Measured = {
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  /** The body of one response, read before the load (to check the limit does the same work). */
  sample: unknown;
  /** CPU (in cores) that processes other than the benchmark's used during the load. */
  foreignCpu: number;
};

/** One line of bench-results.json. */
export type BenchResult = {
  id: string;
  metric: string;
  project: number;
  limit: number;
  ratio: number;
  /** The product requirement the ratio (or the project figure) is held to, when there is one. */
  target?: string;
  met?: boolean;
  /**
   * The 1-minute load average when the benchmark started and when it ended (`underLoad`); a
   * figure measured as a part of a longer benchmark (BM3's customers, orders and
   * interactions) carries its own.
   */
  load?: { start: number; end: number };
  /** The machine was busy when it started: `met` is no verdict then. */
  noisy?: boolean;
};

export type Target = { child: ChildProcess; port: number; extra: string };

export async function startTarget(target: string, env: Record<string, string> = {}): Promise<Target> {
  const profiling = settings.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}/${target}`]
    : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', `${here}targets.ts`, target], {
    cwd: repositoryRoot,
    // Targets run as a production deployment does (NODE_ENV=production: e.g. outputs are
    // not parsed, see packages/api/src/trpc.ts); BENCH_NODE_ENV overrides it.
    env: { ...process.env, NODE_ENV: process.env.BENCH_NODE_ENV ?? 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk) => {
      buffer += chunk;
      const match = /READY (\d+) ?(.*)\n/.exec(buffer);
      if (match) resolve({ child, port: Number(match[1]), extra: match[2] ?? '' });
    });
    child.on('exit', (code) => reject(new Error(`${target} exited with ${code}`)));
  });
}

export async function stopTarget(target: Target): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (target.child.exitCode !== null) resolve();
    target.child.once('exit', () => resolve());
  });
  target.child.kill('SIGTERM');
  await exited;
}

function cpuMicros(child: ChildProcess, message: 'cpu-start' | 'cpu-stop'): Promise<number> {
  return new Promise((resolve) => {
    if (message === 'cpu-start') {
      child.send(message);
      resolve(0);
      return;
    }
    child.once('message', (reply) => resolve((reply as { cpuMicros: number }).cpuMicros));
    child.send(message);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/**
 * CPU ticks of every process, split into the benchmark's (this process, the target, the
 * bench databases' PostgreSQL backends and PostgreSQL's own workers, kernel threads) and
 * foreign ones (anything else: a test run, a build). Linux /proc; elsewhere nothing is foreign.
 */
function cpuTicks(targetPid: number | undefined): { foreign: number } {
  let foreign = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return { foreign: 0 };
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid || Number(pid) === targetPid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (ticks === 0) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (command === '') continue; // kernel thread
      if (command.startsWith('postgres:')) {
        const backend = /^postgres: [^:]+: \S+ (\S+) /.exec(command);
        if (!backend || benchDatabases.has(backend[1] ?? '')) continue;
      }
      if (/autocannon|bench\/(run|targets)\.ts/.test(command)) continue;
      foreign += ticks;
    } catch {
      // the process ended meanwhile
    }
  }
  return { foreign };
}

const TICKS_PER_SECOND = 100;

type Load = {
  url: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
};

function runAutocannon(load: Load, onResponse?: (milliseconds: number) => void) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(load, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse) instance.on('response', (_client, _status, _bytes, time) => onResponse(time));
  });
}

async function loadOnce(
  target: Target,
  url: string,
  headers: Record<string, string>,
  connections: number,
  duration: number,
) {
  const times: number[] = [];
  const before = cpuTicks(target.child.pid);
  const started = performance.now();
  await cpuMicros(target.child, 'cpu-start');
  const result = await runAutocannon({ url, headers, connections, duration }, (time) => times.push(time));
  const used = await cpuMicros(target.child, 'cpu-stop');
  const seconds = (performance.now() - started) / 1000;
  const foreignCpu = (cpuTicks(target.child.pid).foreign - before.foreign) / TICKS_PER_SECOND / seconds;
  const errors = result.errors + result.non2xx + result.timeouts;
  if (errors > 0) throw new Error(`${url}: ${errors} failed requests`);
  times.sort((left, right) => left - right);
  const requests = result.requests.total;
  return {
    requestsPerSecond: requests / duration,
    cpuMicrosPerRequest: used / requests,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    p99Ms: percentile(times, 99),
    requests,
    foreignCpu,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export type LoadOptions = {
  connections?: number;
  duration?: number;
  warmUpSeconds?: number;
  repeat?: number;
};

/**
 * Load on a running target: warm-up, then `repeat` loads of `duration` seconds at
 * `connections` concurrent requests; each figure is the median over the loads. A load during
 * which other processes used more than `foreignCpuLimit` cores is run again (up to three
 * times, after a pause): this VM is shared, and a test run next to a benchmark halves it.
 */
export async function load(target: Target, path: string, options: LoadOptions = {}): Promise<Measured> {
  // A target prints a session cookie, or `Bearer <API key>` (BM11).
  const headers: Record<string, string> = target.extra.startsWith('Bearer ')
    ? { authorization: target.extra }
    : target.extra
      ? { cookie: target.extra }
      : {};
  const url = `http://127.0.0.1:${target.port}${path}`;
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  const sample: unknown = await response.json();
  const connections = options.connections ?? settings.connections;
  const duration = options.duration ?? settings.durationSeconds;
  // Warm-up: JIT, connection pool, plan cache.
  await runAutocannon({ url, headers, connections, duration: options.warmUpSeconds ?? 2 });
  const runs: Awaited<ReturnType<typeof loadOnce>>[] = [];
  for (let run = 0; run < (options.repeat ?? settings.repeat); run++) {
    let measured = await loadOnce(target, url, headers, connections, duration);
    for (let retry = 0; retry < 3 && measured.foreignCpu > settings.foreignCpuLimit; retry++) {
      log(
        `  (other processes used ${measured.foreignCpu.toFixed(2)} cores during the load: running it again)\n`,
      );
      await sleep(5000);
      measured = await loadOnce(target, url, headers, connections, duration);
    }
    runs.push(measured);
  }
  const pick = (key: keyof (typeof runs)[number]) => median(runs.map((run) => run[key]));
  return {
    requestsPerSecond: pick('requestsPerSecond'),
    cpuMicrosPerRequest: pick('cpuMicrosPerRequest'),
    p50Ms: pick('p50Ms'),
    p95Ms: pick('p95Ms'),
    p99Ms: pick('p99Ms'),
    requests: pick('requests'),
    sample,
    foreignCpu: Math.max(...runs.map((run) => run.foreignCpu)),
  };
}

/** Starts a target, loads it, stops it. */
export async function measure(
  target: string,
  path: string,
  env: Record<string, string> = {},
  options: LoadOptions = {},
): Promise<Measured> {
  const started = await startTarget(target, env);
  try {
    return await load(started, path, options);
  } finally {
    await stopTarget(started);
  }
}

function collectIds(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) collectIds(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'id' && typeof item === 'string') into.add(item);
      else collectIds(item, into);
    }
  }
  return into;
}

/**
 * The limit must do the work the project does: every record id in the project's response
 * is in the limit's (which may hold the one extra row a keyset page reads), and the limit
 * returned something. Throws otherwise: a limit that reads nothing (e.g. RLS hiding every
 * row from an unscoped connection) would make any ratio meaningless.
 */
export function assertSameWork(label: string, project: Measured, limit: Measured): void {
  const projectIds = collectIds(project.sample, new Set());
  const limitIds = collectIds(limit.sample, new Set());
  const missing = [...projectIds].filter((id) => !limitIds.has(id));
  if (limitIds.size === 0 || projectIds.size === 0 || missing.length > 0) {
    throw new Error(
      `${label}: the limit does not return what the project does (project ${projectIds.size} ids, limit ${limitIds.size}, missing ${missing.length})`,
    );
  }
}

export const round = (value: number, digits = 0) => Number(value.toFixed(digits));

/** req/s as project ÷ limit and CPU-µs/request as limit ÷ project: 1.0 is "as cheap as the limit". */
export function throughputRatios(
  id: string,
  project: Measured,
  limit: Measured,
  target?: string,
): BenchResult[] {
  const ratio = round(project.requestsPerSecond / limit.requestsPerSecond, 3);
  const cpuRatio = round(limit.cpuMicrosPerRequest / project.cpuMicrosPerRequest, 3);
  const threshold = target ? Number(/[\d.]+/.exec(target)?.[0]) : undefined;
  return [
    {
      id,
      metric: 'requests/s',
      project: round(project.requestsPerSecond),
      limit: round(limit.requestsPerSecond),
      ratio,
      ...(target && threshold !== undefined ? { target, met: ratio >= threshold } : {}),
    },
    {
      id,
      metric: 'CPU-µs/request (limit ÷ project)',
      project: round(project.cpuMicrosPerRequest),
      limit: round(limit.cpuMicrosPerRequest),
      ratio: cpuRatio,
    },
  ];
}

export function formatMeasured(label: string, m: Measured): string {
  return `  ${label.padEnd(56)} ${m.requestsPerSecond.toFixed(0).padStart(7)} req/s  ${m.cpuMicrosPerRequest
    .toFixed(0)
    .padStart(
      6,
    )} CPU-µs/req  p50 ${m.p50Ms.toFixed(1).padStart(5)} ms  p95 ${m.p95Ms.toFixed(1).padStart(5)} ms  p99 ${m.p99Ms
    .toFixed(1)
    .padStart(5)} ms\n`;
}

export function log(text: string) {
  process.stdout.write(text);
}

/**
 * A benchmark's own database: provisioned, migrated, seeded by `seed` (which leaves an
 * already seeded database as it is), then VACUUM ANALYZE'd as the owner before anything is
 * measured. This server runs with autovacuum off: a freshly seeded table is read without a
 * visibility map and with its hint bits unset, and BM7b's bare route ran 50 % faster on the
 * same table one run later (2026-12-07). The database stays open for the caller to close;
 * its PostgreSQL backends count as the benchmark's own load.
 */
export async function prepareBenchDatabase(
  adminUrl: string,
  name: string,
  options: {
    seed: (database: CrmDatabase) => Promise<void>;
    /** The tables to vacuum and analyse (only the owner may). */
    tables: readonly string[];
    maxConnections?: number;
  },
): Promise<{ database: CrmDatabase; appUrl: string }> {
  benchDatabases.add(name);
  const urls = await provisionDatabase(adminUrl, name);
  const database = await openDatabase({ ...urls, maxConnections: options.maxConnections ?? 2 });
  try {
    await database.migrate();
    await options.seed(database);
    const owner = await openDatabase({ databaseUrl: urls.ownerDatabaseUrl, maxConnections: 1 });
    try {
      await sql`vacuum analyze ${sql.raw(options.tables.join(', '))}`.execute(owner.db);
    } finally {
      await owner.close();
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, appUrl: urls.databaseUrl };
}

/** The production app in this process, with its public doors' rate limits opened wide. */
export function inProcessApp(database: CrmDatabase, publicUrl = 'http://localhost:3000') {
  const dependencies = createDependencies(database, pino({ level: 'silent' }), publicUrl);
  const unlimited = {
    perIp: { points: 1e9, durationSeconds: 60 },
    perToken: { points: 1e9, durationSeconds: 60 },
  };
  const app = createApp({
    dependencies,
    publicUrl,
    publicDoorLimiter: new PublicDoorRateLimiter({
      pixel: unlimited,
      click: unlimited,
      form_view: unlimited,
      form_submit: unlimited,
      reply_hook: unlimited,
      survey_view: unlimited,
      survey_submit: unlimited,
    }),
  });
  return { app, dependencies };
}

/** The status of a response, once its body is read to the end. */
export async function statusOf(response: Response): Promise<number> {
  await response.arrayBuffer();
  return response.status;
}

/**
 * Runs `total` calls of `call` in this process with `concurrency` in flight; calls per
 * second. Throws when any call answered with a status of 400 or more.
 */
export async function drive(
  label: string,
  total: number,
  call: (index: number) => Promise<number>,
  concurrency = settings.connections,
): Promise<number> {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        if ((await call(index)) >= 400) failures += 1;
      }
    }),
  );
  if (failures > 0) throw new Error(`${label}: ${failures} of ${total} requests failed`);
  return total / ((performance.now() - started) / 1000);
}

/**
 * A public door against its bare route, both driven in-process (BM9, BM10): `runs` calls a
 * side's load of `count` calls and answers its calls per second. Both sides are warmed with
 * `warmUp` calls, then run alternately `settings.repeat` times (door first); each figure is
 * the median of its side's runs, so a burst of other work lands on both.
 */
export async function doorVsBareRoute(options: {
  count: number;
  warmUp: number;
  project: (count: number) => Promise<number>;
  limit: (count: number) => Promise<number>;
}): Promise<{ project: number; limit: number }> {
  await options.project(Math.min(options.warmUp, options.count));
  await options.limit(Math.min(options.warmUp, options.count));
  const projects: number[] = [];
  const limits: number[] = [];
  for (let run = 0; run < settings.repeat; run++) {
    projects.push(await options.project(options.count));
    limits.push(await options.limit(options.count));
  }
  log(
    `  runs (project | limit): ${projects.map((value) => round(value)).join(', ')} | ${limits.map((value) => round(value)).join(', ')}\n`,
  );
  return { project: median(projects), limit: median(limits) };
}

/**
 * The bare route's write (BM9, BM10): one statement in a tenant transaction on the pool the
 * product uses — BEGIN with the tenant's settings, the statement, COMMIT.
 */
export function insertInTenant(database: CrmDatabase, tenantId: string) {
  return (statement: ReturnType<typeof sql<unknown>>) =>
    database.withTenant(tenantId, (trx) => statement.execute(trx));
}

/** The p95 at one connection against a budget in milliseconds: ratio = budget ÷ p95. */
export function p95Result(id: string, single: Measured, budgetMs: number): BenchResult {
  return {
    id,
    metric: 'p95 ms, 1 connection (target ÷ project)',
    project: round(single.p95Ms, 1),
    limit: budgetMs,
    ratio: round(budgetMs / single.p95Ms, 3),
    target: `≤ ${budgetMs} ms`,
    met: single.p95Ms <= budgetMs,
  };
}

/**
 * A tRPC query through the real app over HTTP, signed in as `userId` (session, tenant
 * transaction with RLS, membership, record access), against the same SQL — captured from the
 * procedure — on a bare Hono route (the limit), at `settings.connections` connections; and
 * the project's p95 at one connection. Prints the three and returns the ratios.
 */
export async function procedureVsBareRoute(options: {
  /** The results' id, e.g. `BM7b tasks.list`. */
  id: string;
  /** The procedure's path on the router, e.g. `tasks.list`. */
  procedure: string;
  input: unknown;
  appUrl: string;
  tenantId: string;
  userId: string;
  /** The requests/s ratio's target, e.g. `≥ 0.6`. */
  ratioTarget: string;
  p95BudgetMs: number;
}): Promise<BenchResult[]> {
  const { procedure, input } = options;
  const queries = await captureProcedure(options.appUrl, options.tenantId, options.userId, (caller) => {
    const [area = '', name = ''] = procedure.split('.');
    const procedures = (
      caller as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>
    )[area];
    const call = procedures?.[name];
    if (!call) throw new Error(`${procedure} is not on the router`);
    return call(input);
  });
  const env = {
    BENCH_APP_URL: options.appUrl,
    BENCH_TENANT_ID: options.tenantId,
    BENCH_USER_ID: options.userId,
  };
  const path = `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
  const project = await measure('app', path, env);
  const limit = await measure('bare-sql', '/q', { ...env, BENCH_QUERIES: JSON.stringify(queries) });
  assertSameWork(options.id, project, limit);
  const single = await measure('app', path, env, { connections: 1 });
  log(formatMeasured(`project: ${procedure} over HTTP, signed in`, project));
  log(formatMeasured('limit: same SQL, bare Hono + postgres.js', limit));
  log(formatMeasured('project, 1 connection (one user)', single));
  return [
    ...throughputRatios(`${options.id} vs bare SQL route`, project, limit, options.ratioTarget),
    p95Result(`${options.id} p95`, single, options.p95BudgetMs),
  ];
}

/**
 * The machine's load around each benchmark, or each figure of a long one. Before one starts,
 * the 1-minute load average is given up to BENCH_SETTLE_SECONDS (60) to fall below
 * BENCH_QUIET_LOAD (1.5 on this 2-core VM) — the previous work's own load decays meanwhile;
 * the figure at the start and at the end (which includes the benchmark's own work) are kept
 * with its results. A benchmark that starts on a busy machine says "noisy" instead of met /
 * NOT MET: its ratio is a reading, not a verdict.
 */
export const quietLoad = Number(process.env.BENCH_QUIET_LOAD ?? 1.5);
const settleSeconds = Number(process.env.BENCH_SETTLE_SECONDS ?? 60);
const roundLoad = (value: number) => Math.round(value * 100) / 100;
export const oneMinuteLoad = () => roundLoad(loadavg()[0] ?? 0);

/** Waits (up to BENCH_SETTLE_SECONDS) for a quiet machine; returns the load it starts at. */
export async function settle(): Promise<number> {
  const deadline = Date.now() + settleSeconds * 1000;
  if (oneMinuteLoad() > quietLoad)
    log(`  (load average ${oneMinuteLoad()}: waiting up to ${settleSeconds} s for it to settle)\n`);
  while (oneMinuteLoad() > quietLoad && Date.now() < deadline) await sleep(2_000);
  return oneMinuteLoad();
}

/**
 * Runs a benchmark (or one figure of it) after `settle`, and gives each of its results the
 * load at its start and end and — started on a busy machine — `noisy`. Results that carry a
 * load of their own (measured figure by figure inside the benchmark) keep it.
 */
export async function underLoad(run: () => Promise<BenchResult[]>): Promise<BenchResult[]> {
  const start = await settle();
  const measured = await run();
  const end = oneMinuteLoad();
  for (const result of measured) {
    if (!result.load) result.load = { start, end };
    if (result.target && result.load.start > quietLoad) result.noisy = true;
  }
  return measured;
}
