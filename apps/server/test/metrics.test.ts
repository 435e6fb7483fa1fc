import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createMetrics } from '../src/metrics';
import { createTestServer, seedTenant, TEST_PASSWORD, type TestServer, TrpcClient } from './helpers';

/** Prometheus metrics at /metrics (docs/scaling.md): behind a bearer token, no tenant data. */
let server: TestServer;
const token = 'metrics-token-for-tests-0123456789';

beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server.destroy());

function appWithMetrics() {
  const metrics = createMetrics(server.dependencies);
  return createApp({
    dependencies: server.dependencies,
    publicUrl: server.publicUrl,
    metrics,
    metricsToken: token,
  });
}

async function scrape(app: ReturnType<typeof createApp>) {
  const response = await app.request('http://localhost:3000/metrics', {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

describe('/metrics', () => {
  it('answers only with the token, and not at all when none is configured', async () => {
    const app = appWithMetrics();
    expect((await app.request('http://localhost:3000/metrics')).status).toBe(401);
    const wrong = await app.request('http://localhost:3000/metrics', {
      headers: { authorization: 'Bearer metrics-token-for-tests-0123456780' },
    });
    expect(wrong.status).toBe(401);
    expect((await server.app.request('http://localhost:3000/metrics')).status).toBe(404);
  });

  it('has latency per procedure, errors by code, the job queue and the process, and nothing of a tenant', async () => {
    const app = appWithMetrics();
    const tenant = await seedTenant(server.database, '指标企业');
    const client = new TrpcClient(app, { ip: '10.5.0.1' });
    const signedIn = await client.call('auth.signIn', {
      email: tenant.users.owner.email,
      password: TEST_PASSWORD,
    });
    expect(signedIn.ok).toBe(true);
    await client.call('customers.get', { id: crypto.randomUUID() });
    await client.call('customers.get', { id: crypto.randomUUID() });
    await server.dependencies.jobs.enqueue('imports.prune-all', { day: 'metrics-check' });

    const text = await scrape(app);
    expect(text).toMatch(
      /crm_http_request_duration_seconds_count\{route="auth.signIn",method="POST",status="\dxx"\} 1/,
    );
    expect(text).toMatch(
      /crm_http_request_duration_seconds_bucket\{le="0.25",route="customers.get",method="GET",status="\dxx"\}/,
    );
    expect(text).toMatch(/crm_errors_total\{procedure="customers.get",code="CUSTOMER_NOT_FOUND"\} 2/);
    expect(text).toMatch(/crm_jobs\{job="imports.prune-all",state="created"\} [1-9]/);
    expect(text).toMatch(/crm_jobs_oldest_waiting_seconds\{job="imports.prune-all"\}/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds/);
    // Labels name procedures, codes and job kinds — never a tenant, a user or an input.
    expect(text).not.toContain(tenant.tenantId);
    expect(text).not.toContain(tenant.users.owner.email);
    expect(text).not.toContain('指标企业');
  });

  it('does not let unknown procedure names grow its labels', async () => {
    const app = appWithMetrics();
    const response = await app.request('http://localhost:3000/trpc/no.such.procedure%2Cother.junk');
    expect(response.status).toBeGreaterThanOrEqual(400);
    const text = await scrape(app);
    expect(text).not.toContain('no.such.procedure');
    expect(text).toMatch(/route="unknown"/);
  });
});
