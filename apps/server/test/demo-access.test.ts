import {
  jobScope,
  pluginTierSource,
  refreshCompleteness,
  refreshCustomerFacts,
  retierTenant,
  seedDemoSecrets,
} from '@crm/api';
import { createSession } from '@crm/auth';
import { DEMO_PASSWORD, seedDemoData } from '@crm/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer, testPasswordHash } from './helpers';

let server: TestServer;
let retailId: string;
let tenantIds: Record<string, string> = {};

beforeAll(async () => {
  server = await createTestServer();
  const result = await seedDemoData(server.database, await testPasswordHash(), 60, {
    plugins: server.dependencies.plugins.plugins,
  });
  const tierSource = pluginTierSource(server.dependencies.plugins);
  for (const tenant of result.tenants) {
    await server.database.withTenant(tenant.id, async (trx) => {
      await refreshCustomerFacts(jobScope(trx, tenant.id), 'all', 'daily');
      await refreshCompleteness(jobScope(trx, tenant.id), 'all');
      const source = await tierSource(trx, tenant.id);
      if (source) await retierTenant(trx, tenant.id, 'retier', null, source);
    });
  }
  tenantIds = Object.fromEntries(result.tenants.map((tenant) => [tenant.industry, tenant.id]));
  retailId = result.tenants.find((tenant) => tenant.industry === 'retail')?.id ?? '';
  expect(DEMO_PASSWORD.length).toBeGreaterThan(7);
});
afterAll(() => server.destroy());

async function visibleOwners(email: string) {
  const user = await server.database.withoutTenant((db) =>
    db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow(),
  );
  const { token } = await server.database.withScope({}, (trx) => createSession(trx, user.id, retailId));
  const client = server.client({ cookie: `${server.dependencies.sessionCookie.name}=${token}` });
  const owners: (string | null)[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.call('customers.list', { limit: 100, cursor });
    owners.push(...page.data.items.map((item: { ownerUserId: string | null }) => item.ownerUserId));
    cursor = page.data.nextCursor;
  } while (cursor);
  return { userId: user.id, owners };
}

describe('demo tenant: who sees which customers', () => {
  it('a sales rep sees their own, the manager the whole sales team’s, the admin all', async () => {
    const admin = await visibleOwners('admin.retail@demo.example.com');
    const manager = await visibleOwners('manager.retail@demo.example.com');
    const rep1 = await visibleOwners('rep1.retail@demo.example.com');
    const rep2 = await visibleOwners('rep2.retail@demo.example.com');
    const team = new Set([manager.userId, rep1.userId, rep2.userId]);
    expect(rep1.owners.length).toBeGreaterThan(0);
    expect(rep1.owners.every((owner) => owner === rep1.userId)).toBe(true);
    expect(rep2.owners.every((owner) => owner === rep2.userId)).toBe(true);
    expect(manager.owners.every((owner) => owner !== null && team.has(owner))).toBe(true);
    expect(manager.owners.length).toBe(
      admin.owners.filter((owner) => owner !== null && team.has(owner)).length,
    );
    // The admin also sees customers nobody owns.
    expect(admin.owners.length).toBeGreaterThan(manager.owners.length);
    expect(admin.owners.some((owner) => owner === null)).toBe(true);
  });
});

