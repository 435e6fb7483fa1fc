import type { CadenceUnit, PlanDecisionAction, PlanEndReason, PlanStatus, TaskType } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import { visibleCustomer } from '../customers/access';
import type { Scope } from '../scope';
import { taskPayload } from '../tasks/task-events.sql';
import { outboxCtes } from '../webhooks/webhooks.outbox';

/**
 * Every query of maintenance plans. The generator is three set-based statements over the
 * tenant's customers (or the ones a change touched): end the plans that no longer fit, create
 * the plans that are missing, and bring the plans' open future tasks in line with what the
 * plans want — add, move, cancel. The same statements serve the daily job, every re-plan in
 * the changing transaction, and the 行业配置 preview (run under a savepoint and rolled back).
 */

/**
 * Which customers a re-plan looks at: all of the tenant's; the ones whose tier changed or that
 * were written in this very transaction (`now()` is the transaction's start: a re-tier stamps
 * the placement's `customer_tiers.changed_at`; edits, reassignments, merges and imports stamp
 * `updated_at`); or these ids.
 */
export type ReplanTarget = 'all' | 'changed_now' | readonly string[];

function targetOf(tenantId: string, target: ReplanTarget): RawBuilder<boolean> {
  if (target === 'all') return sql<boolean>`true`;
  // The moved customers: one pass over the narrow placements (a hashed subplan), not a probe per customer.
  if (target === 'changed_now')
    return sql<boolean>`(c.updated_at = now() or c.id in (
      select moved.customer_id from customer_tiers moved where moved.tenant_id = ${tenantId} and moved.changed_at = now()))`;
  return sql<boolean>`c.id = any(${[...target]}::uuid[])`;
}

/** The tenant's cadences in force (synced from its plugin and settings). */
export type CadenceRow = {
  cadenceKey: string;
  tier: string;
  everyCount: number;
  unit: CadenceUnit;
  taskType: TaskType;
  titleZh: string;
  titleEn: string;
  goals: Array<{ 'zh-CN': string; en: string }>;
  requiresApproval: boolean;
  position: number;
};

/**
 * Replaces the tenant's cadences with these (upserting changed rows, deleting missing ones);
 * returns how many rows were written or deleted, so nothing written means nothing changed.
 */
export async function replaceCadences(scope: Scope, rows: readonly CadenceRow[]): Promise<number> {
  const { rows: result } = await sql<{ written: number; removed: number }>`
    with incoming as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        "cadenceKey" text, tier text, "everyCount" int, unit text, "taskType" text, "titleZh" text,
        "titleEn" text, goals jsonb, "requiresApproval" boolean, position int)
    ),
    written as (
      insert into plan_cadences (tenant_id, cadence_key, tier, every_count, unit, task_type, title_zh, title_en,
        goals, requires_approval, position)
      select ${scope.tenantId}, i."cadenceKey", i.tier, i."everyCount", i.unit, i."taskType", i."titleZh", i."titleEn",
        i.goals, i."requiresApproval", i.position
      from incoming i
      on conflict (tenant_id, cadence_key) do update set
        tier = excluded.tier, every_count = excluded.every_count, unit = excluded.unit,
        task_type = excluded.task_type, title_zh = excluded.title_zh, title_en = excluded.title_en,
        goals = excluded.goals, requires_approval = excluded.requires_approval, position = excluded.position,
        updated_at = now()
      where (plan_cadences.tier, plan_cadences.every_count, plan_cadences.unit, plan_cadences.task_type,
          plan_cadences.title_zh, plan_cadences.title_en, plan_cadences.goals, plan_cadences.requires_approval,
          plan_cadences.position)
        is distinct from (excluded.tier, excluded.every_count, excluded.unit, excluded.task_type,
          excluded.title_zh, excluded.title_en, excluded.goals, excluded.requires_approval, excluded.position)
      returning 1
    ),
    removed as (
      delete from plan_cadences k
      where k.tenant_id = ${scope.tenantId}
        and not exists (select 1 from incoming i where i."cadenceKey" = k.cadence_key)
      returning 1
    )
    select (select count(*) from written)::int as written, (select count(*) from removed)::int as removed
  `.execute(scope.trx);
  return (result[0]?.written ?? 0) + (result[0]?.removed ?? 0);
}

