import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allProcedurePaths,
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
} from './helpers';
import { PROCEDURE_CASES } from './procedure-cases';

/**
 * Every procedure of the router × every string its valid input holds: the same string with
 * U+0000 in it (and, for a sample, a lone surrogate and an escape character) answers 400
 * INVALID_INPUT naming the field, in the caller's language, never a 500 from PostgreSQL.
 */
let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '控制字符测试企业');
});
afterAll(() => server.destroy());

type Leaf = { path: (string | number)[]; value: string };

function stringLeaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringLeaves(item, [...path, index]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...path, key]));
  return [];
}

function replaced(input: unknown, path: (string | number)[], next: string): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(input))
    return input.map((item, index) => (index === head ? replaced(item, rest, next) : item));
  const record = input as Record<string, unknown>;
  return { ...record, [head]: replaced(record[head], rest, next) };
}

describe('text that cannot be stored is refused at the boundary', () => {
  it('every string field of every procedure answers 400 to U+0000, in zh-CN and en', async () => {
    const paths = allProcedurePaths();
    let procedures = 0;
    let fields = 0;
    const failures: string[] = [];
    for (const path of paths) {
      const procedureCase = PROCEDURE_CASES[path];
      if (!procedureCase) throw new Error(`no case for ${path}`);
      const input = await procedureCase.input({ server, tenant, role: 'owner', actor: tenant.users.owner });
      const leaves = stringLeaves(input);
      if (leaves.length === 0) continue;
      procedures += 1;
      for (const [index, leaf] of leaves.entries()) {
        fields += 1;
        const locale = index % 2 === 0 ? 'zh-CN' : 'en';
        const client = await signedInClient(server, tenant.users.owner.id, tenant.tenantId, {
          headers: { 'x-locale': locale },
        });
        const poisoned = replaced(input, leaf.path, `${leaf.value.slice(0, 3)}\u0000${leaf.value.slice(3)}`);
        const result = await client.call(path, poisoned);
        const field = leaf.path.join('.');
        const message = result.error?.fieldErrors?.find((error) => error.path === field)?.message ?? '';
        const expected = locale === 'en' ? 'control character' : '控制字符';
        if (result.status !== 400 || result.error?.appCode !== 'INVALID_INPUT' || !message.includes(expected))
          failures.push(`${path} ${field}: ${result.status} ${result.error?.appCode} ${message}`);
      }
    }
    console.log(
      `U+0000 probe: procedures=${procedures} fields=${fields} refused=${fields - failures.length}`,
    );
    expect(failures).toEqual([]);
    expect(procedures).toBeGreaterThan(40);
  });

  it('lone surrogates, escape characters and NUL in object keys are refused too; tab and line breaks pass', async () => {
    const client = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    for (const name of ['坏\ud800名字', 'ansi\u001b[31m', 'bell\u0007']) {
      const result = await client.call('customers.create', { name, kind: 'company' });
      expect(result.status, name).toBe(400);
      expect(result.error?.fieldErrors?.[0]?.path).toBe('name');
    }
    const key = await client.call('customers.create', { name: '正常名字', kind: 'company', ['x\u0000']: 1 });
    expect(key.status).toBe(400);
    const tabbed = await client.call('customers.create', {
      name: '带\t制表符',
      kind: 'company',
      painPoints: '第一行\n第二行',
    });
    expect(tabbed.error).toBeNull();
  });

  it('a name made only of zero-width characters is refused; one with a zero-width character inside is stored without it and found by search', async () => {
    const client = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    const blank = await client.call('customers.create', { name: '\u200b\u200c\u200d', kind: 'company' });
    expect(blank.status).toBe(400);
    expect(blank.error?.fieldErrors?.[0]?.path).toBe('name');
    const created = await client.call('customers.create', { name: '零宽\u200b测试科技', kind: 'company' });
    expect(created.error).toBeNull();
    const customer = await client.call('customers.get', { id: created.data.id });
    expect(customer.data.name).toBe('零宽测试科技');
    for (const search of ['零宽测试', '零宽\u200b测试', '宽测']) {
      const found = await client.call('customers.list', { search, limit: 10 });
      expect(found.error, search).toBeNull();
      expect(
        found.data.items.map((item: { id: string }) => item.id),
        search,
      ).toContain(created.data.id);
    }
  });
});
