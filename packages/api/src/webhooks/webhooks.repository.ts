import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../scope';
import { outboxCtes } from './webhooks.outbox';
import type { DeliveryOutput, WebhookEndpointOutput } from './webhooks.schemas';

/** Every query of webhooks: endpoints, the outbox, deliveries and their log. Scope first. */

type EndpointRow = {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  status: 'active' | 'disabled';
  disabled_reason: 'failures' | 'gone' | 'manual' | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  succeeded: string | number;
  failed: string | number;
  pending: string | number;
};

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function toEndpoint(row: EndpointRow): WebhookEndpointOutput {
  const overlap = row.previous_secret_expires_at && new Date(row.previous_secret_expires_at) > new Date();
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    status: row.status,
    disabledReason: row.disabled_reason,
    disabledAt: iso(row.disabled_at),
    consecutiveFailures: row.consecutive_failures,
    previousSecretExpiresAt: overlap ? iso(row.previous_secret_expires_at) : null,
    createdAt: iso(row.created_at) as string,
    stats: { succeeded: Number(row.succeeded), failed: Number(row.failed), pending: Number(row.pending) },
  };
}

export async function selectEndpoints(scope: Scope, id?: string): Promise<WebhookEndpointOutput[]> {
  const { rows } = await sql<EndpointRow>`
    select e.id, e.url, e.description, e.events, e.status, e.disabled_reason, e.disabled_at,
      e.consecutive_failures, e.previous_secret_expires_at, e.created_at,
      coalesce(s.succeeded, 0) as succeeded, coalesce(s.failed, 0) as failed, coalesce(s.pending, 0) as pending
    from webhook_endpoints e
    left join lateral (
      select count(*) filter (where d.status = 'succeeded') as succeeded,
        count(*) filter (where d.status = 'failed') as failed,
        count(*) filter (where d.status = 'pending') as pending
      from webhook_deliveries d
      where d.tenant_id = e.tenant_id and d.endpoint_id = e.id and d.created_at > now() - interval '24 hours'
    ) s on true
    where e.tenant_id = ${scope.tenantId} ${id ? sql`and e.id = ${id}` : sql``}
    order by e.created_at desc, e.id`.execute(scope.trx);
  return rows.map(toEndpoint);
}

export async function insertEndpoint(
  scope: Scope,
  values: { id: string; url: string; description: string | null; events: string[]; secretCipher: string },
): Promise<void> {
  await scope.trx
    .insertInto('webhook_endpoints')
    .values({
      tenant_id: scope.tenantId,
      id: values.id,
      url: values.url,
      description: values.description,
      events: values.events,
      secret_cipher: values.secretCipher,
      created_by: scope.userId,
    })
    .execute();
}

