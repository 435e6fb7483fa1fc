import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/*
 * Saved views of the 线索 and 商机 lists (views.searches, views.saveSearch, views.delete): a
 * member's own and the shared ones, the filters checked as the list's URL carries them, saved
 * again under the same name to change them, kept apart from the customer list's views.
 */

let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '列表视图测试企业', 'b2b');
  other = await seedTenant(server.database, '列表视图另一家', 'b2b');
}, 180_000);

async function as(role: keyof SeededTenant['users']): Promise<TrpcClient> {
  return signedInClient(server, tenant.users[role].id, tenant.tenantId);
}

describe('saved views of the leads and opportunities lists', () => {
  it('saves, lists, replaces by name, shares and deletes', async () => {
    const rep = await as('sales_rep');
    const manager = await as('sales_manager');
    const saved = await rep.call('views.saveSearch', {
      list: 'leads',
      name: '超时的 A 级',
      search: { grades: ['A'], sla: ['overdue'], owner: 'me' },
    });
    expect(saved.error).toBeNull();
    expect(saved.data).toMatchObject({
      list: 'leads',
      name: '超时的 A 级',
      shared: false,
      mine: true,
      search: { grades: ['A'], sla: ['overdue'], owner: 'me' },
    });

    // The same name again changes its filters, not a second view.
    const again = await rep.call('views.saveSearch', {
      list: 'leads',
      name: '超时的 A 级',
      search: { grades: ['A', 'B'], sla: ['overdue'] },
    });
    expect(again.data.id).toBe(saved.data.id);
    const leadsViews = (await rep.call('views.searches', { list: 'leads' })).data;
    expect(leadsViews).toHaveLength(1);
    expect(leadsViews[0].search).toEqual({ grades: ['A', 'B'], sla: ['overdue'] });

    // Each list its own: the opportunities list and the customer list do not show it.
    expect((await rep.call('views.searches', { list: 'opportunities' })).data).toEqual([]);
    expect((await rep.call('views.list')).data).toEqual([]);
    // The customer list's update does not touch it.
    expect((await rep.call('views.update', { id: saved.data.id, name: '改名' })).error?.appCode).toBe(
      'VIEW_NOT_FOUND',
    );

    // A rep may not share; a manager may, and the rep sees the shared one.
    expect(
      (await rep.call('views.saveSearch', { list: 'opportunities', name: '共享', shared: true, search: {} }))
        .error?.appCode,
    ).toBe('FORBIDDEN');
    const shared = await manager.call('views.saveSearch', {
      list: 'opportunities',
      name: '团队看板：谈判中',
      shared: true,
      search: { view: 'board', stage: 'b2b_stage_negotiation', sort: 'amount' },
    });
    expect(shared.error).toBeNull();
    const seen = (await rep.call('views.searches', { list: 'opportunities' })).data;
    expect(seen).toEqual([
      expect.objectContaining({
        id: shared.data.id,
        mine: false,
        shared: true,
        ownerName: tenant.users.sales_manager.name,
      }),
    ]);
    // Not the rep's to delete; their own is.
    expect((await rep.call('views.delete', { id: shared.data.id })).error?.appCode).toBe('FORBIDDEN');
    expect((await rep.call('views.delete', { id: saved.data.id })).error).toBeNull();
    expect((await rep.call('views.searches', { list: 'leads' })).data).toEqual([]);
  });

  it('refuses filters the list does not take and members of another tenant', async () => {
    const rep = await as('sales_rep');
    const unknown = await rep.call('views.saveSearch', {
      list: 'leads',
      name: '坏视图',
      search: { tier: 'x' },
    });
    expect(unknown.error?.httpStatus).toBe(400);
    const badSort = await rep.call('views.saveSearch', {
      list: 'opportunities',
      name: '坏排序',
      search: { sort: 'random' },
    });
    expect(badSort.error?.httpStatus).toBe(400);
    const foreign = await rep.call('views.saveSearch', {
      list: 'leads',
      name: '别家的人',
      search: { owner: other.users.sales_rep.id },
    });
    expect(foreign.error?.appCode).toBe('OWNER_NOT_MEMBER');
    const colleague = await rep.call('views.saveSearch', {
      list: 'leads',
      name: '经理的线索',
      search: { owner: tenant.users.sales_manager.id },
    });
    expect(colleague.error).toBeNull();
  });
});
