/**
 * One benchmark target per process, so its CPU time is its own. Started by run.ts with
 * the target name; prints `READY <port>` and answers IPC `cpu-start` / `cpu-stop`.
 */
import { createServer } from 'node:http';
import { createSession, hashPassword } from '@crm/auth';
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
// The page customers.list reads for an owner (record scope 'all'), as one plain query.
const PAGE_SQL = `select c.id, c.name, c.kind, c.phone, c.email, c.owner_user_id, o.name as owner_name,
  c.archived_at, c.created_at, c.updated_at, c.lifecycle_stage, c.amount_12m, c.order_count, c.last_deal_at,
  c.created_at::text as sort_key
  from customers c left join users o on o.id = c.owner_user_id
  where c.tenant_id = $1 and c.archived_at is null
  order by c.created_at desc, c.id desc limit 51`;

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
    const sql = postgres(databaseUrl, { max: 10 });
    const app = new Hono();
    app.get('/customers', async (c) => {
      const rows = await sql.unsafe(PAGE_SQL, [tenantId]);
      return c.json({ items: rows.slice(0, 50), nextCursor: rows.length > 50 ? 'next' : null });
    });
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
    break;
  }
  case 'customers-list': {
    const database = await openDatabase({ databaseUrl, maxConnections: 10 });
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
  default:
    throw new Error(`Unknown target ${target}`);
}
