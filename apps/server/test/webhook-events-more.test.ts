import {
  announceOverdueTasks,
  createTasks,
  defaultNetworkPolicy,
  jobScope,
  mergeCustomers,
  pluginTierSource,
  replyTicket,
  retierTenantAndReplan,
  setWebhookNetworkPolicy,
} from '@crm/api';
import type { Database, Transaction } from '@crm/db';
import { WEBHOOK_EVENT_TYPES } from '@crm/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';
import { createCustomerIn } from './procedure-cases';

/**
 * The events of customers' merges and archiving, re-tiers, tasks and ticket replies: each
 * written to the outbox in the transaction of its change (docs/api.md) — when the change
 * commits, and not at all when it rolls back.
 */
let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  // The endpoint's name resolves to a public address without DNS (nothing is delivered here).
  setWebhookNetworkPolicy({ allowHttp: false, allowPrivate: false, resolve: async () => ['93.184.216.34'] });
  server = await createTestServer();
});
beforeEach(async () => {
  tenant = await seedTenant(server.database, `事件企业 ${crypto.randomUUID().slice(0, 4)}`, 'b2b');
  const owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
  const subscribed = await owner.call('webhooks.create', {
    url: 'https://hooks.partner.example/crm',
    events: WEBHOOK_EVENT_TYPES.filter((type) => type !== 'ping'),
  });
  expect(subscribed.error).toBeNull();
}, 60_000);
afterAll(async () => {
  setWebhookNetworkPolicy(defaultNetworkPolicy());
  await server?.destroy();
});

type Event = { type: string; payload: Record<string, unknown> };

async function events(type: string): Promise<Event[]> {
  const rows = await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .selectFrom('webhook_events')
      .select(['type', 'payload'])
      .where('type', '=', type)
      .orderBy('created_at')
      .execute(),
  );
  return rows.map((row) => ({
    type: row.type,
    payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<
      string,
      unknown
    >,
  }));
}

/** How many deliveries of events of this type wait in the outbox. */
async function deliveries(type: string): Promise<number> {
  const rows = await server.database.withTenant(tenant.tenantId, (trx) =>
    trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', (join) =>
        join.onRef('e.tenant_id', '=', 'd.tenant_id').onRef('e.id', '=', 'd.event_id'),
      )
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('e.type', '=', type)
      .execute(),
  );
  return Number(rows[0]?.n ?? 0);
}

const ROLLBACK = new Error('the change rolls back');

/** Runs a change in a transaction that then fails: whatever it wrote is undone. */
async function rolledBack(work: (trx: Transaction<Database>) => Promise<unknown>): Promise<void> {
  await expect(
    server.database.withTenant(tenant.tenantId, async (trx) => {
      await work(trx);
      throw ROLLBACK;
    }),
  ).rejects.toBe(ROLLBACK);
}

const as = (role: keyof SeededTenant['users']) =>
  signedInClient(server, tenant.users[role].id, tenant.tenantId);

const ownerAccess = () => ({
  userId: tenant.users.owner.id,
  teamId: null,
  scope: 'all' as const,
  taskScope: 'all' as const,
  leadScope: 'all' as const,
});

