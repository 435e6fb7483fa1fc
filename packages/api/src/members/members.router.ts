import { assignableRoles, hashPassword, setActiveTenant } from '@crm/auth';
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

const roleInput = z.enum(ROLES);
const invitableRole = z.enum(ROLES).exclude(['owner']);

const memberOutput = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: roleInput,
  joinedAt: z.string(),
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
    .query(async ({ ctx }) => {
      const rows = await ctx.trx
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['users.id', 'users.name', 'users.email', 'memberships.role', 'memberships.created_at'])
        .where('memberships.tenant_id', '=', ctx.tenantId)
        .orderBy('memberships.created_at')
        .execute();
      return rows.map((row) => ({
        userId: row.id,
        name: row.name,
        email: row.email,
        role: row.role,
        joinedAt: row.created_at.toISOString(),
      }));
    }),

  updateRole: permittedProcedure('members.manage')
    .input(z.strictObject({ userId: z.uuid(), role: invitableRole }))
    .output(z.object({ userId: z.uuid(), role: roleInput }))
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.auth.user.id) throw appError('CANNOT_CHANGE_SELF');
      if (!assignableRoles(ctx.role).includes(input.role)) throw appError('ROLE_NOT_ASSIGNABLE');
      const member = await ctx.trx
        .selectFrom('memberships')
        .select('role')
        .where('tenant_id', '=', ctx.tenantId)
        .where('user_id', '=', input.userId)
        .executeTakeFirst();
      if (!member) throw appError('MEMBER_NOT_FOUND');
      if (member.role === 'owner') throw appError('CANNOT_CHANGE_OWNER');
      await ctx.trx
        .updateTable('memberships')
        .set({ role: input.role })
        .where('tenant_id', '=', ctx.tenantId)
        .where('user_id', '=', input.userId)
        .execute();
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
      if (input.userId === ctx.auth.user.id) throw appError('CANNOT_CHANGE_SELF');
      const member = await ctx.trx
        .selectFrom('memberships')
        .select('role')
        .where('tenant_id', '=', ctx.tenantId)
        .where('user_id', '=', input.userId)
        .executeTakeFirst();
      if (!member) throw appError('MEMBER_NOT_FOUND');
      if (member.role === 'owner') throw appError('CANNOT_CHANGE_OWNER');
      await ctx.trx
        .deleteFrom('memberships')
        .where('tenant_id', '=', ctx.tenantId)
        .where('user_id', '=', input.userId)
        .execute();
      ctx.logger.info({ event: 'members.removed', tenantId: ctx.tenantId, userId: input.userId });
      return { userId: input.userId };
    }),

  invitations: router({
    list: permittedProcedure('members.invite')
      .output(z.array(invitationOutput))
      .query(async ({ ctx }) => {
        const rows = await ctx.trx
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
          .where('invitations.tenant_id', '=', ctx.tenantId)
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
      }),

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
        const result = await ctx.trx
          .updateTable('invitations')
          .set({ revoked_at: new Date() })
          .where('tenant_id', '=', ctx.tenantId)
          .where('id', '=', input.id)
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw appError('INVITATION_INVALID');
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
