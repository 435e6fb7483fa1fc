import type { Database, TierChangeReason, Transaction } from '@crm/db';
import {
  type ResolvedTierModel,
  resolveTierModel,
  type TierModel,
  TierModelError,
  type TierSettings,
} from '@crm/plugin-sdk';
import { type RawBuilder, sql } from 'kysely';
import { appError } from '../errors';
import { outboxCtes } from '../webhooks/webhooks.outbox';
import { compilePlacement, tierOfScore } from './tiering.sql';

/** What a re-tier or a preview places customers by: a tier model and the settings it reads. */
export type TierSource = {
  model: TierModel;
  settings: TierSettings;
  /** The version of the tenant's settings (recorded on customers and in the history). */
  settingsVersion: number;
};

/** A model resolved against its settings; a model that does not validate is refused with its first problem. */
export function resolveSource(model: TierModel, settings: TierSettings): ResolvedTierModel {
  try {
    return resolveTierModel(model, settings);
  } catch (error) {
    if (!(error instanceof TierModelError)) throw error;
    const first = error.problems[0];
    throw appError(
      first?.code ?? 'TIER_MODEL_INVALID',
      { detail: first?.message['zh-CN'] ?? '', detailEn: first?.message.en ?? '' },
      first?.setting ?? null,
      error.problems.map((problem) => ({
        path: problem.setting ?? `tierModel.${problem.path}`,
        message: problem.message,
      })),
    );
  }
}

export type RetierResult = {
  /** Customers whose tier, score or explanation changed (the only placements written, rows of customer_tiers). */
  updated: number;
  /** Customers that moved to another tier (or got their first one): rows added to tier_history. */
  moved: number;
  /** `tier.changed` deliveries queued, one per move and subscribed endpoint (the caller asks for a drain). */
  webhookDeliveries: number;
};

/**
 * Re-tiers every active customer of the tenant in one statement: the compiled model places
 * them all, the placements whose tier, score or explanation changed (or whose customer waited
 * for this run, 待重算) are written to customer_tiers — narrow rows, one INSERT … ON CONFLICT;
 * the wide customer rows are not rewritten — and each move is recorded in tier_history (a data-modifying CTE of the
 * same statement); the tenant records the run's time (tenants.tiers_computed_at: when every
 * customer's tier was last computed, written or not). Idempotent: a second run with nothing
 * changed writes nothing.
 */
export async function retierTenant(
  trx: Transaction<Database>,
  tenantId: string,
  reason: TierChangeReason,
  actor: string | null,
  source: TierSource,
): Promise<RetierResult> {
  return retier(trx, tenantId, reason, actor, source);
}

/**
 * Re-tiers some customers of the tenant (the touched ones) in one statement, for a model that
 * does not rank customers against each other (`ranksAcrossTenant`): each is written with the
 * time of the computation, changed or not; moves go to tier_history like a full run's.
 */
export async function retierCustomers(
  trx: Transaction<Database>,
  tenantId: string,
  customerIds: readonly string[],
  reason: TierChangeReason,
  source: TierSource,
): Promise<RetierResult> {
  if (customerIds.length === 0) return { updated: 0, moved: 0, webhookDeliveries: 0 };
  return retier(trx, tenantId, reason, null, source, customerIds);
}

