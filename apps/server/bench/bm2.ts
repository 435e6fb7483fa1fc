/**
 * BM2 — the Customer 360 list page at 1,000,000 customers: 50 rows filtered by stage + tag
 * + owner and sorted by 12-month amount, through the real customers.list (session, tenant
 * transaction with RLS, membership, record-level access as the rep's sales manager, output
 * validation) vs the same SQL — captured from the procedure — on a bare Hono route.
 * Also the broader filter (stage + tag, no owner) as an admin, who sees the whole tenant.
 *
 * BM2b — the full 360 page payload of one customer (customers.profile: the customer with
 * its field groups and completeness, contacts, recent orders and interactions, the first
 * timeline page) for the customer with the most orders, vs its SQL on a bare route.
 */
import postgres from 'postgres';
import { captureProcedure } from './capture';
import type { Dataset } from './generate';
import {
  assertSameWork,
  type BenchResult,
  formatMeasured,
  log,
  type Measured,
  measure,
  round,
  settings,
  throughputRatios,
} from './harness';

export type Bm2Scenario = {
  id: string;
  label: string;
  userId: string;
  path: string;
  queries: Awaited<ReturnType<typeof captureProcedure>>;
};

/** The realistic page: the most common tag, a rep with thousands of customers (× the scale), 'returning'. */
async function pickListParameters(dataset: Dataset) {
  // At a smaller scale (BENCH_SCALE=0.2) the reps' books and pages shrink with it.
  const scale = dataset.stats.scale;
  const db = postgres(dataset.superUrl, { max: 1, onnotice: () => {} });
  try {
    const [pick] = await db<
      { owner_user_id: string; tag: string; matches: number; book: number; manager: string }[]
    >`
      with books as (
        select owner_user_id, count(*)::int as book from customers
        where tenant_id = ${dataset.tenantId} and owner_user_id is not null and archived_at is null
        group by 1
      ),
      pairs as (
        select c.owner_user_id, t.tag, count(*)::int as matches
        from customers c cross join unnest(c.tag_ids) t(tag)
        where c.tenant_id = ${dataset.tenantId} and c.lifecycle_stage = 'returning' and c.archived_at is null
        group by 1, 2
      )
      select p.owner_user_id, p.tag, p.matches, b.book,
        (select manager.user_id from memberships rep
         join memberships manager on manager.tenant_id = rep.tenant_id and manager.team_id = rep.team_id
           and manager.role = 'sales_manager'
         where rep.tenant_id = ${dataset.tenantId} and rep.user_id = p.owner_user_id
         order by manager.user_id limit 1) as manager
      from pairs p join books b using (owner_user_id)
      where b.book between ${Math.round(2000 * scale)} and ${Math.round(10000 * scale)}
        and p.matches > ${Math.round(50 * scale)}
      order by p.matches desc, p.owner_user_id limit 1`;
    if (!pick)
      throw new Error('No rep with thousands of customers and a full page of returning, tagged ones');
    return pick;
  } finally {
    await db.end();
  }
}

/** A key account: of the 100 companies with the most orders, the busiest one with three contacts. */
async function pickProfileCustomer(dataset: Dataset) {
  const db = postgres(dataset.superUrl, { max: 1, onnotice: () => {} });
  try {
    const [pick] = await db<
      {
        id: string;
        name: string;
        order_count: number;
        interactions: number;
        contacts: number;
        manager: string;
      }[]
    >`
      with top as (
        select c.tenant_id, c.id, c.name, c.order_count, c.owner_user_id
        from customers c
        where c.tenant_id = ${dataset.tenantId} and c.owner_user_id is not null and c.kind = 'company'
          and c.archived_at is null
        order by c.order_count desc, c.id limit 100
      )
      select t.id, t.name, t.order_count,
        (select count(*)::int from interactions i where i.tenant_id = t.tenant_id and i.customer_id = t.id) as interactions,
        k.contacts,
        (select manager.user_id from memberships rep
         join memberships manager on manager.tenant_id = rep.tenant_id and manager.team_id = rep.team_id
           and manager.role = 'sales_manager'
         where rep.tenant_id = t.tenant_id and rep.user_id = t.owner_user_id
         order by manager.user_id limit 1) as manager
      from top t
      cross join lateral (select count(*)::int as contacts from contacts k
                          where k.tenant_id = t.tenant_id and k.customer_id = t.id) k
      order by k.contacts >= 3 desc, t.order_count desc, t.id limit 1`;
    if (!pick) throw new Error('No customer for the profile');
    return pick;
  } finally {
    await db.end();
  }
}

