/**
 * BM10 — surveys (docs/service-and-surveys.md), in its own database (`crm_bench_surveys`):
 *
 * - **BM10 the public survey page**: a customer opens `/s/<token>` and submits the answers,
 *   through the real public door — the Hono app, the rate limiter, token verification (HMAC),
 *   the tenant transaction with RLS, the survey read from the plugin, the page rendered, the
 *   answers checked, the response and its invitation in one statement — against the physical
 *   limit measured in the same run: a bare Hono route serving the same HTML and inserting the
 *   same response row with one INSERT on the same pool. Both driven in-process by the same
 *   number of concurrent callers; ratio = project pairs/s ÷ limit pairs/s (target ≥ 0.5). The
 *   page's transferred size is its gzip (target ≤ 50 KB).
 * - **BM10b NPS per tier per month** over the big tenant's responses (5M × BENCH_SCALE) with
 *   the results procedure's statement (`selectScores`) vs the raw SQL a DBA would write;
 *   ratio = project seconds ÷ raw seconds (target ≤ 1.1), best of 3 each, alternating.
 *   `BENCH_BM10B=0` leaves it out (a quick look at the page's figures).
 */
import { gzipSync } from 'node:zlib';
import { jobScope, selectScores, signPublicLink } from '@crm/api';
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

// BENCH_BM10_DATABASE: another database name (a second copy beside a running one).
const DATABASE = process.env.BENCH_BM10_DATABASE ?? 'crm_bench_surveys';
const tenantId = '00000000-0000-4000-8000-000000001001';
const TIERS = ['b2b_strategic', 'b2b_key', 'b2b_ordinary', 'b2b_potential'];

async function seed(database: CrmDatabase, customers: number, responses: number) {
  const existing = await database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ customers: number; responses: number }>`
      select (select count(*)::int from customers where tenant_id = ${tenantId}) as customers,
        (select count(*)::int from survey_responses where tenant_id = ${tenantId}) as responses`.execute(trx);
    return rows[0];
  });
  if (existing?.customers === customers && existing.responses >= responses) return;
  log(`seeding ${customers} customers and ${responses} survey responses (set-based)…\n`);
  await database.withTenant(tenantId, async (trx) => {
    await sql`insert into tenants (id, name, industry) values (${tenantId}, '问卷压测企业', 'b2b') on conflict do nothing`.execute(
      trx,
    );
    await sql`delete from survey_responses where tenant_id = ${tenantId}`.execute(trx);
    await sql`delete from survey_invitations where tenant_id = ${tenantId}`.execute(trx);
    await sql`delete from customers where tenant_id = ${tenantId}`.execute(trx);
    await sql`insert into customers (tenant_id, name, kind)
      select ${tenantId}, '问卷客户' || g, 'company' from generate_series(1, ${customers}) g`.execute(trx);
    // Tier placements live in customer_tiers (one row per placed customer).
    await sql`insert into customer_tiers (tenant_id, customer_id, tier, explanation)
      select tenant_id, id, (${sql.val(TIERS)}::text[])[1 + abs(hashtext(id::text)) % 4], '{}'::jsonb
      from customers where tenant_id = ${tenantId}`.execute(trx);
    // A year of NPS answers: scores skewed by tier (strategic happiest), spread over 12 months.
    await sql`with c as (select t.customer_id as id, t.tier, row_number() over (order by t.customer_id) - 1 as n
        from customer_tiers t where t.tenant_id = ${tenantId})
      insert into survey_responses (tenant_id, survey_key, survey_kind, customer_id, tier, answers, score, score_pct, low, responded_at)
      select ${tenantId}, 'b2b_nps', 'nps', c.id, c.tier, '{}'::jsonb, s.score, s.score * 10, s.score <= 6,
        now() - ((g % 365) || ' days')::interval - ((g % 1440) || ' minutes')::interval
      from generate_series(1, ${responses}) g
      join c on c.n = g % ${customers}
      cross join lateral (select least(10, greatest(0, (g * 7 % 11) + case c.tier when 'b2b_strategic' then 2 when 'b2b_potential' then -1 else 0 end)) as score) s`.execute(
      trx,
    );
  });
}

async function invitations(
  database: CrmDatabase,
  count: number,
): Promise<{ id: string; customer_id: string }[]> {
  return database.withTenant(tenantId, async (trx) => {
    const { rows } = await sql<{ id: string; customer_id: string }>`
      insert into survey_invitations (tenant_id, survey_key, survey_kind, customer_id, occasion, channel, status, send_on, expires_at)
      select ${tenantId}, 'b2b_nps', 'nps', c.id, 'bench:' || gen_random_uuid(), 'link', 'sent', current_date, now() + interval '1 day'
      from (select id from customers where tenant_id = ${tenantId} order by id limit ${count}) c
      returning id, customer_id`.execute(trx);
    return rows;
  });
}

const ANSWERS = 'recommend=9&reason=%E4%BA%A4%E4%BB%98%E5%8F%8A%E6%97%B6&delivery=4&service=5&improve=';

