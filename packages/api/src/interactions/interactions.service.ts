import { assertContactOfCustomer } from '../contacts/contacts.service';
import { getCustomerOrThrow } from '../customers/customers.repository';
import { refreshCustomerFacts } from '../customers/facts.repository';
import { appError } from '../errors';
import { decodeTimestampCursor, encodeTimestampCursor } from '../keyset';
import type { MemberScope, Scope } from '../scope';
import { createInteractionFollowUps } from '../tasks/task-backbone.service';
import {
  countInteractions,
  insertInteraction,
  selectInteraction,
  selectInteractionListPage,
  selectInteractions,
} from './interactions.repository';
import type {
  InteractionFilters,
  InteractionListPageOutput,
  InteractionOutput,
  ListAllInteractionsInput,
  LogInteractionInput,
} from './interactions.schemas';

/**
 * Touches with customers: calls, visits, messages.
 * The customer is read (and its derived facts refreshed) through customers' repositories,
 * not customers.service: that service calls this one for the 360 page, and the other way
 * round would be an import cycle.
 */

/** Logs a touch from the customer page, by the acting member: kind and summary are all it needs. */
export async function logInteraction(
  scope: MemberScope,
  input: LogInteractionInput,
): Promise<{ id: string }> {
  const customer = await getCustomerOrThrow(scope, input.customerId);
  if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
  if (input.contactId) await assertContactOfCustomer(scope, input.customerId, input.contactId, 'contactId');
  const created = await insertInteraction(scope, {
    customerId: input.customerId,
    contactId: input.contactId ?? null,
    kind: input.kind,
    occurredAt: input.occurredAt ?? new Date(),
    userId: scope.userId,
    summary: input.summary,
    outcome: input.outcome ?? null,
    nextStep: input.nextStep ?? null,
    nextStepDue: input.nextStepDue ?? null,
    sentiment: input.sentiment ?? 'neutral',
  });
  // A 下一步 with a 截止日期 becomes a follow-up task of the author.
  if (input.nextStepDue) await createInteractionFollowUps(scope, { interactionIds: [created.id] });
  // Touches in the activity window decide the activity level (a system tag).
  await refreshCustomerFacts(scope, [input.customerId], 'interaction');
  return created;
}

/** A visible customer's interactions, newest first. */
export async function listInteractions(
  scope: Scope,
  customerId: string,
  limit: number,
): Promise<InteractionOutput[]> {
  const rows = await selectInteractions(scope, customerId, limit);
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

/** 共 N 条 of the tenant-wide interactions list with these filters. */
export function countInteractionList(scope: Scope, filters: InteractionFilters) {
  return countInteractions(scope, filters);
}

/** Every visible customer's interactions, filtered, newest first, by keyset pages. */
export async function listAllInteractions(
  scope: Scope,
  input: ListAllInteractionsInput,
): Promise<InteractionListPageOutput> {
  const after = input.cursor ? decodeTimestampCursor(input.cursor) : null;
  const rows = await selectInteractionListPage(scope, input, after, input.limit + 1);
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

/** One interaction of a visible customer (a complaint made into a ticket); INTERACTION_NOT_FOUND otherwise. */
export async function getInteraction(scope: Scope, id: string) {
  const row = await selectInteraction(scope, id);
  if (!row) throw appError('INTERACTION_NOT_FOUND', {}, 'interactionId');
  return {
    id: row.id,
    customerId: row.customer_id,
    contactId: row.contact_id,
    kind: row.kind,
    occurredAt: row.occurred_at,
    summary: row.summary,
    outcome: row.outcome,
    sentiment: row.sentiment,
  };
}
