import { randomUUID } from 'node:crypto';
import type { Database, ImportRun, Transaction } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import { COMPLETENESS_KEYS } from '../../customers/completeness.repository';
import { recordCandidatesFor } from '../../duplicates/pairs';
import type { TenantCipher } from '../../sensitive';
import { createdChanges, insertInBulk, returnedColumns } from '../bulk-write';
import { MATCH_KIND_LABELS, ROW_MESSAGES } from '../messages';
import { type Plan, pgArray, text, type Written } from '../plan';
import {
  addressOf,
  TARGET_COLUMNS,
  targetValues,
  validateCustomerTargets,
  writeCustomerTargets,
} from './customer-targets';

/** Importing customers (with a primary contact, tags, custom fields and sensitive values). */

const SECRET_FIELDS = ['national_id', 'bank_card'] as const;

export const CUSTOMER_PLAN: Plan = {
  columns: [
    { name: 'id', type: 'uuid not null' },
    { name: 'name', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'customer_number', type: 'text' },
    { name: 'credit_code', type: 'text' },
    { name: 'phone', type: 'text' },
    { name: 'email', type: 'text' },
    { name: 'industry', type: 'text' },
    { name: 'owner_user_id', type: 'uuid' },
    { name: 'birthday', type: 'date' },
    { name: 'birthday_calendar', type: 'text' },
    { name: 'founded_on', type: 'date' },
    { name: 'addresses', type: 'jsonb' },
    { name: 'need_type', type: 'text' },
    { name: 'explicit_needs', type: 'text' },
    { name: 'implicit_needs', type: 'text' },
    { name: 'pain_points', type: 'text' },
    { name: 'purchase_plan', type: 'text' },
    { name: 'purchase_plan_amount', type: 'numeric(16, 2)' },
    { name: 'purchase_plan_expected_on', type: 'date' },
    { name: 'tag_names', type: 'text[]' },
    { name: 'custom_fields', type: 'jsonb' },
    { name: 'contact_name', type: 'text' },
    { name: 'contact_title', type: 'text' },
    { name: 'contact_phone', type: 'text' },
    { name: 'contact_email', type: 'text' },
    { name: 'secrets', type: 'jsonb' },
    { name: 'matched_id', type: 'uuid' },
    // How the row matched: the deciding key of an update, or the shared key of a candidate.
    { name: 'match_kind', type: 'text' },
    // A new customer that resembles this existing one (queued as a duplicate candidate).
    { name: 'candidate_of', type: 'uuid' },
    ...TARGET_COLUMNS,
  ],
  outcomeCustomer: 'coalesce(s.matched_id, s.id)',
  updatesMatches: true,
  skipReason: 'EXISTING_SKIPPED',
  stage(row, context) {
    const id = randomUUID();
    const custom: Record<string, unknown> = {};
    for (const [key, value] of row) if (key.startsWith('custom:')) custom[key.slice(7)] = value;
    const tags = row.get('tags') as string[] | undefined;
    let secrets: string | null = null;
    if (context.cipher) {
      const sealed = SECRET_FIELDS.filter((field) => row.has(field)).map((field) => ({
        field,
        ...(context.cipher as TenantCipher).encrypt(field, id, String(row.get(field))),
      }));
      if (sealed.length > 0) secrets = JSON.stringify(sealed);
    }
    return {
      id,
      name: text(row.get('name')),
      kind: text(row.get('kind')),
      customer_number: text(row.get('customer_number')),
      credit_code: text(row.get('credit_code')),
      phone: text(row.get('phone')),
      email: text(row.get('email')),
      industry: text(row.get('industry')),
      owner_user_id: text(row.get('owner')),
      birthday: text(row.get('birthday')),
      birthday_calendar: text(row.get('birthday_calendar')),
      founded_on: text(row.get('founded_on')),
      addresses: addressOf(row),
      need_type: text(row.get('need_type')),
      explicit_needs: text(row.get('explicit_needs')),
      implicit_needs: text(row.get('implicit_needs')),
      pain_points: text(row.get('pain_points')),
      purchase_plan: text(row.get('purchase_plan')),
      purchase_plan_amount: text(row.get('purchase_plan_amount')),
      purchase_plan_expected_on: text(row.get('purchase_plan_expected_on')),
      tag_names: tags && tags.length > 0 ? pgArray(tags) : null,
      custom_fields: Object.keys(custom).length > 0 ? JSON.stringify(custom) : null,
      contact_name: text(row.get('contact.name')),
      contact_title: text(row.get('contact.title')),
      contact_phone: text(row.get('contact.phone')),
      contact_email: text(row.get('contact.email')),
      secrets,
      matched_id: null,
      match_kind: null,
      candidate_of: null,
      ...targetValues(row),
    };
  },
};

