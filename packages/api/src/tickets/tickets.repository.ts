import { ROLE_TICKET_SCOPE, type TicketScope } from '@crm/auth';
import type {
  TicketChannel,
  TicketEventKind,
  TicketPriority,
  TicketSource,
  TicketStatus,
  TicketType,
} from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import { visibleCustomer } from '../customers/access';
import type { Scope } from '../scope';
import { customerTierOf } from '../tiering/placement.sql';
import type { TicketFilters, TicketKpiDimension } from './tickets.schemas';

/**
 * Every query of tickets (工单). Functions take the scope first and return rows or counts. A
 * ticket is read and changed only through `visibleTicket` (ROLE_TICKET_SCOPE in @crm/auth);
 * what a member may change narrows that in the service.
 */

/** The ticket scope of the actor: the system (a job) sees every ticket. */
export function ticketScopeOf(scope: Scope): TicketScope {
  return scope.role === null ? 'all' : ROLE_TICKET_SCOPE[scope.role];
}

/**
 * The one filter that decides which tickets a member sees (the query names the ticket `t`
 * and joins its customer as `customers`): every ticket; the team's (assigned to anyone in it,
 * or unassigned in its queue or in no team's) for a manager; their own and the unassigned ones
 * of their team's queue (or of no team) for a service agent; for sales reps and marketers the
 * tickets about customers they see, and those they opened or were given.
 */
export function visibleTicket(scope: Scope): RawBuilder<boolean> {
  const { access } = scope;
  const ticketScope = ticketScopeOf(scope);
  const own = sql<boolean>`t.assignee_user_id = ${access.userId}::uuid`;
  const queue =
    access.teamId === null
      ? sql<boolean>`(t.assignee_user_id is null and t.team_id is null)`
      : sql<boolean>`(t.assignee_user_id is null and (t.team_id is null or t.team_id = ${access.teamId}::uuid))`;
  switch (ticketScope) {
    case 'all':
      return sql<boolean>`true`;
    case 'queue':
      return sql<boolean>`(${own} or ${queue})`;
    case 'team':
      // A manager without a team leads the members without one.
      return sql<boolean>`(${own} or ${queue} or t.assignee_user_id in (
        select team_member.user_id from memberships team_member
        where team_member.tenant_id = t.tenant_id
          and team_member.team_id is not distinct from ${access.teamId}::uuid))`;
    case 'customers':
      return sql<boolean>`(${own} or t.created_by = ${access.userId}::uuid or ${visibleCustomer(access)})`;
  }
}

export type TicketRow = {
  id: string;
  number: number;
  type: TicketType;
  category: string | null;
  subject: string;
  description: string | null;
  customer_id: string;
  customer_name: string;
  customer_tier: string | null;
  customer_owner_id: string | null;
  contact_id: string | null;
  contact_name: string | null;
  priority: TicketPriority;
  channel: TicketChannel;
  status: TicketStatus;
  assignee_user_id: string | null;
  assignee_name: string | null;
  assignee_locale: string | null;
  team_id: string | null;
  source: TicketSource;
  interaction_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
  sla_mode: 'business' | 'calendar';
  sla_policy: string;
  first_response_minutes: number;
  resolution_minutes: number;
  sla_started_at: Date;
  sla_pauses: { from: string; to: string | null }[];
  sla_paused_at: Date | null;
  first_response_warn_at: Date | null;
  first_response_due_at: Date | null;
  first_response_escalate_at: Date | null;
  resolution_warn_at: Date | null;
  resolution_due_at: Date | null;
  resolution_escalate_at: Date | null;
  first_response_stage: number;
  resolution_stage: number;
  first_response_breached: boolean;
  resolution_breached: boolean;
  first_responded_at: Date | null;
  reopened_count: number;
  /** The sort value of the row, for the next page's cursor. */
  created_at_text: string;
};

const DATE_COLUMNS = [
  'created_at',
  'updated_at',
  'resolved_at',
  'closed_at',
  'sla_started_at',
  'sla_paused_at',
  'first_response_warn_at',
  'first_response_due_at',
  'first_response_escalate_at',
  'resolution_warn_at',
  'resolution_due_at',
  'resolution_escalate_at',
  'first_responded_at',
] as const;

