import {
  DISABLE_AFTER_FAILURES,
  drainTenantWebhooks,
  isForbiddenAddress,
  jobScope,
  type NetworkPolicy,
  postWebhook,
  recordWebhookEvents,
  setWebhookNetworkPolicy,
} from '@crm/api';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';

/**
 * Webhooks (SECURITY.md T5.4, T5.5): events written in the transaction of their change and
 * delivered by the drain job, signed per Standard Webhooks and verified here with the
 * reference library (`standardwebhooks`); retries, the delivery log, redelivery, automatic
 * disable after repeated failures or a 410 with the admins told; secret rotation; the SSRF
 * guard; and a crash test — events through receivers answering 500, timing out and
 * recovering, with the worker killed several times mid-delivery: none lost, each delivered
 * at least once, duplicates with the same webhook-id. The receivers are msw handlers at the
 * HTTP boundary.
 */
const RECEIVER = 'https://hooks.partner.example/crm';
const PUBLIC_ADDRESS = '93.184.216.34';
const NAMES: Record<string, string[]> = {
  'hooks.partner.example': [PUBLIC_ADDRESS],
  'flaky.partner.example': [PUBLIC_ADDRESS],
  'gone.partner.example': [PUBLIC_ADDRESS],
  'rebind.partner.example': ['127.0.0.1'],
  'metadata.partner.example': ['169.254.169.254'],
  'redirector.partner.example': [PUBLIC_ADDRESS],
};
const policy: NetworkPolicy = {
  allowHttp: false,
  allowPrivate: false,
  resolve: async (host) => {
    const found = NAMES[host];
    if (!found) throw new Error('ENOTFOUND');
    return found;
  },
};

type Received = { id: string; headers: Record<string, string>; body: string };
let received: Received[] = [];
let answer: (request: Received) => Promise<Response> | Response = () =>
  new HttpResponse('ok', { status: 200 });

const receiver = setupServer(
  http.post('https://:host/*', async ({ request }) => {
    const body = await request.text();
    const headers = Object.fromEntries(request.headers.entries());
    const entry = { id: headers['webhook-id'] ?? '', headers, body };
    received.push(entry);
    return answer(entry);
  }),
);

let server: TestServer;
let tenant: SeededTenant;

async function owner() {
  return signedInClient(server, tenant.users.owner.id, tenant.tenantId);
}

async function endpoint(url = RECEIVER, events = ['customer.created', 'customer.updated', 'order.created']) {
  const created = await (await owner()).call('webhooks.create', { url, events });
  expect(created.error).toBeNull();
  return created.data as { endpoint: { id: string }; secret: string };
}

async function createCustomer(name: string) {
  const result = await (await owner()).call('customers.create', { name, kind: 'company' });
  expect(result.error).toBeNull();
  return (result.data as { id: string }).id;
}

/** Every pending delivery due now (the retry schedule is hours long). */
async function makeDue() {
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: new Date(Date.now() - 1000), locked_until: null })
      .where('status', '=', 'pending')
      .execute(),
  );
}

async function drain(options: Parameters<typeof drainTenantWebhooks>[2] = {}) {
  return drainTenantWebhooks(server.database, tenant.tenantId, { policy, timeoutMs: 2000, ...options });
}

beforeAll(async () => {
  receiver.listen({ onUnhandledRequest: 'error' });
  setWebhookNetworkPolicy(policy);
  server = await createTestServer();
});
beforeEach(async () => {
  tenant = await seedTenant(server.database, `Webhook 企业 ${crypto.randomUUID().slice(0, 4)}`);
  received = [];
  answer = () => new HttpResponse('ok', { status: 200 });
});
afterAll(async () => {
  receiver.close();
  await server.destroy();
});

