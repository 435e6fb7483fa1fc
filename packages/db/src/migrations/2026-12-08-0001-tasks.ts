import { type Kysely, sql } from 'kysely';

/*
 * Tasks (任务): the one backbone of "what to do next" that maintenance plans, reminders,
 * interactions' next steps and, later, leads, pipeline, tickets and surveys put their
 * follow-ups on. A task is due on a day (`due_on`, the tenant's calendar day) and may carry
 * a precise deadline (`due_at`, an SLA). `source` and `source_id` say what generated it;
 * `source_key` names the occasion (a plan's occurrence, a reminder's year, an interaction),
 * unique per tenant, so a generator that runs twice never makes the same task twice.
 * Existing interactions' 下一步 with a 截止日期 become open tasks of their author.
 * Frozen in time; runs as the owner role.
 */
const TASK_TYPES = [
  'visit',
  'call',
  'video_call',
  'online',
  'wechat',
  'email',
  'content_push',
  'needs_review',
  'callback',
  'care',
  'handoff',
  'follow_up',
  'other',
];
const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

const statements = [
  `create table tasks (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     title text not null check (length(title) between 1 and 200),
     type text not null check (type in (${list(TASK_TYPES)})),
     notes text check (length(notes) <= 4000),
     customer_id uuid,
     contact_id uuid,
     related_kind text check (related_kind ~ '^[a-z][a-z_]{0,39}$'),
     related_id uuid,
     owner_user_id uuid,
     team_id uuid,
     due_on date not null,
     due_at timestamptz,
     priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
     status text not null default 'open' check (status in ('open', 'done', 'cancelled', 'skipped')),
     status_reason text check (length(status_reason) <= 500),
     closed_at timestamptz,
     closed_by uuid,
     interaction_id uuid,
     source text not null default 'manual' check (source in ('manual', 'plan', 'reminder', 'rule', 'interaction')),
     source_id uuid,
     source_key text check (length(source_key) <= 300),
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     check ((status = 'open') = (closed_at is null)),
     check ((related_kind is null) = (related_id is null)),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade,
     foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id),
     foreign key (tenant_id, owner_user_id) references memberships (tenant_id, user_id) on delete set null (owner_user_id),
     foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete set null (team_id),
     foreign key (tenant_id, interaction_id) references interactions (tenant_id, id) on delete set null (interaction_id)
   )`,
  // 我的任务: a member's open tasks by day (keyset on due_on, due_at, id).
  `create index tasks_owner_open_idx on tasks (tenant_id, owner_user_id, due_on, due_at, id) where status = 'open'`,
  // Done / cancelled history of a member, newest first.
  `create index tasks_owner_closed_idx on tasks (tenant_id, owner_user_id, closed_at desc, id) where status <> 'open'`,
  // The team's overdue board and the daily jobs: open tasks by day across the tenant.
  `create index tasks_open_due_idx on tasks (tenant_id, due_on, id) where status = 'open'`,
  `create index tasks_customer_idx on tasks (tenant_id, customer_id, due_on)`,
  `create index tasks_source_idx on tasks (tenant_id, source, source_id)`,
  `create index tasks_related_idx on tasks (tenant_id, related_kind, related_id) where related_id is not null`,
  `create unique index tasks_source_key_idx on tasks (tenant_id, source_key) where source_key is not null`,

  `alter table tasks enable row level security`,
  `alter table tasks force row level security`,
  `create policy tenant_isolation on tasks
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert, update, delete on tasks to crm_app`,

  // The next steps already written: an open follow-up for the author (or, when the author is
  // gone, the customer's owner), due on the step's date.
  `alter table interactions no force row level security`,
  `alter table customers no force row level security`,
  `alter table tasks no force row level security`,
  `insert into tasks (tenant_id, title, type, customer_id, contact_id, owner_user_id, due_on, source, source_id,
       source_key, created_by, created_at)
   select i.tenant_id, left(coalesce(nullif(btrim(i.next_step), ''), '跟进'), 200), 'follow_up', i.customer_id,
       i.contact_id, coalesce(i.user_id, c.owner_user_id), i.next_step_due, 'interaction', i.id,
       'interaction:' || i.id, i.user_id, i.created_at
   from interactions i
   join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id
   where i.next_step_due is not null`,
  `alter table interactions force row level security`,
  `alter table customers force row level security`,
  `alter table tasks force row level security`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
