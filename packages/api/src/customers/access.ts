import { type RecordScope, ROLE_LEAD_SCOPE, ROLE_RECORD_SCOPE, ROLE_TASK_SCOPE } from '@crm/auth';
import type { Role } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';

/**
 * Who is asking, for record-level access: their id, their team, their role's scope over
 * customers and, applied to a task's owner, over tasks (`ROLE_TASK_SCOPE`).
 */
export type RecordAccess = {
  userId: string;
  teamId: string | null;
  scope: RecordScope;
  taskScope: RecordScope;
  /** Applied to a lead's owner (`ROLE_LEAD_SCOPE`). */
  leadScope: RecordScope;
};

/** The record-level access of a member with this role in this team. */
export function memberAccess(userId: string, teamId: string | null, role: Role): RecordAccess {
  return {
    userId,
    teamId,
    scope: ROLE_RECORD_SCOPE[role],
    taskScope: ROLE_TASK_SCOPE[role],
    leadScope: ROLE_LEAD_SCOPE[role],
  };
}

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

/**
 * The one filter that decides which tasks a member sees (the query joins `tasks` and
 * left-joins the task's customer as `customers`):
 * - by the task's owner, with the role's task scope: their own; their team's (and the
 *   team's unassigned tasks) for a manager; every task for an admin;
 * - and, when the task is about a customer, that customer must be visible to the member
 *   too — unless the task is the member's own: a rep always sees and works what was given to
 *   them, even on a customer someone else owns, but a manager's team scope never reaches a
 *   customer outside their record access through a task.
 */
export function visibleTask(access: RecordAccess): RawBuilder<boolean> {
  const own = sql<boolean>`tasks.owner_user_id = ${access.userId}::uuid`;
  let byOwner: RawBuilder<boolean>;
  if (access.taskScope === 'all') byOwner = sql<boolean>`true`;
  else if (access.taskScope === 'own' || access.teamId === null) byOwner = own;
  else {
    byOwner = sql<boolean>`(${own} or (tasks.owner_user_id is null and tasks.team_id = ${access.teamId}::uuid)
      or tasks.owner_user_id in (
        select team_member.user_id from memberships team_member
        where team_member.tenant_id = tasks.tenant_id and team_member.team_id = ${access.teamId}::uuid))`;
  }
  if (access.scope === 'all') return byOwner;
  return sql<boolean>`(${byOwner} and (tasks.customer_id is null or ${own} or ${visibleCustomer(access)}))`;
}

/**
 * The one filter that decides which leads (线索) a member sees (the query reads `leads`), by
 * the lead's owner with the role's lead scope: their own; for a manager their team's (owned
 * by anyone in the team, or unassigned and given to the team); every lead for an admin,
 * marketing or an analyst. A lead in the 公海 has no owner: the pool's procedures, not this
 * filter, decide who sees it there.
 */
export function visibleLead(access: RecordAccess): RawBuilder<boolean> {
  const own = sql<boolean>`leads.owner_user_id = ${access.userId}::uuid`;
  if (access.leadScope === 'all') return sql<boolean>`true`;
  if (access.leadScope === 'own' || access.teamId === null) return own;
  return sql<boolean>`(${own} or (leads.owner_user_id is null and leads.team_id = ${access.teamId}::uuid)
    or leads.owner_user_id in (
      select team_member.user_id from memberships team_member
      where team_member.tenant_id = leads.tenant_id and team_member.team_id = ${access.teamId}::uuid))`;
}

/**
 * Which opportunities (商机) a member sees (the query reads `opportunities`): the lead scope
 * applied to the opportunity's owner — a rep their own, a manager their team's (and the
 * team's unassigned ones), analysts and admins every one.
 */
export function visibleOpportunity(access: RecordAccess): RawBuilder<boolean> {
  const own = sql<boolean>`opportunities.owner_user_id = ${access.userId}::uuid`;
  if (access.leadScope === 'all') return sql<boolean>`true`;
  if (access.leadScope === 'own' || access.teamId === null) return own;
  // The team's members are read once per statement (a hashed subplan), not once per deal: the
  // tenant is the transaction's (`app_tenant_id()`, as row-level security reads it), not the row's.
  return sql<boolean>`(${own} or (opportunities.owner_user_id is null and opportunities.team_id = ${access.teamId}::uuid)
    or opportunities.owner_user_id in (
      select team_member.user_id from memberships team_member
      where team_member.tenant_id = app_tenant_id() and team_member.team_id = ${access.teamId}::uuid))`;
}
