/**
 * Tier models (客户分层) as declarative data: a plugin declares one, the core validates it,
 * compiles it to one set-based SQL statement per tenant, explains every placement and
 * previews a change of settings. This file holds the schema, the types that flow from it and
 * a pure evaluator (no I/O) that computes exactly what the SQL computes — the test kit runs
 * it on fixture customers and the core's tests hold the SQL to it.
 *
 * Three kinds:
 * - `weighted`: dimensions read a metric, normalise it to 0–100 (min–max over the tenant,
 *   percentile, fixed bands, a fixed range, or enum points), are weighted and summed; the
 *   total is divided by the sum of the weights, so it is always 0–100 whatever the weights
 *   add up to (unless the model sets `weightTotal`, which the weights must then sum to);
 *   tiers by score thresholds.
 * - `thresholds`: ordered rules of conditions on metrics; the first rule whose conditions
 *   all hold places the customer; otherwise the default tier.
 * - `rfm`: recency, frequency and monetary each scored 1–5 (quantiles over the tenant, or
 *   four fixed breaks); ordered segment rules on the scores and metrics place the customer.
 *
 * Any number in a model — a weight, a threshold, a break, a band's points — is either a
 * literal or `{ setting: 'path.in.settings' }`, read from the plugin's effective settings.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------
// Metric catalogue

/** Facts every customer has (derived from its orders; see docs/tiering.md). */
export const FACT_METRICS = [
  'amount_12m',
  'amount_lifetime',
  'profit_12m',
  'order_count_12m',
  'order_count',
  'recency_days',
  'months_without_order',
] as const;
export type FactMetric = (typeof FACT_METRICS)[number];

const KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const KEY_PART = '[a-z][a-z0-9_-]{0,62}';
/**
 * A metric: a fact, a numeric custom field (`custom_number:<key>`), an option custom field
 * (`custom_enum:<key>`, weighted dimensions only, scored by a points map), or a rating a rep
 * sets (`rating:<key>`, a numeric custom field).
 */
export const metricSchema = z
  .string()
  .regex(
    new RegExp(
      `^(${FACT_METRICS.join('|')}|custom_number:${KEY_PART}|custom_enum:${KEY_PART}|rating:${KEY_PART})$`,
    ),
    'unknown metric',
  );
export type Metric = FactMetric | `custom_number:${string}` | `custom_enum:${string}` | `rating:${string}`;

// ---------------------------------------------------------------------------------------
// Numbers: literal or read from settings

export const settingRefSchema = z.strictObject({ setting: z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/) });
export type SettingRef = z.infer<typeof settingRefSchema>;
export const numberRefSchema = z.union([z.number().finite(), settingRefSchema]);
export type NumberRef = number | SettingRef;

const tierIdSchema = z.string().regex(KEY, 'tier ids are lower-case keys');
const labelsSchema = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) });

export const tierDefinitionSchema = z.strictObject({
  key: tierIdSchema,
  labels: labelsSchema,
  description: labelsSchema.optional(),
});
export type TierDefinition = z.infer<typeof tierDefinitionSchema>;

// ---------------------------------------------------------------------------------------
// Weighted score

export const normalisationSchema = z.discriminatedUnion('kind', [
  /** (x − min) / (max − min) × 100 over the tenant's customers; 0 for all when max = min. */
  z.strictObject({ kind: z.literal('minmax') }),
  /** percent_rank × 100: the share of the tenant's customers strictly below (ties share). */
  z.strictObject({ kind: z.literal('percentile') }),
  /** Fixed breaks: the points of the last band whose `from` ≤ x (0 below the first band). */
  z.strictObject({
    kind: z.literal('bands'),
    bands: z
      .array(z.strictObject({ from: numberRefSchema, points: numberRefSchema }))
      .min(1)
      .max(20),
  }),
  /** A fixed scale: (x − min) / (max − min) × 100, clamped to 0–100 (ratings, outlooks). */
  z.strictObject({ kind: z.literal('range'), min: numberRefSchema, max: numberRefSchema }),
  /** Option custom fields: each option's points (0–100); others and empty get `otherPoints`. */
  z.strictObject({
    kind: z.literal('points'),
    points: z.record(z.string(), numberRefSchema),
    otherPoints: numberRefSchema.optional(),
  }),
]);
export type Normalisation = z.infer<typeof normalisationSchema>;

export const dimensionSchema = z.strictObject({
  key: z.string().regex(KEY),
  labels: labelsSchema,
  metric: metricSchema,
  normalise: normalisationSchema,
  /** Risk dimensions: 100 − the normalised score (more of the metric is worse). */
  invert: z.boolean().optional(),
  weight: numberRefSchema,
  /** The raw value used when a custom field is empty or not a number (default 0). */
  missing: z.number().finite().optional(),
});
export type Dimension = z.infer<typeof dimensionSchema>;

