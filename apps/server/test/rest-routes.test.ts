import { REST_ROUTES, type RestRouteId } from '@crm/api';
import { hasPermission } from '@crm/auth';
import { ROLES, type Role } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  PUBLIC_URL,
  type SeededTenant,
  type SeededUser,
  seedTenant,
  sessionCookie,
  type TestServer,
} from './helpers';
import { createCustomerIn, createExportRunIn, createImportRunIn, createTicketIn } from './procedure-cases';

/**
 * The REST routes (REST_ROUTES, outside tRPC) in the same suites as the procedures: every
 * route × every role is allowed or FORBIDDEN exactly as the role → permission table says;
 * a signed-out caller and a non-member are refused; another tenant's ids answer 404 from
 * access control. A route in the registry without a case here fails the first test.
 */
type RestRequest = { path: string; init: RequestInit };
type RestCase = {
  /** A valid request of `actor` in `tenant`; may create what it acts on. */
  request(tenant: SeededTenant, actor: SeededUser): Promise<RestRequest>;
  /** The same request aimed at the victim tenant's objects. */
  foreign(victim: Victim): RestRequest;
  /** What an allowed call answers. */
  ok: number;
};
type Victim = { importRunId: string; exportRunId: string; ticketId: string; attachmentId: string };

/** An export run marked done with a one-chunk file, as the export job leaves it. */
async function doneExportRun(tenantId: string, userId: string) {
  const runId = await createExportRunIn(server, tenantId, userId);
  await server.database.withTenant(tenantId, async (trx) => {
    const bytes = Buffer.from('\uFEFF客户名称\r\n华辰\r\n');
    await trx
      .insertInto('export_file_chunks')
      .values({ tenant_id: tenantId, run_id: runId, seq: 0, bytes })
      .execute();
    await trx
      .updateTable('export_runs')
      .set({ status: 'done', file_size: bytes.length, finished_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .execute();
  });
  return runId;
}

const upload = (name: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
  body: new TextEncoder().encode('客户名称,客户类型\n华辰工业,企业\n'),
});

/** A ticket assigned to the actor (every role sees its own), about a new customer. */
async function ticketOf(tenantId: string, actorId: string, subject = '屏幕碎裂') {
  const customerId = await createCustomerIn(server, tenantId, '受害者的机密客户甲');
  return createTicketIn(server, tenantId, customerId, actorId, subject);
}

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);

/** A ticket with a PNG attached, as the upload route leaves it. */
async function attachmentOf(tenantId: string, actorId: string) {
  const ticketId = await ticketOf(tenantId, actorId);
  return server.database.withTenant(tenantId, async (trx) => {
    const row = await trx
      .insertInto('ticket_attachments')
      .values({
        tenant_id: tenantId,
        ticket_id: ticketId,
        file_name: '破损照片.png',
        content_type: 'image/png',
        size: PNG.byteLength,
        bytes: PNG,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

const attach = (name: string, bytes: Uint8Array = PNG): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
  body: bytes,
});

const REST_CASES: Record<RestRouteId, RestCase> = {
  'tickets.attach': {
    request: async (tenant, actor) => ({
      path: `/api/tickets/${await ticketOf(tenant.tenantId, actor.id)}/attachments`,
      init: attach('照片.png'),
    }),
    foreign: (victim) => ({
      path: `/api/tickets/${victim.ticketId}/attachments`,
      init: attach('跨租户.png'),
    }),
    ok: 201,
  },
  'tickets.attachment': {
    request: async (tenant, actor) => ({
      path: `/api/tickets/attachments/${await attachmentOf(tenant.tenantId, actor.id)}`,
      init: { method: 'GET' },
    }),
    foreign: (victim) => ({
      path: `/api/tickets/attachments/${victim.attachmentId}`,
      init: { method: 'GET' },
    }),
    ok: 200,
  },
  'imports.upload': {
    request: async () => ({ path: '/api/imports/files', init: upload('客户.csv') }),
    // An upload names no object of the victim's: the file goes into the caller's own tenant.
    foreign: () => ({ path: '/api/imports/files', init: upload('跨租户.csv') }),
    ok: 201,
  },
  'imports.errorReport': {
    request: async (tenant, actor) => ({
      path: `/api/imports/runs/${await createImportRunIn(server, tenant.tenantId, actor.id)}/errors.csv`,
      init: { method: 'GET' },
    }),
    foreign: (victim) => ({
      path: `/api/imports/runs/${victim.importRunId}/errors.csv`,
      init: { method: 'GET' },
    }),
    ok: 200,
  },
  'imports.template': {
    request: async () => ({
      path: '/api/imports/template?kind=customers&format=csv',
      init: { method: 'GET' },
    }),
    // A template names no object: it is always the caller's tenant's (its custom fields, its customers).
    foreign: () => ({ path: '/api/imports/template?kind=orders&format=csv', init: { method: 'GET' } }),
    ok: 200,
  },
  'imports.errorWorkbook': {
    request: async (tenant, actor) => ({
      path: `/api/imports/runs/${await createImportRunIn(server, tenant.tenantId, actor.id)}/errors.xlsx`,
      init: { method: 'GET' },
    }),
    foreign: (victim) => ({
      path: `/api/imports/runs/${victim.importRunId}/errors.xlsx`,
      init: { method: 'GET' },
    }),
    ok: 200,
  },
  'exports.file': {
    request: async (tenant, actor) => ({
      path: `/api/exports/${await doneExportRun(tenant.tenantId, actor.id)}/file`,
      init: { method: 'GET' },
    }),
    foreign: (victim) => ({ path: `/api/exports/${victim.exportRunId}/file`, init: { method: 'GET' } }),
    ok: 200,
  },
};

let server: TestServer;
let tenant: SeededTenant;
let victimTenant: SeededTenant;
let victim: Victim;

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, 'REST 测试企业');
  victimTenant = await seedTenant(server.database, 'REST 受害企业');
  victim = {
    importRunId: await createImportRunIn(
      server,
      victimTenant.tenantId,
      victimTenant.users.owner.id,
      '受害者的机密',
    ),
    exportRunId: await doneExportRun(victimTenant.tenantId, victimTenant.users.owner.id),
    ticketId: await ticketOf(victimTenant.tenantId, victimTenant.users.owner.id, '受害者的机密工单'),
    attachmentId: await attachmentOf(victimTenant.tenantId, victimTenant.users.owner.id),
  };
  await server.database.withTenant(victimTenant.tenantId, (trx) =>
    trx
      .insertInto('customers')
      .values({ tenant_id: victimTenant.tenantId, name: '受害者的机密客户', kind: 'company' })
      .execute(),
  );
});
afterAll(() => server.destroy());

