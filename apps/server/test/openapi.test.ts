import { API_V1_ROUTES } from '@crm/api';
import { validate } from '@readme/openapi-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';

/**
 * The OpenAPI document of /api/v1: served without a key, valid OpenAPI 3.1, one operation per
 * route; TypeScript types generated from it with openapi-typescript name every operation; and
 * a client driven only by the document (operationId → method and path) and an API key
 * creates a customer and an order and reads them back.
 */
let server: TestServer;
let tenant: SeededTenant;
type Document = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
};
let document: Document;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, 'OpenAPI 企业');
  const response = await server.app.request('http://localhost:3000/api/v1/openapi.json');
  expect(response.status).toBe(200);
  document = (await response.json()) as Document;
});
afterAll(() => server.destroy());

/** A client that knows only the document: an operation's method and path come from it. */
function clientFrom(doc: Document, token: string) {
  const operations = new Map<string, { method: string; path: string }>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) operations.set(op.operationId, { method, path });
  return async (
    operationId: string,
    params: { id?: string; query?: Record<string, string>; body?: unknown },
  ) => {
    const op = operations.get(operationId);
    if (!op) throw new Error(`No operation ${operationId}`);
    const query = params.query ? `?${new URLSearchParams(params.query)}` : '';
    const response = await server.app.request(
      `http://localhost:3000${op.path.replace('{id}', params.id ?? '')}${query}`,
      {
        method: op.method.toUpperCase(),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: params.body === undefined ? undefined : JSON.stringify(params.body),
      },
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 with one operation per route', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify('errors' in result ? result.errors : []).slice(0, 2000)).toBe(true);
    const operationIds = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(operationIds.sort()).toEqual(API_V1_ROUTES.map((route) => route.id).sort());
  });

  it('generates TypeScript types naming every operation', async () => {
    const types = astToString(await openapiTS(structuredClone(document) as never));
    for (const route of API_V1_ROUTES) expect(types).toContain(`"${route.id}"`);
    expect(types).toContain('"/api/v1/customers/{id}"');
  });

  it('drives a client that creates and reads a customer and an order with only an API key', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const created = await admin.call('apiKeys.create', {
      name: '官网同步',
      scopes: ['customers:read', 'customers:write', 'orders:read', 'orders:write'],
    });
    const api = clientFrom(document, (created.data as { token: string }).token);
    const customer = await api('customers.create', {
      body: { name: '上海明远贸易有限公司', kind: 'company' },
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const read = await api('customers.get', { id: customer.body.id as string });
    expect(read.body.name).toBe('上海明远贸易有限公司');
    const order = await api('orders.create', {
      body: {
        customerId: customer.body.id,
        orderedAt: '2026-12-01',
        lines: [{ product: '工业传感器', quantity: 3, unitPrice: '1980.00' }],
      },
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const orders = await api('orders.list', {
      query: { customerId: customer.body.id as string, limit: '10' },
    });
    expect((orders.body.items as { id: string }[]).map((item) => item.id)).toContain(order.body.id);
    const customers = await api('customers.list', { query: { search: '明远', limit: '10' } });
    expect((customers.body.items as { id: string }[]).map((item) => item.id)).toContain(customer.body.id);
  });

  it('serves the interactive reference at /api/v1/docs from its own assets (no CDN)', async () => {
    const page = await server.app.request('http://localhost:3000/api/v1/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    // Every script and stylesheet the page loads is served here, under the app's CSP.
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) expect(source.startsWith('/'), source).toBe(true);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'start.js', 'page.css']) {
      const response = await server.app.request(`http://localhost:3000/api/v1/docs/${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    const start = await (await server.app.request('http://localhost:3000/api/v1/docs/start.js')).text();
    expect(start).toContain("url: '/api/v1/openapi.json'");
    expect(start).toContain('validatorUrl: null');
    const unknown = await server.app.request('http://localhost:3000/api/v1/docs/../../etc/passwd');
    expect(unknown.status).toBe(404);
    const other = await server.app.request('http://localhost:3000/api/v1/docs/package.json');
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });
});
