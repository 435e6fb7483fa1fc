import type { Database, ImportRun, Transaction } from '@crm/db';
import { type RawBuilder, sql } from 'kysely';
import { refreshCustomerFacts } from '../../customers/facts.repository';
import { jobScope } from '../../scope';
import { splitAddress } from '../address';
import { text } from '../plan';

/**
 * The targets a spreadsheet from another CRM or Excel brings besides the profile (docs/imports.md,
 * "Targets"): the address in parts, the first cooperation date and anniversaries, a note for
 * the timeline (备注) and the historical figures as an opening balance (期初数据).
 */

export const TARGET_COLUMNS = [
  { name: 'first_cooperation_on', type: 'date' },
  { name: 'anniversary_on', type: 'date' },
  { name: 'note', type: 'text' },
  { name: 'contact_birthday', type: 'date' },
  { name: 'contact_anniversary', type: 'date' },
  { name: 'opening_amount_12m', type: 'numeric(16, 2)' },
  { name: 'opening_amount_lifetime', type: 'numeric(16, 2)' },
  { name: 'opening_order_count', type: 'integer' },
  { name: 'opening_last_deal_on', type: 'date' },
  { name: 'opening_as_of', type: 'date' },
];

export function targetValues(row: Map<string, unknown>) {
  return {
    first_cooperation_on: text(row.get('first_cooperation_on')),
    anniversary_on: text(row.get('anniversary_on')),
    note: text(row.get('note')),
    contact_birthday: text(row.get('contact.birthday')),
    contact_anniversary: text(row.get('contact.anniversary')),
    opening_amount_12m: text(row.get('opening.amount_12m')),
    opening_amount_lifetime: text(row.get('opening.amount_lifetime')),
    opening_order_count: text(row.get('opening.order_count')),
    opening_last_deal_on: text(row.get('opening.last_deal_on')),
    opening_as_of: text(row.get('opening.as_of')),
  };
}

/**
 * The row's address as the customer's `addresses` JSON: the parts from their own columns, or
 * split from one 地址 cell when the row has no part columns filled.
 */
export function addressOf(row: Map<string, unknown>): string | null {
  const street = text(row.get('address'));
  const province = text(row.get('address.province'));
  const city = text(row.get('address.city'));
  const district = text(row.get('address.district'));
  if (province === null && city === null && district === null) {
    return street === null ? null : JSON.stringify([splitAddress(street)]);
  }
  const parts: Record<string, string> = {};
  if (province !== null) parts.province = province;
  if (city !== null) parts.city = city;
  if (district !== null) parts.district = district;
  if (street !== null) parts.street = street;
  return JSON.stringify([parts]);
}

/** Row errors of the targets that need more than one cell, with their messages in both languages. */
export const TARGET_MESSAGES = {
  OPENING_12M_ABOVE_LIFETIME: {
    zh: '近12个月交易额不能大于累计交易额',
    en: 'Revenue of the last 12 months cannot be more than the lifetime revenue',
  },
  OPENING_COUNT_ZERO: {
    zh: '订单数为 0，但交易额大于 0',
    en: 'Order count is 0 but the revenue is more than 0',
  },
  OPENING_AS_OF_FUTURE: {
    zh: '期初数据截止日期不能晚于今天',
    en: 'The date the figures are as of cannot be later than today',
  },
  OPENING_LAST_DEAL_AFTER_AS_OF: {
    zh: '最近交易日期不能晚于期初数据截止日期（未填时为导入当天）',
    en: 'The last deal date cannot be later than the date the figures are as of (the import day when not given)',
  },
  OPENING_LAST_DEAL_TOO_OLD: {
    zh: '近12个月交易额大于 0，但最近交易日期在 12 个月之前',
    en: 'Revenue of the last 12 months is more than 0 but the last deal date is more than 12 months earlier',
  },
  FIRST_COOPERATION_FUTURE: {
    zh: '首次合作时间不能晚于今天',
    en: 'The first cooperation date cannot be later than today',
  },
} as const;

/** Today in Beijing, the day figures without their own as-of date are taken to be as of. */
const TODAY = sql`(now() at time zone 'Asia/Shanghai')::date`;

/** Whether a staged row carries any opening figure. */
const HAS_OPENING = sql`(s.opening_amount_12m is not null or s.opening_amount_lifetime is not null
  or s.opening_order_count is not null or s.opening_last_deal_on is not null)`;