export const weightedModelSchema = z.strictObject({
  kind: z.literal('weighted'),
  tiers: z.array(tierDefinitionSchema).min(1).max(12),
  dimensions: z.array(dimensionSchema).min(1).max(20),
  /** When set, the weights must add up to this (e.g. 100); otherwise any positive total. */
  weightTotal: z.number().positive().optional(),
  /** Highest first: a customer goes to the first tier whose minimum its score reaches. */
  thresholds: z.array(z.strictObject({ tier: tierIdSchema, minScore: numberRefSchema })).max(12),
  defaultTier: tierIdSchema,
});
export type WeightedModel = z.infer<typeof weightedModelSchema>;

// ---------------------------------------------------------------------------------------
// Conditions (value thresholds and RFM segments)

export const RFM_SCORES = ['rfm_r', 'rfm_f', 'rfm_m'] as const;
const comparisonSchema = z.enum(['gt', 'gte', 'lt', 'lte', 'eq', 'neq']);
export type Comparison = z.infer<typeof comparisonSchema>;

export const conditionSchema = z.strictObject({
  metric: metricSchema,
  op: comparisonSchema,
  value: numberRefSchema,
});
export type Condition = z.infer<typeof conditionSchema>;

export const thresholdsModelSchema = z.strictObject({
  kind: z.literal('thresholds'),
  tiers: z.array(tierDefinitionSchema).min(1).max(12),
  /** In order; the first rule whose conditions all hold wins. Several rules may give one tier. */
  rules: z
    .array(z.strictObject({ tier: tierIdSchema, when: z.array(conditionSchema).min(1).max(10) }))
    .max(30),
  defaultTier: tierIdSchema,
});
export type ThresholdsModel = z.infer<typeof thresholdsModelSchema>;

export const rfmScoringSchema = z.discriminatedUnion('method', [
  /** Quintiles over the tenant: 1 + ⌊percent_rank × 5⌋ (capped at 5; ties share a score). */
  z.strictObject({ method: z.literal('quantiles'), metric: metricSchema }),
  /** Four ascending breaks: 1 + the number of breaks ≤ x (for recency: 5 − that number). */
  z.strictObject({
    method: z.literal('breaks'),
    metric: metricSchema,
    breaks: z.array(numberRefSchema).length(4),
  }),
]);
export type RfmScoring = z.infer<typeof rfmScoringSchema>;

export const rfmConditionSchema = z.strictObject({
  metric: z.union([metricSchema, z.enum(RFM_SCORES)]),
  op: comparisonSchema,
  value: numberRefSchema,
});
export type RfmCondition = z.infer<typeof rfmConditionSchema>;

export const rfmModelSchema = z.strictObject({
  kind: z.literal('rfm'),
  tiers: z.array(tierDefinitionSchema).min(1).max(12),
  /** Recency scores run the other way: the most recent customers score 5. */
  recency: rfmScoringSchema,
  frequency: rfmScoringSchema,
  monetary: rfmScoringSchema,
  segments: z
    .array(z.strictObject({ tier: tierIdSchema, when: z.array(rfmConditionSchema).min(1).max(10) }))
    .max(30),
  defaultTier: tierIdSchema,
});
export type RfmModel = z.infer<typeof rfmModelSchema>;

export const tierModelSchema = z.discriminatedUnion('kind', [
  weightedModelSchema,
  thresholdsModelSchema,
  rfmModelSchema,
]);
export type TierModel = z.infer<typeof tierModelSchema>;
export type TierModelKind = TierModel['kind'];

/** Identity helper: a model typed and checked where it is written. */
export function defineTierModel<const Model extends TierModel>(model: Model): Model {
  return model;
}

// ---------------------------------------------------------------------------------------
// Problems

export type TierProblemCode =
  | 'TIER_MODEL_INVALID'
  | 'TIER_UNKNOWN'
  | 'TIER_DUPLICATE'
  | 'TIER_SETTING_MISSING'
  | 'TIER_THRESHOLDS_OVERLAP'
  | 'TIER_WEIGHTS_INVALID'
  | 'TIER_BANDS_INVALID'
  | 'TIER_METRIC_INVALID';

export type TierProblem = {
  code: TierProblemCode;
  /** Where in the model (e.g. `thresholds.1.minScore`) — or the settings path it reads. */
  path: string;
  /** The settings path the problem is about, when the number came from settings. */
  setting?: string;
  message: { 'zh-CN': string; en: string };
};

function problem(code: TierProblemCode, path: string, zh: string, en: string, setting?: string): TierProblem {
  return { code, path, ...(setting ? { setting } : {}), message: { 'zh-CN': zh, en } };
}

// ---------------------------------------------------------------------------------------
// Resolving numbers

export type TierSettings = Readonly<Record<string, unknown>>;

