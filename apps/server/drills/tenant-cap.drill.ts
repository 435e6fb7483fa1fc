import type { AddressInfo } from 'node:net';
import { createSession, DEFAULT_TENANT_MAX_IN_FLIGHT, TenantGate } from '@crm/auth';
import { type CrmDatabase, openDatabase } from '@crm/db';
import { ROLES } from '@crm/domain';
import { serve } from '@hono/node-server';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createDependencies } from '../src/dependencies';
import { type SeededTenant, seedTenant } from '../test/helpers';
import { type DrillDatabase, openDrillDatabase } from './cluster';

/**
 * A busy tenant alone (docs/scaling.md, "Choosing TENANT_CONCURRENT_REQUESTS"): USERS members
 * of one tenant open the customer list at the same moment, ROUNDS times, with the tenant's
 * requests at once capped at each of CAPS (and uncapped), the caps taking turns round by
 * round so that a machine whose load drifts weighs on each alike. The server is `main.ts`'s
 * (a pool of 10, a real port). A page load is what the web app sends when the list opens:
 * one batch of 8 calls (who is signed in, the tenant and its list of tenants, completeness,
 * tags, custom fields, the industry profile, saved views) and, on their own, the first page of
 * 50 customers and the count (`apps/web/src/lib/trpc.ts` keeps those out of batches).
 * Printed per cap: the page's data (all three answered) and its rows (the first page) as
 * p95 and median in ms, and pages refused (429 TENANT_BUSY). No verdict: it is the figure
 * the default is chosen with; the fairness drill (t5-9) holds the chosen default to its bound.
 * `DRILL_DATABASE_URL` runs it on a shared server (`openDrillDatabase`).
 */
const USERS = Number(process.env.DRILL_USERS ?? 5);
const ROUNDS = Number(process.env.DRILL_ROUNDS ?? 20);
const CUSTOMERS = Number(process.env.DRILL_CUSTOMERS ?? 5000);
/** 0 = no cap. */
const CAPS = (process.env.DRILL_CAPS ?? '0,1,2,4').split(',').map(Number);
const PUBLIC_URL = 'http://127.0.0.1';
const silent = { info() {}, warn() {}, error() {} };

const BATCH = [
  'auth.me',
  'tenants.current',
  'tenants.list',
  'customers.completenessSummary',
  'tags.list',
  'customFields.list',
  'industry.current',
  'views.list',
];
const PAGE_REQUESTS = [
  `/trpc/${BATCH.join(',')}?batch=1&input=${encodeURIComponent('{}')}`,
  `/trpc/customers.list?input=${encodeURIComponent(
    JSON.stringify({ archived: false, sort: 'createdAt', direction: 'desc', cursor: null, limit: 50 }),
  )}`,
  `/trpc/customers.count?input=${encodeURIComponent(JSON.stringify({ archived: false }))}`,
];

let drillDatabase: DrillDatabase;
let database: CrmDatabase;
let dependencies: ReturnType<typeof createDependencies>;
let listening: ReturnType<typeof serve>;
let baseUrl: string;
let tenant: SeededTenant;
let cookies: string[];

type PageLoad = { pageMs: number; rowsMs: number } | { refused: number };

/** One member opens the list: the three requests at once; when each answered. */
async function loadPage(cookie: string): Promise<PageLoad> {
  const started = performance.now();
  const answers = await Promise.all(
    PAGE_REQUESTS.map(async (path) => {
      const response = await fetch(`${baseUrl}${path}`, { headers: { cookie, origin: PUBLIC_URL } });
      const text = await response.text();
      return { status: response.status, text, ms: performance.now() - started };
    }),
  );
  const refused = answers.filter((answer) => answer.status === 429 && answer.text.includes('TENANT_BUSY'));
  if (refused.length > 0) return { refused: refused.length };
  const failed = answers.find((answer) => answer.status !== 200);
  if (failed) throw new Error(`a page request answered ${failed.status}: ${failed.text.slice(0, 300)}`);
  return { pageMs: Math.max(...answers.map((answer) => answer.ms)), rowsMs: answers[1]?.ms ?? Number.NaN };
}

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * q) - 1)] ?? Number.NaN;
}

