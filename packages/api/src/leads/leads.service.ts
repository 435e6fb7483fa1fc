import { hasPermission } from '@crm/auth';
import type { LeadStatus } from '@crm/db';
import type { WorkCalendar } from '@crm/domain';
import { assignLeads } from '../assignment/assignment.service';
import { loadWorkCalendar } from '../calendar/calendar.service';
import { checkDuplicates } from '../duplicates/duplicates.service';
import { appError } from '../errors';
import { decodeCursor, encodeCursor, UUID } from '../keyset';
import { tenantLeadRules } from '../lead-events/lead-events.service';
import { notifyUsers } from '../notifications/notifications.service';
import type { PluginRegistry } from '../plugins/registry';
import type { MemberScope, Scope } from '../scope';
import {
  completeGeneratedTasks,
  completeGeneratedTasksOf,
  createTasks,
  type NewTask,
} from '../tasks/task-backbone.service';
import { recordWebhookEvent, recordWebhookEvents } from '../webhooks/webhooks.service';
import {
  businessMinutesBetween,
  FOLLOW_UP_TITLE_FORMAT,
  followUpDueAt,
  followUpPriority,
  followUpTitle,
  TASK_TITLE_MAX,
} from './follow-up';
import { type GradeTarget, gradeLeadsSql } from './grading.sql';
import { assertLeadOwner, changeLeadOwner, FOLLOW_UP_PREFIX } from './lead-owners.service';
import {
  applyGrades,
  countLeadGroups,
  flagBreachedLeads,
  insertLeadActivity,
  insertLeads,
  type LeadCursor,
  type LeadRow,
  type LeadValues,
  selectFollowUpTask,
  selectLead,
  selectLeadManagers,
  selectLeadMatches,
  selectLeadPage,
  selectTimeline,
  selectUserNames,
  updateFollowUpClocks,
  updateLeadConverted,
  updateLeadFields,
  updateLeadStatus,
} from './leads.repository';
import type {
  CheckLeadDuplicatesInput,
  CreateLeadInput,
  DisqualifyLeadInput,
  GradeReasonOutput,
  LeadCountsOutput,
  LeadDetailOutput,
  LeadDuplicatesOutput,
  LeadGradesOutput,
  LeadOutput,
  LeadPageOutput,
  LeadSlaState,
  LeadTimelineItem,
  ListLeadsInput,
  LogLeadContactInput,
  MoveLeadInput,
  ReassignLeadInput,
  RegradeLeadsOutput,
  UpdateLeadInput,
} from './leads.schemas';

/**
 * The use cases of leads (线索): create (with the duplicate check against leads and
 * customers), edit, the list, its counts and one lead with its timeline; status moves,
 * disqualification with a reason, reassignment, logged contacts (the first stops the
 * follow-up clock); grading by the plugin's grades, set-based in SQL, with the follow-up
 * task each new grade brings. Other capabilities use `createLeads` (an owner given by an
 * assignment rule or an import), `changeLeadOwner` (the 公海's claims, releases and
 * recycling) and `markLeadConverted` (the conversion).
 */

/** What lead use cases need beyond the scope: the industry plugins (for grades). */
export type LeadDependencies = { plugins: PluginRegistry | undefined };

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();
const OPEN_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'qualified'];

export function toLeadOutput(row: LeadRow): LeadOutput {
  return {
    id: row.id,
    personName: row.person_name,
    companyName: row.company_name,
    name: row.company_name ?? row.person_name ?? '',
    jobTitle: row.job_title,
    phone: row.phone,
    email: row.email,
    wechat: row.wechat,
    region: row.region,
    industry: row.industry,
    companySize: row.company_size,
    source: row.source,
    campaign: row.campaign,
    intent: row.intent as LeadOutput['intent'],
    needs: row.needs,
    budget: row.budget,
    currency: row.currency,
    expectedCloseOn: row.expected_close_on,
    decisionMakerReached: row.decision_maker_reached,
    notes: row.notes,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    teamId: row.team_id,
    teamName: row.team_name,
    status: row.status,
    statusChangedAt: iso(row.status_changed_at) as string,
    disqualifyReason: row.disqualify_reason,
    disqualifyNote: row.disqualify_note,
    grade: row.grade,
    gradeKey: row.grade_key,
    gradeReason: (row.grade_reason as GradeReasonOutput | null) ?? null,
    gradedAt: iso(row.graded_at),
    followUpHours: row.follow_up_hours === null ? null : Number(row.follow_up_hours),
    followUpDueAt: iso(row.follow_up_due_at),
    firstContactAt: iso(row.first_contact_at),
    firstContactMinutes: row.first_contact_minutes,
    lastContactAt: iso(row.last_contact_at),
    contactCount: row.contact_count,
    slaBreachedAt: iso(row.sla_breached_at),
    slaEscalatedAt: iso(row.sla_escalated_at),
    slaState: row.sla_state as LeadSlaState,
    inPool: row.in_pool,
    convertedCustomerId: row.converted_customer_id,
    convertedContactId: row.converted_contact_id,
    convertedAt: iso(row.converted_at),
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
  };
}

