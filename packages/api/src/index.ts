// The identity rule (create check, import, scan): exported so the server's tests judge pairs by it.
export { type IdentityRecord, identityOf } from '@crm/domain';
export { keyForCallQuery } from './api-keys/api-keys.repository';
export { apiKeyOutput } from './api-keys/api-keys.schemas';
export { API_KEY_PREFIX, hashSecret, type ParsedApiKey, parseApiKey } from './api-keys/api-keys.token';
export { assignCustomers, assignLeads } from './assignment/assignment.service';
export { loadWorkCalendar, readCalendarSettings } from './calendar/calendar.service';
export { type ApiDependencies, type Context, createContext, type Logger, type RequestInfo } from './context';
export { type CountOutput, countLimits, countRows } from './counts';
export { refreshCompleteness } from './customers/completeness.repository';
export { FACTS_COLUMNS, refreshCustomerFacts } from './customers/facts.repository';
export { type DashboardJobs, registerDashboardJobs } from './dashboards/dashboards.jobs';
export { queueWeeklySummaries } from './dashboards/dashboards.service';
export { runScan, scanTenantWhereRead } from './duplicates/duplicates.jobs';
export { mergeCustomers } from './duplicates/merge';
export { GROUP_CAP, recordCandidatesFor, scanTenant } from './duplicates/pairs';
export {
  type DrainOptions,
  type DrainResult,
  drainTenantOutbox,
  EMAIL_LEASE_SECONDS,
  EMAIL_MAX_ATTEMPTS,
  type EmailJobs,
  queueEmailDrain,
} from './email/email.jobs';
export { claimDueEmails } from './email/email.repository';
export type { EmailDraft } from './email/email.schemas';
export { enqueueEmail } from './email/email.service';
export {
  absoluteLink,
  type EmailSettings,
  emailSettings,
  installEmailSettings,
  type SmtpSettings,
} from './email/email.settings';
export {
  createEmailTransport,
  DeliveryError,
  type EmailTransport,
  type OutgoingEmail,
} from './email/email.transport';
export { AppError, ERRORS, type ErrorCode, httpStatusOf, translateError } from './errors';
export { contentDisposition, type ExportDownload, openExportDownload } from './exports/download';
export { pruneExpired as pruneExpiredExports } from './exports/exports.repository';
export { MAX_TENANT_RUNNING_EXPORTS } from './exports/exports.service';
export { runExport } from './exports/run-export';
export { LOCALES, type Locale, resolveLocale } from './i18n';
export { IDEMPOTENCY_RETENTION_HOURS, pruneIdempotencyKeys } from './idempotency';
export { AUDITED_COLUMNS } from './imports/bulk-write';
export { type HttpFailure, openErrorReport, type UploadResult, uploadImportFile } from './imports/http';
export { registerImportJobs } from './imports/imports.jobs';
export { MAX_TENANT_ACTIVE_IMPORTS } from './imports/imports.service';
export { importSessionName, type RunHooks, runImport } from './imports/pipeline';
export { openImportTemplate } from './imports/templates.http';
export { type AppJobs, registerJobs, scheduleJobs } from './jobs';
export { renderLeadFormPage } from './lead-events/form-page';
export {
  type LeadEventJobs,
  REGRADE_DAILY_SCHEDULE,
  registerLeadEventJobs,
} from './lead-events/lead-events.jobs';
export type { NewEvent } from './lead-events/lead-events.repository';
export { recordEvents, recordTenantEvents, tenantLeadRules } from './lead-events/lead-events.service';
export {
  EVENT_WINDOW_SECONDS,
  followLink,
  HONEYPOT_FIELD,
  openForm,
  type PublicForm,
  receiveReply,
  recordOpen,
  signReply,
  submitForm,
} from './lead-events/public-doors';
export { signPublicLink, verifyPublicLink } from './lead-events/public-links';
export { regradeAfterEvents, regradeTenantDaily, takeRegradeRequest } from './lead-events/regrade.service';
export { followUpDueAt } from './leads/follow-up';
export { changeLeadOwner, moveLeads } from './leads/lead-owners.service';
export { LEAD_SLA_SCHEDULE, type LeadJobs } from './leads/leads.jobs';
export type { LeadOutput } from './leads/leads.schemas';
export {
  createLeads,
  findLead,
  gradeLeads,
  markLeadConverted,
  scanLeadSlas,
  startFollowUps,
} from './leads/leads.service';
export { LOYALTY_EXPIRY_SCHEDULE, type LoyaltyJobs } from './loyalty/loyalty.jobs';
export { expireTenantPoints, settleCustomerOrders, settleTenantOrders } from './loyalty/loyalty.service';
export { formPath, renderCampaignEmail } from './marketing/marketing.service';
export { type NotificationJobs, registerNotificationJobs } from './notifications/notifications.jobs';
export { NOTIFICATION_MESSAGES, type NotificationMessageKey } from './notifications/notifications.messages';
export type { NotificationDraft } from './notifications/notifications.schemas';
export {
  notifyDueTasks,
  notifyUsers,
  queueDailyDigests,
  runMorningNotifications,
} from './notifications/notifications.service';
export { enqueueReplan, syncAllPlanCadences } from './plans/plans.jobs';
export {
  cadenceRowsOf,
  planToday,
  type ReplanOutcome,
  type ReplanTarget,
  replanCustomers,
  syncTenantCadences,
} from './plans/plans.service';
export { syncAllPluginCustomFields, syncPluginCustomFields } from './plugins/custom-fields-sync';
export { effectiveSettings } from './plugins/effective-settings';
export type { HostPlugin, PluginProblem } from './plugins/host-plugin';
export { lifecycleOf, syncAllPluginLifecycles, syncPluginLifecycle } from './plugins/lifecycle-sync';
export {
  createPluginRegistry,
  emptyPluginRegistry,
  type PluginRegistry,
  type ProfileStatus,
  type RefusedPlugin,
} from './plugins/registry';
export { POOL_RECYCLE_SCHEDULE, type PoolJobs } from './pool/pool.jobs';
export { runPoolRecycle } from './pool/pool.service';
export { REMINDERS_SCHEDULE, type ReminderJobs } from './reminders/reminders.jobs';
export { runReminders, tenantReminders, upcomingReminders } from './reminders/reminders.service';
export { type ApiV1Outcome, inputFromQuery, problem, problemOf, runApiV1 } from './rest/api-v1';
export { API_V1_ROUTES, type ApiV1Route, type ApiV1RouteId } from './rest/api-v1.routes';
export { API_VERSION, openApiDocument } from './rest/openapi';
export { PUBLIC_ROUTES, type PublicRoute, type PublicRouteId } from './rest/public.routes';
export { REST_ROUTES, type RestRoute, type RestRouteId } from './rest/rest.routes';
export {
  type AppRouter,
  appRouter,
  createCaller,
  listProcedures,
  type ProcedureInfo,
  procedureInputSchemas,
} from './root';
export { jobScope, type MemberScope, type Scope } from './scope';
export {
  allTenantIds,
  createKeyring,
  generateMasterKey,
  getCipher,
  hasInstalledKeyring,
  installKeyring,
  type KeyEvent,
  type Keyring,
  maskHint,
  onKeyEvent,
  type ReencryptProgress,
  reencryptTenant,
  rewrapTenantKeys,
  rotateTenantDataKey,
  seedDemoSecrets,
  writeSecrets,
} from './sensitive';
export { installSmsProvider, type SmsProvider } from './surveys/sms';
export { SURVEY_SCHEDULE, type SurveyJobs } from './surveys/surveys.jobs';
export { pageLocaleOf, submitSurvey, viewSurvey } from './surveys/surveys.public';
export { selectScores } from './surveys/surveys.repository';
export {
  cachedPluginSurveys,
  invitationUrl,
  recordResponse,
  scheduleInvitations,
  sendDueInvitations,
  surveyForms,
  surveyResults,
  surveyToday,
} from './surveys/surveys.service';
export {
  announceOverdueTasks,
  createInteractionFollowUps,
  createTasks,
  type NewTask,
} from './tasks/task-backbone.service';
export { downloadTicketAttachment, uploadTicketAttachment } from './tickets/http';
export {
  INBOUND_MAX_BODY_BYTES,
  type InboundAnswer,
  receiveInboundPost,
  signInboundEmail,
} from './tickets/inbound';
export { TICKET_SLA_SCHEDULE, type TicketJobs } from './tickets/tickets.jobs';
export type { TicketKpisInput, TicketKpisOutput } from './tickets/tickets.schemas';
export {
  attachToTicket,
  createTicket,
  openTicketAttachment,
  replyTicket,
  scanTicketSlas,
  sniffContentType,
  TICKET_ATTACHMENT_MAX_BYTES,
  ticketKpis,
} from './tickets/tickets.service';
export {
  countPlacement,
  previewTiering,
  type RetierResult,
  retierTenant,
  type TierPreview,
  type TierSource,
} from './tiering/tiering.repository';
export { pluginTierSource, retierTenantAndReplan, retierTenantNow } from './tiering/tiering.service';
export { registerTimelineSource, type TimelineSource } from './timeline/timeline.repository';
export type { FieldError, Meta } from './trpc';
export { postWebhook, retryDelayMs, signMessage, WEBHOOK_MAX_ATTEMPTS } from './webhooks/webhooks.delivery';
export {
  DISABLE_AFTER_FAILURES,
  drainTenantWebhooks,
  queueWebhookDrain,
  type WebhookJobs,
} from './webhooks/webhooks.jobs';
export {
  recordWebhookEvent,
  recordWebhookEvents,
  setWebhookNetworkPolicy,
  webhookNetworkPolicy,
} from './webhooks/webhooks.service';
export { defaultNetworkPolicy, isForbiddenAddress, type NetworkPolicy } from './webhooks/webhooks.ssrf';
export { drainTenantWecom, setWecomProvider, type WecomJobs } from './wecom/wecom.jobs';
export { httpWecomProvider, type WecomProvider } from './wecom/wecom.provider';
export { postToWecom } from './wecom/wecom.service';
