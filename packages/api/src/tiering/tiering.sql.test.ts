import type { CrmDatabase } from '@crm/db';
import { evaluateTierModel, type TierCustomer, type TierModel, type TierSettings } from '@crm/plugin-sdk';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCustomers } from '../customers/customers.repository';
import { listCustomersInput } from '../customers/customers.schemas';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { jobScope } from '../scope';
import { readTimeline } from '../timeline/timeline.service';
import { previewTiering, retierTenant } from './tiering.repository';

/*
 * The compiled SQL must place every customer exactly as the pure evaluator does (tier,
 * score, every number of the explanation) — on ~200 fixture customers with orders, ties,
 * customers without orders, empty custom fields and an archived customer; for each model
 * kind and normalisation. Then: history only for moved customers, idempotence, the preview
 * against what a re-tier then does, the timeline.
 */

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const DAY = 86_400_000;

type FixtureOrder = {
  daysAgo: number;
  cents: number;
  profitCents: number | null;
  status: string;
  currency: string;
};
type Fixture = {
  id: string;
  createdDaysAgo: number;
  archived: boolean;
  customFields: Record<string, unknown>;
  orders: FixtureOrder[];
};

function fixtures(count: number): Fixture[] {
  const next = random(20261122);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: count }, (_, index) => {
    const orderCount = index % 7 === 0 ? 0 : Math.floor(next() * 8);
    const orders = Array.from({ length: orderCount }, () => ({
      // Whole days plus half a day, never near the 12-month edge.
      daysAgo: pick([3, 10, 35, 80, 95, 150, 200, 300, 420, 700]) + Math.floor(next() * 20),
      // Ties: a few amounts repeat exactly.
      cents: index % 5 === 0 ? 1_000_000 : Math.round(next() * 20_000_000),
      profitCents: next() < 0.1 ? null : Math.round(next() * 3_000_000) - 300_000,
      status: next() < 0.85 ? 'completed' : pick(['pending', 'refunded', 'void']),
      currency: next() < 0.95 ? 'CNY' : 'USD',
    }));
    const customFields: Record<string, unknown> = {};
    if (next() < 0.8) customFields.growth = String(Math.round(next() * 50) / 10);
    if (next() < 0.7) customFields.willingness = pick(['low', 'mid', 'high', 'unknown']);
    if (next() < 0.6) customFields.rating = String(1 + Math.floor(next() * 5));
    if (next() < 0.1) customFields.rating = 'n/a';
    return {
      id: crypto.randomUUID(),
      createdDaysAgo: 30 + Math.floor(next() * 900),
      archived: index === 13,
      customFields,
      orders,
    };
  });
}

/** The facts as the evaluator's input, computed here from the fixtures (not read back from SQL). */
function tierCustomers(list: Fixture[]): TierCustomer[] {
  return list
    .filter((f) => !f.archived)
    .map((f) => {
      const completed = f.orders.filter((o) => o.status === 'completed');
      const recent = completed.filter((o) => o.daysAgo < 360);
      const cents = (orders: FixtureOrder[], value: (o: FixtureOrder) => number) =>
        orders.reduce((sum, o) => sum + value(o), 0) / 100;
      const cny = (orders: FixtureOrder[]) => orders.filter((o) => o.currency === 'CNY');
      const lastDaysAgo =
        completed.length > 0 ? Math.min(...completed.map((o) => o.daysAgo)) : f.createdDaysAgo;
      return {
        id: f.id,
        facts: {
          amount_12m: cents(cny(recent), (o) => o.cents),
          amount_lifetime: cents(cny(completed), (o) => o.cents),
          profit_12m: cents(cny(recent), (o) => o.profitCents ?? 0),
          order_count_12m: recent.length,
          order_count: completed.length,
          recency_days: lastDaysAgo,
        },
        customFields: f.customFields,
      };
    });
}

const LABELS = (key: string) => ({ 'zh-CN': key, en: key });

