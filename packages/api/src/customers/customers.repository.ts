import type { Database, NewCustomer, Transaction } from '@crm/db';
import { createQueryId, createSelectQueryBuilder, type RawBuilder, type SelectQueryNode, sql } from 'kysely';
import { type CountOutput, countRows } from '../counts';
import { appError } from '../errors';
import { decodeCursor, encodeCursor, UUID, violatedConstraint } from '../keyset';
import type { Scope } from '../scope';
import { maskedSecrets, secretHintsColumn } from '../sensitive/customer-secrets';
import { nextPendingRunAt } from '../tiering/tiering.schedule';
import { type RecordAccess, visibleCustomer } from './access';
import { staleCondition } from './completeness.repository';
import type {
  CountCustomersInput,
  CustomerListItem,
  CustomerOutput,
  CustomerSort,
  ListCustomersInput,
} from './customers.schemas';
import { customerConditions, loadDefinitions, needsDefinitions, sortSpecOf } from './list-query';

/**
 * The list's joins and columns: the same for every member and every request. Built into
 * Kysely's operation tree once (`summaryColumns`), then reused: building and freezing the ~30
 * columns, two joins and their raw fragments on each request was half of building and
 * compiling the list query (docs/benchmarks.md, BM1).
 */
function buildSummaryColumns(trx: Transaction<Database>) {
  return (
    trx
      .selectFrom('customers')
      .leftJoin('users as owner', 'owner.id', 'customers.owner_user_id')
      // The tier placement lives in its own narrow table (no row: not placed yet).
      .leftJoin('customer_tiers as placement', (join) =>
        join
          .onRef('placement.tenant_id', '=', 'customers.tenant_id')
          .onRef('placement.customer_id', '=', 'customers.id'),
      )
      .select([
        'customers.id',
        'customers.name',
        'customers.kind',
        'customers.phone',
        'customers.email',
        'customers.owner_user_id',
        'owner.name as owner_name',
        'customers.archived_at',
        'customers.created_at',
        'customers.updated_at',
        'customers.lifecycle_stage',
        'customers.amount_12m',
        'customers.order_count',
        'customers.last_deal_at',
        'customers.amount_lifetime',
        'customers.industry',
        'customers.tag_ids',
        'customers.need_type',
        'customers.value_level',
        'customers.activity_level',
        'customers.completeness',
        'placement.tier',
        'placement.score as tier_score',
        'customers.tier_pending_since',
        // When the tier was last computed: the customer's own run, or the tenant's last full run
        // (which writes only the customers it moved).
        sql<Date | null>`case when placement.tier is not null then greatest(placement.computed_at,
        (select t.tiers_computed_at from tenants t where t.id = customers.tenant_id)) end`.as(
          'tier_computed_at',
        ),
        'customers.custom_fields',
        staleCondition.as('stale'),
        secretHintsColumn.as('secret_hints'),
      ])
  );
}

type SummaryColumns = ReturnType<typeof buildSummaryColumns>;

/** The operation tree of `buildSummaryColumns`, built by the first query (trees are immutable). */
let summaryColumns: SelectQueryNode | undefined;

function selectCustomerSummaries(trx: Transaction<Database>, tenantId: string, access: RecordAccess) {
  summaryColumns ??= buildSummaryColumns(trx).toOperationNode();
  const columns = createSelectQueryBuilder({
    queryId: createQueryId(),
    executor: trx.getExecutor(),
    queryNode: summaryColumns,
  }) as SummaryColumns;
  return columns.where('customers.tenant_id', '=', tenantId).where(visibleCustomer(access));
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof selectCustomerSummaries>['executeTakeFirstOrThrow']>>;

function toSummary(row: SummaryRow): CustomerListItem {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    phone: row.phone,
    email: row.email,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    archivedAt: row.archived_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lifecycleStage: row.lifecycle_stage,
    amount12m: row.amount_12m,
    orderCount: row.order_count,
    lastDealAt: row.last_deal_at?.toISOString() ?? null,
    amountLifetime: row.amount_lifetime,
    industry: row.industry,
    tagIds: row.tag_ids,
    needType: row.need_type,
    valueLevel: row.value_level,
    activityLevel: row.activity_level,
    completeness: row.completeness,
    tier: row.tier,
    tierScore: row.tier_score,
    tierComputedAt: row.tier_computed_at ? new Date(row.tier_computed_at).toISOString() : null,
    tierPendingSince: row.tier_pending_since?.toISOString() ?? null,
    tierNextRunAt: row.tier_pending_since ? nextPendingRunAt().toISOString() : null,
    stale: row.stale,
    customFields: row.custom_fields,
    sensitive: maskedSecrets(row.secret_hints),
  };
}

