/**
 * BM4 — re-tiering the big tenant (1,000,000 customers, 10,000,000 orders at scale 1) with
 * the b2b plugin's weighted model (12-month amount 40 %, profit 30 %, industry growth 10 %,
 * willingness 10 %, need extensibility 10 %, churn risk 10 %; its default settings) through
 * the real engine (`retierTenant`: the compiled statement writing customer_tiers, with its
 * history CTE) against the physical limit measured in the same run: one hand-written
 * `INSERT INTO customer_tiers … SELECT … ON CONFLICT DO UPDATE` computing the same scores,
 * tiers and explanations and writing the same columns where they changed (no history). The
 * three "potential" dimensions read custom fields the generator does not fill: they take the
 * model's value for an empty field (the lowest option's points, rating 1), as the engine does
 * for every tenant's empty fields.
 *
 * BM4-select — what writing costs at all: the model run as a SELECT (`countPlacement`: every
 * tier, score and explanation computed, nothing written) divided by the engine's first
 * placement, from the same state; target ≥ 0.5 (writing a placement costs at most what
 * computing it does).
 *
 * Three situations, each measured for both sides from the same state (savepoints):
 * - first placement: no customer has a tier yet, every placement is written (the engine also
 *   records 1M first placements in tier_history);
 * - steady re-tier (the quarterly run with nothing changed): nothing is written;
 * - 1 % changed: one new order for 1 % of the customers (their facts refreshed), then re-tier.
 *
 * BM4b — the admin's preview of a changed threshold (重点客户 from 70 to 65) at 1M customers:
 * the from × to matrix with samples (`previewTiering` with the settings in force, which places
 * the stored scores when only thresholds change); target ≤ 2 s. The full preview (running the
 * whole model as a SELECT) is printed too.
 *
 * Order: the warm-up (the full preview), BM4-select's SELECT and the hand-written first
 * placement (rolled back); the engine's first placement, kept (the placements stay; the
 * history rows it wrote are removed); customers and customer_tiers vacuumed (the rolled-back
 * row versions, the visibility map); BM4b as an admin would run it, on a tenant whose tiers
 * are in place (median of BENCH_BM4B_REPEAT, default 3); then the steady and 1 % changed
 * re-tiers in a transaction that is rolled back.
 */
import { countPlacement, jobScope, previewTiering, refreshCustomerFacts, retierTenant } from '@crm/api';
import { type Database, openDatabase, sql, type Transaction } from '@crm/db';
import b2b from '@crm/plugin-b2b';
import {
  defaultSettingsOf,
  type ResolvedWeightedModel,
  resolveTierModel,
  tierModelOf,
} from '@crm/plugin-sdk';
import postgres from 'postgres';
import type { Dataset } from './generate';
import { type BenchResult, log, round } from './harness';

const REPEAT = Number(process.env.BENCH_BM4B_REPEAT ?? 3);

class Rollback extends Error {}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