function readSetting(settings: TierSettings, path: string): unknown {
  let value: unknown = settings;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A number of the model: the literal, or the setting it names (undefined when not a finite number). */
export function resolveNumber(ref: NumberRef, settings: TierSettings): number | undefined {
  if (typeof ref === 'number') return ref;
  const value = readSetting(settings, ref.setting);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function describeRef(ref: NumberRef): string | undefined {
  return typeof ref === 'number' ? undefined : ref.setting;
}

/**
 * A model with every number resolved against settings. Throws TierModelError when the
 * model does not validate — call validateTierModel first to get the problems as values.
 */
export type ResolvedWeightedModel = Omit<WeightedModel, 'dimensions' | 'thresholds'> & {
  dimensions: Array<
    Omit<Dimension, 'weight' | 'normalise'> & { weight: number; normalise: ResolvedNormalisation }
  >;
  thresholds: Array<{ tier: string; minScore: number }>;
};
export type ResolvedNormalisation =
  | { kind: 'minmax' }
  | { kind: 'percentile' }
  | { kind: 'bands'; bands: Array<{ from: number; points: number }> }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'points'; points: Record<string, number>; otherPoints: number };
export type ResolvedCondition = { metric: string; op: Comparison; value: number };
export type ResolvedThresholdsModel = Omit<ThresholdsModel, 'rules'> & {
  rules: Array<{ tier: string; when: ResolvedCondition[] }>;
};
export type ResolvedRfmScoring =
  | { method: 'quantiles'; metric: string }
  | { method: 'breaks'; metric: string; breaks: number[] };
export type ResolvedRfmModel = Omit<RfmModel, 'recency' | 'frequency' | 'monetary' | 'segments'> & {
  recency: ResolvedRfmScoring;
  frequency: ResolvedRfmScoring;
  monetary: ResolvedRfmScoring;
  segments: Array<{ tier: string; when: ResolvedCondition[] }>;
};
export type ResolvedTierModel = ResolvedWeightedModel | ResolvedThresholdsModel | ResolvedRfmModel;

export class TierModelError extends Error {
  constructor(readonly problems: TierProblem[]) {
    super(problems.map((p) => `${p.code} at ${p.path}: ${p.message.en}`).join('; '));
    this.name = 'TierModelError';
  }
}

type Resolver = (ref: NumberRef, path: string) => number;

function resolveWith(settings: TierSettings, problems: TierProblem[]): Resolver {
  return (ref, path) => {
    const value = resolveNumber(ref, settings);
    if (value === undefined) {
      const setting = describeRef(ref) ?? path;
      problems.push(
        problem(
          'TIER_SETTING_MISSING',
          path,
          `设置项「${setting}」缺失或不是数字`,
          `the setting "${setting}" is missing or not a number`,
          setting,
        ),
      );
      return 0;
    }
    return value;
  };
}

function resolveNormalisation(n: Normalisation, num: Resolver, path: string): ResolvedNormalisation {
  switch (n.kind) {
    case 'minmax':
    case 'percentile':
      return { kind: n.kind };
    case 'bands':
      return {
        kind: 'bands',
        bands: n.bands.map((band, index) => ({
          from: num(band.from, `${path}.bands.${index}.from`),
          points: num(band.points, `${path}.bands.${index}.points`),
        })),
      };
    case 'range':
      return { kind: 'range', min: num(n.min, `${path}.min`), max: num(n.max, `${path}.max`) };
    case 'points':
      return {
        kind: 'points',
        points: Object.fromEntries(
          Object.entries(n.points).map(([option, points]) => [
            option,
            num(points, `${path}.points.${option}`),
          ]),
        ),
        otherPoints: n.otherPoints === undefined ? 0 : num(n.otherPoints, `${path}.otherPoints`),
      };
  }
}

function resolveConditions(conditions: Condition[] | RfmCondition[], num: Resolver, path: string) {
  return conditions.map((condition, index) => ({
    metric: condition.metric,
    op: condition.op,
    value: num(condition.value, `${path}.${index}.value`),
  }));
}

function resolveScoring(scoring: RfmScoring, num: Resolver, path: string): ResolvedRfmScoring {
  if (scoring.method === 'quantiles') return { method: 'quantiles', metric: scoring.metric };
  return {
    method: 'breaks',
    metric: scoring.metric,
    breaks: scoring.breaks.map((ref, index) => num(ref, `${path}.breaks.${index}`)),
  };
}

function resolveInto(model: TierModel, num: Resolver): ResolvedTierModel {
  switch (model.kind) {
    case 'weighted':
      return {
        ...model,
        dimensions: model.dimensions.map((dimension, index) => ({
          ...dimension,
          weight: num(dimension.weight, `dimensions.${index}.weight`),
          normalise: resolveNormalisation(dimension.normalise, num, `dimensions.${index}.normalise`),
        })),
        thresholds: model.thresholds.map((threshold, index) => ({
          tier: threshold.tier,
          minScore: num(threshold.minScore, `thresholds.${index}.minScore`),
        })),
      };
    case 'thresholds':
      return {
        ...model,
        rules: model.rules.map((rule, index) => ({
          tier: rule.tier,
          when: resolveConditions(rule.when, num, `rules.${index}.when`),
        })),
      };
    case 'rfm':
      return {
        ...model,
        recency: resolveScoring(model.recency, num, 'recency'),
        frequency: resolveScoring(model.frequency, num, 'frequency'),
        monetary: resolveScoring(model.monetary, num, 'monetary'),
        segments: model.segments.map((segment, index) => ({
          tier: segment.tier,
          when: resolveConditions(segment.when, num, `segments.${index}.when`),
        })),
      };
  }
}

// ---------------------------------------------------------------------------------------
// Validation

type Interval = { low: number; lowOpen: boolean; high: number; highOpen: boolean };

/** The values of one metric a rule's conditions admit, when they all constrain that one metric. */
function intervalOf(conditions: ResolvedCondition[]): { metric: string; interval: Interval } | null {
  const metric = conditions[0]?.metric;
  if (!metric || conditions.some((c) => c.metric !== metric || c.op === 'neq')) return null;
  const interval: Interval = { low: -Infinity, lowOpen: true, high: Infinity, highOpen: true };
  for (const { op, value } of conditions) {
    if (op === 'gt' || op === 'gte' || op === 'eq') {
      const open = op === 'gt';
      if (value > interval.low || (value === interval.low && open)) {
        interval.low = value;
        interval.lowOpen = open;
      }
    }
    if (op === 'lt' || op === 'lte' || op === 'eq') {
      const open = op === 'lt';
      if (value < interval.high || (value === interval.high && open)) {
        interval.high = value;
        interval.highOpen = open;
      }
    }
  }
  return { metric, interval };
}

function isEmptyInterval(i: Interval): boolean {
  return i.low > i.high || (i.low === i.high && (i.lowOpen || i.highOpen));
}

function contains(outer: Interval, inner: Interval): boolean {
  const lowOk = outer.low < inner.low || (outer.low === inner.low && (!outer.lowOpen || inner.lowOpen));
  const highOk =
    outer.high > inner.high || (outer.high === inner.high && (!outer.highOpen || inner.highOpen));
  return lowOk && highOk;
}

function intersects(a: Interval, b: Interval): boolean {
  const low = a.low > b.low ? a : b.low > a.low ? b : { low: a.low, lowOpen: a.lowOpen || b.lowOpen };
  const high =
    a.high < b.high ? a : b.high < a.high ? b : { high: a.high, highOpen: a.highOpen || b.highOpen };
  return !isEmptyInterval({ low: low.low, lowOpen: low.lowOpen, high: high.high, highOpen: high.highOpen });
}

/**
 * Ordered rules on one metric overlap when a later rule can never fire (an earlier rule of
 * another tier takes every value it admits), or when a band bounded on both sides shares
 * values with an earlier rule of another tier (e.g. mid 30,000–150,000 under high > 100,000).
 */
function checkRuleOverlaps(
  rules: Array<{ tier: string; when: ResolvedCondition[] }>,
  path: string,
  problems: TierProblem[],
) {
  const intervals = rules.map((rule) => intervalOf(rule.when));
  intervals.forEach((current, j) => {
    if (!current) return;
    if (isEmptyInterval(current.interval)) {
      problems.push(
        problem(
          'TIER_THRESHOLDS_OVERLAP',
          `${path}.${j}`,
          `第 ${j + 1} 条规则的下限高于上限，没有客户能满足`,
          `rule ${j + 1} has a lower bound above its upper bound: no customer can match it`,
        ),
      );
      return;
    }
    for (let i = 0; i < j; i++) {
      const earlier = intervals[i];
      const earlierRule = rules[i];
      const rule = rules[j];
      if (!earlier || !earlierRule || !rule || earlier.metric !== current.metric) continue;
      if (earlierRule.tier === rule.tier) continue;
      const bounded = Number.isFinite(current.interval.low) && Number.isFinite(current.interval.high);
      if (
        contains(earlier.interval, current.interval) ||
        (bounded && intersects(earlier.interval, current.interval))
      ) {
        problems.push(
          problem(
            'TIER_THRESHOLDS_OVERLAP',
            `${path}.${j}`,
            `「${rule.tier}」的门槛与前面「${earlierRule.tier}」的门槛重叠，请调整使区间互不重叠`,
            `the thresholds of "${rule.tier}" overlap those of "${earlierRule.tier}" above it; make the ranges disjoint`,
          ),
        );
        return;
      }
    }
  });
}

function checkTierIds(model: TierModel, problems: TierProblem[]) {
  const declared = new Set<string>();
  model.tiers.forEach((tier, index) => {
    if (declared.has(tier.key)) {
      problems.push(
        problem(
          'TIER_DUPLICATE',
          `tiers.${index}.id`,
          `分层「${tier.key}」重复`,
          `tier "${tier.key}" is declared twice`,
        ),
      );
    }
    declared.add(tier.key);
  });
  const check = (tier: string, path: string) => {
    if (!declared.has(tier)) {
      problems.push(
        problem(
          'TIER_UNKNOWN',
          path,
          `分层「${tier}」未声明`,
          `tier "${tier}" is not among the model's tiers`,
        ),
      );
    }
  };
  check(model.defaultTier, 'defaultTier');
  const placements =
    model.kind === 'weighted'
      ? model.thresholds.map((t, i) => [t.tier, `thresholds.${i}.tier`] as const)
      : model.kind === 'thresholds'
        ? model.rules.map((r, i) => [r.tier, `rules.${i}.tier`] as const)
        : model.segments.map((s, i) => [s.tier, `segments.${i}.tier`] as const);
  for (const [tier, path] of placements) check(tier, path);
}

function checkMetrics(model: TierModel, problems: TierProblem[]) {
  const enumOutsidePoints = (metric: string, path: string) =>
    problems.push(
      problem(
        'TIER_METRIC_INVALID',
        path,
        `选项字段「${metric}」只能按选项计分使用`,
        `the option field "${metric}" can only be used with option points`,
      ),
    );
  if (model.kind === 'weighted') {
    model.dimensions.forEach((dimension, index) => {
      const isEnum = dimension.metric.startsWith('custom_enum:');
      if (isEnum !== (dimension.normalise.kind === 'points')) {
        if (isEnum) enumOutsidePoints(dimension.metric, `dimensions.${index}.metric`);
        else
          problems.push(
            problem(
              'TIER_METRIC_INVALID',
              `dimensions.${index}.normalise`,
              '按选项计分只适用于选项字段',
              'option points apply to option fields only',
            ),
          );
      }
    });
    const keys = new Set<string>();
    model.dimensions.forEach((dimension, index) => {
      if (keys.has(dimension.key)) {
        problems.push(
          problem(
            'TIER_MODEL_INVALID',
            `dimensions.${index}.key`,
            `维度「${dimension.key}」重复`,
            `dimension "${dimension.key}" is declared twice`,
          ),
        );
      }
      keys.add(dimension.key);
    });
    return;
  }
  const conditions =
    model.kind === 'thresholds'
      ? model.rules.flatMap((rule, r) => rule.when.map((c, i) => [c.metric, `rules.${r}.when.${i}`] as const))
      : [
          ...model.segments.flatMap((s, r) =>
            s.when.map((c, i) => [c.metric, `segments.${r}.when.${i}`] as const),
          ),
          [model.recency.metric, 'recency.metric'] as const,
          [model.frequency.metric, 'frequency.metric'] as const,
          [model.monetary.metric, 'monetary.metric'] as const,
        ];
  for (const [metric, path] of conditions) {
    if (metric.startsWith('custom_enum:')) enumOutsidePoints(metric, path);
  }
}

function checkResolved(resolved: ResolvedTierModel, problems: TierProblem[]) {
  if (resolved.kind === 'weighted') {
    const weights = resolved.dimensions.map((d) => d.weight);
    const total = weights.reduce((sum, w) => sum + w, 0);
    resolved.dimensions.forEach((dimension, index) => {
      if (dimension.weight < 0) {
        problems.push(
          problem(
            'TIER_WEIGHTS_INVALID',
            `dimensions.${index}.weight`,
            `维度「${dimension.labels['zh-CN']}」的权重不能为负数`,
            `the weight of "${dimension.labels.en}" cannot be negative`,
          ),
        );
      }
    });
    if (!(total > 0)) {
      problems.push(
        problem(
          'TIER_WEIGHTS_INVALID',
          'dimensions',
          '权重之和须大于 0',
          'the weights must add up to more than 0',
        ),
      );
    } else if (resolved.weightTotal !== undefined && Math.abs(total - resolved.weightTotal) > 1e-9) {
      problems.push(
        problem(
          'TIER_WEIGHTS_INVALID',
          'dimensions',
          `各维度权重之和须为 ${resolved.weightTotal}，当前为 ${round(total, 6)}`,
          `the weights must add up to ${resolved.weightTotal}; they add up to ${round(total, 6)}`,
        ),
      );
    }
    resolved.thresholds.forEach((threshold, index) => {
      if (threshold.minScore < 0 || threshold.minScore > 100) {
        problems.push(
          problem(
            'TIER_THRESHOLDS_OVERLAP',
            `thresholds.${index}.minScore`,
            `「${threshold.tier}」的分数门槛须在 0–100 之间`,
            `the score threshold of "${threshold.tier}" must be between 0 and 100`,
          ),
        );
      }
      const previous = resolved.thresholds[index - 1];
      if (previous && threshold.minScore >= previous.minScore) {
        problems.push(
          problem(
            'TIER_THRESHOLDS_OVERLAP',
            `thresholds.${index}.minScore`,
            `「${threshold.tier}」的分数门槛（${threshold.minScore}）须低于上一层「${previous.tier}」的门槛（${previous.minScore}），否则两层重叠`,
            `the score threshold of "${threshold.tier}" (${threshold.minScore}) must be below that of "${previous.tier}" (${previous.minScore}) above it, or the tiers overlap`,
          ),
        );
      }
    });
    resolved.dimensions.forEach((dimension, index) => {
      const n = dimension.normalise;
      const path = `dimensions.${index}.normalise`;
      if (n.kind === 'bands') {
        n.bands.forEach((band, b) => {
          const previous = n.bands[b - 1];
          if (previous && band.from <= previous.from) {
            problems.push(
              problem(
                'TIER_BANDS_INVALID',
                `${path}.bands.${b}.from`,
                `「${dimension.labels['zh-CN']}」的分段须按起点从小到大排列且不重复`,
                `the bands of "${dimension.labels.en}" must start at increasing values`,
              ),
            );
          }
          if (band.points < 0 || band.points > 100) {
            problems.push(
              problem(
                'TIER_BANDS_INVALID',
                `${path}.bands.${b}.points`,
                `「${dimension.labels['zh-CN']}」的分段得分须在 0–100 之间`,
                `the band points of "${dimension.labels.en}" must be between 0 and 100`,
              ),
            );
          }
        });
      }
      if (n.kind === 'range' && !(n.max > n.min)) {
        problems.push(
          problem(
            'TIER_BANDS_INVALID',
            path,
            `「${dimension.labels['zh-CN']}」的上限须大于下限`,
            `the upper end of "${dimension.labels.en}" must be above its lower end`,
          ),
        );
      }
      if (n.kind === 'points') {
        for (const [option, points] of Object.entries(n.points)) {
          if (points < 0 || points > 100) {
            problems.push(
              problem(
                'TIER_BANDS_INVALID',
                `${path}.points.${option}`,
                `「${dimension.labels['zh-CN']}」选项得分须在 0–100 之间`,
                `the option points of "${dimension.labels.en}" must be between 0 and 100`,
              ),
            );
          }
        }
      }
    });
  }
  if (resolved.kind === 'thresholds') checkRuleOverlaps(resolved.rules, 'rules', problems);
  if (resolved.kind === 'rfm') {
    for (const name of ['recency', 'frequency', 'monetary'] as const) {
      const scoring = resolved[name];
      if (scoring.method !== 'breaks') continue;
      scoring.breaks.forEach((value, index) => {
        const previous = scoring.breaks[index - 1];
        if (previous !== undefined && value <= previous) {
          problems.push(
            problem(
              'TIER_THRESHOLDS_OVERLAP',
              `${name}.breaks.${index}`,
              'RFM 分段点须从小到大排列且不重复',
              'RFM breaks must increase',
            ),
          );
        }
      });
    }
    checkRuleOverlaps(resolved.segments, 'segments', problems);
  }
}

/**
 * Every problem of a model with these settings (empty when it can be evaluated): its shape,
 * tiers referenced but not declared, settings it reads that are missing, weights that are
 * negative or do not add up as the model requires, thresholds out of order or overlapping,
 * bands out of order. Messages in zh-CN and en.
 */
export function validateTierModel(model: unknown, settings: TierSettings = {}): TierProblem[] {
  const parsed = tierModelSchema.safeParse(model);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) =>
      problem(
        'TIER_MODEL_INVALID',
        issue.path.join('.'),
        `分层模型格式不正确：${issue.message}`,
        `the tier model is malformed: ${issue.message}`,
      ),
    );
  }
  const problems: TierProblem[] = [];
  checkTierIds(parsed.data, problems);
  checkMetrics(parsed.data, problems);
  const resolved = resolveInto(parsed.data, resolveWith(settings, problems));
  checkResolved(resolved, problems);
  return problems;
}

