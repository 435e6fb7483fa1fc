import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './2026-11-22-0001-foundation';
import * as customer360 from './2026-11-22-0002-customer-360';
import * as jobQueue from './2026-11-22-0003-job-queue';
import * as lifecycleJobs from './2026-11-22-0004-lifecycle-jobs';
import * as profileLists from './2026-11-22-0005-profile-lists';
import * as idempotency from './2026-11-22-0006-idempotency';
import * as sensitiveFields from './2026-11-22-0007-sensitive-fields';
import * as duplicates from './2026-11-22-0008-duplicates';
import * as importsExports from './2026-11-22-0009-imports-exports';
import * as exportsMigration from './2026-11-22-0010-exports';
import * as tiering from './2026-11-22-0011-tiering';
import * as industryPlugins from './2026-11-22-0012-industry-plugins';
import * as contactKeysFast from './2026-11-22-0013-contact-keys-fast';
import * as importRowOutcomes from './2026-12-07-0101-import-row-outcomes';
import * as identityPhones from './2026-12-07-0201-identity-phones';
import * as createAnyway from './2026-12-07-0202-create-anyway';
import * as formatPhone from './2026-12-07-0203-format-phone';
import * as phoneSuffixIndex from './2026-12-07-0204-phone-suffix-index';
import * as importTargets from './2026-12-07-0301-import-targets';
import * as incrementalTiers from './2026-12-07-0401-incremental-tiers';
import * as customFieldBounds from './2026-12-07-0501-custom-field-bounds';
import * as lifecycleOnePlace from './2026-12-07-0801-lifecycle-one-place';
import * as pairVerdict from './2026-12-07-1001-pair-verdict';
import * as phonePrefixIndex from './2026-12-07-1101-phone-prefix-index';
import * as tasks from './2026-12-08-0001-tasks';
import * as workCalendar from './2026-12-08-0101-work-calendar';
import * as notifications from './2026-12-08-0201-notifications';
import * as maintenancePlans from './2026-12-08-0301-maintenance-plans';
import * as reminders from './2026-12-08-0401-reminders';
import * as leads from './2026-12-09-0101-leads';
import * as leadEvents from './2026-12-09-0201-lead-events';
import * as tickets from './2026-12-09-0501-tickets';
import * as loginRateLimits from './2026-12-09-0901-login-rate-limits';
import * as qualifiedFunctionCalls from './2026-12-10-0001-qualified-function-calls';
import * as leadHistory from './2026-12-10-0101-lead-history';
import * as assignmentAndPool from './2026-12-10-0201-assignment-and-pool';
import * as opportunities from './2026-12-10-0301-opportunities';
import * as surveys from './2026-12-10-0501-surveys';
import * as openPlatform from './2026-12-10-0601-open-platform';
import * as dashboards from './2026-12-10-0701-dashboards';
import * as loyalty from './2026-12-12-0301-loyalty';
import * as ticketInboundEmail from './2026-12-12-0302-ticket-inbound-email';
import * as weeklySummary from './2026-12-12-0501-weekly-summary';
import * as wecomAttempts from './2026-12-12-0601-wecom-attempts';
import * as requestId from './2026-12-12-0801-request-id';
import * as taskOverdueAnnounced from './2026-12-14-0301-task-overdue-announced';
import * as customerExternalId from './2026-12-14-0302-customer-external-id';
import * as auditEveryMutation from './2026-12-14-0501-audit-every-mutation';
import * as importBulkWrites from './2026-12-14-0701-import-bulk-writes';
import * as leadRegradeRequests from './2026-12-16-0201-lead-regrade-requests';
import * as authEvents from './2026-12-16-0501-auth-events';
import * as importBulkOrders from './2026-12-16-0601-import-bulk-orders';
import * as openSession from './2026-12-16-0701-open-session';
import * as customerTiers from './2026-12-16-0801-customer-tiers';
import * as factsRefreshTriggers from './2026-12-18-0801-facts-refresh-triggers';

