import { type Kysely, sql } from 'kysely';

/*
 * Opportunities (商机) and the pipeline.
 * - `opportunities`: the deal — name, amount (numeric + currency), expected close date,
 *   probability, core needs, competitors, the decision chain, the customer / contact / lead it
 *   is about, owner and team; where it is in the tenant's pipeline (`stage`, a key of the
 *   plugin's stages or the core's default ones, and `stage_kind`: open, won, lost or
 *   after_sales, so lists and metrics need not know the plugin) and since when
 *   (`stage_entered_at`); the standard actions ticked off (`actions_done`: action key →
 *   { at, by }); why it was lost (a key of the tenant's lost reasons) and the order and
 *   hand-off task a won deal made.
 * - `opportunity_lines`: products (line items): product, quantity, unit price.
 * - `opportunity_stage_history`: every move (from → to, when, by whom, how long it was in
 *   the stage it left), the source of time in stage and sales cycle metrics.
 * - `opportunity_lost_reasons`: the tenant's own lost reasons, and the plugin's it hides.
 * Frozen in time; runs as the owner role.
 */
const KEY = `'^[a-z][a-z0-9_]{0,39}$'`;
const KINDS = `'open', 'won', 'lost', 'after_sales'`;

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
  `create table opportunities (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 200),
     customer_id uuid,
     contact_id uuid,
     lead_id uuid,
     owner_user_id uuid,
     team_id uuid,
     stage text not null check (stage ~ ${KEY}),
     stage_kind text not null default 'open' check (stage_kind in (${KINDS})),
     stage_entered_at timestamptz not null default now(),
     amount numeric(16, 2) check (amount >= 0),
     currency text not null default 'CNY' check (currency ~ '^[A-Z]{3}$'),
     expected_close_on date,
     probability integer not null default 0 check (probability between 0 and 100),
     needs text[] not null default '{}' check (cardinality(needs) <= 50),
     competitors text[] not null default '{}' check (cardinality(competitors) <= 20),
     -- [{ name, title, role: decision_maker | influencer | user | gatekeeper | sponsor, note }]
     decision_chain jsonb not null default '[]' check (jsonb_typeof(decision_chain) = 'array'),
     actions_done jsonb not null default '{}' check (jsonb_typeof(actions_done) = 'object'),
     notes text check (length(notes) <= 4000),
     lost_reason text check (lost_reason ~ ${KEY}),
     lost_note text check (length(lost_note) <= 500),
     won_at timestamptz,
     lost_at timestamptz,
     order_id uuid,
     handoff_task_id uuid,
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     check (stage_kind <> 'lost' or lost_reason is not null),
     foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete set null (customer_id),
     foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id),
     foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete set null (lead_id),
     foreign key (tenant_id, owner_user_id) references memberships (tenant_id, user_id) on delete set null (owner_user_id),
     foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete set null (team_id),
     foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete set null (order_id)
   )`,
  // The kanban: each stage's first page, newest in the stage first.
  `create index opportunities_stage_idx on opportunities (tenant_id, stage, stage_entered_at desc, id desc)`,
  `create index opportunities_created_idx on opportunities (tenant_id, created_at desc, id desc)`,
  `create index opportunities_owner_idx on opportunities (tenant_id, owner_user_id, created_at desc, id desc)`,
  `create index opportunities_team_idx on opportunities (tenant_id, team_id, created_at desc, id desc)`,
  `create index opportunities_close_idx on opportunities (tenant_id, expected_close_on, id) where stage_kind = 'open'`,
  `create index opportunities_customer_idx on opportunities (tenant_id, customer_id) where customer_id is not null`,
  `create index opportunities_lead_idx on opportunities (tenant_id, lead_id) where lead_id is not null`,
  `create index opportunities_won_idx on opportunities (tenant_id, won_at) where won_at is not null`,
  ...tenantTable('opportunities'),

  `create table opportunity_lines (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     opportunity_id uuid not null,
     position integer not null check (position >= 0),
     product text not null check (length(product) between 1 and 200),
     quantity numeric(14, 3) not null check (quantity > 0),
     unit_price numeric(16, 2) not null check (unit_price >= 0),
     primary key (tenant_id, id),
     foreign key (tenant_id, opportunity_id) references opportunities (tenant_id, id) on delete cascade
   )`,
  `create index opportunity_lines_opportunity_idx on opportunity_lines (tenant_id, opportunity_id, position)`,
  ...tenantTable('opportunity_lines'),

  `create table opportunity_stage_history (
     tenant_id uuid not null,
     id uuid not null default gen_random_uuid(),
     opportunity_id uuid not null,
     from_stage text check (from_stage ~ ${KEY}),
     to_stage text not null check (to_stage ~ ${KEY}),
     to_kind text not null check (to_kind in (${KINDS})),
     -- How long the deal was in the stage it left (null for the first entry).
     seconds_in_from bigint check (seconds_in_from >= 0),
     changed_by uuid,
     changed_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, opportunity_id) references opportunities (tenant_id, id) on delete cascade
   )`,
  `create index opportunity_stage_history_opportunity_idx
     on opportunity_stage_history (tenant_id, opportunity_id, changed_at desc)`,
  ...tenantTable('opportunity_stage_history'),

  `create table opportunity_lost_reasons (
     tenant_id uuid not null references tenants (id) on delete cascade,
     key text not null check (key ~ ${KEY}),
     label_zh text check (length(label_zh) between 1 and 100),
     label_en text check (length(label_en) between 1 and 100),
     -- A plugin's reason the tenant does not offer any more (the row then carries no labels).
     hidden boolean not null default false,
     created_at timestamptz not null default now(),
     primary key (tenant_id, key)
   )`,
  ...tenantTable('opportunity_lost_reasons'),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The opportunities migration cannot be reverted.');
}
