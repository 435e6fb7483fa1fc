/**
 * BM7 — maintenance plans (维护计划) of the big tenant (1,000,000 customers at scale 1, the
 * retail profile's cadences: monthly visits and quarterly reviews for 头部, an online follow-up
 * every 2 weeks for 腰部, a weekly content push for 长尾, a win-back every 3 months for 沉睡)
 * through the product's path (`replanCustomers`, the statements the daily job, a save and every
 * change run) against the physical limit measured in the same run: hand-written INSERT … SELECT
 * statements writing the same rows (plans, then their next-quarter tasks, due days moved to
 * working days, titles in the owner's language, the owner's team).
 *
 * - generation from scratch: no plan yet; every active customer gets its tier's plans and
 *   their occurrences in the next 90 days become tasks;
 * - re-plan after 1 % of the customers change tier (the re-tier's change, stamped as it
 *   stamps it): their plans end, the new tier's start, their future tasks are cancelled and
 *   added. Both sides find the moved customers the same way (`customer_tiers.changed_at = now()`).
 *
 * Tiers are given by a hash of the id (10 % 头部, 40 % 腰部, 40 % 长尾, 10 % 沉睡) so the
 * benchmark does not depend on BM4 having run. Everything happens in one transaction that is
 * rolled back; each side of a pair starts from the same state (savepoints).
 */
import { jobScope, replanCustomers, syncTenantCadences } from '@crm/api';
import { type Database, openDatabase, sql, type Transaction } from '@crm/db';
import retail from '@crm/plugin-retail';
import { defaultSettingsOf } from '@crm/plugin-sdk';
import type { Dataset } from './generate';
import { type BenchResult, log, round } from './harness';

const TODAY = '2026-03-02';
const HORIZON_DAYS = 90;

class Rollback extends Error {}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

/**
 * What a developer writes for these rows by hand: plans for the customers, then their
 * occurrences (the anchor lies within the first interval from today, so occurrences are the
 * anchor plus 0, 1, 2 … intervals) as tasks, due on the next working day.
 */
async function handWrittenGeneration(trx: Transaction<Database>, tenantId: string, who: string) {
  const plans = await sql`
    insert into maintenance_plans (tenant_id, customer_id, cadence_key, tier, status, anchor_on, activated_at)
    select c.tenant_id, c.id, k.cadence_key, k.tier, 'active',
      ${TODAY}::date + (mod(mod(hashtext(c.id::text || k.cadence_key)::bigint, s.span) + s.span, s.span))::int, now()
    from customers c
    join customer_tiers ct on ct.tenant_id = c.tenant_id and ct.customer_id = c.id
    join plan_cadences k on k.tenant_id = c.tenant_id and k.tier = ct.tier
    cross join lateral (select (case k.unit when 'day' then 1 when 'week' then 7 else 30 end) * k.every_count as span) s
    where c.tenant_id = ${tenantId} and c.archived_at is null and c.merged_into is null and ${sql.raw(who)}`.execute(
    trx,
  );
  const tasks = await handWrittenTasks(trx, tenantId, who);
  return { plans: Number(plans.numAffectedRows ?? 0), tasks };
}