/**
 * The key that makes a row the same customer as another (the identity rule,
 * `crm_customer_identity`, twin of `identityVerdict` in packages/domain), most specific first.
 */
const SAME_BY = [
  'customer_number',
  'credit_code',
  'national_id',
  'name',
  'name_phone',
  'name_email',
] as const;

const kindLabels = () =>
  sql`(values ${sql.join(
    Object.entries(MATCH_KIND_LABELS).map(([kind, label]) => sql`(${kind}, ${label.zh}, ${label.en})`),
  )}) as l(kind, zh, en)`;

/**
 * Error rows written by SQL: seq from 1000 up, so they sort after the row's cell errors.
 *
 * Identity (docs/imports.md "Identity rules"): a row updates (or skips) an existing customer
 * only when the identity rule says they are the same customer — the customer number, credit
 * code or national ID, a company's normalised name, a person's name with the phone or email.
 * A row that shares only a phone or an email with a customer (or is a branch of it) is a new
 * customer and a duplicate candidate (`candidate_of`), queued for review after the write.
 */
export async function validateCustomers(trx: Transaction<Database>, tenantId: string): Promise<void> {
  // A company row's name parts (normalised key, branch or not), computed once: the checks
  // below and the new customers' match keys (writeCustomers) read them from here.
  await sql`
    create temp table import_names on commit drop as
    select s.row_number, s.id, p.key, p.branch,
      case when p.branch then crm_normalize_person_name(s.name) else p.key end as same_value
    from import_stage s cross join lateral crm_company_name_parts(s.name) p
    where coalesce(s.kind, 'company') = 'company'`.execute(trx);
  await sql`analyze import_names`.execute(trx);
  // Every match key of every staged row, normalised by the same SQL as stored customers'.
  await sql`
    create temp table import_keys on commit drop as
    select row_number, kind, value, priority from (
      select row_number, 'customer_number' as kind, customer_number as value, 1 as priority from import_stage
      union all select row_number, 'credit_code', credit_code, 2 from import_stage
      union all select row_number, 'phone', crm_normalize_phone(phone), 5 from import_stage
      union all select row_number, 'email', crm_normalize_email(email), 6 from import_stage
      union all select row_number, 'name', key, 4 from import_names
    ) k where value is not null and value <> ''`.execute(trx);
  // The same customer twice in the file: the later row is an error. Only the keys that decide
  // identity alone: number, credit code, a company's name (not a branch's; not between rows
  // with two different credit codes), a branch's full name, a person's name with a phone or
  // email. Rows sharing only a phone or an email are both kept (and queued as candidates).
  await sql`
    create temp table import_same_keys on commit drop as
    select row_number, kind, value, priority from (
      select row_number, kind, value, priority from import_keys where kind in ('customer_number', 'credit_code')
      union all
      select row_number, case when branch then 'branch' else 'name' end, same_value, 4 from import_names
      union all
      select s.row_number, 'name_phone', crm_normalize_person_name(s.name) || '|' || crm_normalize_phone(s.phone), 5
      from import_stage s where s.kind = 'person'
      union all
      select s.row_number, 'name_email', crm_normalize_person_name(s.name) || '|' || crm_normalize_email(s.email), 6
      from import_stage s where s.kind = 'person'
    ) k where value is not null and value <> ''`.execute(trx);
  await sql`
    delete from import_same_keys k where k.kind = 'name' and k.value in (
      select n.key from import_names n join import_stage s on s.row_number = n.row_number
      where s.credit_code is not null
      group by 1 having count(distinct s.credit_code) > 1)`.execute(trx);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select distinct on (row_number) row_number, 1000, '', value, 'DUPLICATE_IN_FILE',
      format(${ROW_MESSAGES.DUPLICATE_IN_FILE['zh-CN'].replace('{row}', '%s').replace('{kind}', '%s')}, first_row, kind_zh),
      format(${ROW_MESSAGES.DUPLICATE_IN_FILE.en.replace('{row}', '%s').replace('{kindEn}', '%s')}, first_row, kind_en)
    from (
      select k.row_number, k.value, k.priority, min(k.row_number) over (partition by k.kind, k.value) as first_row,
        l.zh as kind_zh, l.en as kind_en
      from import_same_keys k
      join ${kindLabels()} on l.kind = k.kind
    ) d
    where row_number <> first_row
    order by row_number, priority`.execute(trx);
  // Existing customers sharing a key with a row, what they share, and the rule's verdict.
  await sql`
    create temp table import_verdicts on commit drop as
    select p.row_number, p.customer_id, p.shared,
      crm_customer_identity(coalesce(s.kind, 'company'), s.name, s.credit_code, c.kind, c.name, c.credit_code,
        p.shared) as verdict
    from (
      select row_number, customer_id, array_agg(distinct kind) as shared from (
        select k.row_number, c.id as customer_id, k.kind
        from import_keys k
        join customers c on c.tenant_id = ${tenantId} and c.customer_number = k.value
        where k.kind = 'customer_number'
        union all
        select k.row_number, m.customer_id, k.kind
        from import_keys k
        join customer_match_keys m on m.tenant_id = ${tenantId} and m.kind = k.kind and m.value = k.value
        where k.kind <> 'customer_number'
        union all
        select s.row_number, x.customer_id, 'national_id'
        from import_stage s
        cross join jsonb_array_elements(s.secrets) e
        join customer_secrets x on x.tenant_id = ${tenantId} and x.field = 'national_id'
          and x.blind_index = e ->> 'blindIndex'
        where s.secrets is not null and e ->> 'field' = 'national_id'
      ) shared_keys
      group by row_number, customer_id
    ) p
    join import_stage s on s.row_number = p.row_number
    join customers c on c.tenant_id = ${tenantId} and c.id = p.customer_id
    where c.merged_into is null`.execute(trx);
  // The same customer: the most specific deciding key wins; two customers by it is an error.
  await sql`
    create temp table import_matches on commit drop as
    select distinct on (row_number) row_number, kind, ids from (
      select v.row_number, v.verdict as kind, array_position(${sql.val([...SAME_BY])}::text[], v.verdict) as priority,
        array_agg(distinct v.customer_id) as ids
      from import_verdicts v
      where v.verdict <> 'candidate'
      group by v.row_number, v.verdict
    ) m
    order by row_number, priority`.execute(trx);
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select m.row_number, 1001, '', null, 'AMBIGUOUS_MATCH',
      replace(${ROW_MESSAGES.AMBIGUOUS_MATCH['zh-CN']}, '{kind}', l.zh), replace(${ROW_MESSAGES.AMBIGUOUS_MATCH.en}, '{kindEn}', l.en)
    from import_matches m
    join ${kindLabels()} on l.kind = m.kind
    where cardinality(m.ids) > 1`.execute(trx);
  await sql`
    update import_stage s set matched_id = m.ids[1], match_kind = m.kind,
      match_value = (select k.value from import_keys k where k.row_number = s.row_number and k.kind = m.kind limit 1)
    from import_matches m where m.row_number = s.row_number and cardinality(m.ids) = 1`.execute(trx);
  // Not the same, but alike (a shared phone or email, a branch): a new customer and a
  // candidate of the existing one (the most alike first: more shared keys).
  await sql`
    update import_stage s set candidate_of = v.customer_id, match_kind = v.kind,
      match_value = (select k.value from import_keys k where k.row_number = s.row_number and k.kind = v.kind limit 1)
    from (
      select distinct on (row_number) row_number, customer_id,
        case when 'name' = any(shared) then 'branch' when 'phone' = any(shared) then 'phone' else shared[1] end as kind
      from import_verdicts where verdict = 'candidate'
      order by row_number, cardinality(shared) desc, customer_id
    ) v
    where v.row_number = s.row_number and s.matched_id is null
      and not exists (select 1 from import_matches m where m.row_number = s.row_number)`.execute(trx);
  await validateCustomerTargets(trx);
  // 身份证号 / 银行卡号 belong to individuals: a company's row carrying them is refused, as
  // customers.create refuses it (COMPANY_PERSONAL_FIELDS).
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    select s.row_number, 1002, '', null, 'COMPANY_PERSONAL_FIELDS',
      ${ROW_MESSAGES.COMPANY_PERSONAL_FIELDS['zh-CN']}, ${ROW_MESSAGES.COMPANY_PERSONAL_FIELDS.en}
    from import_stage s
    left join customers c on c.tenant_id = ${tenantId} and c.id = s.matched_id
    where s.secrets is not null and coalesce(s.kind, c.kind, 'company') = 'company'`.execute(trx);
}

/**
 * What `customer_completeness` reads of a new customer, from its staged row `s`: the key fields
 * a tenant may weigh (COMPLETENESS_KEYS; 'contacts' is the contact count, 'anniversary' the
 * founding date or birthday) with the values the insert writes, and the kind — not the
 * whole staged row (`to_jsonb` of its fifty columns cost as much as the function itself).
 */
function completenessDocument(userId: string): RawBuilder<unknown> {
  const written: Record<string, RawBuilder<unknown>> = {
    kind: sql`coalesce(s.kind, 'company')`,
    addresses: sql`coalesce(s.addresses, '[]')`,
    custom_fields: sql`coalesce(s.custom_fields, '{}')`,
    owner_user_id: sql`coalesce(s.owner_user_id, ${userId}::uuid)`,
    founded_on: sql`s.founded_on`,
    birthday: sql`s.birthday`,
  };
  const keys = [
    ...new Set([
      ...Object.keys(written),
      ...COMPLETENESS_KEYS.filter((key) => key !== 'contacts' && key !== 'anniversary'),
    ]),
  ];
  return sql`jsonb_build_object(${sql.join(keys.map((key) => sql`${sql.lit(key)}, ${written[key] ?? sql.ref(`s.${key}`)}`))})`;
}

export async function writeCustomers(
  trx: Transaction<Database>,
  tenantId: string,
  run: ImportRun,
  cipher: TenantCipher | null,
): Promise<Written> {
  const userId = run.created_by;
  const update = run.on_match === 'update';
  // Tags named in the file that the tenant does not have yet.
  await sql`
    insert into tags (tenant_id, name, created_by)
    select distinct on (lower(t)) ${tenantId}::uuid, t, ${userId}::uuid
    from import_stage s cross join unnest(s.tag_names) as t
    where s.tag_names is not null and (s.matched_id is null or ${update})
    order by lower(t)
    on conflict do nothing`.execute(trx);
  const tagIds = sql`coalesce((select array_agg(distinct g.id) from tags g
      where g.tenant_id = ${tenantId} and lower(g.name) in (select lower(x) from unnest(s.tag_names) x)), '{}')`;
  // The new customers, their audit rows and their match keys in one statement (bulk-write.ts).
  const created = await insertInBulk(trx, run.id, () =>
    sql<{ created: string }>`
    with inserted as (
      insert into customers (tenant_id, id, name, kind, customer_number, credit_code, phone, email, industry,
        owner_user_id, created_by, birthday, birthday_calendar, founded_on, addresses, need_type, explicit_needs, implicit_needs,
        pain_points, purchase_plan, purchase_plan_amount, purchase_plan_expected_on, tag_ids, custom_fields,
        first_cooperation_on, anniversary_on, completeness)
      select ${tenantId}, s.id, s.name, coalesce(s.kind, 'company'), s.customer_number, s.credit_code, s.phone, s.email,
        s.industry, coalesce(s.owner_user_id, ${userId}::uuid), ${userId}::uuid, s.birthday, coalesce(s.birthday_calendar, 'solar'), s.founded_on,
        coalesce(s.addresses, '[]'), s.need_type, s.explicit_needs, s.implicit_needs, s.pain_points, s.purchase_plan,
        s.purchase_plan_amount, s.purchase_plan_expected_on,
        case when s.tag_names is null then '{}' else ${tagIds} end,
        coalesce(s.custom_fields, '{}'), s.first_cooperation_on, s.anniversary_on,
        -- Completeness from the staged row itself, so the new rows are written once, not
        -- inserted and then updated.
        (customer_completeness(${completenessDocument(userId)}, t.completeness_weights,
          case when s.contact_name is null then 0 else 1 end)).score
      from import_stage s
      cross join tenants t
      where s.matched_id is null and t.id = ${tenantId}
      returning ${returnedColumns('customer')}
    ),
    audited as (
      insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
      select n.tenant_id, app_user_id(), 'customer', n.id, n.id, 'create', ${createdChanges('n', 'customer')}
      from inserted n
    ),
    keyed as (
      insert into customer_match_keys (tenant_id, customer_id, kind, value, branch)
      select n.tenant_id, n.id, k.kind, k.value, k.branch
      from inserted n
      -- The name parts the checks computed (validateCustomers: the same function of the same name).
      left join import_names p on p.id = n.id
      cross join lateral (
        select 'name'::text as kind, p.key as value, p.branch where n.kind = 'company'
        union all select 'phone', crm_normalize_phone(n.phone), false
        union all select 'email', crm_normalize_email(n.email), false
        union all select 'credit_code', n.credit_code, false
      ) k
      where k.value is not null and n.merged_into is null
      on conflict do nothing
    )
    select count(*) as created from inserted`.execute(trx),
  );
  let updated = 0;
  if (update) {
    const result = await sql`
      update customers c set
        name = coalesce(s.name, c.name), kind = coalesce(s.kind, c.kind),
        customer_number = coalesce(s.customer_number, c.customer_number),
        credit_code = coalesce(s.credit_code, c.credit_code),
        phone = coalesce(s.phone, c.phone), email = coalesce(s.email, c.email),
        industry = coalesce(s.industry, c.industry), owner_user_id = coalesce(s.owner_user_id, c.owner_user_id),
        birthday = coalesce(s.birthday, c.birthday),
        birthday_calendar = coalesce(s.birthday_calendar, c.birthday_calendar), founded_on = coalesce(s.founded_on, c.founded_on),
        addresses = case when s.addresses is null then c.addresses else c.addresses || s.addresses end,
        need_type = coalesce(s.need_type, c.need_type),
        explicit_needs = coalesce(s.explicit_needs, c.explicit_needs),
        implicit_needs = coalesce(s.implicit_needs, c.implicit_needs),
        pain_points = coalesce(s.pain_points, c.pain_points),
        purchase_plan = coalesce(s.purchase_plan, c.purchase_plan),
        purchase_plan_amount = coalesce(s.purchase_plan_amount, c.purchase_plan_amount),
        purchase_plan_expected_on = coalesce(s.purchase_plan_expected_on, c.purchase_plan_expected_on),
        tag_ids = case when s.tag_names is null then c.tag_ids
          else array(select distinct x from unnest(c.tag_ids || ${tagIds}) x) end,
        custom_fields = c.custom_fields || coalesce(s.custom_fields, '{}'),
        first_cooperation_on = coalesce(s.first_cooperation_on, c.first_cooperation_on),
        anniversary_on = coalesce(s.anniversary_on, c.anniversary_on),
        updated_at = now()
      from import_stage s
      where c.tenant_id = ${tenantId} and c.id = s.matched_id`.execute(trx);
    updated = Number(result.numAffectedRows ?? 0);
  }
  // The primary contact: new customers' always; a matched customer's when it has none of that
  // name. Two statements: the first, for all the new rows, has no subquery to plan around.
  await insertInBulk(trx, run.id, () =>
    sql`
    with inserted as (
      insert into contacts (tenant_id, customer_id, name, title, phones, emails, birthday, anniversary_on, is_primary)
      select ${tenantId}, s.id, s.contact_name, s.contact_title,
        case when s.contact_phone is null then '{}' else array[s.contact_phone] end,
        case when s.contact_email is null then '{}' else array[s.contact_email] end,
        s.contact_birthday, s.contact_anniversary, true
      from import_stage s
      where s.contact_name is not null and s.matched_id is null
      returning ${returnedColumns('contact')}
    ),
    audited as (
      insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
      select n.tenant_id, app_user_id(), 'contact', n.id, n.customer_id, 'create', ${createdChanges('n', 'contact')}
      from inserted n
    )
    insert into customer_match_keys (tenant_id, customer_id, kind, value, branch)
    select n.tenant_id, n.customer_id, x.kind, x.value, false
    from inserted n
    cross join lateral (
      select 'phone'::text as kind, crm_normalize_phone(p) as value from unnest(n.phones) p
      union all select 'email', crm_normalize_email(e) from unnest(n.emails) e
    ) x
    where x.value is not null
    on conflict do nothing`.execute(trx),
  );
  if (update) {
    await sql`
      insert into contacts (tenant_id, customer_id, name, title, phones, emails, birthday, anniversary_on, is_primary)
      select ${tenantId}, s.matched_id, s.contact_name, s.contact_title,
        case when s.contact_phone is null then '{}' else array[s.contact_phone] end,
        case when s.contact_email is null then '{}' else array[s.contact_email] end,
        s.contact_birthday, s.contact_anniversary, false
      from import_stage s
      where s.contact_name is not null and s.matched_id is not null
        and not exists (select 1 from contacts k
          where k.tenant_id = ${tenantId} and k.customer_id = s.matched_id and k.name = s.contact_name)`.execute(
      trx,
    );
  }
  await recordImportCandidates(trx, tenantId);
  if (cipher) {
    await sql`
      insert into customer_secrets (tenant_id, customer_id, field, ciphertext, key_version, blind_index, hint)
      select ${tenantId}, s.id, e ->> 'field', e ->> 'ciphertext', (e ->> 'keyVersion')::int, e ->> 'blindIndex', e ->> 'hint'
      from import_stage s cross join jsonb_array_elements(s.secrets) e
      where s.secrets is not null and s.matched_id is null`.execute(trx);
    if (update) await resealMatchedSecrets(trx, tenantId, cipher);
  }
  await writeCustomerTargets(trx, tenantId, run);
  // Completeness of the customers the import updated (facts need no refresh: no orders changed).
  if (update)
    await sql`
    update customers c set completeness = x.score
    from (
      select k.id, cc.score
      from import_stage s
      join customers k on k.tenant_id = ${tenantId} and k.id = coalesce(s.matched_id, s.id)
      join tenants t on t.id = k.tenant_id
      cross join lateral customer_completeness(to_jsonb(k), t.completeness_weights,
        (select count(*)::int from contacts n where n.tenant_id = k.tenant_id and n.customer_id = k.id)) cc
      where s.matched_id is not null
    ) x
    where c.tenant_id = ${tenantId} and c.id = x.id and c.completeness <> x.score`.execute(trx);
  const matched = await sql<{
    n: string;
  }>`select count(*) as n from import_stage where matched_id is not null`.execute(trx);
  const matchedCount = Number(matched.rows[0]?.n ?? 0);
  return {
    created: Number(created.rows[0]?.created ?? 0),
    updated,
    skipped: update ? matchedCount - updated : matchedCount,
  };
}

/**
 * New customers that resemble an existing customer (`candidate_of`) or another row of the
 * file (a shared phone, email or company name that did not make them the same customer) are
 * queued as duplicate candidates (source 'import'), in the run's transaction.
 */
async function recordImportCandidates(trx: Transaction<Database>, tenantId: string) {
  const { rows } = await sql<{ id: string }>`
    select s.id from import_stage s
    where s.matched_id is null and (s.candidate_of is not null or s.row_number in (
      select k.row_number from import_keys k
      where (k.kind, k.value) in (
        select kind, value from import_keys where kind in ('phone', 'email', 'name')
        group by kind, value having count(*) > 1)))`.execute(trx);
  if (rows.length > 0)
    await recordCandidatesFor(
      trx,
      tenantId,
      rows.map((row) => row.id),
      'import',
    );
}

/**
 * Rows that update an existing customer carry ciphertext bound to the id the row was staged
 * with: those, and only those, are decrypted and sealed again under the customer's id.
 */
async function resealMatchedSecrets(trx: Transaction<Database>, tenantId: string, cipher: TenantCipher) {
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ row_number: number; id: string; matched_id: string; secrets: unknown }>`
      select row_number, id, matched_id, secrets from import_stage
      where matched_id is not null and secrets is not null and row_number > ${after}
      order by row_number limit 5000`.execute(trx);
    if (rows.length === 0) return;
    after = (rows.at(-1) as { row_number: number }).row_number;
    const values = rows.flatMap((row) => {
      const sealed = (typeof row.secrets === 'string' ? JSON.parse(row.secrets) : row.secrets) as {
        field: string;
        ciphertext: string;
      }[];
      return sealed.map((item) => {
        const plain = cipher.decrypt(item.field, row.id, item.ciphertext);
        const again = cipher.encrypt(item.field, row.matched_id, plain);
        return sql`(${row.matched_id}::uuid, ${item.field}, ${again.ciphertext}, ${again.keyVersion}::int, ${again.blindIndex}, ${again.hint})`;
      });
    });
    await sql`
      insert into customer_secrets (tenant_id, customer_id, field, ciphertext, key_version, blind_index, hint)
      select ${tenantId}, v.customer_id, v.field, v.ciphertext, v.key_version, v.blind_index, v.hint
      from (values ${sql.join(values)}) as v(customer_id, field, ciphertext, key_version, blind_index, hint)
      on conflict (tenant_id, customer_id, field) do update set ciphertext = excluded.ciphertext,
        key_version = excluded.key_version, blind_index = excluded.blind_index, hint = excluded.hint,
        updated_at = now()`.execute(trx);
  }
}
