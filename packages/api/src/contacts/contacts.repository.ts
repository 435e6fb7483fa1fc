import type { Contact, Database, Transaction } from '@crm/db';
import { sql } from 'kysely';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { appError } from '../errors';

type TenantScope = { trx: Transaction<Database>; tenantId: string; access: RecordAccess };

export type ContactValues = {
  name?: string;
  title?: string | null;
  phones?: string[];
  emails?: string[];
  birthday?: string | null;
  is_primary?: boolean;
  note?: string | null;
};

function toOutput(row: Contact) {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    title: row.title,
    phones: row.phones,
    emails: row.emails,
    birthday: row.birthday,
    isPrimary: row.is_primary,
    note: row.note,
  };
}

/** A visible customer's contacts, the primary one first. */
export async function listContacts({ trx, tenantId, access }: TenantScope, customerId: string) {
  const rows = await trx
    .selectFrom('contacts')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'contacts.tenant_id')
        .onRef('customers.id', '=', 'contacts.customer_id'),
    )
    .selectAll('contacts')
    .where('contacts.tenant_id', '=', tenantId)
    .where('contacts.customer_id', '=', customerId)
    .where(visibleCustomer(access))
    .orderBy('contacts.is_primary', 'desc')
    .orderBy('contacts.created_at')
    .execute();
  return rows.map(toOutput);
}

/** A contact of a customer the caller may see and change; invisible answers like missing. */
export async function findChangeableContact({ trx, tenantId, access }: TenantScope, id: string) {
  const contact = await trx
    .selectFrom('contacts')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'contacts.tenant_id')
        .onRef('customers.id', '=', 'contacts.customer_id'),
    )
    .select(['contacts.id', 'contacts.customer_id', 'customers.archived_at'])
    .where('contacts.tenant_id', '=', tenantId)
    .where('contacts.id', '=', id)
    .where(visibleCustomer(access))
    .executeTakeFirst();
  if (!contact) throw appError('CONTACT_NOT_FOUND');
  if (contact.archived_at) throw appError('CUSTOMER_ARCHIVED');
  return contact;
}

/** Whether a contact belongs to this customer (for linking an interaction to it). */
export async function contactBelongsTo(
  trx: Transaction<Database>,
  tenantId: string,
  customerId: string,
  id: string,
) {
  const row = await trx
    .selectFrom('contacts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

/** One primary contact per customer: making one primary demotes the others. */
async function clearPrimary(trx: Transaction<Database>, tenantId: string, customerId: string) {
  await trx
    .updateTable('contacts')
    .set({ is_primary: false })
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('is_primary', '=', true)
    .execute();
}

export async function insertContact(
  trx: Transaction<Database>,
  tenantId: string,
  customerId: string,
  values: ContactValues & { name: string },
) {
  if (values.is_primary) await clearPrimary(trx, tenantId, customerId);
  return trx
    .insertInto('contacts')
    .values({ ...values, tenant_id: tenantId, customer_id: customerId })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateContact(
  trx: Transaction<Database>,
  tenantId: string,
  contact: { id: string; customer_id: string },
  values: ContactValues,
) {
  if (values.is_primary) await clearPrimary(trx, tenantId, contact.customer_id);
  await trx
    .updateTable('contacts')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', contact.id)
    .execute();
}

export async function deleteContact(trx: Transaction<Database>, tenantId: string, id: string) {
  await trx.deleteFrom('contacts').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