const blank = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value.trim() === '' ? null : value.trim();

function valuesOf(input: Omit<CreateLeadInput, 'source' | 'ownerUserId' | 'teamId' | 'force'>): LeadValues {
  return {
    person_name: blank(input.personName),
    company_name: blank(input.companyName),
    job_title: blank(input.jobTitle),
    phone: blank(input.phone),
    email: blank(input.email),
    wechat: blank(input.wechat),
    region: blank(input.region),
    industry: blank(input.industry),
    company_size: input.companySize ?? null,
    campaign: blank(input.campaign),
    intent: input.intent ?? null,
    needs: input.needs ?? [],
    budget: input.budget ?? null,
    currency: input.currency ?? 'CNY',
    expected_close_on: input.expectedCloseOn ?? null,
    decision_maker_reached: input.decisionMakerReached ?? false,
    notes: blank(input.notes),
  };
}

/** A lead visible to the actor, or LEAD_NOT_FOUND. */
async function requireLead(scope: Scope, id: string, forUpdate = false): Promise<LeadRow> {
  const lead = await selectLead(scope, id, forUpdate);
  if (!lead) throw appError('LEAD_NOT_FOUND');
  return lead;
}

// ---------------------------------------------------------------------------------------------
// Grades and follow-up clocks

/** The tenant's lead grades (from its plugin, with its settings). */
export async function listLeadGrades(
  scope: Scope,
  dependencies: LeadDependencies,
): Promise<LeadGradesOutput> {
  if (!dependencies.plugins) return [];
  const { grades } = await tenantLeadRules(scope, dependencies.plugins);
  return grades.map((grade) => ({
    key: grade.key,
    grade: grade.grade,
    labels: { ...grade.labels },
    followUpWithinHours: grade.followUpWithinHours,
  }));
}

/** A lead whose grade (and so its follow-up limit) just changed: what its follow-up task needs. */
export type NewGrade = {
  id: string;
  name: string;
  grade: string;
  gradeKey: string;
  hours: number;
  ownerUserId: string | null;
  teamId: string | null;
};

/** The reason a lead's open follow-up task is closed with when a new grade brings its own. */
const SUPERSEDED_REASON = 'regraded';

/**
 * Starts the follow-up clock of each newly graded lead: its deadline by the grade's limit on
 * the tenant's work calendar from now, a follow-up task (the task backbone, keyed to the lead
 * and the moment, so a second call never makes a second task) for its owner or team, the
 * previous grade's open follow-up task closed as superseded. Set-based: one insert of tasks,
 * one update of clocks.
 */
export async function startFollowUps(
  scope: Scope,
  graded: readonly NewGrade[],
  now = new Date(),
): Promise<number> {
  if (graded.length === 0) return 0;
  const calendar = await loadWorkCalendar(scope);
  const stamp = now.getTime();
  const dueOf = followUpDeadlinesOn(calendar, now);
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: calendar.timeZone });
  const clocks = graded.map((lead) => ({ lead, dueAt: dueOf(lead.hours) }));
  await completeGeneratedTasksOf(
    scope,
    'lead',
    graded.map((lead) => lead.id),
    [FOLLOW_UP_PREFIX],
    SUPERSEDED_REASON,
  );
  const made = await createTasks(
    scope,
    clocks.map(({ lead, dueAt }) => ({
      title: followUpTitle(scope.locale, lead.grade, lead.name),
      type: 'follow_up' as const,
      relatedKind: 'lead',
      relatedId: lead.id,
      ownerUserId: lead.ownerUserId,
      teamId: lead.teamId,
      dueOn: dayOf.format(dueAt),
      dueAt,
      priority: followUpPriority(lead.hours),
      source: 'rule' as const,
      sourceKey: followUpTaskKey(lead.id, lead.gradeKey, stamp),
    })),
  );
  await updateFollowUpClocks(
    scope,
    clocks.map(({ lead, dueAt }) => ({ id: lead.id, dueAt, taskId: null })),
  );
  return made;
}

