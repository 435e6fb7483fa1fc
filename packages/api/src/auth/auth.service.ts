import {
  checkPasswordPolicy,
  createSession,
  hashPassword,
  invalidateUserSessions,
  verifyAgainstDummy,
  verifyPassword,
} from '@crm/auth';
import type { Database, IndustryProfile, Transaction } from '@crm/db';
import type { Context } from '../context';
import { appError } from '../errors';
import { syncPluginCustomFields } from '../plugins/custom-fields-sync';
import type { PluginRegistry } from '../plugins/registry';
import type { SignInInput, SignUpInput } from './auth.schemas';

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
  const row = await trx.insertInto('tenants').values(tenant).returningAll().executeTakeFirstOrThrow();
  await trx
    .insertInto('memberships')
    .values({ tenant_id: tenant.id, user_id: userId, role: 'owner' })
    .execute();
  const plugin = plugins?.get(tenant.industry);
  if (plugin) await syncPluginCustomFields(trx, tenant.id, plugin);
  return row;
}

/**
 * Creates a tenant, its owner and a session. An existing account may sign up a further
 * tenant by giving its own password; any other use of a taken email gets one generic error.
 */
export async function signUp(ctx: Context, input: SignUpInput) {
  assertPasswordAcceptable(input.password);
  await assertNotRateLimited(ctx, input.email);
  const existing = await ctx.database.withScope({}, (trx) =>
    trx.selectFrom('users').selectAll().where('email', '=', input.email).executeTakeFirst(),
  );
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
          (await trx
            .insertInto('users')
            .values({
              id: userId,
              email: input.email,
              name: input.name,
              password_hash: passwordHash ?? '',
              locale: ctx.locale,
            })
            .returningAll()
            .executeTakeFirstOrThrow());
        const tenant = await insertTenantWithOwner(
          trx,
          { id: tenantId, name: input.tenantName, industry: input.industry },
          userId,
          ctx.plugins,
        );
        await startSession(ctx, trx, userId, tenantId);
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
  const user = await ctx.database.withScope({}, (trx) =>
    trx.selectFrom('users').selectAll().where('email', '=', input.email).executeTakeFirst(),
  );
  const valid = user
    ? user.disabled_at === null && (await verifyPassword(user.password_hash, input.password))
    : await verifyAgainstDummy(input.password);
  if (!user || !valid) {
    await ctx.rateLimiter.recordFailure(input.email, ctx.clientIp);
    ctx.logger.warn(
      { event: 'auth.sign_in.failed', requestId: ctx.requestId, ip: ctx.clientIp },
      'sign-in failed',
    );
    throw appError('INVALID_CREDENTIALS');
  }
  await ctx.rateLimiter.recordSuccess(input.email);
  const activeTenantId = await ctx.database.withScope({ userId: user.id }, async (trx) => {
    const membership = await trx
      .selectFrom('memberships')
      .select('tenant_id')
      .where('user_id', '=', user.id)
      .orderBy('created_at')
      .executeTakeFirst();
    const tenantId = membership?.tenant_id ?? null;
    await startSession(ctx, trx, user.id, tenantId);
    return tenantId;
  });
  ctx.logger.info({ event: 'auth.sign_in', requestId: ctx.requestId, userId: user.id }, 'signed in');
  return { user: { id: user.id, name: user.name, email: user.email, locale: user.locale }, activeTenantId };
}

/** Changing the password signs out every session, this one included, then issues a fresh one. */
export async function changePassword(
  ctx: Context & { auth: NonNullable<Context['auth']> },
  currentPassword: string,
  newPassword: string,
) {
  const { user, session } = ctx.auth;
  await assertNotRateLimited(ctx, user.email);
  const stored = await ctx.database.withScope({}, (trx) =>
    trx.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow(),
  );
  if (!(await verifyPassword(stored.password_hash, currentPassword))) {
    await ctx.rateLimiter.recordFailure(user.email, ctx.clientIp);
    throw appError('CURRENT_PASSWORD_WRONG', {}, 'currentPassword');
  }
  assertPasswordAcceptable(newPassword, 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  await ctx.database.withScope({ userId: user.id }, async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    await invalidateUserSessions(trx, user.id);
    await startSession(ctx, trx, user.id, session.active_tenant_id);
  });
  ctx.logger.info(
    { event: 'auth.password_changed', requestId: ctx.requestId, userId: user.id },
    'password changed',
  );
}
