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

type Text = { 'zh-CN': string; en: string };

/** What an event type is called and when it is sent, in both languages. */
export type WebhookEventInfo = { label: Text; description: Text };

/**
 * The event catalogue: every event type's name and when it is sent, in zh-CN and en — read by
 * 设置 → 开放平台 (the subscription picker, the endpoints' tags, the delivery log), by the
 * OpenAPI document's `webhooks` and by docs/api.md's table of event types (a test holds the
 * table to this list).
 */
export const WEBHOOK_EVENTS: Record<WebhookEventType, WebhookEventInfo> = {
  'customer.created': {
    label: { 'zh-CN': '客户创建', en: 'Customer created' },
    description: {
      'zh-CN': '新建客户时发送：网页、API、批量写入或导入',
      en: 'A customer was created: on the web, through the API, a batch upsert or an import',
    },
  },
  'customer.updated': {
    label: { 'zh-CN': '客户修改', en: 'Customer updated' },
    description: {
      'zh-CN': '客户资料被修改时发送，附带修改了哪些字段',
      en: 'A customer’s profile was edited; lists the fields that changed',
    },
  },
  'customer.merged': {
    label: { 'zh-CN': '客户合并', en: 'Customers merged' },
    description: {
      'zh-CN': '重复客户合并到保留的客户时发送，附带被合并的客户和转移的订单、跟进与联系人',
      en: 'A duplicate was merged into the customer that stays, with the merged one and what moved',
    },
  },
  'customer.archived': {
    label: { 'zh-CN': '客户归档', en: 'Customer archived' },
    description: {
      'zh-CN': '客户被归档时发送（单个或批量）；恢复不发送',
      en: 'A customer was archived, alone or in bulk; restoring sends nothing',
    },
  },
  'order.created': {
    label: { 'zh-CN': '订单创建', en: 'Order created' },
    description: { 'zh-CN': '新建订单时发送，附带订单明细', en: 'An order was created, with its lines' },
  },
  'order.voided': {
    label: { 'zh-CN': '订单作废', en: 'Order voided' },
    description: { 'zh-CN': '订单被作废时发送', en: 'An order was voided' },
  },
  'tier.changed': {
    label: { 'zh-CN': '客户分层变化', en: 'Tier changed' },
    description: {
      'zh-CN': '客户首次分层或调整到另一层级时发送（定期重算、资料变化后、应用新的分层设置）',
      en: 'A customer got its first tier or moved to another: scheduled re-tiers, after changes, new tier settings',
    },
  },
  'lead.created': {
    label: { 'zh-CN': '线索创建', en: 'Lead created' },
    description: {
      'zh-CN': '新建线索时发送：网页、API、导入、表单或分配',
      en: 'A lead was created: on the web, through the API, an import, a form or assignment',
    },
  },
  'lead.graded': {
    label: { 'zh-CN': '线索定级', en: 'Lead graded' },
    description: {
      'zh-CN': '线索等级被设定或改变时发送（定级规则或行为后的重新定级）',
      en: 'A lead’s grade was set or changed, by the grade rules or a re-grade',
    },
  },
  'lead.converted': {
    label: { 'zh-CN': '线索转化', en: 'Lead converted' },
    description: {
      'zh-CN': '线索转化为客户时发送，附带客户和联系人',
      en: 'A lead was converted into a customer, with the customer and contact',
    },
  },
  'opportunity.stage_changed': {
    label: { 'zh-CN': '商机阶段变化', en: 'Opportunity stage changed' },
    description: { 'zh-CN': '商机每次推进或回退阶段时发送', en: 'An opportunity moved to another stage' },
  },
  'opportunity.won': {
    label: { 'zh-CN': '商机赢单', en: 'Opportunity won' },
    description: { 'zh-CN': '商机进入赢单阶段时发送', en: 'An opportunity moved into a won stage' },
  },
  'opportunity.lost': {
    label: { 'zh-CN': '商机输单', en: 'Opportunity lost' },
    description: {
      'zh-CN': '商机进入输单阶段时发送，附带输单原因',
      en: 'An opportunity moved into a lost stage, with the reason',
    },
  },
  'task.created': {
    label: { 'zh-CN': '任务创建', en: 'Task created' },
    description: {
      'zh-CN': '手动或由系统（维护计划、提醒、下一步、SLA 与线索规则）生成任务时发送',
      en: 'A task was made by hand or by the system: plans, reminders, next steps, SLA and lead rules',
    },
  },
  'task.completed': {
    label: { 'zh-CN': '任务完成', en: 'Task completed' },
    description: {
      'zh-CN': '任务完成时发送（本人、批量或系统关闭）；取消和跳过不发送',
      en: 'A task was done, by its owner, in bulk or closed by the system; cancelling sends nothing',
    },
  },
  'task.overdue': {
    label: { 'zh-CN': '任务逾期', en: 'Task overdue' },
    description: {
      'zh-CN': '每天早上的逾期检查发现未完成的过期任务时发送，每个任务只发一次',
      en: 'The morning scan found an open task past its due day; once per task',
    },
  },
  'ticket.created': {
    label: { 'zh-CN': '工单创建', en: 'Ticket opened' },
    description: {
      'zh-CN': '新建工单时发送：网页、API、跟进记录或邮件',
      en: 'A ticket was opened: on the web, through the API, from an interaction or an email',
    },
  },
  'ticket.status_changed': {
    label: { 'zh-CN': '工单状态变化', en: 'Ticket status changed' },
    description: { 'zh-CN': '工单状态改变时发送', en: 'A ticket moved to another status' },
  },
  'ticket.replied': {
    label: { 'zh-CN': '工单回复', en: 'Ticket replied' },
    description: {
      'zh-CN': '客服回复客户或客户回复时发送；内部备注不发送',
      en: 'A reply to the customer or the customer’s reply; internal notes send nothing',
    },
  },
  'ticket.sla_breached': {
    label: { 'zh-CN': '工单超时', en: 'Ticket SLA breached' },
    description: {
      'zh-CN': '工单错过首次响应或解决时限时发送，每个时限一次',
      en: 'A ticket missed its first-response or resolution target; once per clock',
    },
  },
  'ticket.closed': {
    label: { 'zh-CN': '工单关闭', en: 'Ticket closed' },
    description: { 'zh-CN': '工单关闭时发送', en: 'A ticket was closed' },
  },
  'survey.responded': {
    label: { 'zh-CN': '问卷回答', en: 'Survey answered' },
    description: {
      'zh-CN': '客户通过问卷链接提交回答时发送，附带满意度或净推荐值评分',
      en: 'A customer answered a survey link, with the satisfaction or NPS score',
    },
  },
  ping: {
    label: { 'zh-CN': '测试事件', en: 'Test event' },
    description: {
      'zh-CN': '点击「发送测试」时只发给这一个接收地址，用来检查能否接收和验签',
      en: 'Sent to one endpoint with Send test, to check that it receives and verifies signatures',
    },
  },
};

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
