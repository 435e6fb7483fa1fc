import type { ColumnType } from 'kysely';
import type {
  AuditLogTable,
  ContactsTable,
  InteractionsTable,
  LifecycleChangesTable,
  OrderLinesTable,
  OrdersTable,
  TeamsTable,
} from './customer-360.table';
import type { CustomersTable } from './customers.table';
import type { KpiTargetsTable } from './dashboards.table';
import type {
  CustomerMatchKeysTable,
  CustomerMergesTable,
  DuplicateCandidatesTable,
  DuplicateScansTable,
} from './duplicates.table';
import type { ExportFileChunksTable, ExportRunsTable } from './exports.table';
import type { IdempotencyKeysTable } from './idempotency.table';
import type { CustomerNotesTable, CustomerOpeningBalancesTable } from './import-targets.table';
import type {
  ImportErrorsTable,
  ImportFileChunksTable,
  ImportFilesTable,
  ImportMappingsTable,
  ImportRowOutcomesTable,
  ImportRunsTable,
} from './imports.table';
import type { InvitationsTable } from './invitations.table';
import type { LeadActivitiesTable, LeadGradeHistoryTable, LeadHistoryTable, LeadsTable } from './leads.table';
import type { LoyaltyPointsTable, LoyaltySettingsTable, ReferralsTable } from './loyalty.table';
import type { MembershipsTable } from './memberships.table';
import type {
  EmailOutboxTable,
  NotificationPreferencesTable,
  NotificationsTable,
} from './notifications.table';
import type {
  ApiKeysTable,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
  WebhookEventsTable,
  WecomBindingsTable,
  WecomOutboxTable,
  WecomSettingsTable,
} from './open-platform.table';
import type {
  OpportunitiesTable,
  OpportunityLinesTable,
  OpportunityLostReasonsTable,
  OpportunityStageHistoryTable,
} from './opportunities.table';
import type { MaintenancePlansTable, PlanCadencesTable, PlanDecisionsTable } from './plans.table';
import type {
  AssignmentRulesTable,
  PoolMovesTable,
  PoolRecycleRulesTable,
  PoolSettingsTable,
} from './pool.table';
import type { CustomFieldDefinitionsTable, SavedViewsTable, TagsTable } from './profile-lists.table';
import type { ReminderSettingsTable } from './reminders.table';
import type {
  CustomerSecretsTable,
  TenantDataKeysTable,
  TenantIndexKeysTable,
} from './sensitive-fields.table';
import type { SessionsTable } from './sessions.table';
import type {
  SurveyFollowUpsTable,
  SurveyInvitationsTable,
  SurveyResponsesTable,
  SurveySettingsTable,
  SurveysTable,
} from './surveys.table';
import type { TasksTable } from './tasks.table';
import type { TenantsTable } from './tenants.table';
import type {
  TicketAttachmentsTable,
  TicketCategoriesTable,
  TicketEventsTable,
  TicketInboundMessagesTable,
  TicketInboundSettingsTable,
  TicketSlaPoliciesTable,
  TicketsTable,
} from './tickets.table';
import type {
  CustomerTiersTable,
  TenantPluginSettingsTable,
  TierHistoryTable,
  TierTouchesTable,
} from './tiering.table';
import type { UsersTable } from './users.table';
import type {
  StatutoryCalendarDaysTable,
  WorkCalendarOverridesTable,
  WorkCalendarSettingsTable,
} from './work-calendar.table';

