/**
 * BM9 — behaviour events (docs/leads-and-pipeline.md, "Behaviour events"), in its own
 * database (`crm_bench_events`):
 *
 * - **ingestion**: opens and clicks through the real public doors — the Hono app with its
 *   middleware, the rate limiter, token verification (HMAC), the tenant transaction with RLS,
 *   the attributed insert with its dedup key, and the re-grade enqueue — against the physical
 *   limit measured in the same run: a bare Hono route that inserts the same rows with one
 *   INSERT on the same pool. Both driven in-process (`app.request()`) by the same number of
 *   concurrent callers; ratio = project requests/s ÷ limit requests/s (target ≥ 0.5).
 * - **re-grading**: the daily re-grade (`regradeTenantDaily`: the plugin's rules compiled to
 *   one statement, grades, reasons, history) over the tenant's leads after many events, vs
 *   a hand-written UPDATE making the same moves; ratio = hand-written seconds ÷ product
 *   seconds (target ≥ 0.8). Each side runs in a transaction that is rolled back.
 *
 * Scale (BENCH_SCALE, default 1): 100,000 leads and 1,000,000 events; the ingestion load is
 * BENCH_BM9_REQUESTS requests (default 4,000 × scale, at least 200).
 */
import { jobScope, regradeTenantDaily, signPublicLink } from '@crm/api';
import { type CrmDatabase, sql } from '@crm/db';
import { Hono } from 'hono';
import {
  type BenchResult,
  doorVsBareRoute,
  drive,
  inProcessApp,
  insertInTenant,
  log,
  prepareBenchDatabase,
  round,
  settings,
  statusOf,
} from './harness';

// BENCH_BM9_DATABASE: another database name (a second copy beside a running one).
const DATABASE = process.env.BENCH_BM9_DATABASE ?? 'crm_bench_events';
const tenantId = '00000000-0000-4000-8000-000000000901';

class Rollback extends Error {}

async function seed(database: CrmDatabase, leads: number, events: number) {
  const existing = await database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ leads: number; events: number }>`
      select (select count(*)::int from leads where tenant_id = ${tenantId}) as leads,
        (select count(*)::int from lead_events where tenant_id = ${tenantId}) as events`.execute(trx);
    return rows[0];
  });
  if (existing?.leads === leads && existing.events >= events) return;
  log(`seeding ${leads} leads and ${events} events (set-based)…\n`);
  await database.withTenant(tenantId, async (trx) => {
    await sql`insert into tenants (id, name, industry) values (${tenantId}, '行为事件压测企业', 'b2b') on conflict do nothing`.execute(
      trx,
    );
    await sql`delete from leads where tenant_id = ${tenantId}`.execute(trx);
    // A third each of A, B and C; created over the last 120 days.
    await sql`insert into leads (tenant_id, person_name, email, source, grade, grade_key, created_at)
      select ${tenantId}, '压测线索' || g, 'lead' || g || '@example.com', 'import',
        (array['A','B','C'])[1 + g % 3], (array['b2b_lead_a','b2b_lead_b','b2b_lead_c'])[1 + g % 3],
        now() - ((g % 120) || ' days')::interval
      from generate_series(1, ${leads}) g`.execute(trx);
    // Events over the last 60 days, skewed: most leads have a few, some many.
    await sql`with numbered as (
        select id, row_number() over (order by id) - 1 as n from leads where tenant_id = ${tenantId}
      )
      insert into lead_events (tenant_id, lead_id, kind, occurred_at)
      select ${tenantId}, l.id, (array['email_open','email_open','email_open','link_click','form_submit','reply'])[1 + (g % 6)],
        now() - ((g::bigint * 7919 % (60 * 24 * 60)) || ' minutes')::interval
      from generate_series(1, ${events}) g
      join numbered l on l.n = (g::bigint * 104729 % ${leads}) % ${Math.max(1, Math.floor(leads * 0.6))}`.execute(
      trx,
    );
  });
}

/** The same moves as b2b's rules, written by hand: one UPDATE with its history. */
async function handWrittenRegrade(database: CrmDatabase) {
  return database
    .withTenant(tenantId, async (trx) => {
      const started = performance.now();
      await sql`
      with facts as (
        select l.id, l.grade_key,
          count(*) filter (where e.kind = 'email_open' and e.occurred_at > now() - interval '7 days') as opens7,
          count(*) filter (where e.kind = 'link_click' and e.occurred_at > now() - interval '7 days') as clicks7,
          count(*) filter (where e.kind = 'reply' and e.occurred_at > now() - interval '14 days') as replies14,
          count(*) filter (where e.kind = 'form_submit' and e.occurred_at > now() - interval '30 days') as forms30,
          greatest(l.created_at, l.last_contact_at, (select max(x.occurred_at) from lead_events x
            where x.tenant_id = l.tenant_id and x.lead_id = l.id)) as last_active
        from leads l
        left join lead_events e on e.tenant_id = l.tenant_id and e.lead_id = l.id and e.occurred_at > now() - interval '30 days'
        where l.tenant_id = ${tenantId} and l.status in ('new', 'contacted', 'qualified') and l.grade_key is not null
        group by l.tenant_id, l.id
      ), moves as (
        select id, grade_key as from_key,
          case when (opens7 >= 2 and clicks7 >= 1) or replies14 >= 1 or forms30 >= 2 then
                 case grade_key when 'b2b_lead_c' then 'b2b_lead_b' when 'b2b_lead_b' then 'b2b_lead_a' end
               when last_active < now() - interval '30 days' then
                 case grade_key when 'b2b_lead_a' then 'b2b_lead_b' when 'b2b_lead_b' then 'b2b_lead_c' end
          end as to_key
        from facts
      ), updated as (
        update leads l set grade_key = m.to_key, grade = upper(right(m.to_key, 1)), graded_at = now()
        from moves m where l.tenant_id = ${tenantId} and l.id = m.id and m.to_key is not null
          -- a rule moves a lead once per its window (the same cool-down the product keeps)
          and not exists (select 1 from lead_grade_history h where h.tenant_id = l.tenant_id and h.lead_id = l.id
            and h.by_kind = 'regrade_rule' and h.changed_at > now() - interval '7 days')
        returning l.id, m.from_key, m.to_key
      )
      insert into lead_grade_history (tenant_id, lead_id, from_key, to_key, by_kind)
      select ${tenantId}, id, from_key, to_key, 'regrade_rule' from updated`.execute(trx);
      const seconds = (performance.now() - started) / 1000;
      throw Object.assign(new Rollback(), { seconds });
    })
    .catch((error: unknown) => {
      if (error instanceof Rollback) return (error as Rollback & { seconds: number }).seconds;
      throw error;
    });
}