function lit(value: number): string {
  return value < 0 ? `(${value})` : String(value);
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The b2b model with these settings written out by hand as one INSERT … ON CONFLICT into
 * customer_tiers: what a developer would write for exactly this model (numbers inlined, no
 * generality).
 */
function handWrittenUpdate(model: ResolvedWeightedModel, tenantId: string): string {
  const [amount, profit, growth, willingness, need, churn] = model.dimensions;
  if (!amount || !profit || !growth || !willingness || !need || !churn) throw new Error('not the b2b model');
  if (
    growth.normalise.kind !== 'points' ||
    willingness.normalise.kind !== 'range' ||
    need.normalise.kind !== 'range'
  )
    throw new Error('not the b2b model');
  if (churn.normalise.kind !== 'bands') throw new Error('not the b2b model');
  const w = model.dimensions.map((d) => d.weight);
  const total = w.reduce((sum, x) => sum + x, 0);
  const key = (metric: string) => quote(metric.slice(metric.indexOf(':') + 1));
  const points = growth.normalise.points;
  const growthCase = `coalesce(case g ${Object.entries(points)
    .map(([option, value]) => `when ${quote(option)} then ${lit(value)}::float8`)
    .join(' ')} end, ${lit(growth.normalise.otherPoints)}::float8)`;
  const rating = (column: string, range: { min: number; max: number }) =>
    `least(100::float8, greatest(0::float8, ((${column} - ${lit(range.min)}) / (${lit(range.max)} - ${lit(range.min)})::float8) * 100))`;
  const bands = [...churn.normalise.bands].reverse();
  const churnCase = `case ${bands.map((b) => `when months >= ${lit(b.from)} then ${lit(b.points)}::float8`).join(' ')} else 0::float8 end`;
  const names = ['n_amount', 'n_profit', 'n_growth', 'n_willingness', 'n_need', 'n_churn'];
  const contribution = (index: number) => `(${names[index]} * ${lit(w[index] ?? 0)}) / ${lit(total)}::float8`;
  const dims = model.dimensions
    .map((d, index) => {
      const raw = index === 2 ? 'g' : `round(x${index}::numeric, 2)`;
      return `jsonb_build_object('key', ${quote(d.key)}, 'metric', ${quote(d.metric)}, 'raw', ${raw},
        'normalised', round(${names[index]}::numeric, 2), 'weight', ${lit(d.weight)},
        'contribution', round((${contribution(index)})::numeric, 2))`;
    })
    .join(', ');
  const tierCase = model.thresholds
    .map((t) => `when score >= ${lit(t.minScore)} then ${quote(t.tier)}`)
    .join(' ');
  const ruleCase = model.thresholds
    .map(
      (t, index) =>
        `when score >= ${lit(t.minScore)} then ${quote(JSON.stringify({ index, tier: t.tier, minScore: t.minScore }))}::jsonb`,
    )
    .join(' ');
  return `
    insert into customer_tiers as t (tenant_id, customer_id, tier, score, explanation, changed_at, computed_at,
      settings_version)
    select ${quote(tenantId)}, s.id, s.tier, s.score, s.explanation, now(), now(), 0
    from (
      select id, old_tier, old_score, old_explanation,
        case ${tierCase} else ${quote(model.defaultTier)} end as tier, score,
        jsonb_build_object('kind', 'weighted', 'score', score, 'dimensions', jsonb_build_array(${dims}),
          'rule', case ${ruleCase} else ${quote(JSON.stringify({ index: null, tier: model.defaultTier }))}::jsonb end) as explanation
      from (
        select n.*, round((${names.map((_, index) => contribution(index)).join(' + ')})::numeric, 2) as score
        from (
          select x.*,
            percent_rank() over (order by x0) * 100 as n_amount,
            percent_rank() over (order by x1) * 100 as n_profit,
            ${growthCase} as n_growth,
            ${rating('x3', willingness.normalise)} as n_willingness,
            ${rating('x4', need.normalise)} as n_need,
            ${churnCase} as n_churn
          from (
            select c.id, t.tier as old_tier, t.score as old_score, t.explanation as old_explanation,
              c.amount_12m::float8 as x0, coalesce(o.profit, 0)::float8 as x1,
              case when jsonb_typeof(c.custom_fields -> ${key(growth.metric)}) = 'string' then c.custom_fields ->> ${key(growth.metric)} end as g,
              coalesce(case when (c.custom_fields ->> ${key(willingness.metric)}) ~ '^-?[0-9]+([.][0-9]+)?$' then (c.custom_fields ->> ${key(willingness.metric)})::float8 end, ${lit(willingness.missing ?? 0)}) as x3,
              coalesce(case when (c.custom_fields ->> ${key(need.metric)}) ~ '^-?[0-9]+([.][0-9]+)?$' then (c.custom_fields ->> ${key(need.metric)})::float8 end, ${lit(need.missing ?? 0)}) as x4,
              floor(floor(extract(epoch from (now() - coalesce(c.last_deal_at, c.created_at))) / 86400) / 30)::float8 as months,
              floor(floor(extract(epoch from (now() - coalesce(c.last_deal_at, c.created_at))) / 86400) / 30)::float8 as x5
            from customers c
            left join customer_tiers t on t.tenant_id = c.tenant_id and t.customer_id = c.id
            left join (
              select o.customer_id, sum(o.profit) as profit from orders o
              where o.tenant_id = ${quote(tenantId)} and o.status = 'completed' and o.currency = 'CNY'
                and o.ordered_at >= now() - interval '12 months'
              group by o.customer_id
            ) o on o.customer_id = c.id
            where c.tenant_id = ${quote(tenantId)} and c.merged_into is null and c.archived_at is null
          ) x
        ) n
      ) scored
    ) s
    where s.old_tier is distinct from s.tier or s.old_score is distinct from s.score
      or s.old_explanation is distinct from s.explanation
    on conflict (tenant_id, customer_id) do update set tier = excluded.tier, score = excluded.score,
      explanation = excluded.explanation,
      changed_at = case when t.tier is distinct from excluded.tier then now() else t.changed_at end,
      computed_at = now(), settings_version = excluded.settings_version`;
}

type Run = { seconds: number; written: number; moved?: number };

export async function runBm4(dataset: Dataset): Promise<BenchResult[]> {
  const database = await openDatabase({ databaseUrl: dataset.appUrl, maxConnections: 2 });
  const admin = postgres(dataset.superUrl, { max: 1, onnotice: () => {} });
  const tenantId = dataset.tenantId;
  const model = tierModelOf(b2b);
  const settings = defaultSettingsOf(b2b) as Record<string, unknown>;
  const resolved = resolveTierModel(model, settings);
  if (resolved.kind !== 'weighted') throw new Error('the b2b model is a weighted one');
  const tiers = settings.tiers as Record<string, number>;
  const changed = { ...settings, tiers: { ...tiers, keyMin: (tiers.keyMin ?? 70) - 5 } };
  const handWritten = handWrittenUpdate(resolved, tenantId);
  const results: Record<string, Run> = {};
  let customers = 0;
  let previewFull = 0;
  let selectSeconds = 0;
  let selected = 0;
  let changedCustomers = 0;
  const engine = (trx: Transaction<Database>) =>
    timed(() => retierTenant(trx, tenantId, 'retier', null, { model, settings, settingsVersion: 0 })).then(
      ({ seconds, value }) => ({ seconds, written: value.updated, moved: value.moved }),
    );
  const bare = (trx: Transaction<Database>) =>
    timed(() => sql.raw(handWritten).execute(trx)).then(({ seconds, value }) => ({
      seconds,
      written: Number(value.numAffectedRows ?? 0),
    }));
  /** The hand-written statement from the current state, undone afterwards. */
  const bareFromHere = async (trx: Transaction<Database>) => {
    await sql`savepoint bm4`.execute(trx);
    const run = await bare(trx);
    await sql`rollback to savepoint bm4`.execute(trx);
    return run;
  };
  const heapSize = async () =>
    (
      await admin<{ size: string }[]>`
        select pg_size_pretty(pg_relation_size('customers')) || ' (customer_tiers ' ||
          pg_size_pretty(pg_total_relation_size('customer_tiers')) || ' with its indexes)' as size`
    )[0]?.size;
  const sizeBefore = await heapSize();
  let previews: number[] = [];
  let previewMoving = 0;
  let previewCells = 0;
  /** Work in a transaction that is rolled back afterwards. */
  const rolledBack = async (work: (trx: Transaction<Database>) => Promise<void>) => {
    try {
      await database.withTenant(
        tenantId,
        async (trx) => {
          await work(trx);
          throw new Rollback();
        },
        dataset.adminUserId,
      );
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
  };
  const untier = (trx: Transaction<Database>) =>
    sql`delete from customer_tiers where tenant_id = ${tenantId}`.execute(trx);
  try {
    const { rows } = await database.withTenant(tenantId, (trx) =>
      sql<{ n: number; tiered: number }>`
        select count(*)::int as n, (select count(*) from customer_tiers where tenant_id = ${tenantId})::int as tiered
        from customers where tenant_id = ${tenantId} and merged_into is null and archived_at is null`.execute(
        trx,
      ),
    );
    customers = rows[0]?.n ?? 0;
    const tieredBefore = rows[0]?.tiered ?? 0;
    // 1. First placement, hand-written (rolled back), after a warm-up: the whole model as a SELECT.
    await rolledBack(async (trx) => {
      if (tieredBefore > 0) await untier(trx);
      const full = await timed(() => previewTiering(trx, tenantId, { model, settings: changed }));
      previewFull = full.seconds;
      log(`BM4: ${customers} customers; full preview (warm-up) ${full.seconds.toFixed(2)} s\n`);
      // BM4-select: the model as a SELECT from the same state (every tier, score and explanation computed).
      const placement = await timed(() => countPlacement(trx, tenantId, { model, settings }));
      selectSeconds = placement.seconds;
      selected = placement.value.explained;
      log(`BM4-select: the model as a SELECT placed ${selected} in ${selectSeconds.toFixed(2)} s\n`);
      results.firstBare = await bare(trx);
      log(`BM4: first placement, hand-written: ${results.firstBare.seconds.toFixed(2)} s\n`);
    });
    // 2. First placement through the engine, kept (the tier columns stay filled; the history
    //    rows of this placement are removed afterwards).
    await database.withTenant(
      tenantId,
      async (trx) => {
        if (tieredBefore > 0) await untier(trx);
        results.firstEngine = await engine(trx);
      },
      dataset.adminUserId,
    );
    log(`BM4: first placement, engine: ${results.firstEngine?.seconds.toFixed(2)} s\n`);
    await admin`delete from tier_history where tenant_id = ${tenantId}`;
    await admin.unsafe('vacuum (analyze) customers');
    await admin.unsafe('vacuum (analyze) customer_tiers');
    await admin.unsafe('vacuum (analyze) tier_history');
    log(`BM4: customers heap ${sizeBefore} → ${await heapSize()} after vacuum\n`);

    // 3. BM4b: the preview of a changed threshold, with the settings in force.
    for (let i = 0; i < REPEAT; i += 1) {
      await database.withTenant(
        tenantId,
        async (trx) => {
          const preview = await timed(() =>
            previewTiering(trx, tenantId, { model, settings: changed }, { current: { model, settings } }),
          );
          if (preview.value.method !== 'scores') throw new Error('BM4b: the preview ran the whole model');
          previews.push(preview.seconds);
          previewMoving = preview.value.moving;
          previewCells = preview.value.cells.length;
        },
        dataset.adminUserId,
      );
    }
    previews = [...previews].sort((a, b) => a - b);
    log(
      `BM4b: preview of 重点客户 ≥ ${changed.tiers.keyMin}: ${previews.map((x) => x.toFixed(3)).join(' / ')} s, ${previewMoving} would move\n`,
    );

    // 4. Steady re-tier and 1 % changed (rolled back).
    await rolledBack(async (trx) => {
      results.steadyBare = await bareFromHere(trx);
      results.steadyEngine = await engine(trx);
      log(
        `BM4: steady re-tier: engine ${results.steadyEngine.seconds.toFixed(2)} s, hand-written ${results.steadyBare.seconds.toFixed(2)} s\n`,
      );
      // 1 % of the customers get a new order today; their facts are refreshed as an order does.
      const { rows: picked } = await sql<{ id: string }>`
        select id from customers where tenant_id = ${tenantId} and merged_into is null and archived_at is null
          and abs(hashtext(id::text)) % 100 = 0`.execute(trx);
      const ids = picked.map((row) => row.id);
      changedCustomers = ids.length;
      await sql`insert into orders (tenant_id, customer_id, ordered_at, currency, amount, profit, status)
        select ${tenantId}, id, now(), 'CNY', 20000, 4000, 'completed' from unnest(${ids}::uuid[]) id`.execute(
        trx,
      );
      await refreshCustomerFacts(jobScope(trx, tenantId), ids, 'order');
      await sql`savepoint bm4_changed`.execute(trx);
      results.changedEngine = await engine(trx);
      log(`BM4: 1 % changed: engine ${results.changedEngine.seconds.toFixed(2)} s\n`);
      await sql`rollback to savepoint bm4_changed`.execute(trx);
      results.changedBare = await bare(trx);
      log(`BM4: 1 % changed: hand-written ${results.changedBare.seconds.toFixed(2)} s\n`);
    });
  } finally {
    await database.close();
    await admin.end();
  }
  const previewSeconds = previews[Math.floor(previews.length / 2)] ?? 0;
  const r = results as Record<string, Run>;
  const line = (id: string, metric: string, project: Run | undefined, limit: Run | undefined) => {
    const p = project?.seconds ?? 0;
    const l = limit?.seconds ?? 0;
    return {
      id,
      metric,
      project: round(p, 3),
      limit: round(l, 3),
      ratio: round(p === 0 ? 0 : l / p, 3),
      target: '≥ 0.8',
      met: p > 0 && l / p >= 0.8,
    };
  };
  log(
    `BM4: rows written — first placement engine ${r.firstEngine?.written} (moves recorded ${r.firstEngine?.moved}) / hand-written ${r.firstBare?.written}; ` +
      `steady ${r.steadyEngine?.written} / ${r.steadyBare?.written}; 1 % changed (${changedCustomers} customers) ${r.changedEngine?.written} (moves ${r.changedEngine?.moved}) / ${r.changedBare?.written}\n`,
  );
  const firstEngine = r.firstEngine?.seconds ?? 0;
  return [
    {
      id: 'BM4-select',
      metric: `seconds to place ${customers} customers the first time (engine) vs the model run as a SELECT (${selected} placed, nothing written)`,
      project: round(firstEngine, 3),
      limit: round(selectSeconds, 3),
      ratio: round(firstEngine === 0 ? 0 : selectSeconds / firstEngine, 3),
      target: '≥ 0.5',
      met: firstEngine > 0 && selectSeconds / firstEngine >= 0.5,
    },
    line(
      'BM4 re-tier',
      `seconds to place ${customers} customers the first time (engine vs hand-written INSERT … ON CONFLICT)`,
      r.firstEngine,
      r.firstBare,
    ),
    line(
      'BM4 re-tier steady',
      `seconds to re-tier ${customers} customers with nothing changed`,
      r.steadyEngine,
      r.steadyBare,
    ),
    line(
      'BM4 re-tier 1 % changed',
      `seconds to re-tier after ${changedCustomers} customers got an order`,
      r.changedEngine,
      r.changedBare,
    ),
    {
      id: 'BM4b preview',
      metric: `seconds for the tier-move matrix of a changed threshold (${customers} customers, ${previewCells} cells, ${previewMoving} moving)`,
      project: round(previewSeconds, 3),
      limit: 2,
      ratio: round(previewSeconds === 0 ? 0 : 2 / previewSeconds, 3),
      target: '≤ 2 s',
      met: previewSeconds > 0 && previewSeconds <= 2,
    },
    {
      id: 'BM4b preview (whole model)',
      metric: `seconds for the matrix when the scoring changes (the model run as a SELECT over ${customers} customers) vs the steady hand-written statement`,
      project: round(previewFull, 3),
      limit: round(r.steadyBare?.seconds ?? 0, 3),
      ratio: round(previewFull === 0 ? 0 : (r.steadyBare?.seconds ?? 0) / previewFull, 3),
    },
  ];
}
