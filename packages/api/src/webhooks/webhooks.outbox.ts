import { type RawBuilder, sql } from 'kysely';

/**
 * The outbox write as SQL, for a statement that changes rows and announces them at once (a
 * re-tier of a million customers writes its `tier.changed` events in the same statement, with
 * no row passing through Node). `payloads` is a query with one `payload` jsonb column per
 * event; the CTEs insert the events and one delivery per active endpoint subscribed to `type`
 * — nothing at all when no endpoint wants it. Names: `outbox_targets`, `outbox_events`,
 * `outbox_deliveries` (count the last for the deliveries queued); a statement that announces
 * events of two or three types names the others with another `prefix` (`task_outbox_deliveries` …).
 */
export function outboxCtes(
  tenantId: string,
  type: string,
  payloads: RawBuilder<unknown>,
  prefix: 'outbox' | 'task_outbox' | 'task_done_outbox' = 'outbox',
): RawBuilder<unknown> {
  const targets = sql.id(`${prefix}_targets`);
  const events = sql.id(`${prefix}_events`);
  const deliveries = sql.id(`${prefix}_deliveries`);
  return sql`${targets} as (
      select id from webhook_endpoints
      where tenant_id = ${tenantId} and status = 'active' and ${type} = any(events)
    ), ${events} as (
      insert into webhook_events (tenant_id, type, payload)
      select ${tenantId}, ${type}, p.payload from (${payloads}) p
      where exists (select 1 from ${targets})
      returning id
    ), ${deliveries} as (
      insert into webhook_deliveries (tenant_id, endpoint_id, event_id)
      select ${tenantId}, ${targets}.id, ${events}.id from ${targets}, ${events}
      returning 1
    )`;
}
