import { type Kysely, sql } from 'kysely';

/*
 * Surveys (问卷): the plugin's declarative surveys and the tenant's own, sent to customers
 * through a public link that needs no login, their answers, and the follow-up of unhappy ones.
 *
 * - `surveys`: the surveys a tenant built in the form designer (its questions in the SDK's
 *   form, `questions` jsonb). The plugin's surveys are not copied: they are read from the
 *   plugin and named by key, like ticket categories.
 * - `survey_settings`: the tenant's frequency cap (days between two invitations to one
 *   customer), how long a link stays valid, and the plugin surveys it turned off.
 * - `survey_invitations`: one per recipient and occasion ('first_order:<customer>',
 *   'ticket_closed:<ticket>', 'period:2026H2:<customer>' …; unique, so the daily job never
 *   invites twice for the same occasion), with the channel (email, SMS or a link a rep pastes
 *   into WeChat), the owner and tier when it was made, its state and expiry. The token in the
 *   link is signed (HMAC under the master key) and names the invitation; it is single use
 *   because an invitation takes one response.
 * - `survey_responses`: the answers, per customer and contact, with the score of an NPS or
 *   CSAT survey (raw and on 0–100) copied out of the answers so NPS and CSAT per month, tier,
 *   owner and survey are one aggregate over an index.
 * - `survey_follow_ups`: a detractor's or low score's follow-up — the owner's task, the
 *   cause analysis (服务差 / 产品不符 / 价格 / 其他, a free text, the improvement planned) and
 *   the check-back; closed when the check-back is done (the closed-loop rate).
 * Queues: the daily scheduling (all tenants, one tenant) and sending an invitation.
 * Frozen in time; runs as the owner role.
 */
const KEY = `'^[a-z][a-z0-9_]{0,39}$'`;
const KINDS = `'nps', 'csat', 'needs', 'custom'`;

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
  `create table surveys (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     key text not null check (key ~ ${KEY}),
     kind text not null check (kind in (${KINDS})),
     title text not null check (length(title) between 1 and 100),
     description text check (length(description) <= 1000),
     locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
     questions jsonb not null check (jsonb_typeof(questions) = 'array' and jsonb_array_length(questions) between 1 and 50),
     archived_at timestamptz,
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, key)
   )`,
  ...tenantTable('surveys'),

  `create table survey_settings (
     tenant_id uuid not null references tenants (id) on delete cascade,
     frequency_cap_days integer not null default 30 check (frequency_cap_days between 0 and 365),
     link_valid_days integer not null default 30 check (link_valid_days between 1 and 365),
     disabled_keys text[] not null default '{}' check (cardinality(disabled_keys) <= 200),
     updated_by uuid,
     updated_at timestamptz not null default now(),
     primary key (tenant_id)
   )`,
  ...tenantTable('survey_settings'),

  `create table survey_invitations (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     survey_key text not null check (survey_key ~ ${KEY}),
     survey_kind text not null check (survey_kind in (${KINDS})),
     customer_id uuid not null,
     contact_id uuid,
     owner_user_id uuid,
     tier text,
     occasion text not null check (length(occasion) between 1 and 200),
     channel text not null check (channel in ('email', 'sms', 'link')),
     status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'responded')),
     send_on date not null,
     sent_at timestamptz,
     last_error text check (length(last_error) <= 500),
     expires_at timestamptz not null,
     responded_at timestamptz,
     created_by uuid,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, occasion),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id),
     foreign key (tenant_id, owner_user_id) references memberships (tenant_id, user_id)
       on delete set null (owner_user_id)
   )`,
  // The frequency cap and the customer's card: a customer's invitations, newest first.
  `create index survey_invitations_customer_idx on survey_invitations (tenant_id, customer_id, created_at desc)`,
  // Response rates per survey and month; the list of a survey's invitations.
  `create index survey_invitations_survey_idx on survey_invitations (tenant_id, survey_key, created_at desc)`,
  // Invitations waiting to be sent.
  `create index survey_invitations_pending_idx on survey_invitations (tenant_id, send_on) where status = 'pending'`,
  ...tenantTable('survey_invitations'),

  `create table survey_responses (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     invitation_id uuid,
     survey_key text not null check (survey_key ~ ${KEY}),
     survey_kind text not null check (survey_kind in (${KINDS})),
     customer_id uuid not null,
     contact_id uuid,
     owner_user_id uuid,
     tier text,
     answers jsonb not null check (jsonb_typeof(answers) = 'object'),
     score numeric(6, 2),
     score_pct numeric(5, 2) check (score_pct between 0 and 100),
     low boolean not null default false,
     locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
     responded_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, invitation_id) references survey_invitations (tenant_id, id) on delete set null (invitation_id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id),
     foreign key (tenant_id, owner_user_id) references memberships (tenant_id, user_id)
       on delete set null (owner_user_id)
   )`,
  // One response per invitation: the single use of a link, kept by the database.
  `create unique index survey_responses_invitation_idx on survey_responses (tenant_id, invitation_id)
     where invitation_id is not null`,
  // NPS and CSAT per month and tier (owner, survey): an index-only scan of the scored responses.
  `create index survey_responses_kind_idx on survey_responses (tenant_id, survey_kind, responded_at)
     include (tier, score, score_pct, owner_user_id, survey_key) where score is not null`,
  `create index survey_responses_survey_idx on survey_responses (tenant_id, survey_key, responded_at desc)`,
  `create index survey_responses_customer_idx on survey_responses (tenant_id, customer_id, responded_at desc)`,
  ...tenantTable('survey_responses'),

  `create table survey_follow_ups (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     response_id uuid not null,
     customer_id uuid not null,
     owner_user_id uuid,
     task_id uuid,
     status text not null default 'open' check (status in ('open', 'analysed', 'closed')),
     cause text check (cause in ('service', 'product_mismatch', 'price', 'other')),
     cause_text text check (length(cause_text) <= 2000),
     improvement text check (length(improvement) <= 2000),
     check_back_on date,
     check_back_task_id uuid,
     check_back_result text check (length(check_back_result) <= 2000),
     analysed_by uuid,
     analysed_at timestamptz,
     closed_by uuid,
     closed_at timestamptz,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, response_id),
     check ((status = 'closed') = (closed_at is not null)),
     foreign key (tenant_id, response_id) references survey_responses (tenant_id, id) on delete cascade,
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, owner_user_id) references memberships (tenant_id, user_id)
       on delete set null (owner_user_id)
   )`,
  `create index survey_follow_ups_created_idx on survey_follow_ups (tenant_id, created_at desc)`,
  `create index survey_follow_ups_task_idx on survey_follow_ups (tenant_id, task_id) where task_id is not null`,
  ...tenantTable('survey_follow_ups'),

  `select pgboss.create_queue('surveys.schedule-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('surveys.schedule-tenant', '{"policy":"standard"}')`,
  `select pgboss.create_queue('surveys.send', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The surveys migration cannot be reverted.');
}
