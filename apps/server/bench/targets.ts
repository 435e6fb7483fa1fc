/**
 * One benchmark target per process, so its CPU time is its own. Started by the harness with
 * the target name; prints `READY <port> [cookie]` and answers IPC `cpu-start` / `cpu-stop`.
 * Targets: node-http, hono, trpc (the layers), app (the production app, signed in as
 * BENCH_USER_ID in BENCH_TENANT_ID) and bare-sql (BENCH_QUERIES on a bare Hono route).
 */
import { createServer } from 'node:http';
import { createApiRateLimiter, createSession, hashPassword } from '@crm/auth';
import { openDatabase } from '@crm/db';
import { serve } from '@hono/node-server';
import { trpcServer } from '@hono/trpc-server';
import { initTRPC } from '@trpc/server';
import { Hono } from 'hono';
import pino from 'pino';
import postgres from 'postgres';
import { createApp } from '../src/app';
import { createDependencies } from '../src/dependencies';

const target = process.argv[2];
const databaseUrl = process.env.BENCH_APP_URL ?? '';
const tenantId = process.env.BENCH_TENANT_ID ?? '';
const userId = process.env.BENCH_USER_ID ?? '';
/** bare-sql: the statements a procedure sends (captured from it by capture.ts), run in order. */
const queries: { sql: string; parameters: unknown[] }[] = JSON.parse(process.env.BENCH_QUERIES ?? '[]');

function ready(port: number, extra = '') {
  process.stdout.write(`READY ${port} ${extra}\n`);
}

let cpuStart = process.cpuUsage();
process.on('message', (message) => {
  if (message === 'cpu-start') cpuStart = process.cpuUsage();
  if (message === 'cpu-stop') {
    const used = process.cpuUsage(cpuStart);
    process.send?.({ cpuMicros: used.user + used.system });
  }
});

const body = JSON.stringify({ ok: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));

switch (target) {
  case 'node-http': {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      ready(typeof address === 'object' && address ? address.port : 0);
    });
    break;
  }
  case 'hono': {
    const app = new Hono();
    app.get('/ok', (c) => c.json({ ok: true }));
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
    break;
  }
  case 'trpc': {
    const t = initTRPC.create();
    const router = t.router({ ping: t.procedure.query(() => ({ ok: true })) });
    const app = new Hono();
    app.use('/trpc/*', trpcServer({ router, endpoint: '/trpc' }));
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
    break;
  }
  case 'bare-sql': {
    // The same statements as the procedure, one after the other on pooled connections that
    // postgres.js pipelines across requests, prepared as the app's are: no session, no
    // transaction, no membership, no validation. The runtime role with the tenant and user set once per connection (at
    // connect), so RLS applies as in the app and the statements return the same rows.
    const sql = postgres(databaseUrl, {
      max: 10,
      onnotice: () => {},
      // As the app's driver: calendar dates stay strings.
      types: {
        date: {
          to: 1082,
          from: [1082],
          serialize: (value: string) => value,
          parse: (value: string) => value,
        },
      },
      connection: {
        'app.tenant_id': tenantId,
        'app.user_id': userId,
        // As the app's connections (packages/db/src/connection.ts).
        plan_cache_mode: 'force_custom_plan',
      } as Record<string, string>,
    });
    const app = new Hono();
    app.get('/q', async (c) => {
      const results: unknown[] = [];
      for (const query of queries)
        results.push(await sql.unsafe(query.sql, query.parameters as never[], { prepare: true }));
      return c.json(results.length === 1 ? { items: results[0] } : { results });
    });
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
    break;
  }
  case 'app': {
    // The production app with a signed-in member of the tenant.
    const database = await openDatabase({
      databaseUrl,
      maxConnections: Number(process.env.BENCH_POOL ?? 10),
    });
    const logger = pino({ level: 'info' }, pino.destination('/dev/null'));
    const publicUrl = 'http://127.0.0.1';
    const dependencies = createDependencies(database, logger, publicUrl);
    await hashPassword('warm up argon2');
    const { token } = await database.withScope({}, (trx) => createSession(trx, userId, tenantId));
    const app = createApp({ dependencies, publicUrl });
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      ready(info.port, `${dependencies.sessionCookie.name}=${token}`),
    );
    break;
  }
  case 'app-key': {
    // The production app, called with an API key of a member of the tenant (BM11): the key is
    // made through apiKeys.create; the per-tenant window is opened wide so it never refuses.
    const database = await openDatabase({
      databaseUrl,
      maxConnections: Number(process.env.BENCH_POOL ?? 10),
    });
    const logger = pino({ level: 'info' }, pino.destination('/dev/null'));
    const publicUrl = 'http://127.0.0.1';
    const dependencies = createDependencies(database, logger, publicUrl);
    const { token } = await database.withScope({}, (trx) => createSession(trx, userId, tenantId));
    const app = createApp({
      dependencies,
      publicUrl,
      apiRateLimiter: createApiRateLimiter({ tenantPerMinute: 100_000_000 }),
    });
    const created = await app.request(`${publicUrl}/trpc/apiKeys.create`, {
      method: 'POST',
      headers: {
        cookie: `${dependencies.sessionCookie.name}=${token}`,
        origin: publicUrl,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'BM11', scopes: ['customers:read'], rateLimitPerMinute: 100_000 }),
    });
    const key = ((await created.json()) as { result: { data: { token: string } } }).result.data.token;
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port, `Bearer ${key}`));
    break;
  }
  default:
    throw new Error(`Unknown target ${target}`);
}