/** Whether the endpoint exists (and was changed). */
export async function updateEndpointRow(
  scope: Scope,
  id: string,
  changes: { url?: string; description?: string | null; events?: string[]; enabled?: boolean },
): Promise<boolean> {
  const result = await scope.trx
    .updateTable('webhook_endpoints')
    .set({
      ...(changes.url !== undefined && { url: changes.url }),
      ...(changes.description !== undefined && { description: changes.description }),
      ...(changes.events !== undefined && { events: changes.events }),
      ...(changes.enabled === true && {
        status: 'active' as const,
        disabled_reason: null,
        disabled_at: null,
        consecutive_failures: 0,
      }),
      ...(changes.enabled === false && {
        status: 'disabled' as const,
        disabled_reason: 'manual' as const,
        disabled_at: sql<Date>`now()`,
      }),
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteEndpointRow(scope: Scope, id: string): Promise<boolean> {
  const result = await scope.trx
    .deleteFrom('webhook_endpoints')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function rotateSecretRow(
  scope: Scope,
  id: string,
  secretCipher: string,
  overlapHours: number,
): Promise<boolean> {
  const result = await scope.trx
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      previous_secret_cipher: eb.ref('secret_cipher'),
      previous_secret_expires_at: sql<Date>`now() + make_interval(hours => ${overlapHours})`,
      secret_cipher: secretCipher,
      updated_at: sql<Date>`now()`,
    }))
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * The outbox write: the event and one delivery per active endpoint subscribed to its type, in
 * one statement on the caller's transaction — nothing at all when no endpoint wants it (an
 * event nobody receives is not kept). How many deliveries were queued.
 */
export async function insertEvent(
  scope: Scope,
  type: string,
  payload: unknown,
  onlyEndpointId: string | null = null,
): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    with targets as (
      select id from webhook_endpoints
      where tenant_id = ${scope.tenantId} and status = 'active'
        and ${onlyEndpointId === null ? sql`${type} = any(events)` : sql`id = ${onlyEndpointId}`}
    ), event as (
      insert into webhook_events (tenant_id, type, payload)
      select ${scope.tenantId}, ${type}, ${JSON.stringify(payload)}::jsonb
      where exists (select 1 from targets)
      returning id
    ), deliveries as (
      insert into webhook_deliveries (tenant_id, endpoint_id, event_id)
      select ${scope.tenantId}, targets.id, event.id from targets, event
      returning 1
    )
    select count(*) as n from deliveries`.execute(scope.trx);
  return Number(rows[0]?.n ?? 0);
}

/** The outbox write for many events of one type at once (imports, bulk changes): one statement. */
export async function insertEvents(
  scope: Scope,
  type: string,
  payloads: readonly unknown[],
): Promise<number> {
  if (payloads.length === 0) return 0;
  return insertEventsFrom(
    scope,
    type,
    sql`select value as payload from jsonb_array_elements(${JSON.stringify(payloads)}::jsonb)`,
  );
}

/**
 * The outbox write for events whose payloads a query builds in the database (one `payload`
 * jsonb column per event), one statement: the rows a change touched, announced without
 * passing through Node. How many deliveries were queued.
 */
export async function insertEventsFrom(
  scope: Scope,
  type: string,
  payloads: RawBuilder<unknown>,
): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    with ${outboxCtes(scope.tenantId, type, payloads)}
    select count(*) as n from outbox_deliveries`.execute(scope.trx);
  return Number(rows[0]?.n ?? 0);
}

export type ClaimedDelivery = {
  id: string;
  endpoint_id: string;
  event_id: string;
  attempts: number;
  type: string;
  payload: unknown;
  event_created_at: Date;
  url: string;
  secret_cipher: string;
  previous_secret_cipher: string | null;
  previous_secret_expires_at: Date | null;
};

/**
 * Claims due deliveries of active endpoints (committed before any is sent): each is leased
 * for `leaseSeconds` and counts an attempt. A worker killed mid-batch loses nothing: its
 * claims lapse and are claimed again.
 */
export async function claimDueDeliveries(
  scope: Scope,
  options: { limit: number; leaseSeconds: number },
): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<ClaimedDelivery>`
    with due as (
      select d.id from webhook_deliveries d
      join webhook_endpoints e on e.tenant_id = d.tenant_id and e.id = d.endpoint_id
      where d.tenant_id = ${scope.tenantId} and d.status = 'pending' and d.next_attempt_at <= now()
        and (d.locked_until is null or d.locked_until <= clock_timestamp())
        and e.status = 'active'
      order by d.next_attempt_at, d.id
      limit ${options.limit}
      for update of d skip locked
    ), claimed as (
      update webhook_deliveries d
      set locked_until = clock_timestamp() + make_interval(secs => ${options.leaseSeconds}), attempts = d.attempts + 1
      from due where d.tenant_id = ${scope.tenantId} and d.id = due.id
      returning d.id, d.endpoint_id, d.event_id, d.attempts
    )
    select c.id, c.endpoint_id, c.event_id, c.attempts, ev.type, ev.payload, ev.created_at as event_created_at,
      e.url, e.secret_cipher, e.previous_secret_cipher, e.previous_secret_expires_at
    from claimed c
    join webhook_events ev on ev.tenant_id = ${scope.tenantId} and ev.id = c.event_id
    join webhook_endpoints e on e.tenant_id = ${scope.tenantId} and e.id = c.endpoint_id
    order by ev.created_at, c.id`.execute(scope.trx);
  return rows;
}