/** Every migration, in order. Files are frozen in time; add new ones, never edit old ones. */
const migrations: Record<string, Migration> = {
  '2026-11-22-0001-foundation': foundation,
  '2026-11-22-0002-customer-360': customer360,
  '2026-11-22-0003-job-queue': jobQueue,
  '2026-11-22-0004-lifecycle-jobs': lifecycleJobs,
  '2026-11-22-0005-profile-lists': profileLists,
  '2026-11-22-0006-idempotency': idempotency,
  '2026-11-22-0007-sensitive-fields': sensitiveFields,
  '2026-11-22-0008-duplicates': duplicates,
  '2026-11-22-0009-imports-exports': importsExports,
  '2026-11-22-0010-exports': exportsMigration,
  '2026-11-22-0011-tiering': tiering,
  '2026-11-22-0012-industry-plugins': industryPlugins,
  '2026-11-22-0013-contact-keys-fast': contactKeysFast,
  '2026-12-07-0101-import-row-outcomes': importRowOutcomes,
  '2026-12-07-0201-identity-phones': identityPhones,
  '2026-12-07-0202-create-anyway': createAnyway,
  '2026-12-07-0203-format-phone': formatPhone,
  '2026-12-07-0204-phone-suffix-index': phoneSuffixIndex,
  '2026-12-07-0301-import-targets': importTargets,
  '2026-12-07-0401-incremental-tiers': incrementalTiers,
  '2026-12-07-0501-custom-field-bounds': customFieldBounds,
  '2026-12-07-0801-lifecycle-one-place': lifecycleOnePlace,
  '2026-12-07-1001-pair-verdict': pairVerdict,
  '2026-12-07-1101-phone-prefix-index': phonePrefixIndex,
  '2026-12-08-0001-tasks': tasks,
  '2026-12-08-0101-work-calendar': workCalendar,
  '2026-12-08-0201-notifications': notifications,
  '2026-12-08-0301-maintenance-plans': maintenancePlans,
  '2026-12-08-0401-reminders': reminders,
  '2026-12-09-0101-leads': leads,
  '2026-12-09-0201-lead-events': leadEvents,
  '2026-12-09-0501-tickets': tickets,
  '2026-12-09-0901-login-rate-limits': loginRateLimits,
  '2026-12-10-0001-qualified-function-calls': qualifiedFunctionCalls,
  '2026-12-10-0101-lead-history': leadHistory,
  '2026-12-10-0701-dashboards': dashboards,
  '2026-12-10-0301-opportunities': opportunities,
  '2026-12-10-0501-surveys': surveys,
  '2026-12-10-0601-open-platform': openPlatform,
  '2026-12-10-0201-assignment-and-pool': assignmentAndPool,
  '2026-12-12-0501-weekly-summary': weeklySummary,
  '2026-12-12-0601-wecom-attempts': wecomAttempts,
  '2026-12-12-0301-loyalty': loyalty,
  '2026-12-12-0302-ticket-inbound-email': ticketInboundEmail,
  '2026-12-12-0801-request-id': requestId,
  '2026-12-14-0701-import-bulk-writes': importBulkWrites,
  '2026-12-14-0501-audit-every-mutation': auditEveryMutation,
  '2026-12-14-0301-task-overdue-announced': taskOverdueAnnounced,
  '2026-12-14-0302-customer-external-id': customerExternalId,
  '2026-12-16-0201-lead-regrade-requests': leadRegradeRequests,
  '2026-12-16-0501-auth-events': authEvents,
  '2026-12-16-0601-import-bulk-orders': importBulkOrders,
  '2026-12-16-0701-open-session': openSession,
  '2026-12-16-0801-customer-tiers': customerTiers,
  '2026-12-18-0801-facts-refresh-triggers': factsRefreshTriggers,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
