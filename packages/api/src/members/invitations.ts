import { generateSecureRandomString, hashSecret, secretMatches } from '@crm/auth';
import type { Database, Role, Transaction } from '@crm/db';
import { appError } from '../errors';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The link token is `tenantId.invitationId.secret`. The tenant id only says where to
 * look; the secret (160 bits, stored hashed) is what authorises reading the invitation.
 */
export function parseInvitationToken(token: string): {
  tenantId: string;
  invitationId: string;
  secret: string;
} {
  const [tenantId, invitationId, secret, ...rest] = token.split('.');
  if (
    !tenantId ||
    !invitationId ||
    !secret ||
    rest.length > 0 ||
    !UUID.test(tenantId) ||
    !UUID.test(invitationId)
  ) {
    throw appError('INVITATION_INVALID');
  }
  return { tenantId, invitationId, secret };
}

export async function insertInvitation(
  trx: Transaction<Database>,
  values: { tenantId: string; role: Role; email: string | null; invitedBy: string },
) {
  const secret = generateSecureRandomString();
  const row = await trx
    .insertInto('invitations')
    .values({
      tenant_id: values.tenantId,
      role: values.role,
      email: values.email,
      invited_by: values.invitedBy,
      secret_hash: hashSecret(secret),
      expires_at: new Date(Date.now() + INVITATION_LIFETIME_MS),
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, expiresAt: row.expires_at, token: `${values.tenantId}.${row.id}.${secret}` };
}

/** Must run in a transaction scoped to the token's tenant. */
export async function findUsableInvitation(
  trx: Transaction<Database>,
  token: ReturnType<typeof parseInvitationToken>,
) {
  const invitation = await trx
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
    .where('invitations.tenant_id', '=', token.tenantId)
    .where('invitations.id', '=', token.invitationId)
    .executeTakeFirst();
  if (
    !invitation ||
    !secretMatches(invitation.secret_hash, token.secret) ||
    invitation.accepted_at ||
    invitation.revoked_at ||
    invitation.expires_at.getTime() <= Date.now()
  ) {
    throw appError('INVITATION_INVALID');
  }
  return invitation;
}

/** Adds the user to the tenant and marks the invitation used, in the caller's transaction. */
export async function acceptInvitation(
  trx: Transaction<Database>,
  invitation: Awaited<ReturnType<typeof findUsableInvitation>>,
  user: { id: string; email: string },
) {
  if (invitation.email && invitation.email !== user.email) throw appError('INVITATION_EMAIL_MISMATCH');
  const existing = await trx
    .selectFrom('memberships')
    .select('user_id')
    .where('tenant_id', '=', invitation.tenant_id)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (existing) throw appError('ALREADY_MEMBER');
  await trx
    .insertInto('memberships')
    .values({ tenant_id: invitation.tenant_id, user_id: user.id, role: invitation.role })
    .execute();
  const marked = await trx
    .updateTable('invitations')
    .set({ accepted_at: new Date(), accepted_by: user.id })
    .where('tenant_id', '=', invitation.tenant_id)
    .where('id', '=', invitation.id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) !== 1) throw appError('INVITATION_INVALID');
}
