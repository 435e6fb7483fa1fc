import { ZodError, type z } from 'zod';
import { type ApiDependencies, type ApiKeyCall, createContext, type RequestInfo } from '../context';
import { AppError, type ErrorCode, httpStatusOf, translateError } from '../errors';
import { describeIssue, type Locale } from '../i18n';
import { createCaller } from '../root';
import type { ApiV1Route } from './api-v1.routes';

/**
 * The edge of the REST API (`/api/v1`): one route's call of its procedure through the app
 * router's caller, with the API key in the context instead of a session, and the one
 * mapping of its errors to JSON problem details (RFC 9457) with the product's error codes and
 * messages in the caller's language.
 */
export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors: { path: string; message: string }[];
};

export type ApiV1Outcome = { status: number; body: unknown };

export function problem(
  code: ErrorCode,
  locale: Locale,
  params: Record<string, string | number> = {},
  errors: ProblemDetails['errors'] = [],
): ApiV1Outcome {
  const status = httpStatusOf(code);
  const detail = translateError(code, locale, params);
  return {
    status,
    body: {
      type: `urn:crm:error:${code}`,
      title: code,
      status,
      code,
      detail,
      errors,
    } satisfies ProblemDetails,
  };
}

/** An error of a call as problem details. */
export function problemOf(error: unknown, locale: Locale): ApiV1Outcome {
  const cause = error instanceof Error ? error.cause : undefined;
  const appError = error instanceof AppError ? error : cause instanceof AppError ? cause : null;
  if (appError) {
    const message = translateError(appError.code, locale, appError.params);
    const errors =
      appError.details.length > 0
        ? appError.details.map((detail) => ({ path: detail.path, message: detail.message[locale] }))
        : appError.field
          ? [{ path: appError.field, message }]
          : [];
    return problem(appError.code, locale, appError.params, errors);
  }
  const zod = error instanceof ZodError ? error : cause instanceof ZodError ? cause : null;
  if (zod) {
    return problem(
      'INVALID_INPUT',
      locale,
      {},
      zod.issues.map((issue) => ({ path: issue.path.join('.'), message: describeIssue(issue, locale) })),
    );
  }
  if ((error as { code?: unknown } | null)?.code === 'BAD_REQUEST') return problem('INVALID_INPUT', locale);
  throw error;
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under defaults, optionals, nullables and pipes. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 10; depth += 1) {
    const def = defOf(current);
    if (def.innerType && ['default', 'optional', 'nullable', 'prefault', 'readonly'].includes(def.type))
      current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  return current;
}

/**
 * A GET's input from its query string, typed by the input schema: numbers and booleans
 * parsed, arrays from repeated or comma-separated parameters, objects as JSON. No parameter
 * at all: no input (the schema's default applies).
 */
export function inputFromQuery(schema: z.ZodType, query: Record<string, string[]>): unknown {
  const keys = Object.keys(query);
  // No query string: nothing, or an empty object for an input that must be one.
  if (keys.length === 0) return schema.safeParse(undefined).success ? undefined : {};
  const shape = defOf(unwrap(schema)).shape ?? {};
  // Keys come from the caller: `constructor` or `__proto__` must stay plain unknown keys (the
  // schema refuses them), never reach Object.prototype's members or set the input's prototype.
  const input: Record<string, unknown> = Object.create(null);
  for (const key of keys) {
    const values = query[key] ?? [];
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    const kind = field ? defOf(unwrap(field)).type : 'string';
    const first = values[0] ?? '';
    if (kind === 'number' || kind === 'int') input[key] = first.trim() === '' ? first : Number(first);
    else if (kind === 'boolean') input[key] = first === 'true' ? true : first === 'false' ? false : first;
    else if (kind === 'array') input[key] = values.flatMap((value) => value.split(',')).filter(Boolean);
    else if (kind === 'object' || kind === 'record') {
      try {
        input[key] = JSON.parse(first);
      } catch {
        input[key] = first;
      }
    } else input[key] = first;
  }
  return input;
}

export type ApiV1Call = {
  route: ApiV1Route;
  token: string;
  /** The procedure's input (query, body and path merged). */
  input: unknown;
  onVerified?: ApiKeyCall['onVerified'];
};

/** Runs a route's procedure as the key's member; answers with the status and body to send. */
export async function runApiV1(
  dependencies: ApiDependencies,
  request: RequestInfo,
  call: ApiV1Call,
): Promise<ApiV1Outcome> {
  const context = await createContext(dependencies, {
    ...request,
    sessionToken: null,
    apiKey: { token: call.token, scope: call.route.scope, onVerified: call.onVerified },
  });
  const caller = createCaller(context) as unknown as Record<
    string,
    Record<string, (input: unknown) => Promise<unknown>>
  >;
  const [namespace, name] = call.route.procedure.split('.') as [string, string];
  const procedure = caller[namespace]?.[name];
  if (!procedure) throw new Error(`No procedure ${call.route.procedure}`);
  try {
    const data = await procedure(call.input);
    return { status: call.route.creates ? 201 : 200, body: data };
  } catch (error) {
    return problemOf(error, request.locale);
  }
}
