import { type RawBuilder, sql } from 'kysely';

/**
 * The outbox write as SQL, for a statement that changes rows and announces them at once (a
 * re-tier of a million customers writes its `tier.changed` events in the same statement, with
 * no row passing through Node). `payloads` is a query with one `payload` jsonb column per
 * event; the CTEs insert the events and one delivery per active endpoint subscribed to `type`
 * — nothing at all when no endpoint wants it. Names: `outbox_targets`, `outbox_events`,
 * `outbox_deliveries` (count the last for the deliveries queued).
 */
export function outboxCtes(
  tenantId: string,
  type: string,
  payloads: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`outbox_targets as (
      select id from webhook_endpoints
      where tenant_id = ${tenantId} and status = 'active' and ${type} = any(events)
    ), outbox_events as (
      insert into webhook_events (tenant_id, type, payload)
      select ${tenantId}, ${type}, p.payload from (${payloads}) p
      where exists (select 1 from outbox_targets)
      returning id
    ), outbox_deliveries as (
      insert into webhook_deliveries (tenant_id, endpoint_id, event_id)
      select ${tenantId}, outbox_targets.id, outbox_events.id from outbox_targets, outbox_events
      returning 1
    )`;
}
