import { authenticatedProcedure, publicProcedure, router } from '../trpc';
import {
  changePasswordInput,
  okOutput,
  revokeSessionInput,
  sessionOutput,
  signedInOutput,
  signedOutOthersOutput,
  signInInput,
  signUpInput,
  signUpOutput,
} from './auth.schemas';
import {
  changePassword,
  currentUser,
  listSessions,
  revokeSession,
  signIn,
  signOut,
  signOutOtherSessions,
  signUp,
} from './auth.service';

/** Signing up, in and out, and a user's sessions (no tenant in scope yet). */
export const authRouter = router({
  signUp: publicProcedure
    .input(signUpInput)
    .output(signUpOutput)
    .mutation(({ ctx, input }) => signUp(ctx, input)),

  signIn: publicProcedure
    .input(signInInput)
    .output(signedInOutput)
    .mutation(({ ctx, input }) => signIn(ctx, input)),

  signOut: authenticatedProcedure.output(okOutput).mutation(({ ctx }) => signOut(ctx)),

  signOutOtherSessions: authenticatedProcedure
    .output(signedOutOthersOutput)
    .mutation(({ ctx }) => signOutOtherSessions(ctx)),

  /** The caller's signed-in browsers (ASVS 5 7.5.2), by a public handle that is no credential. */
  listSessions: authenticatedProcedure.output(sessionOutput.array()).query(({ ctx }) => listSessions(ctx)),

  revokeSession: authenticatedProcedure
    .input(revokeSessionInput)
    .output(okOutput)
    .mutation(({ ctx, input }) => revokeSession(ctx, input.id)),

  changePassword: authenticatedProcedure
    .input(changePasswordInput)
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx, input.currentPassword, input.newPassword);
      return { ok: true as const };
    }),

  /** The signed-in user, or null: the web app's first call. */
  me: publicProcedure.output(signedInOutput.nullable()).query(({ ctx }) => currentUser(ctx)),
});
