import type { Database, InteractionKind, Sentiment, Transaction } from '@crm/db';
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import { type CountOutput, countRows } from '../counts';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import type { Scope } from '../scope';
import type { InteractionFilters } from './interactions.schemas';

/**
 * Every query of interactions. Functions take the scope first and return rows; an
 * interaction is seen through its customer (record access applies to every read).
 */

const LOCAL_ZONE = 'Asia/Shanghai';

export type NewInteractionValues = {
  customerId: string;
  contactId: string | null;
  kind: InteractionKind;
  occurredAt: string | Date;
  userId: string;
  summary: string;
  outcome: string | null;
  nextStep: string | null;
  nextStepDue: string | null;
  sentiment: Sentiment;
};

export function insertInteraction(scope: Scope, values: NewInteractionValues): Promise<{ id: string }> {
  return scope.trx
    .insertInto('interactions')
    .values({
      tenant_id: scope.tenantId,
      customer_id: values.customerId,
      contact_id: values.contactId,
      kind: values.kind,
      occurred_at: values.occurredAt,
      user_id: values.userId,
      summary: values.summary,
      outcome: values.outcome,
      next_step: values.nextStep,
      next_step_due: values.nextStepDue,
      sentiment: values.sentiment,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** A visible customer's interactions, newest first. */
export function selectInteractions(scope: Scope, customerId: string, limit: number) {
  return scope.trx
    .selectFrom('interactions')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'interactions.tenant_id')
        .onRef('customers.id', '=', 'interactions.customer_id'),
    )
    .leftJoin('contacts', (join) =>
      join
        .onRef('contacts.tenant_id', '=', 'interactions.tenant_id')
        .onRef('contacts.id', '=', 'interactions.contact_id'),
    )
    .leftJoin('users', 'users.id', 'interactions.user_id')
    .select([
      'interactions.id',
      'interactions.customer_id',
      'interactions.contact_id',
      'contacts.name as contact_name',
      'interactions.kind',
      'interactions.occurred_at',
      'interactions.user_id',
      'users.name as user_name',
      'interactions.summary',
      'interactions.outcome',
      'interactions.next_step',
      'interactions.next_step_due',
      'interactions.sentiment',
    ])
    .where('interactions.tenant_id', '=', scope.tenantId)
    .where('interactions.customer_id', '=', customerId)
    .where(visibleCustomer(scope.access))
    .orderBy('interactions.occurred_at', 'desc')
    .orderBy(sql`interactions.id`, 'desc')
    .limit(limit)
    .execute();
}

function localDay(day: string, plusDays = 0): RawBuilder<Date> {
  return sql<Date>`((${day}::date + ${plusDays}::int)::timestamp at time zone ${LOCAL_ZONE})`;
}

/** Every filter of the interactions list, and record access through the customer. */
function interactionConditions(tenantId: string, access: RecordAccess, filters: InteractionFilters) {
  return (eb: ExpressionBuilder<Database, 'interactions' | 'customers'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [
      eb('interactions.tenant_id', '=', tenantId),
      visibleCustomer(access) as unknown as Expression<SqlBool>,
    ];
    if (filters.from) conditions.push(eb('interactions.occurred_at', '>=', localDay(filters.from)));
    if (filters.to) conditions.push(eb('interactions.occurred_at', '<', localDay(filters.to, 1)));
    if (filters.customerId) conditions.push(eb('interactions.customer_id', '=', filters.customerId));
    if (filters.ownerUserIds?.length)
      conditions.push(eb('customers.owner_user_id', 'in', filters.ownerUserIds));
    if (filters.kinds?.length) conditions.push(eb('interactions.kind', 'in', filters.kinds));
    if (filters.sentiments?.length) conditions.push(eb('interactions.sentiment', 'in', filters.sentiments));
    if (filters.userIds?.length) conditions.push(eb('interactions.user_id', 'in', filters.userIds));
    return eb.and(conditions);
  };
}

/**
 * The filtered interactions joined to their customers, to select from. Takes an executor
 * rather than a scope: exports run it outside a request, on their own bounded transaction.
 */
export function selectFilteredInteractions(
  trx: Transaction<Database> | Kysely<Database>,
  tenantId: string,
  access: RecordAccess,
  filters: InteractionFilters,
) {
  return trx
    .selectFrom('interactions')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'interactions.tenant_id')
        .onRef('customers.id', '=', 'interactions.customer_id'),
    )
    .where(interactionConditions(tenantId, access, filters));
}

/** How many interactions the tenant-wide list's filters match (exact up to a cap). */
export function countInteractions(scope: Scope, filters: InteractionFilters): Promise<CountOutput> {
  const rows = selectFilteredInteractions(scope.trx, scope.tenantId, scope.access, filters).select(
    sql`1`.as('one'),
  );
  return countRows(scope.trx, rows);
}

/** Up to `limit` interactions of the tenant-wide list after the cursor, newest first. */
export function selectInteractionListPage(
  scope: Scope,
  filters: InteractionFilters,
  after: { timestamp: string; id: string } | null,
  limit: number,
) {
  let query = selectFilteredInteractions(scope.trx, scope.tenantId, scope.access, filters)
    .leftJoin('contacts', (join) =>
      join
        .onRef('contacts.tenant_id', '=', 'interactions.tenant_id')
        .onRef('contacts.id', '=', 'interactions.contact_id'),
    )
    .leftJoin('users', 'users.id', 'interactions.user_id')
    .select([
      'interactions.id',
      'interactions.customer_id',
      'customers.name as customer_name',
      'interactions.contact_id',
      'contacts.name as contact_name',
      'interactions.kind',
      'interactions.occurred_at',
      'interactions.user_id',
      'users.name as user_name',
      'interactions.summary',
      'interactions.outcome',
      'interactions.next_step',
      'interactions.next_step_due',
      'interactions.sentiment',
      sql<string>`interactions.occurred_at::text`.as('sort_key'),
    ]);
  if (after) {
    query = query.where(
      sql<boolean>`(interactions.occurred_at, interactions.id) < (${after.timestamp}::text::timestamptz, ${after.id}::uuid)`,
    );
  }
  return query
    .orderBy('interactions.occurred_at', 'desc')
    .orderBy('interactions.id', 'desc')
    .limit(limit)
    .execute();
}

/** One interaction of a customer the member sees, or undefined. */
export async function selectInteraction(scope: Scope, id: string) {
  return scope.trx
    .selectFrom('interactions')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'interactions.tenant_id')
        .onRef('customers.id', '=', 'interactions.customer_id'),
    )
    .select([
      'interactions.id',
      'interactions.customer_id',
      'interactions.contact_id',
      'interactions.kind',
      'interactions.occurred_at',
      'interactions.summary',
      'interactions.outcome',
      'interactions.sentiment',
    ])
    .where('interactions.tenant_id', '=', scope.tenantId)
    .where('interactions.id', '=', id)
    .where(visibleCustomer(scope.access))
    .executeTakeFirst();
}
