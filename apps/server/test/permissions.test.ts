import { listProcedures, type Meta } from '@crm/api';
import { hasPermission } from '@crm/auth';
import { ROLES } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allProcedurePaths,
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
} from './helpers';
import { PROCEDURE_CASES } from './procedure-cases';

/**
 * Every procedure × every role: allowed or FORBIDDEN exactly as the role → permission
 * table says. The procedure list comes from the router, so a new procedure fails here
 * until it has a case.
 */
let server: TestServer;
let tenant: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '权限测试企业');
});
afterAll(() => server.destroy());

function metaOf(path: string): Meta {
  const meta = listProcedures().find((procedure) => procedure.path === path)?.meta;
  if (!meta) throw new Error(`${path} declares no access meta`);
  return meta;
}

describe('permissions suite', () => {
  const paths = allProcedurePaths();

  it('has a case for every procedure in the router', () => {
    const missing = paths.filter((path) => !PROCEDURE_CASES[path]);
    expect(missing).toEqual([]);
    expect(Object.keys(PROCEDURE_CASES).filter((path) => !paths.includes(path))).toEqual([]);
  });

  it('every tenant procedure that changes data declares a permission', () => {
    const undeclared = paths.filter((path) => {
      const meta = metaOf(path);
      return meta.access === 'tenant' && !meta.permission && path !== 'tenants.current';
    });
    expect(undeclared).toEqual([]);
  });

  for (const path of paths) {
    for (const role of ROLES) {
      const meta = metaOf(path);
      const allowed = meta.access !== 'tenant' || !meta.permission || hasPermission(role, meta.permission);
      it(`${path} as ${role}: ${allowed ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const procedureCase = PROCEDURE_CASES[path];
        if (!procedureCase) throw new Error(`no case for ${path}`);
        const actor = tenant.users[role];
        const input = await procedureCase.input({ server, tenant, role, actor });
        const client = await signedInClient(server, actor.id, tenant.tenantId);
        const result = await client.call(path, input);
        if (allowed) {
          expect(result.error, JSON.stringify(result.error)).toBeNull();
          expect(result.status).toBe(200);
        } else {
          expect(result.error?.code).toBe('FORBIDDEN');
          expect(result.error?.appCode).toBe('FORBIDDEN');
          expect(result.status).toBe(403);
        }
      });
    }
  }

  it('T1.6 every procedure with an input refuses fields it does not declare (no mass assignment)', async () => {
    let tried = 0;
    for (const path of paths) {
      const procedureCase = PROCEDURE_CASES[path];
      if (!procedureCase) throw new Error(`no case for ${path}`);
      const input = await procedureCase.input({ server, tenant, role: 'owner', actor: tenant.users.owner });
      if (typeof input !== 'object' || input === null) continue;
      const client = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
      for (const extra of [
        'tenant_id',
        'tenantIdOverride',
        'role',
        'owner_id',
        'created_by',
        'secret_hash',
      ]) {
        if (extra in input) continue;
        const result = await client.call(path, { ...input, [extra]: 'x' });
        tried += 1;
        expect(result.error?.appCode, `${path} + ${extra}`).toBe('INVALID_INPUT');
      }
    }
    console.log(`T1.6 mass assignment: tried=${tried} fields_accepted=0`);
    expect(tried).toBeGreaterThan(50);
  });

  it('tenant procedures refuse a signed-out caller and a signed-in user who is not a member', async () => {
    const outsider = await seedTenant(server.database, '局外企业');
    for (const path of paths.filter((candidate) => metaOf(candidate).access === 'tenant')) {
      const procedureCase = PROCEDURE_CASES[path];
      if (!procedureCase) throw new Error(`no case for ${path}`);
      const input = await procedureCase.input({ server, tenant, role: 'owner', actor: tenant.users.owner });
      const anonymous = await server.client().call(path, input);
      expect(anonymous.error?.code, path).toBe('UNAUTHORIZED');
      // A session whose active tenant is one the user does not belong to.
      const intruder = await signedInClient(server, outsider.users.owner.id, tenant.tenantId);
      const denied = await intruder.call(path, input);
      expect(denied.error?.appCode, path).toBe('NOT_A_MEMBER');
    }
  });
});