export async function selectCadences(scope: Scope): Promise<CadenceRow[]> {
  const rows = await scope.trx
    .selectFrom('plan_cadences')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('position')
    .execute();
  return rows.map((row) => ({
    cadenceKey: row.cadence_key,
    tier: row.tier,
    everyCount: row.every_count,
    unit: row.unit,
    taskType: row.task_type,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    goals: row.goals,
    requiresApproval: row.requires_approval,
    position: row.position,
  }));
}

/** Ends the open plans of target customers that no longer fit: inactive customer, another tier, cadence gone. */
export async function endUnfitPlans(scope: Scope, target: ReplanTarget): Promise<number> {
  const { tenantId } = scope;
  const { rows } = await sql<{ n: number }>`
    with ended as (
      update maintenance_plans p set status = 'ended', ended_at = now(), updated_at = now(),
        end_reason = case
          when c.archived_at is not null or c.merged_into is not null then 'customer_inactive'
          when not exists (select 1 from plan_cadences k where k.tenant_id = p.tenant_id and k.cadence_key = p.cadence_key)
            then 'cadence_removed'
          else 'tier_changed' end
      from customers c
      where p.tenant_id = ${tenantId} and p.status <> 'ended' and c.tenant_id = ${tenantId} and c.id = p.customer_id
        and ${targetOf(tenantId, target)}
        and (c.archived_at is not null or c.merged_into is not null or not exists (
          select 1 from plan_cadences k
          where k.tenant_id = ${tenantId} and k.cadence_key = p.cadence_key and k.tier = (
            select placement.tier from customer_tiers placement
            where placement.tenant_id = ${tenantId} and placement.customer_id = c.id)))
      returning 1
    )
    select count(*)::int as n from ended
  `.execute(scope.trx);
  return rows[0]?.n ?? 0;
}

/**
 * Gives every active target customer the plans of its tier it lacks: active, or pending when
 * the cadence or the tenant asks for approval. The first occurrence falls within the first
 * interval from `today`, spread by the customer (a rep's customers do not all fall due on one day).
 */
export async function insertMissingPlans(
  scope: Scope,
  target: ReplanTarget,
  today: string,
  pendingSampleSize: number,
): Promise<{ created: number; pending: number; pendingSample: PendingPlan[] }> {
  const { tenantId } = scope;
  const { rows } = await sql<{ created: number; pending: number; sample: PendingPlan[] | null }>`
    with settings as (select plans_require_approval from tenants where id = ${tenantId}),
    created as (
      insert into maintenance_plans (tenant_id, customer_id, cadence_key, tier, status, anchor_on, submitted_at, activated_at)
      select c.tenant_id, c.id, k.cadence_key, k.tier,
        case when a.approval then 'pending' else 'active' end,
        ${today}::date + (mod(mod(hashtext(c.id::text || k.cadence_key)::bigint, a.span) + a.span, a.span))::int,
        case when a.approval then now() end,
        case when a.approval then null else now() end
      from customers c
      join customer_tiers placement on placement.tenant_id = c.tenant_id and placement.customer_id = c.id
      join plan_cadences k on k.tenant_id = c.tenant_id and k.tier = placement.tier
      cross join settings s
      cross join lateral (
        select k.requires_approval or s.plans_require_approval as approval,
          (case k.unit when 'day' then 1 when 'week' then 7 else 30 end) * k.every_count as span
      ) a
      where c.tenant_id = ${tenantId} and c.archived_at is null and c.merged_into is null and ${targetOf(tenantId, target)}
        and not exists (
          select 1 from maintenance_plans p
          where p.tenant_id = ${tenantId} and p.customer_id = c.id and p.cadence_key = k.cadence_key and p.status <> 'ended')
      on conflict do nothing
      returning id, customer_id, cadence_key, status
    )
    select count(*)::int as created, (count(*) filter (where status = 'pending'))::int as pending,
      (select jsonb_agg(jsonb_build_object('planId', x.id, 'customerId', x.customer_id, 'customerName', c.name,
          'ownerUserId', c.owner_user_id, 'title', k.title_zh))
       from (select * from created where status = 'pending' limit ${pendingSampleSize}::int) x
       join customers c on c.tenant_id = ${tenantId} and c.id = x.customer_id
       join plan_cadences k on k.tenant_id = ${tenantId} and k.cadence_key = x.cadence_key) as sample
    from created
  `.execute(scope.trx);
  return {
    created: rows[0]?.created ?? 0,
    pending: rows[0]?.pending ?? 0,
    pendingSample: rows[0]?.sample ?? [],
  };
}