export type Database = {
  tenants: TenantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  customers: CustomersTable;
  teams: TeamsTable;
  contacts: ContactsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  interactions: InteractionsTable;
  tasks: TasksTable;
  tickets: TicketsTable;
  referrals: ReferralsTable;
  loyalty_points: LoyaltyPointsTable;
  loyalty_settings: LoyaltySettingsTable;
  ticket_events: TicketEventsTable;
  ticket_attachments: TicketAttachmentsTable;
  ticket_categories: TicketCategoriesTable;
  ticket_sla_policies: TicketSlaPoliciesTable;
  ticket_inbound_messages: TicketInboundMessagesTable;
  ticket_inbound_settings: TicketInboundSettingsTable;
  surveys: SurveysTable;
  survey_settings: SurveySettingsTable;
  survey_invitations: SurveyInvitationsTable;
  survey_responses: SurveyResponsesTable;
  survey_follow_ups: SurveyFollowUpsTable;
  reminder_settings: ReminderSettingsTable;
  plan_cadences: PlanCadencesTable;
  maintenance_plans: MaintenancePlansTable;
  plan_decisions: PlanDecisionsTable;
  lifecycle_changes: LifecycleChangesTable;
  audit_log: AuditLogTable;
  tags: TagsTable;
  custom_field_definitions: CustomFieldDefinitionsTable;
  saved_views: SavedViewsTable;
  tenant_data_keys: TenantDataKeysTable;
  tenant_index_keys: TenantIndexKeysTable;
  customer_secrets: CustomerSecretsTable;
  idempotency_keys: IdempotencyKeysTable;
  customer_match_keys: CustomerMatchKeysTable;
  duplicate_candidates: DuplicateCandidatesTable;
  customer_merges: CustomerMergesTable;
  duplicate_scans: DuplicateScansTable;
  export_runs: ExportRunsTable;
  export_file_chunks: ExportFileChunksTable;
  import_files: ImportFilesTable;
  import_file_chunks: ImportFileChunksTable;
  import_mappings: ImportMappingsTable;
  import_runs: ImportRunsTable;
  import_errors: ImportErrorsTable;
  import_row_outcomes: ImportRowOutcomesTable;
  tier_history: TierHistoryTable;
  customer_tiers: CustomerTiersTable;
  tier_touches: TierTouchesTable;
  tenant_plugin_settings: TenantPluginSettingsTable;
  customer_notes: CustomerNotesTable;
  customer_opening_balances: CustomerOpeningBalancesTable;
  statutory_calendar_days: StatutoryCalendarDaysTable;
  work_calendar_settings: WorkCalendarSettingsTable;
  work_calendar_overrides: WorkCalendarOverridesTable;
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  email_outbox: EmailOutboxTable;
  leads: LeadsTable;
  lead_grade_history: LeadGradeHistoryTable;
  lead_activities: LeadActivitiesTable;
  lead_history: LeadHistoryTable;
  kpi_targets: KpiTargetsTable;
  opportunities: OpportunitiesTable;
  opportunity_lines: OpportunityLinesTable;
  opportunity_stage_history: OpportunityStageHistoryTable;
  opportunity_lost_reasons: OpportunityLostReasonsTable;
  api_keys: ApiKeysTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  wecom_settings: WecomSettingsTable;
  wecom_bindings: WecomBindingsTable;
  wecom_outbox: WecomOutboxTable;
  assignment_rules: AssignmentRulesTable;
  pool_settings: PoolSettingsTable;
  pool_recycle_rules: PoolRecycleRulesTable;
  pool_moves: PoolMovesTable;
  /** Tenant ids only, for work that runs for every tenant. */
  tenant_directory: { id: string; created_at: ColumnType<Date, Date | string | undefined, never> };
};

export * from './customer-360.table';
export * from './customers.table';
export * from './dashboards.table';
export * from './duplicates.table';
export * from './exports.table';
export * from './idempotency.table';
export * from './import-targets.table';
export * from './imports.table';
export * from './invitations.table';
export * from './leads.table';
export * from './loyalty.table';
export * from './memberships.table';
export * from './notifications.table';
export * from './open-platform.table';
export * from './opportunities.table';
export * from './plans.table';
export * from './pool.table';
export * from './profile-lists.table';
export * from './reminders.table';
export * from './sensitive-fields.table';
export * from './sessions.table';
export * from './surveys.table';
export * from './tasks.table';
export * from './tenants.table';
export * from './tickets.table';
export * from './tiering.table';
export * from './users.table';
export * from './work-calendar.table';
