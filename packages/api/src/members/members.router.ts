import { z } from 'zod';
import { authenticatedProcedure, permittedProcedure, publicProcedure, router } from '../trpc';
import {
  acceptAsNewUserInput,
  acceptAsNewUserOutput,
  createdInvitationOutput,
  createInvitationInput,
  invitationIdInput,
  invitationIdOutput,
  invitationOutput,
  invitationPreviewOutput,
  joinedTenantOutput,
  memberIdInput,
  memberIdOutput,
  memberOutput,
  signOutMemberOutput,
  tokenInput,
  updateRoleInput,
  updateRoleOutput,
} from './members.schemas';
import {
  acceptInvitation,
  acceptInvitationAsNewUser,
  changeMemberRole,
  createInvitation,
  listInvitations,
  listMembers,
  previewInvitation,
  removeMember,
  revokeInvitation,
  signOutMember,
} from './members.service';

/**
 * Members of a tenant and invitations. Tenant procedures call their use case with
 * `ctx.scope` (and `ctx.logger`, where the use case logs an event); an invitation link's
 * procedures run before a tenant is chosen, so theirs take the request's context.
 */
export const membersRouter = router({
  list: permittedProcedure('members.read')
    .output(z.array(memberOutput))
    .query(({ ctx }) => listMembers(ctx.scope)),

  updateRole: permittedProcedure('members.manage')
    .input(updateRoleInput)
    .output(updateRoleOutput)
    .mutation(({ ctx, input }) => changeMemberRole(ctx.scope, input, ctx.logger)),

  remove: permittedProcedure('members.manage')
    .input(memberIdInput)
    .output(memberIdOutput)
    .mutation(({ ctx, input }) => removeMember(ctx.scope, input.userId, ctx.logger)),

  /** Signs a member out of every session working in this tenant, e.g. a lost laptop. */
  signOut: permittedProcedure('members.manage')
    .input(memberIdInput)
    .output(signOutMemberOutput)
    .mutation(({ ctx, input }) => signOutMember(ctx.scope, input.userId, ctx.logger)),

  invitations: router({
    list: permittedProcedure('members.invite')
      .output(z.array(invitationOutput))
      .query(({ ctx }) => listInvitations(ctx.scope)),

    /** Returns the link token once; only its hash is kept. */
    create: permittedProcedure('members.invite')
      .input(createInvitationInput)
      .output(createdInvitationOutput)
      .mutation(({ ctx, input }) => createInvitation(ctx.scope, input, ctx.logger)),

    revoke: permittedProcedure('members.invite')
      .input(invitationIdInput)
      .output(invitationIdOutput)
      .mutation(({ ctx, input }) => revokeInvitation(ctx.scope, input.id)),

    /** What the invitee sees before accepting; the link's secret authorises the read. */
    preview: publicProcedure
      .input(tokenInput)
      .output(invitationPreviewOutput)
      .query(({ ctx, input }) => previewInvitation(ctx, input.token)),

    accept: authenticatedProcedure
      .input(tokenInput)
      .output(joinedTenantOutput)
      .mutation(({ ctx, input }) => acceptInvitation(ctx, input.token)),

    /** An invitee without an account creates one and joins in one step. */
    acceptAsNewUser: publicProcedure
      .input(acceptAsNewUserInput)
      .output(acceptAsNewUserOutput)
      .mutation(({ ctx, input }) => acceptInvitationAsNewUser(ctx, input)),
  }),
});
