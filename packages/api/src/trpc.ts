import {
  deleteSession,
  hasPermission,
  judgeSession,
  type Permission,
  parseSessionToken,
  ROLE_PERMISSIONS,
  type TenantRateLimiter,
  touchSession,
  type ValidatedSession,
} from '@crm/auth';
import { findUnsafeCharacter } from '@crm/domain';
import { jsonEqual } from '@crm/plugin-sdk';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { keyForCallQuery } from './api-keys/api-keys.repository';
import { recordApiKeyUse, verifyApiKeyCall } from './api-keys/api-keys.service';
import { parseApiKey } from './api-keys/api-keys.token';
import { auditMutation } from './audit/audit.service';
import type { Context } from './context';
import { memberAccess } from './customers/access';
import { AppError, appError, type LocalizedFieldError, statusOf, translateError } from './errors';
import { describeIssue } from './i18n';
import { checkIdempotencyKey, claimIdempotencyKey, saveIdempotentResult } from './idempotency';
import type { MemberScope } from './scope';
import { queueTouchedRetier, takeTiersTouched } from './tiering/tiering.service';
import { queueWebhookDrain } from './webhooks/webhooks.jobs';
import { takeWebhooksQueued } from './webhooks/webhooks.service';

/** Declared on every procedure; the permissions and cross-tenant suites read it. */
export type Meta = {
  access: 'public' | 'authenticated' | 'tenant';
  permission?: Permission;
  /**
   * A create or import mutation: an `Idempotency-Key` request header makes a retry return the
   * first call's saved result instead of creating again (SECURITY.md R5.1).
   */
  idempotent?: boolean;
};

export type FieldError = { path: string; message: string };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const locale = ctx?.locale ?? 'zh-CN';
      const cause = error.cause;
      let appCode: string | null = null;
      let message = shape.message;
      let fieldErrors: FieldError[] = [];
      // The message's parameters (e.g. the id of the existing customer an exact duplicate names).
      let appParams: Record<string, string | number> = {};
      if (cause instanceof AppError) {
        appCode = cause.code;
        appParams = cause.params;
        message = translateError(cause.code, locale, cause.params);
        if (cause.details.length > 0) {
          fieldErrors = cause.details.map((detail) => ({
            path: detail.path,
            message: detail.message[locale],
          }));
        } else if (cause.field) fieldErrors = [{ path: cause.field, message }];
      } else if (cause instanceof ZodError) {
        appCode = 'INVALID_INPUT';
        fieldErrors = cause.issues.map((issue) => ({
          path: issue.path.join('.'),
          message: describeIssue(issue, locale),
        }));
        message = translateError('INVALID_INPUT', locale);
      } else if (error.code === 'INTERNAL_SERVER_ERROR') {
        appCode = 'INTERNAL';
        message = translateError('INTERNAL', locale);
      } else if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') {
        // tRPC's own refusals of a request it cannot read (a body that is not JSON, a
        // mutation sent without one): the same code and message as any other unreadable input.
        appCode = 'INVALID_INPUT';
        message = translateError('INVALID_INPUT', locale);
      }
      // No stack traces or SQL in responses (ASVS 5 16.5.1).
      const { stack: _stack, ...data } = shape.data;
      return { ...shape, message, data: { ...data, appCode, appParams, fieldErrors } };
    },
  });

/**
 * tRPC runs a zod schema with parseAsync, which in zod 4 costs about three times parse for
 * the same schema (a 50-customer page's output: 210 µs against 65 µs, measured). No schema
 * here is async, so procedures validate with parse, and fall back to parseAsync only when a
 * schema turns out to need it. Same checks, same ZodError, same messages.
 */
function syncFirst(schema: z.ZodType) {
  return (value: unknown) => {
    try {
      return schema.parse(value);
    } catch (error) {
      if (error instanceof z.core.$ZodAsyncError) return schema.parseAsync(value);
      throw error;
    }
  };
}

/**
 * Outputs are built field by field by the repositories; their schemas document and check
 * that. Where NODE_ENV is `production` they are not parsed (for a 50-row page the parse was
 * the largest single cost of the procedure). Everywhere else — tests, development — every
 * output is parsed and must come out of the parse unchanged: a key its schema does not
 * declare (which parsing would silently strip) or a value it would transform fails the
 * call, so what production sends unparsed is what the schema describes.
 */
