import { byLoad, type PoolEntity, roundRobin } from '@crm/domain';
import { sql } from 'kysely';
import { visibleCustomer, visibleLead } from '../customers/access';
import { appError } from '../errors';
import { moveLeads } from '../leads/lead-owners.service';
import type { Scope } from '../scope';
import {
  type Assignment,
  applyCustomerAssignments,
  deleteRule,
  insertLeadAssignMoves,
  insertRule,
  lockRules,
  matchFields,
  matchRecords,
  type RuleRow,
  type RuleValues,
  saveCursors,
  selectCandidates,
  selectMemberIds,
  selectNames,
  selectRecordFields,
  selectRuleEntity,
  selectRules,
  selectUnmatched,
  swapRule,
  teamExists,
  updateRule,
} from './assignment.repository';
import type {
  ApplyAssignmentInput,
  AssignmentPreviewOutput,
  AssignmentResultOutput,
  AssignmentRuleOutput,
  MoveAssignmentRuleInput,
  PreviewAssignmentInput,
  SaveAssignmentRuleInput,
} from './assignment.schemas';

/**
 * Assignment rules (分配规则): per tenant and list (leads, customers), in order; the first rule
 * whose conditions match a record decides who gets it — round robin within a team, the
 * member with the fewest open records, one member, or the team's queue — and a record no rule
 * matched goes to the 公海 (or stays unassigned, as the tenant chose). Assigning is one
 * statement per batch whatever its size; every assignment is written to the moves.
 */

function ruleOutput(row: RuleRow): AssignmentRuleOutput {
  return {
    id: row.id,
    entity: row.entity,
    position: row.position,
    name: row.name,
    enabled: row.enabled,
    regions: row.regions,
    industries: row.industries,
    sources: row.sources,
    method: row.method,
    teamId: row.team_id,
    teamName: row.team_name,
    members: row.members,
    candidateCount: row.candidate_count,
  };
}

export async function listAssignmentRules(scope: Scope, entity: PoolEntity): Promise<AssignmentRuleOutput[]> {
  return (await selectRules(scope, entity)).map(ruleOutput);
}

export async function saveAssignmentRule(
  scope: Scope,
  input: SaveAssignmentRuleInput,
): Promise<AssignmentRuleOutput> {
  if (input.teamId && !(await teamExists(scope, input.teamId)))
    throw appError('TEAM_NOT_FOUND', {}, 'teamId');
  const memberIds = [...new Set(input.memberIds)];
  if ((await selectMemberIds(scope, memberIds)).length !== memberIds.length) {
    throw appError('ASSIGNMENT_MEMBER_INVALID', {}, 'memberIds');
  }
  const values: RuleValues = {
    entity: input.entity,
    name: input.name,
    enabled: input.enabled,
    regions: [...new Set(input.regions)],
    industries: [...new Set(input.industries)],
    // Customers have no source: a customer rule never tests one.
    sources: input.entity === 'lead' ? [...new Set(input.sources)] : [],
    method: input.method,
    team_id: input.teamId,
    member_ids: memberIds,
  };
  let id = input.id;
  if (id) {
    if (!(await updateRule(scope, id, values))) throw appError('ASSIGNMENT_RULE_NOT_FOUND', {}, 'id');
  } else {
    id = (await insertRule(scope, values)).id;
  }
  const [saved] = await selectRules(scope, input.entity, [id]);
  if (!saved) throw appError('ASSIGNMENT_RULE_NOT_FOUND', {}, 'id');
  return ruleOutput(saved);
}

export async function deleteAssignmentRule(scope: Scope, id: string): Promise<{ id: string }> {
  if (!(await deleteRule(scope, id))) throw appError('ASSIGNMENT_RULE_NOT_FOUND', {}, 'id');
  return { id };
}

/** Moves a rule one place up or down; at the top or bottom nothing moves. The list in its new order. */
export async function moveAssignmentRule(
  scope: Scope,
  input: MoveAssignmentRuleInput,
): Promise<AssignmentRuleOutput[]> {
  const entity = await selectRuleEntity(scope, input.id);
  if (!entity) throw appError('ASSIGNMENT_RULE_NOT_FOUND', {}, 'id');
  await swapRule(scope, input.id, input.direction);
  return listAssignmentRules(scope, entity);
}

type Candidate = { userId: string; name: string; teamId: string | null; load: number };

async function candidatesByRule(
  scope: Scope,
  entity: PoolEntity,
  ruleIds: readonly string[],
): Promise<Map<string, Candidate[]>> {
  const byRule = new Map<string, Candidate[]>();
  for (const row of await selectCandidates(scope, entity, ruleIds)) {
    const list = byRule.get(row.rule_id) ?? [];
    list.push({ userId: row.user_id, name: row.name, teamId: row.team_id, load: row.load });
    byRule.set(row.rule_id, list);
  }
  return byRule;
}