async function send(request: RestRequest, cookie: string | null) {
  const headers = new Headers(request.init.headers);
  headers.set('origin', PUBLIC_URL);
  if (cookie) headers.set('cookie', cookie);
  const response = await server.app.request(
    `http://localhost:3000${request.path}`,
    { ...request.init, headers },
    { incoming: { socket: { remoteAddress: '10.0.0.9' } } },
  );
  const body = await response.text();
  return { status: response.status, body };
}

describe('REST routes in the isolation and permissions suites', () => {
  it('has a case for every route of the registry, and none for a route that is not there', () => {
    const ids = REST_ROUTES.map((route) => route.id);
    expect(ids.filter((id) => !(id in REST_CASES))).toEqual([]);
    expect(Object.keys(REST_CASES).filter((id) => !(ids as string[]).includes(id))).toEqual([]);
  });

  for (const route of REST_ROUTES) {
    for (const role of ROLES as readonly Role[]) {
      const allowed = hasPermission(role, route.permission);
      it(`${route.method} ${route.path} as ${role}: ${allowed ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const actor = tenant.users[role];
        const request = await REST_CASES[route.id].request(tenant, actor);
        const result = await send(request, await sessionCookie(server, actor.id, tenant.tenantId));
        if (allowed) {
          expect(result.status, result.body).toBe(REST_CASES[route.id].ok);
        } else {
          expect(result.status, result.body).toBe(403);
          expect(JSON.parse(result.body).code).toBe('FORBIDDEN');
        }
      });
    }

    it(`${route.method} ${route.path}: signed out 401, not a member 403`, async () => {
      const request = await REST_CASES[route.id].request(tenant, tenant.users.owner);
      expect((await send(request, null)).status).toBe(401);
      const outsider = await seedTenant(server.database, '局外企业');
      const intruder = await sessionCookie(server, outsider.users.owner.id, tenant.tenantId);
      const denied = await send(await REST_CASES[route.id].request(tenant, tenant.users.owner), intruder);
      expect(denied.status).toBe(403);
      expect(JSON.parse(denied.body).code).toBe('NOT_A_MEMBER');
    });

    it(`${route.method} ${route.path}: another tenant's ids answer 404 from access control, and leak nothing`, async () => {
      const owner = await sessionCookie(server, tenant.users.owner.id, tenant.tenantId);
      const result = await send(REST_CASES[route.id].foreign(victim), owner);
      if (route.id === 'imports.upload') {
        // Stored in the caller's tenant, never the victim's.
        expect(result.status).toBe(201);
        const stored = await server.database.withTenant(victimTenant.tenantId, (trx) =>
          trx.selectFrom('import_files').select('id').where('name', '=', '跨租户.csv').execute(),
        );
        expect(stored).toEqual([]);
        return;
      }
      if (route.id === 'imports.template') {
        // The caller's own template: nothing of the victim's customers in its examples.
        expect(result.status, result.body).toBe(200);
        expect(result.body).not.toContain('受害者的机密');
        return;
      }
      expect(result.status, result.body).toBe(404);
      expect(result.body).not.toContain('受害者的机密');
      expect(result.body).not.toContain('华辰');
      expect(JSON.parse(result.body).code).toBe('notFound' in route ? route.notFound : 'NOT_FOUND');
    });
  }
});