/**
 * Keyset cursor: the sort value and id of the last row of the previous page. The value is
 * the database's own text form, so timestamps keep their microseconds (a JavaScript Date
 * would round them to milliseconds and repeat or skip rows).
 */
function encodeCustomerCursor(sort: CustomerSort, sortKey: string, id: string): string {
  return encodeCursor([sort, sortKey, id]);
}

function decodeCustomerCursor(
  sort: CustomerSort,
  pattern: RegExp,
  cursor: string,
): { value: string; id: string } {
  const [, value = '', id = ''] = decodeCursor(cursor, [sort, pattern, UUID]);
  return { value, id };
}

export async function listCustomers(
  scope: Scope,
  input: ListCustomersInput,
  /** Customers whose national ID or card number is exactly the search (by blind index), if it is one. */
  identityMatches: string[] | null = null,
) {
  const { trx, tenantId, access } = scope;
  const definitions = needsDefinitions(input) ? await loadDefinitions(trx, tenantId) : new Map();
  const spec = sortSpecOf(input.sort, definitions);
  let query = selectCustomerSummaries(trx, tenantId, access).where(
    customerConditions(tenantId, input, definitions, identityMatches),
  );
  if (input.cursor) {
    const { value, id } = decodeCustomerCursor(input.sort, spec.pattern, input.cursor);
    const operator = input.direction === 'asc' ? '>' : '<';
    // ::text first: typed as timestamptz, postgres.js would round the parameter through a Date.
    const typed = sql`${value}::text::${sql.raw(spec.cast)}`;
    query = query.where(
      sql<boolean>`(${spec.expression}, customers.id) ${sql.raw(operator)} (${typed}, ${id}::uuid)`,
    );
  }
  const rows = await query
    .select(sql<string>`(${spec.expression})::text`.as('sort_key'))
    .orderBy(spec.expression, input.direction)
    .orderBy('customers.id', input.direction)
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toSummary),
    nextCursor:
      rows.length > input.limit && last ? encodeCustomerCursor(input.sort, last.sort_key, last.id) : null,
  };
}

/** How many customers the list's filters match among those the member sees (exact up to a cap). */
export async function countCustomers(
  scope: Scope,
  input: CountCustomersInput,
  identityMatches: string[] | null = null,
): Promise<CountOutput> {
  const { trx, tenantId, access } = scope;
  const definitions = (input.custom?.length ?? 0) > 0 ? await loadDefinitions(trx, tenantId) : new Map();
  const rows = trx
    .selectFrom('customers')
    .select(sql`1`.as('one'))
    .where('customers.tenant_id', '=', tenantId)
    .where(visibleCustomer(access))
    .where(customerConditions(tenantId, input, definitions, identityMatches));
  return countRows(trx, rows);
}

/** The visible customers among `ids`, newest first (for lookups that found ids another way). */
export async function listCustomersByIds(scope: Scope, ids: string[]): Promise<CustomerListItem[]> {
  const { trx, tenantId, access } = scope;
  if (ids.length === 0) return [];
  const rows = await selectCustomerSummaries(trx, tenantId, access)
    .where('customers.id', 'in', ids)
    .orderBy('customers.created_at', 'desc')
    .orderBy('customers.id', 'desc')
    .limit(100)
    .execute();
  return rows.map(toSummary);
}