/** A follow-up task's occasion: the lead, its grade and the moment it was graded (ms). */
function followUpTaskKey(leadId: string, gradeKey: string, stamp: number): string {
  return `${FOLLOW_UP_PREFIX}${leadId}:${gradeKey}:${stamp}`;
}

/** Every lead graded now with the same limit has the same deadline: one computation per limit. */
function followUpDeadlinesOn(calendar: WorkCalendar, now: Date): (hours: number) => Date {
  const dues = new Map<number, Date>();
  return (hours: number) => {
    const known = dues.get(hours);
    if (known) return known;
    const due = followUpDueAt(calendar, now, hours);
    dues.set(hours, due);
    return due;
  };
}

/** A follow-up task's terms for one grade's limit: its deadline, due day (the tenant's) and priority. */
export type FollowUpTerms = { dueAt: Date; dueOn: string; priority: 'high' | 'normal' };

/**
 * What `startFollowUps` gives the follow-up tasks of leads graded `now`, for a statement that
 * writes them itself (the re-grade: its moves, clocks, history and tasks in one statement):
 * the terms of each limit (hours) on the tenant's work calendar, the title's format in the
 * actor's language, the occasion key's prefix and moment, and the reason the previous grade's
 * task is closed with.
 */
export async function followUpTermsOf(
  scope: Scope,
  hours: readonly number[],
  now: Date,
): Promise<{
  terms: Map<number, FollowUpTerms>;
  titleFormat: string;
  titleMax: number;
  keyPrefix: string;
  stamp: number;
  supersededReason: string;
}> {
  const calendar = await loadWorkCalendar(scope);
  const dueOf = followUpDeadlinesOn(calendar, now);
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: calendar.timeZone });
  return {
    terms: new Map(
      hours.map((limit) => {
        const dueAt = dueOf(limit);
        return [limit, { dueAt, dueOn: dayOf.format(dueAt), priority: followUpPriority(limit) }];
      }),
    ),
    titleFormat: FOLLOW_UP_TITLE_FORMAT[scope.locale],
    titleMax: TASK_TITLE_MAX,
    keyPrefix: FOLLOW_UP_PREFIX,
    stamp: now.getTime(),
    supersededReason: SUPERSEDED_REASON,
  };
}

/**
 * Grades leads by the tenant's grades (set-based, one statement), writes each change to the
 * grade history with the rule that matched, and starts the follow-up clock of every lead
 * whose grade changed. With `keepRegraded`, a grade set by a re-grade rule stays unless the
 * rules now give a better one (an edit does not undo what behaviour earned).
 */
export async function gradeLeads(
  scope: Scope,
  dependencies: LeadDependencies,
  target: GradeTarget,
  options: { keepRegraded: boolean } = { keepRegraded: true },
): Promise<{ changed: NewGrade[] }> {
  if (!dependencies.plugins) return { changed: [] };
  if ('ids' in target && target.ids.length === 0) return { changed: [] };
  const { grades } = await tenantLeadRules(scope, dependencies.plugins);
  const graded = gradeLeadsSql(scope.tenantId, grades, target);
  if (!graded) return { changed: [] };
  const rows = await applyGrades(scope, graded, options);
  const changed = rows.map((row) => ({
    id: row.id,
    name: row.name,
    grade: row.grade,
    gradeKey: row.grade_key,
    hours: row.hours,
    ownerUserId: row.owner_user_id,
    teamId: row.team_id,
  }));
  await startFollowUps(scope, changed);
  await recordWebhookEvents(
    scope,
    'lead.graded',
    rows.map((row) => ({
      id: row.id,
      name: row.name,
      from: row.old_grade,
      grade: row.grade,
      gradeKey: row.grade_key,
      by: 'grade_rule',
      ownerUserId: row.owner_user_id,
    })),
  );
  return { changed };
}