export async function runBm10(adminUrl: string, scale: number): Promise<BenchResult[]> {
  const customers = Math.max(2000, Math.round(50_000 * scale));
  const responses = Math.max(20_000, Math.round(5_000_000 * scale));
  const requests = Number(process.env.BENCH_BM10_REQUESTS ?? Math.max(200, Math.round(1000 * scale)));
  const { database } = await prepareBenchDatabase(adminUrl, DATABASE, {
    seed: (opened) => seed(opened, customers, responses),
    tables: ['customers', 'customer_tiers', 'survey_responses', 'survey_invitations'],
    maxConnections: 10,
  });
  const { app, dependencies } = inProcessApp(database);
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const tokenOf = (id: string) =>
    signPublicLink({ kind: 'survey', tenantId, subjectId: id, campaignId: null, expiresAt });

  // The page's size as a phone receives it.
  const [sample] = await invitations(database, 1);
  const pageResponse = await app.request(
    `http://localhost:3000/s/${tokenOf(sample?.id as string)}?lang=zh-CN`,
  );
  const html = await pageResponse.text();
  const gzipBytes = gzipSync(html).length;

  const insert = insertInTenant(database, tenantId);
  const bare = new Hono();
  bare.get('/bare/:customer', (c) => c.html(html));
  bare.post('/bare/:customer', async (c) => {
    await c.req.parseBody({ all: true });
    await insert(sql`insert into survey_responses (tenant_id, survey_key, survey_kind, customer_id, answers, score, score_pct, low)
      values (${tenantId}, 'b2b_nps', 'nps', ${c.req.param('customer')}, '{"recommend":9}', 9, 90, false)`);
    return c.html('<p>ok</p>');
  });

  // As a phone's browser posts a form: with its length (without one, the body limit reads the
  // body through a stream and rebuilds the request, which no browser makes it do).
  const post = {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': String(Buffer.byteLength(ANSWERS)),
    },
    body: ANSWERS,
  };
  const projectRun = async (count: number) => {
    const rows = await invitations(database, count);
    const tokens = rows.map((row) => tokenOf(row.id));
    return drive('BM10', count, async (index) => {
      const path = `http://localhost:3000/s/${tokens[index]}`;
      const view = await statusOf(await app.request(path));
      return Math.max(view, await statusOf(await app.request(path, { ...post })));
    });
  };
  const bareRun = async (count: number) => {
    const rows = await invitations(database, count);
    return drive('BM10', count, async (index) => {
      const path = `http://localhost:3000/bare/${rows[index]?.customer_id}`;
      const view = await statusOf(await bare.request(path));
      return Math.max(view, await statusOf(await bare.request(path, { ...post })));
    });
  };

  log(
    `\nBM10 — survey page: ${requests} opens + submissions × ${settings.connections} in flight; page ${html.length} B, ${gzipBytes} B gzip; ${new Date().toISOString()}\n`,
  );
  const { project, limit } = await doorVsBareRoute({
    count: requests,
    warmUp: 50,
    project: projectRun,
    limit: bareRun,
  });
  log(`  project: public survey door ${round(project)} pairs/s; limit: bare route ${round(limit)} pairs/s\n`);

  const page: BenchResult[] = [
    {
      id: 'BM10 survey page + submission vs bare route',
      metric: 'pairs/s',
      project: round(project),
      limit: round(limit),
      ratio: round(project / limit, 3),
      target: '≥ 0.5',
      met: project / limit >= 0.5,
    },
    {
      id: 'BM10 survey page transferred size',
      metric: 'bytes gzip',
      project: gzipBytes,
      limit: 50 * 1024,
      ratio: round(gzipBytes / (50 * 1024), 3),
      target: '≤ 1 (50 KB)',
      met: gzipBytes <= 50 * 1024,
    },
  ];
  if (process.env.BENCH_BM10B === '0') {
    await dependencies.jobs.stop();
    await database.close();
    return page;
  }

  // BM10b: NPS per tier per month over a year, the procedure's statement vs raw SQL.
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const timeProject = () =>
    database.withTenant(tenantId, async (trx) => {
      const started = performance.now();
      const rows = await selectScores(jobScope(trx, tenantId), {
        from,
        to,
        key: 'b2b_nps',
        by: 'tier',
        thenBy: 'month',
      });
      return { seconds: (performance.now() - started) / 1000, rows: rows.length };
    });
  const timeRaw = () =>
    database.withTenant(tenantId, async (trx) => {
      const started = performance.now();
      const { rows } = await sql`
        select tier, to_char(responded_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
          round(100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score < 7)) / count(*), 1) as nps
        from survey_responses
        where tenant_id = ${tenantId} and survey_kind = 'nps' and survey_key = 'b2b_nps' and score is not null
          and responded_at >= (${from}::date)::timestamp at time zone 'Asia/Shanghai'
          and responded_at < (${to}::date + 1)::timestamp at time zone 'Asia/Shanghai'
        group by 1, 2 order by 1, 2`.execute(trx);
      return { seconds: (performance.now() - started) / 1000, rows: rows.length };
    });
  await timeProject();
  await timeRaw();
  const projectTimes: number[] = [];
  const rawTimes: number[] = [];
  let groups = 0;
  for (let round_ = 0; round_ < 3; round_ += 1) {
    const p = await timeProject();
    const r = await timeRaw();
    projectTimes.push(p.seconds);
    rawTimes.push(r.seconds);
    groups = p.rows;
  }
  const projectSeconds = Math.min(...projectTimes);
  const rawSeconds = Math.min(...rawTimes);
  log(
    `  BM10b NPS per tier per month over ${responses} responses (${groups} groups): procedure ${round(projectSeconds, 3)} s, raw SQL ${round(rawSeconds, 3)} s\n`,
  );
  // The submissions' jobs started the queue: stop it, or closing the pool waits for ever.
  await dependencies.jobs.stop();
  await database.close();
  return [
    ...page,
    {
      id: 'BM10b NPS per tier per month vs raw SQL',
      metric: 'seconds (project ÷ limit)',
      project: round(projectSeconds, 3),
      limit: round(rawSeconds, 3),
      ratio: round(projectSeconds / rawSeconds, 3),
      target: '≤ 1.1',
      met: projectSeconds / rawSeconds <= 1.1,
    },
  ];
}
