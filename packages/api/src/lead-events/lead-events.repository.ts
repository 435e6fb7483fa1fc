import type { LeadActivity } from '@crm/plugin-sdk';
import { CompiledQuery, type RawBuilder, sql } from 'kysely';
import { visibleLead } from '../customers/access';
import type { Scope } from '../scope';

/**
 * Every query of behaviour events: appending them (attributed through the lead to its contact
 * and customer), a lead's events, and the re-grade job's watermark. Events are append-only:
 * nothing here updates or deletes one (the app role may not).
 */

export type EventKind = Exclude<LeadActivity, 'any_activity'>;

export type NewEvent = {
  kind: EventKind;
  leadId: string;
  campaignId: string | null;
  formId?: string | null;
  targetUrl?: string | null;
  details?: Record<string, unknown>;
  /** Same key in the tenant: recorded once (`null`: always recorded). */
  dedupKey: string | null;
  occurredAt?: Date;
};

/** Seconds after which a re-grade request that no run has taken is asked again (a lost or failed run). */
export const REGRADE_REQUEST_STALE_SECONDS = 60;

/**
 * What recording events asks of the re-grade: `requested` — these are the first events since
 * the last run took the tenant's request, so the caller queues the next run (in its
 * transaction); `stale` — a request waits past REGRADE_REQUEST_STALE_SECONDS with no run
 * taking it (its job was lost or failed for good): ask again; `pending` — a run is already
 * asked for and will see these events; null — nothing was recorded.
 */
export type RegradeRequest = 'requested' | 'stale' | 'pending' | null;

export type InsertEventsRow = { count: number; requested: boolean; stale: boolean | null };

/*
 * The statement's text is the same for every call (the events travel as one JSON parameter):
 * written once, sent as a prepared statement, never compiled again. $1 the events, $2 the
 * tenant, $3 the key of the tenant's request lock (shared by events, exclusive by the run
 * taking the request), $4 REGRADE_REQUEST_STALE_SECONDS.
 */
const INSERT_EVENTS = `
  with input as (
    select * from jsonb_to_recordset($1::jsonb) as r(
      kind text, lead_id uuid, campaign_id uuid, form_id uuid, target_url text, details jsonb,
      dedup_key text, occurred_at timestamptz)
  ), inserted as (
    insert into lead_events (tenant_id, lead_id, contact_id, customer_id, campaign_id, form_id, kind,
      occurred_at, target_url, details, dedup_key)
    select l.tenant_id, l.id, l.converted_contact_id, l.converted_customer_id, c.id, f.id, i.kind,
      i.occurred_at, i.target_url, i.details, i.dedup_key
    from input i
    join leads l on l.tenant_id = $2 and l.id = i.lead_id
    left join campaigns c on c.tenant_id = $2 and c.id = i.campaign_id
    left join lead_forms f on f.tenant_id = $2 and f.id = i.form_id
    on conflict (tenant_id, dedup_key) where dedup_key is not null do nothing
    returning 1
  ), locked as (
    select pg_advisory_xact_lock_shared(hashtextextended($3, 0)) as done
    where exists (select 1 from inserted)
  ), requested as (
    -- Read after the lock (its only source): a run taking the request waits for this transaction.
    insert into lead_regrade_requests (tenant_id)
    select $2::uuid from locked
    on conflict (tenant_id) do nothing
    returning 1
  )
  select (select count(*) from inserted)::int as count, exists (select 1 from requested) as requested,
    (select r.requested_at < now() - make_interval(secs => $4)
      from lead_regrade_requests r where r.tenant_id = $2) as stale`;

/** The advisory lock key of a tenant's re-grade requests (shared by events, exclusive by the run taking them). */
function requestLock(tenantId: string): RawBuilder<unknown> {
  return sql`hashtextextended(${requestLockKey(tenantId)}, 0)`;
}

function requestLockKey(tenantId: string): string {
  return `lead-regrade:${tenantId}`;
}

/**
 * Appends events and marks the tenant for its event-driven re-grade, in one statement (its
 * rows read by `readInsertedEvents`). A lead that does not exist in the tenant records nothing,
 * a campaign or form that no longer exists is left out, and a `dedupKey` already recorded is
 * skipped. The statement holds the tenant's request lock shared until its transaction ends,
 * so the run taking the request (`takeRegradeRequest`) waits for every transaction that saw
 * the request before it reads their events. A public door sends it with its transaction's
 * opening (`CrmDatabase.withTenantFirst`).
 */
export function insertEventsQuery(
  tenantId: string,
  events: readonly NewEvent[],
): CompiledQuery<InsertEventsRow> {
  const rows = JSON.stringify(
    events.map((event) => ({
      kind: event.kind,
      lead_id: event.leadId,
      campaign_id: event.campaignId,
      form_id: event.formId ?? null,
      target_url: event.targetUrl ?? null,
      details: event.details ?? {},
      dedup_key: event.dedupKey,
      occurred_at: (event.occurredAt ?? new Date()).toISOString(),
    })),
  );
  return CompiledQuery.raw(INSERT_EVENTS, [
    rows,
    tenantId,
    requestLockKey(tenantId),
    REGRADE_REQUEST_STALE_SECONDS,
  ]) as CompiledQuery<InsertEventsRow>;
}