const procedurePath = (procedure: string, input: unknown) =>
  `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

export async function bm2Scenarios(dataset: Dataset) {
  const list = await pickListParameters(dataset);
  const narrowInput = {
    lifecycleStages: ['returning' as const],
    tagIds: [list.tag],
    ownerUserIds: [list.owner_user_id],
    sort: 'amount12m' as const,
    direction: 'desc' as const,
    limit: 50,
  };
  const { ownerUserIds: _owner, ...broadInput } = narrowInput;
  const customer = await pickProfileCustomer(dataset);
  const capture = (userId: string, call: Parameters<typeof captureProcedure>[3]) =>
    captureProcedure(dataset.appUrl, dataset.tenantId, userId, call);
  const narrow: Bm2Scenario = {
    id: 'BM2',
    label: `stage + tag + owner (rep with ${list.book} customers, ${list.matches} match), as the rep's manager`,
    userId: list.manager,
    path: procedurePath('customers.list', narrowInput),
    queries: await capture(list.manager, (caller) => caller.customers.list(narrowInput)),
  };
  const broad: Bm2Scenario = {
    id: 'BM2 broad',
    label: 'stage + tag, no owner, as an admin (whole tenant)',
    userId: dataset.adminUserId,
    path: procedurePath('customers.list', broadInput),
    queries: await capture(dataset.adminUserId, (caller) => caller.customers.list(broadInput)),
  };
  const profile: Bm2Scenario = {
    id: 'BM2b',
    label: `customers.profile of ${customer.name} (${customer.order_count} orders, ${customer.interactions} interactions, ${customer.contacts} contacts), as the owner's manager`,
    userId: customer.manager,
    path: procedurePath('customers.profile', { id: customer.id }),
    queries: await capture(customer.manager, (caller) => caller.customers.profile({ id: customer.id })),
  };
  return { narrow, broad, profile, listInput: narrowInput, customerId: customer.id };
}

type Pair = { project: Measured; limit: Measured; single: Measured; four: Measured };

async function measureScenario(dataset: Dataset, scenario: Bm2Scenario): Promise<Pair> {
  const env = {
    BENCH_APP_URL: dataset.appUrl,
    BENCH_TENANT_ID: dataset.tenantId,
    BENCH_USER_ID: scenario.userId,
  };
  const project = await measure('app', scenario.path, env);
  const limit = await measure('bare-sql', '/q', { ...env, BENCH_QUERIES: JSON.stringify(scenario.queries) });
  assertSameWork(scenario.id, project, limit);
  // What one user sees: one request at a time.
  const single = await measure('app', scenario.path, env, { connections: 1 });
  // A few users at once: four requests in flight at all times.
  const four = await measure('app', scenario.path, env, { connections: 4 });
  return { project, limit, single, four };
}

function latencyResult(id: string, measured: Measured, targetMs: number, load: string): BenchResult {
  return {
    id,
    metric: `p95 ms, ${load} (target ÷ project)`,
    project: round(measured.p95Ms, 1),
    limit: targetMs,
    ratio: round(targetMs / measured.p95Ms, 3),
    target: `≤ ${targetMs} ms`,
    met: measured.p95Ms <= targetMs,
  };
}

function report(scenario: Bm2Scenario, pair: Pair) {
  log(`\n${scenario.id} — ${scenario.label}\n`);
  log(formatMeasured('project: the real procedure', pair.project));
  log(formatMeasured('limit: same SQL, bare Hono + postgres.js', pair.limit));
  log(formatMeasured('project, 1 connection (one user)', pair.single));
  log(formatMeasured('project, 4 connections', pair.four));
}

export async function runBm2(
  dataset: Dataset,
  which: { list: boolean; profile: boolean },
): Promise<BenchResult[]> {
  const scenarios = await bm2Scenarios(dataset);
  const results: BenchResult[] = [];
  log(
    `\nBM2/BM2b — ${dataset.database}, ${settings.durationSeconds}s per target, ${settings.connections} connections, ${new Date().toISOString()}\n`,
  );
  if (which.list) {
    for (const scenario of [scenarios.narrow, scenarios.broad]) {
      const pair = await measureScenario(dataset, scenario);
      report(scenario, pair);
      const primary = scenario.id === 'BM2';
      results.push(
        ...throughputRatios(
          `${scenario.id} customers.list vs bare SQL route`,
          pair.project,
          pair.limit,
          primary ? '≥ 0.6' : undefined,
        ),
      );
      if (primary) {
        results.push(latencyResult('BM2 customers.list p95', pair.single, 20, '1 connection'));
        results.push(latencyResult('BM2 customers.list p95', pair.four, 20, '4 connections'));
        results.push(
          latencyResult('BM2 customers.list p95', pair.project, 20, `${settings.connections} connections`),
        );
      }
    }
  }
  if (which.profile) {
    const pair = await measureScenario(dataset, scenarios.profile);
    report(scenarios.profile, pair);
    results.push(...throughputRatios('BM2b customers.profile vs bare SQL route', pair.project, pair.limit));
    results.push(latencyResult('BM2b customers.profile p95', pair.single, 30, '1 connection'));
    results.push(latencyResult('BM2b customers.profile p95', pair.four, 30, '4 connections'));
    results.push(
      latencyResult('BM2b customers.profile p95', pair.project, 30, `${settings.connections} connections`),
    );
  }
  return results;
}
