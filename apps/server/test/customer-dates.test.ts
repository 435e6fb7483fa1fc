import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/*
 * 首次合作时间 and 纪念日 typed in the customer form, a contact's 纪念日 in the contact form
 * (issue 15): stored, validated (no first cooperation after today, in both languages), and the
 * first cooperation date is the earliest the first deal can be.
 */

let server: TestServer;
let tenant: SeededTenant;
let admin: TrpcClient;
let adminEn: TrpcClient;

/** n days from today in Beijing (negative: ago), as YYYY-MM-DD. */
function beijingDate(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '纪念日测试');
  admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
  adminEn = await signedInClient(server, tenant.users.admin.id, tenant.tenantId, {
    headers: { 'x-locale': 'en' },
  });
});
afterAll(() => server?.destroy());

describe('first cooperation date and anniversary', () => {
  it('are stored on create and update; the first deal follows the first cooperation date', async () => {
    const created = await admin.call('customers.create', {
      kind: 'company',
      name: '苏州恒润精密机械有限公司',
      firstCooperationOn: '2019-03-05',
      anniversaryOn: '2010-05-20',
    });
    expect(created.error, JSON.stringify(created.error)).toBeNull();
    expect(created.data).toMatchObject({ firstCooperationOn: '2019-03-05', anniversaryOn: '2010-05-20' });
    expect(created.data.firstDealAt?.slice(0, 10)).toBe('2019-03-04'); // midnight in Beijing, in UTC

    const updated = await admin.call('customers.update', {
      id: created.data.id,
      firstCooperationOn: '2018-01-02',
      anniversaryOn: null,
    });
    expect(updated.error, JSON.stringify(updated.error)).toBeNull();
    expect(updated.data).toMatchObject({ firstCooperationOn: '2018-01-02', anniversaryOn: null });
    expect(new Date(updated.data.firstDealAt).toISOString()).toBe('2018-01-01T16:00:00.000Z');

    // Today is fine; tomorrow is not, in the caller's language, on the field.
    expect(
      (await admin.call('customers.update', { id: created.data.id, firstCooperationOn: beijingDate(0) }))
        .error,
    ).toBeNull();
    const future = await admin.call('customers.update', {
      id: created.data.id,
      firstCooperationOn: beijingDate(1),
    });
    expect(future.error?.fieldErrors).toEqual([
      { path: 'firstCooperationOn', message: '首次合作时间不能晚于今天' },
    ]);
    const futureEn = await adminEn.call('customers.create', {
      kind: 'person',
      name: '王芳',
      firstCooperationOn: beijingDate(30),
    });
    expect(futureEn.error?.fieldErrors).toEqual([
      { path: 'firstCooperationOn', message: 'The first cooperation date cannot be later than today' },
    ]);
    // An anniversary may be any date (a day the customer keeps, this year's included).
    expect(
      (await admin.call('customers.update', { id: created.data.id, anniversaryOn: beijingDate(40) })).error,
    ).toBeNull();
  });

  it('a contact has an anniversary beside its birthday', async () => {
    const customer = (await admin.call('customers.create', { kind: 'company', name: '常州天宁纺织有限公司' }))
      .data;
    const contact = await admin.call('contacts.create', {
      customerId: customer.id,
      name: '陈静',
      birthday: '1988-03-15',
      anniversaryOn: '2015-10-01',
    });
    expect(contact.error, JSON.stringify(contact.error)).toBeNull();
    expect((await admin.call('contacts.list', { customerId: customer.id })).data).toMatchObject([
      { name: '陈静', birthday: '1988-03-15', anniversaryOn: '2015-10-01' },
    ]);
    expect(
      (await admin.call('contacts.update', { id: contact.data.id, anniversaryOn: null })).error,
    ).toBeNull();
    expect((await admin.call('contacts.list', { customerId: customer.id })).data[0].anniversaryOn).toBeNull();
    expect(
      (await admin.call('contacts.update', { id: contact.data.id, anniversaryOn: '2015-02-30' })).error
        ?.fieldErrors?.[0]?.path,
    ).toBe('anniversaryOn');
  });
});
