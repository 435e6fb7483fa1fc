import type { CustomFieldDefinition, Database, Transaction } from '@crm/db';
import { normalizePhoneKey } from '@crm/domain';
import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import { labelParams } from '../custom-fields/values';
import { kpiSegmentCondition } from '../dashboards/segments.sql';
import { appError } from '../errors';
import { staleCondition } from './completeness.repository';
import type { CustomerQuery, CustomerSort, CustomFieldFilter } from './customers.schemas';

type Definitions = Map<string, CustomFieldDefinition>;

/** How a sort key is read, cast back from its text form in a cursor, and recognised. */
export type SortSpec = { expression: RawBuilder<unknown>; cast: string; pattern: RegExp };

const TIMESTAMP = /^(-infinity|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?)$/;
const DECIMAL = /^(-Infinity|-?\d{1,20}(\.\d{1,6})?)$/;
const INTEGER = /^-?\d{1,10}$/;
const DATE = /^(-infinity|\d{4}-\d{2}-\d{2})$/;
const ANY_TEXT = /^[\s\S]{0,1000}$/;

const BUILT_IN_SORTS = {
  createdAt: { expression: sql`customers.created_at`, cast: 'timestamptz', pattern: TIMESTAMP },
  updatedAt: { expression: sql`customers.updated_at`, cast: 'timestamptz', pattern: TIMESTAMP },
  name: { expression: sql`customers.name`, cast: 'text', pattern: ANY_TEXT },
  amount12m: { expression: sql`customers.amount_12m`, cast: 'numeric', pattern: DECIMAL },
  amountLifetime: { expression: sql`customers.amount_lifetime`, cast: 'numeric', pattern: DECIMAL },
  orderCount: { expression: sql`customers.order_count`, cast: 'integer', pattern: INTEGER },
  // Never dealt sorts below every deal, in both directions' keyset comparisons.
  lastDealAt: {
    expression: sql`coalesce(customers.last_deal_at, '-infinity'::timestamptz)`,
    cast: 'timestamptz',
    pattern: TIMESTAMP,
  },
  completeness: { expression: sql`customers.completeness`, cast: 'smallint', pattern: INTEGER },
  // Not yet scored (or a value-threshold model) sorts below every score, in both directions.
  // The placement is a row of customer_tiers, read by its key (the sort serves every query
  // shape that lists customers: the list, exports).
  tierScore: {
    expression: sql`coalesce((select t.score from customer_tiers t
      where t.tenant_id = customers.tenant_id and t.customer_id = customers.id), -1)`,
    cast: 'numeric',
    pattern: DECIMAL,
  },
} satisfies Record<string, SortSpec>;

function definitionOf(definitions: Definitions, key: string): CustomFieldDefinition {
  const definition = definitions.get(key);
  if (!definition || definition.archived_at !== null)
    throw appError('CUSTOM_FIELD_NOT_FOUND', { key }, 'sort');
  return definition;
}

/** A custom field's value as a comparable, never-null SQL expression (empty sorts lowest). */
function customSortSpec(definition: CustomFieldDefinition): SortSpec {
  const text = sql`customers.custom_fields ->> ${sql.lit(definition.key)}`;
  switch (definition.type) {
    case 'number':
    case 'money':
      return {
        expression: sql`coalesce((${text})::numeric, '-Infinity')`,
        cast: 'numeric',
        pattern: DECIMAL,
      };
    case 'date':
      return { expression: sql`coalesce((${text})::date, '-infinity')`, cast: 'date', pattern: DATE };
    case 'boolean':
      return { expression: sql`coalesce((${text})::boolean::int, -1)`, cast: 'integer', pattern: INTEGER };
    default:
      return { expression: sql`coalesce(${text}, '')`, cast: 'text', pattern: ANY_TEXT };
  }
}

export function sortSpecOf(sort: CustomerSort, definitions: Definitions): SortSpec {
  if (sort.startsWith('custom:'))
    return customSortSpec(definitionOf(definitions, sort.slice('custom:'.length)));
  return BUILT_IN_SORTS[sort as keyof typeof BUILT_IN_SORTS];
}

/** Whether a query needs the tenant's custom field definitions to be read. */
export function needsDefinitions(query: Pick<CustomerQuery, 'sort' | 'custom'>): boolean {
  return query.sort.startsWith('custom:') || (query.custom?.length ?? 0) > 0;
}

