import { type Kysely, sql } from 'kysely';

/*
 * Exports: one run per requested file (what was asked — entity, format, filters, columns,
 * sort — its progress and result), and the file itself in chunks, so whichever server
 * process handles the download can stream it. Files expire (24 h); a scheduled job prunes
 * them. Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = ['export_runs', 'export_file_chunks'];

const statements = [
  `create table export_runs (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     entity text not null check (entity in ('customers', 'orders', 'interactions')),
     format text not null check (format in ('csv', 'xlsx')),
     locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
     filters jsonb not null default '{}' check (jsonb_typeof(filters) = 'object'),
     columns jsonb not null default '[]' check (jsonb_typeof(columns) = 'array'),
     sort jsonb not null default '{}' check (jsonb_typeof(sort) = 'object'),
     reveal_sensitive boolean not null default false,
     status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'expired')),
     rows_done integer not null default 0,
     rows_total integer,
     file_name text not null check (length(file_name) between 1 and 200),
     file_size bigint,
     error_code text,
     created_by uuid not null,
     created_at timestamptz not null default now(),
     started_at timestamptz,
     finished_at timestamptz,
     expires_at timestamptz not null default now() + interval '24 hours',
     primary key (tenant_id, id),
     foreign key (tenant_id, created_by) references memberships (tenant_id, user_id) on delete cascade
   )`,
  `create index export_runs_creator_idx on export_runs (tenant_id, created_by, created_at desc)`,
  `create index export_runs_expiry_idx on export_runs (tenant_id, expires_at)`,

  // Chunks of about 1 MB. Stored as they are: CSV compresses well, but compressing while
  // exporting costs more time than the space it saves for a file kept one day.
  `create table export_file_chunks (
     tenant_id uuid not null,
     run_id uuid not null,
     seq integer not null check (seq >= 0),
     bytes bytea not null,
     primary key (tenant_id, run_id, seq),
     foreign key (tenant_id, run_id) references export_runs (tenant_id, id) on delete cascade
   )`,
  `alter table export_file_chunks alter column bytes set storage external`,

  // A text cell that a spreadsheet would read as a formula (= + - @, tab, carriage return)
  // gets a leading apostrophe (OWASP CSV injection).
  `create function crm_csv_safe(value text) returns text language sql immutable parallel safe as $$
     select case when value ~ '^[=+\\-@\\t\\r]' then '''' || value else value end
   $$`,
  `grant execute on function crm_csv_safe(text) to crm_app`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  ]),
  `grant select, insert, update, delete on export_runs, export_file_chunks to crm_app`,

  `select pgboss.create_queue('exports.run', '{"policy":"standard"}')`,
  `select pgboss.create_queue('exports.prune', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The exports migration cannot be reverted.');
}
