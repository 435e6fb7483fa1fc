import { type RawBuilder, sql } from 'kysely';
import type { Scope } from '../scope';
import type { CampaignAudience } from './marketing.schemas';

/** Every query of hosted forms and campaigns; scope first, rows or counts back. */

export type FormRow = {
  id: string;
  name: string;
  title: string;
  intro: string | null;
  locale: 'zh-CN' | 'en';
  intents: string[];
  ask_company: boolean;
  campaign_id: string | null;
  active: boolean;
  submissions: number;
  created_at: Date;
};

const FORM_COLUMNS = sql`id, name, title, intro, locale, intents, ask_company, campaign_id, active, submissions, created_at`;

function uniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

export async function selectForms(scope: Scope): Promise<FormRow[]> {
  const result = await sql<FormRow>`
    select ${FORM_COLUMNS} from lead_forms where tenant_id = ${scope.tenantId}
    order by created_at desc, id desc limit 200`.execute(scope.trx);
  return result.rows;
}

export async function selectForm(scope: Scope, id: string): Promise<FormRow | undefined> {
  const result = await sql<FormRow>`
    select ${FORM_COLUMNS} from lead_forms where tenant_id = ${scope.tenantId} and id = ${id}`.execute(
    scope.trx,
  );
  return result.rows[0];
}

export type FormValues = {
  name: string;
  title: string;
  intro: string | null;
  locale: 'zh-CN' | 'en';
  intents: string[];
  ask_company: boolean;
  campaign_id: string | null;
};

/** A campaign of the tenant's, or null (a foreign id counts as none). */
function campaignRef(scope: Scope, campaignId: string | null): RawBuilder<unknown> {
  return campaignId
    ? sql`(select id from campaigns where tenant_id = ${scope.tenantId} and id = ${campaignId})`
    : sql`null::uuid`;
}

export async function insertForm(scope: Scope, values: FormValues): Promise<FormRow | 'NAME_TAKEN'> {
  try {
    const result = await sql<FormRow>`
      insert into lead_forms (tenant_id, name, title, intro, locale, intents, ask_company, campaign_id, created_by)
      values (${scope.tenantId}, ${values.name}, ${values.title}, ${values.intro}, ${values.locale},
        ${values.intents}::text[], ${values.ask_company}, ${campaignRef(scope, values.campaign_id)}, ${scope.userId})
      returning ${FORM_COLUMNS}`.execute(scope.trx);
    return result.rows[0] as FormRow;
  } catch (error) {
    if (uniqueViolation(error)) return 'NAME_TAKEN';
    throw error;
  }
}

export async function updateForm(
  scope: Scope,
  id: string,
  values: FormValues & { active: boolean },
): Promise<FormRow | 'NAME_TAKEN' | undefined> {
  try {
    const result = await sql<FormRow>`
      update lead_forms set name = ${values.name}, title = ${values.title}, intro = ${values.intro},
        locale = ${values.locale}, intents = ${values.intents}::text[], ask_company = ${values.ask_company},
        campaign_id = ${campaignRef(scope, values.campaign_id)}, active = ${values.active}, updated_at = now()
      where tenant_id = ${scope.tenantId} and id = ${id}
      returning ${FORM_COLUMNS}`.execute(scope.trx);
    return result.rows[0];
  } catch (error) {
    if (uniqueViolation(error)) return 'NAME_TAKEN';
    throw error;
  }
}