export async function findCustomer(scope: Scope, id: string): Promise<CustomerOutput | null> {
  const { trx, tenantId, access } = scope;
  const row = await selectCustomerSummaries(trx, tenantId, access)
    .innerJoin('tenants', 'tenants.id', 'customers.tenant_id')
    .select([
      'customers.customer_number',
      'customers.external_id',
      'customers.birthday',
      'customers.birthday_calendar',
      'customers.founded_on',
      'customers.first_cooperation_on',
      'customers.anniversary_on',
      'customers.addresses',
      'customers.explicit_needs',
      'customers.implicit_needs',
      'customers.pain_points',
      'customers.purchase_plan',
      'customers.purchase_plan_amount',
      'customers.purchase_plan_expected_on',
      'customers.first_deal_at',
      'customers.amount_lifetime',
      'customers.lifecycle_changed_at',
      'customers.recent_touches',
      'customers.credit_code',
      'customers.merged_into',
      'placement.explanation as tier_explanation',
      'placement.changed_at as tier_changed_at',
      'placement.settings_version as tier_settings_version',
      'tenants.currency',
      sql<
        string[]
      >`(select cc.missing from customer_completeness(to_jsonb(customers), tenants.completeness_weights,
        (select count(*)::int from contacts k where k.tenant_id = customers.tenant_id and k.customer_id = customers.id)) cc)`.as(
        'completeness_missing',
      ),
      sql<{
        as_of: string;
        amount_12m: string;
        amount_lifetime: string;
        order_count: number;
        last_deal_on: string | null;
      } | null>`(select jsonb_build_object('as_of', b.as_of, 'amount_12m', b.amount_12m::text,
          'amount_lifetime', b.amount_lifetime::text, 'order_count', b.order_count, 'last_deal_on', b.last_deal_on)
        from customer_opening_balances b where b.tenant_id = customers.tenant_id and b.customer_id = customers.id)`.as(
        'opening_balance',
      ),
      sql<string | null>`case when customers.order_count > 0
        then round(customers.amount_lifetime / customers.order_count, 2)::text end`.as('average_order_value'),
    ])
    .where('customers.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    ...toSummary(row),
    customerNumber: row.customer_number,
    externalId: row.external_id,
    birthday: row.birthday,
    birthdayCalendar: row.birthday_calendar,
    foundedOn: row.founded_on,
    firstCooperationOn: row.first_cooperation_on,
    anniversaryOn: row.anniversary_on,
    openingBalance: row.opening_balance
      ? {
          asOf: row.opening_balance.as_of,
          amount12m: row.opening_balance.amount_12m,
          amountLifetime: row.opening_balance.amount_lifetime,
          orderCount: row.opening_balance.order_count,
          lastDealOn: row.opening_balance.last_deal_on,
        }
      : null,
    addresses: row.addresses,
    explicitNeeds: row.explicit_needs,
    implicitNeeds: row.implicit_needs,
    painPoints: row.pain_points,
    purchasePlan: row.purchase_plan,
    purchasePlanAmount: row.purchase_plan_amount,
    purchasePlanExpectedOn: row.purchase_plan_expected_on,
    firstDealAt: row.first_deal_at?.toISOString() ?? null,
    averageOrderValue: row.average_order_value,
    lifecycleChangedAt: row.lifecycle_changed_at?.toISOString() ?? null,
    currency: row.currency,
    recentTouches: row.recent_touches,
    completenessMissing: row.completeness_missing,
    creditCode: row.credit_code,
    mergedInto: row.merged_into,
    tierExplanation: row.tier_explanation,
    tierChangedAt: row.tier_changed_at?.toISOString() ?? null,
    tierSettingsVersion: row.tier_settings_version,
  };
}

/** Not found and not visible answer the same: a rep cannot probe for others' customers. */
export async function getCustomerOrThrow(scope: Scope, id: string) {
  const customer = await findCustomer(scope, id);
  if (!customer) throw appError('CUSTOMER_NOT_FOUND');
  return customer;
}

