import { NOTIFICATION_KINDS } from '@crm/domain';
import { z } from 'zod';
import { NOTIFICATION_MESSAGES, type NotificationMessageKey } from './notifications.messages';

const MESSAGE_KEYS = Object.keys(NOTIFICATION_MESSAGES) as [
  NotificationMessageKey,
  ...NotificationMessageKey[],
];

/** An app path: one leading slash, never `//host` or `/\host` (no link leaves the product). */
export const appPath = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])/, 'An app path starts with one /');

/**
 * One notification a capability sends (`notifyUsers`): to whom, what kind (the member's
 * preferences are per kind), which words (a message key and its parameters, rendered in each
 * reader's language), where it leads and what it is about. `dedupKey`: at most one
 * notification per recipient and key, ever (a job that runs twice notifies once), and its
 * email likewise.
 */
export const notificationDraft = z.strictObject({
  userId: z.uuid(),
  kind: z.enum(NOTIFICATION_KINDS),
  message: z.enum(MESSAGE_KEYS),
  params: z.record(z.string().regex(/^\w{1,40}$/), z.union([z.string().max(500), z.number()])).default({}),
  link: appPath.nullish(),
  entity: z.strictObject({ kind: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/), id: z.uuid() }).nullish(),
  dedupKey: z.string().min(1).max(200).nullish(),
});
export type NotificationDraft = z.input<typeof notificationDraft>;

export const listNotificationsInput = z
  .strictObject({
    unreadOnly: z.boolean().default(false),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .default({ unreadOnly: false, limit: 20 });
export type ListNotificationsInput = z.infer<typeof listNotificationsInput>;

export const notificationOutput = z.object({
  id: z.uuid(),
  kind: z.string(),
  /** In the reader's language. */
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  entity: z.object({ kind: z.string(), id: z.uuid() }).nullable(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});
export type NotificationOutput = z.infer<typeof notificationOutput>;

export const notificationPageOutput = z.object({
  items: notificationOutput.array(),
  nextCursor: z.string().nullable(),
});
export type NotificationPageOutput = z.infer<typeof notificationPageOutput>;

export const unreadCountOutput = z.object({
  /** Unread notifications, counted up to UNREAD_COUNT_CAP. */
  count: z.number().int(),
  /**
   * Changes whenever the unread set does (a new notification, one read): the bell refetches
   * its list only when this differs from the last one it saw.
   */
  version: z.string(),
});
export type UnreadCountOutput = z.infer<typeof unreadCountOutput>;

export const markReadInput = z.union([
  z.strictObject({ ids: z.array(z.uuid()).min(1).max(200) }),
  z.strictObject({ all: z.literal(true) }),
]);
export type MarkReadInput = z.infer<typeof markReadInput>;

export const markReadOutput = z.object({ updated: z.number().int(), unread: unreadCountOutput });

export const preferenceOutput = z.object({
  kind: z.enum(NOTIFICATION_KINDS),
  inApp: z.boolean(),
  email: z.boolean(),
  /** The digest exists only as email: no 站内 switch. */
  emailOnly: z.boolean(),
});
export type PreferenceOutput = z.infer<typeof preferenceOutput>;

export const updatePreferencesInput = z.strictObject({
  preferences: z
    .array(z.strictObject({ kind: z.enum(NOTIFICATION_KINDS), inApp: z.boolean(), email: z.boolean() }))
    .min(1)
    .max(NOTIFICATION_KINDS.length),
});
export type UpdatePreferencesInput = z.infer<typeof updatePreferencesInput>;
