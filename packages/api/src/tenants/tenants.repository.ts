import type { Database, Transaction } from '@crm/db';

/** The tenants a user belongs to; runs in a user-scoped transaction (the member_reads_own_* policies). */
export function listTenantsOfUser(trx: Transaction<Database>, userId: string) {
  return trx
    .selectFrom('memberships')
    .innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
    .select(['tenants.id', 'tenants.name', 'tenants.industry', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('tenants.name')
    .execute();
}

export async function isMember(
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

export function getTenant(trx: Transaction<Database>, tenantId: string) {
  return trx
    .selectFrom('tenants')
    .select(['id', 'name', 'industry'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
}

export function renameTenant(trx: Transaction<Database>, tenantId: string, name: string) {
  return trx
    .updateTable('tenants')
    .set({ name })
    .where('id', '=', tenantId)
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
}
