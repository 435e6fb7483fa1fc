import { randomUUID } from 'node:crypto';
import type { Database, ImportRun, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { MATCH_KIND_LABELS, ROW_MESSAGES } from '../messages';
import { type Plan, pgArray, text, type Written } from '../plan';

/**
 * Importing leads (线索). Each row is a new lead unless it is one already: the same phone or
 * email as a lead of the tenant (not disqualified) skips it, naming that lead; a customer the
 * identity rule calls the same (wave 1's keys: phone, email, a company's normalised name —
 * `crm_customer_identity`, as the customers import judges) skips it, naming the customer; a
 * customer it only resembles makes it a new lead and a candidate (疑似重复) of that customer.
 * Two rows of the file with the same phone or email: the later is an error. A row that is an
 * existing lead updates it when the run says so (`on_match = 'update'`; its contact, intent,
 * needs, budget and timing, never its owner, status or grade), else it is skipped; a row that
 * is an existing customer is always skipped. After the write, the new leads without an owner go through the assignment
 * rules and all are graded, each with its follow-up task (commit.ts).
 */

/** Needs in one cell: one per line, or separated by ；; 、 (at most 50, each up to 500 characters). */
function needsOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const needs = value
    .split(/[\n\r；;、]+/)
    .map((need) => need.trim())
    .filter((need) => need !== '')
    .slice(0, 50)
    .map((need) => need.slice(0, 500));
  return needs.length > 0 ? pgArray(needs) : null;
}

export const LEAD_PLAN: Plan = {
  columns: [
    { name: 'id', type: 'uuid not null' },
    { name: 'person_name', type: 'text' },
    { name: 'company_name', type: 'text' },
    { name: 'job_title', type: 'text' },
    { name: 'phone', type: 'text' },
    { name: 'email', type: 'text' },
    { name: 'wechat', type: 'text' },
    { name: 'region', type: 'text' },
    { name: 'industry', type: 'text' },
    { name: 'company_size', type: 'integer' },
    { name: 'source', type: 'text' },
    { name: 'campaign', type: 'text' },
    { name: 'intent', type: 'text' },
    { name: 'needs', type: 'text[]' },
    { name: 'budget', type: 'numeric(16, 2)' },
    { name: 'expected_close_on', type: 'date' },
    { name: 'decision_maker_reached', type: 'boolean' },
    { name: 'notes', type: 'text' },
    { name: 'owner_user_id', type: 'uuid' },
    { name: 'matched_id', type: 'uuid' },
    // lead_phone / lead_email: an existing lead; phone, email, name, branch …: a customer.
    { name: 'match_kind', type: 'text' },
    // The lead matched is converted (a customer now): never updated by an import.
    { name: 'matched_converted', type: 'boolean' },
    { name: 'candidate_of', type: 'uuid' },
  ],
  // The customer a row is, or resembles (a lead's match names no customer).
  outcomeCustomer: `case when s.match_kind like 'lead\\_%' then null else coalesce(s.matched_id, s.candidate_of) end`,
  updatesMatches: true,
  // Only the open leads it matched; a converted lead (a customer now) or a customer it matched
  // is never updated by a lead import.
  updatableSql: `s.match_kind like 'lead\\_%' and not s.matched_converted`,
  skipReason: 'LEAD_EXISTS_SKIPPED',
  skipReasonSql: `case when s.match_kind like 'lead\\_%' and s.matched_converted then 'LEAD_CONVERTED_SKIPPED'
    when s.match_kind like 'lead\\_%' then 'LEAD_EXISTS_SKIPPED' else 'CUSTOMER_EXISTS_SKIPPED' end`,
  stage(row) {
    const reached = row.get('decision_maker_reached');
    return {
      id: randomUUID(),
      person_name: text(row.get('person_name')),
      company_name: text(row.get('company_name')),
      job_title: text(row.get('job_title')),
      phone: text(row.get('phone')),
      email: text(row.get('email')),
      wechat: text(row.get('wechat')),
      region: text(row.get('region')),
      industry: text(row.get('industry')),
      company_size: text(row.get('company_size')),
      source: text(row.get('source')),
      campaign: text(row.get('campaign')),
      intent: text(row.get('intent')),
      needs: needsOf(row.get('needs')),
      budget: text(row.get('budget')),
      expected_close_on: text(row.get('expected_close_on')),
      decision_maker_reached: reached === undefined || reached === null ? null : String(reached),
      notes: text(row.get('notes')),
      owner_user_id: text(row.get('owner')),
      matched_id: null,
      match_kind: null,
      matched_converted: null,
      candidate_of: null,
    };
  },
};

