import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../scope';

/**
 * Every query of the timeline: the registered sources of its entries and the one query that
 * merges them. Functions take the scope first and return rows; paging and the shape of an
 * entry are the service's.
 */

/**
 * A source of timeline entries: a SQL select of (id, occurred_at, actor_user_id, data) for
 * one customer. Capabilities register their own (tier changes, tasks, tickets, surveys);
 * the timeline merges whatever is registered in one query.
 */
export type TimelineSource = {
  kind: string;
  select(tenantId: string, customerId: string): RawBuilder<unknown>;
};

const sources = new Map<string, TimelineSource>();

export function registerTimelineSource(source: TimelineSource): void {
  if (sources.has(source.kind)) throw new Error(`Timeline source ${source.kind} is registered twice`);
  sources.set(source.kind, source);
}

registerTimelineSource({
  kind: 'order',
  select: (tenantId, customerId) => sql`
    select o.id, o.ordered_at as occurred_at, o.created_by as actor_user_id,
      jsonb_build_object('orderNumber', o.order_number, 'amount', o.amount::text, 'currency', o.currency,
        'status', o.status, 'voidReason', o.void_reason) as data
    from orders o where o.tenant_id = ${tenantId} and o.customer_id = ${customerId}`,
});

registerTimelineSource({
  kind: 'interaction',
  select: (tenantId, customerId) => sql`
    select i.id, i.occurred_at, i.user_id as actor_user_id,
      jsonb_build_object('kind', i.kind, 'summary', i.summary, 'outcome', i.outcome, 'nextStep', i.next_step,
        'nextStepDue', i.next_step_due, 'sentiment', i.sentiment) as data
    from interactions i where i.tenant_id = ${tenantId} and i.customer_id = ${customerId}`,
});

registerTimelineSource({
  kind: 'note',
  // A note (备注), e.g. brought by an import: dated when it was written, by whom.
  select: (tenantId, customerId) => sql`
    select n.id, n.created_at as occurred_at, n.created_by as actor_user_id,
      jsonb_build_object('body', n.body, 'imported', n.import_run_id is not null) as data
    from customer_notes n where n.tenant_id = ${tenantId} and n.customer_id = ${customerId}`,
});

registerTimelineSource({
  kind: 'change',
  // Orders and interactions appear as themselves when created; later edits show as changes.
  select: (tenantId, customerId) => sql`
    select a.id, a.occurred_at, a.actor_user_id,
      jsonb_build_object('entity', a.entity, 'entityId', a.entity_id, 'action', a.action, 'changes', a.changes) as data
    from audit_log a
    where a.tenant_id = ${tenantId} and a.customer_id = ${customerId}
      and (a.action <> 'create' or a.entity in ('customer', 'contact'))
      and a.action not in ('merge', 'unmerge', 'create_anyway')
      -- An order, interaction or contact moved by a merge (or its undo) is not an edit.
      and not (a.action = 'update' and jsonb_exists(a.changes, 'customer_id')
        and a.changes - 'customer_id' - 'is_primary' = '{}'::jsonb)`,
});

registerTimelineSource({
  kind: 'createAnyway',
  // 仍然新建: created although the identity rule named an existing customer, and why.
  select: (tenantId, customerId) => sql`
    select a.id, a.occurred_at, a.actor_user_id, a.changes as data
    from audit_log a
    where a.tenant_id = ${tenantId} and a.customer_id = ${customerId} and a.action = 'create_anyway'`,
});

registerTimelineSource({
  kind: 'lifecycle',
  select: (tenantId, customerId) => sql`
    select l.id, l.changed_at as occurred_at, null::uuid as actor_user_id,
      jsonb_build_object('from', l.from_stage, 'to', l.to_stage, 'reason', l.reason) as data
    from lifecycle_changes l where l.tenant_id = ${tenantId} and l.customer_id = ${customerId}`,
});

registerTimelineSource({
  kind: 'tier',
  // Moves between tiers (客户分层) by a re-tier: from (null: first placement), to, score, why.
  select: (tenantId, customerId) => sql`
    select h.id, h.changed_at as occurred_at, h.changed_by as actor_user_id,
      jsonb_build_object('from', h.from_tier, 'to', h.to_tier, 'score', h.score::text, 'reason', h.reason,
        'settingsVersion', h.settings_version) as data
    from tier_history h where h.tenant_id = ${tenantId} and h.customer_id = ${customerId}`,
});