const WEIGHTED: TierModel = {
  kind: 'weighted',
  tiers: ['strategic', 'key', 'ordinary', 'potential'].map((key) => ({ key, labels: LABELS(key) })),
  dimensions: [
    {
      key: 'amount',
      labels: LABELS('amount'),
      metric: 'amount_12m',
      normalise: { kind: 'minmax' },
      weight: { setting: 'weights.amount' },
    },
    {
      key: 'profit',
      labels: LABELS('profit'),
      metric: 'profit_12m',
      normalise: { kind: 'percentile' },
      weight: 30,
    },
    {
      key: 'growth',
      labels: LABELS('growth'),
      metric: 'custom_number:growth',
      normalise: { kind: 'range', min: 0, max: 5 },
      weight: 10,
    },
    {
      key: 'willingness',
      labels: LABELS('willingness'),
      metric: 'custom_enum:willingness',
      normalise: { kind: 'points', points: { high: 100, mid: 60, low: 20 }, otherPoints: 0 },
      weight: 10,
    },
    {
      key: 'rating',
      labels: LABELS('rating'),
      metric: 'rating:rating',
      normalise: { kind: 'minmax' },
      weight: 10,
      missing: 1,
    },
    {
      key: 'churn',
      labels: LABELS('churn'),
      metric: 'months_without_order',
      normalise: {
        kind: 'bands',
        bands: [
          { from: 0, points: 0 },
          { from: { setting: 'churnMonths' }, points: 100 },
        ],
      },
      invert: true,
      weight: 10,
    },
  ],
  thresholds: [
    { tier: 'strategic', minScore: { setting: 'thresholds.strategic' } },
    { tier: 'key', minScore: { setting: 'thresholds.key' } },
    { tier: 'ordinary', minScore: { setting: 'thresholds.ordinary' } },
  ],
  defaultTier: 'potential',
};
const WEIGHTED_SETTINGS = {
  weights: { amount: 40 },
  churnMonths: 3,
  thresholds: { strategic: 70, key: 50, ordinary: 35 },
};

const THRESHOLDS: TierModel = {
  kind: 'thresholds',
  tiers: ['high', 'mid', 'low'].map((key) => ({ key, labels: LABELS(key) })),
  rules: [
    { tier: 'high', when: [{ metric: 'amount_12m', op: 'gt', value: { setting: 'high' } }] },
    {
      tier: 'mid',
      when: [
        { metric: 'amount_12m', op: 'gte', value: { setting: 'mid' } },
        { metric: 'amount_12m', op: 'lte', value: { setting: 'high' } },
      ],
    },
    {
      tier: 'mid',
      when: [
        { metric: 'order_count_12m', op: 'gte', value: 5 },
        { metric: 'rating:rating', op: 'gte', value: 4 },
      ],
    },
  ],
  defaultTier: 'low',
};
const THRESHOLDS_SETTINGS = { high: 300_000, mid: 100_000 };

const RFM_QUANTILES: TierModel = {
  kind: 'rfm',
  tiers: ['head', 'waist', 'tail', 'dormant'].map((key) => ({ key, labels: LABELS(key) })),
  recency: { method: 'quantiles', metric: 'recency_days' },
  frequency: { method: 'quantiles', metric: 'order_count_12m' },
  monetary: { method: 'quantiles', metric: 'amount_12m' },
  segments: [
    { tier: 'dormant', when: [{ metric: 'recency_days', op: 'gt', value: { setting: 'dormantDays' } }] },
    {
      tier: 'head',
      when: [
        { metric: 'rfm_m', op: 'gte', value: 5 },
        { metric: 'rfm_r', op: 'gte', value: 3 },
      ],
    },
    { tier: 'waist', when: [{ metric: 'rfm_m', op: 'gte', value: 3 }] },
  ],
  defaultTier: 'tail',
};
const RFM_BREAKS: TierModel = {
  kind: 'rfm',
  tiers: ['head', 'waist', 'tail', 'dormant'].map((key) => ({ key, labels: LABELS(key) })),
  recency: { method: 'breaks', metric: 'recency_days', breaks: [30, 90, 180, 365] },
  frequency: { method: 'breaks', metric: 'order_count', breaks: [1, 2, 4, 6] },
  monetary: {
    method: 'breaks',
    metric: 'amount_lifetime',
    breaks: [1000, 50_000, { setting: 'm4' }, 500_000],
  },
  segments: [
    { tier: 'dormant', when: [{ metric: 'rfm_r', op: 'lte', value: 2 }] },
    {
      tier: 'head',
      when: [
        { metric: 'amount_12m', op: 'gt', value: 10_000 },
        { metric: 'rfm_f', op: 'gte', value: 4 },
      ],
    },
    { tier: 'waist', when: [{ metric: 'rfm_m', op: 'gte', value: 3 }] },
  ],
  defaultTier: 'tail',
};

let testDatabase: TestDatabase;
let database: CrmDatabase;
const tenantId = crypto.randomUUID();
const list = fixtures(200);
const customers = tierCustomers(list);

