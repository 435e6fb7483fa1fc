import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, seedTenant, signedInClient, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server.destroy());

describe('smoke', () => {
  it('creates and lists a customer', async () => {
    const tenant = await seedTenant(server.database, 'A');
    const client = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    const created = await client.call('customers.create', {
      name: '张三',
      kind: 'person',
      phone: '138 1234 5678',
    });
    expect(created.error).toBeNull();
    expect(created.data.phone).toBe('+8613812345678');
    const list = await client.call('customers.list', {});
    expect(list.data.items.map((item: { name: string }) => item.name)).toEqual(['张三']);
  });
});