async function mapConstraintViolations<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    // A composite FK rejects an owner who is not a member of this tenant.
    if (violatedConstraint(error, '23503')?.includes('owner_user_id')) {
      throw appError('OWNER_NOT_MEMBER', {}, 'ownerUserId');
    }
    if (violatedConstraint(error, '23505')?.includes('customers_number_key')) {
      throw appError('CUSTOMER_NUMBER_TAKEN', {}, 'customerNumber');
    }
    if (violatedConstraint(error, '23505')?.includes('customers_external_id_key')) {
      throw appError('CUSTOMER_EXTERNAL_ID_TAKEN', {}, 'externalId');
    }
    throw error;
  }
}

/**
 * 仍然新建: the audit entry (and timeline entry) of a customer created although the identity
 * rule named an existing one, with the member's reason.
 */
export async function insertCreatedAnywayAudit(
  scope: Scope,
  customerId: string,
  changes: { reason: string; existingId: string; existingName: string | null; by: string },
): Promise<void> {
  await sql`insert into audit_log (tenant_id, actor_user_id, entity, entity_id, customer_id, action, changes)
    values (${scope.tenantId}, app_user_id(), 'customer', ${customerId}, ${customerId}, 'create_anyway',
      ${JSON.stringify(changes)}::jsonb)`.execute(scope.trx);
}

export async function insertCustomer(scope: Scope, values: NewCustomer): Promise<string> {
  const { trx } = scope;
  const row = await mapConstraintViolations(
    trx.insertInto('customers').values(values).returning('id').executeTakeFirstOrThrow(),
  );
  return row.id;
}

/**
 * Many new customers in one statement (a batch upsert's new ones): the statement-level
 * triggers write their audit rows and match keys as for one. All or none: a constraint any
 * row breaks fails the statement (mapped as for one row).
 */
export async function insertCustomers(scope: Scope, rows: NewCustomer[]): Promise<void> {
  if (rows.length === 0) return;
  await mapConstraintViolations(scope.trx.insertInto('customers').values(rows).execute());
}

/** An identity key of a customer being written: a match key's kind, or its number or external id. */
export type IdentityKey = {
  kind: 'phone' | 'email' | 'credit_code' | 'name' | 'customer_number' | 'external_id';
  value: string;
};

/**
 * Which of these keys a customer of the tenant already holds (a match key of it or its
 * contacts, its customer number, its external id), as `kind\u0000value`: any customer, seen by
 * the member or not, merged or not. One statement over the keys' indexes.
 */