describe('webhooks', () => {
  it('delivers customer.created signed with Standard Webhooks, verifiable with the reference library', async () => {
    const { secret } = await endpoint();
    const customerId = await createCustomer('杭州云帆科技有限公司');
    expect(await drain()).toMatchObject({ delivered: 1, failed: 0 });
    expect(received).toHaveLength(1);
    const [message] = received as [Received];
    const payload = new Webhook(secret).verify(message.body, message.headers) as {
      type: string;
      data: { id: string; name: string };
    };
    expect(payload.type).toBe('customer.created');
    expect(payload.data).toMatchObject({ id: customerId, name: '杭州云帆科技有限公司' });
    expect(message.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    // A forged body fails verification.
    expect(() => new Webhook(secret).verify(message.body.replace('云帆', '伪造'), message.headers)).toThrow();
  });

  it('writes no event for a change that rolled back, and none nobody subscribed to', async () => {
    await endpoint(RECEIVER, ['order.created']);
    await createCustomer('没有订阅的客户');
    const client = await owner();
    // An exact duplicate is refused: its transaction, and its event, roll back.
    await endpoint(RECEIVER, ['customer.created']);
    await createCustomer('重复的客户有限公司');
    const refused = await client.call('customers.create', { name: '重复的客户有限公司', kind: 'company' });
    expect(refused.error).not.toBeNull();
    const events = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('webhook_events').select(['type', 'payload']).execute(),
    );
    expect(events.map((event) => (event.payload as { name: string }).name)).toEqual(['重复的客户有限公司']);
  });

  it('retries a 500 with backoff, logs each attempt, and redelivers with the same webhook-id', async () => {
    const { endpoint: hook } = await endpoint();
    await createCustomer('重试客户');
    answer = () => new HttpResponse('upstream down', { status: 500 });
    expect(await drain()).toMatchObject({ delivered: 0, retrying: 1 });
    const client = await owner();
    let page = (await client.call('webhooks.deliveries', { endpointId: hook.id })).data as {
      items: {
        id: string;
        status: string;
        attempts: number;
        nextAttemptAt: string;
        log: { statusCode: number; responseExcerpt: string }[];
      }[];
    };
    const delivery = page.items[0] as (typeof page.items)[number];
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(new Date(delivery.nextAttemptAt).getTime()).toBeGreaterThan(Date.now());
    expect(delivery.log[0]).toMatchObject({ statusCode: 500, responseExcerpt: 'upstream down' });
    answer = () => new HttpResponse(null, { status: 204 });
    await makeDue();
    expect(await drain()).toMatchObject({ delivered: 1 });
    const redelivered = await client.call('webhooks.redeliver', { id: delivery.id });
    expect(redelivered.error).toBeNull();
    expect(await drain()).toMatchObject({ delivered: 1 });
    expect(new Set(received.map((r) => r.id)).size).toBe(1);
    page = (await client.call('webhooks.deliveries', { endpointId: hook.id })).data as typeof page;
    expect(page.items[0]?.log.map((entry) => entry.statusCode)).toEqual([204, 204, 500]);
  });

  it('disables an endpoint on a 410 and after repeated failures, and tells the admins', async () => {
    const gone = await endpoint('https://gone.partner.example/hook', ['customer.created']);
    answer = () => new HttpResponse('unsubscribed', { status: 410 });
    await createCustomer('410 客户');
    expect(await drain()).toMatchObject({ disabled: 1 });
    const client = await owner();
    const hooks = (await client.call('webhooks.list')).data as {
      id: string;
      status: string;
      disabledReason: string;
    }[];
    expect(hooks.find((hook) => hook.id === gone.endpoint.id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'gone',
    });
    const alerts = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('notifications')
        .select(['user_id', 'kind'])
        .where('kind', '=', 'platform_alert')
        .execute(),
    );
    expect(alerts.map((alert) => alert.user_id).sort()).toEqual(
      [tenant.users.owner.id, tenant.users.admin.id].sort(),
    );
    // Re-enabled, it delivers again.
    answer = () => new HttpResponse('ok');
    expect((await client.call('webhooks.update', { id: gone.endpoint.id, enabled: true })).error).toBeNull();
    await createCustomer('恢复后的客户');
    expect((await drain()).delivered).toBeGreaterThanOrEqual(1);

    const failing = await endpoint('https://flaky.partner.example/hook', ['order.created']);
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .updateTable('webhook_endpoints')
        .set({ consecutive_failures: DISABLE_AFTER_FAILURES - 1 })
        .where('id', '=', failing.endpoint.id)
        .execute(),
    );
    answer = () => new HttpResponse('no', { status: 503 });
    const customerId = await createCustomer('下单客户');
    const order = await client.call('orders.create', {
      customerId,
      orderedAt: '2026-12-01',
      lines: [{ product: '滤芯', quantity: 1, unitPrice: '99.00' }],
    });
    expect(order.error).toBeNull();
    await drain();
    const after = (await client.call('webhooks.list')).data as {
      id: string;
      status: string;
      disabledReason: string;
    }[];
    expect(after.find((hook) => hook.id === failing.endpoint.id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'failures',
    });
  });

  it('posts no more to an endpoint once it answered 410: its other claimed deliveries are handed back', async () => {
    const gone = await endpoint('https://gone.partner.example/hook', ['customer.created']);
    answer = () => new HttpResponse('unsubscribed', { status: 410 });
    for (let index = 0; index < 5; index += 1) await createCustomer(`退订客户${index}`);
    // One sender at a time: the first post answers 410, the four claimed with it are not sent.
    expect(await drain({ concurrency: 1 })).toMatchObject({ delivered: 0, failed: 1, disabled: 1 });
    expect(received).toHaveLength(1);
    const rows = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('webhook_deliveries')
        .select(['status', 'attempts', 'locked_until'])
        .where('endpoint_id', '=', gone.endpoint.id)
        .execute(),
    );
    expect(rows.filter((row) => row.status === 'failed')).toHaveLength(1);
    // Handed back as they were: pending, no attempt counted, no lease held.
    expect(rows.filter((row) => row.status === 'pending')).toEqual(
      Array.from({ length: 4 }, () => ({ status: 'pending', attempts: 0, locked_until: null })),
    );
    const attempts = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('webhook_attempts')
        .select('delivery_id')
        .where('endpoint_id', '=', gone.endpoint.id)
        .execute(),
    );
    expect(attempts).toHaveLength(1);
  });

  it('drains in a pipeline: every due delivery sent once, batches recorded while the next are sent', async () => {
    await endpoint(RECEIVER, ['customer.created']);
    await server.database.withTenant(tenant.tenantId, (trx) =>
      recordWebhookEvents(
        jobScope(trx, tenant.tenantId),
        'customer.created',
        Array.from({ length: 95 }, (_, index) => ({ seq: index })),
      ),
    );
    expect(await drain({ batchSize: 10, concurrency: 4 })).toMatchObject({ delivered: 95, retrying: 0 });
    expect(new Set(received.map((message) => message.id)).size).toBe(95);
    expect(received).toHaveLength(95);
    const left = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('webhook_deliveries')
        .select(['status'])
        .where((eb) => eb.or([eb('status', '!=', 'succeeded'), eb('locked_until', 'is not', null)]))
        .execute(),
    );
    expect(left).toEqual([]);
    // maxBatches bounds a drain: two batches of 10, the rest waits for the next.
    await server.database.withTenant(tenant.tenantId, (trx) =>
      recordWebhookEvents(
        jobScope(trx, tenant.tenantId),
        'customer.created',
        Array.from({ length: 30 }, (_, index) => ({ seq: index })),
      ),
    );
    expect(await drain({ batchSize: 10, maxBatches: 2 })).toMatchObject({ delivered: 20 });
  });

  it('signs with both secrets while a rotation overlaps', async () => {
    const { endpoint: hook, secret: old } = await endpoint();
    const rotated = (await (await owner()).call('webhooks.rotateSecret', { id: hook.id })).data as {
      secret: string;
    };
    expect(rotated.secret).not.toBe(old);
    await createCustomer('轮换密钥客户');
    await drain();
    const [message] = received as [Received];
    expect(message.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(() => new Webhook(old).verify(message.body, message.headers)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(message.body, message.headers)).not.toThrow();
  });

  it('refuses private, loopback, link-local and metadata addresses when saved and when delivering (T5.5)', async () => {
    const client = await owner();
    for (const url of [
      'http://hooks.partner.example/crm',
      'https://10.0.0.8/hook',
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://[::ffff:10.0.0.1]/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://localhost/hook',
      'https://rebind.partner.example/hook',
      'https://metadata.partner.example/hook',
      'https://user:pass@hooks.partner.example/hook',
      'ftp://hooks.partner.example/hook',
    ]) {
      const result = await client.call('webhooks.create', { url, events: ['customer.created'] });
      expect(['WEBHOOK_URL_FORBIDDEN', 'WEBHOOK_URL_INVALID'], url).toContain(result.error?.appCode);
    }
    for (const address of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:192.168.0.1',
      '0.0.0.0',
    ])
      expect(isForbiddenAddress(address), address).toBe(true);
    for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])
      expect(isForbiddenAddress(address)).toBe(false);

    // A redirect to a metadata address is refused on delivery, and nothing is sent there.
    await endpoint('https://redirector.partner.example/hook', ['customer.created']);
    answer = (request) =>
      request.headers.host === 'redirector.partner.example'
        ? new HttpResponse(null, {
            status: 307,
            headers: { location: 'https://metadata.partner.example/latest' },
          })
        : new HttpResponse('should not be reached');
    await createCustomer('重定向客户');
    expect(await drain()).toMatchObject({ delivered: 0, retrying: 1 });
    expect(received.map((r) => r.headers.host)).toEqual(['redirector.partner.example']);
    const [delivery] = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('webhook_deliveries').select('last_error').execute(),
    );
    expect(delivery?.last_error).toMatch(/private or reserved/);
  });

  it('loses no event through 500s, timeouts and a worker killed mid-delivery several times (T5.4)', async () => {
    const count = Number(process.env.WEBHOOK_T54_EVENTS ?? 300);
    const { secret } = await endpoint('https://flaky.partner.example/hook', ['customer.created']);
    // Events written set-based, as an import would (recordWebhookEvents); one transaction.
    await server.database.withTenant(tenant.tenantId, (trx) =>
      recordWebhookEvents(
        jobScope(trx, tenant.tenantId),
        'customer.created',
        Array.from({ length: count }, (_, index) => ({ seq: index })),
      ),
    );
    // The receiver fails each event's first try: every third with a 500, every third by
    // hanging past the timeout, the rest succeed at once.
    const tries = new Map<string, number>();
    answer = async (request) => {
      const seq = (JSON.parse(request.body) as { data: { seq: number } }).data.seq;
      const n = (tries.get(request.id) ?? 0) + 1;
      tries.set(request.id, n);
      if (n === 1 && seq % 3 === 1) return new HttpResponse('boom', { status: 500 });
      if (n === 1 && seq % 3 === 2) {
        await delay(1500);
        return new HttpResponse('late');
      }
      return new HttpResponse(null, { status: 204 });
    };
    // Killed three times: the worker posts some deliveries, then dies before recording them.
    for (let kill = 0; kill < 3; kill += 1) {
      let posted = 0;
      await expect(
        drain({
          timeoutMs: 500,
          batchSize: 40,
          post: async (message, p) => {
            posted += 1;
            if (posted > 25) throw new Error('worker killed');
            return postWebhook(message, p, { timeoutMs: 500 });
          },
        }),
      ).rejects.toThrow('worker killed');
      // Its leases lapse.
      await server.database.withTenant(tenant.tenantId, (trx) =>
        trx
          .updateTable('webhook_deliveries')
          .set({ locked_until: new Date(Date.now() - 1000) })
          .execute(),
      );
    }
    for (let round = 0; round < 10; round += 1) {
      await makeDue();
      const result = await drain({ timeoutMs: 500, batchSize: 100, maxBatches: 100, concurrency: 16 });
      if (result.retrying === 0 && result.delivered === 0) break;
    }
    const statuses = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('webhook_deliveries').select(['status', 'event_id']).execute(),
    );
    expect(statuses).toHaveLength(count);
    expect(statuses.filter((row) => row.status !== 'succeeded')).toEqual([]);
    const eventIds = new Set(statuses.map((row) => row.event_id));
    const delivered = new Set(received.map((r) => r.id));
    // Every event reached the receiver; every duplicate carried its event's webhook-id.
    for (const id of eventIds) expect(delivered.has(id)).toBe(true);
    for (const message of received) expect(eventIds.has(message.id)).toBe(true);
    const wh = new Webhook(secret);
    for (const message of received.slice(0, 200))
      expect(() => wh.verify(message.body, message.headers)).not.toThrow();
    expect(received.length).toBeGreaterThan(count);
  });
});