/** `column = x` for one value (keeps index order for the sort), `= any` for several. */
function oneOf(column: string, values: string[], type: string): RawBuilder<boolean> {
  if (values.length === 1) return sql<boolean>`${sql.ref(column)} = ${values[0]}`;
  return sql<boolean>`${sql.ref(column)} = any(${values}::${sql.raw(type)}[])`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function customCondition(definitions: Definitions, filter: CustomFieldFilter): RawBuilder<boolean> {
  const definition = definitions.get(filter.key);
  if (!definition || definition.archived_at !== null) {
    throw appError('CUSTOM_FIELD_NOT_FOUND', { key: filter.key }, 'custom');
  }
  const refuse = () => appError('CUSTOM_FILTER_INVALID', labelParams(definition), 'custom');
  const key = sql.lit(definition.key);
  const text = sql`customers.custom_fields ->> ${key}`;
  const value = filter.value;
  const { type } = definition;
  const options = new Set(definition.options.map((option) => option.value));
  const single = typeof value === 'string' ? value : null;
  if (definition.sensitive) {
    // Encrypted: only whether a value is there (exact matches go through findByIdentity-style lookups).
    const present = sql<boolean>`exists (select 1 from customer_secrets s where s.tenant_id = customers.tenant_id
      and s.customer_id = customers.id and s.field = ${`custom:${definition.key}`})`;
    if (filter.op === 'notEmpty') return present;
    if (filter.op === 'empty') return sql<boolean>`not ${present}`;
    throw refuse();
  }
  switch (filter.op) {
    case 'empty':
      return sql<boolean>`not (customers.custom_fields ? ${key})`;
    case 'notEmpty':
      return sql<boolean>`customers.custom_fields ? ${key}`;
    case 'contains':
      if (type !== 'text' || !single) throw refuse();
      return sql<boolean>`${text} ilike ${`%${escapeLike(single)}%`}`;
    case 'eq':
      if (type === 'boolean' && typeof value === 'boolean') {
        return sql<boolean>`customers.custom_fields @> ${JSON.stringify({ [definition.key]: value })}::jsonb`;
      }
      if ((type === 'text' || type === 'enum') && single !== null) {
        if (type === 'enum' && !options.has(single)) throw refuse();
        return sql<boolean>`customers.custom_fields @> ${JSON.stringify({ [definition.key]: single })}::jsonb`;
      }
      if (
        (type === 'number' || type === 'money') &&
        single !== null &&
        /^-?\d{1,15}(\.\d{1,6})?$/.test(single)
      ) {
        return sql<boolean>`(${text})::numeric = ${single}::numeric`;
      }
      if (type === 'date' && single !== null && /^\d{4}-\d{2}-\d{2}$/.test(single)) {
        return sql<boolean>`(${text})::date = ${single}::date`;
      }
      throw refuse();
    case 'gte':
    case 'lte': {
      const operator = sql.raw(filter.op === 'gte' ? '>=' : '<=');
      if (
        (type === 'number' || type === 'money') &&
        single !== null &&
        /^-?\d{1,15}(\.\d{1,6})?$/.test(single)
      ) {
        return sql<boolean>`(${text})::numeric ${operator} ${single}::numeric`;
      }
      if (type === 'date' && single !== null && /^\d{4}-\d{2}-\d{2}$/.test(single)) {
        return sql<boolean>`(${text})::date ${operator} ${single}::date`;
      }
      throw refuse();
    }
    case 'in':
      if (
        type !== 'enum' ||
        !Array.isArray(value) ||
        value.length === 0 ||
        !value.every((v) => options.has(v))
      ) {
        throw refuse();
      }
      return sql<boolean>`${text} = any(${value}::text[])`;
    case 'hasAll':
      if (
        type !== 'multi_enum' ||
        !Array.isArray(value) ||
        value.length === 0 ||
        !value.every((v) => options.has(v))
      ) {
        throw refuse();
      }
      return sql<boolean>`customers.custom_fields -> ${key} @> ${JSON.stringify(value)}::jsonb`;
  }
}

const SEARCH_RUNS = /[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+/g;

/**
 * How a search is run, by the shape of the query (measured on 1M customers, see
 * docs/benchmarks.md):
 * - 'grams': two or more Chinese characters, or a letter/digit run of three or more — the
 *   customers' and contacts' GIN indexes find the few matches, which are then sorted;
 * - 'single': one Chinese character (a surname, say) matches a large share of the list, so
 *   the rows are read in list order and checked, and contacts are not searched;
 * - 'text': nothing to index (one or two letters or digits, punctuation): a plain match
 *   on name, email and customer number.
 */
export function searchShape(search: string): 'grams' | 'single' | 'text' {
  const runs = search.match(SEARCH_RUNS) ?? [];
  if (runs.length === 0) return 'text';
  const chinese = runs.filter((run) => !/^[A-Za-z0-9]/.test(run));
  const latin = runs.filter((run) => /^[A-Za-z0-9]/.test(run));
  if (chinese.some((run) => run.length >= 2) || latin.some((run) => run.length >= 3)) return 'grams';
  if (chinese.length > 0 && latin.length === 0) return 'single';
  return 'text';
}

/** A search that is only a phone number or part of one: digits and the signs people put between them. */
const PHONE_SHAPED = /^[+＋]?[0-9０-９\s\-－.()（）]+$/;

/**
 * The phone digits a search looks for at the END of the customers' and contacts' phone match
 * keys (national digits: 057187558212): the key of a whole number in any form (`057187558212`,
 * `0571-8755-8212`, `+86 571 87558212`), or the typed digits of a part of one, four or more
 * (`8212`, `8755-8212`). Null when the search is not phone-shaped.
 */
export function phoneSuffixOf(search: string): string | null {
  if (!PHONE_SHAPED.test(search)) return null;
  const key = normalizePhoneKey(search);
  const digits = (key ?? search.normalize('NFKC')).replace(/[^0-9]/g, '');
  return digits.length >= 4 ? digits : null;
}

/**
 * Customers with a phone (theirs or a contact's) ending in `digits` or starting with them
 * (a mobile typed from its start: 1391234): prefix ranges over the reversed keys
 * (`customer_match_keys.value_reversed`) and over the keys themselves, both in the C collation
 * with btree indexes, which RLS lets the planner use.
 */
function phoneSuffixIds(tenantId: string, digits: string): RawBuilder<unknown> {
  const reversed = [...digits].reverse().join('');
  return sql`select m.customer_id from customer_match_keys m
    where m.tenant_id = ${tenantId} and m.value_reversed >= ${reversed} and m.value_reversed < ${nextPrefix(reversed)}
    union
    select p.customer_id from customer_match_keys p
    where p.tenant_id = ${tenantId} and p.kind = 'phone'
      and (p.value collate "C") >= ${digits} and (p.value collate "C") < ${nextPrefix(digits)}`;
}

/** The first string after every string starting with `prefix` (digits only: '9' + 1 is ':'). */
function nextPrefix(prefix: string): string {
  return `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
}

function searchCondition(tenantId: string, search: string): RawBuilder<boolean> {
  // A phone number, whole, its last digits or its first: the suffix and prefix indexes, and a customer number typed
  // exactly (both indexed). The search grams are not read: under row-level security their GIN
  // index cannot be used, and a digit trigram is in a large share of rows (a sequential scan
  // of every customer and contact).
  const phone = phoneSuffixOf(search);
  if (phone)
    // A union of ids, not an OR: the planner joins the few ids instead of filtering every row.
    return sql<boolean>`customers.id in (${phoneSuffixIds(tenantId, phone)}
      union select n.id from customers n where n.tenant_id = ${tenantId} and n.customer_number = ${search.trim()})`;
  const shape = searchShape(search);
  if (shape === 'grams') {
    // A union of ids, not an OR: each side uses its own index.
    return sql<boolean>`customers.id in (
      select x.id from customers x where x.tenant_id = ${tenantId} and x.search_grams @> search_query_grams(${search})
      union
      select k.customer_id from contacts k where k.tenant_id = ${tenantId} and k.search_grams @> search_query_grams(${search}))`;
  }
  if (shape === 'single') return sql<boolean>`customers.search_grams @> search_query_grams(${search})`;
  const pattern = `%${escapeLike(search)}%`;
  return sql<boolean>`(customers.name ilike ${pattern} or customers.email ilike ${pattern}
    or customers.customer_number ilike ${pattern})`;
}

/**
 * Every filter of a customer query as one condition. Search matches the customer's name,
 * phone, email and number, or any of its contacts' names, phones and emails, through the
 * search grams (Chinese characters and their pairs, letter and digit trigrams).
 */
export function customerConditions(
  tenantId: string,
  query: Omit<CustomerQuery, 'sort' | 'direction'>,
  definitions: Definitions,
  /** Customers whose national ID or card number is exactly the search (see findCustomersByIdentity). */
  identityMatches: string[] | null = null,
) {
  return (eb: ExpressionBuilder<Database, 'customers'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [
      eb('customers.archived_at', query.archived ? 'is not' : 'is', null),
      // Merged customers are tombstones: their history shows on the survivor's timeline.
      eb('customers.merged_into', 'is', null),
    ];
    const add = (condition: RawBuilder<boolean>) =>
      conditions.push(condition as unknown as Expression<SqlBool>);
    if (query.kind) conditions.push(eb('customers.kind', '=', query.kind));
    if (query.ownerUserIds?.length) add(oneOf('customers.owner_user_id', query.ownerUserIds, 'uuid'));
    if (query.unowned) conditions.push(eb('customers.owner_user_id', 'is', null));
    if (query.lifecycleStages?.length) add(oneOf('customers.lifecycle_stage', query.lifecycleStages, 'text'));
    if (query.tagIds?.length) add(sql<boolean>`customers.tag_ids @> ${query.tagIds}::uuid[]`);
    if (query.valueLevels?.length) add(oneOf('customers.value_level', query.valueLevels, 'text'));
    if (query.activityLevels?.length) add(oneOf('customers.activity_level', query.activityLevels, 'text'));
    if (query.needTypes?.length) add(oneOf('customers.need_type', query.needTypes, 'text'));
    if (query.industry) add(sql<boolean>`customers.industry ilike ${`%${escapeLike(query.industry)}%`}`);
    if (query.completenessMin !== undefined)
      conditions.push(eb('customers.completeness', '>=', query.completenessMin));
    if (query.completenessMax !== undefined)
      conditions.push(eb('customers.completeness', '<=', query.completenessMax));
    if (query.stale !== undefined) add(query.stale ? staleCondition : sql<boolean>`not ${staleCondition}`);
    if (query.amount12mMin !== undefined)
      add(sql<boolean>`customers.amount_12m >= ${query.amount12mMin}::numeric`);
    if (query.amount12mMax !== undefined)
      add(sql<boolean>`customers.amount_12m <= ${query.amount12mMax}::numeric`);
    if (query.amountLifetimeMin !== undefined)
      add(sql<boolean>`customers.amount_lifetime >= ${query.amountLifetimeMin}::numeric`);
    if (query.amountLifetimeMax !== undefined)
      add(sql<boolean>`customers.amount_lifetime <= ${query.amountLifetimeMax}::numeric`);
    if (query.orderCountMin !== undefined)
      conditions.push(eb('customers.order_count', '>=', query.orderCountMin));
    if (query.orderCountMax !== undefined)
      conditions.push(eb('customers.order_count', '<=', query.orderCountMax));
    if (query.lastDealFrom) add(sql<boolean>`customers.last_deal_at >= ${query.lastDealFrom}::date`);
    if (query.lastDealTo) add(sql<boolean>`customers.last_deal_at < ${query.lastDealTo}::date + 1`);
    if (query.createdFrom) add(sql<boolean>`customers.created_at >= ${query.createdFrom}::date`);
    if (query.createdTo) add(sql<boolean>`customers.created_at < ${query.createdTo}::date + 1`);
    // The tier placement is a row of customer_tiers (customer_tiers_tier_idx): a semi-join.
    const placement: RawBuilder<boolean>[] = [];
    if (query.tiers?.length) placement.push(oneOf('t.tier', query.tiers, 'text'));
    if (query.tierScoreMin !== undefined)
      placement.push(sql<boolean>`t.score >= ${query.tierScoreMin}::numeric`);
    if (query.tierScoreMax !== undefined)
      placement.push(sql<boolean>`t.score <= ${query.tierScoreMax}::numeric`);
    if (placement.length > 0)
      add(sql<boolean>`exists (select 1 from customer_tiers t
        where t.tenant_id = customers.tenant_id and t.customer_id = customers.id
          and ${sql.join(placement, sql` and `)})`);
    if (query.kpi) add(kpiSegmentCondition(tenantId, query.kpi));
    for (const filter of query.custom ?? []) add(customCondition(definitions, filter));
    if (query.search) {
      const byText = searchCondition(tenantId, query.search);
      add(
        identityMatches && identityMatches.length > 0
          ? sql<boolean>`(${byText} or customers.id = any(${identityMatches}::uuid[]))`
          : byText,
      );
    }
    return eb.and(conditions);
  };
}

export async function loadDefinitions(trx: Transaction<Database>, tenantId: string): Promise<Definitions> {
  const rows = await trx
    .selectFrom('custom_field_definitions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .execute();
  return new Map(rows.map((row) => [row.key, row]));
}
