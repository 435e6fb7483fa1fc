import type { RecordScope } from '@crm/auth';
import { type RawBuilder, sql } from 'kysely';

/** Who is asking, for record-level access: their id, their team, and their role's scope. */
export type RecordAccess = { userId: string; teamId: string | null; scope: RecordScope };

/**
 * The one filter that decides which customers a member sees: all of the tenant's, those
 * owned by anyone in their team (and their own), or only their own. Every query that reads
 * or changes a customer, or anything hanging off one, joins `customers` and applies it.
 */
export function visibleCustomer(access: RecordAccess): RawBuilder<boolean> {
  if (access.scope === 'all') return sql<boolean>`true`;
  if (access.scope === 'own' || access.teamId === null) {
    return sql<boolean>`customers.owner_user_id = ${access.userId}::uuid`;
  }
  return sql<boolean>`(customers.owner_user_id = ${access.userId}::uuid or customers.owner_user_id in (
    select team_member.user_id from memberships team_member
    where team_member.tenant_id = customers.tenant_id and team_member.team_id = ${access.teamId}::uuid))`;
}