const kindLabels = () =>
  sql`(values ${sql.join(
    Object.entries(MATCH_KIND_LABELS).map(([kind, label]) => sql`(${kind}, ${label.zh}, ${label.en})`),
  )}) as l(kind, zh, en)`;

/** Error rows written by SQL: seq from 1000 up, so they sort after the row's cell errors. */
export async function validateLeads(trx: Transaction<Database>, tenantId: string): Promise<void> {
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select row_number, 1000, '', null, 'LEAD_NAME_REQUIRED',
      ${ROW_MESSAGES.LEAD_NAME_REQUIRED['zh-CN']}, ${ROW_MESSAGES.LEAD_NAME_REQUIRED.en}
    from import_stage where person_name is null and company_name is null`.execute(trx);
  // The leads' dedup keys of every row (the same normalisation as stored leads and customers).
  await sql`
    create temp table import_lead_keys on commit drop as
    select row_number, kind, value from (
      select row_number, 'phone' as kind, crm_normalize_phone(phone) as value from import_stage
      union all select row_number, 'email', crm_normalize_email(email) from import_stage
    ) k where value is not null and value <> ''`.execute(trx);
  // The same lead twice in the file: the later row is an error.
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select distinct on (row_number) row_number, 1001, '', value, 'DUPLICATE_LEAD_IN_FILE',
      replace(replace(${ROW_MESSAGES.DUPLICATE_LEAD_IN_FILE['zh-CN']}, '{row}', first_row::text), '{kind}', kind_zh),
      replace(replace(${ROW_MESSAGES.DUPLICATE_LEAD_IN_FILE.en}, '{row}', first_row::text), '{kindEn}', kind_en)
    from (
      select k.row_number, k.value, k.kind, min(k.row_number) over (partition by k.kind, k.value) as first_row,
        l.zh as kind_zh, l.en as kind_en
      from import_lead_keys k join ${kindLabels()} on l.kind = k.kind
    ) d
    where row_number <> first_row
    order by row_number, kind desc`.execute(trx);
  // An existing lead (open, converted) with the same phone or email: the row is that lead.
  await sql`
    update import_stage s set matched_id = m.lead_id, match_kind = 'lead_' || m.kind, match_value = m.value,
      matched_converted = m.converted
    from (
      select distinct on (k.row_number) k.row_number, l.id as lead_id, k.kind, k.value, l.status = 'converted' as converted
      from import_lead_keys k
      join leads l on l.tenant_id = ${tenantId} and l.status <> 'disqualified'
        and ((k.kind = 'phone' and l.phone_key = k.value) or (k.kind = 'email' and l.email_key = k.value))
      -- an open lead before a converted one with the same key
      order by k.row_number, k.kind desc, l.status = 'converted', l.created_at desc, l.id
    ) m
    where m.row_number = s.row_number`.execute(trx);
  // Customers sharing wave 1's keys with a row (phone, email, a company's normalised name),
  // judged by the identity rule: the same customer skips the row, a resemblance flags it.
  await sql`
    create temp table import_lead_verdicts on commit drop as
    select p.row_number, p.customer_id, p.shared,
      crm_customer_identity(case when s.company_name is not null then 'company' else 'person' end,
        coalesce(s.company_name, s.person_name), null::text, c.kind, c.name, c.credit_code, p.shared) as verdict
    from (
      select row_number, customer_id, array_agg(distinct kind) as shared from (
        select k.row_number, m.customer_id, k.kind
        from import_lead_keys k
        join customer_match_keys m on m.tenant_id = ${tenantId} and m.kind = k.kind and m.value = k.value
        union all
        select s.row_number, m.customer_id, 'name'
        from import_stage s
        join customer_match_keys m on m.tenant_id = ${tenantId} and m.kind = 'name'
          and m.value = crm_normalize_company_name(s.company_name)
        where s.company_name is not null
      ) shared_keys
      group by row_number, customer_id
    ) p
    join import_stage s on s.row_number = p.row_number
    join customers c on c.tenant_id = ${tenantId} and c.id = p.customer_id
    where c.merged_into is null and s.matched_id is null`.execute(trx);
  await sql`
    update import_stage s set matched_id = v.customer_id, match_kind = v.verdict,
      match_value = coalesce(s.phone, s.email, s.company_name, s.person_name)
    from (
      select distinct on (row_number) row_number, customer_id, verdict from import_lead_verdicts
      where verdict <> 'candidate'
      order by row_number, cardinality(shared) desc, customer_id
    ) v
    where v.row_number = s.row_number and s.matched_id is null`.execute(trx);
  await sql`
    update import_stage s set candidate_of = v.customer_id, match_kind = v.kind,
      match_value = (select k.value from import_lead_keys k where k.row_number = s.row_number and k.kind = v.kind limit 1)
    from (
      select distinct on (row_number) row_number, customer_id,
        case when 'phone' = any(shared) then 'phone' when 'email' = any(shared) then 'email' else 'branch' end as kind
      from import_lead_verdicts where verdict = 'candidate'
      order by row_number, cardinality(shared) desc, customer_id
    ) v
    where v.row_number = s.row_number and s.matched_id is null`.execute(trx);
}