/** A plan that just started waiting for approval, for the approvers' notification. */
export type PendingPlan = {
  planId: string;
  customerId: string;
  customerName: string;
  ownerUserId: string | null;
  title: string;
};

export type TaskSync = {
  added: number;
  moved: number;
  cancelled: number;
  /** `task.created` deliveries the statement queued for the tasks it added. */
  webhookDeliveries: number;
};

/** Why a plan task was cancelled, by the plan's end reason ('rescheduled': the plan goes on, the day does not), per language. */
export type CancelReasons = Record<
  PlanEndReason | 'rescheduled' | 'inactive',
  { 'zh-CN': string; en: string }
>;

/**
 * The occurrences active plans of target customers want from `today` to the tenant's horizon,
 * as one relation (plan, customer, owner, type, titles, due day, occasion key). Shared by the
 * sync below and by nothing else: the preview runs the sync itself and rolls it back.
 */
function desiredOccurrences(tenantId: string, target: ReplanTarget, today: string) {
  return sql`
    horizon as (
      select ${today}::date as first_day, ${today}::date + t.plan_horizon_days as last_day
      from tenants t where t.id = ${tenantId}
    ),
    -- An occurrence on a holiday, a weekend or a company day off is due on the next working day
    -- of the tenant's work calendar (调休 Saturdays count as working days). The occasion key keeps
    -- the occurrence's own day, so a calendar change moves tasks instead of duplicating them.
    -- One lookup per day of the horizon, not per occurrence.
    due_days as materialized (
      select d::date as day, crm_next_working_day(d::date) as due_on
      from horizon h, generate_series(h.first_day, h.last_day, interval '1 day') d
    ),
    desired as materialized (
      select p.id as plan_id, p.customer_id, c.owner_user_id, k.task_type, k.title_zh, k.title_en,
        w.due_on, 'plan:' || p.id || ':' || to_char(o.day, 'YYYY-MM-DD') as source_key
      from maintenance_plans p
      join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
      join plan_cadences k on k.tenant_id = p.tenant_id and k.cadence_key = p.cadence_key
      cross join horizon h
      cross join lateral (
        select case k.unit when 'day' then k.every_count when 'week' then 7 * k.every_count else 0 end as step
      ) s
      -- Occurrences are the anchor plus any whole number of intervals (before the anchor too, so
      -- a shorter interval set later brings the next contact closer): the index at or just
      -- before the horizon's first day, and enough after it.
      cross join lateral (
        select case k.unit
            when 'month' then floor(((extract(year from h.first_day)::int - extract(year from p.anchor_on)::int) * 12
              + extract(month from h.first_day)::int - extract(month from p.anchor_on)::int - 1)::numeric / k.every_count)::int
            else floor((h.first_day - p.anchor_on)::numeric / s.step)::int end as first_n,
          case k.unit
            when 'month' then (h.last_day - h.first_day) / (28 * k.every_count) + 4
            else (h.last_day - h.first_day) / s.step + 2 end as count_n
      ) r
      cross join lateral generate_series(r.first_n, r.first_n + r.count_n) n
      cross join lateral (
        select (case when k.unit = 'month' then p.anchor_on + make_interval(months => n * k.every_count)
          else p.anchor_on + n * s.step end)::date as day
      ) o
      join due_days w on w.day = o.day
      where p.tenant_id = ${tenantId} and p.status = 'active' and c.tenant_id = ${tenantId}
        and ${targetOf(tenantId, target)} and o.day between h.first_day and h.last_day
    )`;
}

