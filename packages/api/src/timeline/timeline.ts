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
      and (a.action <> 'create' or a.entity in ('customer', 'contact'))`,
});

registerTimelineSource({
  kind: 'lifecycle',
  select: (tenantId, customerId) => sql`
    select l.id, l.changed_at as occurred_at, null::uuid as actor_user_id,
      jsonb_build_object('from', l.from_stage, 'to', l.to_stage, 'reason', l.reason) as data
    from lifecycle_changes l where l.tenant_id = ${tenantId} and l.customer_id = ${customerId}`,
});

/** Newest first, keyset-paged; the caller has already checked the customer is visible. */
export async function readTimeline(
  trx: Transaction<Database>,
  tenantId: string,
  customerId: string,
  limit: number,
  cursor: string | null | undefined,
) {
  const union = sql.join(
    [...sources.values()].map(
      (source) =>
        sql`select ${source.kind}::text as kind, s.* from (${source.select(tenantId, customerId)}) s`,
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