/**
 * Writes the new leads (one statement, with the tenant's row-level security) and each one's
 * creation in its history (way `import`); rows that are an existing lead update it or are
 * skipped, as the run says; rows that are an existing customer are skipped. The owner's team comes with the owner.
 */
export async function writeLeads(
  trx: Transaction<Database>,
  tenantId: string,
  run: ImportRun,
): Promise<Written> {
  const created = await sql`
    insert into leads (tenant_id, id, person_name, company_name, job_title, phone, email, wechat, region, industry,
      company_size, source, campaign, intent, needs, budget, expected_close_on, decision_maker_reached, notes,
      owner_user_id, team_id, assigned_at, import_run_id, created_by)
    select ${tenantId}, s.id, s.person_name, s.company_name, s.job_title, s.phone, s.email, s.wechat, s.region,
      s.industry, s.company_size, coalesce(s.source, 'import'), s.campaign, s.intent, coalesce(s.needs, '{}'), s.budget,
      s.expected_close_on, coalesce(s.decision_maker_reached, false), s.notes, s.owner_user_id, m.team_id,
      case when s.owner_user_id is not null then now() end, ${run.id}::uuid, ${run.created_by}::uuid
    from import_stage s
    left join memberships m on m.tenant_id = ${tenantId} and m.user_id = s.owner_user_id
    where s.matched_id is null
    order by s.row_number`.execute(trx);
  await sql`
    insert into lead_history (tenant_id, lead_id, kind, to_status, to_owner_id, reason, changed_by)
    select ${tenantId}, s.id, 'created', 'new', s.owner_user_id, 'import', ${run.created_by}::uuid
    from import_stage s where s.matched_id is null`.execute(trx);
  // The existing open leads the rows matched, when the run says update them (one statement):
  // a cell with a value replaces the lead's, an empty cell leaves it; needs are added to the
  // lead's. The owner and status stay as they are (no lead_history rows to write); the grade
  // follows after the write (commit.ts). A converted lead is never updated.
  let updated = 0;
  if (run.on_match === 'update') {
    const result = await sql`
      update leads l set
        job_title = coalesce(s.job_title, l.job_title), wechat = coalesce(s.wechat, l.wechat),
        intent = coalesce(s.intent, l.intent),
        needs = case when s.needs is null then l.needs
          else l.needs || array(select x from unnest(s.needs) x where x <> all(l.needs)) end,
        budget = coalesce(s.budget, l.budget), expected_close_on = coalesce(s.expected_close_on, l.expected_close_on),
        decision_maker_reached = coalesce(s.decision_maker_reached, l.decision_maker_reached),
        notes = coalesce(s.notes, l.notes),
        updated_at = now()
      from import_stage s
      where l.tenant_id = ${tenantId} and l.id = s.matched_id and s.match_kind like 'lead\_%'
        and not s.matched_converted and l.status <> 'converted'`.execute(trx);
    updated = Number(result.numAffectedRows ?? 0);
  }
  const matched = await sql<{
    n: string;
  }>`select count(*) as n from import_stage where matched_id is not null`.execute(trx);
  return {
    created: Number(created.numAffectedRows ?? 0),
    updated,
    skipped: Number(matched.rows[0]?.n ?? 0) - updated,
  };
}

/** The existing leads this import updated (for their re-grade). */
export async function selectUpdatedByImport(trx: Transaction<Database>): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select distinct matched_id as id from import_stage
    where match_kind like 'lead\_%' and not matched_converted`.execute(trx);
  return rows.map((row) => row.id);
}

/** The new leads of this import without an owner (for the assignment rules). */
export async function selectUnownedImported(trx: Transaction<Database>): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from import_stage where matched_id is null and owner_user_id is null order by row_number`.execute(
    trx,
  );
  return rows.map((row) => row.id);
}