/** How many events the statement recorded, and what the re-grade needs (RegradeRequest). */
export function readInsertedEvents(row: InsertEventsRow | undefined): {
  recorded: number;
  regrade: RegradeRequest;
} {
  const recorded = row?.count ?? 0;
  if (recorded === 0) return { recorded, regrade: null };
  return { recorded, regrade: row?.requested ? 'requested' : row?.stale ? 'stale' : 'pending' };
}

/** `insertEventsQuery` in the caller's transaction. */
export async function insertEvents(
  scope: Scope,
  events: readonly NewEvent[],
): Promise<{ recorded: number; regrade: RegradeRequest }> {
  if (events.length === 0) return { recorded: 0, regrade: null };
  const result = await scope.trx.executeQuery(insertEventsQuery(scope.tenantId, events));
  return readInsertedEvents(result.rows[0]);
}

/**
 * Asks again for a re-grade whose request went stale: the request's time is renewed (so one
 * transaction in a minute asks, not every one). Whether this transaction renewed it.
 */
export async function renewStaleRegradeRequest(scope: Scope): Promise<boolean> {
  const result = await sql`
    update lead_regrade_requests set requested_at = now()
    where tenant_id = ${scope.tenantId}
      and requested_at < now() - make_interval(secs => ${REGRADE_REQUEST_STALE_SECONDS})`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/**
 * Removes the tenant's re-grade request once every transaction that saw it has ended: each
 * holds the request lock shared, this waits for it exclusively (lock held to the end of the
 * caller's transaction).
 */
export async function deleteRegradeRequest(scope: Scope): Promise<void> {
  await sql`select pg_advisory_xact_lock(${requestLock(scope.tenantId)})`.execute(scope.trx);
  await sql`delete from lead_regrade_requests where tenant_id = ${scope.tenantId}`.execute(scope.trx);
}

export type EventRow = {
  id: string;
  /** The time as exact text (the keyset cursor's key). */
  sort_key: string;
  kind: EventKind;
  occurred_at: Date;
  campaign_id: string | null;
  campaign_name: string | null;
  form_id: string | null;
  form_name: string | null;
  target_url: string | null;
  details: Record<string, unknown>;
};

/** A lead's events, newest first, before a (time, id) cursor. */
export async function selectLeadEvents(
  scope: Scope,
  leadId: string,
  before: { timestamp: string; id: string } | null,
  limit: number,
): Promise<EventRow[]> {
  const cursor: RawBuilder<unknown> = before
    ? sql`and (e.occurred_at, e.id) < (${before.timestamp}::timestamptz, ${before.id}::uuid)`
    : sql``;
  const result = await sql<EventRow>`
    select e.id, e.occurred_at::text as sort_key, e.kind, e.occurred_at, e.campaign_id, c.name as campaign_name, e.form_id, f.name as form_name,
      e.target_url, e.details
    from lead_events e
    left join campaigns c on c.tenant_id = e.tenant_id and c.id = e.campaign_id
    left join lead_forms f on f.tenant_id = e.tenant_id and f.id = e.form_id
    where e.tenant_id = ${scope.tenantId} and e.lead_id = ${leadId} ${cursor}
    order by e.occurred_at desc, e.id desc
    limit ${limit}`.execute(scope.trx);
  return result.rows;
}

/** Whether the actor sees the lead (record-level access: `visibleLead`). */
export async function leadIsVisible(scope: Scope, leadId: string): Promise<boolean> {
  const result = await sql<{ id: string }>`
    select leads.id from leads
    where leads.tenant_id = ${scope.tenantId} and leads.id = ${leadId} and ${visibleLead(scope.access)}`.execute(
    scope.trx,
  );
  return result.rows.length > 0;
}

/** The re-grade job's watermark: the last event sequence number it looked at ('0' before the first run). */
export async function readWatermark(scope: Scope): Promise<string> {
  const result = await sql<{ last_seq: string }>`
    select last_seq::text from lead_event_watermarks where tenant_id = ${scope.tenantId}`.execute(scope.trx);
  return result.rows[0]?.last_seq ?? '0';
}

/** Moves the watermark to the tenant's newest event (never back). */
export async function advanceWatermark(scope: Scope): Promise<void> {
  await sql`
    insert into lead_event_watermarks (tenant_id, last_seq, updated_at)
    select ${scope.tenantId}, coalesce(max(seq), 0), now() from lead_events where tenant_id = ${scope.tenantId}
    on conflict (tenant_id) do update
      set last_seq = greatest(lead_event_watermarks.last_seq, excluded.last_seq), updated_at = now()`.execute(
    scope.trx,
  );
}
