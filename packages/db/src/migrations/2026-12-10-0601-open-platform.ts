import { type Kysely, sql } from 'kysely';

/*
 * The open platform (开放平台): API keys, outbound webhooks and 企业微信 (WeCom) group robots.
 *
 * - `api_keys`: a tenant's keys for the REST API. The secret is never stored: only its
 *   SHA-256 (`secret_hash`) and a display prefix. `scopes` are API scopes (customers:read,
 *   orders:write …, mapped onto permissions by @crm/auth); the key acts as the member who
 *   created it, never beyond their role. Optional expiry and IP allowlist (addresses or CIDR
 *   ranges), a per-minute limit, last use; revoked keys stay for the record.
 * - `webhook_endpoints`: a tenant's subscriptions (URL, event types), the signing secret and,
 *   during a rotation, the previous one until `previous_secret_expires_at` (both encrypted
 *   under the tenant's data key); disabled after repeated failures or a 410.
 * - `webhook_events`: the transactional outbox — one row per event, written in the
 *   transaction of the change; its id is the `webhook-id` every delivery of it carries.
 * - `webhook_deliveries`: one row per (event, endpoint), written in the same statement as
 *   the event; the delivery job claims due rows (lease), posts, and records the outcome with
 *   the next attempt (exponential backoff with jitter).
 * - `webhook_attempts`: the delivery log per endpoint (status, latency, response excerpt).
 * - `wecom_settings`: the tenant's group robot (its webhook URL, encrypted) and which events
 *   post there; `wecom_bindings`: a member's WeCom user id (mentioned in the robot's messages);
 *   `wecom_outbox`: robot messages written in the transaction of what they announce.
 * Frozen in time; runs as the owner role.
 */
function tenantTable(table: string): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
    `grant select, insert, update, delete on ${table} to crm_app`,
  ];
}

/** `customer.created`, `ticket.sla_breached` … and `ping` (the test event). */
const EVENT = `'^[a-z][a-z_]{1,30}(\\.[a-z][a-z_.]{1,40})?$'`;

const statements = [
  `create table api_keys (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 100),
     display_prefix text not null check (length(display_prefix) <= 40),
     secret_hash bytea not null check (length(secret_hash) = 32),
     scopes text[] not null check (cardinality(scopes) between 1 and 64),
     ip_allowlist text[] not null default '{}' check (cardinality(ip_allowlist) <= 50),
     rate_limit_per_minute integer not null default 600 check (rate_limit_per_minute between 1 and 100000),
     expires_at timestamptz,
     created_by uuid not null,
     created_at timestamptz not null default now(),
     last_used_at timestamptz,
     last_used_ip text check (length(last_used_ip) <= 64),
     revoked_at timestamptz,
     revoked_by uuid,
     primary key (tenant_id, id),
     foreign key (tenant_id) references tenants (id) on delete cascade
   )`,
  `create index api_keys_list_idx on api_keys (tenant_id, created_at desc)`,
  ...tenantTable('api_keys'),

  `create table webhook_endpoints (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     url text not null check (length(url) between 8 and 2000),
     description text check (length(description) <= 200),
     events text[] not null check (cardinality(events) between 1 and 100),
     secret_cipher text not null,
     previous_secret_cipher text,
     previous_secret_expires_at timestamptz,
     status text not null default 'active' check (status in ('active', 'disabled')),
     disabled_reason text check (disabled_reason in ('failures', 'gone', 'manual')),
     disabled_at timestamptz,
     consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id) references tenants (id) on delete cascade
   )`,
  ...tenantTable('webhook_endpoints'),

  `create table webhook_events (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     type text not null check (type ~ ${EVENT}),
     payload jsonb not null check (jsonb_typeof(payload) = 'object'),
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id) references tenants (id) on delete cascade
   )`,
  `create index webhook_events_created_idx on webhook_events (tenant_id, created_at desc)`,
  ...tenantTable('webhook_events'),

  `create table webhook_deliveries (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     endpoint_id uuid not null,
     event_id uuid not null,
     status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
     attempts integer not null default 0 check (attempts >= 0),
     next_attempt_at timestamptz not null default now(),
     locked_until timestamptz,
     last_status integer,
     last_latency_ms integer,
     last_error text check (length(last_error) <= 500),
     created_at timestamptz not null default now(),
     finished_at timestamptz,
     primary key (tenant_id, id),
     foreign key (tenant_id, endpoint_id) references webhook_endpoints (tenant_id, id) on delete cascade,
     foreign key (tenant_id, event_id) references webhook_events (tenant_id, id) on delete cascade
   )`,
  `create index webhook_deliveries_due_idx on webhook_deliveries (tenant_id, next_attempt_at)
     where status = 'pending'`,
  `create index webhook_deliveries_endpoint_idx on webhook_deliveries (tenant_id, endpoint_id, created_at desc)`,
  `create index webhook_deliveries_event_idx on webhook_deliveries (tenant_id, event_id)`,
  ...tenantTable('webhook_deliveries'),

  `create table webhook_attempts (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     delivery_id uuid not null,
     endpoint_id uuid not null,
     event_id uuid not null,
     attempt integer not null check (attempt >= 1),
     attempted_at timestamptz not null default now(),
     status_code integer,
     latency_ms integer not null check (latency_ms >= 0),
     response_excerpt text check (length(response_excerpt) <= 1000),
     error text check (length(error) <= 500),
     primary key (tenant_id, id),
     foreign key (tenant_id, delivery_id) references webhook_deliveries (tenant_id, id) on delete cascade
   )`,
  `create index webhook_attempts_endpoint_idx on webhook_attempts (tenant_id, endpoint_id, attempted_at desc)`,
  `create index webhook_attempts_delivery_idx on webhook_attempts (tenant_id, delivery_id)`,
  ...tenantTable('webhook_attempts'),

  `create table wecom_settings (
     tenant_id uuid not null primary key,
     robot_url_cipher text,
     robot_url_hint text check (length(robot_url_hint) <= 40),
     enabled boolean not null default false,
     events text[] not null default '{}',
     updated_by uuid,
     updated_at timestamptz not null default now(),
     foreign key (tenant_id) references tenants (id) on delete cascade
   )`,
  ...tenantTable('wecom_settings'),

  `create table wecom_bindings (
     tenant_id uuid not null,
     user_id uuid not null,
     wecom_user_id text not null check (wecom_user_id ~ '^[A-Za-z0-9_@.-]{1,64}$'),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, user_id),
     foreign key (tenant_id) references tenants (id) on delete cascade
   )`,
  ...tenantTable('wecom_bindings'),

  `create table wecom_outbox (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     event text not null check (length(event) <= 60),
     markdown text not null check (length(markdown) between 1 and 4096),
     mentions text[] not null default '{}',
     status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
     attempts integer not null default 0,
     next_attempt_at timestamptz not null default now(),
     locked_until timestamptz,
     last_error text check (length(last_error) <= 500),
     created_at timestamptz not null default now(),
     sent_at timestamptz,
     primary key (tenant_id, id),
     foreign key (tenant_id) references tenants (id) on delete cascade
   )`,
  `create index wecom_outbox_due_idx on wecom_outbox (tenant_id, next_attempt_at) where status = 'pending'`,
  `create index wecom_outbox_created_idx on wecom_outbox (tenant_id, created_at desc)`,
  ...tenantTable('wecom_outbox'),

  `select pgboss.create_queue('webhooks.drain-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('webhooks.drain-tenant', '{"policy":"standard"}')`,
  `select pgboss.create_queue('wecom.drain-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('wecom.drain-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The open platform migration cannot be reverted.');
}
