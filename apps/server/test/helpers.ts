import { type Logger, listProcedures, type PluginRegistry } from '@crm/api';
import { createSession, hashPassword, type LoginRateLimits } from '@crm/auth';
import { type CrmDatabase, type IndustryProfile, ROLES, type Role } from '@crm/db';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../src/app';
import { createDependencies } from '../src/dependencies';

export const TEST_PASSWORD = 'correct horse battery';
export const PUBLIC_URL = 'http://localhost:3000';

export type LogLine = Record<string, unknown> & { message?: string; level: string };

/** A logger that keeps every line, so tests can search logs for secrets. */
export function createMemoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const write = (level: string) => (fields: Record<string, unknown>, message?: string) => {
    lines.push({ ...fields, level, ...(message !== undefined && { message }) });
  };
  return { lines, info: write('info'), warn: write('warn'), error: write('error') };
}

export type TestServer = Awaited<ReturnType<typeof createTestServer>>;

export async function createTestServer(
  options: {
    publicUrl?: string;
    rateLimits?: LoginRateLimits;
    /** The industry plugins (default: the server's configured list, apps/server/src/plugins.ts). */
    plugins?: (logger: Logger) => PluginRegistry;
  } = {},
) {
  const testDatabase: TestDatabase = await createTestDatabase();
  const logger = createMemoryLogger();
  const publicUrl = options.publicUrl ?? PUBLIC_URL;
  const dependencies = createDependencies(
    testDatabase.database,
    logger,
    publicUrl,
    options.rateLimits,
    undefined,
    options.plugins?.(logger),
  );
  const app = createApp({ dependencies, publicUrl });
  return {
    app,
    database: testDatabase.database,
    testDatabase,
    dependencies,
    logger,
    publicUrl,
    client: (clientOptions: ClientOptions = {}) => new TrpcClient(app, clientOptions),
    destroy: () => testDatabase.destroy(),
  };
}

type ClientOptions = {
  ip?: string;
  origin?: string | null;
  cookie?: string | null;
  headers?: Record<string, string>;
};
type App = ReturnType<typeof createApp>;

export type CallResult = {
  ok: boolean;
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: responses are checked field by field in tests
  data: any;
  error: {
    message: string;
    code: string;
    appCode: string | null;
    httpStatus: number;
    fieldErrors?: { path: string; message: string }[];
  } | null;
  body: string;
  setCookies: string[];
};

export function procedureType(path: string): 'query' | 'mutation' {
  const procedure = listProcedures().find((candidate) => candidate.path === path);
  if (!procedure || procedure.type === 'subscription') throw new Error(`No procedure ${path}`);
  return procedure.type;
}

/** Calls tRPC procedures over HTTP through app.request(), keeping the session cookie like a browser. */
export class TrpcClient {
  cookie: string | null;
  readonly #app: App;
  readonly #options: ClientOptions;

  constructor(app: App, options: ClientOptions) {
    this.#app = app;
    this.#options = options;
    this.cookie = options.cookie ?? null;
  }

