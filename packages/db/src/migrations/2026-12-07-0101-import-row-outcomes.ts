import { type Kysely, sql } from 'kysely';

/*
 * Every row's outcome of an import run, before (dry run) and after the commit: new, update
 * (of which record, by which key), skip (why), error, or candidate (kept as new and queued as
 * a possible duplicate of `matched_id`). Written set-based from the run's staging table in the
 * run's transaction; read a page at a time by row number, optionally by outcome. A run may
 * commit its valid rows and skip the rows with errors (`skip_error_rows`).
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `create table import_row_outcomes (
     tenant_id uuid not null,
     run_id uuid not null,
     row_number integer not null,
     outcome text not null check (outcome in ('new', 'update', 'skip', 'error', 'candidate')),
     -- The key that matched an existing record: customer_number, credit_code, phone, email,
     -- name, order_number, interaction; and its value as compared.
     match_kind text check (length(match_kind) <= 40),
     match_value text check (length(match_value) <= 400),
     -- The existing record the row matched (a customer, an order, an interaction), or the
     -- customer a candidate resembles.
     matched_id uuid,
     -- The customer the row is about: the new or updated customer, an order's or interaction's customer.
     customer_id uuid,
     -- Why a row is skipped, or its first error's code.
     reason text check (length(reason) <= 60),
     primary key (tenant_id, run_id, row_number),
     foreign key (tenant_id, run_id) references import_runs (tenant_id, id) on delete cascade
   )`,
  `create index import_row_outcomes_outcome_idx on import_row_outcomes (tenant_id, run_id, outcome, row_number)`,
  `alter table import_row_outcomes enable row level security`,
  `alter table import_row_outcomes force row level security`,
  `create policy tenant_isolation on import_row_outcomes
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert, update, delete on import_row_outcomes to crm_app`,
  `alter table import_runs add column skip_error_rows boolean not null default false`,
  `alter table import_runs add column outcome_counts jsonb not null default '{}'
     check (jsonb_typeof(outcome_counts) = 'object')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The import row outcomes migration cannot be reverted.');
}