/**
 * Brings the open plan tasks due from `today` of target customers in line with their active
 * plans, in one statement: occurrences no plan wants any more are cancelled (with the reason,
 * in the owner's language), kept ones follow the customer's owner (and the due day), missing
 * ones are added — an occasion whose task someone closed is never made again; one the system
 * cancelled earlier (a tier that came back the same day, a cadence set back) opens again.
 * The tasks added are announced (`task.created`) by the same statement.
 */
export async function syncPlanTasks(
  scope: Scope,
  target: ReplanTarget,
  today: string,
  reasons: CancelReasons,
): Promise<TaskSync> {
  const { tenantId } = scope;
  const { rows } = await sql<{ added: number; moved: number; cancelled: number; deliveries: number }>`
    with ${desiredOccurrences(tenantId, target, today)},
    -- The open tasks plans made (a task someone filed as a plan's by hand has no plan: left alone).
    existing as materialized (
      select t.id, t.source_key, t.owner_user_id, t.due_on, p.status as plan_status, p.end_reason
      from tasks t
      join customers c on c.tenant_id = t.tenant_id and c.id = t.customer_id
      join maintenance_plans p on p.tenant_id = t.tenant_id and p.id = t.source_id
      cross join horizon h
      where t.tenant_id = ${tenantId} and t.source = 'plan' and t.status = 'open' and t.due_on >= h.first_day
        and ${targetOf(tenantId, target)}
    ),
    cancelled as (
      update tasks t set status = 'cancelled', closed_at = now(), closed_by = null, updated_at = now(),
        status_reason = ${JSON.stringify(reasons)}::jsonb
          -> (case when e.plan_status = 'ended' then e.end_reason when e.plan_status = 'active' then 'rescheduled'
                else 'inactive' end)
          ->> (case when u.locale = 'en' then 'en' else 'zh-CN' end)
      from existing e
      left join users u on u.id = e.owner_user_id
      where t.tenant_id = ${tenantId} and t.id = e.id
        and not exists (select 1 from desired d where d.source_key = e.source_key)
      returning 1
    ),
    moved as (
      update tasks t set owner_user_id = d.owner_user_id, team_id = m.team_id, due_on = d.due_on, updated_at = now(),
        title = case when u.locale = 'en' then d.title_en else d.title_zh end
      from existing e
      join desired d on d.source_key = e.source_key
      left join users u on u.id = d.owner_user_id
      left join memberships m on m.tenant_id = ${tenantId} and m.user_id = d.owner_user_id
      where t.tenant_id = ${tenantId} and t.id = e.id
        and (e.owner_user_id is distinct from d.owner_user_id or e.due_on <> d.due_on)
      returning 1
    ),
    added as (
      insert into tasks (tenant_id, title, type, customer_id, owner_user_id, team_id, due_on, source, source_id, source_key)
      select ${tenantId}, case when u.locale = 'en' then d.title_en else d.title_zh end, d.task_type, d.customer_id,
        d.owner_user_id, m.team_id, d.due_on, 'plan', d.plan_id, d.source_key
      from desired d
      left join users u on u.id = d.owner_user_id
      left join memberships m on m.tenant_id = ${tenantId} and m.user_id = d.owner_user_id
      where not exists (select 1 from existing e where e.source_key = d.source_key)
      on conflict (tenant_id, source_key) where source_key is not null do update set
        status = 'open', closed_at = null, closed_by = null, status_reason = null, owner_user_id = excluded.owner_user_id,
        team_id = excluded.team_id, due_on = excluded.due_on, title = excluded.title, updated_at = now()
      where tasks.source = 'plan' and tasks.status = 'cancelled' and tasks.closed_by is null
      returning *
    ),
    ${outboxCtes(tenantId, 'task.created', sql`select ${taskPayload('a')} as payload from added a`)}
    select (select count(*) from added)::int as added, (select count(*) from moved)::int as moved,
      (select count(*) from cancelled)::int as cancelled, (select count(*) from outbox_deliveries)::int as deliveries
  `.execute(scope.trx);
  return {
    added: rows[0]?.added ?? 0,
    moved: rows[0]?.moved ?? 0,
    cancelled: rows[0]?.cancelled ?? 0,
    webhookDeliveries: rows[0]?.deliveries ?? 0,
  };
}

