import { type Kysely, sql } from 'kysely';

/*
 * Tickets (工单): complaints, feedback, service requests and questions, worked by service
 * agents on an SLA clock measured on the tenant's work calendar.
 *
 * - `tickets`: the ticket, its status (new → in_progress → waiting_on_customer → resolved →
 *   closed, reopened back to in_progress), its SLA targets resolved when it was opened (from
 *   the tenant's policies, the plugin's, or 24 h / 72 h), the clock (started at creation,
 *   its pauses while waiting on the customer or resolved) and the instants the scan acts on:
 *   the warning, the breach and the manager's escalation of each clock (`*_warn_at`,
 *   `*_due_at`, `*_escalate_at`, null while the clock stands still) and `sla_next_at`, the
 *   earliest of those not yet acted on — the scan job reads an index on it, never a timer per
 *   ticket. `*_stage` says how far each clock's escalation went (0 none, 1 warned, 2
 *   breached, 3 escalated to the manager).
 * - `ticket_events`: the timeline (replies, internal notes, the customer's replies, status
 *   moves, assignments, SLA warnings and breaches).
 * - `ticket_attachments`: files stored in PostgreSQL like import files (bytea, size-capped).
 * - `ticket_categories`: the tenant's own categories, and the plugin's it hides.
 * - `ticket_sla_policies`: the tenant's SLA targets per priority and per customer tier.
 * - `ticket_inbound_messages`: Message-IDs of inbound emails already made into tickets
 *   (a replayed hook makes nothing twice).
 * Queues: the SLA scan (all tenants, one tenant) and `tickets.closed`, the hook surveys use
 * to send a CSAT survey when a ticket closes.
 * Frozen in time; runs as the owner role.
 */
const TYPES = `'complaint', 'feedback', 'service_request', 'question'`;
const STATUSES = `'new', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'`;
const PRIORITIES = `'low', 'normal', 'high', 'urgent'`;
const CHANNELS = `'web', 'phone', 'email', 'wechat', 'visit', 'api', 'other'`;
const KEY = `'^[a-z][a-z0-9_]{0,39}$'`;

function tenantTable(table: string): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
    `grant select, insert, update, delete on ${table} to crm_app`,
  ];
}

