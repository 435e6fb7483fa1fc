import {
  dateInput,
  dateTimeInput,
  INTERACTION_KINDS,
  LEAD_DISQUALIFY_REASONS,
  LEAD_GRADE_CHANGE_KINDS,
  LEAD_INTENTS,
  LEAD_SOURCES,
  LEAD_STATUSES,
  userText,
} from '@crm/domain';
import { z } from 'zod';
import { checkDuplicatesOutput } from '../duplicates/duplicates.schemas';

/*
 * Leads (线索): inputs and outputs of the leads capability (docs/leads-and-pipeline.md).
 */

/** Where a lead's follow-up clock stands: none running, on track, due within 4 h, overdue, met in time, or met late. */
export const LEAD_SLA_STATES = ['none', 'on_track', 'due_soon', 'overdue', 'met', 'missed'] as const;
export type LeadSlaState = (typeof LEAD_SLA_STATES)[number];

/** Which rule gave the lead its grade, and what it read (the explanation shown beside the grade). */
export const gradeReasonOutput = z
  .object({
    rule: z.string().optional(),
    grade: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    when: z.unknown().optional(),
    followUpWithinHours: z.number().nullable().optional(),
    facts: z.record(z.string(), z.unknown()).optional(),
    regrade: z.unknown().optional(),
    by: z.string().optional(),
  })
  .passthrough();
export type GradeReasonOutput = z.infer<typeof gradeReasonOutput>;

