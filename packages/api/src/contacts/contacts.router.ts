import type { Database, Transaction } from '@crm/db';
import { normalizeChinesePhone } from '@crm/domain';
import { sql } from 'kysely';
import { z } from 'zod';
import { type RecordAccess, visibleCustomer } from '../customers/access';
import { getCustomerOrThrow } from '../customers/customers.repository';
import { dateInput } from '../customers/customers.schemas';
import { appError } from '../errors';
import { permittedProcedure, router } from '../trpc';

const contactOutput = z.object({
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
  name: z.string().trim().min(1).max(100),
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

function normalizePhones(phones: string[] | undefined): string[] | undefined {
  return phones?.map((phone, index) => {
    const normalized = normalizeChinesePhone(phone);
    if (!normalized) throw appError('INVALID_PHONE', {}, `phones.${index}`);
    return normalized;
  });
}

export const contactsRouter = router({
  list: permittedProcedure('customers.read')
    .input(z.strictObject({ customerId: z.uuid() }))
    .output(z.array(contactOutput))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.trx
        .selectFrom('contacts')
        .innerJoin('customers', (join) =>
          join
            .onRef('customers.tenant_id', '=', 'contacts.tenant_id')
            .onRef('customers.id', '=', 'contacts.customer_id'),
        )
        .selectAll('contacts')
        .where('contacts.tenant_id', '=', ctx.tenantId)
        .where('contacts.customer_id', '=', input.customerId)
        .where(visibleCustomer(ctx.access))
        .orderBy('contacts.is_primary', 'desc')
        .orderBy('contacts.created_at')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        customerId: row.customer_id,
        name: row.name,
        title: row.title,
        phones: row.phones,
        emails: row.emails,
        birthday: row.birthday,
        isPrimary: row.is_primary,
        note: row.note,
      }));
    }),

  /** Adds a contact person to a customer (a company has many). */
  create: permittedProcedure('customers.update')
    .input(z.strictObject({ customerId: z.uuid(), ...contactFields }))
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const customer = await getCustomerOrThrow(ctx.trx, ctx.tenantId, ctx.access, input.customerId);
      if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
      if (input.isPrimary) await clearPrimary(ctx.trx, ctx.tenantId, input.customerId);
      return ctx.trx
        .insertInto('contacts')
        .values({
          tenant_id: ctx.tenantId,
          customer_id: input.customerId,
          name: input.name,
          title: input.title ?? null,
          phones: normalizePhones(input.phones) ?? [],
          emails: input.emails ?? [],
          birthday: input.birthday ?? null,
          is_primary: input.isPrimary ?? false,
          note: input.note ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    }),

  update: permittedProcedure('customers.update')
    .input(z.strictObject({ id: z.uuid(), ...contactFields, name: contactFields.name.optional() }))
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const contact = await findVisibleContact(ctx, input.id);
      if (input.isPrimary) await clearPrimary(ctx.trx, ctx.tenantId, contact.customer_id);
      await ctx.trx
        .updateTable('contacts')
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.title !== undefined && { title: input.title }),
          ...(input.phones !== undefined && { phones: normalizePhones(input.phones) }),
          ...(input.emails !== undefined && { emails: input.emails }),
          ...(input.birthday !== undefined && { birthday: input.birthday }),
          ...(input.isPrimary !== undefined && { is_primary: input.isPrimary }),
          ...(input.note !== undefined && { note: input.note }),
          updated_at: sql<Date>`now()`,
        })
        .where('tenant_id', '=', ctx.tenantId)
        .where('id', '=', input.id)
        .execute();
      return { id: input.id };
    }),

  delete: permittedProcedure('customers.update')
    .input(z.strictObject({ id: z.uuid() }))
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await findVisibleContact(ctx, input.id);
      await ctx.trx
        .deleteFrom('contacts')
        .where('tenant_id', '=', ctx.tenantId)
        .where('id', '=', input.id)
        .execute();
      return { id: input.id };
    }),
});

async function findVisibleContact(
  ctx: { trx: Transaction<Database>; tenantId: string; access: RecordAccess },
  id: string,
) {
  const contact = await ctx.trx
    .selectFrom('contacts')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.tenant_id', '=', 'contacts.tenant_id')
        .onRef('customers.id', '=', 'contacts.customer_id'),
    )
    .select(['contacts.id', 'contacts.customer_id', 'customers.archived_at'])
    .where('contacts.tenant_id', '=', ctx.tenantId)
    .where('contacts.id', '=', id)
    .where(visibleCustomer(ctx.access))
    .executeTakeFirst();
  if (!contact) throw appError('CONTACT_NOT_FOUND');
  if (contact.archived_at) throw appError('CUSTOMER_ARCHIVED');
  return contact;
}

async function clearPrimary(trx: Transaction<Database>, tenantId: string, customerId: string) {
  await trx
    .updateTable('contacts')
    .set({ is_primary: false })
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('is_primary', '=', true)
    .execute();
}
