import type { Permission } from '@crm/auth';
import type { ErrorCode } from '../errors';

/**
 * Every HTTP route outside tRPC, declared once. The server mounts exactly these (apps/server
 * src/rest-routes.ts needs a handler for each id, and has no other), each through the same
 * door as /trpc: the session cookie resolved the same way, a tenant procedure's transaction,
 * membership and the declared permission, and `ctx.scope`. The isolation and permissions
 * suites enumerate this list like the tRPC router (apps/server/test/rest-routes.test.ts): a
 * route without a case there fails the suite.
 */
export type RestRoute = {
  id: string;
  method: 'GET' | 'POST';
  /** Hono path; `:id` is a UUID of the tenant's (anything else answers 404). */
  path: string;
  permission: Permission;
  /** A POST's one accepted content type (never one a cross-site form can send). */
  contentType?: string;
  /** What an `:id` that names nothing answers (the same as for another tenant's id). */
  notFound?: ErrorCode;
};

export const REST_ROUTES = [
  {
    id: 'imports.upload',
    method: 'POST',
    path: '/api/imports/files',
    permission: 'customers.import',
    contentType: 'application/octet-stream',
  },
  {
    id: 'imports.errorReport',
    method: 'GET',
    path: '/api/imports/runs/:id/errors.csv',
    permission: 'customers.import',
    notFound: 'IMPORT_RUN_NOT_FOUND',
  },
  {
    id: 'imports.errorWorkbook',
    method: 'GET',
    path: '/api/imports/runs/:id/errors.xlsx',
    permission: 'customers.import',
    notFound: 'IMPORT_RUN_NOT_FOUND',
  },
  {
    id: 'imports.template',
    method: 'GET',
    path: '/api/imports/template',
    permission: 'customers.import',
  },
  {
    id: 'exports.file',
    method: 'GET',
    path: '/api/exports/:id/file',
    permission: 'customers.export',
    notFound: 'EXPORT_NOT_FOUND',
  },
  {
    id: 'tickets.attach',
    method: 'POST',
    path: '/api/tickets/:id/attachments',
    permission: 'tickets.work',
    contentType: 'application/octet-stream',
    notFound: 'TICKET_NOT_FOUND',
  },
  {
    id: 'tickets.attachment',
    method: 'GET',
    path: '/api/tickets/attachments/:id',
    permission: 'customers.read',
    notFound: 'TICKET_ATTACHMENT_NOT_FOUND',
  },
] as const satisfies readonly RestRoute[];

export type RestRouteId = (typeof REST_ROUTES)[number]['id'];
