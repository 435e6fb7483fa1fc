import {
  FACT_METRICS,
  type FactMetric,
  metricsOf,
  type ResolvedCondition,
  type ResolvedNormalisation,
  type ResolvedRfmModel,
  type ResolvedRfmScoring,
  type ResolvedThresholdsModel,
  type ResolvedTierModel,
  type ResolvedWeightedModel,
  RFM_SCORES,
} from '@crm/plugin-sdk';
import { type RawBuilder, sql } from 'kysely';

/*
 * Compiles a resolved tier model into SQL: a chain of CTEs ending in `placed (id, old_tier,
 * old_score, old_explanation, pending, tier, score, explanation)` over one tenant's customers
 * (not merged, not archived), their current placement read from customer_tiers. The re-tier
 * wraps it in an INSERT … ON CONFLICT into customer_tiers with a data-modifying CTE for the
 * history; the preview wraps it in a SELECT. The arithmetic follows the pure
 * evaluator in @crm/plugin-sdk/tiering step by step (double precision, the same order of
 * operations, rounded to 2 decimals through numeric), so both place every customer alike.
 */

/** A finite number inlined as a SQL literal (model numbers are validated finite). */
function num(value: number): RawBuilder<unknown> {
  if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
  return sql.raw(value < 0 ? `(${value})` : String(value));
}

function jsonb(value: unknown): RawBuilder<unknown> {
  return sql`${JSON.stringify(value)}::jsonb`;
}

const DAYS_WITHOUT_DEAL = sql`floor(extract(epoch from (now() - coalesce(c.last_deal_at, c.created_at))) / 86400)`;

/** Metrics read from orders (the rest come from the customer's row). */
const ORDER_METRICS: readonly FactMetric[] = ['profit_12m', 'order_count_12m'];

function customKey(metric: string): string {
  return metric.slice(metric.indexOf(':') + 1);
}

/** A metric as a double precision expression over `c` (the customer) and `o` (order facts); null when empty. */
function metricExpression(metric: string): RawBuilder<unknown> {
  switch (metric as FactMetric) {
    case 'amount_12m':
      return sql`c.amount_12m::float8`;
    case 'amount_lifetime':
      return sql`c.amount_lifetime::float8`;
    case 'order_count':
      return sql`c.order_count::float8`;
    case 'profit_12m':
      return sql`coalesce(o.profit_12m, 0)::float8`;
    case 'order_count_12m':
      return sql`coalesce(o.order_count_12m, 0)::float8`;
    case 'recency_days':
      return sql`${DAYS_WITHOUT_DEAL}::float8`;
    case 'months_without_order':
      return sql`floor(${DAYS_WITHOUT_DEAL} / 30)::float8`;
  }
  if (metric.startsWith('custom_enum:')) {
    const key = customKey(metric);
    return sql`case when jsonb_typeof(c.custom_fields -> ${key}::text) = 'string' then c.custom_fields ->> ${key}::text end`;
  }
  const text = sql`(c.custom_fields ->> ${customKey(metric)}::text)`;
  return sql`case when ${text} ~ '^-?[0-9]+([.][0-9]+)?$' then ${text}::float8 end`;
}

/**
 * The tenant's customers with the metrics the model reads as m0, m1 … (in `metrics`
 * order) and their current placement. Order facts are aggregated once, only when read.
 */
function baseCtes(tenantId: string, metrics: string[], only?: readonly string[]): RawBuilder<unknown> {
  for (const metric of metrics) {
    if (
      !(FACT_METRICS as readonly string[]).includes(metric) &&
      !/^(custom_number|custom_enum|rating):/.test(metric)
    )
      throw new Error(`Unknown metric ${metric}`);
  }
  const needsOrders = metrics.some((metric) => (ORDER_METRICS as readonly string[]).includes(metric));
  const orderFacts = needsOrders
    ? sql`order_facts as (
        select o.customer_id,
          sum(o.profit) filter (where o.currency = t.currency) as profit_12m,
          count(*) as order_count_12m
        from orders o join tenants t on t.id = o.tenant_id
        where o.tenant_id = ${tenantId} and o.status = 'completed' and o.ordered_at >= now() - interval '12 months'
          ${only ? sql`and o.customer_id = any(${only}::uuid[])` : sql``}
        group by o.customer_id
      ),`
    : sql``;
  const columns = metrics.map((metric, index) => sql`${metricExpression(metric)} as ${sql.ref(`m${index}`)}`);
  return sql`${orderFacts}
    base as (
      select c.id, t.tier as old_tier, t.score as old_score, t.explanation as old_explanation,
        c.tier_pending_since is not null as pending,
        ${sql.join(columns)}
      from customers c
      left join customer_tiers t on t.tenant_id = c.tenant_id and t.customer_id = c.id
      ${needsOrders ? sql`left join order_facts o on o.customer_id = c.id` : sql``}
      where c.tenant_id = ${tenantId} and c.merged_into is null and c.archived_at is null
        ${only ? sql`and c.id = any(${only}::uuid[])` : sql``}
    )`;
}

