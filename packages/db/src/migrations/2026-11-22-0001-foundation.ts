import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: never import application code here, never edit after release.
 * Runs as the owner role. The runtime role (crm_app) owns nothing and gets only
 * the grants below; every tenant table has RLS ENABLE + FORCE with USING and
 * WITH CHECK on the transaction-local setting app.tenant_id.
 */
const statements = [
  `create function app_tenant_id() returns uuid language sql stable
     as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$`,
  `create function app_user_id() returns uuid language sql stable
     as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$`,

  `create table tenants (
     id uuid primary key,
     name text not null check (length(name) between 1 and 200),
     industry text not null check (industry in ('retail', 'b2b', 'corporate-banking')),
     created_at timestamptz not null default now()
   )`,

  `create table users (
     id uuid primary key default gen_random_uuid(),
     email text not null check (email = lower(email) and length(email) <= 254),
     name text not null check (length(name) between 1 and 100),
     password_hash text not null,
     locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
     disabled_at timestamptz,
     created_at timestamptz not null default now(),
     password_changed_at timestamptz not null default now()
   )`,
  `create unique index users_email_key on users (email)`,

  `create table sessions (
     id text primary key,
     secret_hash bytea not null,
     user_id uuid not null references users (id) on delete cascade,
     active_tenant_id uuid references tenants (id) on delete set null,
     created_at timestamptz not null default now(),
     last_active_at timestamptz not null default now(),
     expires_at timestamptz not null
   )`,
  `create index sessions_user_id_idx on sessions (user_id)`,
  `create index sessions_active_tenant_id_idx on sessions (active_tenant_id)`,

  `create table memberships (
     tenant_id uuid not null references tenants (id) on delete cascade,
     user_id uuid not null references users (id) on delete cascade,
     role text not null check (role in ('owner', 'admin', 'sales_manager', 'sales_rep',
       'service_agent', 'marketing', 'analyst', 'viewer')),
     created_at timestamptz not null default now(),
     primary key (tenant_id, user_id)
   )`,
  `create index memberships_user_id_idx on memberships (user_id)`,

  `create table invitations (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     email text check (email = lower(email)),
     role text not null check (role in ('admin', 'sales_manager', 'sales_rep',
       'service_agent', 'marketing', 'analyst', 'viewer')),
     secret_hash bytea not null,
     invited_by uuid not null,
     expires_at timestamptz not null,
     accepted_at timestamptz,
     accepted_by uuid,
     revoked_at timestamptz,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id)
   )`,

  `create table customers (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 200),
     kind text not null check (kind in ('person', 'company')),
     phone text check (length(phone) <= 40),
     email text check (length(email) <= 254),
     owner_user_id uuid,
     created_by uuid,
     archived_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, owner_user_id) references memberships (tenant_id, user_id)
       on delete set null (owner_user_id)
   )`,
  `create index customers_created_at_idx on customers (tenant_id, created_at desc, id desc)`,
  `create index customers_updated_at_idx on customers (tenant_id, updated_at desc, id desc)`,
  `create index customers_name_idx on customers (tenant_id, name, id)`,
  `create index customers_owner_idx on customers (tenant_id, owner_user_id)`,

  // Row-level security: tenant tables only see the current tenant's rows.
  ...['tenants', 'memberships', 'invitations', 'customers'].flatMap((table) => {
    const column = table === 'tenants' ? 'id' : 'tenant_id';
    return [
      `alter table ${table} enable row level security`,
      `alter table ${table} force row level security`,
      `create policy tenant_isolation on ${table}
         using (${column} = app_tenant_id()) with check (${column} = app_tenant_id())`,
    ];
  }),
  // A signed-in user lists the tenants they belong to before choosing one (tenant switcher).
  `create policy member_reads_own_memberships on memberships for select
     using (user_id = app_user_id())`,
  `create policy member_reads_own_tenants on tenants for select
     using (exists (select 1 from memberships m where m.tenant_id = tenants.id and m.user_id = app_user_id()))`,

  `grant select, insert, update on tenants to crm_app`,
  `grant select, insert, update on users to crm_app`,
  `grant select, insert, update, delete on sessions to crm_app`,
  `grant select, insert, update, delete on memberships to crm_app`,
  `grant select, insert, update, delete on invitations to crm_app`,
  `grant select, insert, update, delete on customers to crm_app`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be reverted.');
}