/** The model with every number read from settings; throws TierModelError on any problem. */
export function resolveTierModel(model: TierModel, settings: TierSettings = {}): ResolvedTierModel {
  const problems = validateTierModel(model, settings);
  if (problems.length > 0) throw new TierModelError(problems);
  return resolveInto(model, resolveWith(settings, []));
}

// ---------------------------------------------------------------------------------------
// Evaluation

/** A customer as the evaluator sees it: its facts (missing ones are 0) and custom field values. */
export type TierCustomer = {
  id: string;
  facts?: Partial<Record<FactMetric, number>>;
  customFields?: Readonly<Record<string, unknown>>;
};

export type DimensionExplanation = {
  key: string;
  metric: string;
  /** The metric's value (an option's value for option fields; null when empty). */
  raw: number | string | null;
  /** 0–100 for weighted dimensions; 1–5 for R, F and M. */
  normalised: number;
  /** The weight as configured (null for R, F, M). */
  weight: number | null;
  /** Points of the 0–100 score this dimension gave (normalised × weight ÷ sum of weights). */
  contribution: number | null;
};

export type TierExplanation = {
  kind: TierModelKind;
  /** 0–100 (weighted; RFM: (R + F + M − 3) ÷ 12 × 100); null for value thresholds. */
  score: number | null;
  dimensions: DimensionExplanation[];
  /**
   * What placed the customer: the threshold/rule/segment index in the model's list and its
   * tier, or `index: null` for the default tier. `minScore` for weighted thresholds;
   * `conditions` for rules and segments, with the values the settings gave.
   */
  rule: {
    index: number | null;
    tier: string;
    minScore?: number;
    conditions?: ResolvedCondition[];
  };
};

