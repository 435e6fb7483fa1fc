import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  TEST_PASSWORD,
  type TestServer,
} from './helpers';

let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '成员测试企业');
});
afterAll(() => server.destroy());

describe('sign-up and organisations', () => {
  it('signs up a tenant with its owner, then lets the same person add and switch organisations', async () => {
    const client = server.client();
    const signedUp = await client.call('auth.signUp', {
      tenantName: '第一家企业',
      industry: 'corporate-banking',
      name: '周经理',
      email: 'Zhou@Example.com',
      password: TEST_PASSWORD,
    });
    expect(signedUp.error).toBeNull();
    expect(signedUp.data.user.email).toBe('zhou@example.com');
    expect(signedUp.data.tenant).toMatchObject({ name: '第一家企业', industry: 'corporate-banking' });
    const current = await client.call('tenants.current');
    expect(current.data).toMatchObject({ name: '第一家企业', role: 'owner' });
    expect(current.data.permissions).toContain('members.invite');

    // Signing up again with the same email and its own password adds a second organisation.
    const again = await server.client().call('auth.signUp', {
      tenantName: '第二家企业',
      industry: 'retail',
      name: '周经理',
      email: 'zhou@example.com',
      password: TEST_PASSWORD,
    });
    expect(again.error).toBeNull();
    // ...but not with someone else's password.
    const impostor = await server.client().call('auth.signUp', {
      tenantName: '冒名',
      industry: 'retail',
      name: 'x',
      email: 'zhou@example.com',
      password: 'not the password',
    });
    expect(impostor.error?.appCode).toBe('SIGN_UP_EMAIL_UNAVAILABLE');

    const created = await client.call('tenants.create', { name: '第三家企业', industry: 'b2b' });
    expect((await client.call('tenants.current')).data.name).toBe('第三家企业');
    const tenants = await client.call('tenants.list');
    expect(tenants.data.map((item: { name: string }) => item.name)).toEqual([
      '第一家企业',
      '第三家企业',
      '第二家企业',
    ]);
    expect(tenants.data.find((item: { active: boolean }) => item.active).id).toBe(created.data.id);

    await client.call('customers.create', { name: '只属于第三家', kind: 'person' });
    const first = tenants.data.find((item: { name: string }) => item.name === '第一家企业');
    await client.call('tenants.switch', { tenantId: first.id });
    expect((await client.call('tenants.current')).data.name).toBe('第一家企业');
    expect((await client.call('customers.list', {})).data.items).toEqual([]);
    const notMine = await client.call('tenants.switch', { tenantId: tenant.tenantId });
    expect(notMine.error?.appCode).toBe('NOT_A_MEMBER');
  });
});