async function handWrittenTasks(trx: Transaction<Database>, tenantId: string, who: string) {
  const result = await sql`
    with due_days as (
      select d::date as day, crm_next_working_day(d::date) as due_on
      from generate_series(${TODAY}::date, ${TODAY}::date + ${HORIZON_DAYS}::int, interval '1 day') d
    )
    insert into tasks (tenant_id, title, type, customer_id, owner_user_id, team_id, due_on, source, source_id, source_key)
    select p.tenant_id, case when u.locale = 'en' then k.title_en else k.title_zh end, k.task_type, p.customer_id,
      c.owner_user_id, m.team_id, w.due_on, 'plan', p.id, 'plan:' || p.id || ':' || to_char(o.day, 'YYYY-MM-DD')
    from maintenance_plans p
    join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
    join plan_cadences k on k.tenant_id = p.tenant_id and k.cadence_key = p.cadence_key
    left join users u on u.id = c.owner_user_id
    left join memberships m on m.tenant_id = p.tenant_id and m.user_id = c.owner_user_id
    cross join lateral generate_series(0, case k.unit when 'month' then 3 when 'week' then 13 / k.every_count + 1
      else ${HORIZON_DAYS}::int / k.every_count + 1 end) n
    cross join lateral (select (case k.unit when 'month' then p.anchor_on + make_interval(months => n * k.every_count)
      when 'week' then p.anchor_on + n * 7 * k.every_count else p.anchor_on + n * k.every_count end)::date as day) o
    join due_days w on w.day = o.day
    where p.tenant_id = ${tenantId} and p.status = 'active' and ${sql.raw(who)}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** By hand, for the moved customers: end their plans, cancel their future tasks, start and schedule the new tier's. */
async function handWrittenReplan(trx: Transaction<Database>, tenantId: string) {
  const moved = `c.id in (select m.customer_id from customer_tiers m where m.tenant_id = '${tenantId}' and m.changed_at = now())`;
  const ended = await sql`
    with ended as (
      update maintenance_plans p set status = 'ended', ended_at = now(), end_reason = 'tier_changed', updated_at = now()
      from customers c
      join customer_tiers ct on ct.tenant_id = c.tenant_id and ct.customer_id = c.id
      where p.tenant_id = ${tenantId} and p.status <> 'ended' and c.tenant_id = ${tenantId} and c.id = p.customer_id
        and ${sql.raw(moved)} and p.tier <> ct.tier
      returning p.id
    ),
    cancelled as (
      update tasks t set status = 'cancelled', closed_at = now(), status_reason = '客户层级已变，改按新层级的维护计划',
        updated_at = now()
      from ended e
      where t.tenant_id = ${tenantId} and t.source = 'plan' and t.source_id = e.id and t.status = 'open'
        and t.due_on >= ${TODAY}::date
      returning 1
    )
    select (select count(*) from ended)::int as ended, (select count(*) from cancelled)::int as cancelled`.execute(
    trx,
  );
  const plans = await sql`
    insert into maintenance_plans (tenant_id, customer_id, cadence_key, tier, status, anchor_on, activated_at)
    select c.tenant_id, c.id, k.cadence_key, k.tier, 'active',
      ${TODAY}::date + (mod(mod(hashtext(c.id::text || k.cadence_key)::bigint, s.span) + s.span, s.span))::int, now()
    from customers c
    join customer_tiers ct on ct.tenant_id = c.tenant_id and ct.customer_id = c.id
    join plan_cadences k on k.tenant_id = c.tenant_id and k.tier = ct.tier
    cross join lateral (select (case k.unit when 'day' then 1 when 'week' then 7 else 30 end) * k.every_count as span) s
    where c.tenant_id = ${tenantId} and c.archived_at is null and c.merged_into is null and ${sql.raw(moved)}
      and not exists (select 1 from maintenance_plans p where p.tenant_id = c.tenant_id and p.customer_id = c.id
        and p.cadence_key = k.cadence_key and p.status <> 'ended')`.execute(trx);
  const tasks = await handWrittenTasks(
    trx,
    tenantId,
    `${moved} and not exists (select 1 from tasks x where x.tenant_id = p.tenant_id and x.source_id = p.id)`,
  );
  const row = ended.rows[0] as { ended: number; cancelled: number } | undefined;
  return {
    ended: row?.ended ?? 0,
    cancelled: row?.cancelled ?? 0,
    plans: Number(plans.numAffectedRows ?? 0),
    tasks,
  };
}

export async function runBm7(dataset: Dataset): Promise<BenchResult[]> {
  const database = await openDatabase({ databaseUrl: dataset.appUrl, maxConnections: 2 });
  const tenantId = dataset.tenantId;
  const results: BenchResult[] = [];
  try {
    await database.withTenant(
      tenantId,
      async (trx) => {
        await sql`set local statement_timeout = 0`.execute(trx);
        const scope = jobScope(trx, tenantId);
        await syncTenantCadences(scope, retail, defaultSettingsOf(retail));
        await sql`update tenants set plans_require_approval = false, plan_horizon_days = ${HORIZON_DAYS} where id = ${tenantId}`.execute(
          trx,
        );
        // Tiers by a hash of the id; stamped a day ago, so only the 1 % change below is "now".
        await sql`delete from customer_tiers where tenant_id = ${tenantId}`.execute(trx);
        await sql`insert into customer_tiers (tenant_id, customer_id, tier, explanation, changed_at)
          select tenant_id, id, case
            when abs(hashtext(id::text)) % 10 = 0 then 'retail_head'
            when abs(hashtext(id::text)) % 10 < 5 then 'retail_waist'
            when abs(hashtext(id::text)) % 10 < 9 then 'retail_long_tail'
            else 'retail_dormant' end, '{}', now() - interval '1 day'
          from customers where tenant_id = ${tenantId}`.execute(trx);
        await sql`analyze customers`.execute(trx);
        await sql`analyze customer_tiers`.execute(trx);
        const { rows: counted } = await sql<{ n: number }>`
          select count(*)::int as n from customers
          where tenant_id = ${tenantId} and archived_at is null and merged_into is null`.execute(trx);
        const customers = counted[0]?.n ?? 0;
        log(
          `BM7: ${customers} active customers, cadences of retail, next ${HORIZON_DAYS} days from ${TODAY}\n`,
        );

        // 1. Generation from scratch.
        await sql`savepoint bm7_generate`.execute(trx);
        const bareGeneration = await timed(() => handWrittenGeneration(trx, tenantId, 'true'));
        await sql`rollback to savepoint bm7_generate`.execute(trx);
        const product = await timed(() => replanCustomers(scope, 'all', { today: TODAY }));
        log(
          `BM7 generation: product ${product.seconds.toFixed(2)} s (${product.value.plansCreated} plans, ${product.value.tasksAdded} tasks), hand-written ${bareGeneration.seconds.toFixed(2)} s (${bareGeneration.value.plans} plans, ${bareGeneration.value.tasks} tasks)\n`,
        );
        if (
          product.value.plansCreated !== bareGeneration.value.plans ||
          product.value.tasksAdded !== bareGeneration.value.tasks
        )
          throw new Error('BM7: the two sides did not write the same rows');
        const generationRatio = bareGeneration.seconds / product.seconds;
        results.push({
          id: 'BM7 plan generation from scratch',
          metric: `s, ${product.value.plansCreated} plans + ${product.value.tasksAdded} tasks`,
          project: round(product.seconds, 2),
          limit: round(bareGeneration.seconds, 2),
          ratio: round(generationRatio, 3),
          target: '≥ 0.8',
          met: generationRatio >= 0.8,
        });

        // 2. 1 % of the customers change tier (head ↔ waist, long tail ↔ dormant).
        await sql`update customer_tiers set tier = case tier
            when 'retail_head' then 'retail_waist' when 'retail_waist' then 'retail_head'
            when 'retail_long_tail' then 'retail_dormant' else 'retail_long_tail' end,
          changed_at = now()
          where tenant_id = ${tenantId} and abs(hashtext(customer_id::text || 'bm7')) % 100 = 0`.execute(trx);
        await sql`savepoint bm7_replan`.execute(trx);
        const bareReplan = await timed(() => handWrittenReplan(trx, tenantId));
        await sql`rollback to savepoint bm7_replan`.execute(trx);
        const replan = await timed(() => replanCustomers(scope, 'changed_now', { today: TODAY }));
        log(
          `BM7 re-plan after 1 %: product ${replan.seconds.toFixed(2)} s (${JSON.stringify(replan.value)}), hand-written ${bareReplan.seconds.toFixed(2)} s (${JSON.stringify(bareReplan.value)})\n`,
        );
        if (
          replan.value.plansEnded !== bareReplan.value.ended ||
          replan.value.plansCreated !== bareReplan.value.plans ||
          replan.value.tasksCancelled !== bareReplan.value.cancelled ||
          replan.value.tasksAdded !== bareReplan.value.tasks
        )
          throw new Error('BM7: the two re-plans did not write the same rows');
        const replanRatio = bareReplan.seconds / replan.seconds;
        results.push({
          id: 'BM7 re-plan after 1 % change tier',
          metric: `s, ${replan.value.plansEnded} plans ended, ${replan.value.tasksAdded} tasks added`,
          project: round(replan.seconds, 3),
          limit: round(bareReplan.seconds, 3),
          ratio: round(replanRatio, 3),
          target: '≥ 0.8',
          met: replanRatio >= 0.8,
        });
        throw new Rollback();
      },
      dataset.adminUserId,
    );
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    await database.close();
  }
  return results;
}
