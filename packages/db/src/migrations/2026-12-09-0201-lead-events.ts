import { type Kysely, sql } from 'kysely';

/*
 * Behaviour events, hosted lead forms and campaigns (docs/leads-and-pipeline.md, "Behaviour
 * events"):
 *
 * - `lead_events`: what a lead did — opened an email, clicked a tracked link, submitted a
 *   form, replied — attributed to the lead (and its contact / customer once known), with the
 *   campaign or form it came through. Append-only: the app role may read and insert, never
 *   update or delete (a lead's deletion cascades as the owner). `seq` orders events for the
 *   re-grade job's watermark; `dedup_key` makes "once per token per window" a constraint.
 * - `lead_event_watermarks`: per tenant, the last event the re-grade job has looked at.
 * - `lead_forms`: a tenant's hosted forms (their page is public at /f/<signed token>).
 * - `campaigns` and `campaign_recipients`: an email to a filtered list of leads, sent through
 *   the outbox, one row per lead it went to.
 * Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = [
  'lead_events',
  'lead_event_watermarks',
  'lead_forms',
  'campaigns',
  'campaign_recipients',
];
const EVENT_KINDS = ['email_open', 'link_click', 'form_submit', 'reply'];
const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

const statements = [
  `create table campaigns (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 100),
     subject text not null check (length(subject) between 1 and 200 and subject !~ '[\\r\\n]'),
     body text not null check (length(body) between 1 and 20000),
     -- The audience: a filter of the lead list ({ grades, statuses, sources, ... }).
     audience jsonb not null default '{}' check (jsonb_typeof(audience) = 'object'),
     status text not null default 'draft' check (status in ('draft', 'sending', 'sent')),
     sent_at timestamptz,
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, name)
   )`,
  `create index campaigns_created_idx on campaigns (tenant_id, created_at desc, id desc)`,

  `create table campaign_recipients (
     tenant_id uuid not null references tenants (id) on delete cascade,
     campaign_id uuid not null,
     lead_id uuid not null,
     email text not null check (length(email) between 3 and 320),
     sent_at timestamptz not null default now(),
     primary key (tenant_id, campaign_id, lead_id),
     foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete cascade,
     foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete cascade
   )`,
  `create index campaign_recipients_lead_idx on campaign_recipients (tenant_id, lead_id)`,

  `create table lead_forms (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 100),
     title text not null check (length(title) between 1 and 100),
     intro text check (length(intro) <= 1000),
     locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
     -- What a visitor may say they want; the lead's intent (its grade follows from it).
     intents text[] not null default '{price,features,browsed}' check (cardinality(intents) between 1 and 10),
     ask_company boolean not null default true,
     campaign_id uuid,
     active boolean not null default true,
     submissions integer not null default 0 check (submissions >= 0),
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, name),
     foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete set null (campaign_id)
   )`,

  `create table lead_events (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     seq bigint generated always as identity,
     lead_id uuid not null,
     contact_id uuid,
     customer_id uuid,
     campaign_id uuid,
     form_id uuid,
     kind text not null check (kind in (${list(EVENT_KINDS)})),
     occurred_at timestamptz not null default now(),
     target_url text check (length(target_url) <= 2000),
     details jsonb not null default '{}' check (jsonb_typeof(details) = 'object'),
     dedup_key text check (length(dedup_key) between 1 and 200),
     primary key (tenant_id, id),
     foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete cascade,
     foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete set null (customer_id),
     foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete set null (campaign_id),
     foreign key (tenant_id, form_id) references lead_forms (tenant_id, id) on delete set null (form_id)
   )`,
  // A lead's timeline and its behaviour facts (counts in a window, the last activity).
  `create index lead_events_lead_idx on lead_events (tenant_id, lead_id, occurred_at desc)`,
  // The re-grade job reads the events after its watermark.
  `create index lead_events_seq_idx on lead_events (tenant_id, seq)`,
  // A campaign's opened / clicked counts.
  `create index lead_events_campaign_idx on lead_events (tenant_id, campaign_id, kind, lead_id)
     where campaign_id is not null`,
  `create index lead_events_form_idx on lead_events (tenant_id, form_id) where form_id is not null`,
  `create index lead_events_contact_idx on lead_events (tenant_id, contact_id) where contact_id is not null`,
  `create index lead_events_customer_idx on lead_events (tenant_id, customer_id) where customer_id is not null`,
  `create unique index lead_events_dedup_idx on lead_events (tenant_id, dedup_key) where dedup_key is not null`,

  `create table lead_event_watermarks (
     tenant_id uuid not null references tenants (id) on delete cascade,
     last_seq bigint not null default 0,
     updated_at timestamptz not null default now(),
     primary key (tenant_id)
   )`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  // Events are append-only for the app.
  `grant select, insert on lead_events, campaign_recipients to crm_app`,
  `grant select, insert, update on lead_event_watermarks to crm_app`,
  `grant select, insert, update, delete on lead_forms, campaigns to crm_app`,

  `select pgboss.create_queue('lead-events.regrade-tenant', '{"policy":"stately"}')`,
  `select pgboss.create_queue('lead-events.regrade-daily-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('lead-events.regrade-daily-tenant', '{"policy":"standard"}')`,
  `select pgboss.create_queue('campaigns.send', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The lead events migration cannot be reverted.');
}
