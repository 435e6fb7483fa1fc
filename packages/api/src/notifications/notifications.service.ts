import { ROLE_PERMISSIONS, ROLE_RECORD_SCOPE } from '@crm/auth';
import {
  EMAIL_ONLY_NOTIFICATION_KINDS,
  NOTIFICATION_DEFAULTS,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from '@crm/domain';
import { renderEmail } from '../email/email.render';
import type { EmailDraft } from '../email/email.schemas';
import { enqueueEmail } from '../email/email.service';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import type { Locale } from '../locale';
import type { MemberScope, Scope } from '../scope';
import { relayToWecom } from '../wecom/wecom.service';
import { EMAIL_WORDS, renderNotification } from './notifications.messages';
import {
  insertNotifications,
  markNotificationsRead,
  type NotificationInsert,
  selectDigestRows,
  selectDueTasks,
  selectNotificationPage,
  selectPreferences,
  selectUnreadSummary,
  upsertPreferences,
} from './notifications.repository';
import {
  type ListNotificationsInput,
  type MarkReadInput,
  type NotificationDraft,
  type NotificationPageOutput,
  notificationDraft,
  type PreferenceOutput,
  type UnreadCountOutput,
  type UpdatePreferencesInput,
} from './notifications.schemas';

/** The bell counts unread notifications up to this (it shows 99+ past 99). */
export const UNREAD_COUNT_CAP = 1000;

/**
 * Tells members something, in the caller's transaction: one statement writes each in-app
 * notification and, where the member wants this kind by email, queues the email in the
 * outbox (sent after the commit by the email jobs). Recipients who are not members of the
 * tenant are skipped; so is a recipient's `dedupKey` already used. What was written.
 */
export async function notifyUsers(
  scope: Scope,
  notifications: readonly NotificationDraft[],
): Promise<{ inApp: number; emails: number }> {
  const drafts = notificationDraft.array().parse(notifications);
  const rows: NotificationInsert[] = drafts.map((draft) => {
    const zh = emailOf(draft.message, draft.params, draft.link ?? null, 'zh-CN');
    const en = emailOf(draft.message, draft.params, draft.link ?? null, 'en');
    const defaults = NOTIFICATION_DEFAULTS[draft.kind];
    return {
      user_id: draft.userId,
      kind: draft.kind,
      message_key: draft.message,
      params: draft.params,
      link: draft.link ?? null,
      entity_kind: draft.entity?.kind ?? null,
      entity_id: draft.entity?.id ?? null,
      dedup_key: draft.dedupKey ?? null,
      default_in_app: defaults.inApp && !EMAIL_ONLY_NOTIFICATION_KINDS.includes(draft.kind),
      default_email: defaults.email,
      subject_zh: zh.subject,
      subject_en: en.subject,
      text_zh: zh.text,
      text_en: en.text,
      html_zh: zh.html,
      html_en: en.html,
    };
  });
  const written = await insertNotifications(scope, rows);
  // The tenant's 企业微信 group hears of the kinds it switched on (one message per event).
  await relayToWecom(scope, drafts);
  return written;
}

function emailOf(
  key: string,
  params: Record<string, string | number>,
  link: string | null,
  locale: Locale,
): { subject: string; text: string; html: string } {
  const { title, body } = renderNotification(key, params, locale);
  const subject = title.replace(/[\r\n]+/g, ' ').slice(0, 300) || key;
  const { text, html } = renderEmail({
    heading: title,
    paragraphs: body ? [body] : [],
    link: link ? { path: link, label: EMAIL_WORDS.open[locale] } : null,
    footer: EMAIL_WORDS.footer[locale],
  });
  return { subject, text, html };
}

/** The member's own notifications, newest first, in their language. */
export async function listNotifications(
  scope: MemberScope,
  input: ListNotificationsInput,
): Promise<NotificationPageOutput> {
  const after = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const rows = await selectNotificationPage(scope, scope.userId, input.unreadOnly, after, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => {
      const { title, body } = renderNotification(row.message_key, row.params ?? {}, scope.locale);
      return {
        id: row.id,
        kind: row.kind,
        title,
        body,
        link: row.link,
        entity: row.entity_kind && row.entity_id ? { kind: row.entity_kind, id: row.entity_id } : null,
        createdAt: new Date(row.created_at).toISOString(),
        readAt: row.read_at ? new Date(row.read_at).toISOString() : null,
      };
    }),
    nextCursor: rows.length > input.limit && last ? encodeTimestampCursor(last.sort_key, last.id) : null,
  };
}