async function insertFixtures() {
  await database.withTenant(tenantId, async (trx) => {
    await trx.insertInto('tenants').values({ id: tenantId, name: 'Tiering', industry: 'b2b' }).execute();
    const now = Date.now();
    await trx
      .insertInto('customers')
      .values(
        list.map((f, index) => ({
          tenant_id: tenantId,
          id: f.id,
          name: `客户${index}`,
          kind: 'company' as const,
          created_at: new Date(now - f.createdDaysAgo * DAY - DAY / 2),
          custom_fields: JSON.stringify(f.customFields),
          archived_at: f.archived ? new Date() : null,
        })),
      )
      .execute();
    const orders = list.flatMap((f) =>
      f.orders.map((o) => ({
        tenant_id: tenantId,
        customer_id: f.id,
        ordered_at: new Date(now - o.daysAgo * DAY - DAY / 2),
        currency: o.currency,
        amount: (o.cents / 100).toFixed(2),
        profit: o.profitCents === null ? null : (o.profitCents / 100).toFixed(2),
        status: o.status as 'completed',
      })),
    );
    await trx.insertInto('orders').values(orders).execute();
    await refreshCustomerFacts(jobScope(trx, tenantId), 'all', 'daily');
  });
}

type Stored = { id: string; tier: string | null; tier_score: string | null; tier_explanation: unknown };

async function stored(): Promise<Map<string, Stored>> {
  const rows = await database.withTenant(tenantId, (trx) =>
    trx
      .selectFrom('customers')
      .leftJoin('customer_tiers as placement', (join) =>
        join
          .onRef('placement.tenant_id', '=', 'customers.tenant_id')
          .onRef('placement.customer_id', '=', 'customers.id'),
      )
      .select([
        'customers.id',
        'placement.tier',
        'placement.score as tier_score',
        'placement.explanation as tier_explanation',
      ])
      .where('customers.tenant_id', '=', tenantId)
      .where('customers.archived_at', 'is', null)
      .execute(),
  );
  return new Map(rows.map((row) => [row.id, row as Stored]));
}

async function historyCount(): Promise<number> {
  const { rows } = await database.withTenant(tenantId, (trx) =>
    sql<{ n: number }>`select count(*)::int as n from tier_history where tenant_id = ${tenantId}`.execute(
      trx,
    ),
  );
  return rows[0]?.n ?? 0;
}

async function expectAgreement(model: TierModel, settings: TierSettings) {
  const expected = evaluateTierModel(model, settings, customers);
  const actual = await stored();
  expect(actual.size).toBe(expected.length);
  const mismatches = expected.filter((result) => {
    const row = actual.get(result.id);
    return (
      !row ||
      row.tier !== result.tier ||
      (row.tier_score === null ? null : Number(row.tier_score)) !== result.score ||
      JSON.stringify(sortKeys(row.tier_explanation)) !== JSON.stringify(sortKeys(result.explanation))
    );
  });
  if (mismatches[0]) {
    const row = actual.get(mismatches[0].id);
    expect({ tier: row?.tier, score: row?.tier_score, explanation: row?.tier_explanation }).toEqual({
      tier: mismatches[0].tier,
      score: mismatches[0].score === null ? null : String(mismatches[0].score),
      explanation: mismatches[0].explanation,
    });
  }
  expect(mismatches.length).toBe(0);
  return expected;
}

