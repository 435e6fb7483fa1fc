import type { LeadDisqualifyReason, LeadIntent, LeadSource, LeadStatus } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import { visibleLead } from '../customers/access';
import type { Scope } from '../scope';
import type { GradedRow } from './grading.sql';
import type { LeadFilters, LeadSort } from './leads.schemas';

/**
 * Every query of leads (线索): the list and its counts (filters shared with exports), one lead,
 * the duplicate check's lead side, writes (create, edit, status, owner, contacts, grades,
 * conversion) and the timeline. Reads and writes go through `visibleLead` (record-level
 * access) unless the caller is the system.
 */

/** A lead's row with its owner's and team's names. */
export type LeadRow = {
  id: string;
  person_name: string | null;
  company_name: string | null;
  job_title: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  region: string | null;
  industry: string | null;
  company_size: number | null;
  source: LeadSource;
  campaign: string | null;
  intent: string | null;
  needs: string[];
  budget: string | null;
  currency: string;
  expected_close_on: string | null;
  decision_maker_reached: boolean;
  notes: string | null;
  owner_user_id: string | null;
  owner_name: string | null;
  team_id: string | null;
  team_name: string | null;
  status: LeadStatus;
  status_changed_at: Date;
  disqualify_reason: LeadDisqualifyReason | null;
  disqualify_note: string | null;
  grade: string | null;
  grade_key: string | null;
  grade_reason: Record<string, unknown> | null;
  graded_at: Date | null;
  follow_up_hours: string | null;
  follow_up_due_at: Date | null;
  follow_up_done_at: Date | null;
  follow_up_task_id: string | null;
  first_contact_at: Date | null;
  first_contact_minutes: number | null;
  last_contact_at: Date | null;
  contact_count: number;
  sla_breached_at: Date | null;
  sla_escalated_at: Date | null;
  sla_state: string;
  in_pool: boolean;
  converted_customer_id: string | null;
  converted_contact_id: string | null;
  converted_at: Date | null;
  created_at: Date;
  /** created_at as exact text (the keyset cursor's key). */
  sort_key: string;
  updated_at: Date;
};

/** Hours before a follow-up's deadline from which it shows as due soon. */
export const DUE_SOON_HOURS = 4;

/** Where the lead's follow-up clock stands (LEAD_SLA_STATES), over `leads`. */
export const SLA_STATE = sql<string>`case
  when leads.follow_up_due_at is null then 'none'
  when leads.follow_up_done_at is not null then
    case when leads.follow_up_done_at <= leads.follow_up_due_at then 'met' else 'missed' end
  when leads.status not in ('new', 'contacted', 'qualified') then 'none'
  when leads.follow_up_due_at < now() then 'overdue'
  when leads.follow_up_due_at < now() + make_interval(hours => ${DUE_SOON_HOURS}) then 'due_soon'
  else 'on_track' end`;

const LEAD_COLUMNS = sql`leads.id, leads.person_name, leads.company_name, leads.job_title, leads.phone, leads.email,
  leads.wechat, leads.region, leads.industry, leads.company_size, leads.source, leads.campaign, leads.intent,
  leads.needs, leads.budget::text as budget, leads.currency, leads.expected_close_on::text as expected_close_on,
  leads.decision_maker_reached, leads.notes, leads.owner_user_id, owner.name as owner_name, leads.team_id,
  team.name as team_name, leads.status, leads.status_changed_at, leads.disqualify_reason, leads.disqualify_note,
  leads.grade, leads.grade_key, leads.grade_reason, leads.graded_at, leads.follow_up_hours::text as follow_up_hours,
  leads.follow_up_due_at, leads.follow_up_done_at, leads.follow_up_task_id, leads.first_contact_at,
  leads.first_contact_minutes, leads.last_contact_at, leads.contact_count, leads.sla_breached_at,
  leads.sla_escalated_at, ${SLA_STATE} as sla_state, leads.in_pool, leads.converted_customer_id,
  leads.converted_contact_id, leads.converted_at, leads.created_at, leads.created_at::text as sort_key,
  leads.updated_at`;

const FROM_LEADS = sql`from leads
  left join users owner on owner.id = leads.owner_user_id
  left join teams team on team.tenant_id = leads.tenant_id and team.id = leads.team_id`;