/** Counts one submission of an active form; false when the form is gone or turned off. */
export async function countSubmission(scope: Scope, formId: string): Promise<boolean> {
  const result = await sql`
    update lead_forms set submissions = submissions + 1
    where tenant_id = ${scope.tenantId} and id = ${formId} and active`.execute(scope.trx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------
// Campaigns

export type CampaignRow = {
  id: string;
  name: string;
  subject: string;
  body: string;
  audience: CampaignAudience;
  status: 'draft' | 'sending' | 'sent';
  sent_at: Date | null;
  created_at: Date;
  sent: number;
  opened: number;
  clicked: number;
  replied: number;
};

/** A campaign with its counts: leads sent to, and distinct leads that opened, clicked, replied. */
const CAMPAIGN_SELECT = (scope: Scope) => sql`
  select c.id, c.name, c.subject, c.body, c.audience, c.status, c.sent_at, c.created_at,
    (select count(*)::int from campaign_recipients r where r.tenant_id = c.tenant_id and r.campaign_id = c.id) as sent,
    (select count(distinct e.lead_id)::int from lead_events e where e.tenant_id = c.tenant_id and e.campaign_id = c.id and e.kind = 'email_open') as opened,
    (select count(distinct e.lead_id)::int from lead_events e where e.tenant_id = c.tenant_id and e.campaign_id = c.id and e.kind = 'link_click') as clicked,
    (select count(distinct e.lead_id)::int from lead_events e where e.tenant_id = c.tenant_id and e.campaign_id = c.id and e.kind = 'reply') as replied
  from campaigns c where c.tenant_id = ${scope.tenantId}`;

export async function selectCampaigns(scope: Scope): Promise<CampaignRow[]> {
  const result =
    await sql<CampaignRow>`${CAMPAIGN_SELECT(scope)} order by c.created_at desc, c.id desc limit 200`.execute(
      scope.trx,
    );
  return result.rows;
}

export async function selectCampaign(scope: Scope, id: string): Promise<CampaignRow | undefined> {
  const result = await sql<CampaignRow>`${CAMPAIGN_SELECT(scope)} and c.id = ${id}`.execute(scope.trx);
  return result.rows[0];
}

export type CampaignValues = { name: string; subject: string; body: string; audience: CampaignAudience };

export async function insertCampaign(scope: Scope, values: CampaignValues): Promise<string | 'NAME_TAKEN'> {
  try {
    const result = await sql<{ id: string }>`
      insert into campaigns (tenant_id, name, subject, body, audience, created_by)
      values (${scope.tenantId}, ${values.name}, ${values.subject}, ${values.body},
        ${JSON.stringify(values.audience)}::jsonb, ${scope.userId})
      returning id`.execute(scope.trx);
    return (result.rows[0] as { id: string }).id;
  } catch (error) {
    if (uniqueViolation(error)) return 'NAME_TAKEN';
    throw error;
  }
}

/** Edits a draft; 'NOT_DRAFT' once sending began, undefined when there is no such campaign. */
export async function updateDraftCampaign(
  scope: Scope,
  id: string,
  values: CampaignValues,
): Promise<'UPDATED' | 'NOT_DRAFT' | 'NAME_TAKEN' | undefined> {
  try {
    const result = await sql<{ status: string; updated: boolean }>`
      with target as (select id, status from campaigns where tenant_id = ${scope.tenantId} and id = ${id} for update),
      updated as (
        update campaigns c set name = ${values.name}, subject = ${values.subject}, body = ${values.body},
          audience = ${JSON.stringify(values.audience)}::jsonb, updated_at = now()
        from target t where c.tenant_id = ${scope.tenantId} and c.id = t.id and t.status = 'draft'
        returning c.id
      )
      select t.status, exists (select 1 from updated) as updated from target t`.execute(scope.trx);
    const row = result.rows[0];
    if (!row) return undefined;
    return row.updated ? 'UPDATED' : 'NOT_DRAFT';
  } catch (error) {
    if (uniqueViolation(error)) return 'NAME_TAKEN';
    throw error;
  }
}

/** The audience as a condition on `l` (leads): open, with an email, narrowed by the filter. */
function audienceWhere(scope: Scope, audience: CampaignAudience): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [
    sql`l.tenant_id = ${scope.tenantId}`,
    sql`l.email ~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'`,
    sql`l.status in ('new', 'contacted', 'qualified')`,
  ];
  if (audience.grades?.length) parts.push(sql`l.grade = any(${audience.grades}::text[])`);
  if (audience.statuses?.length) parts.push(sql`l.status = any(${audience.statuses}::text[])`);
  if (audience.sources?.length) parts.push(sql`l.source = any(${audience.sources}::text[])`);
  return sql.join(parts, sql` and `);
}

export async function countAudience(scope: Scope, audience: CampaignAudience): Promise<number> {
  const result = await sql<{ count: number }>`
    select count(*)::int as count from leads l where ${audienceWhere(scope, audience)}`.execute(scope.trx);
  return result.rows[0]?.count ?? 0;
}

/**
 * Marks a draft as sent and records its recipients (one statement): the audience's leads, at
 * most `limit + 1` (the caller refuses more). Returns them, or 'NOT_DRAFT' / undefined.
 */
export async function claimCampaignRecipients(
  scope: Scope,
  id: string,
  limit: number,
): Promise<{ lead_id: string; email: string; name: string }[] | 'NOT_DRAFT' | undefined> {
  const campaign = await sql<{ status: string; audience: CampaignAudience }>`
    select status, audience from campaigns where tenant_id = ${scope.tenantId} and id = ${id} for update`.execute(
    scope.trx,
  );
  const row = campaign.rows[0];
  if (!row) return undefined;
  if (row.status !== 'draft') return 'NOT_DRAFT';
  const result = await sql<{ lead_id: string; email: string; name: string }>`
    with audience as (
      select l.id, l.email, coalesce(l.person_name, l.company_name) as name from leads l
      where ${audienceWhere(scope, row.audience)}
      order by l.created_at, l.id
      limit ${limit + 1}
    ), inserted as (
      insert into campaign_recipients (tenant_id, campaign_id, lead_id, email)
      select ${scope.tenantId}, ${id}, a.id, a.email from audience a
      on conflict do nothing
      returning lead_id, email
    ), marked as (
      update campaigns set status = 'sent', sent_at = now(), updated_at = now()
      where tenant_id = ${scope.tenantId} and id = ${id}
    )
    select i.lead_id, i.email, a.name from inserted i join audience a on a.id = i.lead_id`.execute(scope.trx);
  return result.rows;
}

// ---------------------------------------------------------------------------------------------
// Leads from a hosted form

export type FormLead = {
  personName: string;
  companyName: string | null;
  phone: string | null;
  email: string | null;
  intent: string;
  message: string | null;
  campaignName: string | null;
};

/** Intents from strongest to weakest: a submission never lowers what a lead asked for before. */
const INTENT_ORDER = [
  'price',
  'proposal',
  'visit_booked',
  'features',
  'product_question',
  'other',
  'browsed',
];

/**
 * The lead a submission belongs to: the tenant's open lead with the same phone or email (the
 * dedup keys), updated — name and company filled where empty, the stronger intent, the
 * message added to its needs — or a new web-form lead. One statement; returns its id and
 * whether it was created.
 */
export async function upsertFormLead(
  scope: Scope,
  lead: FormLead,
): Promise<{ id: string; created: boolean }> {
  const order = sql.join(
    INTENT_ORDER.map((intent, index) => sql`(${intent}::text, ${index}::int)`),
    sql`, `,
  );
  const needs = lead.message ? [lead.message.slice(0, 500)] : [];
  const result = await sql<{ id: string; created: boolean }>`
    with intent_order (intent, rank) as (values ${order}),
    existing as (
      select l.id from leads l
      where l.tenant_id = ${scope.tenantId} and l.status in ('new', 'contacted', 'qualified')
        and ((${lead.phone}::text is not null and l.phone_key = crm_normalize_phone(${lead.phone}))
          or (${lead.email}::text is not null and l.email_key = crm_normalize_email(${lead.email})))
      order by l.created_at desc
      limit 1
      for update
    ),
    updated as (
      update leads l set
        person_name = coalesce(l.person_name, ${lead.personName}),
        company_name = coalesce(l.company_name, ${lead.companyName}),
        phone = coalesce(l.phone, ${lead.phone}),
        email = coalesce(l.email, ${lead.email}),
        intent = case when coalesce((select rank from intent_order where intent = l.intent), 99)
                         <= (select rank from intent_order where intent = ${lead.intent}) then l.intent
                      else ${lead.intent} end,
        needs = (l.needs || ${needs}::text[])[greatest(1, cardinality(l.needs) + ${needs.length} - 49):],
        updated_at = now()
      from existing e where l.tenant_id = ${scope.tenantId} and l.id = e.id
      returning l.id
    ),
    inserted as (
      insert into leads (tenant_id, person_name, company_name, phone, email, source, campaign, intent, needs)
      select ${scope.tenantId}, ${lead.personName}, ${lead.companyName}, ${lead.phone}, ${lead.email}, 'web_form',
        ${lead.campaignName}, ${lead.intent}, ${needs}::text[]
      where not exists (select 1 from existing)
      returning id
    )
    select id, false as created from updated
    union all
    select id, true as created from inserted`.execute(scope.trx);
  return result.rows[0] as { id: string; created: boolean };
}

export async function selectCampaignName(scope: Scope, campaignId: string | null): Promise<string | null> {
  if (!campaignId) return null;
  const result = await sql<{ name: string }>`
    select name from campaigns where tenant_id = ${scope.tenantId} and id = ${campaignId}`.execute(scope.trx);
  return result.rows[0]?.name ?? null;
}