/** The bell's poll: the unread count and a version that changes whenever the unread set does. */
export async function unreadCount(scope: MemberScope): Promise<UnreadCountOutput> {
  const { count, newest } = await selectUnreadSummary(scope, scope.userId, UNREAD_COUNT_CAP);
  return { count, version: `${count}.${newest ?? '-'}` };
}

/** Marks the member's own notifications read (ids of anyone else's change nothing). */
export async function markRead(
  scope: MemberScope,
  input: MarkReadInput,
): Promise<{ updated: number; unread: UnreadCountOutput }> {
  const updated = await markNotificationsRead(scope, scope.userId, 'all' in input ? 'all' : input.ids);
  return { updated, unread: await unreadCount(scope) };
}

/** The member's choice for every kind: saved, or the kind's default. */
export async function getPreferences(scope: MemberScope): Promise<PreferenceOutput[]> {
  const saved = new Map((await selectPreferences(scope, scope.userId)).map((row) => [row.kind, row]));
  return NOTIFICATION_KINDS.map((kind) => {
    const row = saved.get(kind);
    const emailOnly = EMAIL_ONLY_NOTIFICATION_KINDS.includes(kind);
    return {
      kind,
      inApp: emailOnly ? false : (row?.in_app ?? NOTIFICATION_DEFAULTS[kind].inApp),
      email: row?.email ?? NOTIFICATION_DEFAULTS[kind].email,
      emailOnly,
    };
  });
}

export async function updatePreferences(
  scope: MemberScope,
  input: UpdatePreferencesInput,
): Promise<PreferenceOutput[]> {
  const byKind = new Map<NotificationKind, { kind: string; in_app: boolean; email: boolean }>();
  for (const preference of input.preferences) {
    byKind.set(preference.kind, {
      kind: preference.kind,
      in_app: EMAIL_ONLY_NOTIFICATION_KINDS.includes(preference.kind) ? false : preference.inApp,
      email: preference.email,
    });
  }
  await upsertPreferences(scope, scope.userId, [...byKind.values()]);
  return getPreferences(scope);
}

/** Open tasks listed in a digest at most; the rest is a count and a link. */
export const DIGEST_ITEMS_PER_USER = 10;

const DIGEST_WORDS = {
  subject: {
    'zh-CN': '今日工作摘要（{day}）：今日到期 {today} 项，逾期 {overdue} 项',
    en: 'Your day ({day}): {today} due today, {overdue} overdue',
  },
  heading: { 'zh-CN': '{name}，这是你 {day} 的工作摘要', en: '{name}, here is your summary for {day}' },
  counts: { 'zh-CN': '今日到期 {today} 项 · 逾期 {overdue} 项', en: '{today} due today · {overdue} overdue' },
  approvals: {
    'zh-CN': '待你审批的维护计划 {count} 个',
    en: '{count} maintenance plans await your approval',
  },
  approvalsOne: {
    'zh-CN': '待你审批的维护计划 {count} 个',
    en: '1 maintenance plan awaits your approval',
  },
  approvalsSubject: {
    'zh-CN': '今日工作摘要（{day}）：待你审批的维护计划 {count} 个',
    en: 'Your day ({day}): {count} maintenance plan(s) await your approval',
  },
  openApprovals: { 'zh-CN': '打开待审批计划', en: 'Open plan approvals' },
  overdueMark: { 'zh-CN': '【逾期】', en: '[Overdue] ' },
  more: { 'zh-CN': '还有 {count} 项，请在「我的任务」中查看', en: '{count} more in My tasks' },
  open: { 'zh-CN': '打开我的任务', en: 'Open My tasks' },
  footer: {
    'zh-CN': '你可以在「通知设置」中关闭每日摘要邮件。',
    en: 'You can turn the daily summary off in Notification settings.',
  },
} satisfies Record<string, Record<Locale, string>>;