async function retier(
  trx: Transaction<Database>,
  tenantId: string,
  reason: TierChangeReason,
  actor: string | null,
  source: TierSource,
  only?: readonly string[],
): Promise<RetierResult> {
  const model = resolveSource(source.model, source.settings);
  // A full run writes only what changed (BM4: most of its time is writing rows); a run over
  // touched customers writes each of them, so their computed time moves.
  const write = only
    ? sql`true`
    : sql`(p.old_tier is distinct from p.tier or p.old_score is distinct from p.score
          or p.old_explanation is distinct from p.explanation or p.pending)`;
  // The 待重算 marks this run answers go (few rows, found by their partial index): the touched
  // customers' in a run over them, every mark of the tenant in a full run.
  const pendingScope = only ? sql`and id = any(${only}::uuid[])` : sql``;
  const { rows } = await sql<RetierResult>`
    with ${compilePlacement(model, tenantId, only)},
    written as (
      insert into customer_tiers as t (tenant_id, customer_id, tier, score, explanation, changed_at,
        computed_at, settings_version)
      select ${tenantId}::uuid, p.id, p.tier, p.score, p.explanation, now(), now(), ${source.settingsVersion}::int
      from placed p
      where ${write}
      on conflict (tenant_id, customer_id) do update set
        tier = excluded.tier,
        score = excluded.score,
        explanation = excluded.explanation,
        changed_at = case when t.tier is distinct from excluded.tier then now() else t.changed_at end,
        computed_at = now(),
        settings_version = excluded.settings_version
      returning t.customer_id as id, t.tier, t.score
    ),
    -- The placement before this statement (its snapshot): where each written customer came from.
    updated as (
      select w.id, o.tier as old_tier, w.tier, w.score
      from written w left join customer_tiers o on o.tenant_id = ${tenantId} and o.customer_id = w.id
    ),
    unmarked as (
      update customers set tier_pending_since = null
      where tenant_id = ${tenantId} and tier_pending_since is not null ${pendingScope}
      returning 1
    ),
    moved as (
      insert into tier_history (tenant_id, customer_id, from_tier, to_tier, score, reason, settings_version, changed_by)
      select ${tenantId}::uuid, u.id, u.old_tier, u.tier, u.score, ${reason}::text, ${source.settingsVersion}::int, ${actor}::uuid
      from updated u where u.old_tier is distinct from u.tier
      returning 1
    ),
    -- Each move announced (tier.changed) by the same statement: set-based, whatever the tenant's size.
    ${outboxCtes(
      tenantId,
      'tier.changed',
      sql`select jsonb_build_object('id', u.id, 'name', c.name, 'customerNumber', c.customer_number,
          'from', u.old_tier, 'to', u.tier, 'score', u.score, 'reason', ${reason}::text,
          'settingsVersion', ${source.settingsVersion}::int, 'changedBy', ${actor}::uuid) as payload
        from updated u join customers c on c.tenant_id = ${tenantId} and c.id = u.id
        where u.old_tier is distinct from u.tier`,
    )}${
      only
        ? sql``
        : sql`,
    stamped as (update tenants set tiers_computed_at = now() where id = ${tenantId} returning 1)`
    }
    select (select count(*) from updated)::int as updated, (select count(*) from moved)::int as moved,
      (select count(*) from outbox_deliveries)::int as "webhookDeliveries",
      (select count(*) from unmarked)::int as unmarked
      ${only ? sql`` : sql`, (select count(*) from stamped)::int as stamped`}
  `.execute(trx);
  const row = rows[0];
  return {
    updated: row?.updated ?? 0,
    moved: row?.moved ?? 0,
    webhookDeliveries: row?.webhookDeliveries ?? 0,
  };
}

/**
 * The model run as a SELECT over the tenant's active customers — every tier, score and
 * explanation a re-tier computes, counted instead of written (each is read, so the planner
 * computes it). BM4-select divides its time by a first placement's.
 */
export async function countPlacement(
  trx: Transaction<Database>,
  tenantId: string,
  source: { model: TierModel; settings: TierSettings },
): Promise<{ placed: number; explained: number; scored: number }> {
  const model = resolveSource(source.model, source.settings);
  const { rows } = await sql<{ placed: number; explained: number; scored: number }>`
    with ${compilePlacement(model, tenantId)}
    select count(p.tier)::int as placed, count(p.explanation)::int as explained, count(p.score)::int as scored
    from placed p`.execute(trx);
  return { placed: rows[0]?.placed ?? 0, explained: rows[0]?.explained ?? 0, scored: rows[0]?.scored ?? 0 };
}

