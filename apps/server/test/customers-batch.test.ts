import { defaultNetworkPolicy, setWebhookNetworkPolicy } from '@crm/api';
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

async function keyFor(actor: SeededUser, of: SeededTenant = tenant): Promise<string> {
  const owners = await signedInClient(server, of.users.owner.id, of.tenantId);
  const created = await owners.call('apiKeys.create', {
    name: `同步密钥-${actor.name}`,
    scopes: API_SCOPE_NAMES,
  });
  expect(created.error).toBeNull();
  const data = created.data as { key: { id: string }; token: string };
  if (actor.id !== of.users.owner.id) {
    await server.database.withTenant(of.tenantId, (trx) =>
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

  it('writes new customers together with all a create writes; in-batch and existing matches, and bad items, as one by one', async () => {
    // A tenant of its own, subscribed to customer events (nothing is delivered: the receiver's
    // name resolves to a public address without DNS, and no drain runs here).
    setWebhookNetworkPolicy({
      allowHttp: false,
      allowPrivate: false,
      resolve: async () => ['93.184.216.34'],
    });
    try {
      const s = crypto.randomUUID().slice(0, 6);
      const own = await seedTenant(server.database, `批量写入企业${s}`);
      const owners = await signedInClient(server, own.users.owner.id, own.tenantId);
      const tag = await owners.call('tags.create', { name: `重点${s}` });
      expect(tag.error).toBeNull();
      const tagId = (tag.data as { id: string }).id;
      const token = await keyFor(own.users.owner, own);
      const existing = await batch(token, [{ name: `已有实业有限公司${s}`, kind: 'company' }]);
      expect(existing.body.items[0]?.status).toBe('created');
      const subscribed = await owners.call('webhooks.create', {
        url: 'https://hooks.partner.example/crm',
        events: ['customer.created', 'customer.updated'],
      });
      expect(subscribed.error).toBeNull();

      const contactPhone = '13912345678';
      const answer = await batch(token, [
        {
          externalId: `ERP-${s}-0`,
          name: `杭州云帆科技有限公司${s}`,
          kind: 'company',
          phone: '0571-88776655',
          tagIds: [tagId],
          firstCooperationOn: '2024-03-01',
          primaryContact: { name: '李经理', phone: contactPhone },
        },
        { name: '张三', kind: 'person', email: `zhangsan-${s}@example.com` },
        { name: `同批机械有限公司${s}`, kind: 'company', creditCode: '91330100799655058B' },
        // The same credit code as the item before: that new customer, updated.
        {
          name: `同批机械制造有限公司${s}`,
          kind: 'company',
          creditCode: '91330100799655058B',
          industry: '制造',
        },
        // An existing customer by its company name.
        { name: `已有实业有限公司${s}`, kind: 'company', industry: '贸易' },
        { name: `号码错误有限公司${s}`, kind: 'company', phone: 'not a phone' },
        { externalId: `ERP-${s}-6`, name: `宁波海通物流有限公司${s}`, kind: 'company' },
      ]);
      expect(answer.status).toBe(200);
      const items = answer.body.items;
      expect(items.map((item) => [item.index, item.status, item.matchedBy])).toEqual([
        [0, 'created', null],
        [1, 'created', null],
        [2, 'created', null],
        [3, 'updated', 'credit_code'],
        [4, 'updated', 'name'],
        [5, 'error', null],
        [6, 'created', null],
      ]);
      expect(answer.body).toMatchObject({ created: 4, updated: 2, failed: 1 });
      expect(items[3]?.id).toBe(items[2]?.id);
      expect(items[4]?.id).toBe(existing.body.items[0]?.id);
      expect(items[5]?.error).toMatchObject({ code: 'INVALID_PHONE', field: 'phone' });
      const created = [0, 1, 2, 6].map((index) => items[index]?.id as string);

      // A twin of item 0 through customers.create, for what a create writes of derived values.
      const twin = await owners.call('customers.create', {
        name: `温州云帆科技有限公司${s}`,
        kind: 'company',
        phone: '0577-88776655',
        tagIds: [tagId],
        firstCooperationOn: '2024-03-01',
        primaryContact: { name: '王经理', phone: '13812345678' },
      });
      expect(twin.error).toBeNull();
      const twinId = (twin.data as { id: string }).id;

      const written = await server.database.withTenant(own.tenantId, async (trx) => ({
        customers: await trx
          .selectFrom('customers')
          .select(['id', 'external_id', 'tag_ids', 'completeness', 'industry', 'first_cooperation_on'])
          .where('id', 'in', [...created, twinId])
          .execute(),
        audits: await trx
          .selectFrom('audit_log')
          .select(['entity_id', 'entity', 'action'])
          .where('entity', '=', 'customer')
          .where('action', '=', 'create')
          .where('entity_id', 'in', created)
          .execute(),
        keys: await trx
          .selectFrom('customer_match_keys')
          .select(['kind', 'value'])
          .where('customer_id', '=', created[0] as string)
          .execute(),
        contacts: await trx
          .selectFrom('contacts')
          .select(['name', 'is_primary'])
          .where('customer_id', '=', created[0] as string)
          .execute(),
        events: await trx
          .selectFrom('webhook_events')
          .select(['type', 'payload'])
          .where('type', 'in', ['customer.created', 'customer.updated'])
          .execute(),
      }));
      const byId = new Map(written.customers.map((row) => [row.id, row]));
      const first = byId.get(created[0] as string);
      const twinRow = byId.get(twinId);
      expect(first).toMatchObject({ external_id: `ERP-${s}-0`, tag_ids: [tagId] });
      expect(first?.completeness).toBe(twinRow?.completeness);
      expect(byId.get(items[2]?.id as string)?.industry).toBe('制造');
      expect(written.audits.map((row) => row.entity_id).sort()).toEqual([...created].sort());
      expect(written.keys.map((key) => key.kind).sort()).toEqual(['name', 'phone', 'phone']);
      expect(written.contacts).toEqual([{ name: '李经理', is_primary: true }]);
      const names = (type: string) =>
        written.events
          .filter((event) => event.type === type)
          .map((event) => (event.payload as { name: string }).name)
          .sort();
      expect(names('customer.created')).toEqual(
        [
          `杭州云帆科技有限公司${s}`,
          '张三',
          `同批机械有限公司${s}`,
          `宁波海通物流有限公司${s}`,
          `温州云帆科技有限公司${s}`,
        ].sort(),
      );
      expect(names('customer.updated')).toEqual([`同批机械制造有限公司${s}`, `已有实业有限公司${s}`].sort());
      const payload = written.events.find(
        (event) => (event.payload as { name: string }).name === `杭州云帆科技有限公司${s}`,
      )?.payload as Record<string, unknown>;
      const twinPayload = written.events.find(
        (event) => (event.payload as { name: string }).name === `温州云帆科技有限公司${s}`,
      )?.payload as Record<string, unknown>;
      expect(Object.keys(payload).sort()).toEqual(Object.keys(twinPayload).sort());
      expect(payload).toMatchObject({ id: created[0], kind: 'company', phone: '+8657188776655' });
    } finally {
      setWebhookNetworkPolicy(defaultNetworkPolicy());
    }
  });

  it('a write of the batch that fails (an owner who is no member) fails only its item', async () => {
    const token = await keyFor(tenant.users.owner);
    const s = crypto.randomUUID().slice(0, 6);
    const answer = await batch(token, [
      { name: `正常客户甲${s}`, kind: 'company' },
      { name: `外人负责客户${s}`, kind: 'company', ownerUserId: crypto.randomUUID() },
      { name: `正常客户乙${s}`, kind: 'company' },
    ]);
    expect(answer.body.items.map((item) => item.status)).toEqual(['created', 'error', 'created']);
    expect(answer.body.items[1]?.error?.code).toBe('OWNER_NOT_MEMBER');
    const rows = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('customers').select('name').where('name', 'like', `%${s}`).orderBy('name').execute(),
    );
    expect(rows.map((row) => row.name).sort()).toEqual([`正常客户乙${s}`, `正常客户甲${s}`].sort());
  });
});