function rounded(expression: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`round((${expression})::numeric, 2)`;
}

function normalisedExpression(n: ResolvedNormalisation, x: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (n.kind) {
    case 'minmax':
      return sql`case when max(${x}) over () > min(${x}) over ()
        then ((${x} - min(${x}) over ()) / (max(${x}) over () - min(${x}) over ())) * 100 else 0::float8 end`;
    case 'percentile':
      return sql`percent_rank() over (order by ${x}) * 100`;
    case 'bands': {
      // The last band (in ascending order) whose start the value reaches.
      const branches = [...n.bands]
        .reverse()
        .map((band) => sql`when ${x} >= ${num(band.from)} then ${num(band.points)}::float8`);
      return sql`case ${sql.join(branches, sql` `)} else 0::float8 end`;
    }
    case 'range':
      return sql`least(100::float8, greatest(0::float8, ((${x} - ${num(n.min)}) / (${num(n.max)} - ${num(n.min)})::float8) * 100))`;
    case 'points': {
      const branches = Object.entries(n.points).map(
        ([option, points]) => sql`when ${option}::text then ${num(points)}::float8`,
      );
      return branches.length === 0
        ? sql`${num(n.otherPoints)}::float8`
        : sql`coalesce(case ${x} ${sql.join(branches, sql` `)} end, ${num(n.otherPoints)}::float8)`;
    }
  }
}

function compileWeighted(
  model: ResolvedWeightedModel,
  tenantId: string,
  only?: readonly string[],
): RawBuilder<unknown> {
  const metrics = metricsOf(model);
  const weightSum = model.dimensions.reduce((sum, d) => sum + d.weight, 0);
  const xs = model.dimensions.map((dimension, index) => {
    const m = sql.ref(`m${metrics.indexOf(dimension.metric)}`);
    const x =
      dimension.normalise.kind === 'points'
        ? sql`${m}`
        : sql`coalesce(${m}, ${num(dimension.missing ?? 0)}::float8)`;
    return sql`${x} as ${sql.ref(`x${index}`)}`;
  });
  const ns = model.dimensions.map((dimension, index) => {
    const n = normalisedExpression(dimension.normalise, sql.ref(`x${index}`));
    return sql`${dimension.invert ? sql`100 - (${n})` : n} as ${sql.ref(`n${index}`)}`;
  });
  const contributions = model.dimensions.map(
    (dimension, index) =>
      sql`(${sql.ref(`n${index}`)} * ${num(dimension.weight)}) / ${num(weightSum)}::float8`,
  );
  const dimensionJson = model.dimensions.map((dimension, index) => {
    const x = sql.ref(`x${index}`);
    const raw = dimension.normalise.kind === 'points' ? x : rounded(x);
    return sql`jsonb_build_object('key', ${dimension.key}::text, 'metric', ${dimension.metric}::text,
      'raw', ${raw}, 'normalised', ${rounded(sql.ref(`n${index}`))}, 'weight', ${num(dimension.weight)},
      'contribution', ${rounded(contributions[index] as RawBuilder<unknown>)})`;
  });
  const tierBranches = model.thresholds.map(
    (threshold) => sql`when s.score >= ${num(threshold.minScore)} then ${threshold.tier}::text`,
  );
  const ruleBranches = model.thresholds.map(
    (threshold, index) =>
      sql`when s.score >= ${num(threshold.minScore)} then ${jsonb({ index, tier: threshold.tier, minScore: threshold.minScore })}`,
  );
  const defaultRule = jsonb({ index: null, tier: model.defaultTier });
  return sql`${baseCtes(tenantId, metrics, only)},
    raw as (select b.*, ${sql.join(xs)} from base b),
    normalised as (select r.*, ${sql.join(ns)} from raw r),
    scored as (select n.*, ${rounded(sql.join(contributions, sql` + `))} as score from normalised n),
    placed as (
      select s.id, s.old_tier, s.old_score, s.old_explanation, s.pending,
        case ${sql.join(tierBranches, sql` `)} else ${model.defaultTier}::text end as tier,
        s.score,
        jsonb_build_object('kind', 'weighted', 'score', s.score,
          'dimensions', jsonb_build_array(${sql.join(dimensionJson)}),
          'rule', case ${sql.join(ruleBranches, sql` `)} else ${defaultRule} end) as explanation
      from scored s
    )`;
}

