import { violatedConstraint } from '../keyset';
import type { Scope } from '../scope';

/**
 * Every query of teams. Functions take the scope first and return rows or counts; the
 * service decides what a missing row or a taken name means.
 */

/** The tenant's teams by name, each with how many members it has. */
export function selectTeams(scope: Scope) {
  return scope.trx
    .selectFrom('teams')
    .leftJoin('memberships', (join) =>
      join
        .onRef('memberships.tenant_id', '=', 'teams.tenant_id')
        .onRef('memberships.team_id', '=', 'teams.id'),
    )
    .select((eb) => ['teams.id', 'teams.name', eb.fn.count<string>('memberships.user_id').as('member_count')])
    .where('teams.tenant_id', '=', scope.tenantId)
    .groupBy(['teams.id', 'teams.name'])
    .orderBy('teams.name')
    .execute();
}

/** The new team's id, or 'NAME_TAKEN' when the tenant has a team of that name. */
export function insertTeam(scope: Scope, name: string): Promise<{ id: string } | 'NAME_TAKEN'> {
  return nameTaken(
    scope.trx
      .insertInto('teams')
      .values({ tenant_id: scope.tenantId, name })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
}

/** Whether a team was renamed (false: no team with that id), or 'NAME_TAKEN'. */
export async function renameTeamRow(scope: Scope, id: string, name: string): Promise<boolean | 'NAME_TAKEN'> {
  const result = await nameTaken(
    scope.trx
      .updateTable('teams')
      .set({ name })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),
  );
  return result === 'NAME_TAKEN' ? result : Number(result.numUpdatedRows) > 0;
}

/** Whether a team was deleted; its members stay, without a team (the foreign key sets null). */
export async function deleteTeamRow(scope: Scope, id: string): Promise<boolean> {
  const result = await scope.trx
    .deleteFrom('teams')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function teamExists(scope: Scope, id: string): Promise<boolean> {
  const team = await scope.trx
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return team !== undefined;
}

/** Whether the member's team was set (false: no such member in this tenant). */
export async function setMemberTeam(scope: Scope, userId: string, teamId: string | null): Promise<boolean> {
  const result = await scope.trx
    .updateTable('memberships')
    .set({ team_id: teamId })
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

async function nameTaken<T>(work: Promise<T>): Promise<T | 'NAME_TAKEN'> {
  try {
    return await work;
  } catch (error) {
    if (violatedConstraint(error, '23505')) return 'NAME_TAKEN';
    throw error;
  }
}
