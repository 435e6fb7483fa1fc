import { setActiveTenant } from '@crm/auth';
import type { Database, Transaction } from '@crm/db';
import type { Scope } from '../scope';

/**
 * Every query of tenants. A tenant's own row is read and changed in its scope. The tenants
 * a user belongs to are read before any tenant is chosen, in a user-scoped transaction (the
 * member_reads_own_* policies): there is no tenant scope yet, so those take that transaction.
 */

/** The tenants a user belongs to, by name; runs in a user-scoped transaction. */
export function selectTenantsOfUser(trx: Transaction<Database>, userId: string) {
  return trx
    .selectFrom('memberships')
    .innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
    .select(['tenants.id', 'tenants.name', 'tenants.industry', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('tenants.name')
    .execute();
}

/** Whether the user is a member of the tenant; runs in a user-scoped transaction. */
export async function membershipExists(
  trx: Transaction<Database>,
  tenantId: string,
  userId: string,
): Promise<boolean> {
  const row = await trx
    .selectFrom('memberships')
    .select('tenant_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Makes a tenant the session's active one. */
export async function setSessionTenant(
  trx: Transaction<Database>,
  sessionId: string,
  tenantId: string,
): Promise<void> {
  await setActiveTenant(trx, sessionId, tenantId);
}

export function selectTenant(scope: Scope) {
  return scope.trx
    .selectFrom('tenants')
    .select(['id', 'name', 'industry'])
    .where('id', '=', scope.tenantId)
    .executeTakeFirstOrThrow();
}

export function renameTenantRow(scope: Scope, name: string) {
  return scope.trx
    .updateTable('tenants')
    .set({ name })
    .where('id', '=', scope.tenantId)
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
}