export type TierResult = {
  id: string;
  tier: string;
  score: number | null;
  explanation: TierExplanation;
};

const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** A custom field's value as a number the way the SQL reads it: numbers and numeric strings. */
export function customNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMBER_TEXT.test(value)) return Number(value);
  return null;
}

/** Rounds like PostgreSQL's `round(x::numeric, digits)` of a double: 15 significant digits, then half away from zero. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const precise = Number(value.toPrecision(15));
  const factor = 10 ** digits;
  const shifted = Math.abs(precise) * factor;
  const rounded = Math.round(Number(shifted.toPrecision(15)));
  return (Math.sign(precise) * rounded) / factor || 0;
}

function factOf(customer: TierCustomer, metric: FactMetric): number {
  const facts = customer.facts ?? {};
  if (metric === 'months_without_order' && facts.months_without_order === undefined) {
    return Math.floor((facts.recency_days ?? 0) / 30);
  }
  return facts[metric] ?? 0;
}

/** A metric's raw value; null for an empty or non-numeric custom field. */
export function metricValue(customer: TierCustomer, metric: string): number | null {
  const colon = metric.indexOf(':');
  if (colon < 0) return factOf(customer, metric as FactMetric);
  return customNumber(customer.customFields?.[metric.slice(colon + 1)]);
}

