import {
  checkPasswordPolicy,
  createSession,
  hashPassword,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
  publicSessionId,
  verifyAgainstDummy,
  verifyPassword,
} from '@crm/auth';
import type { Database, IndustryProfile, Transaction } from '@crm/db';
import {
  recordAuthEvent,
  recordAuthEventIn,
  recordTenantAuthEvent,
} from '../auth-events/auth-events.service';
import type { Context } from '../context';
import { appError } from '../errors';
import { syncTenantCadences } from '../plans/plans.service';
import { syncPluginCustomFields } from '../plugins/custom-fields-sync';
import { defaultsOf } from '../plugins/effective-settings';
import { syncPluginLifecycle } from '../plugins/lifecycle-sync';
import type { PluginRegistry } from '../plugins/registry';
import { jobScope } from '../scope';
import {
  insertTenantAndOwner,
  insertUser,
  selectFirstTenantId,
  selectPasswordHash,
  selectUserByEmail,
  updatePassword,
} from './auth.repository';
import type { SignInInput, SignUpInput } from './auth.schemas';

/**
 * Signing up, in and out, and a user's sessions. Auth works before a tenant is in scope, so
 * its use cases take the request's context (the session, the cookie setter, the rate
 * limiter) rather than a tenant `Scope`.
 */
type SignedIn = Context & { auth: NonNullable<Context['auth']> };

export function assertPasswordAcceptable(password: string, field = 'password'): void {
  const problem = checkPasswordPolicy(password);
  if (problem) throw appError(problem, {}, field);
}

async function assertNotRateLimited(ctx: Context, email: string): Promise<void> {
  const seconds = await ctx.rateLimiter.retryAfterSeconds(email, ctx.clientIp);
  if (seconds > 0) {
    ctx.logger.warn(
      { event: 'auth.rate_limited', requestId: ctx.requestId, ip: ctx.clientIp },
      'sign-in rate limited',
    );
    throw appError('TOO_MANY_ATTEMPTS', { seconds });
  }
}

/** Issues a session in `trx` and hands its token to the HTTP layer as a cookie. */
export async function startSession(
  ctx: Context,
  trx: Transaction<Database>,
  userId: string,
  tenantId: string | null,
): Promise<void> {
  const { token, session } = await createSession(trx, userId, tenantId, ctx.sessionPolicy);
  ctx.setSessionCookie(token, session.expires_at);
}

export async function insertTenantWithOwner(
  trx: Transaction<Database>,
  tenant: { id: string; name: string; industry: IndustryProfile },
  userId: string,
  /** The server's industry plugins: the new tenant gets its profile's custom fields at once. */
  plugins?: PluginRegistry,
) {
  // A profile must be one of the plugins this server runs (refused ones included: the
  // tenant then sees INDUSTRY_PROFILE_UNAVAILABLE until the plugin is fixed, like any other).
  if (plugins && plugins.status(tenant.industry).state === 'unknown') {
    throw appError('INDUSTRY_PROFILE_UNKNOWN', { profile: tenant.industry }, 'industry');
  }
  const row = await insertTenantAndOwner(trx, tenant, userId);
  const plugin = plugins?.get(tenant.industry);
  if (plugin) {
    await syncPluginCustomFields(trx, tenant.id, plugin);
    // The profile's default lifecycle thresholds are in force from the start.
    await syncPluginLifecycle(trx, tenant.id, plugin, defaultsOf(plugin));
    // And its contact cadences: the first tiered customer gets its maintenance plan.
    await syncTenantCadences(jobScope(trx, tenant.id), plugin, defaultsOf(plugin));
  }
  return row;
}

/**
 * Creates a tenant, its owner and a session. An existing account may sign up a further
 * tenant by giving its own password; any other use of a taken email gets one generic error.
 */
export async function signUp(ctx: Context, input: SignUpInput) {
  assertPasswordAcceptable(input.password);
  await assertNotRateLimited(ctx, input.email);
  const existing = await ctx.database.withScope({}, (trx) => selectUserByEmail(trx, input.email));
  let passwordHash: string | null = null;
  if (existing) {
    if (existing.disabled_at || !(await verifyPassword(existing.password_hash, input.password))) {
      await ctx.rateLimiter.recordFailure(input.email, ctx.clientIp);
      throw appError('SIGN_UP_EMAIL_UNAVAILABLE');
    }
  } else {
    passwordHash = await hashPassword(input.password);
  }
  const tenantId = crypto.randomUUID();
  const userId = existing?.id ?? crypto.randomUUID();
  const result = await ctx.database
    .withTenant(
      tenantId,
      async (trx) => {
        const user =
          existing ??
          (await insertUser(trx, {
            id: userId,
            email: input.email,
            name: input.name,
            passwordHash: passwordHash ?? '',
            locale: ctx.locale,
          }));
        const tenant = await insertTenantWithOwner(
          trx,
          { id: tenantId, name: input.tenantName, industry: input.industry },
          userId,
          ctx.plugins,
        );
        await startSession(ctx, trx, userId, tenantId);
        await recordTenantAuthEvent(trx, tenantId, { event: 'sign_up', userId, ip: ctx.clientIp });
        return { user, tenant };
      },
      userId,
    )
    .catch((error: unknown) => {
      // Two sign-ups racing for one email: the loser gets the same generic answer.
      if ((error as { code?: string }).code === '23505') throw appError('SIGN_UP_EMAIL_UNAVAILABLE');
      throw error;
    });
  ctx.logger.info({ event: 'auth.sign_up', requestId: ctx.requestId, userId, tenantId }, 'tenant signed up');
  return {
    user: {
      id: result.user.id,
      name: result.user.name,
      email: result.user.email,
      locale: result.user.locale,
    },
    activeTenantId: tenantId,
    tenant: { id: result.tenant.id, name: result.tenant.name, industry: result.tenant.industry },
  };
}