beforeAll(async () => {
  drillDatabase = await openDrillDatabase('crm_tenant_cap');
  database = await openDatabase({ ...drillDatabase.urls, maxConnections: 10 });
  await database.migrate();
  dependencies = createDependencies(database, silent, PUBLIC_URL);
  tenant = await seedTenant(database, '繁忙企业');
  const admin = postgres(drillDatabase.superUrl, { max: 1, onnotice: () => {} });
  await admin`
    insert into customers (tenant_id, name, kind, owner_user_id, created_by)
    select ${tenant.tenantId}, '繁忙演练客户' || lpad(n::text, 6, '0'), 'company',
      ${tenant.users.owner.id}, ${tenant.users.owner.id}
    from generate_series(1, ${CUSTOMERS}) n`;
  await admin.unsafe('vacuum analyze');
  await admin.end();
  // Members who see every customer, so each page costs the same (a rep's would be empty).
  const seeingAll = ROLES.filter((role) => role === 'owner' || role === 'admin');
  cookies = [];
  for (let user = 0; user < USERS; user += 1) {
    const role = seeingAll[user % seeingAll.length] ?? 'owner';
    const { token } = await database.withScope({}, (trx) =>
      createSession(trx, tenant.users[role].id, tenant.tenantId),
    );
    cookies.push(`${dependencies.sessionCookie.name}=${token}`);
  }
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

describe('a busy tenant alone under its cap of requests at once', () => {
  it(`${USERS} members open the customer list at once, caps ${CAPS.join(', ')}`, {
    timeout: 60 * 60_000,
  }, async () => {
    const gates = new Map(
      CAPS.map((cap) => [cap, new TenantGate({ maxInFlight: cap > 0 ? cap : Number.POSITIVE_INFINITY })]),
    );
    const pages = new Map(CAPS.map((cap) => [cap, [] as number[]]));
    const rows = new Map(CAPS.map((cap) => [cap, [] as number[]]));
    const refused = new Map(CAPS.map((cap) => [cap, 0]));
    // Every session's first request passes any gate and teaches it the tenant; then one
    // page alone per cap warms the server's plans and caches.
    for (const gate of gates.values()) {
      dependencies.tenantGate = gate;
      await Promise.all(cookies.map((cookie) => loadPage(cookie)));
      await loadPage(cookies[0] as string);
    }
    const alone: number[] = [];
    dependencies.tenantGate = gates.get(CAPS[0] as number) as TenantGate;
    for (let round = 0; round < ROUNDS; round += 1) {
      const single = await loadPage(cookies[0] as string);
      if ('pageMs' in single) alone.push(single.pageMs);
    }
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const cap of CAPS) {
        dependencies.tenantGate = gates.get(cap) as TenantGate;
        const loads = await Promise.all(cookies.map((cookie) => loadPage(cookie)));
        for (const load of loads) {
          if ('refused' in load) refused.set(cap, (refused.get(cap) ?? 0) + 1);
          else {
            pages.get(cap)?.push(load.pageMs);
            rows.get(cap)?.push(load.rowsMs);
          }
        }
      }
    }
    const lines = CAPS.map((cap) => {
      const page = pages.get(cap) ?? [];
      const first = rows.get(cap) ?? [];
      return (
        `cap ${cap > 0 ? cap : 'off'}: page_p95_ms=${quantile(page, 0.95).toFixed(1)} ` +
        `page_median_ms=${quantile(page, 0.5).toFixed(1)} rows_p95_ms=${quantile(first, 0.95).toFixed(1)} ` +
        `rows_median_ms=${quantile(first, 0.5).toFixed(1)} pages=${page.length} refused=${refused.get(cap)}`
      );
    });
    console.log(
      `tenant cap: users=${USERS} rounds=${ROUNDS} customers=${CUSTOMERS} default_cap=${DEFAULT_TENANT_MAX_IN_FLIGHT} ` +
        `one_user_alone page_p95_ms=${quantile(alone, 0.95).toFixed(1)} median_ms=${quantile(alone, 0.5).toFixed(1)} ` +
        `seconds=${((Date.now() - started) / 1000).toFixed(0)}\n  ${lines.join('\n  ')}`,
    );
    for (const cap of CAPS) expect(pages.get(cap)?.length ?? 0).toBeGreaterThan(0);
  });
});
