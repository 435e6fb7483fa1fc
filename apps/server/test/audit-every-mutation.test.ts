import { listProcedures } from '@crm/api';
import { sql } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  PUBLIC_URL,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
} from './helpers';
import { PROCEDURE_CASES } from './procedure-cases';

/**
 * T5.7a: every mutation writes its audit row. The mutations come from the router (every
 * tenant procedure of type mutation), each called once by the owner with its case's valid
 * input (procedure-cases.ts) under a request id of its own. Its audit rows — read by that
 * request id — name the tenant, the actor and the record: either the record-level rows its
 * writes made (customers, contacts, orders, interactions, reveals, merges), or exactly one
 * row of its own (entity `call`, the procedure as the action), never both.
 */
let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '审计测试企业');
});
afterAll(async () => {
  await server.dependencies.jobs.stop();
  await server.destroy();
});

type AuditRow = {
  tenant_id: string;
  actor_user_id: string | null;
  entity: string;
  entity_id: string;
  action: string;
};

function auditRowsOf(requestId: string): Promise<AuditRow[]> {
  return server.database.withTenant(tenant.tenantId, async (trx) => {
    const { rows } = await sql<AuditRow>`
      select tenant_id, actor_user_id, entity, entity_id, action from audit_log where request_id = ${requestId}`.execute(
      trx,
    );
    return rows;
  });
}

const mutations = listProcedures()
  .filter((procedure) => procedure.type === 'mutation' && procedure.meta?.access === 'tenant')
  .map((procedure) => procedure.path);

describe('T5.7a: every mutation writes an audit row', () => {
  it('finds the tenant mutations in the router', () => {
    expect(mutations.length).toBeGreaterThan(50);
  });

  for (const path of mutations) {
    it(path, async () => {
      const procedureCase = PROCEDURE_CASES[path];
      if (!procedureCase) throw new Error(`no case for ${path}`);
      const actor = tenant.users.owner;
      const input = await procedureCase.input({ server, tenant, role: 'owner', actor });
      const requestId = `audit-${crypto.randomUUID()}`;
      const client = await signedInClient(server, actor.id, tenant.tenantId, {
        headers: { 'x-request-id': requestId },
      });
      const result = await client.call(path, input);
      expect(result.error, JSON.stringify(result.error)).toBeNull();
      const rows = await auditRowsOf(requestId);
      expect(rows.length, `${path} wrote no audit row`).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.tenant_id).toBe(tenant.tenantId);
        expect(row.actor_user_id).toBe(actor.id);
        expect(row.entity_id).toMatch(/^[0-9a-f-]{36}$/);
      }
      const calls = rows.filter((row) => row.entity === 'call');
      if (calls.length > 0) {
        // Its own row: exactly one, naming the procedure, and no record-level row beside it.
        expect(rows).toEqual([expect.objectContaining({ entity: 'call', action: path })]);
        const answered = result.data?.id;
        if (typeof answered === 'string' && /^[0-9a-f-]{36}$/.test(answered))
          expect(calls[0]?.entity_id).toBe(answered);
      }
    });
  }

  it('a REST write route (an import upload) leaves its one row too', async () => {
    const requestId = `audit-${crypto.randomUUID()}`;
    const client = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
    const response = await server.app.request(
      'http://localhost:3000/api/imports/files',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'x-file-name': encodeURIComponent('审计.csv'),
          'x-request-id': requestId,
          origin: PUBLIC_URL,
          cookie: client.cookie ?? '',
        },
        body: new TextEncoder().encode('客户名称\n审计客户\n'),
      },
      { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
    );
    expect(response.status).toBe(201);
    const rows = await auditRowsOf(requestId);
    expect(rows).toEqual([
      expect.objectContaining({ entity: 'call', action: 'upload', actor_user_id: tenant.users.owner.id }),
    ]);
  });

  it('a refused mutation leaves no audit row', async () => {
    const requestId = `audit-${crypto.randomUUID()}`;
    const client = await signedInClient(server, tenant.users.analyst.id, tenant.tenantId, {
      headers: { 'x-request-id': requestId },
    });
    const result = await client.call('tags.create', { name: '分析师不能建标签', color: 'red' });
    expect(result.error?.appCode).toBe('FORBIDDEN');
    expect(await auditRowsOf(requestId)).toEqual([]);
  });
});