/**
 * Runs `work` and undoes everything it wrote (a savepoint rolled back), returning its result:
 * the preview of a re-plan is the re-plan itself.
 */
export async function rolledBack<T>(scope: Scope, work: () => Promise<T>): Promise<T> {
  await sql`savepoint plans_preview`.execute(scope.trx);
  try {
    return await work();
  } finally {
    await sql`rollback to savepoint plans_preview`.execute(scope.trx);
    await sql`release savepoint plans_preview`.execute(scope.trx);
  }
}

/** Serialises re-plans of one tenant until the caller's transaction ends (the daily job against a save). */
export async function lockTenantPlans(scope: Scope): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`plans:${scope.tenantId}`}::text))`.execute(scope.trx);
}

export async function selectPlanSettings(
  scope: Scope,
): Promise<{ requireApproval: boolean; horizonDays: number }> {
  const row = await scope.trx
    .selectFrom('tenants')
    .select(['plans_require_approval', 'plan_horizon_days'])
    .where('id', '=', scope.tenantId)
    .executeTakeFirstOrThrow();
  return { requireApproval: row.plans_require_approval, horizonDays: row.plan_horizon_days };
}

export async function updatePlanSettings(
  scope: Scope,
  values: { requireApproval: boolean; horizonDays: number },
): Promise<void> {
  await scope.trx
    .updateTable('tenants')
    .set({ plans_require_approval: values.requireApproval, plan_horizon_days: values.horizonDays })
    .where('id', '=', scope.tenantId)
    .execute();
}

/** The tenant's active customers, counted up to `cap` + 1. */
export async function countActiveCustomers(scope: Scope, cap: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from customers where tenant_id = ${scope.tenantId} and merged_into is null and archived_at is null
      limit ${cap + 1}::int
    ) c`.execute(scope.trx);
  return rows[0]?.n ?? 0;
}

export type PlanRow = {
  id: string;
  customerId: string;
  customerName: string;
  ownerUserId: string | null;
  ownerName: string | null;
  cadenceKey: string;
  tier: string;
  status: PlanStatus;
  anchorOn: string;
  goals: string[];
  submittedAt: Date | null;
  activatedAt: Date | null;
  decidedAt: Date | null;
  decidedByName: string | null;
  decisionComment: string | null;
  endedAt: Date | null;
  endReason: PlanEndReason | null;
};

function planColumns() {
  return sql`p.id, p.customer_id as "customerId", c.name as "customerName", c.owner_user_id as "ownerUserId",
    owner.name as "ownerName", p.cadence_key as "cadenceKey", p.tier, p.status, to_char(p.anchor_on, 'YYYY-MM-DD') as "anchorOn",
    p.goals, p.submitted_at as "submittedAt", p.activated_at as "activatedAt", p.decided_at as "decidedAt",
    decider.name as "decidedByName", p.decision_comment as "decisionComment", p.ended_at as "endedAt",
    p.end_reason as "endReason"`;
}