const statements = [
  `create table tickets (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     number integer not null check (number > 0),
     type text not null check (type in (${TYPES})),
     category text check (category ~ ${KEY}),
     subject text not null check (length(subject) between 1 and 200),
     description text check (length(description) <= 10000),
     customer_id uuid not null,
     contact_id uuid,
     priority text not null default 'normal' check (priority in (${PRIORITIES})),
     channel text not null default 'web' check (channel in (${CHANNELS})),
     status text not null default 'new' check (status in (${STATUSES})),
     assignee_user_id uuid,
     team_id uuid,
     interaction_id uuid,
     source text not null default 'manual' check (source in ('manual', 'interaction', 'email', 'api')),
     sla_mode text not null check (sla_mode in ('business', 'calendar')),
     sla_policy text not null check (length(sla_policy) <= 100),
     first_response_minutes integer not null check (first_response_minutes between 1 and 525600),
     resolution_minutes integer not null check (resolution_minutes between 1 and 525600),
     sla_started_at timestamptz not null,
     sla_pauses jsonb not null default '[]' check (jsonb_typeof(sla_pauses) = 'array'),
     sla_paused_at timestamptz,
     first_response_warn_at timestamptz,
     first_response_due_at timestamptz,
     first_response_escalate_at timestamptz,
     resolution_warn_at timestamptz,
     resolution_due_at timestamptz,
     resolution_escalate_at timestamptz,
     first_response_stage smallint not null default 0 check (first_response_stage between 0 and 3),
     resolution_stage smallint not null default 0 check (resolution_stage between 0 and 3),
     first_response_breached boolean not null default false,
     resolution_breached boolean not null default false,
     sla_next_at timestamptz,
     first_responded_at timestamptz,
     first_response_ms bigint,
     resolved_at timestamptz,
     resolution_ms bigint,
     closed_at timestamptz,
     reopened_count integer not null default 0,
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, number),
     check ((status = 'closed') = (closed_at is not null)),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id),
     foreign key (tenant_id, assignee_user_id) references memberships (tenant_id, user_id)
       on delete set null (assignee_user_id),
     foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete set null (team_id),
     foreign key (tenant_id, interaction_id) references interactions (tenant_id, id)
       on delete set null (interaction_id)
   )`,
  // The list: open tickets newest first, by status, by assignee (工单列表 and 我的工单).
  `create index tickets_created_idx on tickets (tenant_id, created_at desc, id desc)`,
  `create index tickets_status_idx on tickets (tenant_id, status, created_at desc)`,
  `create index tickets_assignee_idx on tickets (tenant_id, assignee_user_id, status)`,
  `create index tickets_team_idx on tickets (tenant_id, team_id, status) where assignee_user_id is null`,
  `create index tickets_customer_idx on tickets (tenant_id, customer_id, created_at desc)`,
  `create index tickets_contact_idx on tickets (tenant_id, contact_id) where contact_id is not null`,
  // One ticket per complaint interaction.
  `create unique index tickets_interaction_idx on tickets (tenant_id, interaction_id) where interaction_id is not null`,
  // The SLA scan: tickets with a warning, breach or escalation due.
  `create index tickets_sla_next_idx on tickets (tenant_id, sla_next_at) where sla_next_at is not null`,
  // KPIs per period: tickets opened, resolved and closed in a range.
  `create index tickets_closed_idx on tickets (tenant_id, closed_at) where closed_at is not null`,
  ...tenantTable('tickets'),

  `create table ticket_events (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     ticket_id uuid not null,
     kind text not null check (kind in ('created', 'reply', 'note', 'customer_reply', 'status', 'assigned',
       'updated', 'sla_warning', 'sla_breach', 'sla_escalated')),
     author_user_id uuid,
     body text check (length(body) <= 10000),
     from_status text,
     to_status text,
     data jsonb not null default '{}',
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) on delete cascade
   )`,
  `create index ticket_events_ticket_idx on ticket_events (tenant_id, ticket_id, created_at)`,
  ...tenantTable('ticket_events'),

  `create table ticket_attachments (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     ticket_id uuid not null,
     event_id uuid,
     file_name text not null check (length(file_name) between 1 and 200),
     content_type text not null check (length(content_type) <= 100),
     size integer not null check (size between 1 and 10485760),
     bytes bytea not null,
     created_by uuid,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) on delete cascade,
     foreign key (tenant_id, event_id) references ticket_events (tenant_id, id) on delete set null (event_id)
   )`,
  `alter table ticket_attachments alter column bytes set storage external`,
  `create index ticket_attachments_ticket_idx on ticket_attachments (tenant_id, ticket_id, created_at)`,
  `create index ticket_attachments_event_idx on ticket_attachments (tenant_id, event_id) where event_id is not null`,
  ...tenantTable('ticket_attachments'),

  `create table ticket_categories (
     tenant_id uuid not null references tenants (id) on delete cascade,
     key text not null check (key ~ ${KEY}),
     label_zh text check (length(label_zh) between 1 and 60),
     label_en text check (length(label_en) between 1 and 60),
     position integer not null default 0,
     hidden boolean not null default false,
     updated_at timestamptz not null default now(),
     primary key (tenant_id, key)
   )`,
  ...tenantTable('ticket_categories'),

  `create table ticket_sla_policies (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     priority text check (priority in (${PRIORITIES})),
     tier text check (tier ~ ${KEY}),
     first_response_minutes integer not null check (first_response_minutes between 1 and 525600),
     resolution_minutes integer not null check (resolution_minutes between 1 and 525600),
     mode text check (mode in ('business', 'calendar')),
     updated_by uuid,
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     check (first_response_minutes <= resolution_minutes)
   )`,
  `create unique index ticket_sla_policies_match_idx
     on ticket_sla_policies (tenant_id, coalesce(priority, ''), coalesce(tier, ''))`,
  ...tenantTable('ticket_sla_policies'),

  `create table ticket_inbound_messages (
     tenant_id uuid not null references tenants (id) on delete cascade,
     message_id text not null check (length(message_id) between 1 and 300),
     ticket_id uuid,
     received_at timestamptz not null default now(),
     primary key (tenant_id, message_id),
     foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) on delete set null (ticket_id)
   )`,
  `create index ticket_inbound_messages_ticket_idx on ticket_inbound_messages (tenant_id, ticket_id)
     where ticket_id is not null`,
  ...tenantTable('ticket_inbound_messages'),

  `select pgboss.create_queue('tickets.sla-scan-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('tickets.sla-scan-tenant', '{"policy":"standard"}')`,
  `select pgboss.create_queue('tickets.closed', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The tickets migration cannot be reverted.');
}
