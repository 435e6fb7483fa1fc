import { userText } from '@crm/domain';
import { z } from 'zod';
import { appError } from '../errors';
import { violatedConstraint } from '../keyset';
import { permittedProcedure, router } from '../trpc';

const teamOutput = z.object({ id: z.uuid(), name: z.string(), memberCount: z.number().int() });
const teamName = userText({ required: true, max: 100 });

async function uniqueName<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (violatedConstraint(error, '23505')) throw appError('TEAM_NAME_TAKEN', {}, 'name');
    throw error;
  }
}

/** Teams decide what a sales manager sees: the customers owned by anyone in their team. */
export const teamsRouter = router({
  list: permittedProcedure('members.read')
    .output(z.array(teamOutput))
    .query(async ({ ctx }) => {
      const rows = await ctx.trx
        .selectFrom('teams')
        .leftJoin('memberships', (join) =>
          join
            .onRef('memberships.tenant_id', '=', 'teams.tenant_id')
            .onRef('memberships.team_id', '=', 'teams.id'),
        )
        .select((eb) => [
          'teams.id',
          'teams.name',
          eb.fn.count<string>('memberships.user_id').as('member_count'),
        ])
        .where('teams.tenant_id', '=', ctx.tenantId)
        .groupBy(['teams.id', 'teams.name'])
        .orderBy('teams.name')
        .execute();
      return rows.map((row) => ({ id: row.id, name: row.name, memberCount: Number(row.member_count) }));
    }),

  create: permittedProcedure('teams.manage', { idempotent: true })
    .input(z.strictObject({ name: teamName }))
    .output(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) =>
      uniqueName(
        ctx.trx
          .insertInto('teams')
          .values({ tenant_id: ctx.tenantId, name: input.name })
          .returning('id')
          .executeTakeFirstOrThrow(),
      ),
    ),

  rename: permittedProcedure('teams.manage')
    .input(z.strictObject({ id: z.uuid(), name: teamName }))
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const result = await uniqueName(
        ctx.trx
          .updateTable('teams')
          .set({ name: input.name })
          .where('tenant_id', '=', ctx.tenantId)
          .where('id', '=', input.id)
          .executeTakeFirst(),
      );
      if (Number(result.numUpdatedRows) === 0) throw appError('TEAM_NOT_FOUND');
      return { id: input.id };
    }),

  /** Its members stay, without a team. */
  delete: permittedProcedure('teams.manage')
    .input(z.strictObject({ id: z.uuid() }))
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.trx
        .deleteFrom('teams')
        .where('tenant_id', '=', ctx.tenantId)
        .where('id', '=', input.id)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw appError('TEAM_NOT_FOUND');
      return { id: input.id };
    }),

  /** Puts a member in a team (or in none). */
  assign: permittedProcedure('teams.manage')
    .input(z.strictObject({ userId: z.uuid(), teamId: z.uuid().nullable() }))
    .output(z.object({ userId: z.uuid(), teamId: z.uuid().nullable() }))
    .mutation(async ({ ctx, input }) => {
      if (input.teamId) {
        const team = await ctx.trx
          .selectFrom('teams')
          .select('id')
          .where('tenant_id', '=', ctx.tenantId)
          .where('id', '=', input.teamId)
          .executeTakeFirst();
        if (!team) throw appError('TEAM_NOT_FOUND', {}, 'teamId');
      }
      const result = await ctx.trx
        .updateTable('memberships')
        .set({ team_id: input.teamId })
        .where('tenant_id', '=', ctx.tenantId)
        .where('user_id', '=', input.userId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw appError('MEMBER_NOT_FOUND');
      return input;
    }),
});
