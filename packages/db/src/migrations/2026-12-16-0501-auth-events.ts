import { type Kysely, sql } from 'kysely';

/*
 * Auth events (T5.7a): sign-ins and failed sign-ins, sign-outs, password changes, API keys
 * created, used and revoked, invitations accepted — one row each, apart from the audit log of
 * record changes. `auth_events` holds the events of a known tenant (the tenant a sign-in
 * opens, a session's active tenant, a key's or an invitation's tenant): a tenant table under
 * row-level security, so a tenant reads its own and nothing else. `account_auth_events` holds
 * the rest — a failed sign-in of an address no account has, or of an account in no tenant —
 * which no tenant owns: the runtime role may add to it and read none of it. Both are
 * insert-only for the runtime role; the request id comes from the transaction, as on the
 * audit log. Frozen in time; runs as the owner role.
 */
const EVENTS = `'sign_up', 'sign_in', 'sign_in_failed', 'sign_out', 'password_changed',
  'api_key_created', 'api_key_used', 'api_key_revoked', 'invitation_accepted'`;

const statements = [
  `create table auth_events (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     occurred_at timestamptz not null default clock_timestamp(),
     event text not null check (event in (${EVENTS})),
     user_id uuid,
     api_key_id uuid,
     ip text check (length(ip) <= 64),
     request_id text default nullif(current_setting('app.request_id', true), ''),
     primary key (tenant_id, id)
   )`,
  `create index auth_events_occurred_idx on auth_events (tenant_id, occurred_at desc)`,
  `create index auth_events_user_idx on auth_events (tenant_id, user_id, occurred_at desc)`,
  `alter table auth_events enable row level security`,
  `alter table auth_events force row level security`,
  `create policy tenant_isolation on auth_events
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert on auth_events to crm_app`,

  `create table account_auth_events (
     id uuid primary key default gen_random_uuid(),
     occurred_at timestamptz not null default clock_timestamp(),
     event text not null check (event in (${EVENTS})),
     user_id uuid,
     email_sha256 text check (length(email_sha256) = 64),
     ip text check (length(ip) <= 64),
     request_id text default nullif(current_setting('app.request_id', true), '')
   )`,
  `create index account_auth_events_occurred_idx on account_auth_events (occurred_at desc)`,
  `grant insert on account_auth_events to crm_app`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The auth events migration cannot be reverted.');
}
