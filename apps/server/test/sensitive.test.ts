import { execFileSync } from 'node:child_process';
import { listProcedures, seedDemoSecrets } from '@crm/api';
import { ROLES, type Role, sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';
import { createCustomerIn, createTeamIn } from './procedure-cases';

/** Canary values: valid check digits, found nowhere else. */
const NATIONAL_ID = '440304198803151233';
const BANK_CARD = '6217000000123456786';
const PASSPORT = 'E12345678';
const OTHER_ID = '510108198506203458';
const CANARIES = [NATIONAL_ID, BANK_CARD, PASSPORT, OTHER_ID];

let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;
const clients = {} as Record<Role, TrpcClient>;
let customerId: string;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Full canary values, and any Luhn-valid 13–19 digit run, in a response body. */
function fullValuesIn(body: string): number {
  let count = 0;
  for (const canary of CANARIES) count += body.split(canary).length - 1;
  for (const match of body.match(/(?<!\d)\d{13,19}(?!\d)/g) ?? []) {
    if (luhnValid(match) && !/^0+$/.test(match) && !/^1\d{12}$/.test(match)) count += 1;
  }
  return count;
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '敏感字段测试企业');
  other = await seedTenant(server.database, '另一家企业');
  // The manager and the rep share a team, so the manager sees the rep's customers.
  const teamId = await createTeamIn(server, tenant.tenantId);
  await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .updateTable('memberships')
      .set({ team_id: teamId })
      .where('tenant_id', '=', tenant.tenantId)
      .where('user_id', 'in', [tenant.users.sales_manager.id, tenant.users.sales_rep.id])
      .execute(),
  );
  for (const role of ROLES)
    clients[role] = await signedInClient(server, tenant.users[role].id, tenant.tenantId);
  const field = await clients.owner.call('customFields.create', {
    key: 'passport',
    labelZh: '护照号',
    labelEn: 'Passport',
    type: 'text',
    sensitive: true,
  });
  expect(field.error, JSON.stringify(field.error)).toBeNull();
  const created = await clients.sales_manager.call('customers.create', {
    name: '王敏',
    kind: 'person',
    ownerUserId: tenant.users.sales_rep.id,
    nationalId: ' 4403 0419 8803 1512 33 ',
    bankCard: '6217-0000-0012-3456-786',
    customFields: { passport: PASSPORT },
  });
  expect(created.error, JSON.stringify(created.error)).toBeNull();
  customerId = created.data.id;
});
afterAll(() => server.destroy());

