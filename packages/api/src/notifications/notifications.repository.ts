import type { NotificationKind } from '@crm/domain';
import { sql } from 'kysely';
import type { Scope } from '../scope';

/**
 * Every query of notifications and notification preferences. A member's inbox is read and
 * changed through `userId` always: nothing here reads another member's notifications.
 */

/** One notification to write, with its email already rendered in both languages. */
export type NotificationInsert = {
  user_id: string;
  kind: NotificationKind;
  message_key: string;
  params: Record<string, string | number>;
  link: string | null;
  entity_kind: string | null;
  entity_id: string | null;
  dedup_key: string | null;
  default_in_app: boolean;
  default_email: boolean;
  subject_zh: string;
  subject_en: string;
  text_zh: string;
  text_en: string;
  html_zh: string;
  html_en: string;
};

/**
 * Writes a batch of notifications in one statement: each recipient who is a member of the
 * tenant gets the in-app notification if their preference for its kind (or the kind's
 * default) says so, and an email in their language in the outbox if that says so. A dedup
 * key already used for a recipient writes neither again.
 */
export async function insertNotifications(
  scope: Scope,
  rows: readonly NotificationInsert[],
): Promise<{ inApp: number; emails: number }> {
  if (rows.length === 0) return { inApp: 0, emails: 0 };
  const { rows: result } = await sql<{ in_app: number; emails: number }>`
    with draft as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as d(
        user_id uuid, kind text, message_key text, params jsonb, link text, entity_kind text, entity_id uuid,
        dedup_key text, default_in_app boolean, default_email boolean,
        subject_zh text, subject_en text, text_zh text, text_en text, html_zh text, html_en text)
    ),
    target as (
      select d.*, coalesce(p.in_app, d.default_in_app) as wants_in_app,
             coalesce(p.email, d.default_email) as wants_email, u.email as address, u.locale
        from draft d
        join memberships m on m.tenant_id = ${scope.tenantId} and m.user_id = d.user_id
        join users u on u.id = d.user_id and u.disabled_at is null
        left join notification_preferences p
          on p.tenant_id = ${scope.tenantId} and p.user_id = d.user_id and p.kind = d.kind
    ),
    inbox as (
      insert into notifications (tenant_id, user_id, kind, message_key, params, link, entity_kind, entity_id, dedup_key)
      select ${scope.tenantId}, user_id, kind, message_key, coalesce(params, '{}'), link, entity_kind, entity_id, dedup_key
        from target where wants_in_app
      on conflict (tenant_id, user_id, dedup_key) where dedup_key is not null do nothing
      returning id
    ),
    mail as (
      insert into email_outbox (tenant_id, user_id, to_address, subject, text_body, html_body, kind, dedup_key)
      select ${scope.tenantId}, user_id, address,
             case when locale = 'en' then subject_en else subject_zh end,
             case when locale = 'en' then text_en else text_zh end,
             case when locale = 'en' then html_en else html_zh end,
             kind,
             case when dedup_key is null then null else 'notification:' || user_id || ':' || dedup_key end
        from target where wants_email
      on conflict (tenant_id, dedup_key) where dedup_key is not null do nothing
      returning id
    )
    select (select count(*) from inbox)::int as in_app, (select count(*) from mail)::int as emails`.execute(
    scope.trx,
  );
  return { inApp: Number(result[0]?.in_app ?? 0), emails: Number(result[0]?.emails ?? 0) };
}

export type NotificationRow = {
  id: string;
  kind: string;
  message_key: string;
  params: Record<string, string | number>;
  link: string | null;
  entity_kind: string | null;
  entity_id: string | null;
  created_at: Date;
  read_at: Date | null;
  sort_key: string;
};

/** A member's notifications newest first, by keyset pages; unread only if asked. */
export function selectNotificationPage(
  scope: Scope,
  userId: string,
  unreadOnly: boolean,
  after: { timestamp: string; id: string } | null,
  limit: number,
): Promise<NotificationRow[]> {
  let query = scope.trx
    .selectFrom('notifications')
    .select([
      'id',
      'kind',
      'message_key',
      'params',
      'link',
      'entity_kind',
      'entity_id',
      'created_at',
      'read_at',
      sql<string>`created_at::text`.as('sort_key'),
    ])
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', userId);
  if (unreadOnly) query = query.where('read_at', 'is', null);
  if (after)
    query = query.where(
      sql<boolean>`(created_at, id) < (${after.timestamp}::text::timestamptz, ${after.id}::uuid)`,
    );
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute() as Promise<
    NotificationRow[]
  >;
}

/**
 * The unread count (up to `cap`) and the newest unread notification's id: both from the
 * partial index of unread rows, so the bell's poll reads a handful of index entries.
 */
export async function selectUnreadSummary(
  scope: Scope,
  userId: string,
  cap: number,
): Promise<{ count: number; newest: string | null }> {
  const { rows } = await sql<{ count: number; newest: string | null }>`
    select (select count(*)::int from (select 1 from notifications
              where tenant_id = ${scope.tenantId} and user_id = ${userId} and read_at is null limit ${cap}) unread) as count,
           (select id from notifications
              where tenant_id = ${scope.tenantId} and user_id = ${userId} and read_at is null
              order by created_at desc, id desc limit 1) as newest`.execute(scope.trx);
  return { count: Number(rows[0]?.count ?? 0), newest: rows[0]?.newest ?? null };
}

/** Marks a member's notifications read (these ids, or all); ids of others' notifications change nothing. How many. */
export async function markNotificationsRead(
  scope: Scope,
  userId: string,
  ids: readonly string[] | 'all',
): Promise<number> {
  let query = scope.trx
    .updateTable('notifications')
    .set({ read_at: sql<Date>`now()` as never })
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', ids);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function selectPreferences(
  scope: Scope,
  userId: string,
): Promise<{ kind: string; in_app: boolean; email: boolean }[]> {
  return scope.trx
    .selectFrom('notification_preferences')
    .select(['kind', 'in_app', 'email'])
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', userId)
    .execute();
}

/** Saves a member's choices for these kinds (one statement). */
export async function upsertPreferences(
  scope: Scope,
  userId: string,
  rows: readonly { kind: string; in_app: boolean; email: boolean }[],
): Promise<void> {
  if (rows.length === 0) return;
  await scope.trx
    .insertInto('notification_preferences')
    .values(rows.map((row) => ({ tenant_id: scope.tenantId, user_id: userId, ...row })))
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'user_id', 'kind']).doUpdateSet((eb) => ({
        in_app: eb.ref('excluded.in_app'),
        email: eb.ref('excluded.email'),
        updated_at: sql<Date>`now()` as never,
      })),
    )
    .execute();
}
