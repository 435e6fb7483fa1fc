import { type Kysely, sql } from 'kysely';

/*
 * Notifications and outbound email, the shared mechanism tasks, plans, reminders and later
 * tickets tell people through (docs/maintenance.md, "Notifications and email"):
 *
 * - `notifications`: a member's in-app inbox. The text is stored as a message key and its
 *   parameters, not as words, so each reader sees it in their own language. A kind is a
 *   lower-case key checked here by format only: the list of kinds lives in @crm/domain
 *   (`NOTIFICATION_KINDS`) and grows without a migration. `dedup_key` makes "notify once per
 *   occasion" a constraint rather than a hope (a job that runs twice notifies once).
 * - `notification_preferences`: a member's choice per kind (站内 / 邮件); no row means the
 *   kind's default.
 * - `email_outbox`: the transactional outbox. Rows are written in the caller's transaction and
 *   sent by a job after it commits; `status` moves queued → sending → sent / failed, a row
 *   left in `sending` by a crash is claimed again once `next_attempt_at` (its lease) passes.
 *
 * Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = ['notifications', 'notification_preferences', 'email_outbox'];
const KIND = `'^[a-z][a-z0-9_]{0,59}$'`;

const statements = [
  `create table notifications (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     user_id uuid not null,
     kind text not null check (kind ~ ${KIND}),
     message_key text not null check (message_key ~ '^[a-z][a-z0-9_.]{0,99}$'),
     params jsonb not null default '{}' check (jsonb_typeof(params) = 'object'),
     link text check (link ~ '^/([^/\\\\]|$)' and length(link) <= 500),
     entity_kind text check (entity_kind ~ ${KIND}),
     entity_id uuid,
     dedup_key text check (length(dedup_key) between 1 and 200),
     created_at timestamptz not null default now(),
     read_at timestamptz,
     primary key (tenant_id, id),
     foreign key (tenant_id, user_id) references memberships (tenant_id, user_id) on delete cascade
   )`,
  // The inbox newest first, and its unread part (the bell's count reads only unread rows).
  `create index notifications_inbox_idx on notifications (tenant_id, user_id, created_at desc, id desc)`,
  `create index notifications_unread_idx on notifications (tenant_id, user_id, created_at desc, id desc)
     where read_at is null`,
  `create unique index notifications_dedup_idx on notifications (tenant_id, user_id, dedup_key)
     where dedup_key is not null`,

  `create table notification_preferences (
     tenant_id uuid not null references tenants (id) on delete cascade,
     user_id uuid not null,
     kind text not null check (kind ~ ${KIND}),
     in_app boolean not null,
     email boolean not null,
     updated_at timestamptz not null default now(),
     primary key (tenant_id, user_id, kind),
     foreign key (tenant_id, user_id) references memberships (tenant_id, user_id) on delete cascade
   )`,

  `create table email_outbox (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     user_id uuid,
     to_address text not null check (length(to_address) between 3 and 320 and to_address !~ '[\\r\\n]'),
     subject text not null check (length(subject) between 1 and 300 and subject !~ '[\\r\\n]'),
     text_body text not null check (length(text_body) <= 200000),
     html_body text check (length(html_body) <= 400000),
     kind text not null check (kind ~ ${KIND}),
     status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
     transport text check (transport in ('smtp', 'dev_mailbox')),
     attempts integer not null default 0 check (attempts >= 0),
     last_error text,
     next_attempt_at timestamptz not null default now(),
     created_at timestamptz not null default now(),
     sent_at timestamptz,
     dedup_key text check (length(dedup_key) between 1 and 300),
     primary key (tenant_id, id)
   )`,
  `create unique index email_outbox_dedup_idx on email_outbox (tenant_id, dedup_key) where dedup_key is not null`,
  `create index email_outbox_due_idx on email_outbox (tenant_id, next_attempt_at)
     where status in ('queued', 'sending')`,
  `create index email_outbox_recent_idx on email_outbox (tenant_id, created_at desc, id desc)`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  `grant select, insert, update, delete on notifications, notification_preferences, email_outbox to crm_app`,

  `select pgboss.create_queue('email.drain-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('email.drain-tenant', '{"policy":"stately"}')`,
  `select pgboss.create_queue('notifications.digest-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('notifications.digest-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The notifications migration cannot be reverted.');
}