const parseOutputs = process.env.NODE_ENV !== 'production';

function outputParser(schema: z.ZodType) {
  if (!parseOutputs) return (value: unknown) => value;
  const parse = syncFirst(schema);
  return async (value: unknown) => {
    const parsed = await parse(value);
    if (!jsonEqual(parsed, value)) {
      throw new Error(
        'Output differs from what its schema describes (an undeclared key, or a value the schema transforms)',
      );
    }
    return parsed;
  };
}

/**
 * The zod schema behind each input parser a procedure holds (tRPC keeps only the parser), so
 * the input fuzzer (apps/server/test/fuzz.test.ts) derives its values from the schema itself.
 */
const INPUT_SCHEMAS = new WeakMap<object, z.ZodType>();

/** The zod schema of an input parser of a procedure's `_def.inputs`, if it was built from one. */
export function inputSchemaOfParser(parser: unknown): z.ZodType | undefined {
  return typeof parser === 'function' ? INPUT_SCHEMAS.get(parser) : undefined;
}

/**
 * A procedure builder whose `.input()` zod schemas run by syncFirst and whose `.output()`
 * ones by outputParser.
 */
function withSyncValidation<Builder extends object>(builder: Builder): Builder {
  return new Proxy(builder, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'input' || property === 'output') {
        return (schema: unknown) => {
          const parser =
            schema instanceof z.ZodType ? (property === 'input' ? syncFirst : outputParser)(schema) : schema;
          if (property === 'input' && schema instanceof z.ZodType && typeof parser === 'function')
            INPUT_SCHEMAS.set(parser, schema);
          return withSyncValidation(value.call(target, parser));
        };
      }
      if (
        property === 'use' ||
        property === 'meta' ||
        property === 'concat' ||
        property === 'unstable_concat'
      ) {
        return (...args: unknown[]) => withSyncValidation(value.apply(target, args));
      }
      return value;
    },
  });
}

/**
 * Every string in a call's input (and every object key) must be storable: no U+0000 or other
 * control character but tab and line breaks, no lone surrogate. Checked on the raw input before
 * any schema runs, so no procedure can forget it and PostgreSQL never sees such text (it would
 * refuse U+0000 with an error the caller would get as a 500). Single-line fields refuse line
 * breaks and blank text through their own schemas (`userText`).
 */
const refuseUnstorableText = t.middleware(async ({ next, getRawInput }) => {
  let raw: unknown;
  try {
    raw = await getRawInput();
  } catch {
    // A body that is not JSON: a procedure with an input refuses it itself, one without ignores it.
    return next();
  }
  const issues = unstorableTextIssues(raw);
  if (issues.length > 0) throw appError('INVALID_INPUT', {}, null, issues);
  return next();
});

const MAX_INPUT_DEPTH = 32;

function unstorableTextIssues(input: unknown): LocalizedFieldError[] {
  const issues: LocalizedFieldError[] = [];
  const visit = (value: unknown, path: (string | number)[]) => {
    if (issues.length >= 20) return;
    if (typeof value === 'string') {
      const unsafe = findUnsafeCharacter(value, { multiline: true });
      if (unsafe) {
        const code = unsafe.kind === 'control' ? 'TEXT_CONTROL_CHARACTER' : 'TEXT_INVALID_CHARACTER';
        const params = { codePoint: unsafe.codePoint };
        issues.push({
          path: path.join('.'),
          message: { 'zh-CN': translateError(code, 'zh-CN', params), en: translateError(code, 'en', params) },
        });
      }
      return;
    }
    if (value === null || typeof value !== 'object' || path.length >= MAX_INPUT_DEPTH) return;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, [...path, index]);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      visit(key, [...path, key]);
      visit(item, [...path, key]);
    }
  };
  visit(input, []);
  return issues;
}

/**
 * The one place an error value becomes a tRPC error: code and services throw `AppError`
 * (errors.ts, no transport); tRPC first sees it as an internal error caused by it, and here it
 * gets the status its code names.
 */
export function toTrpcError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof AppError && error.code === 'INTERNAL_SERVER_ERROR')
    return new TRPCError({ code: statusOf(cause.code), message: cause.code, cause });
  return error;
}

const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const error = toTrpcError(result.error);
  return error === result.error ? result : { ...result, error };
});