/** A lead as lists return it. */
export const leadOutput = z.object({
  id: z.uuid(),
  personName: z.string().nullable(),
  companyName: z.string().nullable(),
  /** What lists show: the company, else the person. */
  name: z.string(),
  jobTitle: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  wechat: z.string().nullable(),
  region: z.string().nullable(),
  industry: z.string().nullable(),
  companySize: z.number().int().nullable(),
  source: z.enum(LEAD_SOURCES),
  campaign: z.string().nullable(),
  intent: z.enum(LEAD_INTENTS).nullable(),
  needs: z.array(z.string()),
  budget: z.string().nullable(),
  currency: z.string(),
  expectedCloseOn: z.string().nullable(),
  decisionMakerReached: z.boolean(),
  notes: z.string().nullable(),
  ownerUserId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  status: z.enum(LEAD_STATUSES),
  statusChangedAt: z.string(),
  disqualifyReason: z.enum(LEAD_DISQUALIFY_REASONS).nullable(),
  disqualifyNote: z.string().nullable(),
  grade: z.string().nullable(),
  gradeKey: z.string().nullable(),
  gradeReason: gradeReasonOutput.nullable(),
  gradedAt: z.string().nullable(),
  followUpHours: z.number().nullable(),
  followUpDueAt: z.string().nullable(),
  firstContactAt: z.string().nullable(),
  firstContactMinutes: z.number().int().nullable(),
  lastContactAt: z.string().nullable(),
  contactCount: z.number().int(),
  slaBreachedAt: z.string().nullable(),
  slaEscalatedAt: z.string().nullable(),
  slaState: z.enum(LEAD_SLA_STATES),
  inPool: z.boolean(),
  convertedCustomerId: z.uuid().nullable(),
  convertedContactId: z.uuid().nullable(),
  convertedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LeadOutput = z.infer<typeof leadOutput>;

/** The filters of the lead list (and of its counts, saved views and exports). */
export const leadFilterFields = {
  statuses: z.array(z.enum(LEAD_STATUSES)).max(LEAD_STATUSES.length).optional(),
  grades: z.array(z.string().min(1).max(8)).max(20).optional(),
  sources: z.array(z.enum(LEAD_SOURCES)).max(LEAD_SOURCES.length).optional(),
  /** An owner; `unassigned` for leads without one. */
  owner: z.union([z.uuid(), z.literal('unassigned'), z.literal('me')]).optional(),
  teamId: z.uuid().optional(),
  campaign: z.string().trim().min(1).max(200).optional(),
  intents: z.array(z.enum(LEAD_INTENTS)).max(LEAD_INTENTS.length).optional(),
  slaStates: z.array(z.enum(LEAD_SLA_STATES)).max(LEAD_SLA_STATES.length).optional(),
  /** Name, company, phone, email, WeChat or campaign contains it (two characters at least). */
  search: z.string().trim().max(100).optional(),
  createdFrom: dateInput.optional(),
  createdTo: dateInput.optional(),
};
export const leadFiltersInput = z.strictObject(leadFilterFields);
export type LeadFilters = z.infer<typeof leadFiltersInput>;

export const LEAD_SORTS = ['created_desc', 'due_asc'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

export const listLeadsInput = z
  .strictObject({
    ...leadFilterFields,
    sort: z.enum(LEAD_SORTS).default('created_desc'),
    cursor: z.string().max(400).nullish(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .default({ sort: 'created_desc', limit: 50 });
export type ListLeadsInput = z.infer<typeof listLeadsInput>;

export const leadPageOutput = z.object({
  items: z.array(leadOutput),
  nextCursor: z.string().nullable(),
});
export type LeadPageOutput = z.infer<typeof leadPageOutput>;

/** 共 N 条 and the counts beside the filters: by status (other filters applied), by grade, overdue. */
export const leadCountsOutput = z.object({
  total: z.number().int(),
  byStatus: z.record(z.enum(LEAD_STATUSES), z.number().int()),
  byGrade: z.array(z.object({ grade: z.string().nullable(), count: z.number().int() })),
  overdue: z.number().int(),
  dueSoon: z.number().int(),
});
export type LeadCountsOutput = z.infer<typeof leadCountsOutput>;

export const leadIdInput = z.strictObject({ id: z.uuid() });

const oneLine = (max: number) => userText({ max }).nullish();
const need = userText({ required: true, max: 200 });

/** What a person types about a lead (create and update share it). */
const leadFields = {
  personName: oneLine(100),
  companyName: oneLine(200),
  jobTitle: oneLine(100),
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^(\+?[0-9][0-9 ()-]{2,38})?$/)
    .nullish(),
  email: z.union([z.literal(''), z.email().max(254)]).nullish(),
  wechat: oneLine(100),
  region: oneLine(100),
  industry: oneLine(100),
  companySize: z.number().int().min(0).max(10_000_000).nullish(),
  campaign: oneLine(200),
  intent: z.enum(LEAD_INTENTS).nullish(),
  needs: z.array(need).max(50).optional(),
  budget: z.number().min(0).max(99_999_999_999_999).nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  expectedCloseOn: dateInput.nullish(),
  decisionMakerReached: z.boolean().optional(),
  notes: userText({ multiline: true, max: 4000 }).nullish(),
};

export const createLeadInput = z.strictObject({
  ...leadFields,
  source: z.enum(LEAD_SOURCES).default('manual'),
  /** Someone else than oneself needs leads.manage; a member without leads.write leaves it to assignment. */
  ownerUserId: z.uuid().nullish(),
  teamId: z.uuid().nullish(),
  /** Create although the duplicate check found the same lead or customer. */
  force: z.boolean().default(false),
});
export type CreateLeadInput = z.infer<typeof createLeadInput>;

export const updateLeadInput = z.strictObject({ id: z.uuid(), ...leadFields });
export type UpdateLeadInput = z.infer<typeof updateLeadInput>;

/** A duplicate lead, as the check shows it. */
export const leadBriefOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  status: z.enum(LEAD_STATUSES),
  grade: z.string().nullable(),
  ownerName: z.string().nullable(),
  createdAt: z.string(),
});

export const checkLeadDuplicatesInput = z.strictObject({
  personName: z.string().trim().max(100).nullish(),
  companyName: z.string().trim().max(200).nullish(),
  phone: z.string().trim().max(40).nullish(),
  email: z.string().trim().max(254).nullish(),
  /** The lead being edited, left out of its own matches. */
  excludeId: z.uuid().nullish(),
});
export type CheckLeadDuplicatesInput = z.infer<typeof checkLeadDuplicatesInput>;

export const leadDuplicatesOutput = z.object({
  /** Open or converted leads with the same phone or email (the ones the member sees). */
  leads: z.array(leadBriefOutput.extend({ reasons: z.array(z.enum(['phone', 'email'])) })),
  /** Leads with the same phone or email the member cannot see (another rep's): counted only. */
  hiddenLeads: z.number().int(),
  /** Customers the duplicates capability's identity rule matches (wave 1's keys). */
  customers: checkDuplicatesOutput,
});
export type LeadDuplicatesOutput = z.infer<typeof leadDuplicatesOutput>;

/** Moves of the status a member makes (converted is the conversion's, disqualified needs a reason: `disqualify`). */
export const moveLeadInput = z.strictObject({
  id: z.uuid(),
  to: z.enum(['new', 'contacted', 'qualified']),
  note: userText({ max: 500 }).nullish(),
});
export type MoveLeadInput = z.infer<typeof moveLeadInput>;

export const disqualifyLeadInput = z.strictObject({
  id: z.uuid(),
  reason: z.enum(LEAD_DISQUALIFY_REASONS),
  note: userText({ max: 500 }).nullish(),
});
export type DisqualifyLeadInput = z.infer<typeof disqualifyLeadInput>;

export const reassignLeadInput = z.strictObject({
  id: z.uuid(),
  /** Null leaves it unassigned in its team. */
  ownerUserId: z.uuid().nullable(),
  teamId: z.uuid().nullish(),
  note: userText({ max: 500 }).nullish(),
});
export type ReassignLeadInput = z.infer<typeof reassignLeadInput>;

export const LEAD_CONTACT_KINDS = INTERACTION_KINDS;
export const logLeadContactInput = z.strictObject({
  id: z.uuid(),
  kind: z.enum(['call', 'visit', 'message', 'email', 'meeting']),
  /** Defaults to now; never in the future. */
  occurredAt: dateTimeInput.optional(),
  summary: userText({ multiline: true, max: 2000 }).nullish(),
  /** Also move a new lead to contacted (the default). */
  markContacted: z.boolean().default(true),
});
export type LogLeadContactInput = z.infer<typeof logLeadContactInput>;

/** What happened to a lead, newest first: grade changes, moves, contacts and behaviour events. */
export const leadTimelineItem = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('grade'),
    id: z.uuid(),
    at: z.string(),
    fromGrade: z.string().nullable(),
    toGrade: z.string().nullable(),
    byKind: z.enum(LEAD_GRADE_CHANGE_KINDS),
    ruleKey: z.string().nullable(),
    reason: gradeReasonOutput,
    byName: z.string().nullable(),
  }),
  z.object({
    type: z.literal('history'),
    id: z.uuid(),
    at: z.string(),
    kind: z.enum(['created', 'status', 'owner']),
    fromStatus: z.enum(LEAD_STATUSES).nullable(),
    toStatus: z.enum(LEAD_STATUSES).nullable(),
    fromOwnerName: z.string().nullable(),
    toOwnerName: z.string().nullable(),
    reason: z.string().nullable(),
    note: z.string().nullable(),
    byName: z.string().nullable(),
  }),
  z.object({
    type: z.literal('activity'),
    id: z.uuid(),
    at: z.string(),
    kind: z.string(),
    summary: z.string().nullable(),
    byName: z.string().nullable(),
  }),
  z.object({
    type: z.literal('event'),
    id: z.uuid(),
    at: z.string(),
    kind: z.string(),
    campaignName: z.string().nullable(),
    formName: z.string().nullable(),
    targetUrl: z.string().nullable(),
  }),
]);
export type LeadTimelineItem = z.infer<typeof leadTimelineItem>;

export const leadDetailOutput = leadOutput.extend({
  timeline: z.array(leadTimelineItem),
  /** The follow-up task of the current grade, if one is open or was done. */
  followUpTask: z
    .object({
      id: z.uuid(),
      status: z.string(),
      dueAt: z.string().nullable(),
      ownerName: z.string().nullable(),
    })
    .nullable(),
});
export type LeadDetailOutput = z.infer<typeof leadDetailOutput>;

/** The tenant's grades (from its plugin) for filters and tags. */
export const leadGradesOutput = z.array(
  z.object({
    key: z.string(),
    grade: z.string(),
    labels: z.record(z.string(), z.string()),
    followUpWithinHours: z.number(),
  }),
);
export type LeadGradesOutput = z.infer<typeof leadGradesOutput>;

export const regradeLeadsOutput = z.object({ graded: z.number().int(), changed: z.number().int() });
export type RegradeLeadsOutput = z.infer<typeof regradeLeadsOutput>;
