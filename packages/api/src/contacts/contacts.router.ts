import { normalizeChinesePhone, userText } from '@crm/domain';
import { z } from 'zod';
import { refreshCompleteness } from '../customers/completeness.repository';
import { getCustomerOrThrow } from '../customers/customers.repository';
import { dateInput } from '../customers/customers.schemas';
import { appError } from '../errors';
import { permittedProcedure, router } from '../trpc';
import {
  type ContactValues,
  deleteContact,
  findChangeableContact,
  insertContact,
  listContacts,
  updateContact,
} from './contacts.repository';

export const contactOutput = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  name: z.string(),
  title: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  birthday: z.string().nullable(),
  isPrimary: z.boolean(),
  note: z.string().nullable(),
});

const contactFields = {
  name: userText({ required: true, max: 100 }),
  title: z.string().trim().max(100).nullish(),
  phones: z.array(z.string().trim().min(1).max(40)).max(10).optional(),
  emails: z
    .array(
      z
        .email()
        .max(254)
        .transform((value) => value.toLowerCase()),
    )
    .max(10)
    .optional(),
  birthday: dateInput.nullish(),
  isPrimary: z.boolean().optional(),
  note: z.string().trim().max(2000).nullish(),
};

type ContactInput = { [K in keyof typeof contactFields]?: z.infer<(typeof contactFields)[K]> };

/** The columns an input sets; phones are normalised, and a bad one is named by its position. */
function toColumns(input: ContactInput): ContactValues {
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
  if (input.isPrimary !== undefined) columns.is_primary = input.isPrimary;
  if (input.note !== undefined) columns.note = input.note;
  return columns;
}

export const contactsRouter = router({
  list: permittedProcedure('customers.read')
    .input(z.strictObject({ customerId: z.uuid() }))
    .output(z.array(contactOutput))
    .query(({ ctx, input }) => listContacts(ctx, input.customerId)),

  /** Adds a contact person to a customer (a company has many). */
  create: permittedProcedure('customers.update', { idempotent: true })
    .input(z.strictObject({ customerId: z.uuid(), ...contactFields }))
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const customer = await getCustomerOrThrow(ctx.trx, ctx.tenantId, ctx.access, input.customerId);
      if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
      const { customerId, ...fields } = input;
      const created = await insertContact(ctx.trx, ctx.tenantId, customerId, {
        ...toColumns(fields),
        name: input.name,
      });
      // A company's first contact person is one of its key fields.
      await refreshCompleteness(ctx.trx, ctx.tenantId, [customerId]);
      return created;
    }),

  update: permittedProcedure('customers.update')
    .input(z.strictObject({ id: z.uuid(), ...contactFields, name: contactFields.name.optional() }))
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const contact = await findChangeableContact(ctx, input.id);
      const { id, ...fields } = input;
      await updateContact(ctx.trx, ctx.tenantId, contact, toColumns(fields));
      return { id };
    }),

  delete: permittedProcedure('customers.update')
    .input(z.strictObject({ id: z.uuid() }))
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const contact = await findChangeableContact(ctx, input.id);
      await deleteContact(ctx.trx, ctx.tenantId, input.id);
      await refreshCompleteness(ctx.trx, ctx.tenantId, [contact.customer_id]);
      return { id: input.id };
    }),
});
