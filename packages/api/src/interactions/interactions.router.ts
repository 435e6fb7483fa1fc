import { INTERACTION_KINDS, SENTIMENTS } from '@crm/db';
import { sql } from 'kysely';
import { z } from 'zod';
import { visibleCustomer } from '../customers/access';
import { getCustomerOrThrow } from '../customers/customers.repository';
import { dateInput } from '../customers/customers.schemas';
import { appError } from '../errors';
import { permittedProcedure, router } from '../trpc';

const interactionOutput = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  contactId: z.uuid().nullable(),
  contactName: z.string().nullable(),
  kind: z.enum(INTERACTION_KINDS),
  occurredAt: z.string(),
  userId: z.uuid().nullable(),
  userName: z.string().nullable(),
  summary: z.string(),
  outcome: z.string().nullable(),
  nextStep: z.string().nullable(),
  nextStepDue: z.string().nullable(),
  sentiment: z.enum(SENTIMENTS),
});

const logInteractionInput = z.strictObject({
  customerId: z.uuid(),
  contactId: z.uuid().nullish(),
  kind: z.enum(INTERACTION_KINDS),
  /** Defaults to now: logging a call right after it is the common case. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  summary: z.string().trim().min(1).max(4000),
  outcome: z.string().trim().max(2000).nullish(),
  nextStep: z.string().trim().max(1000).nullish(),
  nextStepDue: dateInput.nullish(),
  sentiment: z.enum(SENTIMENTS).optional(),
});

export const interactionsRouter = router({
  /** Logs a touch from the customer page: kind and summary are all it needs. */
  log: permittedProcedure('interactions.write')
    .input(logInteractionInput)
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const customer = await getCustomerOrThrow(ctx.trx, ctx.tenantId, ctx.access, input.customerId);
      if (customer.archivedAt) throw appError('CUSTOMER_ARCHIVED');
      if (input.contactId) {
        const contact = await ctx.trx
          .selectFrom('contacts')
          .select('id')
          .where('tenant_id', '=', ctx.tenantId)
          .where('customer_id', '=', input.customerId)
          .where('id', '=', input.contactId)
          .executeTakeFirst();
        if (!contact) throw appError('CONTACT_NOT_FOUND', {}, 'contactId');
      }
      return ctx.trx
        .insertInto('interactions')
        .values({
          tenant_id: ctx.tenantId,
          customer_id: input.customerId,
          contact_id: input.contactId ?? null,
          kind: input.kind,
          occurred_at: input.occurredAt ?? new Date(),
          user_id: ctx.auth.user.id,
          summary: input.summary,
          outcome: input.outcome ?? null,
          next_step: input.nextStep ?? null,
          next_step_due: input.nextStepDue ?? null,
          sentiment: input.sentiment ?? 'neutral',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    }),

  list: permittedProcedure('customers.read')
    .input(z.strictObject({ customerId: z.uuid(), limit: z.number().int().min(1).max(200).default(50) }))
    .output(z.array(interactionOutput))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.trx
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
        .where('interactions.tenant_id', '=', ctx.tenantId)
        .where('interactions.customer_id', '=', input.customerId)
        .where(visibleCustomer(ctx.access))
        .orderBy('interactions.occurred_at', 'desc')
        .orderBy(sql`interactions.id`, 'desc')
        .limit(input.limit)
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
    }),
});