/** The filters as one boolean over `leads`; `except` leaves one dimension out (its own counts). */
export function leadFilterSql(
  scope: Scope,
  filters: LeadFilters,
  except: 'status' | 'grade' | null = null,
): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [sql`leads.tenant_id = ${scope.tenantId}`, visibleLead(scope.access)];
  if (filters.statuses?.length && except !== 'status')
    parts.push(sql`leads.status = any(${filters.statuses}::text[])`);
  if (filters.grades?.length && except !== 'grade') {
    const named = filters.grades.filter((grade) => grade !== '-');
    parts.push(
      filters.grades.includes('-')
        ? sql`(leads.grade is null or leads.grade = any(${named}::text[]))`
        : sql`leads.grade = any(${named}::text[])`,
    );
  }
  if (filters.sources?.length) parts.push(sql`leads.source = any(${filters.sources}::text[])`);
  if (filters.intents?.length) parts.push(sql`leads.intent = any(${filters.intents}::text[])`);
  if (filters.owner === 'unassigned') parts.push(sql`leads.owner_user_id is null`);
  else if (filters.owner === 'me') parts.push(sql`leads.owner_user_id = ${scope.userId}::uuid`);
  else if (filters.owner) parts.push(sql`leads.owner_user_id = ${filters.owner}::uuid`);
  if (filters.teamId) parts.push(sql`leads.team_id = ${filters.teamId}::uuid`);
  if (filters.campaign) parts.push(sql`leads.campaign = ${filters.campaign}`);
  if (filters.slaStates?.length) parts.push(sql`(${SLA_STATE}) = any(${filters.slaStates}::text[])`);
  if (filters.createdFrom)
    parts.push(
      sql`leads.created_at >= (${filters.createdFrom}::date)::timestamp at time zone 'Asia/Shanghai'`,
    );
  if (filters.createdTo)
    parts.push(
      sql`leads.created_at < ((${filters.createdTo}::date + 1)::timestamp at time zone 'Asia/Shanghai')`,
    );
  const search = filters.search?.trim();
  if (search) {
    parts.push(
      search.length >= 2
        ? sql`leads.search_grams @> search_grams(${search}) and (coalesce(leads.person_name, '') || ' ' || coalesce(leads.company_name, '') || ' ' || coalesce(leads.phone, '') || ' ' || coalesce(leads.email, '') || ' ' || coalesce(leads.wechat, '') || ' ' || coalesce(leads.campaign, '')) ilike ${`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
        : sql`(leads.person_name ilike ${`${search}%`} or leads.company_name ilike ${`${search}%`})`,
    );
  }
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

export type LeadCursor =
  | { sort: 'created_desc'; createdAt: string; id: string }
  | { sort: 'due_asc'; due: string; id: string };

/** A page of the list (one more row than asked says whether another page follows). */
export async function selectLeadPage(
  scope: Scope,
  filters: LeadFilters,
  sort: LeadSort,
  cursor: LeadCursor | null,
  limit: number,
): Promise<(LeadRow & { due_key: string })[]> {
  const due = sql`coalesce(leads.follow_up_due_at, 'infinity'::timestamptz)`;
  const after =
    cursor === null
      ? sql`true`
      : cursor.sort === 'due_asc'
        ? sql`(${due}, leads.id) > (${cursor.due}::timestamptz, ${cursor.id}::uuid)`
        : sql`(leads.created_at, leads.id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`;
  const order =
    sort === 'due_asc' ? sql`${due} asc, leads.id asc` : sql`leads.created_at desc, leads.id desc`;
  const { rows } = await sql<LeadRow & { due_key: string }>`
    select ${LEAD_COLUMNS}, ${due}::text as due_key
    ${FROM_LEADS}
    where ${leadFilterSql(scope, filters)} and ${after}
    order by ${order}
    limit ${limit}`.execute(scope.trx);
  return rows;
}

/** How many visible leads match, by status, grade and follow-up state (for the counts beside the filters). */
export async function countLeadGroups(
  scope: Scope,
  filters: LeadFilters,
): Promise<
  {
    status: LeadStatus;
    grade: string | null;
    sla_state: string;
    in_status: boolean;
    in_grade: boolean;
    count: number;
  }[]