/** Timestamps as Dates whichever driver read them (postgres.js and PGlite differ for raw SQL). */
function withDates(rows: TicketRow[]): TicketRow[] {
  for (const row of rows) {
    for (const column of DATE_COLUMNS) {
      const value = row[column] as Date | string | null;
      if (value !== null && !(value instanceof Date))
        (row as Record<string, unknown>)[column] = new Date(value);
    }
    if (typeof row.sla_pauses === 'string') row.sla_pauses = JSON.parse(row.sla_pauses);
  }
  return rows;
}

const COLUMNS = sql`t.id, t.number, t.type, t.category, t.subject, t.description, t.customer_id,
  customers.name as customer_name, ${customerTierOf()} as customer_tier, customers.owner_user_id as customer_owner_id,
  t.contact_id, contacts.name as contact_name, t.priority, t.channel, t.status, t.assignee_user_id,
  assignee.name as assignee_name, assignee.locale as assignee_locale, t.team_id, t.source, t.interaction_id, t.created_by, t.created_at, t.updated_at,
  t.resolved_at, t.closed_at, t.sla_mode, t.sla_policy, t.first_response_minutes, t.resolution_minutes,
  t.sla_started_at, t.sla_pauses, t.sla_paused_at, t.first_response_warn_at, t.first_response_due_at,
  t.first_response_escalate_at, t.resolution_warn_at, t.resolution_due_at, t.resolution_escalate_at,
  t.first_response_stage, t.resolution_stage, t.first_response_breached, t.resolution_breached,
  t.first_responded_at, t.reopened_count, t.created_at::text as created_at_text`;

const FROM = sql`tickets t
  join customers on customers.tenant_id = t.tenant_id and customers.id = t.customer_id
  left join contacts on contacts.tenant_id = t.tenant_id and contacts.id = t.contact_id
  left join users assignee on assignee.id = t.assignee_user_id`;

/**
 * The SLA state in SQL, the twin of `readTicketSla` (@crm/domain) for filters and counts:
 * met or breached once resolved; breached when a target was missed; paused while waiting;
 * at risk past a warning; on track otherwise.
 */
