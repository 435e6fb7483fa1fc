import { API_SCOPE_NAMES } from '@crm/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  type SeededUser,
  seedTenant,
  signedInClient,
  type TestServer,
} from './helpers';

/**
 * `POST /api/v1/customers/batch`: up to 100 customers, each created or updated by its external
 * id or the identity rules, through the web app's services; each item succeeds or fails alone
 * with its error in both languages; an idempotency key answers a retry with the first results;
 * a rep's key neither sees nor takes over a colleague's customer.
 */
let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '批量同步企业');
});
afterAll(async () => {
  await server?.destroy();
});

async function keyFor(actor: SeededUser): Promise<string> {
  const owners = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
  const created = await owners.call('apiKeys.create', {
    name: `同步密钥-${actor.name}`,
    scopes: API_SCOPE_NAMES,
  });
  expect(created.error).toBeNull();
  const data = created.data as { key: { id: string }; token: string };
  if (actor.id !== tenant.users.owner.id) {
    await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.updateTable('api_keys').set({ created_by: actor.id }).where('id', '=', data.key.id).execute(),
    );
  }
  return data.token;
}

type Item = {
  index: number;
  status: 'created' | 'updated' | 'error';
  id: string | null;
  matchedBy: string | null;
  error: { code: string; field: string | null; message: { 'zh-CN': string; en: string } } | null;
};
type Batch = { created: number; updated: number; failed: number; items: Item[] };

async function batch(token: string, items: unknown[], headers: Record<string, string> = {}) {
  const response = await server.app.request(
    'http://localhost:3000/api/v1/customers/batch',
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ items }),
    },
    { incoming: { socket: { remoteAddress: '203.0.113.9' } } },
  );
  return { status: response.status, body: (await response.json()) as Batch & { code?: string } };
}

async function customer(id: string) {
  return server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .selectFrom('customers')
      .select(['name', 'phone', 'external_id', 'industry', 'owner_user_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
  );
}

describe('POST /api/v1/customers/batch', () => {
  it('creates, then updates by external id and by the identity rules; a bad item fails alone', async () => {
    const token = await keyFor(tenant.users.owner);
    const suffix = crypto.randomUUID().slice(0, 6);
    const first = await batch(token, [
      {
        externalId: `ERP-${suffix}-1`,
        name: `上海明远贸易有限公司${suffix}`,
        kind: 'company',
        industry: '贸易',
      },
      { name: `华辰工业科技有限公司${suffix}`, kind: 'company', creditCode: '91330100799655058B' },
      { externalId: `ERP-${suffix}-3`, name: `王${suffix}`, kind: 'person', phone: 'not a phone' },
    ]);
    expect(first.status).toBe(200);
    expect(first.body, JSON.stringify(first.body)).toMatchObject({ created: 2, updated: 0, failed: 1 });
    const [a, b, bad] = first.body.items;
    expect(a).toMatchObject({ index: 0, status: 'created', matchedBy: null, error: null });
    expect(b).toMatchObject({ index: 1, status: 'created' });
    expect(bad).toMatchObject({ index: 2, status: 'error', id: null, error: { field: 'phone' } });
    expect(bad?.error?.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(bad?.error?.message.en).toMatch(/[a-z]/);
    // The failed item left nothing behind.
    const named = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('customers').select('id').where('external_id', '=', `ERP-${suffix}-3`).execute(),
    );
    expect(named).toEqual([]);

    const second = await batch(token, [
      // By external id: renamed.
      {
        externalId: `ERP-${suffix}-1`,
        name: `上海明远贸易有限公司${suffix}（新）`,
        kind: 'company',
        phone: '021-62345678',
      },
      // By the identity rules (the same credit code), taking an external id from now on.
      {
        externalId: `ERP-${suffix}-2`,
        name: `华辰工业科技股份有限公司${suffix}`,
        kind: 'company',
        creditCode: '91330100799655058B',
        industry: '制造',
      },
    ]);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ created: 0, updated: 2, failed: 0 });
    expect(second.body.items.map((item) => [item.id, item.matchedBy])).toEqual([
      [a?.id, 'external_id'],
      [b?.id, 'credit_code'],
    ]);
    expect(await customer(a?.id as string)).toMatchObject({
      name: `上海明远贸易有限公司${suffix}（新）`,
      industry: '贸易',
    });
    expect(await customer(b?.id as string)).toMatchObject({
      external_id: `ERP-${suffix}-2`,
      industry: '制造',
    });

    // The identity rules find a customer that already has another external id: refused, not guessed.
    const mismatch = await batch(token, [
      {
        externalId: `ERP-${suffix}-9`,
        name: `华辰工业科技有限公司${suffix}`,
        kind: 'company',
        creditCode: '91330100799655058B',
      },
    ]);
    expect(mismatch.body.items[0]?.error?.code).toBe('CUSTOMER_EXTERNAL_ID_MISMATCH');
  });

  it('answers a retry with the same Idempotency-Key with the first results, creating nothing twice', async () => {
    const token = await keyFor(tenant.users.owner);
    const items = [
      { externalId: `ERP-${crypto.randomUUID()}`, name: `重试客户${Date.now()}`, kind: 'company' },
    ];
    const key = crypto.randomUUID();
    const once = await batch(token, items, { 'idempotency-key': key });
    const again = await batch(token, items, { 'idempotency-key': key });
    expect(once.body.items[0]?.status).toBe('created');
    expect(again.body).toEqual(once.body);
    const reused = await batch(token, [{ ...items[0], name: '另一个客户' }], { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('takes at most 100 items, and refuses a malformed one with the whole batch (400)', async () => {
    const token = await keyFor(tenant.users.owner);
    const many = Array.from({ length: 101 }, (_, index) => ({ name: `客户${index}`, kind: 'company' }));
    expect((await batch(token, many)).status).toBe(400);
    const malformed = await batch(token, [{ name: '缺少类型' }]);
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_INPUT');
  });

  it("a rep's key updates the rep's own customers only; a colleague's external id stays theirs", async () => {
    const owner = await keyFor(tenant.users.owner);
    const externalId = `ERP-${crypto.randomUUID()}`;
    const theirs = await batch(owner, [
      { externalId, name: `同事的客户${Date.now()}`, kind: 'company', ownerUserId: tenant.users.admin.id },
    ]);
    const id = theirs.body.items[0]?.id as string;
    const rep = await keyFor(tenant.users.sales_rep);
    const taken = await batch(rep, [{ externalId, name: '被改名', kind: 'company' }]);
    expect(taken.body.items[0]).toMatchObject({
      status: 'error',
      error: { code: 'CUSTOMER_EXTERNAL_ID_TAKEN' },
    });
    expect((await customer(id)).name).not.toBe('被改名');

    const mine = await batch(rep, [
      { externalId: `ERP-${crypto.randomUUID()}`, name: `我的客户${Date.now()}`, kind: 'company' },
    ]);
    expect(mine.body.items[0]?.status).toBe('created');
    expect((await customer(mine.body.items[0]?.id as string)).owner_user_id).toBe(tenant.users.sales_rep.id);
  });
});
