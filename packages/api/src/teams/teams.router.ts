import { z } from 'zod';
import { permittedProcedure, router } from '../trpc';
import {
  assignTeamInput,
  assignTeamOutput,
  createTeamInput,
  renameTeamInput,
  teamIdInput,
  teamIdOutput,
  teamOutput,
} from './teams.schemas';
import { assignTeam, createTeam, deleteTeam, listTeams, renameTeam } from './teams.service';

/** Teams decide what a sales manager sees: the customers owned by anyone in their team. */
export const teamsRouter = router({
  list: permittedProcedure('members.read')
    .output(z.array(teamOutput))
    .query(({ ctx }) => listTeams(ctx.scope)),

  create: permittedProcedure('teams.manage', { idempotent: true })
    .input(createTeamInput)
    .output(teamIdOutput)
    .mutation(({ ctx, input }) => createTeam(ctx.scope, input)),

  rename: permittedProcedure('teams.manage')
    .input(renameTeamInput)
    .output(teamIdOutput)
    .mutation(({ ctx, input }) => renameTeam(ctx.scope, input)),

  /** Its members stay, without a team. */
  delete: permittedProcedure('teams.manage')
    .input(teamIdInput)
    .output(teamIdOutput)
    .mutation(({ ctx, input }) => deleteTeam(ctx.scope, input.id)),

  /** Puts a member in a team (or in none). */
  assign: permittedProcedure('teams.manage')
    .input(assignTeamInput)
    .output(assignTeamOutput)
    .mutation(({ ctx, input }) => assignTeam(ctx.scope, input)),
});