export function slaStateSql(now: Date): RawBuilder<string> {
  const at = now.toISOString();
  return sql<string>`(case
    when t.resolved_at is not null then
      case when t.first_response_breached or t.resolution_breached then 'breached' else 'met' end
    when t.first_response_breached or t.resolution_breached
      or (t.first_responded_at is null and t.first_response_due_at <= ${at}::timestamptz)
      or t.resolution_due_at <= ${at}::timestamptz then 'breached'
    when t.sla_paused_at is not null then 'paused'
    when (t.first_responded_at is null and t.first_response_warn_at <= ${at}::timestamptz)
      or t.resolution_warn_at <= ${at}::timestamptz then 'at_risk'
    else 'on_track' end)`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function viewCondition(scope: Scope, view: TicketFilters['view'], now: Date): RawBuilder<boolean> {
  switch (view) {
    case 'open':
      return sql<boolean>`t.status not in ('resolved', 'closed')`;
    case 'mine':
      return sql<boolean>`t.status not in ('resolved', 'closed') and t.assignee_user_id = ${scope.access.userId}::uuid`;
    case 'unassigned':
      return sql<boolean>`t.status not in ('resolved', 'closed') and t.assignee_user_id is null`;
    case 'breached':
      return sql<boolean>`t.status not in ('resolved', 'closed') and ${slaStateSql(now)} = 'breached'`;
    case 'done':
      return sql<boolean>`t.status in ('resolved', 'closed')`;
    default:
      return sql<boolean>`true`;
  }
}

function ticketConditions(scope: Scope, filters: TicketFilters, now: Date): RawBuilder<boolean> {
  const conditions: RawBuilder<boolean>[] = [
    sql<boolean>`t.tenant_id = ${scope.tenantId}`,
    visibleTicket(scope),
    viewCondition(scope, filters.view, now),
  ];
  if (filters.statuses?.length) conditions.push(sql<boolean>`t.status = any(${filters.statuses}::text[])`);
  if (filters.types?.length) conditions.push(sql<boolean>`t.type = any(${filters.types}::text[])`);
  if (filters.priorities?.length)
    conditions.push(sql<boolean>`t.priority = any(${filters.priorities}::text[])`);
  if (filters.slaStates?.length)
    conditions.push(sql<boolean>`${slaStateSql(now)} = any(${filters.slaStates}::text[])`);
  if (filters.category) conditions.push(sql<boolean>`t.category = ${filters.category}`);
  if (filters.customerId) conditions.push(sql<boolean>`t.customer_id = ${filters.customerId}::uuid`);
  if (filters.assigneeUserId)
    conditions.push(sql<boolean>`t.assignee_user_id = ${filters.assigneeUserId}::uuid`);
  if (filters.search) {
    const number = /^#?(\d{1,9})$/.exec(filters.search)?.[1];
    conditions.push(
      number
        ? sql<boolean>`(t.number = ${Number(number)}::int or t.subject ilike ${`%${escapeLike(filters.search)}%`})`
        : sql<boolean>`t.subject ilike ${`%${escapeLike(filters.search)}%`}`,
    );
  }
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}

/** Up to `limit` tickets the filters match, newest first, after the cursor. */
export async function selectTicketPage(
  scope: Scope,
  filters: TicketFilters,
  now: Date,
  after: { timestamp: string; id: string } | null,
  limit: number,
): Promise<TicketRow[]> {
  const afterCondition = after
    ? sql<boolean>`(t.created_at, t.id) < (${after.timestamp}::text::timestamptz, ${after.id}::uuid)`
    : sql<boolean>`true`;
  const { rows } = await sql<TicketRow>`
    select ${COLUMNS} from ${FROM}
    where ${ticketConditions(scope, filters, now)} and ${afterCondition}
    order by t.created_at desc, t.id desc
    limit ${limit}`.execute(scope.trx);
  return withDates(rows);
}

/** A visible ticket, or undefined; `lock` takes the row for an update in this transaction. */
export async function selectTicket(scope: Scope, id: string, lock = false): Promise<TicketRow | undefined> {
  const { rows } = await sql<TicketRow>`
    select ${COLUMNS} from ${FROM}
    where t.tenant_id = ${scope.tenantId} and t.id = ${id}::uuid and ${visibleTicket(scope)}
    ${lock ? sql`for update of t` : sql``}`.execute(scope.trx);
  return withDates(rows)[0];
}

/** The badge counts: open tickets of mine, the unassigned ones I see, and those at risk and breached. */
export async function countTickets(
  scope: Scope,
  now: Date,
): Promise<{ mine: number; unassigned: number; at_risk: number; breached: number }> {
  const { rows } = await sql<{ mine: string; unassigned: string; at_risk: string; breached: string }>`
    select count(*) filter (where t.assignee_user_id = ${scope.access.userId}::uuid) as mine,
      count(*) filter (where t.assignee_user_id is null) as unassigned,
      count(*) filter (where ${slaStateSql(now)} = 'at_risk') as at_risk,
      count(*) filter (where ${slaStateSql(now)} = 'breached') as breached
    from ${FROM}
    where t.tenant_id = ${scope.tenantId} and t.status not in ('resolved', 'closed') and ${visibleTicket(scope)}`.execute(
    scope.trx,
  );
  const row = rows[0];
  return {
    mine: Number(row?.mine ?? 0),
    unassigned: Number(row?.unassigned ?? 0),
    at_risk: Number(row?.at_risk ?? 0),
    breached: Number(row?.breached ?? 0),
  };
}

/** What the SLA columns of a ticket are set to (opening, a pause, a resume, a reply …). */
export type TicketSlaColumns = {
  sla_mode?: 'business' | 'calendar';
  sla_policy?: string;
  first_response_minutes?: number;
  resolution_minutes?: number;
  sla_pauses?: { from: string; to: string | null }[];
  sla_paused_at?: Date | null;
  first_response_warn_at?: Date | null;
  first_response_due_at?: Date | null;
  first_response_escalate_at?: Date | null;
  resolution_warn_at?: Date | null;
  resolution_due_at?: Date | null;
  resolution_escalate_at?: Date | null;
  first_response_stage?: number;
  resolution_stage?: number;
  first_response_breached?: boolean;
  resolution_breached?: boolean;
  sla_next_at?: Date | null;
  first_responded_at?: Date | null;
  first_response_ms?: number | null;
  resolved_at?: Date | null;
  resolution_ms?: number | null;
};

export type NewTicket = {
  type: TicketType;
  category: string | null;
  subject: string;
  description: string | null;
  customerId: string;
  contactId: string | null;
  priority: TicketPriority;
  channel: TicketChannel;
  assigneeUserId: string | null;
  teamId: string | null;
  interactionId: string | null;
  source: TicketSource;
  slaStartedAt: Date;
  sla: TicketSlaColumns & {
    sla_mode: 'business' | 'calendar';
    sla_policy: string;
    first_response_minutes: number;
    resolution_minutes: number;
  };
};

/**
 * Inserts a ticket numbered after the tenant's last (under a per-tenant transaction lock, so
 * two at once never take the same number). 'INTERACTION_TAKEN' when the interaction already
 * has its ticket.
 */
export async function insertTicket(scope: Scope, ticket: NewTicket): Promise<string | 'INTERACTION_TAKEN'> {
  await sql`select pg_advisory_xact_lock(hashtext('tickets.number'), hashtext(${scope.tenantId}))`.execute(
    scope.trx,
  );
  const { sla } = ticket;
  const row = await scope.trx
    .insertInto('tickets')
    .values({
      tenant_id: scope.tenantId,
      number: sql<number>`(select coalesce(max(number), 0) + 1 from tickets where tenant_id = ${scope.tenantId})`,
      type: ticket.type,
      category: ticket.category,
      subject: ticket.subject,
      description: ticket.description,
      customer_id: ticket.customerId,
      contact_id: ticket.contactId,
      priority: ticket.priority,
      channel: ticket.channel,
      assignee_user_id: ticket.assigneeUserId,
      team_id: ticket.teamId,
      interaction_id: ticket.interactionId,
      source: ticket.source,
      sla_started_at: ticket.slaStartedAt,
      ...slaValues(sla),
      sla_mode: sla.sla_mode,
      sla_policy: sla.sla_policy,
      first_response_minutes: sla.first_response_minutes,
      resolution_minutes: sla.resolution_minutes,
      created_by: scope.userId,
    })
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'interaction_id']).where('interaction_id', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? 'INTERACTION_TAKEN';
}