const procedure = withSyncValidation(t.procedure.use(mapAppErrors).use(refuseUnstorableText));

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const logFailures = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await next();
  if (!result.ok) {
    const error = toTrpcError(result.error);
    const fields = {
      requestId: ctx.requestId,
      path,
      type,
      code: error.code,
      userId: ctx.requestSession.current?.user.id,
    };
    if (error.code === 'INTERNAL_SERVER_ERROR')
      ctx.logger.error({ ...fields, err: error.cause ?? error }, 'procedure failed');
    else if (error.code === 'FORBIDDEN' || error.code === 'UNAUTHORIZED')
      ctx.logger.warn(fields, 'access denied');
  }
  return result;
});

/** ctx.auth from the request's session (looked up once per request, when first needed). */
const withAuth = t.middleware(async ({ ctx, next }) =>
  next({ ctx: { auth: await ctx.requestSession.resolve() } }),
);

/** Anyone, signed in or not. */
export const publicProcedure = procedure.use(logFailures).use(withAuth).meta({ access: 'public' });

/** A signed-in user, before or without a tenant. */
export const authenticatedProcedure = procedure
  .use(logFailures)
  .use(withAuth)
  .meta({ access: 'authenticated' })
  .use(({ ctx, next }) => {
    if (!ctx.auth) throw appError('UNAUTHENTICATED');
    return next({ ctx: { auth: ctx.auth } });
  });

/**
 * A member of the session's active tenant. The whole procedure runs in one tenant
 * transaction (RLS confines it to that tenant) whose opening round trip also reads the
 * session — its active tenant and user become the transaction's scope in SQL — and the
 * member's role: BEGIN, session, scope and membership in one write. The session's secret,
 * expiry and idleness are checked here before anything else runs; the procedure's declared
 * permission is checked against the role table. A failed procedure rolls the transaction
 * back.
 */
