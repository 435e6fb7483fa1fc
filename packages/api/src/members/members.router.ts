import { assignableRoles, hashPassword, invalidateTenantSessionsOfUser, setActiveTenant } from '@crm/auth';
import { ROLES } from '@crm/db';
import { z } from 'zod';
import { emailInput, passwordInput, personNameInput, signedInOutput } from '../auth/auth.schemas';
import { assertPasswordAcceptable, startSession } from '../auth/auth.service';
import { appError } from '../errors';
import { authenticatedProcedure, permittedProcedure, publicProcedure, router } from '../trpc';
import {
  acceptInvitation,
  findUsableInvitation,
  insertInvitation,
  parseInvitationToken,
} from './invitations';
import {
  assertChangeableMember,
  deleteMember,
  listMembers,
  listOpenInvitations,
  revokeInvitation,
  updateMemberRole,
} from './members.repository';

const roleInput = z.enum(ROLES);
const invitableRole = z.enum(ROLES).exclude(['owner']);

const memberOutput = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: roleInput,
  joinedAt: z.string(),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
});

const invitationOutput = z.object({
  id: z.uuid(),
  email: z.string().nullable(),
  role: roleInput,
  invitedBy: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
});

const tokenInput = z.strictObject({ token: z.string().min(1).max(200) });

export const membersRouter = router({
  list: permittedProcedure('members.read')
    .output(z.array(memberOutput))
    .query(({ ctx }) => listMembers(ctx)),

  updateRole: permittedProcedure('members.manage')
    .input(z.strictObject({ userId: z.uuid(), role: invitableRole }))
    .output(z.object({ userId: z.uuid(), role: roleInput }))
    .mutation(async ({ ctx, input }) => {
      if (!assignableRoles(ctx.role).includes(input.role)) throw appError('ROLE_NOT_ASSIGNABLE');
      await assertChangeableMember(ctx, input.userId, ctx.auth.user.id);
      await updateMemberRole(ctx, input.userId, input.role);
      ctx.logger.info({
        event: 'members.role_changed',
        tenantId: ctx.tenantId,
        userId: input.userId,
        role: input.role,
      });
      return { userId: input.userId, role: input.role };
    }),

  remove: permittedProcedure('members.manage')
    .input(z.strictObject({ userId: z.uuid() }))
    .output(z.object({ userId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await assertChangeableMember(ctx, input.userId, ctx.auth.user.id);
      await deleteMember(ctx, input.userId);
      ctx.logger.info({ event: 'members.removed', tenantId: ctx.tenantId, userId: input.userId });
      return { userId: input.userId };
    }),

  /** Signs a member out of every session working in this tenant, e.g. a lost laptop. */
  signOut: permittedProcedure('members.manage')
    .input(z.strictObject({ userId: z.uuid() }))
    .output(z.object({ signedOut: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      await assertChangeableMember(ctx, input.userId, ctx.auth.user.id);
      const signedOut = await invalidateTenantSessionsOfUser(ctx.trx, input.userId, ctx.tenantId);
      ctx.logger.info({
        event: 'members.signed_out',
        tenantId: ctx.tenantId,
        userId: input.userId,
        signedOut,
      });
      return { signedOut };
    }),

  invitations: router({
    list: permittedProcedure('members.invite')
      .output(z.array(invitationOutput))
      .query(({ ctx }) => listOpenInvitations(ctx)),

    /** Returns the link token once; only its hash is kept. */
    create: permittedProcedure('members.invite')
      .input(z.strictObject({ role: invitableRole, email: emailInput.optional() }))
      .output(z.object({ id: z.uuid(), token: z.string(), expiresAt: z.string() }))
      .mutation(async ({ ctx, input }) => {
        if (!assignableRoles(ctx.role).includes(input.role)) throw appError('ROLE_NOT_ASSIGNABLE');
        const invitation = await insertInvitation(ctx.trx, {
          tenantId: ctx.tenantId,
          role: input.role,
          email: input.email ?? null,
          invitedBy: ctx.auth.user.id,
        });
        ctx.logger.info({
          event: 'members.invited',
          tenantId: ctx.tenantId,
          invitationId: invitation.id,
          role: input.role,
        });
        return { id: invitation.id, token: invitation.token, expiresAt: invitation.expiresAt.toISOString() };
      }),

    revoke: permittedProcedure('members.invite')
      .input(z.strictObject({ id: z.uuid() }))
      .output(z.object({ id: z.uuid() }))
      .mutation(async ({ ctx, input }) => {
        await revokeInvitation(ctx, input.id);
        return { id: input.id };
      }),

    /** What the invitee sees before accepting; the link's secret authorises the read. */
    preview: publicProcedure
      .input(tokenInput)
      .output(
        z.object({
          tenantName: z.string(),
          role: roleInput,
          email: z.string().nullable(),
          inviterName: z.string().nullable(),
        }),
      )
      .query(({ ctx, input }) => {
        const token = parseInvitationToken(input.token);
        return ctx.database.withTenant(token.tenantId, async (trx) => {
          const invitation = await findUsableInvitation(trx, token);
          return {
            tenantName: invitation.tenant_name,
            role: invitation.role,
            email: invitation.email,
            inviterName: invitation.inviter_name,
          };
        });
      }),

    accept: authenticatedProcedure
      .input(tokenInput)
      .output(z.object({ activeTenantId: z.uuid() }))
      .mutation(({ ctx, input }) => {
        const token = parseInvitationToken(input.token);
        return ctx.database.withTenant(
          token.tenantId,
          async (trx) => {
            const invitation = await findUsableInvitation(trx, token);
            await acceptInvitation(trx, invitation, ctx.auth.user);
            await setActiveTenant(trx, ctx.auth.session.id, token.tenantId);
            ctx.logger.info({ event: 'members.joined', tenantId: token.tenantId, userId: ctx.auth.user.id });
            return { activeTenantId: token.tenantId };
          },
          ctx.auth.user.id,
        );
      }),

    /** An invitee without an account creates one and joins in one step. */
    acceptAsNewUser: publicProcedure
      .input(tokenInput.extend({ name: personNameInput, email: emailInput, password: passwordInput }))
      .output(signedInOutput)
      .mutation(async ({ ctx, input }) => {
        const token = parseInvitationToken(input.token);
        assertPasswordAcceptable(input.password);
        const passwordHash = await hashPassword(input.password);
        const userId = crypto.randomUUID();
        const user = await ctx.database
          .withTenant(
            token.tenantId,
            async (trx) => {
              const invitation = await findUsableInvitation(trx, token);
              const created = await trx
                .insertInto('users')
                .values({
                  id: userId,
                  email: input.email,
                  name: input.name,
                  password_hash: passwordHash,
                  locale: ctx.locale,
                })
                .returning(['id', 'name', 'email', 'locale'])
                .executeTakeFirstOrThrow();
              await acceptInvitation(trx, invitation, created);
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
      }),
  }),
});
