import { sql } from 'kysely';
import type { Scope } from '../scope';
import type { WecomBindingOutput, WecomMessageOutput } from './wecom.schemas';

/** Every query of the 企业微信 robot: settings, members' bindings, the outbox. Scope first. */

export async function selectSettings(scope: Scope) {
  return scope.trx
    .selectFrom('wecom_settings')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .executeTakeFirst();
}

export async function upsertSettings(
  scope: Scope,
  values: {
    robotUrlCipher?: string | null;
    robotUrlHint?: string | null;
    enabled: boolean;
    events: string[];
  },
): Promise<void> {
  const url =
    values.robotUrlCipher === undefined
      ? {}
      : { robot_url_cipher: values.robotUrlCipher, robot_url_hint: values.robotUrlHint ?? null };
  await scope.trx
    .insertInto('wecom_settings')
    .values({
      tenant_id: scope.tenantId,
      ...url,
      enabled: values.enabled,
      events: values.events,
      updated_by: scope.userId,
    })
    .onConflict((conflict) =>
      conflict.column('tenant_id').doUpdateSet({
        ...url,
        enabled: values.enabled,
        events: values.events,
        updated_by: scope.userId,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

export async function selectBindings(scope: Scope): Promise<WecomBindingOutput[]> {
  const rows = await scope.trx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('wecom_bindings as b', (join) =>
      join.onRef('b.tenant_id', '=', 'm.tenant_id').onRef('b.user_id', '=', 'm.user_id'),
    )
    .select(['m.user_id', 'u.name', 'u.email', 'b.wecom_user_id'])
    .where('m.tenant_id', '=', scope.tenantId)
    .orderBy('u.name')
    .execute();
  return rows.map((row) => ({
    userId: row.user_id,
    name: row.name,
    email: row.email,
    wecomUserId: row.wecom_user_id,
  }));
}

/** Whether the member exists in the tenant (and the binding was saved or removed). */
export async function saveBinding(
  scope: Scope,
  userId: string,
  wecomUserId: string | null,
): Promise<boolean> {
  const member = await scope.trx
    .selectFrom('memberships')
    .select('user_id')
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!member) return false;
  if (wecomUserId === null) {
    await scope.trx
      .deleteFrom('wecom_bindings')
      .where('tenant_id', '=', scope.tenantId)
      .where('user_id', '=', userId)
      .execute();
    return true;
  }
  await scope.trx
    .insertInto('wecom_bindings')
    .values({ tenant_id: scope.tenantId, user_id: userId, wecom_user_id: wecomUserId })
    .onConflict((conflict) =>
      conflict
        .columns(['tenant_id', 'user_id'])
        .doUpdateSet({ wecom_user_id: wecomUserId, updated_at: sql<Date>`now()` }),
    )
    .execute();
  return true;
}

/**
 * Robot messages for the events the tenant switched on, in one statement: each draft whose
 * event is enabled (and the robot connected) becomes a row, its recipients' WeCom ids as
 * mentions. How many were queued.
 */
export async function insertMessages(
  scope: Scope,
  drafts: readonly { event: string; markdown: string; userIds: string[] }[],
): Promise<number> {
  if (drafts.length === 0) return 0;
  const { rows } = await sql<{ n: string }>`
    with d as (
      select * from jsonb_to_recordset(${JSON.stringify(drafts)}::jsonb) as d(event text, markdown text, "userIds" uuid[])
    ), inserted as (
      insert into wecom_outbox (tenant_id, event, markdown, mentions)
      select ${scope.tenantId}, d.event, left(d.markdown, 4096),
        coalesce((select array_agg(b.wecom_user_id order by b.wecom_user_id) from wecom_bindings b
          where b.tenant_id = ${scope.tenantId} and b.user_id = any(d."userIds")), '{}')
      from d
      join wecom_settings s on s.tenant_id = ${scope.tenantId}
      where s.enabled and s.robot_url_cipher is not null and d.event = any(s.events)
      returning 1
    )
    select count(*) as n from inserted`.execute(scope.trx);
  return Number(rows[0]?.n ?? 0);
}

/** A message regardless of the switches (the settings page's 发送测试). */
export async function insertTestMessage(scope: Scope, markdown: string): Promise<void> {
  await scope.trx
    .insertInto('wecom_outbox')
    .values({ tenant_id: scope.tenantId, event: 'test', markdown })
    .execute();
}

export type ClaimedMessage = { id: string; markdown: string; mentions: string[]; attempts: number };

/**
 * Claims due messages within the robot's per-minute budget: `perMinute` less the attempts of
 * the last 60 seconds. A transaction-scoped advisory lock per tenant makes two drains count
 * one after the other, so together they never exceed the budget.
 */
export async function claimDueMessages(scope: Scope, perMinute: number): Promise<ClaimedMessage[]> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`wecom:${scope.tenantId}`}, 0))`.execute(
    scope.trx,
  );
  const { rows } = await sql<ClaimedMessage>`
    with budget as (
      select greatest(${perMinute} - count(*), 0) as n from wecom_outbox
      where tenant_id = ${scope.tenantId} and last_attempt_at > clock_timestamp() - interval '60 seconds'
    ), due as (
      select id from wecom_outbox
      where tenant_id = ${scope.tenantId} and status = 'pending' and next_attempt_at <= now()
        and (locked_until is null or locked_until <= clock_timestamp())
      order by next_attempt_at, id limit (select n from budget)
      for update skip locked
    ), claimed as (
      update wecom_outbox o set locked_until = clock_timestamp() + interval '60 seconds',
        last_attempt_at = clock_timestamp(), attempts = o.attempts + 1
      from due where o.tenant_id = ${scope.tenantId} and o.id = due.id
      returning o.id, o.markdown, o.mentions, o.attempts, o.created_at
    )
    select id, markdown, mentions, attempts from claimed order by created_at, id`.execute(scope.trx);
  return rows;
}

export async function recordMessageOutcomes(
  scope: Scope,
  outcomes: readonly { id: string; ok: boolean; error: string | null; retryInSeconds: number | null }[],
): Promise<void> {
  if (outcomes.length === 0) return;
  await sql`
    update wecom_outbox o set
      status = case when x.ok then 'sent' when x."retryInSeconds" is null then 'failed' else 'pending' end,
      sent_at = case when x.ok then clock_timestamp() end,
      next_attempt_at = case when x."retryInSeconds" is null then o.next_attempt_at
        else clock_timestamp() + make_interval(secs => x."retryInSeconds") end,
      locked_until = null,
      last_error = left(x.error, 500)
    from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as x(id uuid, ok boolean, error text, "retryInSeconds" int)
    where o.tenant_id = ${scope.tenantId} and o.id = x.id`.execute(scope.trx);
}

export async function hasDueMessage(scope: Scope): Promise<boolean> {
  const row = await scope.trx
    .selectFrom('wecom_outbox')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', sql<Date>`now()`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function selectRecentMessages(scope: Scope, limit: number): Promise<WecomMessageOutput[]> {
  const rows = await scope.trx
    .selectFrom('wecom_outbox')
    .select(['id', 'event', 'markdown', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    event: row.event,
    markdown: row.markdown,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
  }));
}