/** Re-grades every open lead of the tenant by the grade rules (leads.manage). */
export async function regradeAllLeads(
  scope: Scope,
  dependencies: LeadDependencies,
): Promise<RegradeLeadsOutput> {
  const { changed } = await gradeLeads(scope, dependencies, { all: true });
  const counts = await countLeadGroups(scope, { statuses: [...OPEN_STATUSES] });
  return { graded: counts.reduce((sum, row) => sum + row.count, 0), changed: changed.length };
}

// ---------------------------------------------------------------------------------------------
// Create, edit, duplicates

/**
 * Leads sharing the typed phone or email (the leads' dedup keys), and customers the
 * duplicates capability's identity rule matches (wave 1's keys: phone, email, company name).
 */
export async function checkLeadDuplicates(
  scope: Scope,
  input: CheckLeadDuplicatesInput,
): Promise<LeadDuplicatesOutput> {
  const phone = blank(input.phone);
  const email = blank(input.email);
  const rows = await selectLeadMatches(scope, phone, email, input.excludeId ?? null);
  const company = blank(input.companyName);
  const customers = await checkDuplicates(scope, {
    kind: company ? 'company' : 'person',
    name: company ?? blank(input.personName),
    phone,
    email,
    creditCode: null,
  });
  return {
    leads: rows
      .filter((row) => row.visible)
      .slice(0, 10)
      .map((row) => ({
        id: row.id,
        name: row.name,
        phone: row.phone,
        email: row.email,
        status: row.status,
        grade: row.grade,
        ownerName: row.owner_name,
        createdAt: iso(row.created_at) as string,
        reasons: [
          ...(row.by_phone ? (['phone'] as const) : []),
          ...(row.by_email ? (['email'] as const) : []),
        ],
      })),
    hiddenLeads: rows.filter((row) => !row.visible).length,
    customers,
  };
}

export type NewLead = Omit<CreateLeadInput, 'force' | 'ownerUserId' | 'teamId'> & {
  ownerUserId: string | null;
  teamId?: string | null;
};

/**
 * Creates leads with the owners given (a member, an import, the API), each recorded in its
 * history with the way it came (`assignReason`: manual, import …); the leads without an owner
 * or a team go through the tenant's assignment rules (分配规则: a member, a team's queue or the
 * 公海), and then all are graded and their follow-up clocks started — so the follow-up task is
 * the assigned owner's. No permission or duplicate check: the caller made them. The new leads'
 * ids, in order.
 */
export async function createLeads(
  scope: Scope,
  dependencies: LeadDependencies,
  leads: readonly NewLead[],
  options: { assignReason?: string; importRunId?: string | null } = {},
): Promise<string[]> {
  const ids = await insertLeads(
    scope,
    leads.map((lead) => ({
      ...valuesOf(lead),
      source: lead.source,
      owner_user_id: lead.ownerUserId,
      team_id: lead.teamId ?? null,
      import_run_id: options.importRunId ?? null,
      assign_reason: options.assignReason ?? (leads.some((lead) => lead.ownerUserId) ? 'manual' : null),
    })),
  );
  const unassigned = ids.filter((_, index) => !leads[index]?.ownerUserId && !leads[index]?.teamId);
  if (unassigned.length > 0) await assignLeads(scope, unassigned);
  const { changed } = await gradeLeads(scope, dependencies, { ids }, { keepRegraded: false });
  const grades = new Map(changed.map((lead) => [lead.id, lead]));
  await recordWebhookEvents(
    scope,
    'lead.created',
    ids.map((id, index) => {
      const lead = leads[index] as NewLead;
      return {
        id,
        personName: blank(lead.personName),
        companyName: blank(lead.companyName),
        phone: blank(lead.phone),
        email: blank(lead.email),
        source: lead.source,
        campaign: blank(lead.campaign),
        intent: lead.intent ?? null,
        // After the assignment rules (the graded row's owner), else as created.
        ownerUserId: grades.get(id)?.ownerUserId ?? lead.ownerUserId,
        teamId: grades.get(id)?.teamId ?? lead.teamId ?? null,
        grade: grades.get(id)?.grade ?? null,
        gradeKey: grades.get(id)?.gradeKey ?? null,
      };
    }),
  );
  return ids;
}

