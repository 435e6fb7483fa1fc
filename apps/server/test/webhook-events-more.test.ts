import {
  announceOverdueTasks,
  createTasks,
  jobScope,
  mergeCustomers,
  pluginTierSource,
  replyTicket,
  retierTenantAndReplan,
} from '@crm/api';
import type { Database, Transaction } from '@crm/db';
import { describe, expect, it } from 'vitest';
import { createCustomerIn } from './procedure-cases';
import { subscribedTenantSuite } from './webhook-events-setup';

/**
 * The events of customers' merges and archiving, re-tiers, tasks and ticket replies: each
 * written to the outbox in the transaction of its change (docs/api.md) — when the change
 * commits, and not at all when it rolls back.
 */
const suite = subscribedTenantSuite();
const { events, deliveries, rolledBack, as } = suite;

const ownerAccess = () => ({
  userId: suite.tenant.users.owner.id,
  teamId: null,
  scope: 'all' as const,
  taskScope: 'all' as const,
  leadScope: 'all' as const,
});

describe('the events reserved until now', () => {
  it('customer.archived once when a customer is archived, none when the archive rolls back', async () => {
    const admin = await as('admin');
    const a = await createCustomerIn(suite.server, suite.tenant.tenantId, `归档客户A${Date.now()}`);
    const b = await createCustomerIn(suite.server, suite.tenant.tenantId, `归档客户B${Date.now()}`);

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
    const survivorId = await createCustomerIn(suite.server, suite.tenant.tenantId, `合并存续${Date.now()}`);
    const mergedId = await createCustomerIn(suite.server, suite.tenant.tenantId, `合并并入${Date.now()}`);
    const merge = (trx: Transaction<Database>) =>
      mergeCustomers(
        { trx, tenantId: suite.tenant.tenantId, userId: suite.tenant.users.owner.id, access: ownerAccess() },
        { survivorId, mergedId, choices: {} },
      );
    await rolledBack(merge);
    expect(await events('customer.merged')).toEqual([]);

    const { mergeId } = await suite.server.database.withTenant(suite.tenant.tenantId, merge);
    expect((await events('customer.merged')).map((event) => event.payload)).toEqual([
      expect.objectContaining({ id: survivorId, mergedId, mergeId, fields: expect.any(Array) }),
    ]);
  });

  it('tier.changed for each customer a re-tier moves, in the re-tier statement; none when it rolls back', async () => {
    const ids = [
      await createCustomerIn(suite.server, suite.tenant.tenantId, `分层客户A${Date.now()}`),
      await createCustomerIn(suite.server, suite.tenant.tenantId, `分层客户B${Date.now()}`),
    ];
    const resolve = pluginTierSource(suite.server.dependencies.plugins);
    const retier = async (trx: Transaction<Database>) => {
      const source = await resolve(trx, suite.tenant.tenantId);
      if (!source) throw new Error('the b2b suite.tenant has no tier model');
      return retierTenantAndReplan(jobScope(trx, suite.tenant.tenantId), source, {
        reason: 'settings',
        changedBy: suite.tenant.users.admin.id,
      });
    };
    await rolledBack(retier);
    expect(await events('tier.changed')).toEqual([]);

    const { moved } = await suite.server.database.withTenant(suite.tenant.tenantId, retier);
    const changed = await events('tier.changed');
    // Every customer got a first tier: one event per move, nothing else.
    expect(changed).toHaveLength(moved);
    for (const id of ids) {
      expect(changed.find((event) => event.payload.id === id)?.payload).toMatchObject({
        id,
        from: null,
        to: expect.stringMatching(/^b2b_/),
        reason: 'settings',
        changedBy: suite.tenant.users.admin.id,
      });
    }
    // A second run moves nobody and announces nothing.
    await suite.server.database.withTenant(suite.tenant.tenantId, retier);
    expect(await events('tier.changed')).toHaveLength(moved);
  });

  it('task.created and task.completed when they commit, none when they roll back', async () => {
    const rep = await as('sales_rep');
    const customerId = await createCustomerIn(
      suite.server,
      suite.tenant.tenantId,
      `任务客户${Date.now()}`,
      false,
      suite.tenant.users.sales_rep.id,
    );
    await rolledBack((trx) =>
      createTasks(jobScope(trx, suite.tenant.tenantId), [
        {
          title: '回滚的任务',
          type: 'callback',
          customerId,
          ownerUserId: suite.tenant.users.sales_rep.id,
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
    const customerId = await createCustomerIn(suite.server, suite.tenant.tenantId, `逾期客户${Date.now()}`);
    const make = (title: string, dueOn: string) => ({
      title,
      type: 'callback' as const,
      customerId,
      ownerUserId: suite.tenant.users.sales_rep.id,
      dueOn,
      source: 'rule' as const,
      sourceKey: `test:${title}:${crypto.randomUUID()}`,
    });
    await suite.server.database.withTenant(suite.tenant.tenantId, (trx) =>
      createTasks(jobScope(trx, suite.tenant.tenantId), [
        make('昨天到期', '2031-05-09'),
        make('今天到期', '2031-05-10'),
        make('一个月前到期', '2031-04-10'),
      ]),
    );
    const scan = (trx: Transaction<Database>) =>
      announceOverdueTasks(jobScope(trx, suite.tenant.tenantId), '2031-05-10');
    await rolledBack(scan);
    expect(await events('task.overdue')).toEqual([]);

    expect(await suite.server.database.withTenant(suite.tenant.tenantId, scan)).toBe(1);
    expect(await suite.server.database.withTenant(suite.tenant.tenantId, scan)).toBe(0);
    const overdue = await events('task.overdue');
    expect(overdue.map((event) => [event.payload.title, event.payload.dueOn])).toEqual([
      ['昨天到期', '2031-05-09'],
    ]);

    // The next day the task due today is overdue in turn, once.
    await suite.server.database.withTenant(suite.tenant.tenantId, (trx) =>
      announceOverdueTasks(jobScope(trx, suite.tenant.tenantId), '2031-05-11'),
    );
    expect((await events('task.overdue')).map((event) => event.payload.title)).toEqual([
      '昨天到期',
      '今天到期',
    ]);
  });

  it('ticket.replied for replies between the team and the customer, not for internal notes nor a rollback', async () => {
    const agent = await as('service_agent');
    const customerId = await createCustomerIn(suite.server, suite.tenant.tenantId, `回复客户${Date.now()}`);
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
        jobScope(trx, suite.tenant.tenantId),
        { plugins: suite.server.dependencies.plugins, jobs: suite.server.dependencies.jobs },
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
        authorUserId: suite.tenant.users.service_agent.id,
        status: 'in_progress',
      }),
    ]);
  });
});
