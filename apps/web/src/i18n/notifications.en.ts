import type { notificationsZhCN } from './notifications.zh-CN';

/** Notifications (the bell, notification settings) and Email (the outbox / dev mailbox page). */
export const notificationsEn: typeof notificationsZhCN = {
  notifications: {
    bell: {
      label: 'Notifications',
      unreadCount: '{{count}} unread notifications',
      title: 'Notifications',
      empty: 'No notifications',
      emptyUnread: 'No unread notifications',
      unreadOnly: 'Unread only',
      filterLabel: 'Which notifications',
      markAllRead: 'Mark all as read',
      markRead: 'Mark as read',
      settings: 'Notification settings',
      loadMore: 'Load more',
    },
    kinds: {
      task_assigned: 'Task assigned',
      task_due: 'Task due today',
      task_overdue: 'Task overdue',
      plan_approval: 'Plan awaiting approval',
      plan_decided: 'Plan approved or rejected',
      reminder: 'Reminders',
      digest: 'Daily summary',
    },
    kindHelp: {
      task_assigned: 'When someone gives you a task',
      task_due: 'When one of your tasks is due today',
      task_overdue: 'When one of your tasks is past its due date',
      plan_approval: 'When a maintenance plan is sent to you for approval',
      plan_decided: 'When a plan you submitted is approved or rejected',
      reminder: 'Birthdays, anniversaries, holiday greetings and date reminders',
      digest: 'One email each morning: tasks due today, overdue tasks and approvals waiting',
    },
    settings: {
      title: 'Notification settings',
      subtitle: 'Choose what reaches you in the app and what also comes by email. This affects only you.',
      kind: 'Notification',
      inApp: 'In app',
      email: 'Email',
      emailOnly: 'Email only',
      saved: 'Saved',
      emailTo: 'Emails go to {{email}}',
    },
    link: {
      title: 'Notification settings',
      description:
        'Choose which notifications reach you in the app or by email, and whether to get the daily summary',
      open: 'Set notifications',
    },
  },
  email: {
    title: 'Email',
    subtitle: 'Every email the system sends: recipient, subject, body and delivery',
    devMailbox:
      'No SMTP server is configured: emails are not sent but delivered to this dev mailbox, so you can see what would go out. See Configuration in the README to set one up.',
    smtp: 'Emails go through the configured SMTP server. Failed ones are retried automatically and stop with the reason after several attempts.',
    allStatuses: 'All',
    statusLabel: 'Filter by status',
    columns: {
      to: 'To',
      subject: 'Subject',
      kind: 'Type',
      status: 'Status',
      attempts: 'Attempts',
      createdAt: 'Created',
      sentAt: 'Sent',
    },
    statuses: {
      queued: 'Queued',
      sending: 'Sending',
      sent: 'Sent',
      failed: 'Failed',
    },
    deliveredToDevMailbox: 'Delivered to the dev mailbox',
    nextAttempt: 'Next attempt: {{time}}',
    body: 'Body',
    error: 'Error',
    retry: 'Send again',
    retried: 'Queued again; it will be sent shortly',
    empty: 'No emails yet',
    loadMore: 'Load more',
    noPermission: 'Only owners and admins can see the emails the system sends',
    kinds: {
      digest: 'Daily summary',
    },
    link: {
      title: 'Email',
      description:
        'See the emails the system sends and how delivery went; the dev mailbox when no SMTP server is set',
      open: 'Open email',
    },
  },
};
