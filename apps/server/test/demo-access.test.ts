import { refreshCustomerFacts } from '@crm/api';
import { createSession } from '@crm/auth';
import { DEMO_PASSWORD, seedDemoData } from '@crm/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer, testPasswordHash } from './helpers';

let server: TestServer;
let retailId: string;

beforeAll(async () => {
  server = await createTestServer();
  const result = await seedDemoData(server.database, await testPasswordHash(), 60);
  for (const tenant of result.tenants) {
    await server.database.withTenant(tenant.id, (trx) =>
      refreshCustomerFacts(trx, tenant.id, 'all', 'daily'),
    );
  }
  retailId = result.tenants.find((tenant) => tenant.industry === 'retail')?.id ?? '';
  expect(DEMO_PASSWORD.length).toBeGreaterThan(7);
});
afterAll(() => server.destroy());

async function visibleOwners(email: string) {
  const user = await server.database.withoutTenant((db) =>
    db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow(),
  );
  const { token } = await server.database.withScope({}, (trx) => createSession(trx, user.id, retailId));
  const client = server.client({ cookie: `${server.dependencies.sessionCookie.name}=${token}` });
  const owners: (string | null)[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.call('customers.list', { limit: 100, cursor });
    owners.push(...page.data.items.map((item: { ownerUserId: string | null }) => item.ownerUserId));
    cursor = page.data.nextCursor;
  } while (cursor);
  return { userId: user.id, owners };
}

describe('demo tenant: who sees which customers', () => {
  it('a sales rep sees their own, the manager the whole sales team’s, the admin all', async () => {
    const admin = await visibleOwners('admin.retail@demo.example.com');
    const manager = await visibleOwners('manager.retail@demo.example.com');
    const rep1 = await visibleOwners('rep1.retail@demo.example.com');
    const rep2 = await visibleOwners('rep2.retail@demo.example.com');
    const team = new Set([manager.userId, rep1.userId, rep2.userId]);
    expect(rep1.owners.length).toBeGreaterThan(0);
    expect(rep1.owners.every((owner) => owner === rep1.userId)).toBe(true);
    expect(rep2.owners.every((owner) => owner === rep2.userId)).toBe(true);
    expect(manager.owners.every((owner) => owner !== null && team.has(owner))).toBe(true);
    expect(manager.owners.length).toBe(
      admin.owners.filter((owner) => owner !== null && team.has(owner)).length,
    );
    // The admin also sees customers nobody owns.
    expect(admin.owners.length).toBeGreaterThan(manager.owners.length);
    expect(admin.owners.some((owner) => owner === null)).toBe(true);
  });
});