function words(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/**
 * The daily digest (每日摘要) of one tenant for `day` (the tenant's date): one email per
 * member who wants it and has tasks due today or overdue (or approvals waiting), in their
 * language, queued in the outbox in the caller's transaction. Never twice for a member and
 * day (the outbox's dedup key), however often the job runs. How many were queued.
 */
/** Roles that decide maintenance plans, with the customers their decisions reach. */
const PLAN_APPROVERS = Object.entries(ROLE_PERMISSIONS)
  .filter(([, permissions]) => permissions.includes('plans.approve'))
  .map(([role]) => ({ role, scope: ROLE_RECORD_SCOPE[role as keyof typeof ROLE_RECORD_SCOPE] }));

export async function queueDailyDigests(scope: Scope, day: string): Promise<number> {
  const rows = await selectDigestRows(scope, day, {
    emailByDefault: NOTIFICATION_DEFAULTS.digest.email,
    perUser: DIGEST_ITEMS_PER_USER,
    approvers: PLAN_APPROVERS,
  });
  const emails: EmailDraft[] = rows.map((row) => {
    const locale: Locale = row.locale === 'en' ? 'en' : 'zh-CN';
    const params = { day, today: row.due_today, overdue: row.overdue, name: row.name };
    const lines = row.items.map(
      (item) =>
        `${item.dueOn < day ? DIGEST_WORDS.overdueMark[locale] : ''}${item.title}${
          // Titles often name the customer already (回访：白艳).
          item.customer && !item.title.includes(item.customer)
            ? locale === 'en'
              ? ` (${item.customer})`
              : `（${item.customer}）`
            : ''
        } · ${item.dueOn}`,
    );
    const rest = row.due_today + row.overdue - row.items.length;
    const onlyApprovals = row.due_today + row.overdue === 0;
    const { text, html } = renderEmail({
      heading: words(DIGEST_WORDS.heading[locale], params),
      paragraphs: [
        ...(onlyApprovals ? [] : [words(DIGEST_WORDS.counts[locale], params)]),
        ...(row.approvals_waiting > 0
          ? [
              words(
                (row.approvals_waiting === 1 ? DIGEST_WORDS.approvalsOne : DIGEST_WORDS.approvals)[locale],
                { count: row.approvals_waiting },
              ),
            ]
          : []),
        ...(lines.length > 0 ? [lines.join('\n')] : []),
        ...(rest > 0 ? [words(DIGEST_WORDS.more[locale], { count: rest })] : []),
      ],
      link: onlyApprovals
        ? { path: '/plans/approvals', label: DIGEST_WORDS.openApprovals[locale] }
        : { path: '/tasks', label: DIGEST_WORDS.open[locale] },
      footer: DIGEST_WORDS.footer[locale],
    });
    return {
      to: row.email,
      subject: onlyApprovals
        ? words(DIGEST_WORDS.approvalsSubject[locale], { day, count: row.approvals_waiting })
        : words(DIGEST_WORDS.subject[locale], params),
      text,
      html,
      kind: 'digest',
      userId: row.user_id,
      dedupKey: `digest:${row.user_id}:${day}`,
    };
  });
  return enqueueEmail(scope, emails);
}

/**
 * The morning's task notifications: each open task due today tells its owner (task_due), and
 * each that became overdue today (due yesterday, still open) tells them again (task_overdue).
 * Once per task and kind, ever (dedup keys), so a second run the same day adds nothing.
 */
export async function notifyDueTasks(scope: Scope, day: string): Promise<{ inApp: number; emails: number }> {
  const tasks = await selectDueTasks(scope, day);
  return notifyUsers(
    scope,
    tasks.map((task) => ({
      userId: task.owner_user_id,
      kind: task.state === 'due' ? 'task_due' : 'task_overdue',
      message: task.state === 'due' ? 'task_due' : 'task_overdue',
      params: { title: task.title, due: task.due_on },
      link: task.customer_id ? `/customers/${task.customer_id}` : '/tasks',
      entity: { kind: 'task', id: task.id },
      dedupKey: `${task.state === 'due' ? 'task_due' : 'task_overdue'}:${task.id}`,
    })),
  );
}

/** Everything the morning brings a tenant: task notifications, then the digest emails. */
export async function runMorningNotifications(
  scope: Scope,
  day: string,
): Promise<{ inApp: number; emails: number; digests: number }> {
  const notified = await notifyDueTasks(scope, day);
  return { ...notified, digests: await queueDailyDigests(scope, day) };
}
