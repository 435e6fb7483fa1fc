import type { Database, Transaction } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';

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

export const timelineEntryOutput = z.object({
  kind: z.string(),
  id: z.uuid(),
  occurredAt: z.string(),
  actorName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEntry = z.infer<typeof timelineEntryOutput>;

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
  kind: 'change',
  // Orders and interactions appear as themselves when created; later edits show as changes.
  select: (tenantId, customerId) => sql`
    select a.id, a.occurred_at, a.actor_user_id,
      jsonb_build_object('entity', a.entity, 'entityId', a.entity_id, 'action', a.action, 'changes', a.changes) as data
    from audit_log a
    where a.tenant_id = ${tenantId} and a.customer_id = ${customerId}
      and (a.action <> 'create' or a.entity in ('customer', 'contact'))
      and a.action not in ('merge', 'unmerge')
      -- An order, interaction or contact moved by a merge (or its undo) is not an edit.
      and not (a.action = 'update' and jsonb_exists(a.changes, 'customer_id')
        and a.changes - 'customer_id' - 'is_primary' = '{}'::jsonb)`,
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

/**
 * The customer and the customers merged into it (and into those), whose histories its
 * timeline shows: at most 50, newest merges first.
 */
async function historyOwners(trx: Transaction<Database>, tenantId: string, customerId: string) {
  const { rows } = await sql<{ id: string }>`
    with recursive owners (id, depth) as (
      select ${customerId}::uuid, 0
      union
      select c.id, o.depth + 1 from owners o
      join customers c on c.tenant_id = ${tenantId} and c.merged_into = o.id
      where o.depth < 10
    )
    select id from owners limit 50`.execute(trx);
  return rows.map((row) => row.id);
}

/** Newest first, keyset-paged; the caller has already checked the customer is visible. */
export async function readTimeline(
  trx: Transaction<Database>,
  tenantId: string,
  customerId: string,
  limit: number,
  cursor: string | null | undefined,
) {
  // A merged customer's history stays on the survivor's timeline, marked with where it came from.
  const owners = await historyOwners(trx, tenantId, customerId);
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
  const after = cursor
    ? (() => {
        const { timestamp, id } = decodeTimestampCursor(cursor);
        return sql`where (t.occurred_at, t.id) < (${timestamp}::text::timestamptz, ${id}::uuid)`;
      })()
    : sql``;
  const { rows } = await sql<{
    kind: string;
    id: string;
    occurred_at: Date;
    sort_key: string;
    actor_name: string | null;
    data: Record<string, unknown>;
  }>`
    select t.kind, t.id, t.occurred_at, t.occurred_at::text as sort_key, u.name as actor_name, t.data
    from (${union}) t
    left join users u on u.id = t.actor_user_id
    ${after}
    order by t.occurred_at desc, t.id desc
    limit ${limit + 1}`.execute(trx);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      kind: row.kind,
      id: row.id,
      occurredAt: row.occurred_at.toISOString(),
      actorName: row.actor_name,
      data: row.data,
    })),
    nextCursor: rows.length > limit && last ? encodeTimestampCursor(last.sort_key, last.id) : null,
  };
}