/** Checks across a row's cells, set-based, as row errors (seq 1100 up, after the cell errors). */
export async function validateCustomerTargets(trx: Transaction<Database>): Promise<void> {
  const checks: [keyof typeof TARGET_MESSAGES, RawBuilder<unknown>][] = [
    ['OPENING_12M_ABOVE_LIFETIME', sql`s.opening_amount_12m > s.opening_amount_lifetime`],
    [
      'OPENING_COUNT_ZERO',
      sql`s.opening_order_count = 0 and (coalesce(s.opening_amount_12m, 0) > 0 or coalesce(s.opening_amount_lifetime, 0) > 0)`,
    ],
    ['OPENING_AS_OF_FUTURE', sql`s.opening_as_of > ${TODAY}`],
    ['OPENING_LAST_DEAL_AFTER_AS_OF', sql`s.opening_last_deal_on > coalesce(s.opening_as_of, ${TODAY})`],
    [
      'OPENING_LAST_DEAL_TOO_OLD',
      sql`s.opening_amount_12m > 0 and s.opening_last_deal_on <= coalesce(s.opening_as_of, ${TODAY}) - interval '12 months'`,
    ],
    ['FIRST_COOPERATION_FUTURE', sql`s.first_cooperation_on > ${TODAY}`],
  ];
  await sql`
    insert into import_stage_errors (row_number, seq, column_name, value, reason, message_zh, message_en)
    ${sql.join(
      checks.map(
        ([code, condition], index) => sql`
          select s.row_number, ${sql.lit(1100 + index)}, '', null::text, ${code}, ${TARGET_MESSAGES[code].zh}, ${TARGET_MESSAGES[code].en}
          from import_stage s where ${condition}`,
      ),
      sql` union all `,
    )}`.execute(trx);
}

/**
 * Writes the notes and opening balances of the rows the commit wrote (new customers, and
 * matched ones when updating), then re-derives those customers' facts, stages and system tags.
 */
export async function writeCustomerTargets(
  trx: Transaction<Database>,
  tenantId: string,
  run: ImportRun,
): Promise<void> {
  const update = run.on_match === 'update';
  const written = sql`(s.matched_id is null or ${update})`;
  // A note whose text the customer already has is not added twice (a re-import of an edited file).
  await sql`
    insert into customer_notes (tenant_id, customer_id, body, created_by, import_run_id)
    select ${tenantId}, coalesce(s.matched_id, s.id), s.note, ${run.created_by}::uuid, ${run.id}::uuid
    from import_stage s
    where s.note is not null and ${written}
      and not exists (select 1 from customer_notes n
        where n.tenant_id = ${tenantId} and n.customer_id = coalesce(s.matched_id, s.id) and n.body = s.note)`.execute(
    trx,
  );
  // Figures without a count are one order's worth (the customer has bought); a later import
  // of the same customer replaces the balance (a newer export of the old system).
  const balances = await sql`
    insert into customer_opening_balances (tenant_id, customer_id, as_of, amount_12m, amount_lifetime, order_count,
      last_deal_on, import_run_id, created_by)
    select ${tenantId}, coalesce(s.matched_id, s.id), coalesce(s.opening_as_of, ${TODAY}),
      coalesce(s.opening_amount_12m, 0),
      greatest(coalesce(s.opening_amount_lifetime, 0), coalesce(s.opening_amount_12m, 0)),
      coalesce(s.opening_order_count,
        case when coalesce(s.opening_amount_12m, 0) > 0 or coalesce(s.opening_amount_lifetime, 0) > 0
          or s.opening_last_deal_on is not null then 1 else 0 end),
      s.opening_last_deal_on, ${run.id}::uuid, ${run.created_by}::uuid
    from import_stage s
    where ${HAS_OPENING} and ${written}
    on conflict (tenant_id, customer_id) do update set as_of = excluded.as_of, amount_12m = excluded.amount_12m,
      amount_lifetime = excluded.amount_lifetime, order_count = excluded.order_count,
      last_deal_on = excluded.last_deal_on, import_run_id = excluded.import_run_id,
      created_by = excluded.created_by, updated_at = now()`.execute(trx);
  // The customers with a balance or a first cooperation date: named by a subquery, so a
  // million of them never pass through the process.
  const cooperation = await sql`
    select 1 from import_stage s where s.first_cooperation_on is not null and ${written} limit 1`.execute(
    trx,
  );
  if (Number(balances.numAffectedRows ?? 0) > 0 || cooperation.rows.length > 0)
    await refreshCustomerFacts(
      jobScope(trx, tenantId),
      {
        query: sql`select coalesce(s.matched_id, s.id) from import_stage s
          where (${HAS_OPENING} or s.first_cooperation_on is not null) and ${written}`,
      },
      'import',
    );
}