function compare(value: number, op: Comparison, target: number): boolean {
  switch (op) {
    case 'gt':
      return value > target;
    case 'gte':
      return value >= target;
    case 'lt':
      return value < target;
    case 'lte':
      return value <= target;
    case 'eq':
      return value === target;
    case 'neq':
      return value !== target;
  }
}

/** percent_rank() over the values, ascending (or descending): (rank − 1) ÷ (n − 1), 0 when n = 1. */
function percentRanks(values: number[], descending = false): number[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => (descending ? b - a : a - b));
  const firstIndex = new Map<number, number>();
  sorted.forEach((value, index) => {
    if (!firstIndex.has(value)) firstIndex.set(value, index);
  });
  return values.map((value) => (n <= 1 ? 0 : (firstIndex.get(value) ?? 0) / (n - 1)));
}

function evaluateWeighted(model: ResolvedWeightedModel, customers: readonly TierCustomer[]): TierResult[] {
  const weightSum = model.dimensions.reduce((sum, d) => sum + d.weight, 0);
  const columns = model.dimensions.map((dimension) => {
    const n = dimension.normalise;
    if (n.kind === 'points') {
      const key = dimension.metric.slice(dimension.metric.indexOf(':') + 1);
      return customers.map((customer) => {
        const value = customer.customFields?.[key];
        const raw = typeof value === 'string' ? value : null;
        const points = raw !== null && Object.hasOwn(n.points, raw) ? (n.points[raw] ?? 0) : n.otherPoints;
        return { raw, normalised: points };
      });
    }
    const raws = customers.map((c) => metricValue(c, dimension.metric) ?? dimension.missing ?? 0);
    let normalised: number[];
    switch (n.kind) {
      case 'minmax': {
        const min = Math.min(...raws);
        const max = Math.max(...raws);
        normalised = raws.map((x) => (max > min ? ((x - min) / (max - min)) * 100 : 0));
        break;
      }
      case 'percentile':
        normalised = percentRanks(raws).map((rank) => rank * 100);
        break;
      case 'bands':
        normalised = raws.map((x) => {
          let points = 0;
          for (const band of n.bands) if (x >= band.from) points = band.points;
          return points;
        });
        break;
      case 'range':
        normalised = raws.map((x) => Math.min(100, Math.max(0, ((x - n.min) / (n.max - n.min)) * 100)));
        break;
    }
    return raws.map((raw, index) => ({
      raw: raw as number | string | null,
      normalised: normalised[index] ?? 0,
    }));
  });
  return customers.map((customer, c) => {
    let total = 0;
    const dimensions = model.dimensions.map((dimension, d) => {
      const cell = columns[d]?.[c] ?? { raw: null, normalised: 0 };
      const normalised = dimension.invert ? 100 - cell.normalised : cell.normalised;
      const contribution = (normalised * dimension.weight) / weightSum;
      total += contribution;
      return {
        key: dimension.key,
        metric: dimension.metric,
        raw: typeof cell.raw === 'number' ? round(cell.raw) : cell.raw,
        normalised: round(normalised),
        weight: dimension.weight,
        contribution: round(contribution),
      };
    });
    const score = round(total);
    const index = model.thresholds.findIndex((threshold) => score >= threshold.minScore);
    const placed = model.thresholds[index];
    const rule = placed
      ? { index, tier: placed.tier, minScore: placed.minScore }
      : { index: null, tier: model.defaultTier };
    return {
      id: customer.id,
      tier: rule.tier,
      score,
      explanation: { kind: 'weighted', score, dimensions, rule },
    };
  });
}

