import { type Kysely, sql } from 'kysely';

/*
 * Dashboards (数据看板):
 * - `kpi_targets`: a tenant's own target for a KPI of the catalogue (packages/domain
 *   dashboards/kpis.ts), replacing the playbooks' default; a row per KPI the tenant changed.
 * - indexes the period figures read by date rather than per customer: lifecycle and tier
 *   moves by when they happened, tasks by due day.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `create table kpi_targets (
     tenant_id uuid not null references tenants (id) on delete cascade,
     kpi text not null check (kpi ~ '^[a-z][a-z0-9_]{0,62}$'),
     target numeric(14, 2) not null,
     updated_by uuid,
     updated_at timestamptz not null default now(),
     primary key (tenant_id, kpi)
   )`,
  `alter table kpi_targets enable row level security`,
  `alter table kpi_targets force row level security`,
  `create policy tenant_isolation on kpi_targets
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert, update, delete on kpi_targets to crm_app`,

  `create index lifecycle_changes_changed_idx on lifecycle_changes (tenant_id, changed_at, to_stage)`,
  `create index tier_history_changed_idx on tier_history (tenant_id, changed_at)`,
  `create index tasks_due_idx on tasks (tenant_id, due_on)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The dashboards migration cannot be reverted.');
}
