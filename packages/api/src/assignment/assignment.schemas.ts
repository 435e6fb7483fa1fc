import { ASSIGNMENT_METHODS, LEAD_SOURCES, POOL_ENTITIES, userText } from '@crm/domain';
import { z } from 'zod';

const condition = (max: number) => z.array(userText({ required: true, max: 100 })).max(max);

export const assignmentEntityInput = z.strictObject({ entity: z.enum(POOL_ENTITIES) });
export type AssignmentEntityInput = z.infer<typeof assignmentEntityInput>;

/** A rule as the settings page edits it: create without `id`, update with it. */
export const saveAssignmentRuleInput = z
  .strictObject({
    id: z.uuid().optional(),
    entity: z.enum(POOL_ENTITIES),
    name: userText({ required: true, max: 100 }),
    enabled: z.boolean().default(true),
    /** Matches when the record's region is one of these (none: any region). */
    regions: condition(50).default([]),
    industries: condition(50).default([]),
    /** Leads only: where the lead came from. */
    sources: z.array(z.enum(LEAD_SOURCES)).max(LEAD_SOURCES.length).default([]),
    method: z.enum(ASSIGNMENT_METHODS),
    /** Round robin and by load: within this team (none: the members listed, or every sales rep); manual: its queue. */
    teamId: z.uuid().nullable().default(null),
    /** Round robin and by load: only these members; `member`: exactly one. */
    memberIds: z.array(z.uuid()).max(200).default([]),
  })
  .refine((rule) => rule.method !== 'manual' || rule.teamId !== null, {
    path: ['teamId'],
    message: 'manual assignment needs a team (its queue)',
  })
  .refine((rule) => rule.method !== 'member' || rule.memberIds.length === 1, {
    path: ['memberIds'],
    message: 'a rule for one member names exactly one',
  });
export type SaveAssignmentRuleInput = z.infer<typeof saveAssignmentRuleInput>;

export const assignmentRuleIdInput = z.strictObject({ id: z.uuid() });

/** Moves a rule up or down by one place among its list's rules. */
export const moveAssignmentRuleInput = z.strictObject({
  id: z.uuid(),
  direction: z.enum(['up', 'down']),
});
export type MoveAssignmentRuleInput = z.infer<typeof moveAssignmentRuleInput>;

const memberOutput = z.object({ userId: z.uuid(), name: z.string() });

export const assignmentRuleOutput = z.object({
  id: z.uuid(),
  entity: z.enum(POOL_ENTITIES),
  position: z.number().int(),
  name: z.string(),
  enabled: z.boolean(),
  regions: z.array(z.string()),
  industries: z.array(z.string()),
  sources: z.array(z.enum(LEAD_SOURCES)),
  method: z.enum(ASSIGNMENT_METHODS),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  members: z.array(memberOutput),
  /** Who would get the records this rule matches (its team's sales members, the members listed, or every rep). */
  candidateCount: z.number().int(),
});
export type AssignmentRuleOutput = z.infer<typeof assignmentRuleOutput>;

/**
 * Preview (预览): who a lead or customer would go to — an existing one by id, or one with
 * these fields — without assigning anything.
 */
export const previewAssignmentInput = z.strictObject({
  entity: z.enum(POOL_ENTITIES),
  id: z.uuid().optional(),
  region: userText({ max: 100 }).optional(),
  industry: userText({ max: 100 }).optional(),
  source: z.enum(LEAD_SOURCES).optional(),
});
export type PreviewAssignmentInput = z.infer<typeof previewAssignmentInput>;

export const assignmentPreviewOutput = z.object({
  /** The first rule that matched; null: none did (the record goes to `unmatched`). */
  ruleId: z.uuid().nullable(),
  ruleName: z.string().nullable(),
  method: z.enum(ASSIGNMENT_METHODS).nullable(),
  userId: z.uuid().nullable(),
  userName: z.string().nullable(),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  /** What happens when no rule matched: the 公海 or left unassigned. */
  unmatched: z.enum(['pool', 'unassigned']),
});
export type AssignmentPreviewOutput = z.infer<typeof assignmentPreviewOutput>;

/** Runs the rules over records without an owner (in the pool or unassigned) that the member sees. */
export const applyAssignmentInput = z.strictObject({
  entity: z.enum(POOL_ENTITIES),
  ids: z.array(z.uuid()).min(1).max(500),
});
export type ApplyAssignmentInput = z.infer<typeof applyAssignmentInput>;

export const assignmentResultOutput = z.object({
  /** Given to a member. */
  assigned: z.number().int(),
  /** Given to a team's queue (manual). */
  queued: z.number().int(),
  /** No rule matched: to the pool or left unassigned. */
  unmatched: z.number().int(),
});
export type AssignmentResultOutput = z.infer<typeof assignmentResultOutput>;