describe('demo tenant: data that looks real', () => {
  it('has stages, system and free tags, custom fields and a believable completeness spread', async () => {
    const admin = await server.database.withoutTenant((db) =>
      db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'admin.retail@demo.example.com')
        .executeTakeFirstOrThrow(),
    );
    const { token } = await server.database.withScope({}, (trx) => createSession(trx, admin.id, retailId));
    const client = server.client({ cookie: `${server.dependencies.sessionCookie.name}=${token}` });
    const items: {
      lifecycleStage: string;
      tagIds: string[];
      completeness: number;
      customFields: object;
      valueLevel: string;
    }[] = [];
    let cursor: string | null = null;
    do {
      const page = await client.call('customers.list', { limit: 100, cursor });
      items.push(...page.data.items);
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(new Set(items.map((item) => item.lifecycleStage)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(items.map((item) => item.valueLevel)).size).toBeGreaterThanOrEqual(2);
    expect(items.filter((item) => item.tagIds.length > 0).length).toBeGreaterThan(items.length / 4);
    expect(items.filter((item) => Object.keys(item.customFields).length > 0).length).toBeGreaterThan(
      items.length / 4,
    );
    const summary = (await client.call('customers.completenessSummary')).data;
    expect(summary.average).toBeGreaterThan(25);
    expect(summary.average).toBeLessThan(90);
    expect(new Set(items.map((item) => item.completeness)).size).toBeGreaterThan(5);
    expect((await client.call('customFields.list')).data.length).toBeGreaterThanOrEqual(3);
    expect((await client.call('tags.list')).data.map((tag: { name: string }) => tag.name)).toContain(
      '高流失风险',
    );
  });
});

describe('demo tenants: the custom fields and tiers of their industry plugins', () => {
  const tiersOf = (industry: string) =>
    server.database.withTenant(tenantIds[industry] ?? '', async (trx) => {
      const rows = await trx
        .selectFrom('customers')
        .leftJoin('customer_tiers as placement', (join) =>
          join
            .onRef('placement.tenant_id', '=', 'customers.tenant_id')
            .onRef('placement.customer_id', '=', 'customers.id'),
        )
        .select(['placement.tier', 'customers.custom_fields'])
        .where('customers.archived_at', 'is', null)
        .execute();
      const counts: Record<string, number> = {};
      for (const row of rows) counts[row.tier ?? 'none'] = (counts[row.tier ?? 'none'] ?? 0) + 1;
      const fields = await trx
        .selectFrom('custom_field_definitions')
        .select(['key', 'source', 'sensitive'])
        .orderBy('position')
        .execute();
      return { counts, rows, fields };
    });

  it('retail: the plugin’s fields, and RFM tiers', async () => {
    const { counts, fields } = await tiersOf('retail');
    expect(fields.map((field) => field.key)).toEqual([
      'retail_member_card',
      'retail_member_grade',
      'retail_preferred_channels',
    ]);
    expect(fields.every((field) => field.source === 'plugin')).toBe(true);
    expect(counts.none).toBeUndefined();
    expect(Object.keys(counts).length).toBeGreaterThanOrEqual(3);
  });

  it('b2b: rep ratings filled, and customers spread over the weighted tiers', async () => {
    const { counts, rows, fields } = await tiersOf('b2b');
    expect(fields.map((field) => field.key)).toContain('b2b_willingness');
    const rated = rows.filter(
      (row) => (row.custom_fields as Record<string, unknown>).b2b_willingness !== undefined,
    );
    expect(rated.length).toBeGreaterThan(rows.length / 2);
    expect(counts.none).toBeUndefined();
    expect(counts.b2b_potential).toBeGreaterThan(0);
    expect((counts.b2b_strategic ?? 0) + (counts.b2b_key ?? 0)).toBeGreaterThan(0);
    expect(Object.keys(counts).length).toBeGreaterThanOrEqual(3);
  });

  it('corporate banking: KYC fields (two sensitive), and important and general clients', async () => {
    const { counts, rows, fields } = await tiersOf('corporate-banking');
    expect(fields.filter((field) => field.sensitive).map((field) => field.key)).toEqual([
      'corporate_banking_legal_rep_id_number',
      'corporate_banking_basic_account_number',
    ]);
    // Sensitive values are never stored in the clear.
    expect(rows.some((row) => 'corporate_banking_legal_rep_id_number' in (row.custom_fields as object))).toBe(
      false,
    );
    expect(counts.corporate_banking_important).toBeGreaterThan(0);
    expect(counts.corporate_banking_general).toBeGreaterThan(counts.corporate_banking_important ?? 0);
    // The demo's sensitive values go through the product's encryption.
    const bankId = tenantIds['corporate-banking'] ?? '';
    expect(await seedDemoSecrets(server.database, [bankId], 2)).toBe(2);
    const secrets = await server.database.withTenant(bankId, (trx) =>
      trx
        .selectFrom('customer_secrets')
        .select(['field', 'hint'])
        .where('field', 'like', 'custom:%')
        .execute(),
    );
    expect(secrets.map((secret) => secret.field).sort()).toEqual([
      'custom:corporate_banking_basic_account_number',
      'custom:corporate_banking_basic_account_number',
      'custom:corporate_banking_legal_rep_id_number',
      'custom:corporate_banking_legal_rep_id_number',
    ]);
  });
});
