/**
 * BM11 and BM11b — the open platform (docs/api.md).
 *
 * - **BM11 API**: `GET /api/v1/customers?limit=50` with an API key (the real door: bearer key
 *   parsed and checked against its hash, the creator's membership, the per-key and per-tenant
 *   rate limiters, the tenant transaction with RLS, customers.list, the call logged and the
 *   key's last use touched) vs the same SQL on a bare Hono route (BM1's (e), captured from the
 *   procedure), on BM1's `crm_bench` (100,000 customers). Ratio = req/s ÷ req/s (target ≥ 0.6).
 * - **BM11b outbox delivery**: N `customer.created` events in the outbox delivered by the drain
 *   (claim with leases, sign with Standard Webhooks, POST through the SSRF guard eight at a
 *   time, record every outcome) to a local receiver, vs a bare loop POSTing the same bodies to
 *   the same receiver eight at a time on kept-alive connections. Ratio = events/s ÷ posts/s
 *   (target ≥ 0.5).
 * - **BM11b outbox write**: `customers.create` through tRPC with an endpoint subscribed to
 *   `customer.created` (the event and its delivery written in the same transaction) vs with it
 *   switched off (nothing written); alternating rounds, ratio = ms per create ÷ ms per create
 *   (target ≤ 1.1).
 * - **BM11c batch upsert** (reported, no target): 10,000 new customers through
 *   `POST /api/v1/customers/batch` in batches of 100 with an API key (a batch's plainly new
 *   customers written together, `createNewTogether`: one identity-key check, one insert,
 *   completeness, candidates, tier touches and events for the lot), then the same 10,000
 *   updated by external id (each item through the update service), vs the import path (a CSV of the same 10,000 uploaded and
 *   committed set-based, `runImport`). Ratio = customers/s ÷ customers/s.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  drainTenantWebhooks,
  jobScope,
  recordWebhookEvents,
  runImport,
  setWebhookNetworkPolicy,
} from '@crm/api';
import { createSession } from '@crm/auth';
import { type CrmDatabase, openDatabase, provisionDatabase, sql } from '@crm/db';
import pino from 'pino';
import { createApp } from '../src/app';
import { createDependencies } from '../src/dependencies';
import { prepareBm1Database } from './bm1';
import { captureProcedure } from './capture';
import {
  assertSameWork,
  type BenchResult,
  benchDatabases,
  formatMeasured,
  log,
  measure,
  round,
  settings,
  throughputRatios,
} from './harness';

export async function runBm11(adminUrl: string): Promise<BenchResult[]> {
  const database = await prepareBm1Database(adminUrl);
  const input = { limit: 50 };
  const queries = await captureProcedure(database.appUrl, database.tenantId, database.userId, (caller) =>
    caller.customers.list(input),
  );
  const dbEnv = {
    BENCH_APP_URL: database.appUrl,
    BENCH_TENANT_ID: database.tenantId,
    BENCH_USER_ID: database.userId,
  };
  const measured = {
    api: await measure('app-key', '/api/v1/customers?limit=50', dbEnv),
    bare: await measure('bare-sql', '/q', { ...dbEnv, BENCH_QUERIES: JSON.stringify(queries) }),
  };
  assertSameWork('BM11', measured.api, measured.bare);
  log(
    `\nBM11 — ${settings.durationSeconds}s per target, ${settings.connections} connections, ${new Date().toISOString()}\n`,
  );
  log(formatMeasured('GET /api/v1/customers?limit=50, API key, 50 of 100k', measured.api));
  log(formatMeasured('same SQL, bare Hono + postgres.js', measured.bare));
  return throughputRatios('BM11 API customers page vs bare SQL route', measured.api, measured.bare).map(
    (result) =>
      result.metric.startsWith('requests/s')
        ? { ...result, target: '≥ 0.6', met: result.ratio >= 0.6 }
        : result,
  );
}

/** BM11b's own database (BENCH_BM11B_DATABASE names another, as BENCH_BM1_DATABASE does for BM1's). */
const OUTBOX_DATABASE = process.env.BENCH_BM11B_DATABASE ?? 'crm_bench_outbox';
const tenantId = '00000000-0000-4000-8000-000000001101';
const userId = '00000000-0000-4000-8000-000000001102';
const EVENTS = Number(process.env.BENCH_BM11B_EVENTS ?? 2000);
const CREATES = Number(process.env.BENCH_BM11B_CREATES ?? 100);
const CONCURRENCY = 8;

