import insurance from '@crm/example-insurance';
import b2b from '@crm/plugin-b2b';
import corporateBanking from '@crm/plugin-corporate-banking';
import retail from '@crm/plugin-retail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerPluginRegistry } from '../src/plugins';
import { createTestServer, TEST_PASSWORD, type TestServer } from './helpers';

/**
 * A partner's fourth profile (docs/plugins.md's insurance example) registered in the server's
 * plugin list is offered at sign-up and works like the shipped ones — no core change, no
 * schema change. A profile the server does not run is refused with a message.
 */
let server: TestServer;

beforeAll(async () => {
  server = await createTestServer({
    plugins: (logger) => createServerPluginRegistry(logger, [retail, b2b, corporateBanking, insurance]),
  });
});
afterAll(() => server.destroy());

describe('a fourth industry profile', () => {
  it('is listed for sign-up with its own names, after the shipped ones', async () => {
    const profiles = await server.client({}).call('industry.profiles');
    expect(profiles.error).toBeNull();
    expect(profiles.data.map((profile: { id: string }) => profile.id)).toEqual([
      'retail',
      'b2b',
      'corporate-banking',
      'insurance',
    ]);
    const listed = profiles.data.find((profile: { id: string }) => profile.id === 'insurance');
    expect(listed.labels).toEqual({ 'zh-CN': insurance.labels['zh-CN'], en: insurance.labels.en });
  });

  it('can be chosen at sign-up: the tenant gets its custom fields and its industry settings', async () => {
    const client = server.client({});
    const signedUp = await client.call('auth.signUp', {
      tenantName: '安泰保险代理',
      industry: 'insurance',
      name: '保险管理员',
      email: 'owner@insurance.example.com',
      password: TEST_PASSWORD,
    });
    expect(signedUp.error).toBeNull();
    const fields = await client.call('customFields.list');
    expect(fields.error).toBeNull();
    const pluginKeys = (insurance.customFields ?? []).map((field) => field.key).sort();
    expect(
      fields.data
        .filter((field: { source: string }) => field.source === 'plugin')
        .map((field: { key: string }) => field.key)
        .sort(),
    ).toEqual(pluginKeys);
    const current = await client.call('industry.current');
    expect(current.error).toBeNull();
    expect(JSON.stringify(current.data)).toContain('insurance');
    const settings = await client.call('industry.settings');
    expect(settings.error).toBeNull();
  });

  it('refuses a profile the server does not run, and creates nothing', async () => {
    const client = server.client({});
    const refused = await client.call('auth.signUp', {
      tenantName: '未知行业企业',
      industry: 'space-mining',
      name: '某人',
      email: 'owner@space.example.com',
      password: TEST_PASSWORD,
    });
    expect(refused.error?.appCode).toBe('INDUSTRY_PROFILE_UNKNOWN');
    expect(refused.error?.fieldErrors?.[0]?.path).toBe('industry');
    expect(refused.error?.message).toContain('space-mining');
    const users = await server.database.withScope({}, (trx) =>
      trx.selectFrom('users').select('id').where('email', '=', 'owner@space.example.com').execute(),
    );
    expect(users).toEqual([]);
    const malformed = await client.call('auth.signUp', {
      tenantName: '格式不对',
      industry: 'Not A Plugin Id',
      name: '某人',
      email: 'owner@malformed.example.com',
      password: TEST_PASSWORD,
    });
    expect(malformed.error?.appCode).toBe('INVALID_INPUT');
  });
});