  async call(path: string, input?: unknown, extraHeaders: Record<string, string> = {}): Promise<CallResult> {
    const type = procedureType(path);
    const headers: Record<string, string> = { ...this.#options.headers, ...extraHeaders };
    if (this.cookie) headers.cookie = this.cookie;
    const origin = this.#options.origin === undefined ? PUBLIC_URL : this.#options.origin;
    if (origin) headers.origin = origin;
    let url = `http://localhost:3000/trpc/${path}`;
    let init: RequestInit;
    if (type === 'query') {
      if (input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify(input))}`;
      init = { method: 'GET', headers };
    } else {
      headers['content-type'] = 'application/json';
      init = { method: 'POST', headers, body: input === undefined ? '' : JSON.stringify(input) };
    }
    const response = await this.#app.request(url, init, {
      incoming: { socket: { remoteAddress: this.#options.ip ?? '10.0.0.1' } },
    });
    return this.#readResponse(response);
  }

  async #readResponse(response: Response): Promise<CallResult> {
    const body = await response.text();
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) {
      const [pair] = header.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      const joined = value.join('=');
      this.cookie = joined === '' || /max-age=0/i.test(header) ? null : `${name}=${joined}`;
    }
    let parsed: { result?: { data: unknown }; error?: { message: string; data: Record<string, unknown> } } =
      {};
    try {
      parsed = JSON.parse(body);
    } catch {
      // non-JSON (e.g. a 415 from the origin check) stays in `body`
    }
    const error = parsed.error
      ? {
          message: parsed.error.message,
          code: String(parsed.error.data.code),
          appCode: (parsed.error.data.appCode as string | null) ?? null,
          httpStatus: Number(parsed.error.data.httpStatus),
          fieldErrors: parsed.error.data.fieldErrors as { path: string; message: string }[],
        }
      : null;
    return {
      ok: response.ok && !error,
      status: response.status,
      data: parsed.result?.data,
      error,
      body,
      setCookies,
    };
  }
}

export type SeededUser = { id: string; email: string; name: string };
export type SeededTenant = { tenantId: string; name: string; users: Record<Role, SeededUser> };

let passwordHashPromise: Promise<string> | undefined;
export function testPasswordHash(): Promise<string> {
  passwordHashPromise ??= hashPassword(TEST_PASSWORD);
  return passwordHashPromise;
}

/** A tenant with one member of every role, written straight to the database. */
export async function seedTenant(
  database: CrmDatabase,
  name: string,
  industry: IndustryProfile = 'b2b',
): Promise<SeededTenant> {
  const tenantId = crypto.randomUUID();
  const passwordHash = await testPasswordHash();
  const slug = crypto.randomUUID().slice(0, 8);
  const users = {} as Record<Role, SeededUser>;
  await database.withScope({}, async (trx) => {
    for (const role of ROLES) {
      const user = { email: `${role}.${slug}@example.com`, name: `${name}-${role}` };
      const row = await trx
        .insertInto('users')
        .values({ ...user, password_hash: passwordHash, locale: 'zh-CN' })
        .returning('id')
        .executeTakeFirstOrThrow();
      users[role] = { id: row.id, ...user };
    }
  });
  await database.withTenant(tenantId, async (trx) => {
    await trx.insertInto('tenants').values({ id: tenantId, name, industry }).execute();
    await trx
      .insertInto('memberships')
      .values(ROLES.map((role) => ({ tenant_id: tenantId, user_id: users[role].id, role })))
      .execute();
  });
  return { tenantId, name, users };
}

/** A signed-in session cookie for a user, issued the same way sign-in does. */
export async function sessionCookie(
  server: TestServer,
  userId: string,
  tenantId: string | null,
): Promise<string> {
  const { token } = await server.database.withScope({}, (trx) => createSession(trx, userId, tenantId));
  return `${server.dependencies.sessionCookie.name}=${token}`;
}

export async function signedInClient(
  server: TestServer,
  userId: string,
  tenantId: string | null,
  options: ClientOptions = {},
) {
  return server.client({ ...options, cookie: await sessionCookie(server, userId, tenantId) });
}

/**
 * A test server and one seeded tenant for a file's tests: made before them; after them the
 * job queue is stopped and the database destroyed. `server` and `tenant` are read in tests.
 */
export function useServerWithTenant(name: string): {
  readonly server: TestServer;
  readonly tenant: SeededTenant;
} {
  let made: { server: TestServer; tenant: SeededTenant } | undefined;
  beforeAll(async () => {
    const server = await createTestServer();
    made = { server, tenant: await seedTenant(server.database, name) };
  });
  afterAll(async () => {
    await made?.server.dependencies.jobs.stop();
    await made?.server.destroy();
  });
  const current = () => {
    if (!made) throw new Error('The test server is made before the tests: read it inside one');
    return made;
  };
  return {
    get server() {
      return current().server;
    },
    get tenant() {
      return current().tenant;
    },
  };
}

/**
 * What `POST /api/imports/files` answers (imports.service.ts `receiveUpload`): the stored file's
 * id, each header's suggested target and the targets the file may map to, among the rest.
 */
export type UploadedImportFile = {
  fileId: string;
  suggestions: Record<string, Record<string, string>>;
  targets: Record<string, { key: string; label: string }[]>;
};

/** Uploads an import file as the client's member (`POST /api/imports/files`); the answer. */
export async function uploadImportFileAnswer(
  server: TestServer,
  client: TrpcClient,
  fileName: string,
  content: string,
  headers: Record<string, string> = {},
): Promise<UploadedImportFile> {
  const response = await server.app.request(
    'http://localhost:3000/api/imports/files',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent(fileName),
        cookie: client.cookie ?? '',
        origin: PUBLIC_URL,
        ...headers,
      },
      body: new TextEncoder().encode(content),
    },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  if (response.status !== 201)
    throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as UploadedImportFile;
}

/** Uploads an import file as the client's member (`POST /api/imports/files`); its file id. */
export async function uploadImportFile(
  server: TestServer,
  client: TrpcClient,
  fileName: string,
  content: string,
  headers: Record<string, string> = {},
): Promise<string> {
  return (await uploadImportFileAnswer(server, client, fileName, content, headers)).fileId;
}

/** Every procedure path, read from the router itself. */
export function allProcedurePaths(): string[] {
  return listProcedures().map((procedure) => procedure.path);
}