registerTimelineSource({
  kind: 'merge',
  // A merge into this customer, and its undoing as a second entry.
  select: (tenantId, customerId) => sql`
    select cm.id, cm.merged_at as occurred_at, cm.merged_by as actor_user_id,
      jsonb_build_object('mergeId', cm.id, 'mergedId', cm.merged_id, 'mergedName', cm.merged_before ->> 'name',
        'undoneAt', cm.undone_at, 'undoUntil', case when cm.undone_at is null then cm.merged_at + interval '30 days' end,
        'orders', jsonb_array_length(cm.moved -> 'orders'), 'interactions', jsonb_array_length(cm.moved -> 'interactions'),
        'contacts', jsonb_array_length(cm.moved -> 'contacts'), 'fields', cm.moved -> 'columns') as data
    from customer_merges cm where cm.tenant_id = ${tenantId} and cm.survivor_id = ${customerId}
    union all
    select a.id, a.occurred_at, a.actor_user_id,
      jsonb_build_object('mergeId', a.changes ->> 'mergeId', 'mergedId', a.changes ->> 'mergedId',
        'mergedName', a.changes ->> 'mergedName', 'undone', true) as data
    from audit_log a
    where a.tenant_id = ${tenantId} and a.customer_id = ${customerId} and a.action = 'unmerge'`,
});

registerTimelineSource({
  kind: 'task',
  // Tasks (任务) about the customer: when one was set by a person or a rule (plans, reminders
  // and 下一步 generate many ahead, and a 下一步 already shows on its interaction), and when
  // one was done. The same task's two entries differ in time, so the keyset stays unique.
  select: (tenantId, customerId) => sql`
    select t.id, t.created_at as occurred_at, t.created_by as actor_user_id,
      jsonb_build_object('event', 'created', 'title', t.title, 'type', t.type, 'dueOn', t.due_on,
        'source', t.source, 'status', t.status) as data
    from tasks t
    where t.tenant_id = ${tenantId} and t.customer_id = ${customerId} and t.source in ('manual', 'rule')
    union all
    select t.id, t.closed_at as occurred_at, t.closed_by as actor_user_id,
      jsonb_build_object('event', 'done', 'title', t.title, 'type', t.type, 'dueOn', t.due_on,
        'source', t.source, 'status', t.status, 'interactionId', t.interaction_id) as data
    from tasks t
    where t.tenant_id = ${tenantId} and t.customer_id = ${customerId} and t.status = 'done'`,
});

registerTimelineSource({
  kind: 'plan',
  // Maintenance plans (维护计划): started (active, or submitted for approval), approved or
  // rejected (with the comment), ended (and why). Cadence names in both languages.
  select: (tenantId, customerId) => sql`
    select p.id, p.created_at as occurred_at, null::uuid as actor_user_id,
      jsonb_build_object('event', case when p.submitted_at is not null then 'submitted' else 'started' end,
        'cadence', p.cadence_key, 'zh', pc.title_zh, 'en', pc.title_en, 'tier', p.tier) as data
    from maintenance_plans p
    left join plan_cadences pc on pc.tenant_id = p.tenant_id and pc.cadence_key = p.cadence_key
    where p.tenant_id = ${tenantId} and p.customer_id = ${customerId}
    union all
    select d.id, d.decided_at as occurred_at, d.decided_by as actor_user_id,
      jsonb_build_object('event', d.action, 'comment', d.comment,
        'cadence', p.cadence_key, 'zh', pc.title_zh, 'en', pc.title_en, 'tier', p.tier) as data
    from plan_decisions d
    join maintenance_plans p on p.tenant_id = d.tenant_id and p.id = d.plan_id
    left join plan_cadences pc on pc.tenant_id = p.tenant_id and pc.cadence_key = p.cadence_key
    where d.tenant_id = ${tenantId} and p.customer_id = ${customerId} and d.action <> 'submit'
    union all
    select p.id, p.ended_at as occurred_at, null::uuid as actor_user_id,
      jsonb_build_object('event', 'ended', 'reason', p.end_reason,
        'cadence', p.cadence_key, 'zh', pc.title_zh, 'en', pc.title_en, 'tier', p.tier) as data
    from maintenance_plans p
    left join plan_cadences pc on pc.tenant_id = p.tenant_id and pc.cadence_key = p.cadence_key
    where p.tenant_id = ${tenantId} and p.customer_id = ${customerId} and p.ended_at is not null`,
});