function placeByRules(
  rules: Array<{ tier: string; when: ResolvedCondition[] }>,
  defaultTier: string,
  readMetric: (metric: string) => number | null,
): TierExplanation['rule'] {
  const index = rules.findIndex((rule) =>
    rule.when.every((condition) => {
      const value = readMetric(condition.metric);
      return value !== null && compare(value, condition.op, condition.value);
    }),
  );
  const rule = rules[index];
  return rule ? { index, tier: rule.tier, conditions: rule.when } : { index: null, tier: defaultTier };
}

function conditionMetrics(rules: Array<{ when: ResolvedCondition[] }>): string[] {
  return [...new Set(rules.flatMap((rule) => rule.when.map((c) => c.metric)))];
}

function evaluateThresholds(
  model: ResolvedThresholdsModel,
  customers: readonly TierCustomer[],
): TierResult[] {
  const metrics = conditionMetrics(model.rules);
  return customers.map((customer) => {
    const rule = placeByRules(model.rules, model.defaultTier, (metric) => metricValue(customer, metric));
    const dimensions = metrics.map((metric) => {
      const raw = metricValue(customer, metric);
      return {
        key: metric,
        metric,
        raw: raw === null ? null : round(raw),
        normalised: raw === null ? 0 : round(raw),
        weight: null,
        contribution: null,
      };
    });
    return {
      id: customer.id,
      tier: rule.tier,
      score: null,
      explanation: { kind: 'thresholds', score: null, dimensions, rule },
    };
  });
}