export async function signIn(ctx: Context, input: SignInInput) {
  await assertNotRateLimited(ctx, input.email);
  const user = await ctx.database.withScope({}, (trx) => selectUserByEmail(trx, input.email));
  const valid = user
    ? user.disabled_at === null && (await verifyPassword(user.password_hash, input.password))
    : await verifyAgainstDummy(input.password);
  if (!user || !valid) {
    await ctx.rateLimiter.recordFailure(input.email, ctx.clientIp);
    // In the log of the tenant the sign-in would have opened; an unknown address in no tenant's.
    const tenantId = user
      ? await ctx.database.withScope({ userId: user.id }, (trx) => selectFirstTenantId(trx, user.id))
      : null;
    await recordAuthEvent(ctx.database, tenantId, {
      event: 'sign_in_failed',
      userId: user?.id ?? null,
      email: input.email,
      ip: ctx.clientIp,
    });
    ctx.logger.warn(
      { event: 'auth.sign_in.failed', requestId: ctx.requestId, ip: ctx.clientIp },
      'sign-in failed',
    );
    throw appError('INVALID_CREDENTIALS');
  }
  await ctx.rateLimiter.recordSuccess(input.email);
  const activeTenantId = await ctx.database.withScope({ userId: user.id }, (trx) =>
    selectFirstTenantId(trx, user.id),
  );
  await ctx.database.withScope({ userId: user.id, tenantId: activeTenantId }, async (trx) => {
    await startSession(ctx, trx, user.id, activeTenantId);
    await recordAuthEventIn(trx, activeTenantId, { event: 'sign_in', userId: user.id, ip: ctx.clientIp });
  });
  ctx.logger.info({ event: 'auth.sign_in', requestId: ctx.requestId, userId: user.id }, 'signed in');
  return { user: { id: user.id, name: user.name, email: user.email, locale: user.locale }, activeTenantId };
}

/** Changing the password signs out every session, this one included, then issues a fresh one. */
export async function changePassword(ctx: SignedIn, currentPassword: string, newPassword: string) {
  const { user, session } = ctx.auth;
  await assertNotRateLimited(ctx, user.email);
  const stored = await ctx.database.withScope({}, (trx) => selectPasswordHash(trx, user.id));
  if (!(await verifyPassword(stored.password_hash, currentPassword))) {
    await ctx.rateLimiter.recordFailure(user.email, ctx.clientIp);
    throw appError('CURRENT_PASSWORD_WRONG', {}, 'currentPassword');
  }
  assertPasswordAcceptable(newPassword, 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  const tenantId = session.active_tenant_id;
  await ctx.database.withScope({ userId: user.id, tenantId }, async (trx) => {
    await updatePassword(trx, user.id, passwordHash);
    await invalidateUserSessions(trx, user.id);
    await startSession(ctx, trx, user.id, tenantId);
    await recordAuthEventIn(trx, tenantId, { event: 'password_changed', userId: user.id, ip: ctx.clientIp });
  });
  ctx.logger.info(
    { event: 'auth.password_changed', requestId: ctx.requestId, userId: user.id },
    'password changed',
  );
}

export async function signOut(ctx: SignedIn) {
  const { session, user } = ctx.auth;
  const tenantId = session.active_tenant_id;
  await ctx.database.withScope({ userId: user.id, tenantId }, async (trx) => {
    await invalidateSession(trx, session.id);
    await recordAuthEventIn(trx, tenantId, { event: 'sign_out', userId: user.id, ip: ctx.clientIp });
  });
  ctx.clearSessionCookie();
  ctx.logger.info(
    { event: 'auth.sign_out', requestId: ctx.requestId, userId: ctx.auth.user.id },
    'signed out',
  );
  return { ok: true as const };
}

export async function signOutOtherSessions(ctx: SignedIn) {
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
}

/** The caller's signed-in browsers (ASVS 5 7.5.2), by a public handle that is no credential. */
export async function listSessions(ctx: SignedIn) {
  const sessions = await ctx.database.withoutTenant((db) => listUserSessions(db, ctx.auth.user.id));
  return sessions.map((session) => ({
    id: session.publicId,
    createdAt: session.created_at.toISOString(),
    lastActiveAt: session.last_active_at.toISOString(),
    expiresAt: session.expires_at.toISOString(),
    current: session.id === ctx.auth.session.id,
  }));
}

export async function revokeSession(ctx: SignedIn, publicId: string) {
  await ctx.database.withScope({}, async (trx) => {
    const target = (await listUserSessions(trx, ctx.auth.user.id)).find(
      (session) => session.publicId === publicId,
    );
    if (!target) throw appError('SESSION_NOT_FOUND');
    await invalidateSession(trx, target.id);
  });
  if (publicId === publicSessionId(ctx.auth.session.id)) ctx.clearSessionCookie();
  return { ok: true as const };
}

/** The signed-in user, or null: the web app's first call. */
export function currentUser(ctx: Context) {
  return ctx.auth
    ? {
        user: {
          id: ctx.auth.user.id,
          name: ctx.auth.user.name,
          email: ctx.auth.user.email,
          locale: ctx.auth.user.locale,
        },
        activeTenantId: ctx.auth.session.active_tenant_id,
      }
    : null;
}