> {
  const inStatus = filters.statuses?.length
    ? sql`leads.status = any(${filters.statuses}::text[])`
    : sql`true`;
  const named = (filters.grades ?? []).filter((grade) => grade !== '-');
  const inGrade = filters.grades?.length
    ? filters.grades.includes('-')
      ? sql`(leads.grade is null or leads.grade = any(${named}::text[]))`
      : sql`leads.grade = any(${named}::text[])`
    : sql`true`;
  const { rows } = await sql<{
    status: LeadStatus;
    grade: string | null;
    sla_state: string;
    in_status: boolean;
    in_grade: boolean;
    count: number;
  }>`
    select leads.status, leads.grade, ${SLA_STATE} as sla_state, ${inStatus} as in_status, ${inGrade} as in_grade,
      count(*)::int as count
    from leads
    where ${leadFilterSql(scope, { ...filters, statuses: undefined, grades: undefined })}
    group by 1, 2, 3, 4, 5`.execute(scope.trx);
  return rows;
}

/** One visible lead (locked for the transaction when `forUpdate`). */
export async function selectLead(scope: Scope, id: string, forUpdate = false): Promise<LeadRow | undefined> {
  const { rows } = await sql<LeadRow>`
    select ${LEAD_COLUMNS}
    ${FROM_LEADS}
    where leads.tenant_id = ${scope.tenantId} and leads.id = ${id}::uuid and ${visibleLead(scope.access)}
    ${forUpdate ? sql`for update of leads` : sql``}`.execute(scope.trx);
  return rows[0];
}

/** Several leads by id that the actor sees (the order of the database). */
export async function selectLeads(scope: Scope, ids: readonly string[]): Promise<LeadRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<LeadRow>`
    select ${LEAD_COLUMNS}
    ${FROM_LEADS}
    where leads.tenant_id = ${scope.tenantId} and leads.id = any(${ids as string[]}::uuid[])
      and ${visibleLead(scope.access)}`.execute(scope.trx);
  return rows;
}

export type LeadMatchRow = {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  status: LeadStatus;
  grade: string | null;
  owner_name: string | null;
  created_at: Date;
  by_phone: boolean;
  by_email: boolean;
  visible: boolean;
};

/** Leads (not disqualified) sharing the normalised phone or email (the dedup keys), but `excludeId`. */
export async function selectLeadMatches(
  scope: Scope,
  phone: string | null,
  email: string | null,
  excludeId: string | null,
): Promise<LeadMatchRow[]> {
  if (!phone && !email) return [];
  const { rows } = await sql<LeadMatchRow>`
    with keys as (select crm_normalize_phone(${phone}::text) as phone_key, crm_normalize_email(${email}::text) as email_key)
    select leads.id, coalesce(leads.company_name, leads.person_name) as name, leads.phone, leads.email, leads.status,
      leads.grade, owner.name as owner_name, leads.created_at,
      coalesce(leads.phone_key = k.phone_key, false) as by_phone, coalesce(leads.email_key = k.email_key, false) as by_email,
      ${visibleLead(scope.access)} as visible
    from keys k
    join leads on leads.tenant_id = ${scope.tenantId}
      and ((k.phone_key is not null and leads.phone_key = k.phone_key) or (k.email_key is not null and leads.email_key = k.email_key))
    left join users owner on owner.id = leads.owner_user_id
    where leads.status <> 'disqualified' and (${excludeId}::uuid is null or leads.id <> ${excludeId}::uuid)
    order by leads.created_at desc
    limit 50`.execute(scope.trx);
  return rows;
}

export type LeadValues = {
  person_name: string | null;
  company_name: string | null;
  job_title: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  region: string | null;
  industry: string | null;
  company_size: number | null;
  campaign: string | null;
  intent: LeadIntent | null;
  needs: string[];
  budget: number | null;
  currency: string;
  expected_close_on: string | null;
  decision_maker_reached: boolean;
  notes: string | null;
};

