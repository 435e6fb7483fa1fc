import { type Database, INTERACTION_KINDS, SENTIMENTS, type Transaction } from '@crm/db';
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import { z } from 'zod';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { dateInput } from '../customers/customers.schemas';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';

const LOCAL_ZONE = 'Asia/Shanghai';

/** The tenant-wide interactions list's filters (exports take the same). */
export const interactionFilterFields = {
  from: dateInput.optional(),
  to: dateInput.optional(),
  customerId: z.uuid().optional(),
  /** Interactions of customers owned by these members. */
  ownerUserIds: z.array(z.uuid()).max(100).optional(),
  kinds: z.array(z.enum(INTERACTION_KINDS)).max(INTERACTION_KINDS.length).optional(),
  sentiments: z.array(z.enum(SENTIMENTS)).max(SENTIMENTS.length).optional(),
  /** Logged by these members. */
  userIds: z.array(z.uuid()).max(100).optional(),
};
export const interactionFiltersInput = z.strictObject(interactionFilterFields);
export type InteractionFilters = z.infer<typeof interactionFiltersInput>;

export const listAllInteractionsInput = z
  .strictObject({
    ...interactionFilterFields,
    cursor: z.string().max(300).nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ limit: 50 });

function localDay(day: string, plusDays = 0): RawBuilder<Date> {
  return sql<Date>`((${day}::date + ${plusDays}::int)::timestamp at time zone ${LOCAL_ZONE})`;
}

/** Every filter of the interactions list, and record access through the customer. */
export function interactionConditions(tenantId: string, access: RecordAccess, filters: InteractionFilters) {
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

export async function listAllInteractions(
  trx: Transaction<Database>,
  tenantId: string,
  access: RecordAccess,
  input: z.infer<typeof listAllInteractionsInput>,
) {
  let query = selectFilteredInteractions(trx, tenantId, access, input)
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
  if (input.cursor) {
    const { timestamp, id } = decodeTimestampCursor(input.cursor);
    query = query.where(
      sql<boolean>`(interactions.occurred_at, interactions.id) < (${timestamp}::text::timestamptz, ${id}::uuid)`,
    );
  }
  const rows = await query
    .orderBy('interactions.occurred_at', 'desc')
    .orderBy('interactions.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      customerName: row.customer_name,
      contactId: row.contact_id,
      contactName: row.contact_name,
      kind: row.kind,
      occurredAt: row.occurred_at.toISOString(),
      userId: row.user_id,
      userName: row.user_name,
      summary: row.summary,
      outcome: row.outcome,
      nextStep: row.next_step,
      nextStepDue: row.next_step_due,
      sentiment: row.sentiment,
    })),
    nextCursor: rows.length > input.limit && last ? encodeTimestampCursor(last.sort_key, last.id) : null,
  };
}