/** Serialises the re-tier jobs of one tenant (until the caller's transaction ends). */
export async function lockTenantTiers(trx: Transaction<Database>, tenantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`tiering:${tenantId}`}::text))`.execute(trx);
}

/** Records customers of the tenant whose tier is to be recomputed (ids of other tenants' or missing customers are ignored). */
export async function insertTouches(
  trx: Transaction<Database>,
  tenantId: string,
  customerIds: readonly string[],
): Promise<number> {
  if (customerIds.length === 0) return 0;
  const result = await sql`
    insert into tier_touches (tenant_id, customer_id)
    select c.tenant_id, c.id from customers c
    where c.tenant_id = ${tenantId} and c.id = any(${customerIds}::uuid[])
    on conflict (tenant_id, customer_id) do update set touched_at = now()`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Takes (deletes and returns) the tenant's touched customers; rolled back with the caller's transaction. */
export async function takeTouches(trx: Transaction<Database>, tenantId: string): Promise<string[]> {
  const { rows } = await sql<{ customer_id: string }>`
    delete from tier_touches where tenant_id = ${tenantId} returning customer_id`.execute(trx);
  return rows.map((row) => row.customer_id);
}

/** Whether the tenant has touched customers waiting for a run. */
export async function hasTouches(trx: Transaction<Database>, tenantId: string): Promise<boolean> {
  const { rows } = await sql<{ touched: boolean }>`
    select exists (select 1 from tier_touches where tenant_id = ${tenantId}) as touched`.execute(trx);
  return rows[0]?.touched === true;
}

/** Marks active customers 待重算 (until the next full run); returns how many. */
export async function markPending(
  trx: Transaction<Database>,
  tenantId: string,
  customerIds: readonly string[],
): Promise<number> {
  if (customerIds.length === 0) return 0;
  const result = await sql`
    update customers set tier_pending_since = now()
    where tenant_id = ${tenantId} and id = any(${customerIds}::uuid[])
      and merged_into is null and archived_at is null and tier_pending_since is null`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Whether any customer of the tenant waits for the next full run (customers_tier_pending_idx). */
export async function hasPending(trx: Transaction<Database>, tenantId: string): Promise<boolean> {
  const { rows } = await sql<{ pending: boolean }>`
    select exists (select 1 from customers where tenant_id = ${tenantId} and tier_pending_since is not null) as pending`.execute(
    trx,
  );
  return rows[0]?.pending === true;
}

/** The tenant's active customers, counted up to `cap` + 1 (enough to say "more than cap"). */
export async function countActiveCustomers(
  trx: Transaction<Database>,
  tenantId: string,
  cap: number,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from customers where tenant_id = ${tenantId} and merged_into is null and archived_at is null
      limit ${cap + 1}::int
    ) c`.execute(trx);
  return rows[0]?.n ?? 0;
}

export type TierPreviewSample = {
  id: string;
  name: string;
  score: number | null;
  previousScore: number | null;
};
export type TierPreviewCell = {
  /** The customer's tier now (null: not tiered yet). */
  from: string | null;
  to: string;
  count: number;
  /** Up to `samplesPerCell` of the customers that would move (none for customers staying). */
  sample: TierPreviewSample[];
};
export type TierPreview = {
  total: number;
  moving: number;
  cells: TierPreviewCell[];
  /** 'scores': only thresholds changed, the stored scores were placed; 'full': the model was run. */
  method: 'scores' | 'full';
};

/** The from × to matrix (and samples of movers) of CTEs ending in `placed`. */
async function matrixOf(
  trx: Transaction<Database>,
  tenantId: string,
  ctes: RawBuilder<unknown>,
  samplesPerCell: number,
): Promise<Array<Omit<TierPreviewCell, 'sample'> & { sample: TierPreviewSample[] | null }>> {
  const { rows } = await sql<{
    from: string | null;
    to: string;
    count: number;
    sample: Array<{ id: string; name: string; score: string | null; previousScore: string | null }> | null;
  }>`
    with ${ctes},
    -- Read once, without the explanations (the planner drops the columns nobody reads).
    slim as materialized (select id, old_tier, tier, score, old_score from placed),
    cells as (select p.old_tier, p.tier, count(*)::int as count from slim p group by p.old_tier, p.tier),
    movers as (
      select m.* from (
        select p.id, p.old_tier, p.tier, p.score, p.old_score,
          row_number() over (partition by p.old_tier, p.tier order by p.score desc nulls last, p.id) as n
        from slim p where p.old_tier is distinct from p.tier
      ) m where m.n <= ${samplesPerCell}::int
    )
    select c.old_tier as "from", c.tier as "to", c.count,
      (select jsonb_agg(jsonb_build_object('id', m.id, 'name', k.name, 'score', m.score::text,
          'previousScore', m.old_score::text) order by m.n)
       from movers m join customers k on k.tenant_id = ${tenantId} and k.id = m.id
       where m.old_tier is not distinct from c.old_tier and m.tier = c.tier) as sample
    from cells c
    order by c.old_tier nulls first, c.tier
  `.execute(trx);
  return rows.map((row) => ({
    from: row.from,
    to: row.to,
    count: row.count,
    sample: (row.sample ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      score: s.score === null ? null : Number(s.score),
      previousScore: s.previousScore === null ? null : Number(s.previousScore),
    })),
  }));
}

