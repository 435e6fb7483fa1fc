import { listProcedures } from '@crm/api';
import { sql } from '@crm/db';
import { describe, expect, it } from 'vitest';
import { signedInClient, uploadImportFile, useServerWithTenant } from './helpers';
import { PROCEDURE_CASES } from './procedure-cases';

/**
 * T5.7a: every mutation writes its audit row. The mutations come from the router (every
 * tenant procedure of type mutation), each called once by the owner with its case's valid
 * input (procedure-cases.ts) under a request id of its own. Its audit rows — read by that
 * request id — name the tenant, the actor and the record: either the record-level rows its
 * writes made (customers, contacts, orders, interactions, reveals, merges), or exactly one
 * row of its own (entity `call`, the procedure as the action), never both.
 */
const setup = useServerWithTenant('审计测试企业');

type AuditRow = {
  tenant_id: string;
  actor_user_id: string | null;
  entity: string;
  entity_id: string;
  action: string;
};

function auditRowsOf(requestId: string): Promise<AuditRow[]> {
  return setup.server.database.withTenant(setup.tenant.tenantId, async (trx) => {
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
      const actor = setup.tenant.users.owner;
      const input = await procedureCase.input({
        server: setup.server,
        tenant: setup.tenant,
        role: 'owner',
        actor,
      });
      const requestId = `audit-${crypto.randomUUID()}`;
      const client = await signedInClient(setup.server, actor.id, setup.tenant.tenantId, {
        headers: { 'x-request-id': requestId },
      });
      const result = await client.call(path, input);
      expect(result.error, JSON.stringify(result.error)).toBeNull();
      const rows = await auditRowsOf(requestId);
      expect(rows.length, `${path} wrote no audit row`).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.tenant_id).toBe(setup.tenant.tenantId);
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
    const client = await signedInClient(setup.server, setup.tenant.users.owner.id, setup.tenant.tenantId);
    await uploadImportFile(setup.server, client, '审计.csv', '客户名称\n审计客户\n', {
      'x-request-id': requestId,
    });
    const rows = await auditRowsOf(requestId);
    expect(rows).toEqual([
      expect.objectContaining({
        entity: 'call',
        action: 'upload',
        actor_user_id: setup.tenant.users.owner.id,
      }),
    ]);
  });

  it('a refused mutation leaves no audit row', async () => {
    const requestId = `audit-${crypto.randomUUID()}`;
    const client = await signedInClient(setup.server, setup.tenant.users.analyst.id, setup.tenant.tenantId, {
      headers: { 'x-request-id': requestId },
    });
    const result = await client.call('tags.create', { name: '分析师不能建标签', color: 'red' });
    expect(result.error?.appCode).toBe('FORBIDDEN');
    expect(await auditRowsOf(requestId)).toEqual([]);
  });
});