/** A visible customer's open plans and its latest ended ones (newest first after the open). */
export async function selectCustomerPlans(
  scope: Scope,
  customerId: string,
  endedLimit = 5,
): Promise<PlanRow[]> {
  const { rows } = await sql<PlanRow>`
    select ${planColumns()}
    from maintenance_plans p
    join customers on customers.tenant_id = p.tenant_id and customers.id = p.customer_id
    join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
    left join users owner on owner.id = c.owner_user_id
    left join users decider on decider.id = p.decided_by
    where p.tenant_id = ${scope.tenantId} and p.customer_id = ${customerId}
      and ${visibleCustomer(scope.access)}
      and (p.status <> 'ended' or p.id in (
        select e.id from maintenance_plans e
        where e.tenant_id = ${scope.tenantId} and e.customer_id = ${customerId} and e.status = 'ended'
        order by e.ended_at desc limit ${endedLimit}::int))
    order by (p.status = 'ended'), p.ended_at desc nulls first, p.created_at, p.id
  `.execute(scope.trx);
  return rows;
}

/** The next open tasks of these plans, up to `perPlan` each, soonest first. */
export async function selectNextOccurrences(
  scope: Scope,
  planIds: readonly string[],
  perPlan: number,
): Promise<Array<{ planId: string; taskId: string; dueOn: string; title: string; type: TaskType }>> {
  if (planIds.length === 0) return [];
  const { rows } = await sql<{
    planId: string;
    taskId: string;
    dueOn: string;
    title: string;
    type: TaskType;
  }>`
    select x."planId", x."taskId", x."dueOn", x.title, x.type from (
      select t.source_id as "planId", t.id as "taskId", to_char(t.due_on, 'YYYY-MM-DD') as "dueOn", t.title, t.type,
        row_number() over (partition by t.source_id order by t.due_on, t.id) as n
      from tasks t
      where t.tenant_id = ${scope.tenantId} and t.source = 'plan' and t.source_id = any(${[...planIds]}::uuid[])
        and t.status = 'open'
    ) x where x.n <= ${perPlan}::int
    order by x."planId", x."dueOn"
  `.execute(scope.trx);
  return rows;
}

/** Plans waiting for approval whose customers the member sees, oldest first (keyset on submitted time, id). */
export async function selectPendingPlans(
  scope: Scope,
  limit: number,
  after: { submittedAt: string; id: string } | null,
): Promise<Array<PlanRow & { submittedAtText: string }>> {
  const { rows } = await sql<PlanRow & { submittedAtText: string }>`
    select ${planColumns()}, p.submitted_at::text as "submittedAtText"
    from maintenance_plans p
    join customers on customers.tenant_id = p.tenant_id and customers.id = p.customer_id
    join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
    left join users owner on owner.id = c.owner_user_id
    left join users decider on decider.id = p.decided_by
    where p.tenant_id = ${scope.tenantId} and p.status = 'pending' and ${visibleCustomer(scope.access)}
      ${after ? sql`and (p.submitted_at, p.id) > (${after.submittedAt}::timestamptz, ${after.id}::uuid)` : sql``}
    order by p.submitted_at, p.id
    limit ${limit}::int
  `.execute(scope.trx);
  return rows;
}

