import type { Database, Role, Transaction } from '@crm/db';
import { appError } from '../errors';

type TenantScope = { trx: Transaction<Database>; tenantId: string };

export async function listMembers({ trx, tenantId }: TenantScope) {
  const rows = await trx
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
    .where('memberships.tenant_id', '=', tenantId)
    .orderBy('memberships.created_at')
    .execute();
  return rows.map((row) => ({
    userId: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    joinedAt: row.created_at.toISOString(),
    teamId: row.team_id,
    teamName: row.team_name,
  }));
}

/** A member another member may change: exists in this tenant, is not the owner, is not the caller. */
export async function assertChangeableMember(
  { trx, tenantId }: TenantScope,
  userId: string,
  callerId: string,
) {
  if (userId === callerId) throw appError('CANNOT_CHANGE_SELF');
  const member = await trx
    .selectFrom('memberships')
    .select('role')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!member) throw appError('MEMBER_NOT_FOUND');
  if (member.role === 'owner') throw appError('CANNOT_CHANGE_OWNER');
}

export async function updateMemberRole({ trx, tenantId }: TenantScope, userId: string, role: Role) {
  await trx
    .updateTable('memberships')
    .set({ role })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMember({ trx, tenantId }: TenantScope, userId: string) {
  await trx
    .deleteFrom('memberships')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
}

/** Invitations still usable: not accepted, not revoked, not expired. */
export async function listOpenInvitations({ trx, tenantId }: TenantScope) {
  const rows = await trx
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
    .where('invitations.tenant_id', '=', tenantId)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', new Date())
    .orderBy('invitations.created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  }));
}

export async function revokeInvitation({ trx, tenantId }: TenantScope, id: string) {
  const result = await trx
    .updateTable('invitations')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw appError('INVITATION_INVALID');
}
