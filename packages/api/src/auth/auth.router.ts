import { invalidateSession, invalidateUserSessions, listUserSessions, publicSessionId } from '@crm/auth';
import { z } from 'zod';
import { appError } from '../errors';
import { authenticatedProcedure, publicProcedure, router } from '../trpc';
import {
  changePasswordInput,
  signedInOutput,
  signInInput,
  signUpInput,
  tenantSummaryOutput,
} from './auth.schemas';
import { changePassword, signIn, signUp } from './auth.service';

const sessionOutput = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastActiveAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});

export const authRouter = router({
  signUp: publicProcedure
    .input(signUpInput)
    .output(signedInOutput.extend({ tenant: tenantSummaryOutput }))
    .mutation(({ ctx, input }) => signUp(ctx, input)),

  signIn: publicProcedure
    .input(signInInput)
    .output(signedInOutput)
    .mutation(({ ctx, input }) => signIn(ctx, input)),

  signOut: authenticatedProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    await ctx.database.withScope({}, (trx) => invalidateSession(trx, ctx.auth.session.id));
    ctx.clearSessionCookie();
    ctx.logger.info(
      { event: 'auth.sign_out', requestId: ctx.requestId, userId: ctx.auth.user.id },
      'signed out',
    );
    return { ok: true as const };
  }),

  signOutOtherSessions: authenticatedProcedure
    .output(z.object({ signedOut: z.number().int() }))
    .mutation(async ({ ctx }) => {
      const signedOut = await ctx.database.withScope({}, (trx) =>
        invalidateUserSessions(trx, ctx.auth.user.id, ctx.auth.session.id),
      );
      ctx.logger.info({
        event: 'auth.sign_out_others',
        requestId: ctx.requestId,
        userId: ctx.auth.user.id,
        signedOut,
      });
      return { signedOut };
    }),

  /** The caller's signed-in browsers (ASVS 5 7.5.2), by a public handle that is no credential. */
  listSessions: authenticatedProcedure.output(z.array(sessionOutput)).query(async ({ ctx }) => {
    const sessions = await ctx.database.withoutTenant((db) => listUserSessions(db, ctx.auth.user.id));
    return sessions.map((session) => ({
      id: session.publicId,
      createdAt: session.created_at.toISOString(),
      lastActiveAt: session.last_active_at.toISOString(),
      expiresAt: session.expires_at.toISOString(),
      current: session.id === ctx.auth.session.id,
    }));
  }),

  revokeSession: authenticatedProcedure
    .input(z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/) }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.database.withScope({}, async (trx) => {
        const target = (await listUserSessions(trx, ctx.auth.user.id)).find(
          (session) => session.publicId === input.id,
        );
        if (!target) throw appError('SESSION_NOT_FOUND');
        await invalidateSession(trx, target.id);
      });
      if (input.id === publicSessionId(ctx.auth.session.id)) ctx.clearSessionCookie();
      return { ok: true as const };
    }),

  changePassword: authenticatedProcedure
    .input(changePasswordInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx, input.currentPassword, input.newPassword);
      return { ok: true as const };
    }),

  /** The signed-in user, or null: the web app's first call. */
  me: publicProcedure.output(signedInOutput.nullable()).query(({ ctx }) =>
    ctx.auth
      ? {
          user: {
            id: ctx.auth.user.id,
            name: ctx.auth.user.name,
            email: ctx.auth.user.email,
            locale: ctx.auth.user.locale,
          },
          activeTenantId: ctx.auth.session.active_tenant_id,
        }
      : null,
  ),
});
