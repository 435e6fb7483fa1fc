import type { BirthdayCalendar, Contact } from '@crm/db';
import { sql } from 'kysely';
import { visibleCustomer } from '../customers/access';
import type { Scope } from '../scope';

/**
 * Every query of contacts. Functions take the scope first and return rows; what a missing
 * or hidden contact means is the service's to say. A contact is seen through its customer:
 * reads and changes join `customers` and apply the scope's record access.
 */

export type ContactValues = {
  name?: string;
  title?: string | null;
  phones?: string[];
  emails?: string[];
  birthday?: string | null;
  birthday_calendar?: BirthdayCalendar;
  anniversary_on?: string | null;
  is_primary?: boolean;
  note?: string | null;
};

/** A visible customer's contacts, the primary one first. */
export function selectContacts(scope: Scope, customerId: string): Promise<Contact[]> {
  return scope.trx
    .selectFrom('contacts')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'contacts.tenant_id')
        .onRef('customers.id', '=', 'contacts.customer_id'),
    )
    .selectAll('contacts')
    .where('contacts.tenant_id', '=', scope.tenantId)
    .where('contacts.customer_id', '=', customerId)
    .where(visibleCustomer(scope.access))
    .orderBy('contacts.is_primary', 'desc')
    .orderBy('contacts.created_at')
    .execute();
}

/** A contact of a customer the scope sees, with whether that customer is archived; undefined otherwise. */
export function selectVisibleContact(scope: Scope, id: string) {
  return scope.trx
    .selectFrom('contacts')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'contacts.tenant_id')
        .onRef('customers.id', '=', 'contacts.customer_id'),
    )
    .select(['contacts.id', 'contacts.customer_id', 'customers.archived_at'])
    .where('contacts.tenant_id', '=', scope.tenantId)
    .where('contacts.id', '=', id)
    .where(visibleCustomer(scope.access))
    .executeTakeFirst();
}

/** Whether a contact belongs to this customer. */
export async function contactOfCustomerExists(
  scope: Scope,
  customerId: string,
  id: string,
): Promise<boolean> {
  const row = await scope.trx
    .selectFrom('contacts')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('customer_id', '=', customerId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

/** Makes none of the customer's contacts primary. */
export async function clearPrimaryContact(scope: Scope, customerId: string): Promise<void> {
  await scope.trx
    .updateTable('contacts')
    .set({ is_primary: false })
    .where('tenant_id', '=', scope.tenantId)
    .where('customer_id', '=', customerId)
    .where('is_primary', '=', true)
    .execute();
}

export function insertContact(
  scope: Scope,
  customerId: string,
  values: ContactValues & { name: string },
): Promise<{ id: string }> {
  return scope.trx
    .insertInto('contacts')
    .values({ ...values, tenant_id: scope.tenantId, customer_id: customerId })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateContactRow(scope: Scope, id: string, values: ContactValues): Promise<void> {
  await scope.trx
    .updateTable('contacts')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
}

export async function deleteContactRow(scope: Scope, id: string): Promise<void> {
  await scope.trx
    .deleteFrom('contacts')
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .execute();
}