function slaValues(sla: TicketSlaColumns) {
  const { sla_pauses, ...rest } = sla;
  return { ...rest, ...(sla_pauses !== undefined && { sla_pauses: JSON.stringify(sla_pauses) }) };
}

/** Sets a ticket's fields (status, assignee, SLA columns …) and its updated time. */
export async function updateTicketRow(
  scope: Scope,
  id: string,
  values: TicketSlaColumns & {
    status?: TicketStatus;
    closed_at?: Date | null;
    assignee_user_id?: string | null;
    team_id?: string | null;
    subject?: string;
    type?: TicketType;
    category?: string | null;
    priority?: TicketPriority;
    contact_id?: string | null;
    reopened_count?: number;
  },
): Promise<void> {
  await scope.trx
    .updateTable('tickets')
    .set({ ...slaValues(values), updated_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
}

export type NewTicketEvent = {
  ticketId: string;
  kind: TicketEventKind;
  authorUserId: string | null;
  body?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  data?: Record<string, string | number | boolean | null>;
  at?: Date;
};

/** Appends events to tickets' timelines, one statement. */
export async function insertTicketEvents(scope: Scope, events: readonly NewTicketEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const now = new Date();
  const rows = await scope.trx
    .insertInto('ticket_events')
    .values(
      // Events of one change keep their order on the timeline: a millisecond apart.
      events.map((event, index) => ({
        tenant_id: scope.tenantId,
        ticket_id: event.ticketId,
        kind: event.kind,
        author_user_id: event.authorUserId,
        body: event.body ?? null,
        from_status: event.fromStatus ?? null,
        to_status: event.toStatus ?? null,
        data: JSON.stringify(event.data ?? {}),
        created_at: new Date((event.at ?? now).getTime() + index),
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export type TicketEventRow = {
  id: string;
  kind: TicketEventKind;
  author_user_id: string | null;
  author_name: string | null;
  body: string | null;
  from_status: string | null;
  to_status: string | null;
  data: Record<string, string | number | boolean | null>;
  created_at: Date;
};

/** A ticket's timeline, oldest first (the ticket's visibility is the caller's check). */
export async function selectTicketEvents(scope: Scope, ticketId: string): Promise<TicketEventRow[]> {
  const { rows } = await sql<TicketEventRow>`
    select e.id, e.kind, e.author_user_id, u.name as author_name, e.body, e.from_status, e.to_status, e.data,
      e.created_at
    from ticket_events e left join users u on u.id = e.author_user_id
    where e.tenant_id = ${scope.tenantId} and e.ticket_id = ${ticketId}::uuid
    order by e.created_at, e.id`.execute(scope.trx);
  return rows;
}

/** A member of the tenant and their team, or undefined. */
export async function selectMember(
  scope: Scope,
  userId: string,
): Promise<{ teamId: string | null; role: string } | undefined> {
  const { rows } = await sql<{ team_id: string | null; role: string }>`
    select team_id, role from memberships
    where tenant_id = ${scope.tenantId} and user_id = ${userId}::uuid`.execute(scope.trx);
  const row = rows[0];
  return row ? { teamId: row.team_id, role: row.role } : undefined;
}

/**
 * Who hears of an escalation, per team: the team's sales managers, else (no team, or a team
 * without one) the tenant's admins and owners. Keyed by team id ('' for no team).
 */
export async function selectEscalationManagers(
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

/** Open tickets with an SLA milestone due by `now` (the scan's index), oldest milestone first. */
export async function selectTicketsDue(scope: Scope, now: Date, limit: number): Promise<TicketRow[]> {
  const { rows } = await sql<TicketRow>`
    select ${COLUMNS} from ${FROM}
    where t.tenant_id = ${scope.tenantId} and t.sla_next_at <= ${now.toISOString()}::timestamptz
    order by t.sla_next_at, t.id
    limit ${limit}
    for update of t skip locked`.execute(scope.trx);
  return withDates(rows);
}

export type SlaScanUpdate = {
  id: string;
  first_response_stage: number;
  resolution_stage: number;
  first_response_breached: boolean;
  resolution_breached: boolean;
  sla_next_at: string | null;
};

/** Records what the scan did to these tickets, one statement. */
export async function applySlaScan(scope: Scope, updates: readonly SlaScanUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await sql`
    update tickets t set first_response_stage = u.first_response_stage, resolution_stage = u.resolution_stage,
      first_response_breached = u.first_response_breached, resolution_breached = u.resolution_breached,
      sla_next_at = u.sla_next_at
    from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as u(id uuid, first_response_stage smallint,
      resolution_stage smallint, first_response_breached boolean, resolution_breached boolean,
      sla_next_at timestamptz)
    where t.tenant_id = ${scope.tenantId} and t.id = u.id`.execute(scope.trx);
}

// Categories and SLA policies.

export type CategoryRow = {
  key: string;
  label_zh: string | null;
  label_en: string | null;
  position: number;
  hidden: boolean;
};

export async function selectCategories(scope: Scope): Promise<CategoryRow[]> {
  const { rows } = await sql<CategoryRow>`
    select key, label_zh, label_en, position, hidden from ticket_categories
    where tenant_id = ${scope.tenantId} order by position, key`.execute(scope.trx);
  return rows;
}

export async function upsertCategory(
  scope: Scope,
  category: { key: string; labelZh: string | null; labelEn: string | null; hidden: boolean },
): Promise<void> {
  await sql`
    insert into ticket_categories (tenant_id, key, label_zh, label_en, hidden, position)
    values (${scope.tenantId}, ${category.key}, ${category.labelZh}, ${category.labelEn}, ${category.hidden},
      (select coalesce(max(position), 0) + 1 from ticket_categories where tenant_id = ${scope.tenantId}))
    on conflict (tenant_id, key) do update set
      label_zh = coalesce(excluded.label_zh, ticket_categories.label_zh),
      label_en = coalesce(excluded.label_en, ticket_categories.label_en),
      hidden = excluded.hidden, updated_at = now()`.execute(scope.trx);
}

export type PolicyRow = {
  id: string;
  priority: TicketPriority | null;
  tier: string | null;
  first_response_minutes: number;
  resolution_minutes: number;
  mode: 'business' | 'calendar' | null;
};

export async function selectPolicies(scope: Scope): Promise<PolicyRow[]> {
  const { rows } = await sql<PolicyRow>`
    select id, priority, tier, first_response_minutes, resolution_minutes, mode from ticket_sla_policies
    where tenant_id = ${scope.tenantId}
    order by tier nulls first, priority nulls first`.execute(scope.trx);
  return rows;
}

/** Inserts or updates a policy; 'TAKEN' when another policy has the same tier and priority, undefined when `id` names none. */
export async function saveSlaPolicy(
  scope: Scope,
  policy: Omit<PolicyRow, 'id'> & { id?: string },
): Promise<string | 'TAKEN' | undefined> {
  try {
    await sql`savepoint ticket_policy`.execute(scope.trx);
    const values = {
      priority: policy.priority,
      tier: policy.tier,
      first_response_minutes: policy.first_response_minutes,
      resolution_minutes: policy.resolution_minutes,
      mode: policy.mode,
      updated_by: scope.userId,
      updated_at: new Date(),
    };
    const row = policy.id
      ? await scope.trx
          .updateTable('ticket_sla_policies')
          .set(values)
          .where('tenant_id', '=', scope.tenantId)
          .where('id', '=', policy.id)
          .returning('id')
          .executeTakeFirst()
      : await scope.trx
          .insertInto('ticket_sla_policies')
          .values({ tenant_id: scope.tenantId, ...values })
          .returning('id')
          .executeTakeFirst();
    await sql`release savepoint ticket_policy`.execute(scope.trx);
    return row?.id;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      await sql`rollback to savepoint ticket_policy`.execute(scope.trx);
      return 'TAKEN';
    }
    throw error;
  }
}

export async function deleteSlaPolicy(scope: Scope, id: string): Promise<number> {
  const result = await scope.trx
    .deleteFrom('ticket_sla_policies')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Attachments.

export async function insertAttachment(
  scope: Scope,
  attachment: { ticketId: string; fileName: string; contentType: string; bytes: Uint8Array },
): Promise<string> {
  const row = await scope.trx
    .insertInto('ticket_attachments')
    .values({
      tenant_id: scope.tenantId,
      ticket_id: attachment.ticketId,
      file_name: attachment.fileName,
      content_type: attachment.contentType,
      size: attachment.bytes.byteLength,
      bytes: attachment.bytes,
      created_by: scope.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type AttachmentRow = {
  id: string;
  ticket_id: string;
  file_name: string;
  content_type: string;
  size: number;
  created_at: Date;
  created_by_name: string | null;
};

export async function selectAttachments(scope: Scope, ticketId: string): Promise<AttachmentRow[]> {
  const { rows } = await sql<AttachmentRow>`
    select a.id, a.ticket_id, a.file_name, a.content_type, a.size, a.created_at, u.name as created_by_name
    from ticket_attachments a left join users u on u.id = a.created_by
    where a.tenant_id = ${scope.tenantId} and a.ticket_id = ${ticketId}::uuid
    order by a.created_at, a.id`.execute(scope.trx);
  return rows;
}

/** An attachment of a ticket the member sees, with its bytes. */
export async function selectAttachmentFile(
  scope: Scope,
  id: string,
): Promise<(AttachmentRow & { bytes: Uint8Array }) | undefined> {
  const { rows } = await sql<AttachmentRow & { bytes: Uint8Array }>`
    select a.id, a.ticket_id, a.file_name, a.content_type, a.size, a.created_at, null as created_by_name, a.bytes
    from ticket_attachments a
    join tickets t on t.tenant_id = a.tenant_id and t.id = a.ticket_id
    join customers on customers.tenant_id = t.tenant_id and customers.id = t.customer_id
    where a.tenant_id = ${scope.tenantId} and a.id = ${id}::uuid and ${visibleTicket(scope)}`.execute(
    scope.trx,
  );
  return rows[0];
}

// KPIs.

export type KpiCountsRow = {
  key: string | null;
  label: string | null;
  opened: string;
  closed: string;
  first_response_ms_sum: string | null;
  first_response_count: string;
  first_response_met: string;
  resolution_ms_sum: string | null;
  resolution_count: string;
  resolution_met: string;
  breached: string;
};

function dimensionSql(by: TicketKpiDimension, timeZone: string): RawBuilder<string> {
  switch (by) {
    case 'month':
      return sql`to_char(t.created_at at time zone ${timeZone}, 'YYYY-MM')`;
    case 'category':
      return sql`t.category`;
    case 'tier':
      return sql<string>`${customerTierOf()}`;
    case 'agent':
      return sql`t.assignee_user_id::text`;
    case 'type':
      return sql`t.type`;
    case 'priority':
      return sql`t.priority`;
  }
}

/**
 * The ticket KPIs' counts and sums for the tickets opened in [from, to) (days in the tenant's
 * time zone) that the member sees, grouped by a dimension, with a total row (key '*total').
 * The service turns them into rates and means with the formulas in @crm/domain.
 */
export async function selectTicketKpis(
  scope: Scope,
  range: { from: string; to: string; timeZone: string },
  by: TicketKpiDimension,
): Promise<KpiCountsRow[]> {
  const { rows } = await sql<KpiCountsRow>`
    with scoped as (
      select t.*, ${dimensionSql(by, range.timeZone)} as dimension, assignee.name as assignee_name
      from ${FROM}
      where t.tenant_id = ${scope.tenantId} and ${visibleTicket(scope)}
        and t.created_at >= (${range.from}::date::timestamp at time zone ${range.timeZone})
        and t.created_at < (${range.to}::date::timestamp at time zone ${range.timeZone})
    )
    select case when grouping(dimension) = 1 then '*total' else dimension end as key,
      ${by === 'agent' ? sql`max(assignee_name)` : sql`null::text`} as label,
      count(*) as opened,
      count(*) filter (where status in ('resolved', 'closed')) as closed,
      sum(first_response_ms) filter (where first_responded_at is not null) as first_response_ms_sum,
      count(*) filter (where first_responded_at is not null) as first_response_count,
      count(*) filter (where first_responded_at is not null and not first_response_breached) as first_response_met,
      sum(resolution_ms) filter (where resolved_at is not null) as resolution_ms_sum,
      count(*) filter (where resolved_at is not null) as resolution_count,
      count(*) filter (where resolved_at is not null and not resolution_breached) as resolution_met,
      count(*) filter (where first_response_breached or resolution_breached) as breached
    from scoped
    group by grouping sets ((dimension), ())
    order by 1`.execute(scope.trx);
  return rows;
}

// Inbound email (邮件转工单).

export type InboundSettingsRow = {
  address_key: string;
  secret_cipher: string;
  rotated_at: Date;
  rotated_by_name: string | null;
};

export async function selectInboundSettings(scope: Scope): Promise<InboundSettingsRow | undefined> {
  const { rows } = await sql<InboundSettingsRow>`
    select s.address_key, s.secret_cipher, s.rotated_at, u.name as rotated_by_name
    from ticket_inbound_settings s left join users u on u.id = s.rotated_by
    where s.tenant_id = ${scope.tenantId}`.execute(scope.trx);
  return rows[0];
}

/** A new address key and secret (the first, or a rotation: the old address stops working). */
export async function rotateInboundSettings(
  scope: Scope,
  values: { addressKey: string; secretCipher: string },
): Promise<void> {
  await sql`
    insert into ticket_inbound_settings (tenant_id, address_key, secret_cipher, rotated_by)
    values (${scope.tenantId}, ${values.addressKey}, ${values.secretCipher}, ${scope.userId})
    on conflict (tenant_id) do update set address_key = excluded.address_key,
      secret_cipher = excluded.secret_cipher, rotated_by = excluded.rotated_by, rotated_at = now()`.execute(
    scope.trx,
  );
}

/**
 * Claims a Message-ID for this tenant: false when it was seen before (a retried or replayed
 * post). A concurrent claim of the same id waits for the first transaction and then finds it.
 */
export async function claimInboundMessage(
  scope: Scope,
  message: { messageId: string; fromAddress: string; subject: string },
): Promise<boolean> {
  const { rows } = await sql<{ message_id: string }>`
    insert into ticket_inbound_messages (tenant_id, message_id, from_address, subject)
    values (${scope.tenantId}, ${message.messageId}, ${message.fromAddress}, ${message.subject})
    on conflict (tenant_id, message_id) do nothing
    returning message_id`.execute(scope.trx);
  return rows.length > 0;
}

export async function setInboundOutcome(
  scope: Scope,
  messageId: string,
  outcome: 'created' | 'threaded' | 'unmatched',
  ticketId: string | null,
): Promise<void> {
  await scope.trx
    .updateTable('ticket_inbound_messages')
    .set({ outcome, ticket_id: ticketId })
    .where('tenant_id', '=', scope.tenantId)
    .where('message_id', '=', messageId)
    .execute();
}

export type InboundMessageRow = {
  message_id: string;
  outcome: 'created' | 'threaded' | 'unmatched' | null;
  from_address: string | null;
  subject: string | null;
  ticket_id: string | null;
  ticket_number: number | null;
  received_at: Date;
};

/** The latest messages the hook received, newest first. */
export async function selectInboundMessages(scope: Scope, limit: number): Promise<InboundMessageRow[]> {
  const { rows } = await sql<InboundMessageRow>`
    select m.message_id, m.outcome, m.from_address, m.subject, m.ticket_id, t.number as ticket_number, m.received_at
    from ticket_inbound_messages m
    left join tickets t on t.tenant_id = m.tenant_id and t.id = m.ticket_id
    where m.tenant_id = ${scope.tenantId}
    order by m.received_at desc limit ${limit}`.execute(scope.trx);
  return rows;
}

/**
 * The customer (and contact) an email address belongs to: a contact with that address first
 * (its customer not archived or merged), else a customer's own email; the most recently
 * changed when several share it.
 */
export async function selectSenderCustomer(
  scope: Scope,
  email: string,
): Promise<{ customer_id: string; contact_id: string | null } | undefined> {
  const { rows } = await sql<{ customer_id: string; contact_id: string | null }>`
    (select c.id as customer_id, ct.id as contact_id, 0 as rank, c.updated_at
     from contacts ct join customers c on c.tenant_id = ct.tenant_id and c.id = ct.customer_id
     where ct.tenant_id = ${scope.tenantId} and ct.emails @> array[${email}]::text[]
       and c.archived_at is null and c.merged_into is null
     order by c.updated_at desc limit 1)
    union all
    (select c.id, null, 1, c.updated_at from customers c
     where c.tenant_id = ${scope.tenantId} and lower(c.email) = ${email} and c.email is not null
       and c.archived_at is null and c.merged_into is null
     order by c.updated_at desc limit 1)
    order by rank limit 1`.execute(scope.trx);
  return rows[0];
}

/**
 * The ticket an email answers: one whose earlier inbound message it replies to (In-Reply-To,
 * References), else the one its subject names by number (工单 #12, [#12]) — in either case a
 * ticket of the sender's customer only.
 */
export async function selectThreadTicket(
  scope: Scope,
  customerId: string,
  reference: { messageIds: readonly string[]; number: number | null },
): Promise<string | undefined> {
  if (reference.messageIds.length > 0) {
    const row = await scope.trx
      .selectFrom('ticket_inbound_messages as m')
      .innerJoin('tickets as t', (join) =>
        join.onRef('t.tenant_id', '=', 'm.tenant_id').onRef('t.id', '=', 'm.ticket_id'),
      )
      .select('t.id')
      .where('m.tenant_id', '=', scope.tenantId)
      .where('m.message_id', 'in', [...reference.messageIds])
      .where('t.customer_id', '=', customerId)
      .orderBy('m.received_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row) return row.id;
  }
  if (reference.number === null) return undefined;
  const row = await scope.trx
    .selectFrom('tickets')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('number', '=', reference.number)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row?.id;
}
