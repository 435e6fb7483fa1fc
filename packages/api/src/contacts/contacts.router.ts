import { z } from 'zod';
import { permittedProcedure, router } from '../trpc';
import {
  contactIdInput,
  contactIdOutput,
  contactOutput,
  createContactInput,
  listContactsInput,
  updateContactInput,
} from './contacts.schemas';
import { createContact, deleteContact, listContacts, updateContact } from './contacts.service';

export const contactsRouter = router({
  list: permittedProcedure('customers.read')
    .input(listContactsInput)
    .output(z.array(contactOutput))
    .query(({ ctx, input }) => listContacts(ctx.scope, input.customerId)),

  /** Adds a contact person to a customer (a company has many). */
  create: permittedProcedure('customers.update', { idempotent: true })
    .input(createContactInput)
    .output(contactIdOutput)
    .mutation(({ ctx, input }) => createContact(ctx.scope, input)),

  update: permittedProcedure('customers.update')
    .input(updateContactInput)
    .output(contactIdOutput)
    .mutation(({ ctx, input }) => updateContact(ctx.scope, input)),

  delete: permittedProcedure('customers.update')
    .input(contactIdInput)
    .output(contactIdOutput)
    .mutation(({ ctx, input }) => deleteContact(ctx.scope, input.id)),
});