/**
 * A member creates a lead: a person's or a company's name is needed; the same phone or email
 * as another lead, or a customer the identity rule calls the same, refuses it unless forced.
 * Owner: the one named (someone else needs leads.manage), else the creator when they work
 * leads (leads.write), else nobody (assignment rules or the 公海 decide).
 */
export async function createLead(
  scope: MemberScope,
  dependencies: LeadDependencies,
  input: CreateLeadInput,
): Promise<LeadDetailOutput> {
  const values = valuesOf(input);
  if (!values.person_name && !values.company_name) throw appError('LEAD_NAME_REQUIRED', {}, 'personName');
  const manage = hasPermission(scope.role, 'leads.manage');
  let ownerUserId: string | null;
  if (input.ownerUserId !== undefined && input.ownerUserId !== null) {
    if (input.ownerUserId !== scope.userId && !manage) throw appError('FORBIDDEN', {}, 'ownerUserId');
    ownerUserId = input.ownerUserId;
  } else {
    ownerUserId = hasPermission(scope.role, 'leads.write') ? scope.userId : null;
  }
  const teamId = input.teamId ?? null;
  if (teamId && !manage && teamId !== scope.access.teamId) throw appError('FORBIDDEN', {}, 'teamId');
  await assertLeadOwner(scope, ownerUserId, teamId);
  if (!input.force) {
    const duplicates = await checkLeadDuplicates(scope, {
      personName: values.person_name,
      companyName: values.company_name,
      phone: values.phone,
      email: values.email,
    });
    const lead = duplicates.leads[0];
    if (lead || duplicates.hiddenLeads > 0) {
      const zh = scope.locale === 'zh-CN';
      throw appError(
        'LEAD_DUPLICATE',
        { kind: zh ? '线索' : 'lead', name: lead?.name ?? (zh ? '（他人负责）' : '(another rep’s)') },
        values.phone ? 'phone' : 'email',
      );
    }
    const customer = duplicates.customers.matches.find((match) => match.exact);
    if (customer) {
      throw appError(
        'LEAD_DUPLICATE',
        { kind: scope.locale === 'zh-CN' ? '客户' : 'customer', name: customer.customer.name },
        values.phone ? 'phone' : values.email ? 'email' : 'companyName',
      );
    }
  }
  const [id] = await createLeads(scope, dependencies, [{ ...input, ownerUserId, teamId }]);
  return getLead(scope, id as string);
}

/** Edits what a person typed about a lead (leads.write, a lead one sees, not converted); then re-grades it. */
export async function updateLead(
  scope: MemberScope,
  dependencies: LeadDependencies,
  input: UpdateLeadInput,
): Promise<LeadDetailOutput> {
  const lead = await requireLead(scope, input.id, true);
  if (lead.status === 'converted') throw appError('LEAD_CONVERTED');
  const values = valuesOf({
    personName: input.personName === undefined ? lead.person_name : input.personName,
    companyName: input.companyName === undefined ? lead.company_name : input.companyName,
    jobTitle: input.jobTitle === undefined ? lead.job_title : input.jobTitle,
    phone: input.phone === undefined ? lead.phone : input.phone,
    email: input.email === undefined ? lead.email : input.email,
    wechat: input.wechat === undefined ? lead.wechat : input.wechat,
    region: input.region === undefined ? lead.region : input.region,
    industry: input.industry === undefined ? lead.industry : input.industry,
    companySize: input.companySize === undefined ? lead.company_size : input.companySize,
    campaign: input.campaign === undefined ? lead.campaign : input.campaign,
    intent: input.intent === undefined ? (lead.intent as CreateLeadInput['intent']) : input.intent,
    needs: input.needs ?? lead.needs,
    budget: input.budget === undefined ? (lead.budget === null ? null : Number(lead.budget)) : input.budget,
    currency: input.currency ?? lead.currency,
    expectedCloseOn: input.expectedCloseOn === undefined ? lead.expected_close_on : input.expectedCloseOn,
    decisionMakerReached: input.decisionMakerReached ?? lead.decision_maker_reached,
    notes: input.notes === undefined ? lead.notes : input.notes,
  });
  if (!values.person_name && !values.company_name) throw appError('LEAD_NAME_REQUIRED', {}, 'personName');
  await updateLeadFields(scope, lead.id, values);
  await gradeLeads(scope, dependencies, { ids: [lead.id] });
  return getLead(scope, lead.id);
}

