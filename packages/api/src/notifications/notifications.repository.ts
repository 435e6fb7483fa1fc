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

export type DigestRow = {
  user_id: string;
  email: string;
  locale: 'zh-CN' | 'en';
  name: string;
  due_today: number;
  overdue: number;
  approvals_waiting: number;
  /** Up to `perUser` open tasks due today or earlier, oldest first. */
  items: { title: string; dueOn: string; customer: string | null }[];
};

/**
 * The daily digest's content for every member who wants it (their digest preference, or the
 * default) and has something to read: open tasks they own due today, overdue ones, and the
 * first `perUser` of them. One statement for the whole tenant.
 *
 * Approvals waiting: maintenance plans pending approval that a member may decide — members
 * whose role is in `approvers`, counted over the customers their record scope reaches (all,
 * their team's and their own, or their own), as `visibleCustomer` does for one member. A
 * member with approvals waiting and no tasks still gets the digest.
 */
export async function selectDigestRows(
  scope: Scope,
  today: string,
  options: {
    emailByDefault: boolean;
    perUser: number;
    /** The roles that may approve plans, with their record scope over customers. */
    approvers: { role: string; scope: 'all' | 'team' | 'own' }[];
  },
): Promise<DigestRow[]> {
  const { rows } = await sql<DigestRow>`
    with wanted as (
      select m.user_id, m.role, m.team_id, u.email, u.locale, u.name
        from memberships m
        join users u on u.id = m.user_id and u.disabled_at is null
        left join notification_preferences p
          on p.tenant_id = m.tenant_id and p.user_id = m.user_id and p.kind = 'digest'
       where m.tenant_id = ${scope.tenantId} and coalesce(p.email, ${options.emailByDefault})
    ),
    approvers as (
      select a.role, a.scope
        from jsonb_to_recordset(${JSON.stringify(options.approvers)}::jsonb) as a(role text, scope text)
    ),
    pending as (
      select c.owner_user_id
        from maintenance_plans p
        join customers c on c.tenant_id = p.tenant_id and c.id = p.customer_id
       where p.tenant_id = ${scope.tenantId} and p.status = 'pending'
    ),
    approvals as (
      select w.user_id,
             (select count(*) from pending
               where a.scope = 'all'
                  or pending.owner_user_id = w.user_id
                  or (a.scope = 'team' and w.team_id is not null and pending.owner_user_id in (
                        select tm.user_id from memberships tm
                         where tm.tenant_id = ${scope.tenantId} and tm.team_id = w.team_id)))::int as n
        from wanted w
        join approvers a on a.role = w.role
    ),
    open_tasks as (
      select t.owner_user_id, t.title, t.due_on, t.customer_id,
             row_number() over (partition by t.owner_user_id order by t.due_on, t.due_at nulls last, t.id) as rank
        from tasks t
        join wanted w on w.user_id = t.owner_user_id
       where t.tenant_id = ${scope.tenantId} and t.status = 'open' and t.due_on <= ${today}::date
    )
    select w.user_id, w.email, w.locale, w.name,
           (count(o.owner_user_id) filter (where o.due_on = ${today}::date))::int as due_today,
           (count(o.owner_user_id) filter (where o.due_on < ${today}::date))::int as overdue,
           coalesce(max(ap.n), 0)::int as approvals_waiting,
           coalesce(jsonb_agg(jsonb_build_object('title', o.title, 'dueOn', o.due_on::text, 'customer', c.name)
                      order by o.due_on, o.rank) filter (where o.rank <= ${options.perUser}), '[]'::jsonb) as items
      from wanted w
      left join open_tasks o on o.owner_user_id = w.user_id
      left join approvals ap on ap.user_id = w.user_id
      left join customers c on c.tenant_id = ${scope.tenantId} and c.id = o.customer_id
     group by w.user_id, w.email, w.locale, w.name
    having count(o.owner_user_id) > 0 or coalesce(max(ap.n), 0) > 0
     order by w.user_id`.execute(scope.trx);
  return rows.map((row) => ({
    ...row,
    due_today: Number(row.due_today),
    overdue: Number(row.overdue),
    approvals_waiting: Number(row.approvals_waiting),
    items: typeof row.items === 'string' ? JSON.parse(row.items) : row.items,
  }));
}

export type DueTaskRow = {
  id: string;
  owner_user_id: string;
  title: string;
  due_on: string;
  customer_id: string | null;
  /** 'due': due today; 'overdue': its due day was the day before (it just became overdue). */
  state: 'due' | 'overdue';
};

/**
 * Open tasks that are due today, or became overdue today (due yesterday), with an owner:
 * what the morning's task_due / task_overdue notifications are about. One statement.
 */
export async function selectDueTasks(scope: Scope, today: string): Promise<DueTaskRow[]> {
  const { rows } = await sql<DueTaskRow>`
    select id, owner_user_id, title, due_on::text as due_on, customer_id,
           case when due_on = ${today}::date then 'due' else 'overdue' end as state
      from tasks
     where tenant_id = ${scope.tenantId} and status = 'open' and owner_user_id is not null
       and due_on between ${today}::date - 1 and ${today}::date
     order by due_on, id`.execute(scope.trx);
  return rows;
}