export const tenantProcedure = procedure
  .use(logFailures)
  .meta({ access: 'tenant' })
  .use(async ({ ctx, meta, next, type, path, getRawInput }) => {
    const idempotencyKey =
      meta?.idempotent && type === 'mutation' && ctx.idempotencyKey
        ? checkIdempotencyKey(ctx.idempotencyKey)
        : null;
    if (ctx.apiKey) {
      // A call of the REST API through an API key (docs/api.md): the key's tenant, acting as
      // the member who created it, within the key's scopes.
      const call = ctx.apiKey;
      const parsed = parseApiKey(call.token);
      if (!parsed) throw appError('API_KEY_INVALID');
      let touch = false;
      let keyUserId = '';
      let tiersTouchedByKey = false;
      let webhooksByKey = false;
      // BEGIN, the tenant's scope and the key with its creator's membership in one round trip;
      // a query's transaction is READ ONLY (its COMMIT is not waited for), as with a session.
      const readOnly = type === 'query';
      const opening = keyForCallQuery(parsed.tenantId, parsed.keyId);
      const result = await ctx.database.withTenantFirst(
        parsed.tenantId,
        opening,
        async (trx, rows) => {
          const caller = verifyApiKeyCall(rows[0], parsed, {
            clientIp: ctx.clientIp,
            scope: call.scope,
            permission: meta?.permission,
          });
          call.onVerified?.({ keyId: parsed.keyId, userId: caller.userId, limit: caller.rateLimitPerMinute });
          touch = caller.touch;
          keyUserId = caller.userId;
          if (meta?.permission && !hasPermission(caller.role, meta.permission)) throw appError('FORBIDDEN');
          const access = memberAccess(caller.userId, caller.teamId, caller.role);
          const scope: MemberScope = {
            trx,
            tenantId: parsed.tenantId,
            userId: caller.userId,
            role: caller.role,
            access,
            locale: ctx.locale,
          };
          const run = () =>
            next({
              ctx: {
                auth: null as unknown as ValidatedSession,
                tenantId: parsed.tenantId,
                role: caller.role,
                permissions: ROLE_PERMISSIONS[caller.role],
                trx,
                access,
                scope,
              },
            });
          let outcome: Awaited<ReturnType<typeof run>>;
          if (idempotencyKey) {
            const keyScope = { tenantId: parsed.tenantId, userId: caller.userId, key: idempotencyKey };
            const claim = await claimIdempotencyKey(trx, {
              ...keyScope,
              procedure: path,
              input: await getRawInput(),
            });
            if (claim.replay) {
              outcome = {
                ok: true,
                data: claim.data,
                marker: 'middlewareMarker',
              } as unknown as typeof outcome;
            } else {
              outcome = await run();
              if (outcome.ok) await saveIdempotentResult(trx, keyScope, outcome.data);
              if (outcome.ok && type === 'mutation')
                await auditMutation(trx, path, caller.userId, await rawInputOf(getRawInput), outcome.data);
            }
          } else {
            outcome = await run();
            if (outcome.ok && type === 'mutation')
              await auditMutation(trx, path, caller.userId, await rawInputOf(getRawInput), outcome.data);
          }
          if (!outcome.ok) throw outcome.error;
          if (touch && type === 'mutation') {
            await recordApiKeyUse(trx, parsed.tenantId, parsed.keyId, caller.userId, ctx.clientIp);
            touch = false;
          }
          tiersTouchedByKey = takeTiersTouched(trx);
          webhooksByKey = takeWebhooksQueued(trx);
          return outcome;
        },
        { readOnly },
      );
      if (touch) {
        await ctx.database
          .withTenant(parsed.tenantId, (trx) =>
            recordApiKeyUse(trx, parsed.tenantId, parsed.keyId, keyUserId, ctx.clientIp),
          )
          .catch(() => undefined);
      }
      if (tiersTouchedByKey) await queueTouchedRetier(ctx.jobs, parsed.tenantId).catch(() => undefined);
      if (webhooksByKey)
        await queueWebhookDrain(ctx.jobs, parsed.tenantId, ctx.database).catch(() => undefined);
      return result;
    }
    const token = ctx.sessionToken === null ? null : parseSessionToken(ctx.sessionToken);
    if (!token) {
      if (ctx.sessionToken !== null) ctx.clearSessionCookie();
      throw appError('UNAUTHENTICATED');
    }
    // The tenant's request limit (T5.9), counted before any work when this process knows the
    // session's tenant, so an over-limit request costs one counter update and nothing else.
    const limiter = ctx.tenantRateLimiter;
    const principal = `session:${token.id}`;
    const knownTenant = ctx.tenantGate.tenantOf(principal);
    if (limiter && knownTenant) await countTenantRequest(ctx, limiter, knownTenant, true);
    /** The tenant the request acted in, once the session is read. */
    let servedTenant: string | null = null;
    // Queries arrive as GETs, which the CSRF defence lets through: they must not write, and
    // READ ONLY makes the database refuse if one tried. It also lets the transaction end
    // without waiting for its COMMIT.
    const readOnly = type === 'query';
    /** The tenant whose customers' tiers the procedure touched (its re-tier is queued after the commit). */
    let tiersTouched: string | null = null;
    /** The tenant whose transaction queued webhook deliveries (their drain is asked for after the commit). */
    let webhooksQueued: string | null = null;
    const served = ctx.database.withSession(
      token.id,
      async (trx, opened) => {
        const verdict = judgeSession(opened.session, token.secret, ctx.sessionPolicy);
        if (verdict.status !== 'valid') return { signedIn: false as const, verdict };
        const { auth } = verdict;
        ctx.requestSession.settle(auth);
        if (verdict.touch && !readOnly) await touchSession(trx, auth.session);
        const tenantId = auth.session.active_tenant_id;
        if (!tenantId) throw appError('NO_ACTIVE_TENANT');
        servedTenant = tenantId;
        if (!opened.membership) throw appError('NOT_A_MEMBER');
        const { role, teamId } = opened.membership;
        if (meta?.permission && !hasPermission(role, meta.permission)) throw appError('FORBIDDEN');
        const access = memberAccess(auth.user.id, teamId, role);
        const scope: MemberScope = { trx, tenantId, userId: auth.user.id, role, access, locale: ctx.locale };
        const run = () =>
          next({
            ctx: {
              auth,
              tenantId,
              role,
              permissions: ROLE_PERMISSIONS[role],
              trx,
              access,
              /** Everything below the router takes this first (scope.ts). */
              scope,
            },
          });
        let result: Awaited<ReturnType<typeof run>>;
        if (idempotencyKey) {
          const scope = { tenantId, userId: auth.user.id, key: idempotencyKey };
          const claim = await claimIdempotencyKey(trx, {
            ...scope,
            procedure: path,
            input: await getRawInput(),
          });
          if (claim.replay) {
            // The first call's result, as it was sent (the procedure does not run again).
            result = { ok: true, data: claim.data, marker: 'middlewareMarker' } as unknown as typeof result;
          } else {
            result = await run();
            if (result.ok) await saveIdempotentResult(trx, scope, result.data);
            if (result.ok && type === 'mutation')
              await auditMutation(trx, path, auth.user.id, await rawInputOf(getRawInput), result.data);
          }
        } else {
          result = await run();
          // Every mutation leaves an audit row (T5.7a): its own when it wrote none.
          if (result.ok && type === 'mutation')
            await auditMutation(trx, path, auth.user.id, await rawInputOf(getRawInput), result.data);
        }
        // Roll back everything the procedure wrote when it failed.
        if (!result.ok) throw result.error;
        if (takeTiersTouched(trx)) tiersTouched = tenantId;
        if (takeWebhooksQueued(trx)) webhooksQueued = tenantId;
        return { signedIn: true as const, result, touch: verdict.touch ? auth.session : null };
      },
      { readOnly },
    );
    let outcome: Awaited<typeof served>;
    try {
      outcome = await served;
    } finally {
      // The first request of a session here: counted after it ran, and its tenant remembered
      // (the HTTP layer's per-tenant gate and limit read it before the session's next request).
      if (servedTenant) {
        ctx.tenantGate.remember(principal, servedTenant);
        if (limiter && servedTenant !== knownTenant)
          await countTenantRequest(ctx, limiter, servedTenant, false);
      }
    }
    if (outcome.signedIn) {
      // After the commit, so the run sees the touches (a lost enqueue is caught by the nightly run).
      if (tiersTouched) {
        await queueTouchedRetier(ctx.jobs, tiersTouched).catch((error: unknown) =>
          ctx.logger.warn(
            { tenantId: tiersTouched, err: error instanceof Error ? error.message : String(error) },
            'could not queue the re-tier of touched customers',
          ),
        );
      }
      if (webhooksQueued) {
        // A lost ask is caught by the sweep within a minute (webhooks.drain-all).
        await queueWebhookDrain(ctx.jobs, webhooksQueued, ctx.database).catch(() => undefined);
      }
      // A query's transaction is read-only: its session's bounded refresh is written apart.
      if (readOnly && outcome.touch) {
        const session = outcome.touch;
        await ctx.database.withoutTenant((db) => touchSession(db, session));
      }
      return outcome.result;
    }
    ctx.requestSession.settle(null);
    if (outcome.verdict.status === 'ended') {
      await ctx.database.withoutTenant((db) => deleteSession(db, token.id));
    }
    ctx.clearSessionCookie();
    throw appError('UNAUTHENTICATED');
  });

