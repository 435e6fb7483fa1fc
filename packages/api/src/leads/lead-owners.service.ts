import { appError } from '../errors';
import type { Scope } from '../scope';
import { moveGeneratedTasks } from '../tasks/task-backbone.service';
import {
  type LeadOwnerGuard,
  type LeadOwnerMove,
  type MovedLeadRow,
  selectMember,
  teamExists,
  updateLeadOwners,
} from './leads.repository';

/**
 * The one way a lead changes hands: a manager's reassignment, the assignment rules, and the
 * 公海's claims, assignments, releases and recycling all move leads through `moveLeads`, so
 * every move is in the lead's history (lead_history, with its way) and the lead's open tasks
 * follow it. Its own module (not leads.service) because the assignment and pool services use
 * it and leads.service uses the assignment service: one file each way, no import cycle.
 */

/** Prefix of the follow-up tasks' occasion keys (leads.service makes them). */
export const FOLLOW_UP_PREFIX = 'lead:follow-up:';

export type MovedLead = {
  id: string;
  name: string;
  fromOwnerId: string | null;
  toOwnerId: string | null;
  fromTeamId: string | null;
  teamId: string | null;
  inPool: boolean;
};

/** The owner a lead is given must be a member (and the team the tenant's). */
export async function assertLeadOwner(
  scope: Scope,
  ownerUserId: string | null,
  teamId: string | null,
): Promise<void> {
  if (ownerUserId && !(await selectMember(scope, ownerUserId)))
    throw appError('LEAD_OWNER_INVALID', {}, 'ownerUserId');
  if (teamId && !(await teamExists(scope, teamId))) throw appError('LEAD_TEAM_NOT_FOUND', {}, 'teamId');
}

const toMoved = (row: MovedLeadRow): MovedLead => ({
  id: row.id,
  name: row.name,
  fromOwnerId: row.from_owner_id,
  toOwnerId: row.to_owner_id,
  fromTeamId: row.from_team_id,
  teamId: row.team_id,
  inPool: row.in_pool,
});

/**
 * Moves open leads, each to its own owner, team or the 公海, in one statement (the guard
 * leaves out leads no longer in the pool, or that got an owner meanwhile), writes each move
 * to the lead's history with its way, and gives the leads' open follow-up tasks — and the
 * previous owner's other open tasks on them — to the new owner (or the team's queue). Set-based
 * whatever the number of leads. The callers check who may move what; the leads that moved.
 */
export async function moveLeads(
  scope: Scope,
  moves: readonly LeadOwnerMove[],
  details: { reason: string; note?: string | null },
  options: { guard?: LeadOwnerGuard; at?: Date } = {},
): Promise<MovedLead[]> {
  if (moves.length === 0) return [];
  const rows = await updateLeadOwners(scope, moves, details, {
    guard: options.guard ?? 'any',
    at: options.at ?? new Date(),
  });
  await moveGeneratedTasks(
    scope,
    'lead',
    rows.map((row) => ({
      id: row.id,
      ownerUserId: row.to_owner_id,
      teamId: row.team_id,
      fromOwnerUserId: row.from_owner_id !== row.to_owner_id ? row.from_owner_id : null,
    })),
    [FOLLOW_UP_PREFIX],
  );
  return rows.map(toMoved);
}

/**
 * Gives leads one new owner (or none, in a team or the 公海) and records each move with its
 * way; their open tasks follow. The owner must be a member. The leads moved.
 */
export async function changeLeadOwner(
  scope: Scope,
  leadIds: readonly string[],
  to: { ownerUserId: string | null; teamId?: string | null; inPool?: boolean },
  details: { reason: string; note?: string | null },
  options: { guard?: LeadOwnerGuard; at?: Date } = {},
): Promise<MovedLead[]> {
  await assertLeadOwner(scope, to.ownerUserId, to.teamId ?? null);
  return moveLeads(
    scope,
    [...new Set(leadIds)].map((id) => ({
      id,
      ownerUserId: to.ownerUserId,
      teamId: to.teamId ?? null,
      inPool: to.inPool ?? false,
    })),
    details,
    options,
  );
}