describe('sensitive fields', () => {
  it('stores values encrypted and answers with the last four only', async () => {
    const got = await clients.sales_rep.call('customers.get', { id: customerId });
    expect(got.error).toBeNull();
    expect(got.data.sensitive).toEqual({
      national_id: '**** 1233',
      bank_card: '**** 6786',
      'custom:passport': '**** 5678',
    });
    expect(got.data.customFields).toEqual({});
    const rows = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx.selectFrom('customer_secrets').selectAll().where('customer_id', '=', customerId).execute(),
    );
    expect(rows.map((row) => row.field).sort()).toEqual(['bank_card', 'custom:passport', 'national_id']);
    for (const row of rows) {
      expect(row.ciphertext).toMatch(/^v1:1:[A-Za-z0-9_-]+$/);
      for (const canary of CANARIES) expect(row.ciphertext).not.toContain(canary);
      expect(row.blind_index).toMatch(/^[0-9a-f]{8}$/);
    }
  });

  it('validates check digits, with messages in both languages', async () => {
    const badId = await clients.owner.call('customers.create', {
      name: '错号',
      kind: 'person',
      nationalId: '440304198803151234',
    });
    expect(badId.error?.appCode).toBe('INVALID_NATIONAL_ID');
    expect(badId.error?.message).toContain('校验码');
    expect(badId.error?.fieldErrors?.[0]?.path).toBe('nationalId');
    const badDate = await clients.owner.call('customers.create', {
      name: '错号',
      kind: 'person',
      nationalId: '440304198802301232',
    });
    expect(badDate.error?.appCode).toBe('INVALID_NATIONAL_ID');
    const english = server.client({ cookie: clients.owner.cookie, headers: { 'x-locale': 'en' } });
    const badCard = await english.call('customers.create', {
      name: 'Bad card',
      kind: 'person',
      bankCard: '6217000000123456787',
    });
    expect(badCard.error?.appCode).toBe('INVALID_BANK_CARD');
    expect(badCard.error?.message).toBe(
      'Invalid bank card number: the check digit does not match; check the number',
    );
  });

  it('accepts a 15-digit legacy number as its 18-digit form', async () => {
    const created = await clients.owner.call('customers.create', {
      name: '老身份证',
      kind: 'person',
      nationalId: '440304880315123',
    });
    expect(created.error, JSON.stringify(created.error)).toBeNull();
    const revealed = await clients.owner.call('customers.revealSensitive', {
      customerId: created.data.id,
      field: 'national_id',
    });
    expect(revealed.data.value).toBe(NATIONAL_ID);
  });

  it('reveals to an allowed role, audited, never cached; refuses a sales rep', async () => {
    const denied = await clients.sales_rep.call('customers.revealSensitive', {
      customerId,
      field: 'national_id',
    });
    expect(denied.error?.appCode).toBe('FORBIDDEN');
    const revealed = await clients.sales_manager.call('customers.revealSensitive', {
      customerId,
      field: 'national_id',
    });
    expect(revealed.error).toBeNull();
    expect(revealed.data).toEqual({ field: 'national_id', value: NATIONAL_ID });
    const response = await server.app.request('http://localhost:3000/trpc/customers.revealSensitive', {
      method: 'POST',
      headers: {
        cookie: clients.sales_manager.cookie ?? '',
        origin: 'http://localhost:3000',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ customerId, field: 'bank_card' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const custom = await clients.sales_manager.call('customers.revealSensitive', {
      customerId,
      field: 'custom:passport',
    });
    expect(custom.data.value).toBe(PASSPORT);

    const audit = await server.database.withTenant(tenant.tenantId, (trx) =>
      trx
        .selectFrom('audit_log')
        .select(['actor_user_id', 'action', 'changes', 'customer_id'])
        .where('customer_id', '=', customerId)
        .where('action', '=', 'reveal')
        .orderBy('occurred_at')
        .execute(),
    );
    expect(audit.map((row) => Object.keys(row.changes)[0])).toEqual([
      'national_id',
      'bank_card',
      'custom:passport',
    ]);
    expect(audit.every((row) => row.actor_user_id === tenant.users.sales_manager.id)).toBe(true);

    const timeline = await clients.sales_rep.call('customers.timeline', { id: customerId });
    const reveals = timeline.data.items.filter(
      (item: { data: { action?: string } }) => item.data.action === 'reveal',
    );
    expect(reveals).toHaveLength(3);
    expect(reveals[0].actorName).toBe(tenant.users.sales_manager.name);
  });

  it('keeps reveal within record access and the tenant', async () => {
    // A customer outside the manager's team: not visible, so not revealable either.
    const outside = await clients.owner.call('customers.create', {
      name: '团队外客户',
      kind: 'person',
      ownerUserId: tenant.users.owner.id,
      nationalId: OTHER_ID,
    });
    expect(outside.error).toBeNull();
    const hidden = await clients.sales_manager.call('customers.revealSensitive', {
      customerId: outside.data.id,
      field: 'national_id',
    });
    expect(hidden.error?.appCode).toBe('CUSTOMER_NOT_FOUND');
    const foreign = await signedInClient(server, other.users.owner.id, other.tenantId);
    const result = await foreign.call('customers.revealSensitive', { customerId, field: 'national_id' });
    expect(result.error?.appCode).toBe('CUSTOMER_NOT_FOUND');
    const missing = await clients.owner.call('customers.revealSensitive', {
      customerId,
      field: 'custom:nothing',
    });
    expect(missing.error?.appCode).toBe('SENSITIVE_VALUE_NOT_FOUND');
  });

  it('finds a customer by the exact number (any spacing or width), not by a part of it', async () => {
    const spaced = await clients.sales_rep.call('customers.list', { search: '４４０３０４ 1988 0315 1233' });
    expect(spaced.error).toBeNull();
    expect(spaced.data.items.map((item: { id: string }) => item.id)).toContain(customerId);
    const card = await clients.owner.call('customers.list', { search: BANK_CARD });
    expect(card.data.items.map((item: { id: string }) => item.id)).toEqual([customerId]);
    const part = await clients.owner.call('customers.list', { search: '1988031512' });
    expect(part.data.items.map((item: { id: string }) => item.id)).not.toContain(customerId);
    const elsewhere = await signedInClient(server, other.users.owner.id, other.tenantId);
    const foreign = await elsewhere.call('customers.list', { search: NATIONAL_ID });
    expect(foreign.data.items).toEqual([]);
  });

  it('finds by identity number through a POST, within record access and the tenant', async () => {
    const found = await clients.sales_rep.call('customers.findByIdentity', {
      value: '４４０３０４-19880315-1233',
    });
    expect(found.error).toBeNull();
    expect(found.data.recognised).toBe(true);
    expect(found.data.items.map((item: { id: string }) => item.id)).toContain(customerId);
    expect(found.data.items[0].sensitive.national_id).toBe('**** 1233');
    expect(fullValuesIn(found.body)).toBe(0);
    const text = await clients.owner.call('customers.findByIdentity', { value: '王敏' });
    expect(text.data).toEqual({ items: [], recognised: false });
    const elsewhere = await signedInClient(server, other.users.owner.id, other.tenantId);
    const foreign = await elsewhere.call('customers.findByIdentity', { value: NATIONAL_ID });
    expect(foreign.data).toEqual({ items: [], recognised: true });
  });

  it('audits changes masked: audit log, timeline and logs hold no plaintext', async () => {
    const updated = await clients.sales_manager.call('customers.update', {
      id: customerId,
      nationalId: OTHER_ID,
      bankCard: null,
    });
    expect(updated.error, JSON.stringify(updated.error)).toBeNull();
    expect(updated.data.sensitive).toEqual({ national_id: '**** 3458', 'custom:passport': '**** 5678' });
    const audit = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows } = await sql<{
        text: string;
      }>`select string_agg(a::text, '|') as text from audit_log a`.execute(trx);
      return rows[0]?.text ?? '';
    });
    expect(fullValuesIn(audit)).toBe(0);
    expect(audit).toContain('**** 3458');
    const timeline = await clients.sales_rep.call('customers.timeline', { id: customerId, limit: 100 });
    expect(fullValuesIn(timeline.body)).toBe(0);
    const changes = timeline.data.items.map((item: { data: { changes?: unknown } }) => item.data.changes);
    expect(changes).toContainEqual({
      national_id: { from: '**** 1233', to: '**** 3458' },
      bank_card: { from: '**** 6786', to: null },
    });
    expect(fullValuesIn(JSON.stringify(server.logger.lines))).toBe(0);
    // Back as it was, for the matrix below.
    await clients.sales_manager.call('customers.update', {
      id: customerId,
      nationalId: NATIONAL_ID,
      bankCard: BANK_CARD,
    });
  });

  it('T1.5: no role receives a full value from any customer read or write, except through reveal', async () => {
    const reads: [string, unknown][] = [
      ['customers.list', {}],
      ['customers.list', { search: NATIONAL_ID }],
      ['customers.get', { id: customerId }],
      ['customers.profile', { id: customerId }],
      ['customers.timeline', { id: customerId, limit: 100 }],
    ];
    let checked = 0;
    let unauthorised = 0;
    for (const role of ROLES) {
      for (const [path, input] of reads) {
        const result = await clients[role].call(path, input);
        unauthorised += fullValuesIn(result.body);
        checked += 1;
      }
      const lookup = await clients[role].call('customers.findByIdentity', { value: NATIONAL_ID });
      unauthorised += fullValuesIn(lookup.body);
      const update = await clients[role].call('customers.update', {
        id: customerId,
        industry: `行业${role}`,
      });
      unauthorised += fullValuesIn(update.body);
      const created = await clients[role].call('customers.create', {
        name: `新客户${role}`,
        kind: 'person',
        nationalId: OTHER_ID,
        bankCard: BANK_CARD,
      });
      unauthorised += fullValuesIn(created.body);
      const reveal = await clients[role].call('customers.revealSensitive', {
        customerId,
        field: 'national_id',
      });
      const mayReveal = ['owner', 'admin', 'sales_manager'].includes(role);
      expect(reveal.ok, role).toBe(mayReveal);
      if (!mayReveal) unauthorised += fullValuesIn(reveal.body);
    }
    expect(checked).toBe(ROLES.length * reads.length);
    expect(unauthorised).toBe(0);
    // Every procedure that can return a customer is covered above or returns none.
    const customerProcedures = listProcedures()
      .map((procedure) => procedure.path)
      .filter((path) => path.startsWith('customers.'));
    expect(customerProcedures).toContain('customers.revealSensitive');
  });

  it('T4.6: a dump of the database holds no canary plaintext', async () => {
    if (server.testDatabase.kind !== 'postgres' || !server.testDatabase.adminUrl) return;
    const dump = execFileSync('pg_dump', [server.testDatabase.adminUrl], {
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    expect(dump).toContain('customer_secrets');
    let hits = 0;
    for (const canary of CANARIES) hits += dump.split(canary).length - 1;
    expect({ plaintextHits: hits }).toEqual({ plaintextHits: 0 });
  });

  it('filters a sensitive custom field by presence only', async () => {
    const present = await clients.owner.call('customers.list', {
      custom: [{ key: 'passport', op: 'notEmpty' }],
    });
    expect(present.data.items.map((item: { id: string }) => item.id)).toContain(customerId);
    const absent = await clients.owner.call('customers.list', { custom: [{ key: 'passport', op: 'empty' }] });
    expect(absent.data.items.map((item: { id: string }) => item.id)).not.toContain(customerId);
    const contains = await clients.owner.call('customers.list', {
      custom: [{ key: 'passport', op: 'contains', value: 'E123' }],
    });
    expect(contains.error?.appCode).toBe('CUSTOM_FILTER_INVALID');
  });

  it('custom fields: only text can be sensitive; a field with values cannot change sides', async () => {
    const number = await clients.owner.call('customFields.create', {
      key: 'score',
      labelZh: '评分',
      labelEn: 'Score',
      type: 'number',
      sensitive: true,
    });
    expect(number.error?.appCode).toBe('CUSTOM_FIELD_SENSITIVE_TEXT_ONLY');
    const list = await clients.owner.call('customFields.list');
    const passport = list.data.find((field: { key: string }) => field.key === 'passport');
    expect(passport.sensitive).toBe(true);
    const flip = await clients.owner.call('customFields.update', { id: passport.id, sensitive: false });
    expect(flip.error?.appCode).toBe('CUSTOM_FIELD_SENSITIVE_LOCKED');
  });

  it('demo seed: valid numbers, encrypted through the same path', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 4; index += 1)
      ids.push(await createCustomerIn(server, other.tenantId, `演示${index}`));
    // A national ID and a bank card belong to individuals: a company gets none.
    expect(await seedDemoSecrets(server.database, [other.tenantId])).toBe(0);
    await server.database.withTenant(other.tenantId, (trx) =>
      trx.updateTable('customers').set({ kind: 'person' }).where('id', 'in', ids).execute(),
    );
    expect(await seedDemoSecrets(server.database, [other.tenantId])).toBe(4);
    const owner = await signedInClient(server, other.users.owner.id, other.tenantId);
    const list = await owner.call('customers.list', {});
    const withSecrets = list.data.items.filter(
      (item: { sensitive: Record<string, string> }) => item.sensitive.national_id,
    );
    expect(withSecrets).toHaveLength(4);
    for (const item of withSecrets) {
      for (const field of Object.keys(item.sensitive)) {
        const revealed = await owner.call('customers.revealSensitive', { customerId: item.id, field });
        // The product's own validation accepts what the seed wrote.
        const again = await owner.call('customers.update', {
          id: item.id,
          [field === 'national_id' ? 'nationalId' : 'bankCard']: revealed.data.value,
        });
        expect(again.error, `${field} ${JSON.stringify(again.error)}`).toBeNull();
      }
    }
  });
});