// ---------------------------------------------------------------------------------------------
// Reading

function decodeLeadCursor(cursor: string, sort: ListLeadsInput['sort']): LeadCursor {
  const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}[ T][0-9:.+-]+|infinity)$/;
  const [key = '', id = ''] = decodeCursor(cursor, [TIMESTAMP, UUID]);
  return sort === 'due_asc' ? { sort, due: key, id } : { sort, createdAt: key, id };
}

/** A page of the leads the member sees, filtered, newest first (or the nearest follow-up first). */
export async function listLeads(scope: Scope, input: ListLeadsInput): Promise<LeadPageOutput> {
  const { cursor, limit, sort, ...filters } = input;
  const rows = await selectLeadPage(
    scope,
    filters,
    sort,
    cursor ? decodeLeadCursor(cursor, sort) : null,
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toLeadOutput),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor([sort === 'due_asc' ? last.due_key : last.sort_key, last.id])
        : null,
  };
}

/** 共 N 条, by status (the other filters applied), by grade, overdue and due soon. */
export async function countLeads(scope: Scope, filters: ListLeadsInput): Promise<LeadCountsOutput> {
  const { cursor: _cursor, limit: _limit, sort: _sort, ...rest } = filters;
  const rows = await countLeadGroups(scope, rest);
  const byStatus: Record<LeadStatus, number> = {
    new: 0,
    contacted: 0,
    qualified: 0,
    converted: 0,
    disqualified: 0,
  };
  const byGrade = new Map<string | null, number>();
  let total = 0;
  let overdue = 0;
  let dueSoon = 0;
  for (const row of rows) {
    if (row.in_grade) byStatus[row.status] += row.count;
    if (row.in_status) byGrade.set(row.grade, (byGrade.get(row.grade) ?? 0) + row.count);
    if (row.in_status && row.in_grade) {
      total += row.count;
      if (row.sla_state === 'overdue') overdue += row.count;
      if (row.sla_state === 'due_soon') dueSoon += row.count;
    }
  }
  return {
    total,
    byStatus,
    byGrade: [...byGrade.entries()]
      .map(([grade, count]) => ({ grade, count }))
      .sort((a, b) => (a.grade ?? '~').localeCompare(b.grade ?? '~')),
    overdue,
    dueSoon,
  };
}

const TIMELINE_LIMIT = 100;