/**
 * Assigns records without an owner by the rules, as one batch: which rule matches each (one
 * statement), the rules locked so concurrent batches take turns from the same cursor, the
 * members spread over by the pure rules of `@crm/domain`, then one statement that moves them
 * and writes their moves. Records that got an owner meanwhile are left alone.
 */
async function assignRecords(
  scope: Scope,
  entity: PoolEntity,
  ids: readonly string[],
  at: Date,
  visible?: ReturnType<typeof sql<boolean>>,
): Promise<AssignmentResultOutput> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { assigned: 0, queued: 0, unmatched: 0 };
  const matches = await matchRecords(scope, entity, unique, visible);
  const ruleIds = [...new Set(matches.flatMap((match) => (match.rule_id ? [match.rule_id] : [])))];
  const rules = new Map((await lockRules(scope, ruleIds)).map((rule) => [rule.id, rule]));
  const candidates = await candidatesByRule(scope, entity, ruleIds);

  const byRule = new Map<string | null, string[]>();
  for (const match of matches) {
    const rule = match.rule_id ? rules.get(match.rule_id) : undefined;
    const key = rule ? rule.id : null;
    byRule.set(key, [...(byRule.get(key) ?? []), match.id]);
  }

  const assignments: Assignment[] = [];
  const cursors: { ruleId: string; userId: string | null }[] = [];
  const unmatchedIds: string[] = [...(byRule.get(null) ?? [])];
  let queued = 0;
  for (const [ruleId, recordIds] of byRule) {
    if (ruleId === null) continue;
    const rule = rules.get(ruleId);
    const members = candidates.get(ruleId) ?? [];
    if (!rule) continue;
    if (rule.method === 'manual') {
      // The team's queue: a lead waits there for its manager; a customer (no team of its own) in the pool.
      for (const id of recordIds) {
        assignments.push({
          id,
          userId: null,
          teamId: rule.team_id,
          ruleId,
          toPool: entity === 'customer',
        });
      }
      queued += recordIds.length;
      continue;
    }
    if (members.length === 0) {
      unmatchedIds.push(...recordIds);
      continue;
    }
    let picks: string[];
    if (rule.method === 'round_robin') {
      const turn = roundRobin(
        members.map((member) => member.userId),
        rule.cursor_user_id,
        recordIds.length,
      );
      picks = turn.picks;
      cursors.push({ ruleId, userId: turn.cursor });
    } else if (rule.method === 'load') {
      picks = byLoad(members, recordIds.length);
    } else {
      picks = recordIds.map(() => (members[0] as Candidate).userId);
    }
    const teamOf = new Map(members.map((member) => [member.userId, member.teamId]));
    recordIds.forEach((id, index) => {
      const userId = picks[index] as string;
      assignments.push({
        id,
        userId,
        // The assignee's own team; a member without one works the lead for the rule's team.
        teamId: teamOf.get(userId) ?? rule.team_id ?? null,
        ruleId,
        toPool: false,
      });
    });
  }
  let unmatched = 0;
  if (unmatchedIds.length > 0 && (await selectUnmatched(scope)) === 'pool') {
    for (const id of unmatchedIds)
      assignments.push({ id, userId: null, teamId: null, ruleId: null, toPool: true });
    unmatched = unmatchedIds.length;
  } else {
    unmatched = unmatchedIds.length;
  }
  if (entity === 'lead') await moveAssignedLeads(scope, assignments, at);
  else await applyCustomerAssignments(scope, assignments, at);
  await saveCursors(scope, cursors);
  return { assigned: assignments.filter((item) => item.userId !== null).length, queued, unmatched };
}

/**
 * Leads change hands through the leads capability (their history, their open tasks); what
 * moved is then written to the 公海's moves with its rule. Leads a rule gave someone are moved
 * as `rule`, those no rule matched into the pool as `unmatched`; a lead that got an owner
 * meanwhile is left alone.
 */
