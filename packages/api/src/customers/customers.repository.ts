import type { Database, NewCustomer, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { appError } from '../errors';
import { violatedConstraint } from '../keyset';
import { type RecordAccess, visibleCustomer } from './access';
import type { CustomerListItem, CustomerOutput, CustomerSort, ListCustomersInput } from './customers.schemas';

const SORT_COLUMNS = {
  createdAt: 'customers.created_at',
  updatedAt: 'customers.updated_at',
  name: 'customers.name',
  amount12m: 'customers.amount_12m',
} as const satisfies Record<CustomerSort, string>;

/** How each sort key's text form is cast back for the keyset comparison. */
const SORT_CASTS = {
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
  name: 'text',
  amount12m: 'numeric',
} as const satisfies Record<CustomerSort, string>;

function selectCustomerSummaries(trx: Transaction<Database>, tenantId: string, access: RecordAccess) {
  return trx
    .selectFrom('customers')
    .leftJoin('users as owner', 'owner.id', 'customers.owner_user_id')
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
    ])
    .where('customers.tenant_id', '=', tenantId)
    .where(visibleCustomer(access));
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
  };
}

/**
 * Keyset cursor: the sort value and id of the last row of the previous page. The value is
 * the database's own text form, so timestamps keep their microseconds (a JavaScript Date
 * would round them to milliseconds and repeat or skip rows).
 */
function encodeCursor(sort: CustomerSort, sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, sortKey, id])).toString('base64url');
}

const SORT_KEY_PATTERNS: Record<CustomerSort, RegExp> = {
  createdAt: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/,
  updatedAt: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/,
  name: /^[\s\S]{1,200}$/,
  amount12m: /^\d{1,14}(\.\d{1,2})?$/,
};

function decodeCursor(sort: CustomerSort, cursor: string): { value: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === sort &&
      typeof parsed[1] === 'string' &&
      typeof parsed[2] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parsed[2]) &&
      SORT_KEY_PATTERNS[sort].test(parsed[1])
    ) {
      return { value: parsed[1], id: parsed[2] };
    }
  } catch {
    // falls through to the error below
  }
  throw appError('INVALID_CURSOR');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export async function listCustomers(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  input: ListCustomersInput,
) {
  const column = SORT_COLUMNS[input.sort];
  let query = selectCustomerSummaries(trx, tenantId, access).where(
    'customers.archived_at',
    input.archived ? 'is not' : 'is',
    null,
  );
  if (input.kind) query = query.where('customers.kind', '=', input.kind);
  if (input.ownerUserId) query = query.where('customers.owner_user_id', '=', input.ownerUserId);
  if (input.lifecycleStage) query = query.where('customers.lifecycle_stage', '=', input.lifecycleStage);
  if (input.search) {
    const pattern = `%${escapeLike(input.search)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('customers.name', 'ilike', pattern),
        eb('customers.phone', 'like', pattern),
        eb('customers.email', 'ilike', pattern),
        eb('customers.customer_number', 'ilike', pattern),
      ]),
    );
  }
  if (input.cursor) {
    const { value, id } = decodeCursor(input.sort, input.cursor);
    const operator = input.direction === 'asc' ? '>' : '<';
    // ::text first: typed as timestamptz, postgres.js would round the parameter through a Date.
    const typed = sql`${value}::text::${sql.raw(SORT_CASTS[input.sort])}`;
    query = query.where(
      sql<boolean>`(${sql.ref(column)}, customers.id) ${sql.raw(operator)} (${typed}, ${id}::uuid)`,
    );
  }
  const rows = await query
    .select(sql<string>`${sql.ref(column)}::text`.as('sort_key'))
    .orderBy(column, input.direction)
    .orderBy('customers.id', input.direction)
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > input.limit && last ? encodeCursor(input.sort, last.sort_key, last.id) : null,
  };
}

export async function findCustomer(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  id: string,
): Promise<CustomerOutput | null> {
  const row = await selectCustomerSummaries(trx, tenantId, access)
    .innerJoin('tenants', 'tenants.id', 'customers.tenant_id')
    .select([
      'customers.customer_number',
      'customers.industry',
      'customers.birthday',
      'customers.founded_on',
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
      'tenants.currency',
      sql<string | null>`case when customers.order_count > 0
        then round(customers.amount_lifetime / customers.order_count, 2)::text end`.as('average_order_value'),
    ])
    .where('customers.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    ...toSummary(row),
    customerNumber: row.customer_number,
    industry: row.industry,
    birthday: row.birthday,
    foundedOn: row.founded_on,
    addresses: row.addresses,
    explicitNeeds: row.explicit_needs,
    implicitNeeds: row.implicit_needs,
    painPoints: row.pain_points,
    purchasePlan: row.purchase_plan,
    purchasePlanAmount: row.purchase_plan_amount,
    purchasePlanExpectedOn: row.purchase_plan_expected_on,
    firstDealAt: row.first_deal_at?.toISOString() ?? null,
    amountLifetime: row.amount_lifetime,
    averageOrderValue: row.average_order_value,
    lifecycleChangedAt: row.lifecycle_changed_at?.toISOString() ?? null,
    currency: row.currency,
  };
}

/** Not found and not visible answer the same: a rep cannot probe for others' customers. */
export async function getCustomerOrThrow(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  id: string,
) {
  const customer = await findCustomer(trx, tenantId, access, id);
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
    throw error;
  }
}

export async function insertCustomer(trx: Transaction<Database>, values: NewCustomer): Promise<string> {
  const row = await mapConstraintViolations(
    trx.insertInto('customers').values(values).returning('id').executeTakeFirstOrThrow(),
  );
  return row.id;
}

export type CustomerChanges = Partial<Omit<NewCustomer, 'tenant_id' | 'id' | 'created_at' | 'created_by'>>;

export async function updateCustomerRow(
  trx: Transaction<Database>,
  tenantId: string,
  id: string,
  values: CustomerChanges,
) {
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

export async function setCustomerArchived(
  trx: Transaction<Database>,
  tenantId: string,
  id: string,
  archived: boolean,
) {
  const result = await trx
    .updateTable('customers')
    .set({ archived_at: archived ? sql<Date>`now()` : null, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Bulk reassignment, one statement over the visible ones; returns how many moved. */
export async function reassignCustomers(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  ids: string[],
  ownerUserId: string | null,
) {
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