registerTimelineSource({
  kind: 'referral',
  // 转介绍: on the referrer's timeline whom it referred (and when the reward was granted); on
  // the referred customer's (or the customer its lead became) who referred it.
  select: (tenantId, customerId) => sql`
    select r.id, r.created_at as occurred_at, r.created_by as actor_user_id,
      jsonb_build_object('event', 'referred', 'name', coalesce(c.name, l.company_name, l.person_name),
        'rewardKind', r.reward_kind, 'rewardValue', r.reward_value::text, 'status', r.status) as data
    from referrals r
    left join customers c on c.tenant_id = r.tenant_id and c.id = r.referred_customer_id
    left join leads l on l.tenant_id = r.tenant_id and l.id = r.referred_lead_id
    where r.tenant_id = ${tenantId} and r.referrer_customer_id = ${customerId}
    union all
    select r.id, r.rewarded_at as occurred_at, null::uuid as actor_user_id,
      jsonb_build_object('event', 'rewarded', 'name', coalesce(c.name, l.company_name, l.person_name),
        'rewardKind', r.reward_kind, 'rewardValue', r.reward_value::text, 'status', r.status) as data
    from referrals r
    left join customers c on c.tenant_id = r.tenant_id and c.id = r.referred_customer_id
    left join leads l on l.tenant_id = r.tenant_id and l.id = r.referred_lead_id
    where r.tenant_id = ${tenantId} and r.referrer_customer_id = ${customerId} and r.rewarded_at is not null
    union all
    select r.id, r.created_at + interval '1 millisecond' as occurred_at, r.created_by as actor_user_id,
      jsonb_build_object('event', 'referredBy', 'name', referrer.name, 'referrerId', r.referrer_customer_id,
        'status', r.status) as data
    from referrals r
    join customers referrer on referrer.tenant_id = r.tenant_id and referrer.id = r.referrer_customer_id
    left join leads l on l.tenant_id = r.tenant_id and l.id = r.referred_lead_id
    where r.tenant_id = ${tenantId} and r.status <> 'cancelled'
      and (r.referred_customer_id = ${customerId} or l.converted_customer_id = ${customerId})`,
});

registerTimelineSource({
  kind: 'points',
  // 成长值: each ledger entry (earned from an order, a referral bonus, adjusted, redeemed, expired).
  select: (tenantId, customerId) => sql`
    select p.id, p.created_at as occurred_at, p.created_by as actor_user_id,
      jsonb_build_object('kind', p.kind, 'points', p.points, 'reason', p.reason, 'orderId', p.order_id) as data
    from loyalty_points p where p.tenant_id = ${tenantId} and p.customer_id = ${customerId}`,
});

/**
 * The customer and the customers merged into it (and into those), whose histories its
 * timeline shows: at most 50, newest merges first.
 */
export async function selectHistoryOwners(scope: Scope, customerId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive owners (id, depth) as (
      select ${customerId}::uuid, 0
      union
      select c.id, o.depth + 1 from owners o
      join customers c on c.tenant_id = ${scope.tenantId} and c.merged_into = o.id
      where o.depth < 10
    )
    select id from owners limit 50`.execute(scope.trx);
  return rows.map((row) => row.id);
}

export type TimelineRow = {
  kind: string;
  id: string;
  occurred_at: Date;
  sort_key: string;
  actor_name: string | null;
  data: Record<string, unknown>;
};

/**
 * Up to `limit` entries after the cursor, newest first, from every registered source for the
 * customer and for each customer merged into it (marked with where it came from).
 */
export async function selectTimelineRows(
  scope: Scope,
  customerId: string,
  owners: readonly string[],
  after: { timestamp: string; id: string } | null,
  limit: number,
): Promise<TimelineRow[]> {
  const tenantId = scope.tenantId;
  const union = sql.join(
    owners.flatMap((owner) =>
      [...sources.values()]
        .filter((source) => owner === customerId || source.kind !== 'merge')
        .map(
          (source) =>
            sql`select ${source.kind}::text as kind, s.id, s.occurred_at, s.actor_user_id,
              ${owner === customerId ? sql`s.data` : sql`s.data || jsonb_build_object('mergedFrom', ${owner}::text)`} as data
              from (${source.select(tenantId, owner)}) s`,
        ),
    ),
    sql` union all `,
  );
  const where = after
    ? sql`where (t.occurred_at, t.id) < (${after.timestamp}::text::timestamptz, ${after.id}::uuid)`
    : sql``;
  const { rows } = await sql<TimelineRow>`
    select t.kind, t.id, t.occurred_at, t.occurred_at::text as sort_key, u.name as actor_name, t.data
    from (${union}) t
    left join users u on u.id = t.actor_user_id
    ${where}
    order by t.occurred_at desc, t.id desc
    limit ${limit}`.execute(scope.trx);
  return rows;
}

registerTimelineSource({
  kind: 'pool',
  // 公海 moves: assigned by a rule, claimed, released (with the reason), recycled (the rule's
  // days), given from the pool by a manager — from whom, to whom.
  select: (tenantId, customerId) => sql`
    select pm.id, pm.occurred_at, pm.actor_user_id,
      jsonb_build_object('kind', pm.kind, 'reason', pm.reason, 'note', pm.note,
        'from', (select u.name from users u where u.id = pm.from_user_id),
        'to', (select u.name from users u where u.id = pm.to_user_id),
        'actor', (select u.name from users u where u.id = pm.actor_user_id),
        'team', (select t.name from teams t where t.tenant_id = pm.tenant_id and t.id = pm.team_id),
        'rule', (select r.name from assignment_rules r where r.tenant_id = pm.tenant_id and r.id = pm.rule_id),
        'days', pm.data -> 'days', 'toPool', pm.data -> 'toPool') as data
    from pool_moves pm where pm.tenant_id = ${tenantId} and pm.customer_id = ${customerId}`,
});
