import { invalidateTenantSessionsOfUser, setActiveTenant } from '@crm/auth';
import type { Role, User } from '@crm/db';
import type { Scope } from '../scope';

/**
 * Every query of members and invitations. Functions take the scope first and return rows or
 * counts; the service decides what a missing member or an unusable invitation means.
 */

/** The tenant's members with their team, in the order they joined. */
export function selectMembers(scope: Scope) {
  return scope.trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .leftJoin('teams', (join) =>
      join
        .onRef('teams.tenant_id', '=', 'memberships.tenant_id')
        .onRef('teams.id', '=', 'memberships.team_id'),
    )
    .select([
      'users.id',
      'users.name',
      'users.email',
      'memberships.role',
      'memberships.created_at',
      'memberships.team_id',
      'teams.name as team_name',
    ])
    .where('memberships.tenant_id', '=', scope.tenantId)
    .orderBy('memberships.created_at')
    .execute();
}

/** A member's role, or undefined when the user is no member of this tenant. */
export async function selectMemberRole(scope: Scope, userId: string): Promise<Role | undefined> {
  const member = await scope.trx
    .selectFrom('memberships')
    .select('role')
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return member?.role;
}

export async function updateMemberRoleRow(scope: Scope, userId: string, role: Role): Promise<void> {
  await scope.trx
    .updateTable('memberships')
    .set({ role })
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMemberRow(scope: Scope, userId: string): Promise<void> {
  await scope.trx
    .deleteFrom('memberships')
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', userId)
    .execute();
}

/** Ends every session of the user working in this tenant; how many there were. */
export function deleteMemberSessions(scope: Scope, userId: string): Promise<number> {
  return invalidateTenantSessionsOfUser(scope.trx, userId, scope.tenantId);
}

export async function insertMembership(scope: Scope, userId: string, role: Role): Promise<void> {
  await scope.trx
    .insertInto('memberships')
    .values({ tenant_id: scope.tenantId, user_id: userId, role })
    .execute();
}

/** Makes the scope's tenant the session's active one. */
export async function setSessionTenant(scope: Scope, sessionId: string): Promise<void> {
  await setActiveTenant(scope.trx, sessionId, scope.tenantId);
}

/** A new user account, for an invitee who had none (the transaction's user is this one). */
export function insertUser(
  scope: Scope,
  values: { id: string; email: string; name: string; passwordHash: string; locale: User['locale'] },
) {
  return scope.trx
    .insertInto('users')
    .values({
      id: values.id,
      email: values.email,
      name: values.name,
      password_hash: values.passwordHash,
      locale: values.locale,
    })
    .returning(['id', 'name', 'email', 'locale'])
    .executeTakeFirstOrThrow();
}

/** Invitations still usable: not accepted, not revoked, not expired; newest first. */
export function selectOpenInvitations(scope: Scope) {
  return scope.trx
    .selectFrom('invitations')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.role',
      'users.name as invited_by',
      'invitations.expires_at',
      'invitations.created_at',
    ])
    .where('invitations.tenant_id', '=', scope.tenantId)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', new Date())
    .orderBy('invitations.created_at', 'desc')
    .execute();
}

export function insertInvitation(
  scope: Scope,
  values: { role: Role; email: string | null; invitedBy: string; secretHash: Uint8Array; expiresAt: Date },
) {
  return scope.trx
    .insertInto('invitations')
    .values({
      tenant_id: scope.tenantId,
      role: values.role,
      email: values.email,
      invited_by: values.invitedBy,
      secret_hash: values.secretHash,
      expires_at: values.expiresAt,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
}

/** An invitation with its tenant's and inviter's names, whatever its state; undefined if none. */
export function selectInvitation(scope: Scope, id: string) {
  return scope.trx
    .selectFrom('invitations')
    .innerJoin('tenants', 'tenants.id', 'invitations.tenant_id')
    .leftJoin('users as inviter', 'inviter.id', 'invitations.invited_by')
    .select([
      'invitations.id',
      'invitations.tenant_id',
      'invitations.role',
      'invitations.email',
      'invitations.secret_hash',
      'invitations.expires_at',
      'invitations.accepted_at',
      'invitations.revoked_at',
      'tenants.name as tenant_name',
      'inviter.name as inviter_name',
    ])
    .where('invitations.tenant_id', '=', scope.tenantId)
    .where('invitations.id', '=', id)
    .executeTakeFirst();
}

/** Whether the invitation was marked accepted (false: someone accepted it first). */
export async function markInvitationAccepted(scope: Scope, id: string, userId: string): Promise<boolean> {
  const marked = await scope.trx
    .updateTable('invitations')
    .set({ accepted_at: new Date(), accepted_by: userId })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(marked.numUpdatedRows) === 1;
}

/** Whether an open invitation was revoked (false: none with that id, or used or revoked already). */
export async function revokeInvitationRow(scope: Scope, id: string): Promise<boolean> {
  const result = await scope.trx
    .updateTable('invitations')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
