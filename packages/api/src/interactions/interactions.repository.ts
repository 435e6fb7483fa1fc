import type { Database, InteractionKind, Sentiment, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { type RecordAccess, visibleCustomer } from '../customers/access';

type TenantScope = { trx: Transaction<Database>; tenantId: string; access: RecordAccess };

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

export function insertInteraction(
  trx: Transaction<Database>,
  tenantId: string,
  values: NewInteractionValues,
) {
  return trx
    .insertInto('interactions')
    .values({
      tenant_id: tenantId,
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
export async function listInteractions(
  { trx, tenantId, access }: TenantScope,
  customerId: string,
  limit: number,
) {
  const rows = await trx
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
    .where('interactions.tenant_id', '=', tenantId)
    .where('interactions.customer_id', '=', customerId)
    .where(visibleCustomer(access))
    .orderBy('interactions.occurred_at', 'desc')
    .orderBy(sql`interactions.id`, 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customer_id,
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
  }));
}
