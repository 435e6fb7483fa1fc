import { MAX_TENANT_ACTIVE_IMPORTS, MAX_TENANT_RUNNING_EXPORTS } from '@crm/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  PUBLIC_URL,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/**
 * SECURITY.md T5.9, the heavy work of one tenant: imports and exports are capped per tenant
 * (waiting and running together), so one tenant cannot queue them without end ahead of the
 * others; the call over the cap is refused with 429 and a message in the caller's language,
 * and another tenant still starts its own.
 */
let server: TestServer;
let flooder: SeededTenant;
let neighbour: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  flooder = await seedTenant(server.database, '大量导入企业');
  neighbour = await seedTenant(server.database, '隔壁企业');
});
afterAll(() => server.destroy());

async function uploadedFile(client: TrpcClient): Promise<string> {
  const response = await server.app.request(
    'http://localhost:3000/api/imports/files',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent('客户.csv'),
        cookie: client.cookie ?? '',
        origin: PUBLIC_URL,
      },
      body: new TextEncoder().encode('名称,手机\n限额测试公司,13811112222\n'),
    },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { fileId: string }).fileId;
}

const importInput = (fileId: string) => ({
  fileId,
  entity: 'customers',
  mapping: { 名称: 'name', 手机: 'phone' },
  dryRun: true,
  onMatch: 'skip',
});

describe('fair limits per tenant (T5.9)', () => {
  it("a tenant's imports past its cap are refused, translated; another tenant's start", async () => {
    const owner = await signedInClient(server, flooder.users.owner.id, flooder.tenantId);
    const fileId = await uploadedFile(owner);
    // The queue's workers are not started here: every run stays waiting.
    for (let run = 0; run < MAX_TENANT_ACTIVE_IMPORTS; run += 1)
      expect((await owner.call('imports.start', importInput(fileId))).error).toBeNull();
    for (const [locale, words] of [
      ['zh-CN', '本企业已有 4 个导入'],
      ['en', 'already has 4 imports'],
    ] as const) {
      const refused = await owner.call('imports.start', importInput(fileId), { 'x-locale': locale });
      expect(refused.status).toBe(429);
      expect(refused.error?.appCode).toBe('IMPORT_TENANT_TOO_MANY_RUNNING');
      expect(refused.error?.message).toContain(words);
    }
    const other = await signedInClient(server, neighbour.users.owner.id, neighbour.tenantId);
    expect((await other.call('imports.start', importInput(await uploadedFile(other)))).error).toBeNull();
  });

  it("a tenant's exports past its cap (all members together) are refused; another tenant's start", async () => {
    const input = { entity: 'customers', format: 'csv', filters: {}, columns: ['owner'] };
    let started = 0;
    for (const role of ['owner', 'admin'] as const) {
      const client = await signedInClient(server, flooder.users[role].id, flooder.tenantId);
      for (let run = 0; run < 3; run += 1) {
        expect((await client.call('exports.create', input)).error).toBeNull();
        started += 1;
      }
    }
    expect(started).toBe(MAX_TENANT_RUNNING_EXPORTS);
    const analyst = await signedInClient(server, flooder.users.analyst.id, flooder.tenantId, {
      headers: { 'x-locale': 'en' },
    });
    const refused = await analyst.call('exports.create', input);
    expect(refused.status).toBe(429);
    expect(refused.error?.appCode).toBe('EXPORT_TENANT_TOO_MANY_RUNNING');
    expect(refused.error?.message).toContain('already has 6 exports');
    const other = await signedInClient(server, neighbour.users.analyst.id, neighbour.tenantId);
    expect((await other.call('exports.create', input)).error).toBeNull();
  });
});