/** The call's input as sent, for the audit row's record; a mutation without one sends no body. */
function rawInputOf(getRawInput: () => Promise<unknown>): Promise<unknown> {
  return getRawInput().catch(() => undefined);
}

/**
 * Counts one request against the tenant's limit and says where it stands in the response's
 * `RateLimit-*` headers; over the limit, `Retry-After` and a translated refusal (429).
 */
async function countTenantRequest(
  ctx: Context,
  limiter: TenantRateLimiter,
  tenantId: string,
  refuse: boolean,
): Promise<void> {
  const verdict = await limiter.consume(tenantId);
  ctx.setResponseHeader?.('RateLimit-Limit', String(verdict.limit));
  ctx.setResponseHeader?.('RateLimit-Remaining', String(verdict.remaining));
  ctx.setResponseHeader?.('RateLimit-Reset', String(verdict.resetSeconds));
  if (verdict.allowed || !refuse) return;
  ctx.setResponseHeader?.('Retry-After', String(verdict.resetSeconds));
  throw appError('TENANT_RATE_LIMITED', { seconds: verdict.resetSeconds, limit: verdict.limit });
}

/** A tenant member whose role grants `permission` (from the one role → permission table). */
export function permittedProcedure(permission: Permission, options: { idempotent?: boolean } = {}) {
  return tenantProcedure.meta({ access: 'tenant', permission, ...options });
}

export { TRPCError };
