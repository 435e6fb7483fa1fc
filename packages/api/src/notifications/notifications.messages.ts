import type { Locale } from '../locale';

type Text = Record<Locale, string>;
type Message = { title: Text; body: Text };

/**
 * The words of notifications, in each language, by message key. A notification stores its
 * key and parameters, and each reader sees it in their own language: the bell in the
 * language of the page, an email in the recipient's (users.locale). `{name}` is replaced by
 * the parameter `name`; callers pass values already formatted (a date as 2026-12-08).
 * A capability that notifies adds its keys here.
 */
export const NOTIFICATION_MESSAGES = {
  task_assigned: {
    title: { 'zh-CN': '新任务：{title}', en: 'New task: {title}' },
    body: { 'zh-CN': '截止时间：{due}', en: 'Due: {due}' },
  },
  tasks_assigned: {
    title: { 'zh-CN': '有 {count} 个任务分配给你', en: '{count} tasks were given to you' },
    body: { 'zh-CN': '在「我的任务」中查看', en: 'See them in My tasks' },
  },
  task_due: {
    title: { 'zh-CN': '任务今日到期：{title}', en: 'Task due today: {title}' },
    body: { 'zh-CN': '截止时间：{due}', en: 'Due: {due}' },
  },
  task_overdue: {
    title: { 'zh-CN': '任务已逾期：{title}', en: 'Task overdue: {title}' },
    body: { 'zh-CN': '原定 {due} 完成', en: 'It was due {due}' },
  },
  plan_approval: {
    title: { 'zh-CN': '维护计划待审批：{customer}', en: 'Maintenance plan awaiting approval: {customer}' },
    body: {
      'zh-CN': '{requester} 提交了「{plan}」，请审批',
      en: '{requester} submitted “{plan}” for approval',
    },
  },
  plan_approved: {
    title: { 'zh-CN': '维护计划已通过：{customer}', en: 'Maintenance plan approved: {customer}' },
    body: { 'zh-CN': '{approver}：{comment}', en: '{approver}: {comment}' },
  },
  plan_rejected: {
    title: { 'zh-CN': '维护计划被驳回：{customer}', en: 'Maintenance plan rejected: {customer}' },
    body: { 'zh-CN': '{approver}：{comment}', en: '{approver}: {comment}' },
  },
  reminder: {
    title: { 'zh-CN': '提醒：{title}', en: 'Reminder: {title}' },
    body: { 'zh-CN': '{detail}', en: '{detail}' },
  },
  ticket_assigned: {
    title: { 'zh-CN': '新工单 #{number}：{subject}', en: 'New ticket #{number}: {subject}' },
    body: { 'zh-CN': '客户：{customer}', en: 'Customer: {customer}' },
  },
  ticket_sla_warning_first_response: {
    title: {
      'zh-CN': '工单 #{number} 即将超过首次响应时限',
      en: 'Ticket #{number} is about to miss its first response target',
    },
    body: {
      'zh-CN': '{subject}（{customer}），请在 {due} 前回复',
      en: '{subject} ({customer}): reply by {due}',
    },
  },
  ticket_sla_warning_resolution: {
    title: {
      'zh-CN': '工单 #{number} 即将超过解决时限',
      en: 'Ticket #{number} is about to miss its resolution target',
    },
    body: {
      'zh-CN': '{subject}（{customer}），请在 {due} 前解决',
      en: '{subject} ({customer}): resolve it by {due}',
    },
  },
  ticket_sla_breach_first_response: {
    title: {
      'zh-CN': '工单 #{number} 已超过首次响应时限',
      en: 'Ticket #{number} missed its first response target',
    },
    body: {
      'zh-CN': '{subject}（{customer}），时限为 {due}',
      en: '{subject} ({customer}): it was due {due}',
    },
  },
  ticket_sla_breach_resolution: {
    title: { 'zh-CN': '工单 #{number} 已超过解决时限', en: 'Ticket #{number} missed its resolution target' },
    body: {
      'zh-CN': '{subject}（{customer}），时限为 {due}',
      en: '{subject} ({customer}): it was due {due}',
    },
  },
  ticket_escalated: {
    title: { 'zh-CN': '工单升级：#{number} 超时未处理', en: 'Escalated: ticket #{number} is overdue' },
    body: {
      'zh-CN': '{subject}（{customer}），处理人：{assignee}，时限为 {due}',
      en: '{subject} ({customer}), assignee: {assignee}, due {due}',
    },
  },
  lead_sla_breach: {
    title: {
      'zh-CN': '{grade} 级线索超过跟进时限：{name}',
      en: 'Grade {grade} lead not followed up in time: {name}',
    },
    body: {
      'zh-CN': '跟进时限为 {due}，请尽快联系并记录跟进',
      en: 'It was due {due}; contact them and log it as soon as you can',
    },
  },
  lead_escalated: {
    title: {
      'zh-CN': '线索升级：{grade} 级线索「{name}」超时未跟进',
      en: 'Escalated: grade {grade} lead {name} not followed up in time',
    },
    body: {
      'zh-CN': '负责人：{owner}，跟进时限为 {due}',
      en: 'Owner: {owner}, due {due}',
    },
  },
  webhook_disabled: {
    title: { 'zh-CN': 'Webhook 已停用：{url}', en: 'Webhook disabled: {url}' },
    body: {
      'zh-CN': '{reason}。修复接收端后，可在「设置 → 开放平台」重新启用并重发失败的投递',
      en: '{reasonEn}. Once the receiver is fixed, enable it again in Settings → Open platform and redeliver the failures',
    },
  },
  pool_recycle_warning_lead: {
    title: { 'zh-CN': '线索即将收回公海：{name}', en: 'Lead returns to the pool soon: {name}' },
    body: {
      'zh-CN': '{days} 天未跟进将于 {on} 收回公海，请尽快跟进',
      en: 'Without follow-up for {days} days it returns to the pool on {on}: follow it up soon',
    },
  },
  pool_recycle_warning_customer: {
    title: { 'zh-CN': '客户即将收回公海：{name}', en: 'Customer returns to the pool soon: {name}' },
    body: {
      'zh-CN': '{days} 天未联系将于 {on} 收回公海，请尽快联系',
      en: 'Without contact for {days} days it returns to the pool on {on}: get in touch soon',
    },
  },
  pool_assigned_lead: {
    title: { 'zh-CN': '公海线索分配给你：{name}', en: 'A lead from the pool is yours: {name}' },
    body: { 'zh-CN': '{by} 把它分配给你', en: '{by} gave it to you' },
  },
  pool_assigned_customer: {
    title: { 'zh-CN': '公海客户分配给你：{name}', en: 'A customer from the pool is yours: {name}' },
    body: { 'zh-CN': '{by} 把它分配给你', en: '{by} gave it to you' },
  },
} satisfies Record<string, Message>;