export async function hasDueDelivery(scope: Scope): Promise<boolean> {
  const { rows } = await sql<{ due: boolean }>`
    select exists (
      select 1 from webhook_deliveries
      where tenant_id = ${scope.tenantId} and status = 'pending' and next_attempt_at <= now()
    ) as due`.execute(scope.trx);
  return rows[0]?.due === true;
}

export type AttemptOutcome = {
  id: string;
  endpointId: string;
  eventId: string;
  attempt: number;
  ok: boolean;
  gone: boolean;
  /** Handed back unsent (its endpoint answered 410 meanwhile): no attempt counted or logged. */
  skipped: boolean;
  statusCode: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
  /** Null: no further attempt (delivered, or given up). */
  retryInMs: number | null;
};

/**
 * Records a batch's outcomes in one statement: each delivery's status and next attempt, an
 * attempt row per outcome (the log), and each endpoint's run of failures — disabled after
 * `disableAfter` failures in a row, or at once on a 410. A skipped delivery is only handed back
 * (its lease and its attempt undone). The endpoints disabled by this batch.
 */
export async function recordOutcomes(
  scope: Scope,
  outcomes: readonly AttemptOutcome[],
  disableAfter: number,
): Promise<{ id: string; url: string; reason: 'failures' | 'gone' }[]> {
  if (outcomes.length === 0) return [];
  const { rows } = await sql<{ id: string; url: string; reason: 'failures' | 'gone' }>`
    with o as (
      select * from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as o(
        id uuid, "endpointId" uuid, "eventId" uuid, attempt int, ok boolean, gone boolean, skipped boolean,
        "statusCode" int, "latencyMs" int, excerpt text, error text, "retryInMs" bigint)
    ), skipped as (
      update webhook_deliveries d set locked_until = null, attempts = greatest(d.attempts - 1, 0)
      from o where o.skipped and d.tenant_id = ${scope.tenantId} and d.id = o.id
      returning d.id
    ), sent as (
      select * from o where not o.skipped
    ), deliveries as (
      update webhook_deliveries d set
        status = case when o.ok then 'succeeded' when o."retryInMs" is null then 'failed' else 'pending' end,
        next_attempt_at = case when o."retryInMs" is null then d.next_attempt_at
          else clock_timestamp() + make_interval(secs => o."retryInMs" / 1000.0) end,
        locked_until = null,
        last_status = o."statusCode",
        last_latency_ms = o."latencyMs",
        last_error = left(o.error, 500),
        finished_at = case when o.ok or o."retryInMs" is null then clock_timestamp() end
      from sent o where d.tenant_id = ${scope.tenantId} and d.id = o.id
      returning d.id
    ), attempts as (
      insert into webhook_attempts (tenant_id, delivery_id, endpoint_id, event_id, attempt, status_code,
        latency_ms, response_excerpt, error)
      select ${scope.tenantId}, o.id, o."endpointId", o."eventId", o.attempt, o."statusCode", o."latencyMs",
        left(o.excerpt, 1000), left(o.error, 500)
      from sent o
      returning 1
    ), per_endpoint as (
      select "endpointId" as id, bool_or(ok) as any_ok, bool_or(gone) as gone,
        count(*) filter (where not ok) as failures
      from sent group by "endpointId"
    ), endpoints as (
      update webhook_endpoints e set
        consecutive_failures = case when p.any_ok then 0 else e.consecutive_failures + p.failures end,
        status = case when p.gone or (not p.any_ok and e.consecutive_failures + p.failures >= ${disableAfter})
          then 'disabled' else e.status end,
        disabled_reason = case when e.status = 'disabled' then e.disabled_reason
          when p.gone then 'gone'
          when not p.any_ok and e.consecutive_failures + p.failures >= ${disableAfter} then 'failures'
          else e.disabled_reason end,
        disabled_at = case when e.status = 'active' and (p.gone or (not p.any_ok
          and e.consecutive_failures + p.failures >= ${disableAfter})) then clock_timestamp() else e.disabled_at end
      from per_endpoint p
      where e.tenant_id = ${scope.tenantId} and e.id = p.id
      returning e.id, e.url, e.status, e.disabled_reason,
        (e.disabled_at is not null and e.disabled_at >= now()) as newly
    )
    select id, url, disabled_reason as reason from endpoints
    where status = 'disabled' and newly`.execute(scope.trx);
  return rows;
}