/** Whether two weighted models score alike (dimensions, metrics, normalisation, weights), differing at most in tiers. */
function scoresAlike(a: ResolvedTierModel, b: ResolvedTierModel): boolean {
  return (
    a.kind === 'weighted' &&
    b.kind === 'weighted' &&
    JSON.stringify(a.dimensions) === JSON.stringify(b.dimensions)
  );
}

/**
 * How many customers would move between which tiers with this model and these settings,
 * and a sample of them — computed by the same SQL as the re-tier, as a SELECT (nothing is
 * written). When `current` is given (the model and settings in force) and only the score
 * thresholds differ, the customers' stored scores are placed instead of running the model
 * again: the answer to "what does this threshold change do" without recomputing every score.
 */
export async function previewTiering(
  trx: Transaction<Database>,
  tenantId: string,
  proposed: { model: TierModel; settings: TierSettings },
  options: { current?: { model: TierModel; settings: TierSettings }; samplesPerCell?: number } = {},
): Promise<TierPreview> {
  const model = resolveSource(proposed.model, proposed.settings);
  const samplesPerCell = options.samplesPerCell ?? 5;
  let method: TierPreview['method'] = 'full';
  let ctes = compilePlacement(model, tenantId);
  if (options.current && model.kind === 'weighted') {
    const current = resolveTierModel(options.current.model, options.current.settings);
    if (scoresAlike(model, current)) {
      // Every active customer has a stored score (two index-only scans in customer order:
      // customers_active_idx and customer_tiers' key, which includes the score).
      const { rows } = await sql<{ unscored: boolean }>`
        select exists (
          select 1 from customers c
          where c.tenant_id = ${tenantId} and c.merged_into is null and c.archived_at is null
            and not exists (select 1 from customer_tiers t
              where t.tenant_id = ${tenantId} and t.customer_id = c.id and t.score is not null)
        ) as unscored
      `.execute(trx);
      if (rows[0]?.unscored === false) {
        method = 'scores';
        ctes = sql`placed as (
          select t.customer_id as id, t.tier as old_tier, t.score as old_score,
            ${tierOfScore(model, sql`t.score`)} as tier, t.score as score
          from customer_tiers t
          join customers c on c.tenant_id = ${tenantId} and c.id = t.customer_id
            and c.merged_into is null and c.archived_at is null
          where t.tenant_id = ${tenantId}
        )`;
      }
    }
  }
  const cells = (await matrixOf(trx, tenantId, ctes, samplesPerCell)).map((cell) => ({
    ...cell,
    sample: cell.sample ?? [],
  }));
  const total = cells.reduce((sum, cell) => sum + cell.count, 0);
  const moving = cells.filter((cell) => cell.from !== cell.to).reduce((sum, cell) => sum + cell.count, 0);
  return { total, moving, cells, method };
}

export type TierMove = {
  id: string;
  from: string | null;
  to: string;
  score: number | null;
  reason: TierChangeReason;
  settingsVersion: number | null;
  changedBy: string | null;
  changedAt: Date;
};

/** A customer's tier moves, newest first. */
export async function tierHistoryOf(
  trx: Transaction<Database>,
  tenantId: string,
  customerId: string,
  limit = 50,
): Promise<TierMove[]> {
  const rows = await trx
    .selectFrom('tier_history')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .orderBy('changed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    from: row.from_tier,
    to: row.to_tier,
    score: row.score === null ? null : Number(row.score),
    reason: row.reason,
    settingsVersion: row.settings_version,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
  }));
}