export type NotificationMessageKey = keyof typeof NOTIFICATION_MESSAGES;
export type MessageParams = Record<string, string | number>;

export function isNotificationMessageKey(key: string): key is NotificationMessageKey {
  return Object.hasOwn(NOTIFICATION_MESSAGES, key);
}

/** A notification's title and body in `locale`; an unknown key (a kind since removed) reads as its key. */
export function renderNotification(
  key: string,
  params: MessageParams,
  locale: Locale,
): { title: string; body: string } {
  if (!isNotificationMessageKey(key)) return { title: key, body: '' };
  const message: Message = NOTIFICATION_MESSAGES[key];
  return { title: fill(message.title[locale], params), body: fill(message.body[locale], params) };
}

function fill(template: string, params: MessageParams): string {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  // A body whose every parameter is missing says nothing ("截止时间：" without a date).
  if (names.length > 0 && names.every((name) => params[name] === undefined || params[name] === '')) return '';
  return template
    .replace(/\{(\w+)\}/g, (_, name: string) => (params[name] === undefined ? '' : String(params[name])))
    .replace(/[\s:：]+$/, '')
    .trim();
}

/** The words around notifications in emails (footer, button). */
export const EMAIL_WORDS = {
  open: { 'zh-CN': '查看详情', en: 'Open' },
  footer: {
    'zh-CN': '你可以在「通知设置」中选择哪些通知发送邮件。',
    en: 'Choose which notifications reach you by email in Notification settings.',
  },
} satisfies Record<string, Text>;
