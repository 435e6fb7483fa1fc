import {
  assignableRoles,
  generateSecureRandomString,
  hashPassword,
  hashSecret,
  secretMatches,
  type ValidatedSession,
} from '@crm/auth';
import type { Database, Transaction } from '@crm/db';
import { assertPasswordAcceptable, startSession } from '../auth/auth.service';
import { recordTenantAuthEvent } from '../auth-events/auth-events.service';
import type { Context } from '../context';
import { appError } from '../errors';
import type { Locale } from '../locale';
import type { Logger } from '../logger';
import type { MemberScope, Scope } from '../scope';
import {
  deleteMemberRow,
  deleteMemberSessions,
  insertInvitation,
  insertMembership,
  insertUser,
  markInvitationAccepted,
  revokeInvitationRow,
  selectInvitation,
  selectMemberRole,
  selectMembers,
  selectOpenInvitations,
  setSessionTenant,
  updateMemberRoleRow,
} from './members.repository';
import type {
  AcceptAsNewUserInput,
  CreatedInvitationOutput,
  CreateInvitationInput,
  InvitationOutput,
  InvitationPreviewOutput,
  MemberOutput,
  UpdateRoleInput,
} from './members.schemas';

/**
 * Members of a tenant and the invitations that add them. A member's use cases take the
 * request's scope (and the logger their events go to); an invitation's link is used before
 * its bearer is a member, or signed in at all, so those take the request's context and open
 * the link's tenant themselves, as the auth service does.
 */