export async function selectTakenIdentityKeys(
  scope: Scope,
  keys: readonly IdentityKey[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { tenantId } = scope;
  const { rows } = await sql<{ kind: string; value: string }>`
    select k.kind, k.value
    from unnest(${keys.map((key) => key.kind)}::text[], ${keys.map((key) => key.value)}::text[]) as k(kind, value)
    where case k.kind
      when 'customer_number' then exists (select 1 from customers c
        where c.tenant_id = ${tenantId} and c.customer_number = k.value)
      when 'external_id' then exists (select 1 from customers c
        where c.tenant_id = ${tenantId} and c.external_id = k.value)
      else exists (select 1 from customer_match_keys m
        where m.tenant_id = ${tenantId} and m.kind = k.kind and m.value = k.value)
      end`.execute(scope.trx);
  return new Set(rows.map((row) => `${row.kind}\u0000${row.value}`));
}

export type CustomerChanges = Partial<Omit<NewCustomer, 'tenant_id' | 'id' | 'created_at' | 'created_by'>>;

export async function updateCustomerRow(scope: Scope, id: string, values: CustomerChanges) {
  const { trx, tenantId } = scope;
  const result = await mapConstraintViolations(
    trx
      .updateTable('customers')
      .set({ ...values, updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows);
}

export async function setCustomerArchived(scope: Scope, id: string, archived: boolean) {
  const { trx, tenantId } = scope;
  const result = await trx
    .updateTable('customers')
    .set({ archived_at: archived ? sql<Date>`now()` : null, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The `customer.archived` payloads of these customers archived by this transaction (their
 * archived time is the transaction's: one archived before keeps its own), as a query for the
 * outbox — set-based, however many were archived at once.
 */
export function archivedNowEventPayloads(scope: Scope, ids: readonly string[]): RawBuilder<unknown> {
  return sql`select jsonb_build_object('id', c.id, 'name', c.name, 'kind', c.kind, 'customerNumber', c.customer_number,
      'ownerUserId', c.owner_user_id, 'archivedAt', c.archived_at) as payload
    from customers c
    where c.tenant_id = ${scope.tenantId} and c.id = any(${[...ids]}::uuid[]) and c.archived_at = now()
      and c.merged_into is null
    order by c.id`;
}

/**
 * The customers of the tenant known by these external ids (merged ones excluded): external id
 * → customer id, and whether the member sees it. One statement over the unique index.
 */
export async function selectCustomersByExternalId(
  scope: Scope,
  externalIds: readonly string[],
): Promise<Map<string, { id: string; visible: boolean }>> {
  if (externalIds.length === 0) return new Map();
  const rows = await scope.trx
    .selectFrom('customers')
    .select(['customers.id', 'customers.external_id'])
    .select(visibleCustomer(scope.access).as('visible'))
    .where('customers.tenant_id', '=', scope.tenantId)
    .where('customers.external_id', 'in', [...externalIds])
    .where('customers.merged_into', 'is', null)
    .execute();
  return new Map(rows.map((row) => [row.external_id ?? '', { id: row.id, visible: Boolean(row.visible) }]));
}

/**
 * Runs `work` in a savepoint: what it wrote stays when it succeeds and is undone when it
 * throws (the error goes on), leaving the caller's transaction usable — one item of a batch
 * failing alone.
 */
export async function inSavepoint<T>(scope: Scope, work: () => Promise<T>): Promise<T> {
  await sql`savepoint customer_item`.execute(scope.trx);
  try {
    const result = await work();
    await sql`release savepoint customer_item`.execute(scope.trx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint customer_item`.execute(scope.trx);
    await sql`release savepoint customer_item`.execute(scope.trx);
    throw error;
  }
}

/** Bulk reassignment, one statement over the visible ones; returns how many moved. */
export async function reassignCustomers(scope: Scope, ids: string[], ownerUserId: string | null) {
  const { trx, tenantId, access } = scope;
  const result = await mapConstraintViolations(
    trx
      .updateTable('customers')
      .set({ owner_user_id: ownerUserId, updated_at: sql<Date>`now()` })
      .where('customers.tenant_id', '=', tenantId)
      .where('customers.id', 'in', ids)
      .where(visibleCustomer(access))
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows);
}

/** Sets and clears (null) custom field values, keeping the others. */
export async function mergeCustomFields(scope: Scope, id: string, values: Record<string, unknown>) {
  const { trx, tenantId } = scope;
  await trx
    .updateTable('customers')
    .set({
      custom_fields: sql<string>`jsonb_strip_nulls(customers.custom_fields || ${JSON.stringify(values)}::jsonb)`,
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Bulk archive or restore, one statement over the visible ones; returns how many it matched. */
export async function setCustomersArchived(scope: Scope, ids: string[], archived: boolean) {
  const { trx, tenantId, access } = scope;
  const result = await trx
    .updateTable('customers')
    .set({
      archived_at: archived ? sql<Date>`coalesce(customers.archived_at, now())` : null,
      updated_at: sql<Date>`now()`,
    })
    .where('customers.tenant_id', '=', tenantId)
    .where('customers.id', 'in', ids)
    .where(visibleCustomer(access))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Adds and removes free tags on many customers in one statement, over the ones the member
 * sees; returns how many rows it touched (customers that already had the change count too).
 */
export async function retagCustomers(scope: Scope, ids: string[], add: string[], remove: string[]) {
  const result = await scope.trx
    .updateTable('customers')
    .set({
      tag_ids: sql<string[]>`array(
        select distinct t from unnest(customers.tag_ids || ${add}::uuid[]) t
        where not (t = any(${remove}::uuid[])) order by t)`,
      updated_at: sql<Date>`now()`,
    })
    .where('customers.tenant_id', '=', scope.tenantId)
    .where('customers.id', 'in', ids)
    .where(visibleCustomer(scope.access))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
