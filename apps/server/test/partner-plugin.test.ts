import insurance from '@crm/example-insurance';
import b2b from '@crm/plugin-b2b';
import corporateBanking from '@crm/plugin-corporate-banking';
import retail from '@crm/plugin-retail';
import { bilingual, definePlugin, settingsIssue } from '@crm/plugin-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIGURED_PLUGINS, createServerPluginRegistry } from '../src/plugins';
import { createTestServer, TEST_PASSWORD, type TestServer } from './helpers';

/**
 * A fifth profile written as a partner would, with a rule across two of its settings: the
 * server runs it beside the four others, and an administrator who breaks the rule sees the
 * plugin's own message on the field, in zh-CN and en — not a generic "invalid".
 */
const renewal = z
  .object({
    firstReminderDays: z
      .number()
      .int()
      .min(-90)
      .max(-1)
      .default(-30)
      .meta({ labels: bilingual('首次续保提醒', 'First renewal reminder') }),
    chaseDays: z
      .number()
      .int()
      .min(-90)
      .max(-1)
      .default(-7)
      .meta({ labels: bilingual('续保催办', 'Renewal chase') }),
  })
  .prefault({})
  .refine(
    (value) => value.chaseDays > value.firstReminderDays,
    settingsIssue(
      '续保催办须晚于首次续保提醒',
      'The renewal chase must come after the first renewal reminder',
      ['chaseDays'],
    ),
  )
  .meta({ labels: bilingual('续保', 'Renewals') });

const wealth = definePlugin({
  id: 'wealth',
  version: '1.0.0',
  sdk: '^1.0.0',
  labels: bilingual('财富管理', 'Wealth management'),
  settings: { schema: z.object({ renewal }), version: 1 },
});

let server: TestServer;

beforeAll(async () => {
  server = await createTestServer({
    plugins: (logger) =>
      createServerPluginRegistry(logger, [retail, b2b, corporateBanking, insurance, wealth]),
  });
});
afterAll(() => server.destroy());

describe('a fifth, partner-written profile', () => {
  it('loads beside the others (the configured list is not pinned by the suite)', () => {
    expect(server.dependencies.plugins.refused).toEqual([]);
    expect(server.dependencies.plugins.plugins.map((plugin) => plugin.id)).toEqual([
      ...CONFIGURED_PLUGINS.map((plugin) => (plugin as { id: string }).id).filter((id) => id !== 'insurance'),
      'insurance',
      'wealth',
    ]);
  });

  it("an admin who breaks the plugin's own settings rule sees the plugin's message on the field, in zh-CN and en", async () => {
    const client = server.client({});
    const signedUp = await client.call('auth.signUp', {
      tenantName: '恒信财富',
      industry: 'wealth',
      name: '财富管理员',
      email: 'owner@wealth.example.com',
      password: TEST_PASSWORD,
    });
    expect(signedUp.error).toBeNull();
    const broken = { renewal: { firstReminderDays: -10, chaseDays: -20 } };
    for (const [locale, text] of [
      ['zh-CN', '续保催办须晚于首次续保提醒'],
      ['en', 'The renewal chase must come after the first renewal reminder'],
    ] as const) {
      const result = await client.call(
        'industry.save',
        { settings: broken, expectedVersion: 0 },
        { 'x-locale': locale },
      );
      expect(result.error?.appCode).toBe('INDUSTRY_SETTINGS_INVALID');
      expect(result.error?.fieldErrors).toContainEqual({ path: 'renewal.chaseDays', message: text });
      const preview = await client.call('industry.preview', { settings: broken }, { 'x-locale': locale });
      expect(preview.error?.fieldErrors).toContainEqual({ path: 'renewal.chaseDays', message: text });
    }
    const fine = await client.call('industry.save', {
      settings: { renewal: { firstReminderDays: -30, chaseDays: -3 } },
      expectedVersion: 0,
    });
    expect(fine.error).toBeNull();
  });
});
