import type { CrmDatabase } from '@crm/db';
import type { JobQueue } from '@crm/jobs';
import { LIFECYCLE_SCHEDULE, type LifecycleJobs, registerLifecycleJobs } from './customers/customers.jobs';
import {
  type DashboardJobs,
  registerDashboardJobs,
  WEEKLY_SUMMARY_SCHEDULE,
} from './dashboards/dashboards.jobs';
import {
  DUPLICATES_SCHEDULE,
  type DuplicatesJobs,
  registerDuplicatesJobs,
} from './duplicates/duplicates.jobs';
import { EMAIL_SCHEDULE, type EmailJobs, registerEmailJobs } from './email/email.jobs';
import { EXPORT_PRUNE_SCHEDULE, type ExportJobs, registerExportJobs } from './exports/exports.jobs';
import { type IdempotencyJobs, registerIdempotencyJobs } from './idempotency';
import { IMPORT_PRUNE_SCHEDULE, type ImportJobs, registerImportJobs } from './imports/imports.jobs';
import {
  type LeadEventJobs,
  REGRADE_DAILY_SCHEDULE,
  registerLeadEventJobs,
} from './lead-events/lead-events.jobs';
import { LEAD_SLA_SCHEDULE, type LeadJobs, registerLeadJobs } from './leads/leads.jobs';
import type { Logger } from './logger';
import { LOYALTY_EXPIRY_SCHEDULE, type LoyaltyJobs, registerLoyaltyJobs } from './loyalty/loyalty.jobs';
import {
  DIGEST_SCHEDULE,
  type NotificationJobs,
  registerNotificationJobs,
} from './notifications/notifications.jobs';
import { PLANS_SCHEDULE, type PlansJobs, registerPlansJobs } from './plans/plans.jobs';
import type { PluginRegistry } from './plugins/registry';
import { POOL_RECYCLE_SCHEDULE, type PoolJobs, registerPoolJobs } from './pool/pool.jobs';
import { REMINDERS_SCHEDULE, type ReminderJobs, registerReminderJobs } from './reminders/reminders.jobs';
import { registerSensitiveJobs, type SensitiveJobs } from './sensitive/sensitive.jobs';
import { registerSurveyJobs, SURVEY_SCHEDULE, type SurveyJobs } from './surveys/surveys.jobs';
import { registerTicketJobs, TICKET_SLA_SCHEDULE, type TicketJobs } from './tickets/tickets.jobs';
import {
  registerTieringJobs,
  TIERING_PENDING_SCHEDULE,
  TIERING_SCHEDULE,
  type TieringJobOptions,
  type TieringJobs,
  type TierSourceResolver,
} from './tiering/tiering.jobs';
import { registerWebhookJobs, WEBHOOKS_SCHEDULE, type WebhookJobs } from './webhooks/webhooks.jobs';
import { registerWecomJobs, WECOM_SCHEDULE, type WecomJobs } from './wecom/wecom.jobs';

/** Every job the product runs, by name (each has a queue created by a migration). */
export type AppJobs = LifecycleJobs &
  IdempotencyJobs &
  ExportJobs &
  ImportJobs &
  DuplicatesJobs &
  SensitiveJobs &
  TieringJobs &
  EmailJobs &
  NotificationJobs &
  DashboardJobs &
  ReminderJobs &
  PlansJobs &
  LeadEventJobs &
  LeadJobs &
  TicketJobs &
  SurveyJobs &
  WebhookJobs &
  PoolJobs &
  WecomJobs &
  LoyaltyJobs;

/** Registers every capability's handlers; call before `jobs.start()`. */
export function registerJobs(
  jobs: JobQueue<AppJobs>,
  database: CrmDatabase,
  logger: Logger = SILENT,
  /** The tier model and settings of a tenant (the industry plugins'); none: re-tier jobs do nothing. */
  tierSource?: TierSourceResolver,
  tiering: TieringJobOptions = {},
  /** The industry plugins (their reminders); none: only the core's reminders run. */
  plugins?: PluginRegistry,
): void {
  registerLifecycleJobs(jobs, database);
  registerIdempotencyJobs(jobs, database);
  registerSensitiveJobs(jobs, database);
  registerDuplicatesJobs(jobs, database);
  registerExportJobs(jobs, database);
  registerImportJobs(jobs, database, logger, plugins);
  registerTieringJobs(jobs, database, tierSource, tiering);
  registerEmailJobs(jobs, database);
  registerNotificationJobs(jobs, database);
  registerDashboardJobs(jobs, database, plugins);
  registerReminderJobs(jobs, database, plugins);
  registerPlansJobs(jobs, database);
  registerLeadEventJobs(jobs, database, plugins);
  registerTicketJobs(jobs, database);
  registerLeadJobs(jobs, database);
  registerSurveyJobs(jobs, database, plugins);
  registerWebhookJobs(jobs, database);
  registerPoolJobs(jobs, database, plugins);
  registerWecomJobs(jobs, database);
  registerLoyaltyJobs(jobs, database, plugins);
}