/** Inserts leads (one statement), each with its creation in the history; their ids in order. */
export async function insertLeads(
  scope: Scope,
  leads: readonly (LeadValues & {
    source: LeadSource;
    owner_user_id: string | null;
    team_id: string | null;
    import_run_id?: string | null;
    assign_reason?: string | null;
  })[],
): Promise<string[]> {
  if (leads.length === 0) return [];
  const rows = JSON.stringify(leads.map((lead, ordinal) => ({ ...lead, ordinal })));
  const { rows: inserted } = await sql<{ id: string }>`
    with input as (
      select * from jsonb_to_recordset(${rows}::jsonb) as r(
        ordinal int, person_name text, company_name text, job_title text, phone text, email text, wechat text,
        region text, industry text, company_size int, campaign text, intent text, needs text[], budget numeric,
        currency text, expected_close_on date, decision_maker_reached boolean, notes text, source text,
        owner_user_id uuid, team_id uuid, import_run_id uuid, assign_reason text)
    ),
    resolved as (
      select i.*, coalesce(i.team_id, m.team_id) as resolved_team
      from input i
      left join memberships m on m.tenant_id = ${scope.tenantId} and m.user_id = i.owner_user_id
    ),
    inserted as (
      insert into leads (tenant_id, person_name, company_name, job_title, phone, email, wechat, region, industry,
        company_size, campaign, intent, needs, budget, currency, expected_close_on, decision_maker_reached, notes,
        source, owner_user_id, team_id, assigned_at, import_run_id, created_by)
      select ${scope.tenantId}, r.person_name, r.company_name, r.job_title, r.phone, r.email, r.wechat, r.region,
        r.industry, r.company_size, r.campaign, r.intent, coalesce(r.needs, '{}'), r.budget, coalesce(r.currency, 'CNY'),
        r.expected_close_on, coalesce(r.decision_maker_reached, false), r.notes, r.source, r.owner_user_id,
        r.resolved_team, case when r.owner_user_id is not null then now() end, r.import_run_id, ${scope.userId}::uuid
      from resolved r
      order by r.ordinal
      returning id, owner_user_id, team_id
    ),
    history as (
      insert into lead_history (tenant_id, lead_id, kind, to_status, to_owner_id, to_team_id, reason, changed_by)
      select ${scope.tenantId}, i.id, 'created', 'new', i.owner_user_id, i.team_id,
        (select r.assign_reason from resolved r limit 1), ${scope.userId}::uuid
      from inserted i
    )
    select id from inserted`.execute(scope.trx);
  return inserted.map((row) => row.id);
}

/** Writes what a person typed about a lead. */
export async function updateLeadFields(scope: Scope, id: string, values: LeadValues): Promise<void> {
  await scope.trx
    .updateTable('leads')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
}