/** JSON with object keys sorted (jsonb stores keys in its own order). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

function retier(model: TierModel, settings: TierSettings, version = 1) {
  return database.withTenant(tenantId, (trx) =>
    retierTenant(trx, tenantId, 'retier', null, { model, settings, settingsVersion: version }),
  );
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = testDatabase.database;
  await insertFixtures();
}, 120_000);

afterAll(async () => {
  await testDatabase?.destroy();
});

describe(`tiering SQL agrees with the pure evaluator (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it.each([
    [
      'weighted (min–max, percentile, range, option points, bands, invert, missing values)',
      WEIGHTED,
      WEIGHTED_SETTINGS,
    ],
    ['value thresholds', THRESHOLDS, THRESHOLDS_SETTINGS],
    ['RFM by quantiles', RFM_QUANTILES, { dormantDays: 180 }],
    ['RFM by fixed breaks', RFM_BREAKS, { m4: 200_000 }],
  ] as const)('%s: every tier, score and explanation', async (_name, model, settings) => {
    await retier(model, settings);
    const expected = await expectAgreement(model, settings);
    // The fixtures spread customers over several tiers.
    expect(new Set(expected.map((r) => r.tier)).size).toBeGreaterThanOrEqual(2);
    if (model.kind !== 'thresholds') expect(new Set(expected.map((r) => r.score)).size).toBeGreaterThan(5);
  });

  it('writes history only for moved customers and is idempotent', async () => {
    await retier(WEIGHTED, WEIGHTED_SETTINGS);
    const before = await historyCount();
    const again = await retier(WEIGHTED, WEIGHTED_SETTINGS);
    expect(again).toEqual({ updated: 0, moved: 0, webhookDeliveries: 0 });
    expect(await historyCount()).toBe(before);

    const changed = { ...WEIGHTED_SETTINGS, thresholds: { strategic: 60, key: 45, ordinary: 30 } };
    const oldTiers = new Map(
      evaluateTierModel(WEIGHTED, WEIGHTED_SETTINGS, customers).map((r) => [r.id, r.tier]),
    );
    const movers = evaluateTierModel(WEIGHTED, changed, customers).filter(
      (r) => oldTiers.get(r.id) !== r.tier,
    );
    expect(movers.length).toBeGreaterThan(0);
    const result = await retier(WEIGHTED, changed, 2);
    expect(result.moved).toBe(movers.length);
    expect(await historyCount()).toBe(before + movers.length);
    await expectAgreement(WEIGHTED, changed);
    await retier(WEIGHTED, WEIGHTED_SETTINGS);
  });

  it('previews exactly what saving and re-tiering then does, by stored scores or by running the model', async () => {
    await retier(WEIGHTED, WEIGHTED_SETTINGS);
    const proposed = { ...WEIGHTED_SETTINGS, thresholds: { strategic: 80, key: 55, ordinary: 20 } };
    const [full, byScores, changedWeights] = await database.withTenant(tenantId, async (trx) => [
      await previewTiering(trx, tenantId, { model: WEIGHTED, settings: proposed }),
      await previewTiering(
        trx,
        tenantId,
        { model: WEIGHTED, settings: proposed },
        { current: { model: WEIGHTED, settings: WEIGHTED_SETTINGS } },
      ),
      await previewTiering(
        trx,
        tenantId,
        { model: WEIGHTED, settings: { ...proposed, weights: { amount: 80 } } },
        { current: { model: WEIGHTED, settings: WEIGHTED_SETTINGS } },
      ),
    ]);
    expect(full.method).toBe('full');
    expect(byScores.method).toBe('scores');
    expect(changedWeights.method).toBe('full');
    expect(byScores.cells).toEqual(full.cells);
    expect(full.total).toBe(customers.length);
    for (const cell of full.cells) {
      expect(cell.sample.length).toBe(cell.from === cell.to ? 0 : Math.min(5, cell.count));
    }

    const before = new Map([...(await stored())].map(([id, row]) => [id, row.tier]));
    await retier(WEIGHTED, proposed, 3);
    const after = await stored();
    const counts = new Map<string, number>();
    for (const [id, row] of after) {
      const key = `${before.get(id)}→${row.tier}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(new Map(full.cells.map((cell) => [`${cell.from}→${cell.to}`, cell.count]))).toEqual(counts);
    // Nothing was written by the previews: the re-tier moved exactly the previewed customers.
    expect(full.moving).toBe([...after].filter(([id, row]) => before.get(id) !== row.tier).length);
    await retier(WEIGHTED, WEIGHTED_SETTINGS);
  });

  it('filters customers by tier and score and sorts them by score, keyset-paged', async () => {
    await retier(WEIGHTED, WEIGHTED_SETTINGS);
    const expected = evaluateTierModel(WEIGHTED, WEIGHTED_SETTINGS, customers)
      .filter((r) => (r.tier === 'key' || r.tier === 'ordinary') && (r.score ?? 0) <= 60)
      .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0));
    expect(expected.length).toBeGreaterThan(7);
    const access = {
      userId: crypto.randomUUID(),
      teamId: null,
      scope: 'all' as const,
      taskScope: 'all' as const,
      leadScope: 'all' as const,
    };
    const seen: Array<{ id: string; tier: string | null; tierScore: string | null }> = [];
    let cursor: string | null = null;
    do {
      const input = listCustomersInput.parse({
        tiers: ['key', 'ordinary'],
        tierScoreMax: 60,
        sort: 'tierScore',
        direction: 'desc',
        limit: 7,
        cursor,
      });
      const page = await database.withTenant(tenantId, (trx) =>
        listCustomers({ ...jobScope(trx, tenantId), access }, input),
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((c) => c.id)).toEqual(expected.map((r) => r.id));
    expect(seen.map((c) => Number(c.tierScore))).toEqual(expected.map((r) => r.score));
  });

  it('shows tier moves on the customer timeline', async () => {
    const { rows } = await database.withTenant(tenantId, (trx) =>
      sql<{ customer_id: string; n: number }>`select customer_id, count(*)::int as n from tier_history
        where tenant_id = ${tenantId} group by customer_id order by count(*) desc limit 1`.execute(trx),
    );
    const customerId = rows[0]?.customer_id as string;
    const timeline = await database.withTenant(tenantId, (trx) =>
      readTimeline(jobScope(trx, tenantId), customerId, 100, null),
    );
    const tiers = timeline.items.filter((item) => item.kind === 'tier');
    expect(tiers.length).toBe(rows[0]?.n);
    expect(tiers.at(-1)?.data).toMatchObject({ from: null, reason: 'retier' });
    expect(tiers[0]?.data).toHaveProperty('to');
  });
});
