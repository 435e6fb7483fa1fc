import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

let server: TestServer;
let tenant: SeededTenant;
let owner: TrpcClient;

type Item = {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  ownerUserId: string | null;
  kind: string;
};

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '客户测试企业');
  owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
});
afterAll(() => server.destroy());

async function listAll(client: TrpcClient, input: Record<string, unknown>): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const result = await client.call('customers.list', { ...input, cursor });
    expect(result.error, JSON.stringify(result.error)).toBeNull();
    items.push(...result.data.items);
    cursor = result.data.nextCursor;
    if (!cursor) break;
  }
  return items;
}

describe('customers', () => {
  it('creates with normalised fields, defaults the owner to the creator, and gets it back', async () => {
    const created = await owner.call('customers.create', {
      name: '  上海瑞丰电子科技有限公司  ',
      kind: 'company',
      phone: '+86 021 6123 4567',
      email: 'Sales@RuiFeng.example.com',
    });
    expect(created.error).toBeNull();
    expect(created.data).toMatchObject({
      name: '上海瑞丰电子科技有限公司',
      kind: 'company',
      phone: '+862161234567',
      email: 'sales@ruifeng.example.com',
      ownerUserId: tenant.users.owner.id,
      ownerName: tenant.users.owner.name,
      archivedAt: null,
    });
    const fetched = await owner.call('customers.get', { id: created.data.id });
    expect(fetched.data).toEqual(created.data);
  });

  it('refuses bad input with field errors in the caller’s language and writes nothing', async () => {
    const before = (await listAll(owner, {})).length;
    const bad = await owner.call('customers.create', {
      name: '',
      kind: 'robot',
      email: 'not-an-email',
      tenantId: tenant.tenantId,
    });
    expect(bad.error?.appCode).toBe('INVALID_INPUT');
    expect(bad.error?.fieldErrors?.map((field) => field.path).sort()).toEqual(['', 'email', 'kind', 'name']);
    const english = await server
      .client({ cookie: owner.cookie, headers: { 'x-locale': 'en' } })
      .call('customers.create', { name: 'x', kind: 'person', phone: '12345' });
    expect(english.error?.message).toMatch(/valid phone number/);
    expect(english.error?.fieldErrors).toEqual([{ path: 'phone', message: english.error?.message }]);
    expect((await listAll(owner, {})).length).toBe(before);
  });

  it('pages through every customer exactly once with keyset cursors, in every sort', async () => {
    const names = Array.from({ length: 23 }, (_, index) => `分页客户${String(index).padStart(2, '0')}`);
    for (const name of names) await owner.call('customers.create', { name, kind: 'person' });
    for (const sort of ['createdAt', 'updatedAt', 'name'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const items = await listAll(owner, { search: '分页客户', sort, direction, limit: 5 });
        expect(items.map((item) => item.name).sort()).toEqual(names);
        expect(new Set(items.map((item) => item.id)).size).toBe(names.length);
        const keys = items.map((item) => (sort === 'name' ? item.name : item[sort]));
        const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(keys).toEqual(direction === 'asc' ? sorted : sorted.reverse());
      }
    }
  });

  it('searches by name, phone and email, treats % and _ literally, and filters by kind and owner', async () => {
    await owner.call('customers.create', { name: '王小明', kind: 'person', phone: '13912345678' });
    await owner.call('customers.create', {
      name: '100%_满意度公司',
      kind: 'company',
      email: 'nps@example.com',
    });
    const byName = await owner.call('customers.list', { search: '小明' });
    expect(byName.data.items.map((item: Item) => item.name)).toEqual(['王小明']);
    const byPhone = await owner.call('customers.list', { search: '1391234' });
    expect(byPhone.data.items.map((item: Item) => item.name)).toEqual(['王小明']);
    const byEmail = await owner.call('customers.list', { search: 'NPS@' });
    expect(byEmail.data.items.map((item: Item) => item.name)).toEqual(['100%_满意度公司']);
    const literal = await owner.call('customers.list', { search: '%_' });
    expect(literal.data.items.map((item: Item) => item.name)).toEqual(['100%_满意度公司']);
    const companies = await listAll(owner, { kind: 'company' });
    expect(companies.every((item) => item.kind === 'company')).toBe(true);
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    await rep.call('customers.create', { name: '销售代表的客户', kind: 'person' });
    const mine = await listAll(owner, { ownerUserIds: [tenant.users.sales_rep.id] });
    expect(mine.map((item) => item.name)).toEqual(['销售代表的客户']);
  });

  it('rejects a cursor that was tampered with or belongs to another sort', async () => {
    const page = await owner.call('customers.list', { limit: 1, sort: 'name' });
    expect(page.data.nextCursor).toBeTruthy();
    const otherSort = await owner.call('customers.list', {
      limit: 1,
      sort: 'createdAt',
      cursor: page.data.nextCursor,
    });
    expect(otherSort.error?.appCode).toBe('INVALID_CURSOR');
    const garbage = await owner.call('customers.list', { cursor: 'not-a-cursor' });
    expect(garbage.error?.appCode).toBe('INVALID_CURSOR');
  });

  it('updates fields and owner, refuses an owner from outside the tenant, and archives and restores', async () => {
    const created = await owner.call('customers.create', { name: '待更新客户', kind: 'person' });
    const id = created.data.id;
    const updated = await owner.call('customers.update', {
      id,
      name: '已更新客户',
      ownerUserId: tenant.users.sales_manager.id,
      phone: null,
    });
    expect(updated.data).toMatchObject({
      name: '已更新客户',
      ownerUserId: tenant.users.sales_manager.id,
      phone: null,
    });
    expect(Date.parse(updated.data.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.data.updatedAt));
    const stranger = await seedTenant(server.database, '别家');
    const refused = await owner.call('customers.update', { id, ownerUserId: stranger.users.sales_rep.id });
    expect(refused.error?.appCode).toBe('OWNER_NOT_MEMBER');
    const archived = await owner.call('customers.archive', { id });
    expect(archived.data.archivedAt).toBeTruthy();
    expect((await listAll(owner, {})).some((item) => item.id === id)).toBe(false);
    expect((await listAll(owner, { archived: true })).some((item) => item.id === id)).toBe(true);
    const editArchived = await owner.call('customers.update', { id, name: '不应生效' });
    expect(editArchived.error?.appCode).toBe('CUSTOMER_ARCHIVED');
    const restored = await owner.call('customers.restore', { id });
    expect(restored.data.archivedAt).toBeNull();
    expect((await listAll(owner, {})).some((item) => item.id === id)).toBe(true);
  });

  it('returns NOT_FOUND for an id that does not exist', async () => {
    const missing = await owner.call('customers.get', { id: crypto.randomUUID() });
    expect(missing.error?.appCode).toBe('CUSTOMER_NOT_FOUND');
    expect(missing.status).toBe(404);
    expect(missing.error?.message).toBe('客户不存在或已被删除');
  });
});
