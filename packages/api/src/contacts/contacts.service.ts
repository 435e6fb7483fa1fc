import type { Contact } from '@crm/db';
import { normalizeChinesePhone } from '@crm/domain';
import { refreshCompleteness } from '../customers/completeness.repository';
import { getCustomerOrThrow } from '../customers/customers.repository';
import { appError } from '../errors';
import type { Scope } from '../scope';
import {
  type ContactValues,
  clearPrimaryContact,
  contactOfCustomerExists,
  deleteContactRow,
  insertContact,
  selectContacts,
  selectVisibleContact,
  updateContactRow,
} from './contacts.repository';
import type {
  ContactFieldsInput,
  ContactOutput,
  CreateContactInput,
  UpdateContactInput,
} from './contacts.schemas';

/**
 * The contact persons of customers (a company has many).
 * The customer is read (and its completeness refreshed) through customers' repositories,
 * not customers.service: that service calls this one for the 360 page, and the other way
 * round would be an import cycle.
 */

function toOutput(row: Contact): ContactOutput {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    title: row.title,
    phones: row.phones,
    emails: row.emails,
    birthday: row.birthday,
    birthdayCalendar: row.birthday_calendar,
    anniversaryOn: row.anniversary_on,
    isPrimary: row.is_primary,
    note: row.note,
  };
}

/** The columns an input sets; phones are normalised, and a bad one is named by its position. */
function toColumns(input: ContactFieldsInput): ContactValues {
  const columns: ContactValues = {};
  if (input.name !== undefined) columns.name = input.name;
  if (input.title !== undefined) columns.title = input.title;
  if (input.phones !== undefined) {
    columns.phones = input.phones.map((phone, index) => {
      const normalized = normalizeChinesePhone(phone);
      if (!normalized) throw appError('INVALID_PHONE', {}, `phones.${index}`);
      return normalized;
    });
  }
  if (input.emails !== undefined) columns.emails = input.emails;
  if (input.birthday !== undefined) columns.birthday = input.birthday;
  if (input.birthdayCalendar !== undefined) columns.birthday_calendar = input.birthdayCalendar;
  if (input.anniversaryOn !== undefined) columns.anniversary_on = input.anniversaryOn;
  if (input.isPrimary !== undefined) columns.is_primary = input.isPrimary;
  if (input.note !== undefined) columns.note = input.note;
  return columns;
}

/** A contact of a customer the caller may see and change; invisible answers like missing. */
async function changeableContact(scope: Scope, id: string) {
  const contact = await selectVisibleContact(scope, id);
  if (!contact) throw appError('CONTACT_NOT_FOUND');
  if (contact.archived_at) throw appError('CUSTOMER_ARCHIVED');
  return contact;
}

/** A visible customer's contacts, the primary one first. */
export async function listContacts(scope: Scope, customerId: string): Promise<ContactOutput[]> {
  const rows = await selectContacts(scope, customerId);
  return rows.map(toOutput);
}

/** Adds a contact person to a customer; one primary contact per customer, so a new primary demotes the others. */
export async function createContact(scope: Scope, input: CreateContactInput): Promise<{ id: string }> {
  const customer = await getCustomerOrThrow(scope, input.customerId);
  if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
  const { customerId, ...fields } = input;
  const values = { ...toColumns(fields), name: input.name };
  if (values.is_primary) await clearPrimaryContact(scope, customerId);
  const created = await insertContact(scope, customerId, values);
  // A company's first contact person is one of its key fields.
  await refreshCompleteness(scope, [customerId]);
  return created;
}

export async function updateContact(scope: Scope, input: UpdateContactInput): Promise<{ id: string }> {
  const contact = await changeableContact(scope, input.id);
  const { id, ...fields } = input;
  const values = toColumns(fields);
  if (values.is_primary) await clearPrimaryContact(scope, contact.customer_id);
  await updateContactRow(scope, contact.id, values);
  return { id };
}

export async function deleteContact(scope: Scope, id: string): Promise<{ id: string }> {
  const contact = await changeableContact(scope, id);
  await deleteContactRow(scope, id);
  await refreshCompleteness(scope, [contact.customer_id]);
  return { id };
}

/** Refuses a contact that is not one of this customer's (CONTACT_NOT_FOUND on `field`). */
export async function assertContactOfCustomer(
  scope: Scope,
  customerId: string,
  contactId: string,
  field: string,
): Promise<void> {
  if (!(await contactOfCustomerExists(scope, customerId, contactId))) {
    throw appError('CONTACT_NOT_FOUND', {}, field);
  }
}