function comparison(op: ResolvedCondition['op']): RawBuilder<unknown> {
  return sql.raw({ gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '<>' }[op]);
}

/** `when <all conditions> then …` branches for ordered rules, reading columns through `column`. */
function ruleBranches(
  rules: Array<{ tier: string; when: ResolvedCondition[] }>,
  column: (metric: string) => RawBuilder<unknown>,
  then: (rule: { tier: string; when: ResolvedCondition[] }, index: number) => RawBuilder<unknown>,
): RawBuilder<unknown>[] {
  return rules.map((rule, index) => {
    const conditions = rule.when.map((c) => sql`${column(c.metric)} ${comparison(c.op)} ${num(c.value)}`);
    return sql`when ${sql.join(conditions, sql` and `)} then ${then(rule, index)}`;
  });
}

function placedByRules(
  rules: Array<{ tier: string; when: ResolvedCondition[] }>,
  defaultTier: string,
  column: (metric: string) => RawBuilder<unknown>,
): { tier: RawBuilder<unknown>; rule: RawBuilder<unknown> } {
  if (rules.length === 0) {
    return { tier: sql`${defaultTier}::text`, rule: jsonb({ index: null, tier: defaultTier }) };
  }
  const tiers = ruleBranches(rules, column, (rule) => sql`${rule.tier}::text`);
  const explained = ruleBranches(rules, column, (rule, index) =>
    jsonb({ index, tier: rule.tier, conditions: rule.when }),
  );
  return {
    tier: sql`case ${sql.join(tiers, sql` `)} else ${defaultTier}::text end`,
    rule: sql`case ${sql.join(explained, sql` `)} else ${jsonb({ index: null, tier: defaultTier })} end`,
  };
}

function plainDimension(metric: string, x: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`jsonb_build_object('key', ${metric}::text, 'metric', ${metric}::text, 'raw', ${rounded(x)},
    'normalised', coalesce(${rounded(x)}, 0), 'weight', null, 'contribution', null)`;
}

function compileThresholds(
  model: ResolvedThresholdsModel,
  tenantId: string,
  only?: readonly string[],
): RawBuilder<unknown> {
  const metrics = metricsOf(model);
  const column = (metric: string) => sql.ref(`b.m${metrics.indexOf(metric)}`);
  const { tier, rule } = placedByRules(model.rules, model.defaultTier, column);
  const dimensions = metrics.map((metric) => plainDimension(metric, column(metric)));
  return sql`${baseCtes(tenantId, metrics, only)},
    placed as (
      select b.id, b.old_tier, b.old_score, b.old_explanation, b.pending, ${tier} as tier, null::numeric as score,
        jsonb_build_object('kind', 'thresholds', 'score', null,
          'dimensions', jsonb_build_array(${sql.join(dimensions)}), 'rule', ${rule}) as explanation
      from base b
    )`;
}

function rfmScore(
  scoring: ResolvedRfmScoring,
  x: RawBuilder<unknown>,
  recency: boolean,
): RawBuilder<unknown> {
  if (scoring.method === 'quantiles') {
    return sql`least(5, 1 + floor(percent_rank() over (order by ${x} ${sql.raw(recency ? 'desc' : 'asc')}) * 5))::int`;
  }
  const passed = sql.join(
    scoring.breaks.map((b) => sql`(${x} >= ${num(b)})::int`),
    sql` + `,
  );
  return recency ? sql`(5 - (${passed}))` : sql`(1 + ${passed})`;
}

function isRfmScore(metric: string): boolean {
  return (RFM_SCORES as readonly string[]).includes(metric);
}