/** Moves a lead's status (with the reason for a disqualification), recorded in its history. */
export async function updateLeadStatus(
  scope: Scope,
  lead: Pick<LeadRow, 'id' | 'status'>,
  to: LeadStatus,
  details: { reason?: LeadDisqualifyReason | null; note?: string | null } = {},
): Promise<void> {
  await scope.trx
    .updateTable('leads')
    .set({
      status: to,
      status_changed_at: sql<Date>`now()`,
      disqualify_reason: to === 'disqualified' ? (details.reason ?? 'other') : null,
      disqualify_note: to === 'disqualified' ? (details.note ?? null) : null,
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', lead.id)
    .execute();
  await scope.trx
    .insertInto('lead_history')
    .values({
      tenant_id: scope.tenantId,
      lead_id: lead.id,
      kind: 'status',
      from_status: lead.status,
      to_status: to,
      reason: details.reason ?? null,
      note: details.note ?? null,
      changed_by: scope.userId,
    })
    .execute();
}

/** Marks a lead converted to a customer (and contact), recorded in its history. */
export async function updateLeadConverted(
  scope: Scope,
  lead: Pick<LeadRow, 'id' | 'status'>,
  conversion: { customerId: string; contactId: string | null },
): Promise<void> {
  await scope.trx
    .updateTable('leads')
    .set({
      status: 'converted',
      status_changed_at: sql<Date>`now()`,
      converted_customer_id: conversion.customerId,
      converted_contact_id: conversion.contactId,
      converted_at: sql<Date>`now()`,
      converted_by: scope.userId,
      disqualify_reason: null,
      disqualify_note: null,
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', lead.id)
    .execute();
  await scope.trx
    .insertInto('lead_history')
    .values({
      tenant_id: scope.tenantId,
      lead_id: lead.id,
      kind: 'status',
      from_status: lead.status,
      to_status: 'converted',
      changed_by: scope.userId,
    })
    .execute();
}

/** One lead's new owner: a member (and their team, unless a team is named), a team's queue, or the 公海. */
export type LeadOwnerMove = {
  id: string;
  ownerUserId: string | null;
  /** The team it goes to; none: the owner's team (or, without an owner, the lead's own). */
  teamId: string | null;
  inPool: boolean;
};

/** Which of the leads named may move: any, only those still in the 公海, or only those without an owner. */
export type LeadOwnerGuard = 'any' | 'in_pool' | 'unowned';

export type MovedLeadRow = {
  id: string;
  name: string;
  from_owner_id: string | null;
  to_owner_id: string | null;
  from_team_id: string | null;
  team_id: string | null;
  in_pool: boolean;
};

/**
 * Gives leads new owners, teams and 公海 flags in one statement, each move in the history with
 * its way (`reason`: manual, rule, claim, pool_assign, release, recycle, unmatched …) and note.
 * The guard is checked on the locked row, so of two claims of the same lead only the first
 * moves it. Closed leads (converted, disqualified) never move. The leads that moved.
 */
export async function updateLeadOwners(
  scope: Scope,
  moves: readonly LeadOwnerMove[],
  details: { reason: string; note?: string | null },
  options: { guard: LeadOwnerGuard; at: Date },
): Promise<MovedLeadRow[]> {
  if (moves.length === 0) return [];
  const input = JSON.stringify(
    moves.map((move) => ({ id: move.id, owner: move.ownerUserId, team: move.teamId, in_pool: move.inPool })),
  );
  const guard =
    options.guard === 'in_pool'
      ? sql`l.in_pool`
      : options.guard === 'unowned'
        ? sql`l.owner_user_id is null`
        : sql`true`;
  const { rows } = await sql<MovedLeadRow>`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb) as i(id uuid, owner uuid, team uuid, in_pool boolean)
    ),
    target as (
      select l.id, l.owner_user_id as from_owner_id, l.team_id as from_team_id, l.in_pool as was_in_pool,
        i.owner as to_owner_id, i.in_pool,
        -- the team named, else the new owner's, else the lead keeps its team (the rule's queue,
        -- the pool's): an owner without a team does not make the lead teamless
        coalesce(i.team, m.team_id, l.team_id) as to_team_id
      from input i
      join leads l on l.tenant_id = ${scope.tenantId} and l.id = i.id
      left join memberships m on m.tenant_id = l.tenant_id and m.user_id = i.owner
      where l.status in ('new', 'contacted', 'qualified') and ${guard}
      for update of l
    ),
    updated as (
      update leads l set owner_user_id = t.to_owner_id, team_id = t.to_team_id,
        assigned_at = case when t.to_owner_id is not null then ${options.at}::timestamptz else l.assigned_at end,
        in_pool = t.in_pool,
        released_at = case when t.in_pool and not t.was_in_pool then ${options.at}::timestamptz else l.released_at end,
        updated_at = ${options.at}::timestamptz
      from target t
      where l.tenant_id = ${scope.tenantId} and l.id = t.id
      returning l.id, coalesce(l.person_name, l.company_name) as name, t.from_owner_id, t.from_team_id,
        l.owner_user_id as to_owner_id, l.team_id, l.in_pool
    ),
    history as (
      insert into lead_history (tenant_id, lead_id, kind, from_owner_id, to_owner_id, from_team_id, to_team_id, reason,
        note, changed_by, changed_at)
      select ${scope.tenantId}, u.id, 'owner', u.from_owner_id, u.to_owner_id, u.from_team_id, u.team_id,
        ${details.reason}, ${details.note ?? null}, ${scope.userId}::uuid, ${options.at}::timestamptz
      from updated u
    )
    select id, name, from_owner_id, to_owner_id, from_team_id, team_id, in_pool from updated`.execute(
    scope.trx,
  );
  return rows;
}

/** Whether a user is a member of the tenant (and their team). */
export async function selectMember(
  scope: Scope,
  userId: string,
): Promise<{ user_id: string; team_id: string | null; role: string } | undefined> {
  return scope.trx
    .selectFrom('memberships')
    .select(['user_id', 'team_id', 'role'])
    .where('tenant_id', '=', scope.tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Whether a team is the tenant's. */
export async function teamExists(scope: Scope, teamId: string): Promise<boolean> {
  const row = await scope.trx
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', teamId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Logs a contact on a lead and keeps its contact facts: count, last contact, the very first
 * contact with its business minutes (`firstContactMinutes`, computed by the caller), and the
 * current follow-up clock stopped when it runs. Whether this contact stopped the clock.
 */
export async function insertLeadActivity(
  scope: Scope,
  leadId: string,
  activity: { kind: string; occurredAt: Date; summary: string | null; firstContactMinutes: number | null },
): Promise<{ activityId: string; stoppedClock: boolean }> {
  const { rows } = await sql<{ activity_id: string; stopped: boolean }>`
    with activity as (
      insert into lead_activities (tenant_id, lead_id, kind, occurred_at, summary, user_id)
      values (${scope.tenantId}, ${leadId}::uuid, ${activity.kind}, ${activity.occurredAt.toISOString()}::timestamptz,
        ${activity.summary}, ${scope.userId}::uuid)
      returning id
    ),
    before as (select follow_up_due_at, follow_up_done_at from leads where tenant_id = ${scope.tenantId} and id = ${leadId}::uuid),
    updated as (
      update leads set contact_count = contact_count + 1,
        last_contact_at = greatest(last_contact_at, ${activity.occurredAt.toISOString()}::timestamptz),
        first_contact_at = coalesce(first_contact_at, ${activity.occurredAt.toISOString()}::timestamptz),
        first_contact_minutes = coalesce(first_contact_minutes, ${activity.firstContactMinutes}::int),
        follow_up_done_at = case when follow_up_due_at is not null and follow_up_done_at is null
          then ${activity.occurredAt.toISOString()}::timestamptz else follow_up_done_at end,
        updated_at = now()
      where tenant_id = ${scope.tenantId} and id = ${leadId}::uuid
      returning id
    )
    select (select id from activity) as activity_id,
      (select follow_up_due_at is not null and follow_up_done_at is null from before) as stopped
    from updated`.execute(scope.trx);
  const row = rows[0];
  return { activityId: row?.activity_id ?? '', stoppedClock: row?.stopped ?? false };
}

/**
 * Applies graded rows (grading.sql.ts) set-based: each lead whose grade changes gets the new
 * grade, its reason and follow-up hours, and a grade-history row; with `keepRegraded`, a lead
 * whose current grade came from a re-grade rule keeps it unless the rules give a better one.
 * The leads whose grade changed.
 */
export async function applyGrades(
  scope: Scope,
  graded: RawBuilder<GradedRow>,
  options: { keepRegraded: boolean },
): Promise<
  {
    id: string;
    old_grade: string | null;
    grade: string;
    grade_key: string;
    hours: number;
    owner_user_id: string | null;
    team_id: string | null;
    created_at: Date;
    name: string;
  }[]
> {
  const { rows } = await sql<{
    id: string;
    old_grade: string | null;
    grade: string;
    grade_key: string;
    hours: number;
    owner_user_id: string | null;
    team_id: string | null;
    created_at: Date;
    name: string;
  }>`
    with graded as (${graded}),
    changed as (
      select * from graded g
      where g.from_key is distinct from g.to_key
        and (${!options.keepRegraded} or not g.regraded or g.from_rank is null or g.to_rank < g.from_rank)
    ),
    updated as (
      update leads l set grade = c.to_grade, grade_key = c.to_key, grade_reason = c.reason, graded_at = now(),
        follow_up_hours = c.hours, updated_at = now()
      from changed c
      where l.tenant_id = ${scope.tenantId} and l.id = c.lead_id
      returning l.id, c.from_grade, c.from_key, c.to_grade, c.to_key, c.reason, c.hours, l.owner_user_id, l.team_id,
        l.created_at, coalesce(l.company_name, l.person_name) as name
    ),
    history as (
      insert into lead_grade_history (tenant_id, lead_id, from_grade, to_grade, from_key, to_key, by_kind, rule_key,
        reason, changed_by)
      select ${scope.tenantId}, u.id, u.from_grade, u.to_grade, u.from_key, u.to_key, 'grade_rule', u.to_key, u.reason,
        ${scope.userId}::uuid
      from updated u
    )
    select id, from_grade as old_grade, to_grade as grade, to_key as grade_key, hours::float8 as hours, owner_user_id,
      team_id, created_at, name
    from updated`.execute(scope.trx);
  return rows;
}

/** Sets the follow-up clocks of leads (one statement): due, task, and a fresh clock (not stopped, not breached). */
export async function updateFollowUpClocks(
  scope: Scope,
  clocks: readonly { id: string; dueAt: Date; taskId: string | null }[],
): Promise<void> {
  if (clocks.length === 0) return;
  const rows = JSON.stringify(
    clocks.map((clock) => ({ id: clock.id, due_at: clock.dueAt.toISOString(), task_id: clock.taskId })),
  );
  await sql`
    update leads l set follow_up_due_at = r.due_at, follow_up_task_id = r.task_id, follow_up_done_at = null,
      sla_breached_at = null, sla_escalated_at = null
    from jsonb_to_recordset(${rows}::jsonb) as r(id uuid, due_at timestamptz, task_id uuid)
    where l.tenant_id = ${scope.tenantId} and l.id = r.id`.execute(scope.trx);
}

export type TimelineRows = {
  grades: {
    id: string;
    changed_at: Date;
    from_grade: string | null;
    to_grade: string | null;
    by_kind: 'grade_rule' | 'regrade_rule' | 'user';
    rule_key: string | null;
    reason: Record<string, unknown>;
    by_name: string | null;
  }[];
  history: {
    id: string;
    changed_at: Date;
    kind: 'created' | 'status' | 'owner';
    from_status: LeadStatus | null;
    to_status: LeadStatus | null;
    from_owner_name: string | null;
    to_owner_name: string | null;
    reason: string | null;
    note: string | null;
    by_name: string | null;
  }[];
  activities: {
    id: string;
    occurred_at: Date;
    kind: string;
    summary: string | null;
    by_name: string | null;
  }[];
  events: {
    id: string;
    occurred_at: Date;
    kind: string;
    campaign_name: string | null;
    form_name: string | null;
    target_url: string | null;
  }[];
};

/** The newest entries of each kind on a lead's timeline (up to `limit` each). */
export async function selectTimeline(scope: Scope, leadId: string, limit: number): Promise<TimelineRows> {
  const t = scope.tenantId;
  const [grades, history, activities, events] = await Promise.all([
    sql<TimelineRows['grades'][number]>`
      select h.id, h.changed_at, h.from_grade, h.to_grade, h.by_kind, h.rule_key, h.reason, u.name as by_name
      from lead_grade_history h left join users u on u.id = h.changed_by
      where h.tenant_id = ${t} and h.lead_id = ${leadId}::uuid
      order by h.changed_at desc limit ${limit}`.execute(scope.trx),
    sql<TimelineRows['history'][number]>`
      select h.id, h.changed_at, h.kind, h.from_status, h.to_status, fo.name as from_owner_name,
        tt.name as to_owner_name, h.reason, h.note, u.name as by_name
      from lead_history h
      left join users fo on fo.id = h.from_owner_id
      left join users tt on tt.id = h.to_owner_id
      left join users u on u.id = h.changed_by
      where h.tenant_id = ${t} and h.lead_id = ${leadId}::uuid
      order by h.changed_at desc limit ${limit}`.execute(scope.trx),
    sql<TimelineRows['activities'][number]>`
      select a.id, a.occurred_at, a.kind, a.summary, u.name as by_name
      from lead_activities a left join users u on u.id = a.user_id
      where a.tenant_id = ${t} and a.lead_id = ${leadId}::uuid
      order by a.occurred_at desc limit ${limit}`.execute(scope.trx),
    sql<TimelineRows['events'][number]>`
      select e.id, e.occurred_at, e.kind, c.name as campaign_name, f.name as form_name, e.target_url
      from lead_events e
      left join campaigns c on c.tenant_id = e.tenant_id and c.id = e.campaign_id
      left join lead_forms f on f.tenant_id = e.tenant_id and f.id = e.form_id
      where e.tenant_id = ${t} and e.lead_id = ${leadId}::uuid
      order by e.occurred_at desc limit ${limit}`.execute(scope.trx),
  ]);
  return { grades: grades.rows, history: history.rows, activities: activities.rows, events: events.rows };
}

/** The lead's latest follow-up task as its detail shows it. */
export async function selectFollowUpTask(
  scope: Scope,
  leadId: string,
): Promise<{ id: string; status: string; due_at: Date | null; owner_name: string | null } | undefined> {
  const { rows } = await sql<{ id: string; status: string; due_at: Date | null; owner_name: string | null }>`
    select t.id, t.status, t.due_at, u.name as owner_name
    from tasks t left join users u on u.id = t.owner_user_id
    where t.tenant_id = ${scope.tenantId} and t.related_kind = 'lead' and t.related_id = ${leadId}::uuid
      and t.source_key like 'lead:follow-up:%'
    order by t.created_at desc, t.id desc
    limit 1`.execute(scope.trx);
  return rows[0];
}

export type BreachedLead = {
  id: string;
  name: string;
  grade: string | null;
  owner_user_id: string | null;
  team_id: string | null;
  follow_up_due_at: Date;
};

/**
 * Flags the open leads whose follow-up clock ran out by `now` without a contact (the scan's
 * index), oldest deadline first, up to `limit`, skipping rows another scan holds: breached
 * and escalated at `now`. The leads flagged.
 */
export async function flagBreachedLeads(scope: Scope, now: Date, limit: number): Promise<BreachedLead[]> {
  const { rows } = await sql<BreachedLead>`
    with due as (
      select l.id from leads l
      where l.tenant_id = ${scope.tenantId} and l.follow_up_due_at <= ${now.toISOString()}::timestamptz
        and l.follow_up_done_at is null and l.sla_breached_at is null and l.follow_up_due_at is not null
        and l.status in ('new', 'contacted', 'qualified')
      order by l.follow_up_due_at, l.id
      limit ${limit}
      for update of l skip locked
    )
    update leads l set sla_breached_at = ${now.toISOString()}::timestamptz,
      sla_escalated_at = ${now.toISOString()}::timestamptz
    from due
    where l.tenant_id = ${scope.tenantId} and l.id = due.id
    returning l.id, coalesce(l.company_name, l.person_name) as name, l.grade, l.owner_user_id, l.team_id,
      l.follow_up_due_at`.execute(scope.trx);
  return rows;
}

/** Member names by id (for messages). */
export async function selectUserNames(scope: Scope, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await scope.trx
    .selectFrom('users')
    .innerJoin('memberships', (join) =>
      join.onRef('memberships.user_id', '=', 'users.id').on('memberships.tenant_id', '=', scope.tenantId),
    )
    .select(['users.id', 'users.name'])
    .where('users.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * Who hears of an escalation, per team: the team's sales managers, else (no team, or a team
 * without one) the tenant's admins and owners. Keyed by team id ('' for no team).
 */
export async function selectLeadManagers(
  scope: Scope,
  teamIds: readonly (string | null)[],
): Promise<Map<string, string[]>> {
  const teams = [...new Set(teamIds.filter((team): team is string => team !== null))];
  const { rows } = await sql<{ team_id: string | null; user_id: string; role: string }>`
    select team_id, user_id, role from memberships
    where tenant_id = ${scope.tenantId}
      and ((role = 'sales_manager' and team_id = any(${teams}::uuid[])) or role in ('admin', 'owner'))
    order by role, user_id`.execute(scope.trx);
  const tenantAdmins = rows.filter((row) => row.role !== 'sales_manager').map((row) => row.user_id);
  const result = new Map<string, string[]>([['', tenantAdmins]]);
  for (const team of teams) {
    const managers = rows
      .filter((row) => row.role === 'sales_manager' && row.team_id === team)
      .map((row) => row.user_id);
    result.set(team, managers.length > 0 ? managers : tenantAdmins);
  }
  return result;
}