const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A request by a signed-in user, outside any tenant (an authenticated procedure's context). */
type SignedInContext = Context & { auth: ValidatedSession };

type InvitationToken = { tenantId: string; invitationId: string; secret: string };

/**
 * The link token is `tenantId.invitationId.secret`. The tenant id only says where to
 * look; the secret (160 bits, stored hashed) is what authorises reading the invitation.
 */
function parseInvitationToken(token: string): InvitationToken {
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

const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * The scope of an invitation link's bearer, who is no member yet: the link's tenant, no
 * role, and no customers to see (a job's system scope would see them all).
 */
function inviteeScope(
  trx: Transaction<Database>,
  tenantId: string,
  userId: string | null,
  locale: Locale,
): Scope {
  return {
    trx,
    tenantId,
    userId,
    role: null,
    access: { userId: userId ?? NO_USER, teamId: null, scope: 'own', taskScope: 'own', leadScope: 'own' },
    locale,
  };
}

export async function listMembers(scope: Scope): Promise<MemberOutput[]> {
  const rows = await selectMembers(scope);
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
async function assertChangeableMember(scope: MemberScope, userId: string): Promise<void> {
  if (userId === scope.userId) throw appError('CANNOT_CHANGE_SELF');
  const role = await selectMemberRole(scope, userId);
  if (!role) throw appError('MEMBER_NOT_FOUND');
  if (role === 'owner') throw appError('CANNOT_CHANGE_OWNER');
}

export async function changeMemberRole(
  scope: MemberScope,
  input: UpdateRoleInput,
  logger: Logger,
): Promise<{ userId: string; role: UpdateRoleInput['role'] }> {
  if (!assignableRoles(scope.role).includes(input.role)) throw appError('ROLE_NOT_ASSIGNABLE');
  await assertChangeableMember(scope, input.userId);
  await updateMemberRoleRow(scope, input.userId, input.role);
  logger.info({
    event: 'members.role_changed',
    tenantId: scope.tenantId,
    userId: input.userId,
    role: input.role,
  });
  return { userId: input.userId, role: input.role };
}

export async function removeMember(
  scope: MemberScope,
  userId: string,
  logger: Logger,
): Promise<{ userId: string }> {
  await assertChangeableMember(scope, userId);
  await deleteMemberRow(scope, userId);
  logger.info({ event: 'members.removed', tenantId: scope.tenantId, userId });
  return { userId };
}

/** Signs a member out of every session working in this tenant, e.g. a lost laptop. */
export async function signOutMember(
  scope: MemberScope,
  userId: string,
  logger: Logger,
): Promise<{ signedOut: number }> {
  await assertChangeableMember(scope, userId);
  const signedOut = await deleteMemberSessions(scope, userId);
  logger.info({ event: 'members.signed_out', tenantId: scope.tenantId, userId, signedOut });
  return { signedOut };
}

export async function listInvitations(scope: Scope): Promise<InvitationOutput[]> {
  const rows = await selectOpenInvitations(scope);
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  }));
}

/** Returns the link token once; only its secret's hash is kept. */
export async function createInvitation(
  scope: MemberScope,
  input: CreateInvitationInput,
  logger: Logger,
): Promise<CreatedInvitationOutput> {
  if (!assignableRoles(scope.role).includes(input.role)) throw appError('ROLE_NOT_ASSIGNABLE');
  const secret = generateSecureRandomString();
  const row = await insertInvitation(scope, {
    role: input.role,
    email: input.email ?? null,
    invitedBy: scope.userId,
    secretHash: hashSecret(secret),
    expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
  });
  logger.info({ event: 'members.invited', tenantId: scope.tenantId, invitationId: row.id, role: input.role });
  return {
    id: row.id,
    token: `${scope.tenantId}.${row.id}.${secret}`,
    expiresAt: row.expires_at.toISOString(),
  };
}

export async function revokeInvitation(scope: Scope, id: string): Promise<{ id: string }> {
  if (!(await revokeInvitationRow(scope, id))) throw appError('INVITATION_INVALID');
  return { id };
}

/** The token's invitation when its secret matches and it is neither used, revoked nor expired. */
async function usableInvitation(scope: Scope, token: InvitationToken) {
  const invitation = await selectInvitation(scope, token.invitationId);
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

/** Adds the user to the tenant and marks the invitation used, in the scope's transaction. */
async function joinTenant(
  scope: Scope,
  invitation: Awaited<ReturnType<typeof usableInvitation>>,
  user: { id: string; email: string },
  ip: string,
): Promise<void> {
  if (invitation.email && invitation.email !== user.email) throw appError('INVITATION_EMAIL_MISMATCH');
  if (await selectMemberRole(scope, user.id)) throw appError('ALREADY_MEMBER');
  await insertMembership(scope, user.id, invitation.role);
  if (!(await markInvitationAccepted(scope, invitation.id, user.id))) throw appError('INVITATION_INVALID');
  await recordTenantAuthEvent(scope.trx, scope.tenantId, {
    event: 'invitation_accepted',
    userId: user.id,
    ip,
  });
}

/** What the invitee sees before accepting; the link's secret authorises the read. */
export function previewInvitation(ctx: Context, rawToken: string): Promise<InvitationPreviewOutput> {
  const token = parseInvitationToken(rawToken);
  return ctx.database.withTenant(token.tenantId, async (trx) => {
    const invitation = await usableInvitation(inviteeScope(trx, token.tenantId, null, ctx.locale), token);
    return {
      tenantName: invitation.tenant_name,
      role: invitation.role,
      email: invitation.email,
      inviterName: invitation.inviter_name,
    };
  });
}

/** A signed-in user joins the invitation's tenant, which becomes their session's active one. */
export function acceptInvitation(
  ctx: SignedInContext,
  rawToken: string,
): Promise<{ activeTenantId: string }> {
  const token = parseInvitationToken(rawToken);
  return ctx.database.withTenant(
    token.tenantId,
    async (trx) => {
      const scope = inviteeScope(trx, token.tenantId, ctx.auth.user.id, ctx.locale);
      const invitation = await usableInvitation(scope, token);
      await joinTenant(scope, invitation, ctx.auth.user, ctx.clientIp);
      await setSessionTenant(scope, ctx.auth.session.id);
      ctx.logger.info({ event: 'members.joined', tenantId: token.tenantId, userId: ctx.auth.user.id });
      return { activeTenantId: token.tenantId };
    },
    ctx.auth.user.id,
  );
}

/** An invitee without an account creates one and joins in one step, signed in at once. */
export async function acceptInvitationAsNewUser(ctx: Context, input: AcceptAsNewUserInput) {
  const token = parseInvitationToken(input.token);
  assertPasswordAcceptable(input.password);
  const passwordHash = await hashPassword(input.password);
  const userId = crypto.randomUUID();
  const user = await ctx.database
    .withTenant(
      token.tenantId,
      async (trx) => {
        const scope = inviteeScope(trx, token.tenantId, userId, ctx.locale);
        const invitation = await usableInvitation(scope, token);
        const created = await insertUser(scope, {
          id: userId,
          email: input.email,
          name: input.name,
          passwordHash,
          locale: ctx.locale,
        });
        await joinTenant(scope, invitation, created, ctx.clientIp);
        await startSession(ctx, trx, userId, token.tenantId);
        return created;
      },
      userId,
    )
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === '23505') throw appError('SIGN_UP_EMAIL_UNAVAILABLE');
      throw error;
    });
  ctx.logger.info({ event: 'auth.sign_up.invited', tenantId: token.tenantId, userId });
  return { user, activeTenantId: token.tenantId };
}