function compileRfm(
  model: ResolvedRfmModel,
  tenantId: string,
  only?: readonly string[],
): RawBuilder<unknown> {
  const metrics = metricsOf(model);
  const m = (metric: string) => sql.ref(`m${metrics.indexOf(metric)}`);
  const parts = [
    ['r', model.recency, true],
    ['f', model.frequency, false],
    ['m', model.monetary, false],
  ] as const;
  const xs = parts.map(([key, scoring]) => sql`coalesce(${m(scoring.metric)}, 0) as ${sql.ref(`x_${key}`)}`);
  const scores = parts.map(
    ([key, scoring, recency]) =>
      sql`${rfmScore(scoring, sql.ref(`x_${key}`), recency)} as ${sql.ref(`rfm_${key}`)}`,
  );
  const metricRef = (metric: string) => `m${metrics.indexOf(metric)}`;
  const column = (metric: string) =>
    isRfmScore(metric) ? sql.ref(`s.${metric}`) : sql.ref(`s.${metricRef(metric)}`);
  const { tier, rule } = placedByRules(model.segments, model.defaultTier, column);
  // The metrics segments read, in the order they first appear (as the evaluator explains them).
  const extra = [...new Set(model.segments.flatMap((s) => s.when.map((c) => c.metric)))].filter(
    (metric) => !isRfmScore(metric),
  );
  const dimensions = [
    ...parts.map(
      ([key, scoring]) => sql`jsonb_build_object('key', ${key}::text, 'metric', ${scoring.metric}::text,
        'raw', ${rounded(sql.ref(`s.x_${key}`))}, 'normalised', ${sql.ref(`s.rfm_${key}`)}, 'weight', null, 'contribution', null)`,
    ),
    ...extra.map((metric) => plainDimension(metric, sql.ref(`s.${metricRef(metric)}`))),
  ];
  return sql`${baseCtes(tenantId, metrics, only)},
    raw as (select b.*, ${sql.join(xs)} from base b),
    scored as (select r.*, ${sql.join(scores)} from raw r),
    placed as (
      select s.id, s.old_tier, s.old_score, s.old_explanation, s.pending, ${tier} as tier,
        ${rounded(sql`((s.rfm_r + s.rfm_f + s.rfm_m - 3)::float8 / 12) * 100`)} as score,
        jsonb_build_object('kind', 'rfm',
          'score', ${rounded(sql`((s.rfm_r + s.rfm_f + s.rfm_m - 3)::float8 / 12) * 100`)},
          'dimensions', jsonb_build_array(${sql.join(dimensions)}), 'rule', ${rule}) as explanation
      from scored s
    )`;
}

/**
 * Whether the model places a customer against the tenant's other customers (a percentile or
 * min–max normalisation, RFM quantiles): then a customer's placement moves when another's
 * metrics do, and only a run over the whole tenant places anyone right.
 */
export function ranksAcrossTenant(model: ResolvedTierModel): boolean {
  switch (model.kind) {
    case 'weighted':
      return model.dimensions.some((d) => d.normalise.kind === 'percentile' || d.normalise.kind === 'minmax');
    case 'thresholds':
      return false;
    case 'rfm':
      return [model.recency, model.frequency, model.monetary].some((part) => part.method === 'quantiles');
  }
}

/**
 * The CTEs placing every active customer of the tenant — or only those of `only`, for a model
 * that does not rank across the tenant (`ranksAcrossTenant`); the last is `placed (id, old_tier,
 * old_score, old_explanation, pending, tier, score, explanation)` (`pending`: marked 待重算). Use as `with ${ctes} select …`.
 */
export function compilePlacement(
  model: ResolvedTierModel,
  tenantId: string,
  only?: readonly string[],
): RawBuilder<unknown> {
  if (only && ranksAcrossTenant(model))
    throw new Error('A model that ranks across the tenant places the whole tenant, not some customers');
  switch (model.kind) {
    case 'weighted':
      return compileWeighted(model, tenantId, only);
    case 'thresholds':
      return compileThresholds(model, tenantId, only);
    case 'rfm':
      return compileRfm(model, tenantId, only);
  }
}

/** The tier a stored score falls in, for a weighted model (the preview of a threshold change). */
export function tierOfScore(model: ResolvedWeightedModel, score: RawBuilder<unknown>): RawBuilder<unknown> {
  const branches = model.thresholds.map(
    (threshold) => sql`when ${score} >= ${num(threshold.minScore)} then ${threshold.tier}::text`,
  );
  return branches.length === 0
    ? sql`${model.defaultTier}::text`
    : sql`case ${sql.join(branches, sql` `)} else ${model.defaultTier}::text end`;
}