/** Owners and admins of the tenant (told when an endpoint is disabled). */
export async function selectAdminIds(scope: Scope): Promise<string[]> {
  const rows = await scope.trx
    .selectFrom('memberships')
    .select('user_id')
    .where('tenant_id', '=', scope.tenantId)
    .where('role', 'in', ['owner', 'admin'])
    .execute();
  return rows.map((row) => row.user_id);
}

type DeliveryRow = {
  id: string;
  event_id: string;
  type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
  payload: unknown;
  log: {
    attempt: number;
    attempted_at: string;
    status_code: number | null;
    latency_ms: number;
    response_excerpt: string | null;
    error: string | null;
  }[];
};

/** An endpoint's deliveries, newest first, each with its attempts (keyset on created_at, id). */
export async function selectDeliveries(
  scope: Scope,
  input: {
    endpointId: string;
    status?: string | null;
    after: { at: string; id: string } | null;
    limit: number;
  },
  deliveryId: string | null = null,
): Promise<{ items: DeliveryOutput[]; cursorAts: string[] }> {
  const { rows } = await sql<DeliveryRow & { cursor_at: string }>`
    select to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at,
      d.id, d.event_id, ev.type, d.status, d.attempts, d.next_attempt_at, d.last_status,
      d.last_latency_ms, d.last_error, d.created_at, d.finished_at,
      jsonb_build_object('type', ev.type, 'timestamp', ev.created_at, 'data', ev.payload) as payload,
      coalesce((
        select jsonb_agg(jsonb_build_object('attempt', a.attempt, 'attempted_at', a.attempted_at,
          'status_code', a.status_code, 'latency_ms', a.latency_ms, 'response_excerpt', a.response_excerpt,
          'error', a.error) order by a.attempted_at desc)
        from webhook_attempts a where a.tenant_id = d.tenant_id and a.delivery_id = d.id
      ), '[]'::jsonb) as log
    from webhook_deliveries d
    join webhook_events ev on ev.tenant_id = d.tenant_id and ev.id = d.event_id
    where d.tenant_id = ${scope.tenantId}
      ${deliveryId ? sql`and d.id = ${deliveryId}` : sql`and d.endpoint_id = ${input.endpointId}`}
      ${input.status ? sql`and d.status = ${input.status}` : sql``}
      ${input.after ? sql`and (d.created_at, d.id) < (${input.after.at}::timestamptz, ${input.after.id}::uuid)` : sql``}
    order by d.created_at desc, d.id desc
    limit ${input.limit}`.execute(scope.trx);
  const items = rows.map((row) => ({
    id: row.id,
    eventId: row.event_id,
    eventType: row.type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatus: row.last_status,
    lastLatencyMs: row.last_latency_ms,
    lastError: row.last_error,
    createdAt: iso(row.created_at) as string,
    finishedAt: iso(row.finished_at),
    payload: row.payload,
    log: row.log.map((entry) => ({
      attempt: entry.attempt,
      attemptedAt: new Date(entry.attempted_at).toISOString(),
      statusCode: entry.status_code,
      latencyMs: entry.latency_ms,
      responseExcerpt: entry.response_excerpt,
      error: entry.error,
    })),
  }));
  return { items, cursorAts: rows.map((row) => row.cursor_at) };
}

/** Queues a delivery again, now (its webhook-id stays the event's). Whether there was one. */
export async function requeueDelivery(scope: Scope, id: string): Promise<boolean> {
  const result = await scope.trx
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: sql<Date>`now()`, locked_until: null, finished_at: null })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deliveries and events finished longer ago than `days` (the log is kept that long). */
export async function pruneDeliveries(scope: Scope, days: number): Promise<void> {
  await sql`
    delete from webhook_events ev
    where ev.tenant_id = ${scope.tenantId} and ev.created_at < now() - make_interval(days => ${days})
      and not exists (
        select 1 from webhook_deliveries d
        where d.tenant_id = ev.tenant_id and d.event_id = ev.id and d.status = 'pending'
      )`.execute(scope.trx);
}
