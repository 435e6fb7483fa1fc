import { sql } from '@crm/db';
import { describe, expect, it } from 'vitest';
import { signedInClient, uploadImportFile, useServerWithTenant } from './helpers';

/**
 * One request id through everything a request causes: the `X-Request-Id` it answers with, the
 * audit rows its transaction writes, the jobs it enqueues (run by the queue's workers), the
 * audit rows and log lines of those jobs.
 */
const setup = useServerWithTenant('请求编号测试企业');

async function auditRequestIds(entity: string): Promise<(string | null)[]> {
  return setup.server.database.withTenant(setup.tenant.tenantId, async (trx) => {
    const { rows } = await sql<{ request_id: string | null }>`
      select request_id from audit_log where entity = ${entity} and action = 'create' order by occurred_at`.execute(
      trx,
    );
    return rows.map((row) => row.request_id);
  });
}

describe('request id through jobs, audit and logs', () => {
  it("a request's audit rows carry its x-request-id, which it answers with", async () => {
    const client = await signedInClient(setup.server, setup.tenant.users.owner.id, setup.tenant.tenantId);
    const requestId = 'req-audit-0801-a';
    const created = await client.call(
      'customers.create',
      { name: '请求编号客户', kind: 'company' },
      {
        'x-request-id': requestId,
      },
    );
    expect(created.error).toBeNull();
    expect(await auditRequestIds('customer')).toEqual([requestId]);
    // Without the header the server makes one.
    const response = await setup.server.app.request('http://localhost:3000/healthz');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an import started by a request: its job, the rows it writes and its log lines carry the request id', async () => {
    const client = await signedInClient(setup.server, setup.tenant.users.owner.id, setup.tenant.tenantId);
    const fileId = await uploadImportFile(
      setup.server,
      client,
      '客户.csv',
      '名称,手机\n请求导入甲公司,13811110001\n请求导入乙公司,13811110002\n',
    );
    const requestId = 'req-import-0801-b';
    const started = await client.call(
      'imports.start',
      {
        fileId,
        entity: 'customers',
        mapping: { 名称: 'name', 手机: 'phone' },
        dryRun: false,
        onMatch: 'skip',
      },
      { 'x-request-id': requestId },
    );
    expect(started.error).toBeNull();
    const runId = started.data.runId as string;
    const carried = await setup.server.database.withoutTenant(async (db) => {
      const { rows } = await sql<{ request_id: string }>`
        select data->>'_requestId' as request_id from pgboss.job where name = 'imports.run' and data->>'runId' = ${runId}`.execute(
        db,
      );
      return rows.map((row) => row.request_id);
    });
    expect(carried).toEqual([requestId]);

    await setup.server.dependencies.jobs.start();
    const deadline = Date.now() + 90_000;
    let status = '';
    while (Date.now() < deadline) {
      status = (await client.call('imports.get', { runId })).data?.status ?? '';
      if (status === 'committed' || status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe('committed');
    const ids = await auditRequestIds('customer');
    expect(ids.filter((id) => id === requestId)).toHaveLength(2);
    // The job's log line comes once its handler has returned, a moment after the run commits.
    const logged = () =>
      setup.server.logger.lines.some(
        (line) =>
          line.message === 'job completed' && line.name === 'imports.run' && line.requestId === requestId,
      );
    while (!logged() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logged()).toBe(true);
  });
});