export async function countPendingPlans(scope: Scope): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n
    from maintenance_plans p
    join customers on customers.tenant_id = p.tenant_id and customers.id = p.customer_id
    where p.tenant_id = ${scope.tenantId} and p.status = 'pending' and ${visibleCustomer(scope.access)}
  `.execute(scope.trx);
  return rows[0]?.n ?? 0;
}

/**
 * Moves a visible plan from one of `from` to `to`, recording the decision and its comment;
 * returns the plan's customer, or undefined when no visible plan in such a status has that id.
 */
export async function decidePlan(
  scope: Scope,
  planId: string,
  from: readonly PlanStatus[],
  to: PlanStatus,
  action: PlanDecisionAction,
  comment: string | null,
): Promise<
  { customerId: string; customerName: string; ownerUserId: string | null; title: string } | undefined
> {
  const { rows } = await sql<{
    customerId: string;
    customerName: string;
    ownerUserId: string | null;
    title: string;
  }>`
    with decided as (
      update maintenance_plans p set status = ${to}, updated_at = now(),
        submitted_at = case when ${to} = 'pending' then now() else p.submitted_at end,
        activated_at = case when ${to} = 'active' then now() else p.activated_at end,
        decided_by = case when ${action} = 'submit' then p.decided_by else ${scope.userId}::uuid end,
        decided_at = case when ${action} = 'submit' then p.decided_at else now() end,
        decision_comment = case when ${action} = 'submit' then p.decision_comment else ${comment}::text end
      from customers
      where p.tenant_id = ${scope.tenantId} and p.id = ${planId} and p.status = any(${[...from]}::text[])
        and customers.tenant_id = p.tenant_id and customers.id = p.customer_id and ${visibleCustomer(scope.access)}
      returning p.id, p.customer_id, p.cadence_key, customers.name, customers.owner_user_id
    ),
    recorded as (
      insert into plan_decisions (tenant_id, plan_id, action, comment, decided_by)
      select ${scope.tenantId}, d.id, ${action}, ${comment}::text, ${scope.userId}::uuid from decided d
      returning 1
    )
    select d.customer_id as "customerId", d.name as "customerName", d.owner_user_id as "ownerUserId",
      coalesce(k.title_zh, d.cadence_key) as title, (select count(*) from recorded) as n
    from decided d
    left join plan_cadences k on k.tenant_id = ${scope.tenantId} and k.cadence_key = d.cadence_key
  `.execute(scope.trx);
  return rows[0];
}

/** Sets a visible open plan's own goals; whether there was one. */
export async function updatePlanGoals(
  scope: Scope,
  planId: string,
  goals: readonly string[],
): Promise<boolean> {
  const result = await sql`
    update maintenance_plans p set goals = ${JSON.stringify(goals)}::jsonb, updated_at = now()
    from customers
    where p.tenant_id = ${scope.tenantId} and p.id = ${planId} and p.status <> 'ended'
      and customers.tenant_id = p.tenant_id and customers.id = p.customer_id and ${visibleCustomer(scope.access)}
  `.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** A plan's decisions, oldest first. */
export async function selectDecisions(
  scope: Scope,
  planIds: readonly string[],
): Promise<
  Array<{
    planId: string;
    action: PlanDecisionAction;
    comment: string | null;
    byName: string | null;
    at: Date;
  }>
> {
  if (planIds.length === 0) return [];
  const { rows } = await sql<{
    planId: string;
    action: PlanDecisionAction;
    comment: string | null;
    byName: string | null;
    at: Date;
  }>`
    select d.plan_id as "planId", d.action, d.comment, u.name as "byName", d.decided_at as at
    from plan_decisions d left join users u on u.id = d.decided_by
    where d.tenant_id = ${scope.tenantId} and d.plan_id = any(${[...planIds]}::uuid[])
    order by d.decided_at, d.id
  `.execute(scope.trx);
  return rows;
}

/** The members who decide plans of these customers: managers of the owner's team, admins and owners. */
export async function selectApprovers(scope: Scope, customerIds: readonly string[]): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const { rows } = await sql<{ userId: string }>`
    select distinct m.user_id as "userId"
    from memberships m
    where m.tenant_id = ${scope.tenantId} and (m.role in ('admin', 'owner') or (m.role = 'sales_manager' and (
      m.team_id in (
        select o.team_id from customers c join memberships o on o.tenant_id = c.tenant_id and o.user_id = c.owner_user_id
        where c.tenant_id = ${scope.tenantId} and c.id = any(${[...customerIds]}::uuid[])))))
  `.execute(scope.trx);
  return rows.map((row) => row.userId);
}

/** A visible plan's status (undefined: none with that id that the member sees). */
export async function selectPlanStatus(scope: Scope, planId: string): Promise<PlanStatus | undefined> {
  const { rows } = await sql<{ status: PlanStatus }>`
    select p.status from maintenance_plans p
    join customers on customers.tenant_id = p.tenant_id and customers.id = p.customer_id
    where p.tenant_id = ${scope.tenantId} and p.id = ${planId} and ${visibleCustomer(scope.access)}
  `.execute(scope.trx);
  return rows[0]?.status;
}

/** A user's name (for notifications). */
export async function selectMemberName(scope: Scope, userId: string): Promise<string | null> {
  const row = await scope.trx.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst();
  return row?.name ?? null;
}
