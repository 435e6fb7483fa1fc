import { permittedProcedure, router } from '../trpc';
import {
  listNotificationsInput,
  markReadInput,
  markReadOutput,
  notificationPageOutput,
  preferenceOutput,
  unreadCountOutput,
  updatePreferencesInput,
} from './notifications.schemas';
import {
  getPreferences,
  listNotifications,
  markRead,
  unreadCount,
  updatePreferences,
} from './notifications.service';

/**
 * A member's own notifications (the bell) and their preferences (通知设置). Every member may
 * use these, for themselves only: each service reads and writes `ctx.scope.userId`'s rows.
 *
 * Live updates are a poll of `unreadCount` (about every 30 s while the page is visible), not
 * SSE: the answer is two index look-ups in a read-only transaction, it works the same behind
 * any proxy and with several server processes (SSE would need a cross-process channel to
 * learn of a notification written by a job in another process), and its `version` lets the
 * bell skip reloading the list when nothing changed.
 */
export const notificationsRouter = router({
  list: permittedProcedure('notifications.own')
    .input(listNotificationsInput)
    .output(notificationPageOutput)
    .query(({ ctx, input }) => listNotifications(ctx.scope, input)),

  unreadCount: permittedProcedure('notifications.own')
    .output(unreadCountOutput)
    .query(({ ctx }) => unreadCount(ctx.scope)),

  markRead: permittedProcedure('notifications.own')
    .input(markReadInput)
    .output(markReadOutput)
    .mutation(({ ctx, input }) => markRead(ctx.scope, input)),

  preferences: permittedProcedure('notifications.own')
    .output(preferenceOutput.array())
    .query(({ ctx }) => getPreferences(ctx.scope)),

  updatePreferences: permittedProcedure('notifications.own')
    .input(updatePreferencesInput)
    .output(preferenceOutput.array())
    .mutation(({ ctx, input }) => updatePreferences(ctx.scope, input)),
});