const SILENT: Logger = { info() {}, warn() {}, error() {} };

/** Creates or updates the cron schedules; call after `jobs.start()`. */
export async function scheduleJobs(jobs: JobQueue<AppJobs>): Promise<void> {
  await jobs.schedule(
    'lifecycle.rederive-all',
    LIFECYCLE_SCHEDULE.cron,
    { day: '' },
    { tz: LIFECYCLE_SCHEDULE.tz },
  );
  await jobs.schedule('idempotency.prune', '17 * * * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.schedule(
    'duplicates.scan-all',
    DUPLICATES_SCHEDULE.cron,
    { day: '' },
    { tz: DUPLICATES_SCHEDULE.tz },
  );
  await jobs.schedule(
    'imports.prune-all',
    IMPORT_PRUNE_SCHEDULE.cron,
    { day: '' },
    { tz: IMPORT_PRUNE_SCHEDULE.tz },
  );
  await jobs.schedule(
    'tiering.retier-all',
    TIERING_SCHEDULE.cron,
    { quarter: '' },
    { tz: TIERING_SCHEDULE.tz },
  );
  await jobs.schedule(
    'tiering.retier-pending',
    TIERING_PENDING_SCHEDULE.cron,
    { day: '' },
    { tz: TIERING_PENDING_SCHEDULE.tz },
  );
  await jobs.schedule('email.drain-all', EMAIL_SCHEDULE.cron, {}, { tz: EMAIL_SCHEDULE.tz });
  await jobs.schedule('notifications.digest-all', DIGEST_SCHEDULE.cron, {}, { tz: DIGEST_SCHEDULE.tz });
  await jobs.schedule(
    'dashboards.weekly-summary-all',
    WEEKLY_SUMMARY_SCHEDULE.cron,
    {},
    { tz: WEEKLY_SUMMARY_SCHEDULE.tz },
  );
  await jobs.schedule(
    'reminders.run-all',
    REMINDERS_SCHEDULE.cron,
    { day: '' },
    { tz: REMINDERS_SCHEDULE.tz },
  );
  await jobs.schedule('plans.extend-all', PLANS_SCHEDULE.cron, { day: '' }, { tz: PLANS_SCHEDULE.tz });
  await jobs.schedule('wecom.drain-all', WECOM_SCHEDULE.cron, {}, { tz: WECOM_SCHEDULE.tz });
  await jobs.schedule('webhooks.drain-all', WEBHOOKS_SCHEDULE.cron, {}, { tz: WEBHOOKS_SCHEDULE.tz });
  await jobs.schedule('tickets.sla-scan-all', TICKET_SLA_SCHEDULE.cron, {}, { tz: TICKET_SLA_SCHEDULE.tz });
  await jobs.schedule('leads.sla-scan-all', LEAD_SLA_SCHEDULE.cron, {}, { tz: LEAD_SLA_SCHEDULE.tz });
  await jobs.schedule(
    'loyalty.expire-all',
    LOYALTY_EXPIRY_SCHEDULE.cron,
    {},
    { tz: LOYALTY_EXPIRY_SCHEDULE.tz },
  );
  await jobs.schedule(
    'lead-events.regrade-daily-all',
    REGRADE_DAILY_SCHEDULE.cron,
    { day: '' },
    { tz: REGRADE_DAILY_SCHEDULE.tz },
  );
  await jobs.schedule('surveys.schedule-all', SURVEY_SCHEDULE.cron, { day: '' }, { tz: SURVEY_SCHEDULE.tz });
  await jobs.schedule(
    'pool.recycle-all',
    POOL_RECYCLE_SCHEDULE.cron,
    { day: '' },
    { tz: POOL_RECYCLE_SCHEDULE.tz },
  );
  await jobs.schedule(
    'exports.prune',
    EXPORT_PRUNE_SCHEDULE.cron,
    { hour: '' },
    { tz: EXPORT_PRUNE_SCHEDULE.tz },
  );
}
