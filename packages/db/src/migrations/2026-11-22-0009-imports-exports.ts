import { type Kysely, sql } from 'kysely';

/*
 * Imports: uploaded files kept in the database in ~1 MB chunks (any server process or job
 * worker can read them), saved column mappings, runs with their progress and totals, and
 * every per-row error of a run (the downloadable report). The queues of the import jobs.
 * Frozen in time; runs as the owner role.
 */
const TENANT_TABLES = [
  'import_files',
  'import_file_chunks',
  'import_mappings',
  'import_runs',
  'import_errors',
];

const statements: string[] = [
  `create table import_files (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 255),
     size bigint not null default 0 check (size >= 0),
     chunk_count integer not null default 0 check (chunk_count >= 0),
     -- Hex SHA-256 of the whole file; null until the upload has completed.
     sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
     format text check (format in ('csv', 'xlsx')),
     encoding text check (length(encoding) <= 40),
     uploaded_by uuid not null,
     created_at timestamptz not null default now(),
     primary key (tenant_id, id)
   )`,
  `create index import_files_created_idx on import_files (tenant_id, created_at)`,
  `create table import_file_chunks (
     tenant_id uuid not null,
     file_id uuid not null,
     seq integer not null check (seq >= 0),
     bytes bytea not null,
     primary key (tenant_id, file_id, seq),
     foreign key (tenant_id, file_id) references import_files (tenant_id, id) on delete cascade
   )`,
  // Files are read back once or twice and mostly compress poorly against the CPU spent:
  // stored out of line, uncompressed.
  `alter table import_file_chunks alter column bytes set storage external`,

  `create table import_mappings (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     entity text not null check (entity in ('customers', 'orders', 'interactions')),
     name text not null check (length(name) between 1 and 50),
     -- File header → target field ('name', 'contact.phone', 'custom:<key>', …).
     columns jsonb not null check (jsonb_typeof(columns) = 'object'),
     created_by uuid,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     unique (tenant_id, entity, name)
   )`,

  `create table import_runs (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     entity text not null check (entity in ('customers', 'orders', 'interactions')),
     file_id uuid,
     file_name text not null,
     file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
     file_size bigint not null default 0,
     mapping jsonb not null check (jsonb_typeof(mapping) = 'object'),
     mapping_id uuid,
     on_match text not null default 'skip' check (on_match in ('update', 'skip')),
     dry_run boolean not null,
     status text not null default 'created'
       check (status in ('created', 'validating', 'validated', 'committing', 'committed', 'failed', 'cancelled')),
     rows_read bigint not null default 0,
     bytes_read bigint not null default 0,
     total_rows bigint not null default 0,
     valid_rows bigint not null default 0,
     error_rows bigint not null default 0,
     error_count bigint not null default 0,
     created_count bigint not null default 0,
     updated_count bigint not null default 0,
     skipped_count bigint not null default 0,
     cancel_requested boolean not null default false,
     -- Why a run failed (an error code), for the user.
     failure text check (length(failure) <= 200),
     created_by uuid not null,
     created_at timestamptz not null default now(),
     started_at timestamptz,
     finished_at timestamptz,
     updated_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, file_id) references import_files (tenant_id, id) on delete set null (file_id),
     foreign key (tenant_id, mapping_id) references import_mappings (tenant_id, id) on delete set null (mapping_id)
   )`,
  `create index import_runs_created_idx on import_runs (tenant_id, created_at desc, id desc)`,
  // A file is committed once per entity: a second commit of the same bytes is a no-op, and
  // two commits of it cannot run at the same time.
  `create unique index import_runs_once_idx on import_runs (tenant_id, entity, file_sha256)
     where not dry_run and status in ('created', 'validating', 'validated', 'committing', 'committed')`,

  `create table import_errors (
     tenant_id uuid not null,
     run_id uuid not null,
     row_number integer not null,
     seq integer not null,
     -- The file's header of the column, or '' for the row as a whole.
     column_name text not null default '',
     value text,
     reason text not null,
     message_zh text not null,
     message_en text not null,
     primary key (tenant_id, run_id, row_number, seq),
     foreign key (tenant_id, run_id) references import_runs (tenant_id, id) on delete cascade
   )`,

  ...TENANT_TABLES.flatMap((table) => [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table}
       using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
    `grant select, insert, update, delete on ${table} to crm_app`,
  ]),

  `select pgboss.create_queue('imports.run', '{"policy":"standard"}')`,
  `select pgboss.create_queue('imports.prune-all', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted.');
}