async function moveAssignedLeads(scope: Scope, assignments: readonly Assignment[], at: Date) {
  const ruleOf = new Map(assignments.map((item) => [item.id, item.ruleId]));
  const toMove = (items: readonly Assignment[]) =>
    items.map((item) => ({
      id: item.id,
      ownerUserId: item.userId,
      teamId: item.teamId,
      inPool: item.toPool,
    }));
  const moved = [
    ...(await moveLeads(
      scope,
      toMove(assignments.filter((item) => item.ruleId !== null)),
      { reason: 'rule' },
      { guard: 'unowned', at },
    )),
    ...(await moveLeads(
      scope,
      toMove(assignments.filter((item) => item.ruleId === null)),
      { reason: 'unmatched' },
      { guard: 'unowned', at },
    )),
  ];
  await insertLeadAssignMoves(
    scope,
    moved.map((lead) => ({
      id: lead.id,
      userId: lead.toOwnerId,
      teamId: lead.teamId,
      ruleId: ruleOf.get(lead.id) ?? null,
      toPool: lead.inPool,
    })),
    at,
  );
}

/**
 * The assignment of new leads without an owner (a web form, an import, the API): by the
 * tenant's rules, in the caller's transaction, as one batch however many. The leads
 * capability calls this after inserting them.
 */
export function assignLeads(scope: Scope, leadIds: readonly string[], at = new Date()) {
  return assignRecords(scope, 'lead', leadIds, at);
}

/** The same for customers without an owner (an import, the API). */
export function assignCustomers(scope: Scope, customerIds: readonly string[], at = new Date()) {
  return assignRecords(scope, 'customer', customerIds, at);
}

/** What a member may run the rules over: records in the pool, or unassigned ones they see. */
function assignableBy(scope: Scope, entity: PoolEntity) {
  return entity === 'lead'
    ? sql<boolean>`(l.in_pool or ${visibleLeadAs(scope)})`
    : sql<boolean>`(c.in_pool or ${visibleCustomerAs(scope)})`;
}

// The repository's statements name the record `l` or `c`; the access filters name the table.
function visibleLeadAs(scope: Scope) {
  return sql<boolean>`exists (select 1 from leads where leads.tenant_id = l.tenant_id and leads.id = l.id
    and ${visibleLead(scope.access)})`;
}
function visibleCustomerAs(scope: Scope) {
  return sql<boolean>`exists (select 1 from customers where customers.tenant_id = c.tenant_id and customers.id = c.id
    and ${visibleCustomer(scope.access)})`;
}

/** 按规则分配: runs the rules over records without an owner that the member may assign. */
export async function applyAssignment(
  scope: Scope,
  input: ApplyAssignmentInput,
): Promise<AssignmentResultOutput> {
  const result = await assignRecords(
    scope,
    input.entity,
    input.ids,
    new Date(),
    assignableBy(scope, input.entity),
  );
  if (result.assigned + result.queued + result.unmatched === 0)
    throw appError('ASSIGNMENT_NO_RECORDS', {}, 'ids');
  return result;
}

/** 预览: who a lead or customer would go to now, without assigning it. */
export async function previewAssignment(
  scope: Scope,
  input: PreviewAssignmentInput,
): Promise<AssignmentPreviewOutput> {
  let fields: { region: string | null; industry: string | null; source: string | null } = {
    region: input.region ?? null,
    industry: input.industry ?? null,
    source: input.source ?? null,
  };
  if (input.id) {
    const visible = input.entity === 'lead' ? visibleLead(scope.access) : visibleCustomer(scope.access);
    const record = await selectRecordFields(scope, input.entity, input.id, visible);
    if (!record) throw appError(input.entity === 'lead' ? 'LEAD_NOT_FOUND' : 'CUSTOMER_NOT_FOUND', {}, 'id');
    fields = record;
  }
  const unmatched = await selectUnmatched(scope);
  const ruleId = await matchFields(scope, input.entity, fields);
  const empty: AssignmentPreviewOutput = {
    ruleId: null,
    ruleName: null,
    method: null,
    userId: null,
    userName: null,
    teamId: null,
    teamName: null,
    unmatched,
  };
  if (!ruleId) return empty;
  const [rule] = await selectRules(scope, input.entity, [ruleId]);
  if (!rule) return empty;
  const members = (await candidatesByRule(scope, input.entity, [ruleId])).get(ruleId) ?? [];
  let userId: string | null = null;
  if (rule.method === 'round_robin') {
    userId =
      roundRobin(
        members.map((member) => member.userId),
        rule.cursor_user_id,
        1,
      ).picks[0] ?? null;
  } else if (rule.method === 'load') {
    userId = byLoad(members, 1)[0] ?? null;
  } else if (rule.method === 'member') {
    userId = members[0]?.userId ?? null;
  }
  const teamId = members.find((member) => member.userId === userId)?.teamId ?? rule.team_id ?? null;
  const names = await selectNames(scope, userId, teamId);
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    method: rule.method,
    userId,
    userName: names.user_name,
    teamId,
    teamName: names.team_name,
    unmatched,
  };
}
