/**
 * `pnpm bench`: every benchmark next to its physical limit measured in the same run.
 *
 * BM1 — requests/s and CPU-µs per request for (a) bare node:http, (b) a bare Hono route,
 * (c) a tRPC procedure in Hono, (d) the real customers.list (session, tenant transaction
 * with RLS, one page of 50 from 100,000 customers) and (e) the same SQL on a bare Hono
 * route through postgres.js. Ratios: b/a, c/b, d/e.
 *
 * Needs a PostgreSQL server: BENCH_DATABASE_URL (an administrator URL; default the local
 * server) — a database `crm_bench` is provisioned and seeded once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDatabase, provisionDatabase, sql } from '@crm/db';
import autocannon from 'autocannon';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const durationSeconds = Number(process.env.BENCH_DURATION ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const CUSTOMERS = 100_000;
const here = fileURLToPath(new URL('.', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

type Measured = { requestsPerSecond: number; cpuMicrosPerRequest: number; p95Ms: number; errors: number };
export type BenchResult = { id: string; metric: string; project: number; limit: number; ratio: number };

async function prepareDatabase() {
  const urls = await provisionDatabase(adminUrl, 'crm_bench');
  const database = await openDatabase({ ...urls, maxConnections: 2 });
  await database.migrate();
  const tenantId = '00000000-0000-4000-8000-000000000001';
  const userId = '00000000-0000-4000-8000-000000000002';
  const existing = await database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from customers`.execute(trx);
    return rows[0]?.count ?? 0;
  });
  if (existing !== CUSTOMERS) {
    process.stdout.write(`seeding ${CUSTOMERS} customers (set-based)…\n`);
    await database.withScope({ userId }, async (trx) => {
      await sql`insert into users (id, email, name, password_hash) values (${userId}, 'bench@example.com', '压测用户', 'x')
        on conflict do nothing`.execute(trx);
    });
    await database.withTenant(tenantId, async (trx) => {
      await sql`insert into tenants (id, name, industry) values (${tenantId}, '压测企业', 'b2b') on conflict do nothing`.execute(
        trx,
      );
      await sql`insert into memberships (tenant_id, user_id, role) values (${tenantId}, ${userId}, 'owner') on conflict do nothing`.execute(
        trx,
      );
      await sql`delete from customers where tenant_id = ${tenantId}`.execute(trx);
      await sql`insert into customers (tenant_id, name, kind, phone, email, owner_user_id, created_at, updated_at)
        select ${tenantId}, '客户' || g, case when g % 3 = 0 then 'company' else 'person' end,
               '138' || lpad((g % 100000000)::text, 8, '0'), 'c' || g || '@example.com', ${userId},
               now() - (g || ' minutes')::interval, now() - (g || ' seconds')::interval
        from generate_series(1, ${CUSTOMERS}) g`.execute(trx);
    });
  }
  await database.close();
  // Statistics as autovacuum would leave them; only the owner may ANALYZE.
  const owner = await openDatabase({ databaseUrl: urls.ownerDatabaseUrl, maxConnections: 1 });
  await sql`analyze customers, memberships, users, sessions`.execute(owner.db);
  await owner.close();
  return { appUrl: urls.databaseUrl, ownerUrl: urls.ownerDatabaseUrl, tenantId, userId };
}

async function startTarget(
  target: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; extra: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${here}targets.ts`, target], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
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

async function measure(target: string, path: string, env: Record<string, string> = {}): Promise<Measured> {
  const { child, port, extra } = await startTarget(target, env);
  const headers: Record<string, string> = extra ? { cookie: extra } : {};
  const url = `http://127.0.0.1:${port}${path}`;
  try {
    // Warm-up: JIT, connection pool, plan cache.
    await autocannon({ url, headers, connections, duration: 2 });
    await cpuMicros(child, 'cpu-start');
    const result = await autocannon({ url, headers, connections, duration: durationSeconds });
    const used = await cpuMicros(child, 'cpu-stop');
    const requests = result.requests.total;
    const errors = result.errors + result.non2xx;
    if (errors > 0) throw new Error(`${target}: ${errors} failed requests`);
    return {
      requestsPerSecond: requests / durationSeconds,
      cpuMicrosPerRequest: used / requests,
      p95Ms: (result.latency as unknown as Record<string, number>).p97_5 ?? result.latency.p99,
      errors,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

const database = await prepareDatabase();
const dbEnv = {
  BENCH_APP_URL: database.appUrl,
  BENCH_TENANT_ID: database.tenantId,
  BENCH_USER_ID: database.userId,
};
const listInput = encodeURIComponent(JSON.stringify({ limit: 50 }));

const measured = {
  a: await measure('node-http', '/'),
  b: await measure('hono', '/ok'),
  c: await measure('trpc', '/trpc/ping'),
  d: await measure('customers-list', `/trpc/customers.list?input=${listInput}`, dbEnv),
  e: await measure('bare-sql', '/customers', dbEnv),
};

const labels = {
  a: '(a) bare node:http',
  b: '(b) bare Hono route',
  c: '(c) tRPC procedure in Hono',
  d: '(d) customers.list, 50 of 100k, session + RLS',
  e: '(e) same SQL, bare Hono + postgres.js',
};
process.stdout.write(
  `\nBM1 — ${durationSeconds}s per target, ${connections} connections, ${new Date().toISOString()}\n`,
);
for (const key of ['a', 'b', 'c', 'd', 'e'] as const) {
  const m = measured[key];
  process.stdout.write(
    `  ${labels[key].padEnd(48)} ${m.requestsPerSecond.toFixed(0).padStart(7)} req/s  ${m.cpuMicrosPerRequest.toFixed(0).padStart(5)} CPU-µs/req  p97.5 ${m.p95Ms} ms\n`,
  );
}

const results: BenchResult[] = [];
const ratio = (id: string, project: Measured, limit: Measured) => {
  results.push({
    id,
    metric: 'requests/s',
    project: Math.round(project.requestsPerSecond),
    limit: Math.round(limit.requestsPerSecond),
    ratio: Number((project.requestsPerSecond / limit.requestsPerSecond).toFixed(3)),
  });
  results.push({
    id,
    metric: 'CPU-µs/request (limit ÷ project)',
    project: Math.round(project.cpuMicrosPerRequest),
    limit: Math.round(limit.cpuMicrosPerRequest),
    ratio: Number((limit.cpuMicrosPerRequest / project.cpuMicrosPerRequest).toFixed(3)),
  });
};
ratio('BM1 b/a Hono vs node:http', measured.b, measured.a);
ratio('BM1 c/b tRPC vs Hono', measured.c, measured.b);
ratio('BM1 d/e customers.list vs bare SQL route', measured.d, measured.e);

process.stdout.write(
  '\n  id                                           metric                               project    limit  ratio\n',
);
for (const result of results) {
  process.stdout.write(
    `  ${result.id.padEnd(44)} ${result.metric.padEnd(34)} ${String(result.project).padStart(8)} ${String(result.limit).padStart(8)}  ${result.ratio}\n`,
  );
}
writeFileSync(`${repositoryRoot}bench-results.json`, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\nwrote ${repositoryRoot}bench-results.json\n`);