async function productRegrade(database: CrmDatabase, plugins: Parameters<typeof regradeTenantDaily>[1]) {
  return database
    .withTenant(tenantId, async (trx) => {
      const started = performance.now();
      const outcome = await regradeTenantDaily(jobScope(trx, tenantId), plugins);
      const seconds = (performance.now() - started) / 1000;
      throw Object.assign(new Rollback(), { seconds, moved: outcome.moved });
    })
    .catch((error: unknown) => {
      if (error instanceof Rollback) return error as Rollback & { seconds: number; moved: number };
      throw error;
    });
}

export async function runBm9(adminUrl: string, scale: number): Promise<BenchResult[]> {
  const leads = Math.max(1000, Math.round(100_000 * scale));
  const events = Math.max(10_000, Math.round(1_000_000 * scale));
  const requests = Number(process.env.BENCH_BM9_REQUESTS ?? Math.max(200, Math.round(4000 * scale)));
  // Each run's rolled-back re-grades leave dead rows behind: both sides start from a vacuumed table.
  const { database } = await prepareBenchDatabase(adminUrl, DATABASE, {
    seed: (opened) => seed(opened, leads, events),
    tables: ['leads', 'lead_events', 'lead_grade_history', 'tasks'],
    maxConnections: 10,
  });
  const { app, dependencies } = inProcessApp(database);
  const leadIds = await database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ id: string }>`
      select id from leads where tenant_id = ${tenantId} order by id limit 2000`.execute(trx);
    return rows.map((row) => row.id);
  });
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const target = 'https://example.com/launch';
  // Distinct emails (no dedup on either side): half opens, half clicks; signed anew for every
  // run (the door records an open or a click of one email once per window).
  const signPaths = (count: number) =>
    Array.from({ length: count }, (_, index) => {
      const leadId = leadIds[index % leadIds.length] as string;
      const campaignId = crypto.randomUUID();
      return index % 2 === 0
        ? `/t/o/${signPublicLink({ kind: 'email_open', tenantId, subjectId: leadId, campaignId, expiresAt })}.gif`
        : `/t/c/${signPublicLink({ kind: 'link_click', tenantId, subjectId: leadId, campaignId, expiresAt }, target)}?u=${encodeURIComponent(target)}`;
    });
  const insert = insertInTenant(database, tenantId);
  const bare = new Hono();
  bare.get('/bare/:kind/:lead', async (c) => {
    const kind = c.req.param('kind') === 'o' ? 'email_open' : 'link_click';
    await insert(sql`insert into lead_events (tenant_id, lead_id, kind, target_url, dedup_key)
      values (${tenantId}, ${c.req.param('lead')}, ${kind}, ${kind === 'link_click' ? target : null}, ${crypto.randomUUID()})`);
    return kind === 'email_open' ? c.body(null, 200) : c.redirect(target, 302);
  });
  const barePaths = Array.from(
    { length: requests },
    (_, index) => `/bare/${index % 2 === 0 ? 'o' : 'c'}/${leadIds[index % leadIds.length]}`,
  );

  log(
    `\nBM9 — behaviour events: ${requests} requests × ${settings.connections} in flight, ${leads} leads, ${events} events, ${new Date().toISOString()}\n`,
  );
  const { project, limit } = await doorVsBareRoute({
    count: requests,
    warmUp: 100,
    project: (count) => {
      const paths = signPaths(count);
      return drive('BM9', count, async (index) =>
        statusOf(await app.request(`http://localhost:3000${paths[index]}`)),
      );
    },
    limit: (count) =>
      drive('BM9', count, async (index) =>
        statusOf(await bare.request(`http://localhost:3000${barePaths[index]}`)),
      ),
  });
  log(`  project: public doors ${round(project)} req/s; limit: bare INSERT route ${round(limit)} req/s\n`);

  const product = await productRegrade(database, dependencies.plugins);
  const hand = await handWrittenRegrade(database);
  log(
    `  re-grade of ${leads} leads after ${events} events: product ${round(product.seconds, 2)} s (${product.moved} moves), hand-written UPDATE ${round(hand, 2)} s\n`,
  );
  await database.close();
  return [
    {
      id: 'BM9 event ingestion vs bare INSERT route',
      metric: 'requests/s',
      project: round(project),
      limit: round(limit),
      ratio: round(project / limit, 3),
      target: '≥ 0.5',
      met: project / limit >= 0.5,
    },
    {
      id: 'BM9 re-grade after events vs hand-written UPDATE',
      metric: 'seconds (limit ÷ project)',
      project: round(product.seconds, 2),
      limit: round(hand, 2),
      ratio: round(hand / product.seconds, 3),
      target: '≥ 0.8',
      met: hand / product.seconds >= 0.8,
    },
  ];
}
