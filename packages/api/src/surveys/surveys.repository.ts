import { type Database, executeAndCommit } from '@crm/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { visibleCustomer } from '../customers/access';
import type { Scope } from '../scope';
import { taskPayload } from '../tasks/task-events.sql';
import { customerInTiers, customerTierOf } from '../tiering/placement.sql';
import { registerTimelineSource } from '../timeline/timeline.repository';
import { outboxCtes } from '../webhooks/webhooks.outbox';
import { SCORE_COUNTS, SCORED_ANSWERS } from './scores.sql';

/*
 * Every query of surveys (问卷). Functions take the scope first and return rows or counts;
 * what a missing row means is the service's. The scheduling, the results and the profile
 * mapping are single set-based statements over the tenant's rows.
 */

/** The tenant's calendar days are Beijing time (the work calendar's default zone). */
export const SURVEY_ZONE = 'Asia/Shanghai';

// ---------------------------------------------------------------------------------------------
// Tenant surveys and settings

export type SurveyRow = {
  id: string;
  key: string;
  kind: 'nps' | 'csat' | 'needs' | 'custom';
  title: string;
  description: string | null;
  locale: 'zh-CN' | 'en';
  questions: unknown[];
  archived_at: Date | null;
};

export function selectTenantSurveys(scope: Scope): Promise<SurveyRow[]> {
  return scope.trx
    .selectFrom('surveys')
    .select(['id', 'key', 'kind', 'title', 'description', 'locale', 'questions', 'archived_at'])
    .where('tenant_id', '=', scope.tenantId)
    .where('archived_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export function selectTenantSurvey(
  scope: Scope,
  by: { id: string } | { key: string },
): Promise<SurveyRow | undefined> {
  let query = scope.trx
    .selectFrom('surveys')
    .select(['id', 'key', 'kind', 'title', 'description', 'locale', 'questions', 'archived_at'])
    .where('tenant_id', '=', scope.tenantId);
  query = 'id' in by ? query.where('id', '=', by.id) : query.where('key', '=', by.key);
  return query.executeTakeFirst();
}

export async function insertTenantSurvey(
  scope: Scope,
  values: Omit<SurveyRow, 'id' | 'archived_at'>,
): Promise<SurveyRow> {
  return scope.trx
    .insertInto('surveys')
    .values({
      tenant_id: scope.tenantId,
      key: values.key,
      kind: values.kind,
      title: values.title,
      description: values.description,
      locale: values.locale,
      questions: JSON.stringify(values.questions),
      created_by: scope.userId,
    })
    .returning(['id', 'key', 'kind', 'title', 'description', 'locale', 'questions', 'archived_at'])
    .executeTakeFirstOrThrow();
}

export function updateTenantSurvey(
  scope: Scope,
  id: string,
  values: Pick<SurveyRow, 'kind' | 'title' | 'description' | 'locale' | 'questions'>,
): Promise<SurveyRow | undefined> {
  return scope.trx
    .updateTable('surveys')
    .set({
      kind: values.kind,
      title: values.title,
      description: values.description,
      locale: values.locale,
      questions: JSON.stringify(values.questions),
      updated_at: new Date(),
    })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .returning(['id', 'key', 'kind', 'title', 'description', 'locale', 'questions', 'archived_at'])
    .executeTakeFirst();
}

export async function archiveTenantSurvey(scope: Scope, key: string): Promise<boolean> {
  const result = await scope.trx
    .updateTable('surveys')
    .set({ archived_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('key', '=', key)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export type SurveySettingsRow = {
  frequency_cap_days: number;
  link_valid_days: number;
  disabled_keys: string[];
};

export async function selectSurveySettings(scope: Scope): Promise<SurveySettingsRow> {
  const row = await scope.trx
    .selectFrom('survey_settings')
    .select(['frequency_cap_days', 'link_valid_days', 'disabled_keys'])
    .where('tenant_id', '=', scope.tenantId)
    .executeTakeFirst();
  return row ?? { frequency_cap_days: 30, link_valid_days: 30, disabled_keys: [] };
}

export async function upsertSurveySettings(scope: Scope, values: Partial<SurveySettingsRow>): Promise<void> {
  const current = await selectSurveySettings(scope);
  const next = { ...current, ...values };
  await scope.trx
    .insertInto('survey_settings')
    .values({ tenant_id: scope.tenantId, ...next, updated_by: scope.userId })
    .onConflict((conflict) =>
      conflict.column('tenant_id').doUpdateSet({ ...next, updated_by: scope.userId, updated_at: new Date() }),
    )
    .execute();
}

/** Invited and responded per survey key. */
export async function selectSurveyCounts(
  scope: Scope,
): Promise<Map<string, { invited: number; responded: number }>> {
  const rows = await scope.trx
    .selectFrom('survey_invitations')
    .select([
      'survey_key',
      sql<number>`count(*)::int`.as('invited'),
      sql<number>`count(*) filter (where status = 'responded')::int`.as('responded'),
    ])
    .where('tenant_id', '=', scope.tenantId)
    .groupBy('survey_key')
    .execute();
  return new Map(rows.map((row) => [row.survey_key, { invited: row.invited, responded: row.responded }]));
}

export function selectCustomFieldTargets(scope: Scope) {
  return scope.trx
    .selectFrom('custom_field_definitions')
    .select(['key', 'type', 'options', 'sensitive'])
    .where('tenant_id', '=', scope.tenantId)
    .where('archived_at', 'is', null)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Invitations

/** A survey the scheduler invites for, with its schedule resolved. */
export type ScheduledSurvey = {
  key: string;
  kind: 'nps' | 'csat' | 'needs' | 'custom';
  schedule: { after: string; delayDays: number } | { every: string };
  tiers: readonly string[] | null;
};

/** The period a periodic survey is in on `today`: its label and first day. */
export function periodOf(every: string, today: string): { label: string; start: string } {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const pad = (value: number) => String(value).padStart(2, '0');
  if (every === 'month') return { label: `${year}M${pad(month)}`, start: `${year}-${pad(month)}-01` };
  if (every === 'quarter') {
    const quarter = Math.floor((month - 1) / 3);
    return { label: `${year}Q${quarter + 1}`, start: `${year}-${pad(quarter * 3 + 1)}-01` };
  }
  if (every === 'half_year') {
    const half = month <= 6 ? 0 : 1;
    return { label: `${year}H${half + 1}`, start: `${year}-${half ? '07' : '01'}-01` };
  }
  return { label: `${year}`, start: `${year}-01-01` };
}

/** How many days of missed occasions the daily job catches up on (a day the job did not run). */
export const CATCH_UP_DAYS = 7;
/** A periodic survey's invitations spread over the first days of its period. */
export const SPREAD_DAYS = 28;

function candidatesOf(scope: Scope, survey: ScheduledSurvey, today: string, only: RawBuilder<boolean>) {
  const tenant = scope.tenantId;
  const key = survey.key;
  const tiers = survey.tiers && survey.tiers.length > 0 ? survey.tiers : null;
  const audience = tiers ? sql`and ${customerInTiers(tiers, 'c')}` : sql``;
  const base = sql`c.tenant_id = ${tenant} and c.archived_at is null and c.merged_into is null ${audience} and ${only}`;
  const schedule = survey.schedule;
  const today_ = sql`${today}::date`;
  if ('every' in schedule) {
    const period = periodOf(schedule.every, today);
    const sendOn = sql`(${period.start}::date + (abs(hashtext(c.id::text)) % ${SPREAD_DAYS}))`;
    return sql`select c.id as customer_id, ${`period:${key}:${period.label}:`} || c.id as occasion,
        ${sendOn} as send_on, 2 as rank, true as capped
      from customers c where ${base} and ${sendOn} <= ${today_}`;
  }
  const delay = schedule.delayDays;
  const local = (column: string) =>
    sql`(${sql.ref(column)} at time zone ${SURVEY_ZONE})::date + ${delay}::int`;
  const window = (expression: RawBuilder<unknown>) =>
    sql`${expression} between ${today_} - ${CATCH_UP_DAYS}::int and ${today_}`;
  if (schedule.after === 'first_order') {
    return sql`select c.id as customer_id, ${`first_order:${key}:`} || c.id as occasion,
        ${local('c.first_deal_at')} as send_on, 1 as rank, true as capped
      from customers c where ${base} and c.first_deal_at is not null and ${window(local('c.first_deal_at'))}`;
  }
  if (schedule.after === 'order') {
    return sql`select c.id as customer_id, ${`order:${key}:`} || o.id as occasion,
        ${local('o.ordered_at')} as send_on, 1 as rank, true as capped
      from orders o join customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id
      where ${base} and o.tenant_id = ${tenant} and o.status = 'completed' and ${window(local('o.ordered_at'))}`;
  }
  if (schedule.after === 'ticket_closed') {
    // A ticket's CSAT asks about a service just given: the frequency cap does not hold it back.
    return sql`select c.id as customer_id, ${`ticket_closed:${key}:`} || t.id as occasion,
        ${local('t.closed_at')} as send_on, 0 as rank, false as capped
      from tickets t join customers c on c.tenant_id = t.tenant_id and c.id = t.customer_id
      where ${base} and t.tenant_id = ${tenant} and t.closed_at is not null and ${window(local('t.closed_at'))}`;
  }
  if (schedule.after === 'deal_won') {
    return sql`select c.id as customer_id, ${`deal_won:${key}:`} || o.id as occasion,
        ${local('o.won_at')} as send_on, 1 as rank, true as capped
      from opportunities o join customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id
      where ${base} and o.tenant_id = ${tenant} and o.won_at is not null and ${window(local('o.won_at'))}`;
  }
  return null;
}

/**
 * The daily scheduling in one statement: every survey's candidates (customers in its
 * audience whose occasion falls within the catch-up window, or whose spread day of the
 * period has come), one per customer per run (ticket CSAT first, then event surveys, then
 * periodic ones), none within the frequency cap of the customer's last invitation (ticket
 * CSAT excepted), and never a second invitation for the same occasion (the unique key).
 * The channel is email when the customer has an address, SMS when a phone, else a link for
 * the owner to send. Returns how many were made.
 */
export async function insertScheduledInvitations(
  scope: Scope,
  surveys: readonly ScheduledSurvey[],
  options: { today: string; capDays: number; linkValidDays: number; only?: { customerId: string } },
): Promise<number> {
  const only = options.only ? sql<boolean>`c.id = ${options.only.customerId}::uuid` : sql<boolean>`true`;
  const parts = surveys.flatMap((survey) => {
    const candidates = candidatesOf(scope, survey, options.today, only);
    return candidates
      ? [sql`select x.*, ${survey.key} as survey_key, ${survey.kind} as survey_kind from (${candidates}) x`]
      : [];
  });
  if (parts.length === 0) return 0;
  const result = await sql`
    with candidates as (${sql.join(parts, sql` union all `)}),
    fresh as (
      select cand.* from candidates cand
      where not exists (select 1 from survey_invitations done
        where done.tenant_id = ${scope.tenantId} and done.occasion = cand.occasion)
    ),
    chosen as (
      select distinct on (customer_id) * from fresh order by customer_id, rank, send_on, survey_key
    )
    insert into survey_invitations (tenant_id, survey_key, survey_kind, customer_id, contact_id, owner_user_id,
      tier, occasion, channel, status, send_on, expires_at)
    select ${scope.tenantId}, ch.survey_key, ch.survey_kind, c.id,
      (select ct.id from contacts ct where ct.tenant_id = c.tenant_id and ct.customer_id = c.id and ct.is_primary limit 1),
      c.owner_user_id, ${customerTierOf('c')}, ch.occasion,
      case when c.email is not null then 'email' when c.phone is not null then 'sms' else 'link' end,
      case when c.email is null and c.phone is null then 'sent' else 'pending' end,
      greatest(ch.send_on, ${options.today}::date),
      (greatest(ch.send_on, ${options.today}::date) + ${options.linkValidDays}::int + 1)::timestamp at time zone ${SURVEY_ZONE}
    from chosen ch join customers c on c.tenant_id = ${scope.tenantId} and c.id = ch.customer_id
    where not ch.capped or ${options.capDays}::int = 0 or not exists (
      select 1 from survey_invitations recent
      where recent.tenant_id = c.tenant_id and recent.customer_id = c.id
        and recent.created_at > now() - make_interval(days => ${options.capDays}::int))
    on conflict (tenant_id, occasion) do nothing`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Invitations a member makes for some customers they see (one statement); how many, and the link ones' ids. */
export async function insertManualInvitations(
  scope: Scope,
  values: {
    surveyKey: string;
    surveyKind: string;
    customerIds: readonly string[];
    channel: 'email' | 'sms' | 'link';
    today: string;
    linkValidDays: number;
  },
): Promise<{ id: string; customer_id: string }[]> {
  const addressed =
    values.channel === 'email'
      ? sql`customers.email is not null`
      : values.channel === 'sms'
        ? sql`customers.phone is not null`
        : sql`true`;
  const result = await sql<{ id: string; customer_id: string }>`
    insert into survey_invitations (tenant_id, survey_key, survey_kind, customer_id, contact_id, owner_user_id,
      tier, occasion, channel, status, send_on, expires_at, created_by)
    select ${scope.tenantId}, ${values.surveyKey}, ${values.surveyKind}, customers.id,
      (select ct.id from contacts ct where ct.tenant_id = customers.tenant_id and ct.customer_id = customers.id and ct.is_primary limit 1),
      customers.owner_user_id, ${customerTierOf()}, 'manual:' || gen_random_uuid(), ${values.channel},
      ${values.channel === 'link' ? 'sent' : 'pending'}, ${values.today}::date,
      (${values.today}::date + ${values.linkValidDays}::int + 1)::timestamp at time zone ${SURVEY_ZONE},
      ${scope.userId}
    from customers
    where customers.tenant_id = ${scope.tenantId} and customers.id = any(${sql.val([...values.customerIds])}::uuid[])
      and customers.archived_at is null and ${visibleCustomer(scope.access)} and ${addressed}
    returning id, customer_id`.execute(scope.trx);
  return result.rows;
}

export type InvitationRow = {
  id: string;
  survey_key: string;
  survey_kind: 'nps' | 'csat' | 'needs' | 'custom';
  customer_id: string;
  customer_name: string;
  contact_id: string | null;
  owner_user_id: string | null;
  tier: string | null;
  channel: 'email' | 'sms' | 'link';
  status: 'pending' | 'sent' | 'failed' | 'responded';
  occasion: string;
  send_on: string;
  expires_at: Date;
  responded_at: Date | null;
  created_at: Date;
};

function invitationQuery(scope: Scope) {
  return scope.trx
    .selectFrom('survey_invitations as i')
    .innerJoin('customers', (join) =>
      join.onRef('customers.tenant_id', '=', 'i.tenant_id').onRef('customers.id', '=', 'i.customer_id'),
    )
    .select([
      'i.id',
      'i.survey_key',
      'i.survey_kind',
      'i.customer_id',
      'customers.name as customer_name',
      'i.contact_id',
      'i.owner_user_id',
      'i.tier',
      'i.channel',
      'i.status',
      'i.occasion',
      sql<string>`to_char(i.send_on, 'YYYY-MM-DD')`.as('send_on'),
      'i.expires_at',
      'i.responded_at',
      'i.created_at',
    ])
    .where('i.tenant_id', '=', scope.tenantId)
    .where(visibleCustomer(scope.access));
}

export function selectInvitation(scope: Scope, id: string): Promise<InvitationRow | undefined> {
  return invitationQuery(scope).where('i.id', '=', id).executeTakeFirst() as Promise<
    InvitationRow | undefined
  >;
}

export function selectInvitations(
  scope: Scope,
  filter: { key?: string; customerId?: string; limit: number },
): Promise<InvitationRow[]> {
  let query = invitationQuery(scope);
  if (filter.key) query = query.where('i.survey_key', '=', filter.key);
  if (filter.customerId) query = query.where('i.customer_id', '=', filter.customerId);
  return query
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(filter.limit)
    .execute() as Promise<InvitationRow[]>;
}

export type DueInvitation = {
  id: string;
  survey_key: string;
  channel: 'email' | 'sms';
  email: string | null;
  phone: string | null;
  customer_name: string;
  expires_at: Date;
};

/** Invitations due to be sent by email or SMS today, oldest first. */
export function selectDueInvitations(scope: Scope, today: string, limit: number): Promise<DueInvitation[]> {
  return scope.trx
    .selectFrom('survey_invitations as i')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .select([
      'i.id',
      'i.survey_key',
      'i.channel',
      'c.email',
      'c.phone',
      'c.name as customer_name',
      'i.expires_at',
    ])
    .where('i.tenant_id', '=', scope.tenantId)
    .where('i.status', '=', 'pending')
    .where('i.send_on', '<=', today)
    .where('i.channel', 'in', ['email', 'sms'])
    .orderBy('i.send_on')
    .limit(limit)
    .execute() as Promise<DueInvitation[]>;
}

/** Records how each send went, in one statement. */
export async function recordInvitationSends(
  scope: Scope,
  outcomes: readonly { id: string; ok: boolean; error: string | null }[],
): Promise<void> {
  if (outcomes.length === 0) return;
  const values = sql.join(
    outcomes.map((outcome) => sql`(${outcome.id}::uuid, ${outcome.ok}::boolean, ${outcome.error}::text)`),
  );
  await sql`
    update survey_invitations i
    set status = case when v.ok then 'sent' else 'failed' end,
      sent_at = case when v.ok then now() else null end,
      last_error = v.error
    from (values ${values}) as v(id, ok, error)
    where i.tenant_id = ${scope.tenantId} and i.id = v.id and i.status = 'pending'`.execute(scope.trx);
}

export async function hasDueInvitations(scope: Scope, today: string): Promise<boolean> {
  const row = await scope.trx
    .selectFrom('survey_invitations')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('status', '=', 'pending')
    .where('send_on', '<=', today)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// The public page: an invitation by its signed id, a response

export type PublicInvitation = {
  id: string;
  survey_key: string;
  survey_kind: 'nps' | 'csat' | 'needs' | 'custom';
  customer_id: string;
  contact_id: string | null;
  owner_user_id: string | null;
  tier: string | null;
  status: 'pending' | 'sent' | 'failed' | 'responded';
  expires_at: Date;
};

/** An invitation with what its page needs besides: the tenant's profile, settings version and own survey. */
export type PublicInvitationRow = PublicInvitation & {
  profile_id: string;
  settings_version: number | null;
  survey_row: SurveyRow | null;
};

/**
 * The public page's one read: the invitation, the tenant's industry profile and the version
 * of its plugin settings (which name the compiled plugin survey), and the tenant's own
 * survey of that key if there is one. Compiled to be sent with the transaction's opening.
 */
export function publicInvitationQuery(db: Kysely<Database>, tenantId: string, id: string) {
  return sql<PublicInvitationRow>`
    select i.id, i.survey_key, i.survey_kind, i.customer_id, i.contact_id, i.owner_user_id, i.tier, i.status,
      i.expires_at, t.industry as profile_id,
      (select max(p.version) from tenant_plugin_settings p where p.tenant_id = i.tenant_id)::int as settings_version,
      (select to_jsonb(x) from (select s.id, s.key, s.kind, s.title, s.description, s.locale, s.questions, s.archived_at
        from surveys s where s.tenant_id = i.tenant_id and s.key = i.survey_key) x) as survey_row
    from survey_invitations i
    join tenants t on t.id = i.tenant_id
    where i.tenant_id = ${tenantId} and i.id = ${id}`.compile(db);
}

/** What a response writes to the customer's needs (one update). */
export type ProfileUpdate = {
  explicitNeeds?: string;
  implicitNeeds?: string;
  needType?: 'product' | 'service' | 'both';
  customFields?: Record<string, unknown>;
};

/** The follow-up task an unhappy answer opens for the customer's owner. */
export type FollowUpTask = { title: string; dueOn: string; sourceKeyPrefix: string };

export type NewResponse = {
  answers: Record<string, unknown>;
  score: number | null;
  scorePct: number | null;
  low: boolean;
  locale: 'zh-CN' | 'en';
  /** The mapped needs, written to the customer's profile. */
  needs: ProfileUpdate;
  /** For an unhappy answer: its task (keyed `<sourceKeyPrefix><response id>`) and follow-up record. */
  followUp: FollowUpTask | null;
  /** The `survey.responded` event's payload but for the response's id. */
  event: Record<string, unknown>;
};

function needsSets(update: ProfileUpdate): RawBuilder<unknown>[] {
  const sets: RawBuilder<unknown>[] = [];
  if (update.explicitNeeds !== undefined)
    sets.push(sql`explicit_needs = ${update.explicitNeeds.slice(0, 4000)}`);
  if (update.implicitNeeds !== undefined)
    sets.push(sql`implicit_needs = ${update.implicitNeeds.slice(0, 4000)}`);
  if (update.needType !== undefined) sets.push(sql`need_type = ${update.needType}`);
  if (update.customFields && Object.keys(update.customFields).length > 0) {
    sets.push(sql`custom_fields = custom_fields || ${JSON.stringify(update.customFields)}::jsonb`);
  }
  return sets;
}

/**
 * A response and everything it writes, in one statement (data-modifying CTEs): the
 * invitation's answered state, the response, the needs on the customer's profile, for an
 * unhappy answer the owner's follow-up task with its follow-up record and `task.created`, and
 * the `survey.responded` event. Nothing at all when the invitation was already answered (the
 * single use, kept by the unique index). The response id (null: already answered) and the
 * webhook deliveries queued. The transaction's last statement: in the public door's
 * transaction it goes with the COMMIT (`executeAndCommit`), one round trip for both.
 */
export async function insertResponse(
  scope: Scope,
  invitation: PublicInvitation,
  values: NewResponse,
): Promise<{ id: string | null; webhookDeliveries: number }> {
  const sets = needsSets(values.needs);
  const needs =
    sets.length === 0
      ? sql``
      : sql`, needs as (
      update customers set ${sql.join(sets)}, updated_at = now()
      where tenant_id = ${scope.tenantId} and id = ${invitation.customer_id} and exists (select 1 from response)
      returning 1
    )`;
  const followUp = values.followUp;
  const followUpCtes = followUp
    ? sql`, follow_up_task as (
      insert into tasks (tenant_id, title, type, customer_id, contact_id, related_kind, related_id, owner_user_id,
        team_id, due_on, priority, source, source_key, created_by)
      select ${scope.tenantId}, ${followUp.title}, 'call', ${invitation.customer_id}, ${invitation.contact_id},
        'survey_response', r.id, ${invitation.owner_user_id},
        (select m.team_id from memberships m where m.tenant_id = ${scope.tenantId} and m.user_id = ${invitation.owner_user_id}::uuid),
        ${followUp.dueOn}::date, 'high', 'rule', ${followUp.sourceKeyPrefix}::text || r.id::text, ${scope.userId}
      from response r
      on conflict (tenant_id, source_key) where source_key is not null do nothing
      returning *
    ), follow_up as (
      insert into survey_follow_ups (tenant_id, response_id, customer_id, owner_user_id, task_id)
      select ${scope.tenantId}, r.id, ${invitation.customer_id}, ${invitation.owner_user_id},
        (select t.id from follow_up_task t)
      from response r
      on conflict (tenant_id, response_id) do nothing
      returning 1
    ), ${outboxCtes(scope.tenantId, 'task.created', sql`select ${taskPayload('t')} as payload from follow_up_task t`, 'task_outbox')}`
    : sql``;
  const statement = sql<{ id: string | null; deliveries: number }>`
    with answered as (
      update survey_invitations set status = 'responded', responded_at = now()
      where tenant_id = ${scope.tenantId} and id = ${invitation.id} and status <> 'responded'
      returning id
    ), response as (
      insert into survey_responses (tenant_id, invitation_id, survey_key, survey_kind, customer_id, contact_id,
        owner_user_id, tier, answers, score, score_pct, low, locale)
      select ${scope.tenantId}, answered.id, ${invitation.survey_key}, ${invitation.survey_kind},
        ${invitation.customer_id}, ${invitation.contact_id}, ${invitation.owner_user_id}, ${invitation.tier},
        ${JSON.stringify(values.answers)}::jsonb, ${values.score}, ${values.scorePct}, ${values.low}, ${values.locale}
      from answered
      on conflict do nothing
      returning id
    )${needs}${followUpCtes}, ${outboxCtes(
      scope.tenantId,
      'survey.responded',
      sql`select jsonb_build_object('id', r.id) || ${JSON.stringify(values.event)}::jsonb as payload from response r`,
    )}
    select (select id from response) as id,
      ((select count(*) from outbox_deliveries)${followUp ? sql` + (select count(*) from task_outbox_deliveries)` : sql``})::int as deliveries`;
  const result = await executeAndCommit(scope.trx, statement.compile(scope.trx));
  const row = result.rows[0];
  return { id: row?.id ?? null, webhookDeliveries: row?.deliveries ?? 0 };
}

// ---------------------------------------------------------------------------------------------
// Responses and follow-ups

export type ResponseRow = {
  id: string;
  survey_key: string;
  survey_kind: 'nps' | 'csat' | 'needs' | 'custom';
  customer_id: string;
  customer_name: string;
  tier: string | null;
  score: string | null;
  low: boolean;
  answers: Record<string, unknown>;
  responded_at: Date;
  follow_up_id: string | null;
  follow_up_status: 'open' | 'analysed' | 'closed' | null;
};

export function selectResponses(
  scope: Scope,
  filter: { key?: string; customerId?: string; lowOnly?: boolean; limit: number },
): Promise<ResponseRow[]> {
  let query = scope.trx
    .selectFrom('survey_responses as r')
    .innerJoin('customers', (join) =>
      join.onRef('customers.tenant_id', '=', 'r.tenant_id').onRef('customers.id', '=', 'r.customer_id'),
    )
    .leftJoin('survey_follow_ups as f', (join) =>
      join.onRef('f.tenant_id', '=', 'r.tenant_id').onRef('f.response_id', '=', 'r.id'),
    )
    .select([
      'r.id',
      'r.survey_key',
      'r.survey_kind',
      'r.customer_id',
      'customers.name as customer_name',
      'r.tier',
      'r.score',
      'r.low',
      'r.answers',
      'r.responded_at',
      'f.id as follow_up_id',
      'f.status as follow_up_status',
    ])
    .where('r.tenant_id', '=', scope.tenantId)
    .where(visibleCustomer(scope.access));
  if (filter.key) query = query.where('r.survey_key', '=', filter.key);
  if (filter.customerId) query = query.where('r.customer_id', '=', filter.customerId);
  if (filter.lowOnly) query = query.where('r.low', '=', true);
  return query
    .orderBy('r.responded_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(filter.limit)
    .execute() as Promise<ResponseRow[]>;
}

export async function selectCustomerSatisfaction(scope: Scope, customerId: string) {
  const row = await sql<{
    last_nps: string | null;
    last_nps_at: Date | null;
    last_csat: string | null;
    last_csat_at: Date | null;
    responses: number;
    pending: number;
    open_follow_ups: number;
  }>`
    select
      (select score from survey_responses where tenant_id = c.tenant_id and customer_id = c.id and survey_kind = 'nps' and score is not null order by responded_at desc limit 1) as last_nps,
      (select responded_at from survey_responses where tenant_id = c.tenant_id and customer_id = c.id and survey_kind = 'nps' and score is not null order by responded_at desc limit 1) as last_nps_at,
      (select score_pct from survey_responses where tenant_id = c.tenant_id and customer_id = c.id and survey_kind = 'csat' and score is not null order by responded_at desc limit 1) as last_csat,
      (select responded_at from survey_responses where tenant_id = c.tenant_id and customer_id = c.id and survey_kind = 'csat' and score is not null order by responded_at desc limit 1) as last_csat_at,
      (select count(*)::int from survey_responses where tenant_id = c.tenant_id and customer_id = c.id) as responses,
      (select count(*)::int from survey_invitations where tenant_id = c.tenant_id and customer_id = c.id
         and status in ('pending', 'sent') and expires_at > now()) as pending,
      (select count(*)::int from survey_follow_ups where tenant_id = c.tenant_id and customer_id = c.id and status <> 'closed') as open_follow_ups
    from customers c
    where c.tenant_id = ${scope.tenantId} and c.id = ${customerId}
      and ${sql.raw('true')} and ${visibleCustomerOf(scope)}`.execute(scope.trx);
  return row.rows[0];
}

function visibleCustomerOf(scope: Scope): RawBuilder<boolean> {
  // visibleCustomer names the table `customers`; this statement calls it c.
  return sql<boolean>`exists (select 1 from customers where customers.tenant_id = c.tenant_id
    and customers.id = c.id and ${visibleCustomer(scope.access)})`;
}

export type FollowUpRow = {
  id: string;
  response_id: string;
  customer_id: string;
  customer_name: string;
  owner_user_id: string | null;
  task_id: string | null;
  status: 'open' | 'analysed' | 'closed';
  cause: 'service' | 'product_mismatch' | 'price' | 'other' | null;
  cause_text: string | null;
  improvement: string | null;
  check_back_on: string | null;
  check_back_result: string | null;
  survey_key: string;
  score: string | null;
  created_at: Date;
};

function followUpQuery(scope: Scope) {
  return scope.trx
    .selectFrom('survey_follow_ups as f')
    .innerJoin('survey_responses as r', (join) =>
      join.onRef('r.tenant_id', '=', 'f.tenant_id').onRef('r.id', '=', 'f.response_id'),
    )
    .innerJoin('customers', (join) =>
      join.onRef('customers.tenant_id', '=', 'f.tenant_id').onRef('customers.id', '=', 'f.customer_id'),
    )
    .select([
      'f.id',
      'f.response_id',
      'f.customer_id',
      'customers.name as customer_name',
      'f.owner_user_id',
      'f.task_id',
      'f.status',
      'f.cause',
      'f.cause_text',
      'f.improvement',
      sql<string | null>`to_char(f.check_back_on, 'YYYY-MM-DD')`.as('check_back_on'),
      'f.check_back_result',
      'r.survey_key',
      'r.score',
      'f.created_at',
    ])
    .where('f.tenant_id', '=', scope.tenantId)
    .where(visibleCustomer(scope.access));
}

export function selectFollowUps(
  scope: Scope,
  filter: { status?: string; limit: number },
): Promise<FollowUpRow[]> {
  let query = followUpQuery(scope);
  if (filter.status) query = query.where('f.status', '=', filter.status as FollowUpRow['status']);
  return query
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(filter.limit)
    .execute() as Promise<FollowUpRow[]>;
}

export function selectFollowUp(scope: Scope, id: string): Promise<FollowUpRow | undefined> {
  return followUpQuery(scope).where('f.id', '=', id).executeTakeFirst() as Promise<FollowUpRow | undefined>;
}

export async function updateFollowUpAnalysis(
  scope: Scope,
  id: string,
  values: {
    cause: string;
    causeText: string | null;
    improvement: string;
    checkBackOn: string;
    checkBackSourceKey: string;
  },
): Promise<boolean> {
  const result = await sql`
    update survey_follow_ups set status = 'analysed', cause = ${values.cause}, cause_text = ${values.causeText},
      improvement = ${values.improvement}, check_back_on = ${values.checkBackOn}::date,
      analysed_by = ${scope.userId}, analysed_at = now(),
      check_back_task_id = (select id from tasks where tenant_id = ${scope.tenantId} and source_key = ${values.checkBackSourceKey} limit 1)
    where tenant_id = ${scope.tenantId} and id = ${id} and status = 'open'`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

export async function closeFollowUpRow(scope: Scope, id: string, result: string): Promise<boolean> {
  const outcome = await scope.trx
    .updateTable('survey_follow_ups')
    .set({ status: 'closed', check_back_result: result, closed_by: scope.userId, closed_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .where('status', '=', 'analysed')
    .executeTakeFirst();
  return Number(outcome.numUpdatedRows) > 0;
}

// ---------------------------------------------------------------------------------------------
// Results: NPS and CSAT per month, tier, owner and survey, with response rates

export type Grouping = 'month' | 'tier' | 'owner' | 'survey';

/**
 * A grouping: what the rows are grouped by (`key`, kept raw: a month is a timestamp, an owner
 * a uuid) and how a group is shown (`value`, computed once per group from the key). Grouping
 * by the formatted text instead formatted every row: a fifth of the statement's time over
 * five million answers (docs/benchmarks.md, BM10b).
 */
function groupingOf(
  grouping: Grouping | undefined,
  table: 'r' | 'i',
): { key: RawBuilder<unknown>; value: RawBuilder<string | null> } {
  const at = table === 'r' ? sql.ref('r.responded_at') : sql.ref('i.created_at');
  if (grouping === 'month') {
    // The zone as a literal: the group key must read the same in select and group by.
    const key = sql`date_trunc('month', ${at} at time zone ${sql.lit(SURVEY_ZONE)})`;
    return { key, value: sql<string>`to_char(${key}, 'YYYY-MM')` };
  }
  if (grouping === 'tier' || grouping === 'survey') {
    const key = sql<string | null>`${sql.ref(`${table}.${grouping === 'tier' ? 'tier' : 'survey_key'}`)}`;
    return { key, value: key };
  }
  if (grouping === 'owner') {
    const key = sql`${sql.ref(`${table}.owner_user_id`)}`;
    return { key, value: sql<string | null>`${key}::text` };
  }
  const none = sql<null>`null::text`;
  return { key: none, value: none };
}

export type ScoreRow = {
  group_key: string | null;
  subgroup_key: string | null;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps_count: number;
  csat_count: number;
  satisfied: number;
  average: string | null;
};

export type ScoreQuery = {
  from: string;
  to: string;
  key?: string;
  by?: Grouping;
  thenBy?: Grouping;
};

/**
 * NPS and CSAT counts per group, one aggregate over the scored responses' index. A member
 * who sees only some customers (a manager their team's) counts only theirs.
 */
export async function selectScores(scope: Scope, query: ScoreQuery): Promise<ScoreRow[]> {
  const restricted = scope.access.scope !== 'all';
  const visible = restricted
    ? sql`and exists (select 1 from customers where customers.tenant_id = r.tenant_id and customers.id = r.customer_id and ${visibleCustomer(scope.access)})`
    : sql``;
  const survey = query.key ? sql`and r.survey_key = ${query.key}` : sql``;
  const group = groupingOf(query.by, 'r');
  const subgroup = groupingOf(query.thenBy, 'r');
  const result = await sql<ScoreRow>`
    select ${group.value} as group_key, ${subgroup.value} as subgroup_key,
      count(*)::int as responses, ${SCORE_COUNTS},
      avg(r.score_pct)::numeric(6, 2)::text as average
    from survey_responses r
    where r.tenant_id = ${scope.tenantId} and ${SCORED_ANSWERS}
      and r.responded_at >= (${query.from}::date)::timestamp at time zone ${SURVEY_ZONE}
      and r.responded_at < (${query.to}::date + 1)::timestamp at time zone ${SURVEY_ZONE}
      ${survey} ${visible}
    group by ${group.key}, ${subgroup.key}
    order by 1 nulls last, 2 nulls last`.execute(scope.trx);
  return result.rows;
}

export type RateRow = {
  group_key: string | null;
  subgroup_key: string | null;
  invited: number;
  responded: number;
};

/** Invitations made in the period and how many were answered, per the same groups. */
export async function selectResponseRates(scope: Scope, query: ScoreQuery): Promise<RateRow[]> {
  const restricted = scope.access.scope !== 'all';
  const visible = restricted
    ? sql`and exists (select 1 from customers where customers.tenant_id = i.tenant_id and customers.id = i.customer_id and ${visibleCustomer(scope.access)})`
    : sql``;
  const survey = query.key ? sql`and i.survey_key = ${query.key}` : sql``;
  const group = groupingOf(query.by, 'i');
  const subgroup = groupingOf(query.thenBy, 'i');
  const result = await sql<RateRow>`
    select ${group.value} as group_key, ${subgroup.value} as subgroup_key,
      count(*)::int as invited, count(*) filter (where i.status = 'responded')::int as responded
    from survey_invitations i
    where i.tenant_id = ${scope.tenantId}
      and i.created_at >= (${query.from}::date)::timestamp at time zone ${SURVEY_ZONE}
      and i.created_at < (${query.to}::date + 1)::timestamp at time zone ${SURVEY_ZONE}
      ${survey} ${visible}
    group by ${group.key}, ${subgroup.key}`.execute(scope.trx);
  return result.rows;
}

/** Follow-ups opened in the period and how many of them are closed (the closed loop). */
export async function selectFollowUpCounts(
  scope: Scope,
  query: ScoreQuery,
): Promise<{ opened: number; closed: number }> {
  const restricted = scope.access.scope !== 'all';
  const visible = restricted
    ? sql`and exists (select 1 from customers where customers.tenant_id = f.tenant_id and customers.id = f.customer_id and ${visibleCustomer(scope.access)})`
    : sql``;
  const survey = query.key
    ? sql`and exists (select 1 from survey_responses r where r.tenant_id = f.tenant_id and r.id = f.response_id and r.survey_key = ${query.key})`
    : sql``;
  const result = await sql<{ opened: number; closed: number }>`
    select count(*)::int as opened, count(*) filter (where f.status = 'closed')::int as closed
    from survey_follow_ups f
    where f.tenant_id = ${scope.tenantId}
      and f.created_at >= (${query.from}::date)::timestamp at time zone ${SURVEY_ZONE}
      and f.created_at < (${query.to}::date + 1)::timestamp at time zone ${SURVEY_ZONE}
      ${survey} ${visible}`.execute(scope.trx);
  return result.rows[0] ?? { opened: 0, closed: 0 };
}

export function selectMemberNames(scope: Scope, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return scope.trx
    .selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select(['users.id', 'users.name'])
    .where('memberships.tenant_id', '=', scope.tenantId)
    .where('users.id', 'in', [...ids])
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The timeline: a response, with its score and whether it opened a follow-up.

registerTimelineSource({
  kind: 'survey_response',
  select: (tenantId, customerId) => sql`
    select r.id, r.responded_at as occurred_at, null::uuid as actor_user_id,
      jsonb_build_object('surveyKey', r.survey_key, 'surveyKind', r.survey_kind,
        'score', r.score, 'low', r.low) as data
    from survey_responses r where r.tenant_id = ${tenantId} and r.customer_id = ${customerId}`,
});
