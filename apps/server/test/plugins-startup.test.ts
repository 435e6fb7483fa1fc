import b2b from '@crm/plugin-b2b';
import corporateBanking from '@crm/plugin-corporate-banking';
import retail from '@crm/plugin-retail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIGURED_PLUGINS, createServerPluginRegistry } from '../src/plugins';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/**
 * Start-up with a broken plugin: b2b whose settings carry a default its own schema refuses.
 * The server refuses that plugin — a log line names it and the problem — loads the others,
 * and only tenants on the refused profile see INDUSTRY_PROFILE_UNAVAILABLE (for tiering and
 * industry settings; everything else of theirs works).
 */
const brokenB2b = {
  ...b2b,
  settings: {
    ...b2b.settings,
    schema: b2b.settings.schema.extend({
      visitBudget: z
        .number()
        .max(10)
        .meta({ labels: { 'zh-CN': '拜访预算', en: 'Visit budget' } })
        .prefault(50),
    }),
  },
};

let server: TestServer;
let b2bTenant: SeededTenant;
let retailTenant: SeededTenant;
let b2bAdmin: TrpcClient;
let retailAdmin: TrpcClient;

beforeAll(async () => {
  server = await createTestServer({
    plugins: (logger) => createServerPluginRegistry(logger, [retail, brokenB2b, corporateBanking]),
  });
  b2bTenant = await seedTenant(server.database, '华辰工业（插件故障）', 'b2b');
  retailTenant = await seedTenant(server.database, '悦享零售（正常）', 'retail');
  b2bAdmin = await signedInClient(server, b2bTenant.users.admin.id, b2bTenant.tenantId);
  retailAdmin = await signedInClient(server, retailTenant.users.admin.id, retailTenant.tenantId);
});
afterAll(() => server.destroy());

describe('a plugin with a broken settings default', () => {
  it('is refused at start-up with a log line naming it and the problem; the others load', () => {
    const registry = server.dependencies.plugins;
    expect(registry.plugins.map((plugin) => plugin.id)).toEqual(['retail', 'corporate-banking']);
    expect(registry.refused.map((plugin) => plugin.id)).toEqual(['b2b']);
    const refusal = server.logger.lines.find(
      (line) => line.level === 'error' && line.plugin === 'b2b' && String(line.message).includes('refused'),
    );
    expect(refusal, JSON.stringify(server.logger.lines)).toBeDefined();
    expect(refusal?.message).toContain('industry plugin "b2b" refused');
    expect(refusal?.message).toContain('visitBudget');
    expect(refusal?.message).toContain('行业插件「b2b」未加载');
    expect(JSON.stringify(refusal?.problems)).toContain('PLUGIN_SETTINGS_DEFAULT_INVALID');
    const summary = server.logger.lines.find((line) => String(line.message).startsWith('industry plugins:'));
    expect(summary?.message).toBe('industry plugins: 2 loaded, 1 refused (b2b)');
    expect(summary?.loaded).toEqual([
      `retail@${retail.version}`,
      `corporate-banking@${corporateBanking.version}`,
    ]);
  });

  it("gives the refused profile's tenants a clear unavailable state, and nothing else of theirs breaks", async () => {
    const current = await b2bAdmin.call('industry.current');
    expect(current.error).toBeNull();
    expect(current.data).toMatchObject({ state: 'unavailable', profileId: 'b2b' });
    expect(current.data.message).toContain('暂不可用');
    for (const [path, input] of [
      ['industry.settings', undefined],
      ['industry.preview', { settings: {} }],
      ['industry.save', { settings: {}, expectedVersion: 0 }],
    ] as const) {
      const result = await b2bAdmin.call(path, input);
      expect(result.error?.appCode, path).toBe('INDUSTRY_PROFILE_UNAVAILABLE');
      expect(result.error?.message).toContain('「b2b」');
    }
    // The rest of the tenant works.
    const created = await b2bAdmin.call('customers.create', { name: '仍可录入的客户', kind: 'company' });
    expect(created.error).toBeNull();
    const list = await b2bAdmin.call('customers.list', { limit: 10 });
    expect(list.error).toBeNull();
    expect(list.data.items).toHaveLength(1);
  });

  it('leaves tenants on the other profiles working', async () => {
    const current = await retailAdmin.call('industry.current');
    expect(current.data).toMatchObject({ state: 'ok', profileId: 'retail' });
    const saved = await retailAdmin.call('industry.save', { settings: {}, expectedVersion: 0 });
    expect(saved.error).toBeNull();
    expect(saved.data.version).toBe(1);
  });
});

describe('cross-plugin checks', () => {
  it('refuses a second plugin with a taken id, and one whose custom field keys collide', () => {
    const lines: { message?: string }[] = [];
    const logger = {
      info: () => {},
      warn: () => {},
      error: (_fields: Record<string, unknown>, message?: string) => lines.push({ message }),
    };
    const copy = { ...retail, version: '9.9.9' };
    const registry = createServerPluginRegistry(logger, [retail, copy, b2b]);
    expect(registry.plugins.map((plugin) => plugin.id)).toEqual(['retail', 'b2b']);
    expect(registry.refused[0]?.problems.map((problem) => problem.code)).toContain('PLUGIN_ID_DUPLICATE');
    expect(lines[0]?.message).toContain('industry plugin "retail" refused');
  });

  it('the configured list loads every plugin', () => {
    const registry = createServerPluginRegistry(undefined, CONFIGURED_PLUGINS);
    expect(registry.refused).toEqual([]);
    // Whatever the deployment configures (a partner's profile added to the list included).
    expect(registry.plugins.map((plugin) => plugin.id)).toEqual(
      CONFIGURED_PLUGINS.map((plugin) => (plugin as { id: string }).id),
    );
    expect(registry.plugins.length).toBeGreaterThanOrEqual(3);
  });
});