describe('members and invitations', () => {
  it('invites by link, shows the invitation, and adds the member with the role on acceptance', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    const invitation = await admin.call('members.invitations.create', {
      role: 'sales_rep',
      email: 'new.rep@example.com',
    });
    expect(invitation.error).toBeNull();
    const token: string = invitation.data.token;
    expect(token.startsWith(`${tenant.tenantId}.`)).toBe(true);
    expect(
      (await admin.call('members.invitations.list')).data.map((item: { id: string }) => item.id),
    ).toContain(invitation.data.id);

    const invitee = server.client();
    const preview = await invitee.call('members.invitations.preview', { token });
    expect(preview.data).toEqual({
      tenantName: '成员测试企业',
      role: 'sales_rep',
      email: 'new.rep@example.com',
      inviterName: tenant.users.admin.name,
    });
    const wrongEmail = await invitee.call('members.invitations.acceptAsNewUser', {
      token,
      name: '新销售',
      email: 'other@example.com',
      password: TEST_PASSWORD,
    });
    expect(wrongEmail.error?.appCode).toBe('INVITATION_EMAIL_MISMATCH');
    const joined = await invitee.call('members.invitations.acceptAsNewUser', {
      token,
      name: '新销售',
      email: 'new.rep@example.com',
      password: TEST_PASSWORD,
    });
    expect(joined.error).toBeNull();
    expect((await invitee.call('tenants.current')).data).toMatchObject({
      id: tenant.tenantId,
      role: 'sales_rep',
    });

    const members = await admin.call('members.list');
    expect(
      members.data.find((member: { email: string }) => member.email === 'new.rep@example.com').role,
    ).toBe('sales_rep');
    // A used link is dead, and says so the same way as a forged one.
    const reused = await server.client().call('members.invitations.preview', { token });
    expect(reused.error?.appCode).toBe('INVITATION_INVALID');
    const forged = await server
      .client()
      .call('members.invitations.preview', { token: `${token.slice(0, -4)}aaaa` });
    expect(forged.error?.appCode).toBe('INVITATION_INVALID');
  });

  it('lets an existing user accept, refuses revoked and expired links, and never hands out ownership', async () => {
    const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    const outsider = await seedTenant(server.database, '外部企业');
    const link = await owner.call('members.invitations.create', { role: 'analyst' });
    const guest = await signedInClient(server, outsider.users.viewer.id, outsider.tenantId);
    const accepted = await guest.call('members.invitations.accept', { token: link.data.token });
    expect(accepted.data.activeTenantId).toBe(tenant.tenantId);
    expect((await guest.call('tenants.current')).data.role).toBe('analyst');
    expect((await guest.call('tenants.list')).data).toHaveLength(2);

    const revoked = await owner.call('members.invitations.create', { role: 'viewer' });
    await owner.call('members.invitations.revoke', { id: revoked.data.id });
    expect(
      (await guest.call('members.invitations.preview', { token: revoked.data.token })).error?.appCode,
    ).toBe('INVITATION_INVALID');

    const expiring = await owner.call('members.invitations.create', { role: 'viewer' });
    await server.database.withTenant(tenant.tenantId, (trx) =>
      sql`update invitations set expires_at = now() - interval '1 second' where id = ${expiring.data.id}`.execute(
        trx,
      ),
    );
    expect(
      (await guest.call('members.invitations.preview', { token: expiring.data.token })).error?.appCode,
    ).toBe('INVITATION_INVALID');

    const ownership = await owner.call('members.invitations.create', { role: 'owner' });
    expect(ownership.error?.appCode).toBe('INVALID_INPUT');
  });

  it('changes roles and removes members, but never the owner or oneself', async () => {
    const admin = await signedInClient(server, tenant.users.admin.id, tenant.tenantId);
    expect(
      (await admin.call('members.updateRole', { userId: tenant.users.viewer.id, role: 'marketing' })).data
        .role,
    ).toBe('marketing');
    const viewer = await signedInClient(server, tenant.users.viewer.id, tenant.tenantId);
    expect((await viewer.call('tenants.current')).data.permissions).toEqual([
      'customers.read',
      'customers.create',
      'customers.tag',
      'customers.import',
      'customers.export',
      'tags.manage',
      'views.share',
      'interactions.write',
      'tasks.write',
      'notifications.own',
      'leads.create',
      'campaigns.manage',
      'surveys.send',
      'surveys.manage',
      'surveys.results',
      'loyalty.write',
    ]);
    expect(
      (await admin.call('members.updateRole', { userId: tenant.users.owner.id, role: 'viewer' })).error
        ?.appCode,
    ).toBe('CANNOT_CHANGE_OWNER');
    expect(
      (await admin.call('members.updateRole', { userId: tenant.users.admin.id, role: 'viewer' })).error
        ?.appCode,
    ).toBe('CANNOT_CHANGE_SELF');
    expect((await admin.call('members.remove', { userId: tenant.users.owner.id })).error?.appCode).toBe(
      'CANNOT_CHANGE_OWNER',
    );
    expect((await admin.call('members.remove', { userId: crypto.randomUUID() })).error?.appCode).toBe(
      'MEMBER_NOT_FOUND',
    );
    expect((await admin.call('members.remove', { userId: tenant.users.analyst.id })).error).toBeNull();
    const removed = await signedInClient(server, tenant.users.analyst.id, tenant.tenantId);
    expect((await removed.call('customers.list', {})).error?.appCode).toBe('NOT_A_MEMBER');
  });
});