function rfmScores(scoring: ResolvedRfmScoring, raws: number[], recency: boolean): number[] {
  if (scoring.method === 'quantiles') {
    return percentRanks(raws, recency).map((rank) => Math.min(5, 1 + Math.floor(rank * 5)));
  }
  return raws.map((x) => {
    const passed = scoring.breaks.filter((b) => x >= b).length;
    return recency ? 5 - passed : 1 + passed;
  });
}

function evaluateRfm(model: ResolvedRfmModel, customers: readonly TierCustomer[]): TierResult[] {
  const parts = [
    ['r', model.recency, true],
    ['f', model.frequency, false],
    ['m', model.monetary, false],
  ] as const;
  const columns = parts.map(([, scoring, recency]) => {
    const raws = customers.map((c) => metricValue(c, scoring.metric) ?? 0);
    return { raws, scores: rfmScores(scoring, raws, recency) };
  });
  const metrics = conditionMetrics(model.segments).filter(
    (metric) => !(RFM_SCORES as readonly string[]).includes(metric),
  );
  return customers.map((customer, c) => {
    const [r = 1, f = 1, m = 1] = columns.map((column) => column.scores[c] ?? 1);
    const readMetric = (metric: string) =>
      metric === 'rfm_r'
        ? r
        : metric === 'rfm_f'
          ? f
          : metric === 'rfm_m'
            ? m
            : metricValue(customer, metric);
    const rule = placeByRules(model.segments, model.defaultTier, readMetric);
    const score = round(((r + f + m - 3) / 12) * 100);
    const dimensions: DimensionExplanation[] = parts.map(([key, scoring], index) => ({
      key,
      metric: scoring.metric,
      raw: round(columns[index]?.raws[c] ?? 0),
      normalised: columns[index]?.scores[c] ?? 1,
      weight: null,
      contribution: null,
    }));
    for (const metric of metrics) {
      const raw = metricValue(customer, metric);
      dimensions.push({
        key: metric,
        metric,
        raw: raw === null ? null : round(raw),
        normalised: raw === null ? 0 : round(raw),
        weight: null,
        contribution: null,
      });
    }
    return { id: customer.id, tier: rule.tier, score, explanation: { kind: 'rfm', score, dimensions, rule } };
  });
}

/**
 * Places every customer (the whole tenant — min–max, percentiles and quantiles are over
 * the customers given) and explains it. Pure: the same model, settings and customers always
 * give the same result, and the SQL engine gives the same result for the tenant.
 */
export function evaluateTierModel(
  model: TierModel,
  settings: TierSettings,
  customers: readonly TierCustomer[],
): TierResult[] {
  const resolved = resolveTierModel(model, settings);
  switch (resolved.kind) {
    case 'weighted':
      return evaluateWeighted(resolved, customers);
    case 'thresholds':
      return evaluateThresholds(resolved, customers);
    case 'rfm':
      return evaluateRfm(resolved, customers);
  }
}

/** The metrics a model reads (the SQL engine computes only these). */
export function metricsOf(model: TierModel | ResolvedTierModel): string[] {
  switch (model.kind) {
    case 'weighted':
      return [...new Set(model.dimensions.map((d) => d.metric))];
    case 'thresholds':
      return conditionMetrics(model.rules as Array<{ when: ResolvedCondition[] }>);
    case 'rfm':
      return [
        ...new Set([
          model.recency.metric,
          model.frequency.metric,
          model.monetary.metric,
          ...conditionMetrics(model.segments as Array<{ when: ResolvedCondition[] }>).filter(
            (metric) => !(RFM_SCORES as readonly string[]).includes(metric),
          ),
        ]),
      ];
  }
}