describe('the events reserved until now', () => {
  it('customer.archived once when a customer is archived, none when the archive rolls back', async () => {
    const admin = await as('admin');
    const a = await createCustomerIn(server, tenant.tenantId, `归档客户A${Date.now()}`);
    const b = await createCustomerIn(server, tenant.tenantId, `归档客户B${Date.now()}`);

    // A batch with an unknown id fails as a whole: nothing archived, nothing announced.
    const refused = await admin.call('customers.archiveMany', { ids: [a, crypto.randomUUID()] });
    expect(refused.error?.appCode).toBe('CUSTOMER_NOT_FOUND');
    expect(await events('customer.archived')).toEqual([]);

    expect((await admin.call('customers.archive', { id: a })).error).toBeNull();
    const [archived] = await events('customer.archived');
    expect(archived?.payload).toMatchObject({ id: a, kind: 'company', archivedAt: expect.any(String) });
    expect(await deliveries('customer.archived')).toBe(1);

    // Archiving again announces nothing; a batch announces only the one archived now.
    expect((await admin.call('customers.archive', { id: a })).error).toBeNull();
    expect((await admin.call('customers.archiveMany', { ids: [a, b] })).error).toBeNull();
    expect((await events('customer.archived')).map((event) => event.payload.id)).toEqual([a, b]);
  });

  it('customer.merged when a merge commits, none when it rolls back', async () => {
    const survivorId = await createCustomerIn(server, tenant.tenantId, `合并存续${Date.now()}`);
    const mergedId = await createCustomerIn(server, tenant.tenantId, `合并并入${Date.now()}`);
    const merge = (trx: Transaction<Database>) =>
      mergeCustomers(
        { trx, tenantId: tenant.tenantId, userId: tenant.users.owner.id, access: ownerAccess() },
        { survivorId, mergedId, choices: {} },
      );
    await rolledBack(merge);
    expect(await events('customer.merged')).toEqual([]);

    const { mergeId } = await server.database.withTenant(tenant.tenantId, merge);
    expect((await events('customer.merged')).map((event) => event.payload)).toEqual([
      expect.objectContaining({ id: survivorId, mergedId, mergeId, fields: expect.any(Array) }),
    ]);
  });

  it('tier.changed for each customer a re-tier moves, in the re-tier statement; none when it rolls back', async () => {
    const ids = [
      await createCustomerIn(server, tenant.tenantId, `分层客户A${Date.now()}`),
      await createCustomerIn(server, tenant.tenantId, `分层客户B${Date.now()}`),
    ];
    const resolve = pluginTierSource(server.dependencies.plugins);
    const retier = async (trx: Transaction<Database>) => {
      const source = await resolve(trx, tenant.tenantId);
      if (!source) throw new Error('the b2b tenant has no tier model');
      return retierTenantAndReplan(jobScope(trx, tenant.tenantId), source, {
        reason: 'settings',
        changedBy: tenant.users.admin.id,
      });
    };
    await rolledBack(retier);
    expect(await events('tier.changed')).toEqual([]);

    const { moved } = await server.database.withTenant(tenant.tenantId, retier);
    const changed = await events('tier.changed');
    // Every customer got a first tier: one event per move, nothing else.
    expect(changed).toHaveLength(moved);
    for (const id of ids) {
      expect(changed.find((event) => event.payload.id === id)?.payload).toMatchObject({
        id,
        from: null,
        to: expect.stringMatching(/^b2b_/),
        reason: 'settings',
        changedBy: tenant.users.admin.id,
      });
    }
    // A second run moves nobody and announces nothing.
    await server.database.withTenant(tenant.tenantId, retier);
    expect(await events('tier.changed')).toHaveLength(moved);
  });

  it('task.created and task.completed when they commit, none when they roll back', async () => {
    const rep = await as('sales_rep');
    const customerId = await createCustomerIn(
      server,
      tenant.tenantId,
      `任务客户${Date.now()}`,
      false,
      tenant.users.sales_rep.id,
    );
    await rolledBack((trx) =>
      createTasks(jobScope(trx, tenant.tenantId), [
        {
          title: '回滚的任务',
          type: 'callback',
          customerId,
          ownerUserId: tenant.users.sales_rep.id,
          dueOn: '2031-03-01',
          source: 'rule',
        },
      ]),
    );
    expect(await events('task.created')).toEqual([]);

    const created = await rep.call('tasks.create', {
      title: '季度回访',
      type: 'callback',
      customerId,
      dueOn: '2031-03-02',
    });
    expect(created.error).toBeNull();
    const first = (created.data as { id: string }).id;
    const second = (
      (await rep.call('tasks.create', { title: '寄送样品', type: 'other', customerId, dueOn: '2031-03-03' }))
        .data as {
        id: string;
      }
    ).id;
    expect((await events('task.created')).map((event) => event.payload)).toEqual([
      expect.objectContaining({
        id: first,
        title: '季度回访',
        status: 'open',
        customerId,
        dueOn: '2031-03-02',
      }),
      expect.objectContaining({ id: second, title: '寄送样品' }),
    ]);

    // A batch with an unknown id fails as a whole: no task completed, nothing announced.
    const admin = await as('admin');
    const refused = await admin.call('tasks.bulk', {
      action: 'complete',
      target: { ids: [first, crypto.randomUUID()] },
    });
    expect(refused.error?.appCode).toBe('TASK_NOT_FOUND');
    expect(await events('task.completed')).toEqual([]);

    expect((await rep.call('tasks.complete', { id: first })).error).toBeNull();
    expect(
      (await admin.call('tasks.bulk', { action: 'complete', target: { ids: [second] } })).error,
    ).toBeNull();
    expect((await events('task.completed')).map((event) => [event.payload.id, event.payload.status])).toEqual(
      [
        [first, 'done'],
        [second, 'done'],
      ],
    );
  });

  it('task.overdue once per task from the overdue scan; not for old news, not when the scan rolls back', async () => {
    const customerId = await createCustomerIn(server, tenant.tenantId, `逾期客户${Date.now()}`);
    const make = (title: string, dueOn: string) => ({
      title,
      type: 'callback' as const,
      customerId,
      ownerUserId: tenant.users.sales_rep.id,
      dueOn,
      source: 'rule' as const,
      sourceKey: `test:${title}:${crypto.randomUUID()}`,
    });
    await server.database.withTenant(tenant.tenantId, (trx) =>
      createTasks(jobScope(trx, tenant.tenantId), [
        make('昨天到期', '2031-05-09'),
        make('今天到期', '2031-05-10'),
        make('一个月前到期', '2031-04-10'),
      ]),
    );
    const scan = (trx: Transaction<Database>) =>
      announceOverdueTasks(jobScope(trx, tenant.tenantId), '2031-05-10');
    await rolledBack(scan);
    expect(await events('task.overdue')).toEqual([]);

    expect(await server.database.withTenant(tenant.tenantId, scan)).toBe(1);
    expect(await server.database.withTenant(tenant.tenantId, scan)).toBe(0);
    const overdue = await events('task.overdue');
    expect(overdue.map((event) => [event.payload.title, event.payload.dueOn])).toEqual([
      ['昨天到期', '2031-05-09'],
    ]);

    // The next day the task due today is overdue in turn, once.
    await server.database.withTenant(tenant.tenantId, (trx) =>
      announceOverdueTasks(jobScope(trx, tenant.tenantId), '2031-05-11'),
    );
    expect((await events('task.overdue')).map((event) => event.payload.title)).toEqual([
      '昨天到期',
      '今天到期',
    ]);
  });

  it('ticket.replied for replies between the team and the customer, not for internal notes nor a rollback', async () => {
    const agent = await as('service_agent');
    const customerId = await createCustomerIn(server, tenant.tenantId, `回复客户${Date.now()}`);
    const created = await agent.call('tickets.create', {
      customerId,
      type: 'complaint',
      subject: '包装破损',
      description: '收到的货物外包装破损',
      priority: 'high',
      channel: 'phone',
    });
    expect(created.error).toBeNull();
    const ticketId = (created.data as { ticket: { id: string } }).ticket.id;

    expect(
      (await agent.call('tickets.reply', { id: ticketId, kind: 'note', body: '仓库核实中' })).error,
    ).toBeNull();
    await rolledBack((trx) =>
      replyTicket(
        jobScope(trx, tenant.tenantId),
        { plugins: server.dependencies.plugins, jobs: server.dependencies.jobs },
        { id: ticketId, kind: 'customer_reply', body: '回滚的回复' },
      ),
    );
    expect(await events('ticket.replied')).toEqual([]);

    const body = '您好，我们已安排补发，请留意物流信息。';
    expect((await agent.call('tickets.reply', { id: ticketId, body })).error).toBeNull();
    expect((await events('ticket.replied')).map((event) => event.payload)).toEqual([
      expect.objectContaining({
        id: ticketId,
        subject: '包装破损',
        customerId,
        kind: 'reply',
        body,
        authorUserId: tenant.users.service_agent.id,
        status: 'in_progress',
      }),
    ]);
  });
});
