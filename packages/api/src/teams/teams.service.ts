import { appError } from '../errors';
import type { Scope } from '../scope';
import {
  deleteTeamRow,
  insertTeam,
  renameTeamRow,
  selectTeams,
  setMemberTeam,
  teamExists,
} from './teams.repository';
import type { AssignTeamInput, CreateTeamInput, RenameTeamInput, TeamOutput } from './teams.schemas';

/** Teams decide what a sales manager sees: the customers owned by anyone in their team. */

export async function listTeams(scope: Scope): Promise<TeamOutput[]> {
  const rows = await selectTeams(scope);
  return rows.map((row) => ({ id: row.id, name: row.name, memberCount: Number(row.member_count) }));
}

export async function createTeam(scope: Scope, input: CreateTeamInput): Promise<{ id: string }> {
  const team = await insertTeam(scope, input.name);
  if (team === 'NAME_TAKEN') throw appError('TEAM_NAME_TAKEN', {}, 'name');
  return team;
}

export async function renameTeam(scope: Scope, input: RenameTeamInput): Promise<{ id: string }> {
  const renamed = await renameTeamRow(scope, input.id, input.name);
  if (renamed === 'NAME_TAKEN') throw appError('TEAM_NAME_TAKEN', {}, 'name');
  if (!renamed) throw appError('TEAM_NOT_FOUND');
  return { id: input.id };
}

/** Its members stay, without a team. */
export async function deleteTeam(scope: Scope, id: string): Promise<{ id: string }> {
  if (!(await deleteTeamRow(scope, id))) throw appError('TEAM_NOT_FOUND');
  return { id };
}

/** Puts a member in a team (or in none). */
export async function assignTeam(scope: Scope, input: AssignTeamInput): Promise<AssignTeamInput> {
  if (input.teamId && !(await teamExists(scope, input.teamId)))
    throw appError('TEAM_NOT_FOUND', {}, 'teamId');
  if (!(await setMemberTeam(scope, input.userId, input.teamId))) throw appError('MEMBER_NOT_FOUND');
  return input;
}
