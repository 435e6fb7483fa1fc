import type { AppRouter } from '@crm/api';
import type { AnyTRPCProcedure, TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { HttpResponse, http } from 'msw';
import type { RouterInputs, RouterOutputs } from '../lib/api-types';

/**
 * msw answering the tRPC calls of the real client (lib/trpc.ts): queries come batched as
 * `GET /trpc/a,b?batch=1&input={"0":…,"1":…}`, mutations one per `POST /trpc/a` with the
 * input as the body. msw-trpc answers neither a batch nor this app's error data (`appCode`,
 * `fieldErrors`), hence this small helper: resolvers by procedure path, typed from the router,
 * answered by one msw handler, each call recorded with its input and headers.
 */

type ProcedureKind = 'query' | 'mutation';

/** 'customers.list' | 'auth.signIn' | … with the procedure's type. */
type PathsOf<Tree, Kind extends ProcedureKind, Prefix extends string = ''> = {
  [Key in keyof Tree & string]: Tree[Key] extends AnyTRPCProcedure
    ? Tree[Key]['_def']['type'] extends Kind
      ? `${Prefix}${Key}`
      : never
    : PathsOf<Tree[Key], Kind, `${Prefix}${Key}.`>;
}[keyof Tree & string];

type Routes = AppRouter['_def']['record'];
export type QueryPath = PathsOf<Routes, 'query'>;
export type MutationPath = PathsOf<Routes, 'mutation'>;
export type ProcedurePath = QueryPath | MutationPath;

type At<Tree, Path extends string> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof Tree
    ? At<Tree[Head], Rest>
    : never
  : Path extends keyof Tree
    ? Tree[Path]
    : never;

export type InputOf<Path extends ProcedurePath> = At<RouterInputs, Path>;
export type OutputOf<Path extends ProcedurePath> = At<RouterOutputs, Path>;

export type Call<Path extends ProcedurePath = ProcedurePath> = {
  path: Path;
  input: InputOf<Path>;
  /** The UI language the client sent (`x-locale`). */
  locale: string | null;
  headers: Headers;
};

type Resolver<Path extends ProcedurePath> = (
  input: InputOf<Path>,
  call: Call<Path>,
) => OutputOf<Path> | Promise<OutputOf<Path>>;

export type Resolvers = { [Path in ProcedurePath]?: Resolver<Path> };

/** What the server's error formatter sends (packages/api/src/trpc.ts): a code, a translated message, field errors. */
export class TrpcTestError extends Error {
  constructor(
    readonly code: TRPC_ERROR_CODE_KEY,
    readonly appCode: string | null,
    message: string,
    readonly fieldErrors: { path: string; message: string }[] = [],
    /** The message's parameters (e.g. the existing customer's id of an exact duplicate). */
    readonly appParams: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

const HTTP_STATUS: Partial<Record<TRPC_ERROR_CODE_KEY, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
};

let resolvers: Resolvers = {};
let calls: Call[] = [];
let unanswered: string[] = [];

/** Adds (or replaces) the answers for these procedures until the end of the test. */
export function answerTrpc(more: Resolvers) {
  resolvers = { ...resolvers, ...more };
}

/** The inputs a procedure was called with, oldest first. */
export function callsOf<Path extends ProcedurePath>(path: Path): Call<Path>[] {
  return calls.filter((call): call is Call<Path> => call.path === path);
}

/** Forgets the answers and the calls (after each test); fails the test when a call had no answer. */
export function resetTrpc() {
  const missing = [...new Set(unanswered)];
  resolvers = {};
  calls = [];
  unanswered = [];
  if (missing.length > 0) {
    throw new Error(`The screen called tRPC procedures the test does not answer: ${missing.join(', ')}`);
  }
}

function errorBody(path: string, error: TrpcTestError) {
  const httpStatus = HTTP_STATUS[error.code] ?? 500;
  return {
    httpStatus,
    body: {
      error: {
        message: error.message,
        code: TRPC_ERROR_CODES_BY_KEY[error.code],
        data: {
          code: error.code,
          httpStatus,
          path,
          appCode: error.appCode,
          appParams: error.appParams,
          fieldErrors: error.fieldErrors,
        },
      },
    },
  };
}

async function answer(path: string, input: unknown, request: Request) {
  const resolver = resolvers[path as ProcedurePath] as
    | ((input: unknown, call: Call) => unknown | Promise<unknown>)
    | undefined;
  const call = {
    path: path as ProcedurePath,
    input,
    locale: request.headers.get('x-locale'),
    headers: request.headers,
  } as Call;
  calls.push(call);
  if (!resolver) {
    unanswered.push(path);
    return errorBody(path, new TrpcTestError('NOT_FOUND', null, `No test answer for ${path}`));
  }
  try {
    return { httpStatus: 200, body: { result: { data: await resolver(input, call) } } };
  } catch (error) {
    if (error instanceof TrpcTestError) return errorBody(path, error);
    throw error;
  }
}

/** The msw handlers for `/trpc/*`: the batched GET of queries and the POST of a mutation. */
export const trpcHandlers = [
  http.get('*/trpc/:paths', async ({ request, params }) => {
    const url = new URL(request.url);
    const paths = String(params.paths).split(',');
    const inputs = JSON.parse(url.searchParams.get('input') ?? '{}') as Record<string, unknown>;
    if (url.searchParams.get('batch') !== '1') {
      const single = await answer(paths[0] ?? '', inputs, request);
      return HttpResponse.json(single.body, { status: single.httpStatus });
    }
    const results = await Promise.all(paths.map((path, index) => answer(path, inputs[index], request)));
    const statuses = new Set(results.map((result) => result.httpStatus));
    const status = statuses.size === 1 ? (results[0]?.httpStatus ?? 200) : 207;
    return HttpResponse.json(
      results.map((result) => result.body),
      { status },
    );
  }),
  http.post('*/trpc/:path', async ({ request, params }) => {
    const text = await request.text();
    const result = await answer(String(params.path), text ? JSON.parse(text) : undefined, request);
    return HttpResponse.json(result.body, { status: result.httpStatus });
  }),
];
