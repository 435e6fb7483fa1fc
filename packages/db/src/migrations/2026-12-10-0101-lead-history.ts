import { type Kysely, sql } from 'kysely';

/*
 * A lead's history of moves that are not grades (those are `lead_grade_history`): its
 * creation, each status move (new → contacted → qualified → converted / disqualified, with
 * the reason) and each change of owner or team (a reassignment, an assignment rule, the 公海's
 * release, recycle and claim), who made it and why — the lead's timeline reads it with its
 * grade history, logged contacts and behaviour events.
 * Frozen in time; runs as the owner role.
 */
const statements = [
  `create table lead_history (
     tenant_id uuid not null references tenants (id) on delete cascade,
     id uuid not null default gen_random_uuid(),
     lead_id uuid not null,
     kind text not null check (kind in ('created', 'status', 'owner')),
     from_status text,
     to_status text,
     from_owner_id uuid,
     to_owner_id uuid,
     from_team_id uuid,
     to_team_id uuid,
     -- Why: a disqualify reason, an assignment's way ('manual', 'rule', 'claim', 'release', 'recycle', 'import' …).
     reason text check (length(reason) <= 100),
     note text check (length(note) <= 500),
     changed_by uuid,
     changed_at timestamptz not null default now(),
     primary key (tenant_id, id),
     foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete cascade
   )`,
  `create index lead_history_lead_idx on lead_history (tenant_id, lead_id, changed_at desc)`,
  `alter table lead_history enable row level security`,
  `alter table lead_history force row level security`,
  `create policy tenant_isolation on lead_history
     using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())`,
  `grant select, insert on lead_history to crm_app`,
  // The follow-up clock of the lead's current grade: its task, and the contact that stopped it
  // (a re-grade starts a new clock; first_contact_at keeps the very first contact).
  `alter table leads add column follow_up_task_id uuid, add column follow_up_done_at timestamptz`,
  `create index leads_follow_up_open_idx on leads (tenant_id, follow_up_due_at, id)
     where follow_up_done_at is null and sla_breached_at is null and follow_up_due_at is not null`,
  // The follow-up SLA scan (breaches, the owner told, the manager's escalation), per tenant.
  `select pgboss.create_queue('leads.sla-scan-all', '{"policy":"standard"}')`,
  `select pgboss.create_queue('leads.sla-scan-tenant', '{"policy":"standard"}')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The lead history migration cannot be reverted.');
}