/** One lead with its timeline (grade changes, moves, contacts, behaviour events), newest first. */
export async function getLead(scope: Scope, id: string): Promise<LeadDetailOutput> {
  const lead = await requireLead(scope, id);
  const rows = await selectTimeline(scope, id, TIMELINE_LIMIT);
  const timeline: LeadTimelineItem[] = [
    ...rows.grades.map((row) => ({
      type: 'grade' as const,
      id: row.id,
      at: iso(row.changed_at) as string,
      fromGrade: row.from_grade,
      toGrade: row.to_grade,
      byKind: row.by_kind,
      ruleKey: row.rule_key,
      reason: row.reason as GradeReasonOutput,
      byName: row.by_name,
    })),
    ...rows.history.map((row) => ({
      type: 'history' as const,
      id: row.id,
      at: iso(row.changed_at) as string,
      kind: row.kind,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      fromOwnerName: row.from_owner_name,
      toOwnerName: row.to_owner_name,
      reason: row.reason,
      note: row.note,
      byName: row.by_name,
    })),
    ...rows.activities.map((row) => ({
      type: 'activity' as const,
      id: row.id,
      at: iso(row.occurred_at) as string,
      kind: row.kind,
      summary: row.summary,
      byName: row.by_name,
    })),
    ...rows.events.map((row) => ({
      type: 'event' as const,
      id: row.id,
      at: iso(row.occurred_at) as string,
      kind: row.kind,
      campaignName: row.campaign_name,
      formName: row.form_name,
      targetUrl: row.target_url,
    })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, TIMELINE_LIMIT * 2);
  const task = await selectFollowUpTask(scope, lead.id);
  return {
    ...toLeadOutput(lead),
    timeline,
    followUpTask: task
      ? { id: task.id, status: task.status, dueAt: iso(task.due_at), ownerName: task.owner_name }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Working a lead

/**
 * new ⇄ contacted ⇄ qualified (leads.write on a lead one sees); a disqualified lead reopens
 * only with leads.manage; a converted lead never moves.
 */
export async function moveLead(scope: MemberScope, input: MoveLeadInput): Promise<LeadDetailOutput> {
  const lead = await requireLead(scope, input.id, true);
  if (lead.status === 'converted') throw appError('LEAD_CONVERTED');
  if (lead.status === 'disqualified' && !hasPermission(scope.role, 'leads.manage'))
    throw appError('FORBIDDEN');
  if (lead.status !== input.to) await updateLeadStatus(scope, lead, input.to, { note: blank(input.note) });
  return getLead(scope, lead.id);
}

/** 无效: disqualifies an open lead with a reason (leads.manage); its follow-up task closes. */
export async function disqualifyLead(
  scope: MemberScope,
  input: DisqualifyLeadInput,
): Promise<LeadDetailOutput> {
  const lead = await requireLead(scope, input.id, true);
  if (lead.status === 'converted') throw appError('LEAD_CONVERTED');
  if (lead.status === 'disqualified')
    throw appError('LEAD_STATUS_INVALID', { from: lead.status, to: 'disqualified' });
  await updateLeadStatus(scope, lead, 'disqualified', { reason: input.reason, note: blank(input.note) });
  await completeGeneratedTasks(scope, { kind: 'lead', id: lead.id }, [FOLLOW_UP_PREFIX], 'disqualified');
  return getLead(scope, lead.id);
}

/** A manager reassigns a lead they see (leads.manage). */
export async function reassignLead(scope: MemberScope, input: ReassignLeadInput): Promise<LeadDetailOutput> {
  const lead = await requireLead(scope, input.id, true);
  if (lead.status === 'converted') throw appError('LEAD_CONVERTED');
  await changeLeadOwner(
    scope,
    [lead.id],
    { ownerUserId: input.ownerUserId, teamId: input.teamId ?? null },
    { reason: 'manual', note: blank(input.note) },
  );
  return getLead(scope, lead.id);
}

/**
 * Logs a contact (a call, a visit …) on a lead one sees (leads.write): the first stops the
 * follow-up clock (its task done, time to first contact in business minutes recorded); a new
 * lead moves to contacted.
 */
export async function logLeadContact(
  scope: MemberScope,
  input: LogLeadContactInput,
): Promise<LeadDetailOutput> {
  const lead = await requireLead(scope, input.id, true);
  if (lead.status === 'converted') throw appError('LEAD_CONVERTED');
  const now = new Date();
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
  if (occurredAt.getTime() > now.getTime() + 60_000)
    throw appError('LEAD_CONTACT_IN_FUTURE', {}, 'occurredAt');
  const calendar = lead.first_contact_at === null ? await loadWorkCalendar(scope) : null;
  const firstContactMinutes = calendar
    ? businessMinutesBetween(calendar, new Date(lead.created_at), occurredAt)
    : null;
  const { stoppedClock } = await insertLeadActivity(scope, lead.id, {
    kind: input.kind,
    occurredAt,
    summary: blank(input.summary),
    firstContactMinutes,
  });
  if (stoppedClock) {
    await completeGeneratedTasks(scope, { kind: 'lead', id: lead.id }, [FOLLOW_UP_PREFIX], 'contacted');
  }
  if (input.markContacted && lead.status === 'new') await updateLeadStatus(scope, lead, 'contacted');
  return getLead(scope, lead.id);
}

/**
 * The conversion marks the lead converted to its customer (and contact), in the caller's
 * transaction; its follow-up task closes. LEAD_NOT_FOUND for a lead the actor does not see,
 * LEAD_CONVERTED when it already is.
 */
export async function markLeadConverted(
  scope: Scope,
  leadId: string,
  conversion: { customerId: string; contactId?: string | null },
): Promise<LeadOutput> {
  const lead = await requireLead(scope, leadId, true);
  if (lead.status === 'converted') throw appError('LEAD_CONVERTED');
  await updateLeadConverted(scope, lead, {
    customerId: conversion.customerId,
    contactId: conversion.contactId ?? null,
  });
  await completeGeneratedTasks(scope, { kind: 'lead', id: lead.id }, [FOLLOW_UP_PREFIX], 'converted');
  await recordWebhookEvent(scope, 'lead.converted', {
    id: lead.id,
    customerId: conversion.customerId,
    contactId: conversion.contactId ?? null,
  });
  return toLeadOutput(await requireLead(scope, leadId));
}

/** A lead as the system or a member sees it (for other capabilities: the conversion, the pool). */
export async function findLead(scope: Scope, leadId: string): Promise<LeadOutput | null> {
  const lead = await selectLead(scope, leadId);
  return lead ? toLeadOutput(lead) : null;
}

// ---------------------------------------------------------------------------------------------
// The follow-up SLA scan

/** The scan's batch: the oldest deadlines first; the next scan takes the rest. */
const SCAN_LIMIT = 2000;

const ESCALATION_TITLE = {
  'zh-CN': (grade: string, name: string) => `督办：${grade} 级线索超时未跟进：${name}`,
  en: (grade: string, name: string) => `Escalated: grade ${grade} lead not followed up: ${name}`,
} as const;

function formatDue(due: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(due);
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/**
 * Acts on every lead whose follow-up clock ran out by `now` without a contact, in one
 * transaction and a few set-based statements: the breach flagged on the lead, its owner told
 * (lead_sla_breach), and the escalation — the team's managers told (lead_escalated; the
 * tenant's admins when the team has none) and a 督办 task for the first. Each notification
 * and task carries the occasion's key (the lead and its deadline), so a scan that runs twice,
 * or two at once, acts once. Returns how many leads breached.
 */
export async function scanLeadSlas(scope: Scope, now: Date = new Date()): Promise<{ breached: number }> {
  const rows = await flagBreachedLeads(scope, now, SCAN_LIMIT);
  if (rows.length === 0) return { breached: 0 };
  const calendar = await loadWorkCalendar(scope);
  const managers = await selectLeadManagers(
    scope,
    rows.map((row) => row.team_id),
  );
  const names = await selectUserNames(
    scope,
    rows.flatMap((row) => (row.owner_user_id ? [row.owner_user_id] : [])),
  );
  const notifications: Parameters<typeof notifyUsers>[1][number][] = [];
  const tasks: NewTask[] = [];
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: calendar.timeZone }).format(now);
  for (const row of rows) {
    const due = new Date(row.follow_up_due_at);
    const key = `lead:${row.id}:breach:${due.getTime()}`;
    const grade = row.grade ?? '—';
    const params = { grade, name: row.name, due: formatDue(due, calendar.timeZone) };
    const link = `/leads?lead=${row.id}`;
    const entity = { kind: 'lead', id: row.id };
    if (row.owner_user_id) {
      notifications.push({
        userId: row.owner_user_id,
        kind: 'lead_sla_breach',
        message: 'lead_sla_breach',
        params,
        link,
        entity,
        dedupKey: key,
      });
    }
    const teamManagers = (managers.get(row.team_id ?? '') ?? managers.get('') ?? []).filter(
      (userId) => userId !== row.owner_user_id,
    );
    const owner = row.owner_user_id ? (names.get(row.owner_user_id) ?? '—') : '—';
    for (const userId of teamManagers) {
      notifications.push({
        userId,
        kind: 'lead_escalated',
        message: 'lead_escalated',
        params: { ...params, owner },
        link,
        entity,
        dedupKey: `${key}:escalated`,
      });
    }
    const manager = teamManagers[0] ?? null;
    if (manager) {
      tasks.push({
        title: ESCALATION_TITLE[scope.locale](grade, row.name).slice(0, 200),
        type: 'follow_up',
        relatedKind: 'lead',
        relatedId: row.id,
        ownerUserId: manager,
        dueOn: today,
        dueAt: now,
        priority: 'urgent',
        source: 'rule',
        sourceId: row.id,
        sourceKey: `lead:escalation:${row.id}:${due.getTime()}`,
      });
    }
  }
  await createTasks(scope, tasks);
  if (notifications.length > 0) await notifyUsers(scope, notifications);
  return { breached: rows.length };
}
