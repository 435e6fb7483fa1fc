/**
 * The open platform's closed lists (开放平台), shared by the API and the web app.
 *
 * Webhook event types: what an endpoint subscribes to. Each is written to the transactional
 * outbox in the transaction of its change by the capability that owns it (docs/api.md lists
 * which are emitted today); `ping` is the test event an admin sends by hand.
 */
export const WEBHOOK_EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.merged',
  'customer.archived',
  'order.created',
  'order.voided',
  'tier.changed',
  'lead.created',
  'lead.graded',
  'lead.converted',
  'opportunity.stage_changed',
  'opportunity.won',
  'opportunity.lost',
  'task.created',
  'task.completed',
  'task.overdue',
  'ticket.created',
  'ticket.status_changed',
  'ticket.replied',
  'ticket.sla_breached',
  'ticket.closed',
  'survey.responded',
  'ping',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * What a tenant's 企业微信 group robot may announce (per-event switches): task reminders,
 * SLA warnings, breaches and escalations, approvals waiting, and won deals.
 */
export const WECOM_EVENTS = [
  'task_due',
  'task_overdue',
  'ticket_sla_warning',
  'ticket_sla_breach',
  'ticket_escalated',
  'plan_approval',
  'deal_won',
] as const;
export type WecomEvent = (typeof WECOM_EVENTS)[number];
