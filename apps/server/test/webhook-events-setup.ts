import { defaultNetworkPolicy, setWebhookNetworkPolicy } from '@crm/api';
import type { Database, Transaction } from '@crm/db';
import { WEBHOOK_EVENT_TYPES } from '@crm/domain';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';

export type OutboxEvent = { type: string; payload: Record<string, unknown> };

const ROLLBACK = new Error('the change rolls back');

/**
 * The setup the webhook event suites share: one test server, and before each test a fresh b2b
 * tenant whose owner subscribes an endpoint to every event type (its name resolves to a public
 * address without DNS; nothing is delivered), with readers of what the outbox then holds.
 * Called at the top of a test file; `server` and `tenant` are read in tests (set by the hooks).
 */
export function subscribedTenantSuite() {
  let server: TestServer | undefined;
  let tenant: SeededTenant | undefined;

  beforeAll(async () => {
    setWebhookNetworkPolicy({
      allowHttp: false,
      allowPrivate: false,
      resolve: async () => ['93.184.216.34'],
    });
    server = await createTestServer();
  });
  beforeEach(async () => {
    const running = server as TestServer;
    tenant = await seedTenant(running.database, `事件企业 ${crypto.randomUUID().slice(0, 4)}`, 'b2b');
    const owner = await signedInClient(running, tenant.users.owner.id, tenant.tenantId);
    const subscribed = await owner.call('webhooks.create', {
      url: 'https://hooks.partner.example/crm',
      events: WEBHOOK_EVENT_TYPES.filter((type) => type !== 'ping'),
    });
    expect(subscribed.error).toBeNull();
  }, 60_000);
  afterAll(async () => {
    setWebhookNetworkPolicy(defaultNetworkPolicy());
    await server?.destroy();
  });

  const suite = {
    get server(): TestServer {
      if (!server) throw new Error('The test server starts in beforeAll');
      return server;
    },
    get tenant(): SeededTenant {
      if (!tenant) throw new Error('The tenant is seeded in beforeEach');
      return tenant;
    },

    /** The events in the outbox (of one type, or all), oldest first. */
    async events(type?: string): Promise<OutboxEvent[]> {
      const rows = await suite.server.database.withTenant(suite.tenant.tenantId, (trx) => {
        let query = trx.selectFrom('webhook_events').select(['type', 'payload']).orderBy('created_at');
        if (type) query = query.where('type', '=', type);
        return query.execute();
      });
      return rows.map((row) => ({
        type: row.type,
        payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<
          string,
          unknown
        >,
      }));
    },

    /** How many deliveries of events of this type wait in the outbox. */
    async deliveries(type: string): Promise<number> {
      const rows = await suite.server.database.withTenant(suite.tenant.tenantId, (trx) =>
        trx
          .selectFrom('webhook_deliveries as d')
          .innerJoin('webhook_events as e', (join) =>
            join.onRef('e.tenant_id', '=', 'd.tenant_id').onRef('e.id', '=', 'd.event_id'),
          )
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('e.type', '=', type)
          .execute(),
      );
      return Number(rows[0]?.n ?? 0);
    },

    /** Runs a change in a transaction that then fails: whatever it wrote is undone. */
    async rolledBack(work: (trx: Transaction<Database>) => Promise<unknown>): Promise<void> {
      await expect(
        suite.server.database.withTenant(suite.tenant.tenantId, async (trx) => {
          await work(trx);
          throw ROLLBACK;
        }),
      ).rejects.toBe(ROLLBACK);
    },

    /** A signed-in member of the tenant in this role. */
    as(role: keyof SeededTenant['users']) {
      return signedInClient(suite.server, suite.tenant.users[role].id, suite.tenant.tenantId);
    },
  };
  return suite;
}
