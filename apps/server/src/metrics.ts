import { timingSafeEqual } from 'node:crypto';
import { type ApiDependencies, listProcedures } from '@crm/api';
import { sql } from '@crm/db';
import type { Context, Hono } from 'hono';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics (`GET /metrics`, docs/scaling.md): request latency per tRPC procedure or
 * REST route, errors by code, database connections, the job queue's depth and oldest waiting
 * job per kind (imports, exports, scans … are jobs) — and the Node.js process's own
 * (prom-client's defaults). Nothing of any tenant: labels are procedure names, routes, codes and job kinds.
 * Served only when `METRICS_TOKEN` is set, to a request that presents it as a bearer token.
 */
export type Metrics = {
  registry: Registry;
  /** Records one finished request (every procedure of a tRPC batch gets the batch's duration). */
  observeRequest(c: Context, seconds: number): void;
  /** Records one finished request of a known route (the public doors, which answer before the app's middleware). */
  observeRoute(route: string, method: string, status: number, seconds: number): void;
  /** Counts one failed procedure by its error code (the product's, e.g. CUSTOMER_NOT_FOUND). */
  countError(procedure: string | undefined, code: string): void;
};

const KNOWN_PROCEDURES = new Set(listProcedures().map((procedure) => procedure.path));

/** The route label: the procedure for tRPC (unknown names collapse to one), else Hono's route pattern. */
function routesOf(c: Context): string[] {
  const path = c.req.path;
  if (path.startsWith('/trpc/')) {
    return path
      .slice('/trpc/'.length)
      .split(',')
      .map((name) => (KNOWN_PROCEDURES.has(name) ? name : 'unknown'));
  }
  if (path.startsWith('/assets/')) return ['static'];
  const pattern = c.req.routePath;
  return [pattern && pattern !== '/*' && pattern !== '*' ? pattern : 'other'];
}

export function createMetrics(dependencies: ApiDependencies): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'crm_http_request_duration_seconds',
    help: 'Time to answer a request, by tRPC procedure or REST route, method and status class',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'crm_errors_total',
    help: 'Failed procedures by their error code',
    labelNames: ['procedure', 'code'],
    registers: [registry],
  });
  const { database, logger } = dependencies;
  new Gauge({
    name: 'crm_database_connections',
    help: 'Connections of the runtime role to the database, by state (every process of the deployment)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      this.reset();
      if (database.kind !== 'postgres') return;
      try {
        const { rows } = await database.withoutTenant((db) =>
          sql<{ state: string; n: number }>`
            select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
            where datname = current_database() and usename = current_user group by 1`.execute(db),
        );
        for (const row of rows) this.set({ state: row.state }, row.n);
      } catch (error) {
        logger.warn({ err: error }, 'metrics: connections not read');
      }
    },
  });
  const queueRows = async () =>
    database.withoutTenant((db) =>
      sql<{ name: string; state: string; n: number; oldest: number | null }>`
        select name, state::text as state, count(*)::int as n,
          extract(epoch from now() - min(created_on))::float8 as oldest
        from pgboss.job where state in ('created', 'retry', 'active') group by name, state`.execute(db),
    );
  new Gauge({
    name: 'crm_jobs',
    help: 'Jobs waiting (created, retry) or running (active), by kind and state',
    labelNames: ['job', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const row of (await queueRows()).rows) this.set({ job: row.name, state: row.state }, row.n);
      } catch (error) {
        logger.warn({ err: error }, 'metrics: job queue not read');
      }
    },
  });
  new Gauge({
    name: 'crm_jobs_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting to run, by kind',
    labelNames: ['job'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const row of (await queueRows()).rows) {
          if (row.state !== 'active' && row.oldest !== null) this.set({ job: row.name }, Number(row.oldest));
        }
      } catch (error) {
        logger.warn({ err: error }, 'metrics: job queue not read');
      }
    },
  });
  return {
    registry,
    observeRequest(c, seconds) {
      const status = `${Math.floor(c.res.status / 100)}xx`;
      for (const route of routesOf(c)) duration.observe({ route, method: c.req.method, status }, seconds);
    },
    observeRoute(route, method, status, seconds) {
      duration.observe({ route, method, status: `${Math.floor(status / 100)}xx` }, seconds);
    },
    countError(procedure, code) {
      const name = procedure && KNOWN_PROCEDURES.has(procedure) ? procedure : 'unknown';
      errors.inc({ procedure: name, code });
    },
  };
}

/** `GET /metrics` with `Authorization: Bearer <METRICS_TOKEN>`; 404 when no token is configured. */
export function mountMetrics(
  app: Hono<never>,
  metrics: Metrics | undefined,
  token: string | undefined,
): void {
  app.get('/metrics', async (c) => {
    if (!metrics || !token) return c.text('Not found', 404);
    const presented = Buffer.from(c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '');
    const expected = Buffer.from(token);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return c.text('Unauthorized', 401, { 'WWW-Authenticate': 'Bearer' });
    }
    return c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
}
