import type { Database, NewCustomer, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { appError } from '../errors';
import type { CustomerOutput, CustomerSort, ListCustomersInput } from './customers.schemas';

const SORT_COLUMNS = {
  createdAt: 'customers.created_at',
  updatedAt: 'customers.updated_at',
  name: 'customers.name',
} as const satisfies Record<CustomerSort, string>;

function selectCustomers(trx: Transaction<Database>) {
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
    ]);
}

type CustomerRow = Awaited<ReturnType<ReturnType<typeof selectCustomers>['executeTakeFirstOrThrow']>>;

function toOutput(row: CustomerRow): CustomerOutput {
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

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

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
      (sort === 'name' || TIMESTAMP_TEXT.test(parsed[1]))
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

export async function listCustomers(trx: Transaction<Database>, tenantId: string, input: ListCustomersInput) {
  const column = SORT_COLUMNS[input.sort];
  let query = selectCustomers(trx)
    .where('customers.tenant_id', '=', tenantId)
    .where('customers.archived_at', input.archived ? 'is not' : 'is', null);
  if (input.kind) query = query.where('customers.kind', '=', input.kind);
  if (input.ownerUserId) query = query.where('customers.owner_user_id', '=', input.ownerUserId);
  if (input.search) {
    const pattern = `%${escapeLike(input.search)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('customers.name', 'ilike', pattern),
        eb('customers.phone', 'like', pattern),
        eb('customers.email', 'ilike', pattern),
      ]),
    );
  }
  if (input.cursor) {
    const { value, id } = decodeCursor(input.sort, input.cursor);
    const operator = input.direction === 'asc' ? '>' : '<';
    // ::text first: typed as timestamptz, postgres.js would round the parameter through a Date.
    const typed = input.sort === 'name' ? sql`${value}` : sql`${value}::text::timestamptz`;
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
    items: page.map(toOutput),
    nextCursor: rows.length > input.limit && last ? encodeCursor(input.sort, last.sort_key, last.id) : null,
  };
}

export async function findCustomer(trx: Transaction<Database>, tenantId: string, id: string) {
  const row = await selectCustomers(trx)
    .where('customers.tenant_id', '=', tenantId)
    .where('customers.id', '=', id)
    .executeTakeFirst();
  return row ? toOutput(row) : null;
}

export async function getCustomerOrThrow(trx: Transaction<Database>, tenantId: string, id: string) {
  const customer = await findCustomer(trx, tenantId, id);
  if (!customer) throw appError('CUSTOMER_NOT_FOUND');
  return customer;
}

/** A composite FK rejects an owner who is not a member of this tenant. */
function isOwnerForeignKeyViolation(error: unknown): boolean {
  const candidate = error as {
    code?: string;
    constraint_name?: string;
    constraint?: string;
    message?: string;
  };
  return (
    candidate.code === '23503' &&
    `${candidate.constraint_name ?? candidate.constraint ?? candidate.message ?? ''}`.includes(
      'owner_user_id',
    )
  );
}

async function mapOwnerViolation<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isOwnerForeignKeyViolation(error)) throw appError('OWNER_NOT_MEMBER', {}, 'ownerUserId');
    throw error;
  }
}

export async function insertCustomer(trx: Transaction<Database>, values: NewCustomer): Promise<string> {
  const row = await mapOwnerViolation(
    trx.insertInto('customers').values(values).returning('id').executeTakeFirstOrThrow(),
  );
  return row.id;
}

export async function updateCustomerRow(
  trx: Transaction<Database>,
  tenantId: string,
  id: string,
  values: Partial<Pick<NewCustomer, 'name' | 'kind' | 'phone' | 'email' | 'owner_user_id'>>,
) {
  const result = await mapOwnerViolation(
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
