import { type Kysely, sql } from 'kysely';

/*
 * Leads (线索): the people and companies who showed interest before they are customers.
 * - `leads`: who (person, company, contact details and their match keys, so the duplicate
 *   check against leads and customers reads an index), where from (source, campaign), what
 *   they asked for (intent, needs, budget, expected timing), who works them (owner, team),
 *   where they are (new → contacted → qualified → converted / disqualified with a reason),
 *   their grade (线索等级) with the explanation of the rule that matched, the follow-up SLA
 *   (due, first contact, breach, escalation), the 公海 flags and the conversion's result.
 * - `lead_grade_history`: every grade change (from → to, when, why, by which rule or person).
 * - `lead_activities`: contacts logged on a lead (calls, visits, messages …); the first one
 *   stops the follow-up clock.
 * - The list-like tables (saved views, imports, import mappings, exports) name their list
 *   by format instead of a closed list, so leads and the capabilities after them need no
 *   migration to have saved views, imports and exports; `@crm/domain` keeps the closed lists.
 * Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = ['leads', 'lead_grade_history', 'lead_activities'];
const LEAD_SOURCES = ['web_form', 'import', 'manual', 'api', 'event', 'referral'];
const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'disqualified'];
const LEAD_INTENTS = [
  'price',
  'proposal',
  'visit_booked',
  'features',
  'product_question',
  'browsed',
  'other',
];
const LEAD_DISQUALIFY_REASONS = [
  'no_budget',
  'no_need',
  'no_response',
  'competitor',
  'duplicate',
  'invalid_contact',
  'other',
];
const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');
const LIST_NAME = `'^[a-z][a-z_]{0,39}$'`;

const statements = [
  `create table leads (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     person_name text check (length(person_name) between 1 and 100),
     company_name text check (length(company_name) between 1 and 200),
     job_title text check (length(job_title) <= 100),
     phone text check (length(phone) <= 40),
     email text check (length(email) <= 254),
     wechat text check (length(wechat) <= 100),
     phone_key text generated always as (crm_normalize_phone(phone)) stored,
     email_key text generated always as (crm_normalize_email(email)) stored,
     region text check (length(region) <= 100),
     industry text check (length(industry) <= 100),
     company_size integer check (company_size >= 0),
     source text not null default 'manual' check (source in (${list(LEAD_SOURCES)})),
     campaign text check (length(campaign) <= 200),
     intent text check (intent in (${list(LEAD_INTENTS)})),
     needs text[] not null default '{}' check (cardinality(needs) <= 50),
     budget numeric(16, 2) check (budget >= 0),
     currency text not null default 'CNY' check (currency ~ '^[A-Z]{3}$'),
     expected_close_on date,
     decision_maker_reached boolean not null default false,
     custom_fields jsonb not null default '{}' check (jsonb_typeof(custom_fields) = 'object'),
     notes text check (length(notes) <= 4000),
     owner_user_id uuid,
     team_id uuid,
     assigned_at timestamptz,
     status text not null default 'new' check (status in (${list(LEAD_STATUSES)})),
     status_changed_at timestamptz not null default now(),
     disqualify_reason text check (disqualify_reason in (${list(LEAD_DISQUALIFY_REASONS)})),
     disqualify_note text check (length(disqualify_note) <= 500),
     grade text check (length(grade) between 1 and 8),
     grade_key text check (length(grade_key) <= 100),
     -- Which rule matched and why: { rule, grade, labels, matched: [{ field, op, value, actual }] }.
     grade_reason jsonb check (jsonb_typeof(grade_reason) = 'object'),
     graded_at timestamptz,
     follow_up_hours numeric(10, 2),
     follow_up_due_at timestamptz,
     first_contact_at timestamptz,
     -- Time to first contact, in minutes of business time on the tenant's work calendar.
     first_contact_minutes integer check (first_contact_minutes >= 0),
     last_contact_at timestamptz,
     contact_count integer not null default 0 check (contact_count >= 0),
     sla_breached_at timestamptz,
     sla_escalated_at timestamptz,
     -- 公海 (public pool): the pool's own rules and history live with that capability.
     in_pool boolean not null default false,
     released_at timestamptz,
     converted_customer_id uuid,
     converted_contact_id uuid,
     converted_at timestamptz,
     converted_by uuid,
     import_run_id uuid,
     search_grams text[] generated always as (search_grams(
       coalesce(person_name, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(phone, '') || ' '
       || coalesce(email, '') || ' ' || coalesce(wechat, '') || ' ' || coalesce(campaign, ''))) stored,
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     check (person_name is not null or company_name is not null),
     check (status <> 'disqualified' or disqualify_reason is not null),
     check (status <> 'converted' or converted_at is not null),
     check (not in_pool or owner_user_id is null),
     foreign key (tenant_id, owner_user_id) references memberships (tenant_id, user_id) on delete set null (owner_user_id),
     foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete set null (team_id),
     foreign key (tenant_id, converted_customer_id) references customers (tenant_id, id) on delete set null (converted_customer_id),
     foreign key (tenant_id, converted_contact_id) references contacts (tenant_id, id) on delete set null (converted_contact_id)
   )`,
  // The list's default order and a rep's own list (newest first, keyset on created_at, id).
  `create index leads_created_idx on leads (tenant_id, created_at desc, id desc)`,
  `create index leads_owner_idx on leads (tenant_id, owner_user_id, created_at desc, id desc)`,
  `create index leads_team_idx on leads (tenant_id, team_id, created_at desc, id desc)`,
  `create index leads_status_idx on leads (tenant_id, status, created_at desc, id desc)`,
  `create index leads_grade_idx on leads (tenant_id, grade, created_at desc, id desc)`,
  `create index leads_source_idx on leads (tenant_id, source, created_at desc)`,
  // The follow-up clocks still running: the breach job and the "due soon" sort.
  `create index leads_follow_up_due_idx on leads (tenant_id, follow_up_due_at, id)
     where first_contact_at is null and sla_breached_at is null and follow_up_due_at is not null`,
  `create index leads_pool_idx on leads (tenant_id, released_at desc, id) where in_pool`,
  `create index leads_phone_key_idx on leads (tenant_id, phone_key) where phone_key is not null`,
  `create index leads_email_key_idx on leads (tenant_id, email_key) where email_key is not null`,
  `create index leads_search_idx on leads using gin (search_grams)`,
  `create index leads_converted_customer_idx on leads (tenant_id, converted_customer_id) where converted_customer_id is not null`,
  `create index leads_import_run_idx on leads (tenant_id, import_run_id) where import_run_id is not null`,

  `create table lead_grade_history (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     lead_id uuid not null,
     from_grade text,
     to_grade text,
     from_key text,
     to_key text,
     -- What decided it: the plugin's grade rule, a re-grade rule, or a person.
     by_kind text not null check (by_kind in ('grade_rule', 'regrade_rule', 'user')),
     rule_key text check (length(rule_key) <= 100),
     reason jsonb not null default '{}' check (jsonb_typeof(reason) = 'object'),
     changed_by uuid,
     changed_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete cascade
   )`,
  `create index lead_grade_history_lead_idx on lead_grade_history (tenant_id, lead_id, changed_at desc)`,

  `create table lead_activities (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     lead_id uuid not null,
     kind text not null check (kind in ('call', 'visit', 'message', 'email', 'meeting', 'event')),
     occurred_at timestamptz not null default now(),
     summary text check (length(summary) <= 2000),
     user_id uuid,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete cascade
   )`,
  `create index lead_activities_lead_idx on lead_activities (tenant_id, lead_id, occurred_at desc)`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  `grant select, insert, update, delete on ${TENANT_TABLES.join(', ')} to crm_app`,

  // Lists by name: saved views belong to one list, and a view's name is unique within it.
  `alter table saved_views
     add column entity text not null default 'customers' check (entity ~ ${LIST_NAME})`,
  `alter table saved_views drop constraint saved_views_tenant_id_owner_user_id_name_key`,
  `alter table saved_views add constraint saved_views_owner_entity_name_key unique (tenant_id, owner_user_id, entity, name)`,
  `alter table import_runs drop constraint import_runs_entity_check,
     add constraint import_runs_entity_check check (entity ~ ${LIST_NAME})`,
  `alter table import_mappings drop constraint import_mappings_entity_check,
     add constraint import_mappings_entity_check check (entity ~ ${LIST_NAME})`,
  `alter table export_runs drop constraint export_runs_entity_check,
     add constraint export_runs_entity_check check (entity ~ ${LIST_NAME})`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The leads migration cannot be reverted.');
}
