/**
 * The closed lists of the product, declared once: the database's checks (@crm/db re-exports
 * them), the API's zod enums and the web app's selects all read these. Order is display
 * order.
 */

export const ROLES = [
  'owner',
  'admin',
  'sales_manager',
  'sales_rep',
  'service_agent',
  'marketing',
  'analyst',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

export const CUSTOMER_KINDS = ['person', 'company'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

export const LIFECYCLE_STAGES = ['potential', 'new', 'returning', 'loyal', 'at_risk', 'dormant'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const VALUE_LEVELS = ['high', 'mid', 'low'] as const;
export type ValueLevel = (typeof VALUE_LEVELS)[number];
export const ACTIVITY_LEVELS = ['high', 'mid', 'low'] as const;
export type ActivityLevel = (typeof ACTIVITY_LEVELS)[number];
export const NEED_TYPES = ['product', 'service', 'both'] as const;
export type NeedType = (typeof NEED_TYPES)[number];

export const ORDER_STATUSES = ['completed', 'pending', 'refunded', 'void'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** The statuses an order can be given; 'void' only comes from voiding it. */
export const SETTABLE_ORDER_STATUSES = ['completed', 'pending', 'refunded'] as const;
export type SettableOrderStatus = (typeof SETTABLE_ORDER_STATUSES)[number];
export const PAYMENT_METHODS = [
  'bank_transfer',
  'alipay',
  'wechat_pay',
  'card',
  'cash',
  'credit',
  'other',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const INTERACTION_KINDS = ['call', 'visit', 'message', 'email', 'meeting', 'event'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
export const SENTIMENTS = ['praise', 'neutral', 'complaint'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const TAG_COLORS = [
  'blue',
  'green',
  'red',
  'orange',
  'gold',
  'purple',
  'cyan',
  'magenta',
  'gray',
] as const;
export type TagColor = (typeof TAG_COLORS)[number];

// Custom field types are the plugin contract's (`CUSTOM_FIELD_TYPES` in @crm/plugin-sdk).

export const IMPORT_ENTITIES = ['customers', 'orders', 'interactions', 'leads'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** Task types (任务类型), in display order. */
export const TASK_TYPES = [
  'visit',
  'call',
  'video_call',
  'online',
  'wechat',
  'email',
  'content_push',
  'needs_review',
  'callback',
  'care',
  'handoff',
  'follow_up',
  'other',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export const TASK_STATUSES = ['open', 'done', 'cancelled', 'skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** What generated a task: a maintenance plan, a reminder, a rule (SLA, escalation …), an interaction's 下一步, or a person. */
export const TASK_SOURCES = ['manual', 'plan', 'reminder', 'rule', 'interaction'] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];
export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
/**
 * Records a task may hang off besides its customer and contact; later capabilities (leads,
 * opportunities, tickets, survey responses) add theirs here and register a resolver.
 */
export const TASK_RELATED_KINDS = ['lead', 'opportunity', 'ticket', 'survey_response'] as const;
export type TaskRelatedKind = (typeof TASK_RELATED_KINDS)[number];
/**
 * What a notification is about. Each capability that tells people something adds its kinds
 * here (and their messages in packages/api/src/notifications/notifications.messages.ts); the
 * database checks a kind's format only, so a new kind needs no migration. Order is the order
 * of 通知设置.
 */
export const NOTIFICATION_KINDS = [
  'task_assigned',
  'task_due',
  'task_overdue',
  'plan_approval',
  'plan_decided',
  'reminder',
  'ticket_assigned',
  'ticket_sla_warning',
  'ticket_sla_breach',
  'ticket_escalated',
  'lead_sla_breach',
  'lead_escalated',
  'pool_recycle_warning',
  'pool_assigned',
  'digest',
  /** 每周指标摘要: the member's figures of the week against target, Monday morning (email only). */
  'weekly_summary',
  /** 开放平台: a webhook endpoint was disabled after repeated failures or a 410 (to owners and admins). */
  'platform_alert',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Where a kind goes when its member has not chosen (站内 in the bell, 邮件 by email). The
 * daily digest is an email only; it has no in-app form.
 */
export const NOTIFICATION_DEFAULTS: Record<NotificationKind, { inApp: boolean; email: boolean }> = {
  task_assigned: { inApp: true, email: false },
  task_due: { inApp: true, email: false },
  task_overdue: { inApp: true, email: false },
  plan_approval: { inApp: true, email: true },
  plan_decided: { inApp: true, email: false },
  reminder: { inApp: true, email: false },
  ticket_assigned: { inApp: true, email: false },
  ticket_sla_warning: { inApp: true, email: false },
  ticket_sla_breach: { inApp: true, email: true },
  ticket_escalated: { inApp: true, email: true },
  lead_sla_breach: { inApp: true, email: false },
  lead_escalated: { inApp: true, email: true },
  platform_alert: { inApp: true, email: true },
  pool_recycle_warning: { inApp: true, email: false },
  pool_assigned: { inApp: true, email: false },
  digest: { inApp: false, email: true },
  weekly_summary: { inApp: false, email: true },
};

/** Kinds that exist only as email (no in-app switch in 通知设置). */
export const EMAIL_ONLY_NOTIFICATION_KINDS: readonly NotificationKind[] = ['digest', 'weekly_summary'];

/** An outbox email's states: queued → sending → sent, or failed once out of attempts. */
export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Where a sent email went: an SMTP server, or the built-in dev mailbox (设置 → 邮件). */
export const EMAIL_TRANSPORTS = ['smtp', 'dev_mailbox'] as const;
export type EmailTransportKind = (typeof EMAIL_TRANSPORTS)[number];

/** Which calendar a birthday is kept on: 公历 (solar) or 农历 (lunar, its lunar anniversary). */
export const BIRTHDAY_CALENDARS = ['solar', 'lunar'] as const;
export type BirthdayCalendar = (typeof BIRTHDAY_CALENDARS)[number];

/** Where a lead (线索) came from. */
export const LEAD_SOURCES = ['web_form', 'import', 'manual', 'api', 'event', 'referral'] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];
/** A lead's way: new → contacted → qualified → converted, or disqualified (with a reason) at any point before. */
export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'disqualified'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/**
 * What the lead expressed (意向): asked for a price, a proposal, booked a visit, asked about
 * features or products, only browsed. The plugins' grade rules test these values.
 */
export const LEAD_INTENTS = [
  'price',
  'proposal',
  'visit_booked',
  'features',
  'product_question',
  'browsed',
  'other',
] as const;
export type LeadIntent = (typeof LEAD_INTENTS)[number];
/** Why a lead was disqualified (无效原因). */
export const LEAD_DISQUALIFY_REASONS = [
  'no_budget',
  'no_need',
  'no_response',
  'competitor',
  'duplicate',
  'invalid_contact',
  'other',
] as const;
export type LeadDisqualifyReason = (typeof LEAD_DISQUALIFY_REASONS)[number];
/** What changed a lead's grade: the plugin's grade rules, a re-grade rule (behaviour), or a person. */
export const LEAD_GRADE_CHANGE_KINDS = ['grade_rule', 'regrade_rule', 'user'] as const;
export type LeadGradeChangeKind = (typeof LEAD_GRADE_CHANGE_KINDS)[number];
/**
 * Where an opportunity (商机) is: in the pipeline's open stages, won (赢单), lost (输单) or in
 * after sales (售后). The stages themselves come from the tenant's plugin.
 */
export const OPPORTUNITY_STAGE_KINDS = ['open', 'won', 'lost', 'after_sales'] as const;
export type OpportunityStageKind = (typeof OPPORTUNITY_STAGE_KINDS)[number];
/** A person's part in the customer's decision chain (决策链). */
export const DECISION_ROLES = ['decision_maker', 'influencer', 'user', 'gatekeeper', 'sponsor'] as const;
export type DecisionRole = (typeof DECISION_ROLES)[number];
/** What the 公海 (public pool) and assignment rules move: leads and customers. */
export const POOL_ENTITIES = ['lead', 'customer'] as const;
export type PoolEntity = (typeof POOL_ENTITIES)[number];
/**
 * Every move between owners and the pool: an assignment by a rule, a rep's claim from the
 * pool, a release with its reason, a recycle by the daily job, a manager's assignment from
 * the pool.
 */
export const POOL_MOVE_KINDS = ['assign', 'claim', 'release', 'recycle', 'pool_assign'] as const;
export type PoolMoveKind = (typeof POOL_MOVE_KINDS)[number];
/** Why a rep released a lead or customer to the pool (释放原因). */
export const POOL_RELEASE_REASONS = [
  'unreachable',
  'no_need',
  'no_budget',
  'not_decision_maker',
  'duplicate',
  'other',
] as const;
export type PoolReleaseReason = (typeof POOL_RELEASE_REASONS)[number];
/**
 * How an assignment rule picks the member (分配方式): round robin, the fewest open records
 * (by load), one fixed member, or the team's queue for a manager to assign by hand.
 */
export const ASSIGNMENT_METHODS = ['round_robin', 'load', 'member', 'manual'] as const;
export type AssignmentMethod = (typeof ASSIGNMENT_METHODS)[number];
/** A record no rule matched: to the 公海, or left unassigned for a manager. */
export const POOL_UNMATCHED = ['pool', 'unassigned'] as const;
export type PoolUnmatched = (typeof POOL_UNMATCHED)[number];
/** The lists that keep saved views (saved_views.entity). */
export const SAVED_VIEW_LISTS = ['customers', 'leads', 'opportunities'] as const;
export type SavedViewList = (typeof SAVED_VIEW_LISTS)[number];
/** A ticket's (工单) type: a complaint (投诉), feedback (建议), a service request (服务请求) or a question (咨询). */
export const TICKET_TYPES = ['complaint', 'feedback', 'service_request', 'question'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
/** A ticket's status: new → in progress → waiting on the customer → resolved → closed; reopen goes back to in progress. */
export const TICKET_STATUSES = ['new', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
/** Where the customer raised it. */
export const TICKET_CHANNELS = ['web', 'phone', 'email', 'wechat', 'visit', 'api', 'other'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
/** What made the ticket: a person, a complaint interaction, an inbound email, the API. */
export const TICKET_SOURCES = ['manual', 'interaction', 'email', 'api'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];
/** What a ticket's timeline holds. */
export const TICKET_EVENT_KINDS = [
  'created',
  'reply',
  'note',
  'customer_reply',
  'status',
  'assigned',
  'updated',
  'sla_warning',
  'sla_breach',
  'sla_escalated',
] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];
/** A ticket's SLA as lists show it: on track, at risk (warned), breached, paused (waiting on the customer), met (resolved in time). */
export const TICKET_SLA_STATES = ['on_track', 'at_risk', 'breached', 'paused', 'met'] as const;
export type TicketSlaState = (typeof TICKET_SLA_STATES)[number];
