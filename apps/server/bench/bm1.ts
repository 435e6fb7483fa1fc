/**
 * BM1 — the cost of each layer of a request: (a) bare node:http, (b) a bare Hono route,
 * (c) a tRPC procedure in Hono, (d) the real customers.list (session, tenant transaction
 * with RLS, one page of 50 of 100,000 customers) and (e) the same SQL — captured from the
 * procedure — on a bare Hono route through postgres.js. Ratios: b/a, c/b, d/e.
 */
import { type CrmDatabase, sql } from '@crm/db';
import { captureProcedure } from './capture';
import {
  assertSameWork,
  type BenchResult,
  formatMeasured,
  log,
  measure,
  prepareBenchDatabase,
  settings,
  throughputRatios,
} from './harness';

const CUSTOMERS = 100_000;

const tenantId = '00000000-0000-4000-8000-000000000001';
const userId = '00000000-0000-4000-8000-000000000002';

async function seed(database: CrmDatabase) {
  const existing = await database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from customers`.execute(trx);
    return rows[0]?.count ?? 0;
  });
  if (existing === CUSTOMERS) return;
  log(`seeding ${CUSTOMERS} customers (set-based)…\n`);
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

/**
 * BM1's database (`crm_bench`, 100,000 customers of one tenant), seeded once; BM11 reads it too.
 * BENCH_BM1_DATABASE names another (a branch whose migrations the shared one has not run, or has
 * run ahead of it, cannot migrate `crm_bench`).
 */
export async function prepareBm1Database(adminUrl: string) {
  const name = process.env.BENCH_BM1_DATABASE ?? 'crm_bench';
  const { database, appUrl } = await prepareBenchDatabase(adminUrl, name, {
    seed,
    tables: ['customers', 'memberships', 'users', 'sessions'],
  });
  await database.close();
  return { appUrl, tenantId, userId };
}

export async function runBm1(adminUrl: string): Promise<BenchResult[]> {
  const database = await prepareBm1Database(adminUrl);
  const input = { limit: 50 };
  const queries = await captureProcedure(database.appUrl, database.tenantId, database.userId, (caller) =>
    caller.customers.list(input),
  );
  const dbEnv = {
    BENCH_APP_URL: database.appUrl,
    BENCH_TENANT_ID: database.tenantId,
    BENCH_USER_ID: database.userId,
  };
  const listPath = `/trpc/customers.list?input=${encodeURIComponent(JSON.stringify(input))}`;
  const measured = {
    a: await measure('node-http', '/'),
    b: await measure('hono', '/ok'),
    c: await measure('trpc', '/trpc/ping'),
    d: await measure('app', listPath, dbEnv),
    e: await measure('bare-sql', '/q', { ...dbEnv, BENCH_QUERIES: JSON.stringify(queries) }),
  };
  assertSameWork('BM1 d/e', measured.d, measured.e);
  log(
    `\nBM1 — ${settings.durationSeconds}s per target, ${settings.connections} connections, ${new Date().toISOString()}\n`,
  );
  log(formatMeasured('(a) bare node:http', measured.a));
  log(formatMeasured('(b) bare Hono route', measured.b));
  log(formatMeasured('(c) tRPC procedure in Hono', measured.c));
  log(formatMeasured('(d) customers.list, 50 of 100k, session + RLS', measured.d));
  log(formatMeasured('(e) same SQL, bare Hono + postgres.js', measured.e));
  return [
    ...throughputRatios('BM1 b/a Hono vs node:http', measured.b, measured.a),
    ...throughputRatios('BM1 c/b tRPC vs Hono', measured.c, measured.b),
    ...throughputRatios('BM1 d/e customers.list vs bare SQL route', measured.d, measured.e),
  ];
}