/** A local receiver answering 204 to every POST, counting them. */
async function startReceiver() {
  let received = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** POSTs every body to the receiver, eight at a time, on kept-alive connections. */
async function postAll(url: string, bodies: string[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        await new Promise<void>((resolve, reject) => {
          const request = http.request(
            url,
            {
              method: 'POST',
              agent,
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
            },
            (response) => {
              response.resume();
              response.on('end', resolve);
            },
          );
          request.on('error', reject);
          request.end(body);
        });
      }
    }),
  );
  agent.destroy();
  return bodies.length / ((performance.now() - started) / 1000);
}

export async function runBm11b(adminUrl: string): Promise<BenchResult[]> {
  const urls = await provisionDatabase(adminUrl, OUTBOX_DATABASE);
  benchDatabases.add(OUTBOX_DATABASE);
  const database = await openDatabase({ ...urls, maxConnections: 10 });
  await database.migrate();
  await database.withScope({ userId }, (trx) =>
    sql`insert into users (id, email, name, password_hash) values (${userId}, 'outbox-bench@example.com', '压测管理员', 'x')
      on conflict do nothing`.execute(trx),
  );
  await database.withTenant(tenantId, async (trx) => {
    await sql`insert into tenants (id, name, industry) values (${tenantId}, 'Webhook 压测企业', 'b2b') on conflict do nothing`.execute(
      trx,
    );
    await sql`insert into memberships (tenant_id, user_id, role) values (${tenantId}, ${userId}, 'owner') on conflict do nothing`.execute(
      trx,
    );
    // Each run starts from an empty outbox.
    await sql`delete from webhook_endpoints where tenant_id = ${tenantId}`.execute(trx);
  });
  const { trpc } = await signedInApp(database, userId, tenantId);
  const policy = { allowHttp: true, allowPrivate: true };
  setWebhookNetworkPolicy(policy);
  const receiver = await startReceiver();
  try {
    const { endpoint } = (await trpc('webhooks.create', {
      url: receiver.url,
      events: ['customer.created'],
    })) as { endpoint: { id: string } };
    const setEndpoint = (status: 'active' | 'disabled') =>
      database.withTenant(tenantId, (trx) =>
        trx.updateTable('webhook_endpoints').set({ status }).where('id', '=', endpoint.id).execute(),
      );

    // The write: alternating rounds with the endpoint on and off.
    const run = crypto.randomUUID().slice(0, 8);
    const createRound = async (label: string) => {
      const started = performance.now();
      for (let index = 0; index < CREATES; index += 1)
        await trpc('customers.create', { name: `压测客户 ${run} ${label} ${index}`, kind: 'company' });
      return (performance.now() - started) / CREATES;
    };
    await createRound('warm');
    const withOutbox: number[] = [];
    const without: number[] = [];
    for (let pass = 0; pass < 3; pass += 1) {
      await setEndpoint('disabled');
      without.push(await createRound(`off${pass}`));
      await setEndpoint('active');
      withOutbox.push(await createRound(`on${pass}`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] as number;
    const writeWith = median(withOutbox);
    const writeWithout = median(without);

    // The delivery: an empty outbox, N events written at once, then drained.
    await database.withTenant(tenantId, (trx) =>
      sql`delete from webhook_events where tenant_id = ${tenantId}`.execute(trx),
    );
    const payloads = Array.from({ length: EVENTS }, (_, index) => ({
      id: crypto.randomUUID(),
      name: `投递压测客户 ${index}`,
      kind: 'company',
      customerNumber: `C${String(index).padStart(6, '0')}`,
      phone: null,
      email: null,
      ownerUserId: userId,
      lifecycleStage: 'lead',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    }));
    await database.withTenant(tenantId, (trx) =>
      recordWebhookEvents(jobScope(trx, tenantId), 'customer.created', payloads),
    );
    const before = receiver.received();
    const drainStarted = performance.now();
    const deadline = Date.now() + 10 * 60_000;
    while (receiver.received() - before < EVENTS) {
      if (Date.now() > deadline)
        throw new Error('BM11b: the drain did not deliver every event in 10 minutes');
      await drainTenantWebhooks(database, tenantId, { policy, maxBatches: 1000 });
    }
    const drainRate = EVENTS / ((performance.now() - drainStarted) / 1000);
    const bodies = payloads.map((data) =>
      JSON.stringify({ type: 'customer.created', timestamp: new Date().toISOString(), data }),
    );
    await postAll(receiver.url, bodies.slice(0, 200));
    const bareRate = await postAll(receiver.url, bodies);

    log(`\nBM11b — ${EVENTS} events, ${CREATES} creates × 3 rounds each way, ${new Date().toISOString()}\n`);
    log(`  drain to a local receiver        ${round(drainRate, 1)} events/s\n`);
    log(`  bare loop POSTing the same       ${round(bareRate, 1)} posts/s\n`);
    log(
      `  customers.create with the outbox ${round(writeWith, 2)} ms (rounds ${withOutbox.map((v) => round(v, 2)).join(', ')})\n`,
    );
    log(
      `  customers.create without        ${round(writeWithout, 2)} ms (rounds ${without.map((v) => round(v, 2)).join(', ')})\n`,
    );
    const deliveryRatio = drainRate / bareRate;
    const writeRatio = writeWith / writeWithout;
    return [
      {
        id: 'BM11b outbox delivery vs bare POST loop',
        metric: 'events/s',
        project: round(drainRate, 1),
        limit: round(bareRate, 1),
        ratio: round(deliveryRatio, 3),
        target: '≥ 0.5',
        met: deliveryRatio >= 0.5,
      },
      {
        id: 'BM11b outbox write on customers.create',
        metric: 'ms per create (with ÷ without)',
        project: round(writeWith, 2),
        limit: round(writeWithout, 2),
        ratio: round(writeRatio, 3),
        target: '≤ 1.1',
        met: writeRatio <= 1.1,
      },
    ];
  } finally {
    await receiver.close();
    await database.close();
  }
}

const UPSERT_DATABASE = process.env.BENCH_BM11C_DATABASE ?? 'crm_bench_upsert';
const UPSERT_CUSTOMERS = Number(process.env.BENCH_BM11C_CUSTOMERS ?? 10_000);
const UPSERT_BATCH = 100;

export async function runBm11c(adminUrl: string): Promise<BenchResult[]> {
  const urls = await provisionDatabase(adminUrl, UPSERT_DATABASE);
  benchDatabases.add(UPSERT_DATABASE);
  const database = await openDatabase({ ...urls, maxConnections: 10 });
  await database.migrate();
  const tenant = crypto.randomUUID();
  const user = crypto.randomUUID();
  await database.withScope({ userId: user }, (trx) =>
    sql`insert into users (id, email, name, password_hash) values (${user}, ${`upsert-${user}@example.com`}, '压测管理员', 'x')`.execute(
      trx,
    ),
  );
  await database.withTenant(tenant, async (trx) => {
    await sql`insert into tenants (id, name, industry) values (${tenant}, '批量压测企业', 'b2b')`.execute(
      trx,
    );
    await sql`insert into memberships (tenant_id, user_id, role) values (${tenant}, ${user}, 'owner')`.execute(
      trx,
    );
  });
  const { app, cookie, dependencies, publicUrl, trpc } = await signedInApp(database, user, tenant);
  try {
    const { token: apiKey } = (await trpc('apiKeys.create', {
      name: '批量压测',
      scopes: ['customers:write'],
      rateLimitPerMinute: 100_000,
    })) as { token: string };
    const upsert = async (label: string) => {
      const started = performance.now();
      for (let start = 0; start < UPSERT_CUSTOMERS; start += UPSERT_BATCH) {
        const items = Array.from({ length: UPSERT_BATCH }, (_, offset) => ({
          externalId: `ERP-${start + offset}`,
          name: `批量客户 ${start + offset} 有限公司`,
          kind: 'company',
          industry: label,
        }));
        const response = await app.request(
          `${publicUrl}/api/v1/customers/batch`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ items }),
          },
          { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
        );
        const body = (await response.json()) as { failed?: number };
        if (response.status !== 200 || body.failed !== 0)
          throw new Error(
            `BM11c: batch at ${start} answered ${response.status} ${JSON.stringify(body).slice(0, 300)}`,
          );
      }
      return UPSERT_CUSTOMERS / ((performance.now() - started) / 1000);
    };
    const createRate = await upsert('制造');
    const updateRate = await upsert('贸易');

    const lines = ['客户名称,客户类型,行业'];
    for (let index = 0; index < UPSERT_CUSTOMERS; index += 1)
      lines.push(`导入客户 ${index} 有限公司,企业,制造`);
    const importStarted = performance.now();
    const uploaded = await app.request(
      `${publicUrl}/api/imports/files`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'x-file-name': encodeURIComponent('批量客户.csv'),
          cookie,
          origin: publicUrl,
        },
        body: new TextEncoder().encode(`${lines.join('\r\n')}\r\n`),
      },
      { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
    );
    const file = (await uploaded.json()) as {
      fileId: string;
      suggestions: { customers: Record<string, string | null> };
    };
    const mapping = Object.fromEntries(
      Object.entries(file.suggestions.customers).filter(
        (entry): entry is [string, string] => entry[1] !== null,
      ),
    );
    const started = (await trpc('imports.start', {
      fileId: file.fileId,
      entity: 'customers',
      mapping,
      dryRun: false,
      onMatch: 'update',
    })) as { runId: string };
    await runImport(dependencies, tenant, started.runId);
    const importRate = UPSERT_CUSTOMERS / ((performance.now() - importStarted) / 1000);
    const imported = await database.withTenant(tenant, (trx) =>
      sql<{ n: number }>`select count(*)::int as n from customers where name like '导入客户 %'`.execute(trx),
    );
    if (imported.rows[0]?.n !== UPSERT_CUSTOMERS)
      throw new Error(`BM11c: the import wrote ${imported.rows[0]?.n}`);

    log(
      `\nBM11c — ${UPSERT_CUSTOMERS} customers in batches of ${UPSERT_BATCH}, ${new Date().toISOString()}\n`,
    );
    log(`  POST /api/v1/customers/batch, new      ${round(createRate, 1)} customers/s\n`);
    log(`  POST /api/v1/customers/batch, updates  ${round(updateRate, 1)} customers/s\n`);
    log(`  import of the same as a CSV            ${round(importRate, 1)} customers/s\n`);
    return [
      {
        id: 'BM11c batch upsert (create) vs import',
        metric: 'customers/s',
        project: round(createRate, 1),
        limit: round(importRate, 1),
        ratio: round(createRate / importRate, 3),
      },
      {
        id: 'BM11c batch upsert (update by external id) vs import',
        metric: 'customers/s',
        project: round(updateRate, 1),
        limit: round(importRate, 1),
        ratio: round(updateRate / importRate, 3),
      },
    ];
  } finally {
    await database.close();
  }
}

/** The production app in this process and a tRPC caller signed in as the user in the tenant. */
async function signedInApp(database: CrmDatabase, userId: string, tenantId: string) {
  const publicUrl = 'http://127.0.0.1';
  const logger = pino({ level: 'info' }, pino.destination('/dev/null'));
  const dependencies = createDependencies(database, logger, publicUrl);
  const app = createApp({ dependencies, publicUrl });
  const { token } = await database.withScope({}, (trx) => createSession(trx, userId, tenantId));
  const cookie = `${dependencies.sessionCookie.name}=${token}`;
  const trpc = async (path: string, input: unknown) => {
    const response = await app.request(`${publicUrl}/trpc/${path}`, {
      method: 'POST',
      headers: { cookie, origin: publicUrl, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as { result?: { data: unknown }; error?: unknown };
    if (!body.result) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
    return body.result.data;
  };
  return { app, cookie, dependencies, publicUrl, trpc };
}
