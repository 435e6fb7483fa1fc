import type { Database, Role, Transaction } from '@crm/db';
import type { RecordAccess } from './customers/access';
import type { Locale } from './locale';

/**
 * Who acts, in which tenant, through which executor: made once per request (by the tenant
 * procedure's middleware, as `ctx.scope`) or per job (`jobScope`), and passed as the first
 * argument to every service and repository function below the router. Nothing below the
 * router reads the request, the session or the transport.
 */
export type Scope = {
  /** The executor bound to the tenant by row-level security: every query runs on it. */
  trx: Transaction<Database>;
  tenantId: string;
  /** The acting member; null for the system (a scheduled job). */
  userId: string | null;
  /** The acting member's role; null for the system. */
  role: Role | null;
  /** Which customers the actor sees (record-level access): all of them for the system. */
  access: RecordAccess;
  /** The language of messages the actor reads (exports' headers, reports). */
  locale: Locale;
};

/** The scope of a request by a signed-in member. */
export type MemberScope = Scope & { userId: string; role: Role };

/**
 * The scope of a job about a tenant: the system acting, seeing every customer, unless the
 * job acts for the member who started it (an import, an export), whose access then applies.
 */
export function jobScope(
  trx: Transaction<Database>,
  tenantId: string,
  options: { locale?: Locale; member?: { userId: string; role: Role; access: RecordAccess } } = {},
): Scope {
  return {
    trx,
    tenantId,
    userId: options.member?.userId ?? null,
    role: options.member?.role ?? null,
    access: options.member?.access ?? {
      userId: '00000000-0000-0000-0000-000000000000',
      teamId: null,
      scope: 'all',
      taskScope: 'all',
      leadScope: 'all',
    },
    locale: options.locale ?? 'zh-CN',
  };
}
