import { hasPermission } from '@crm/auth';
import type { Database, SavedView, Transaction } from '@crm/db';
import { userText } from '@crm/domain';
import { CUSTOM_KEY_PATTERN } from '@crm/plugin-sdk';
import { sql } from 'kysely';
import { z } from 'zod';
import { type CustomerQuery, customerQueryInput } from '../customers/customers.schemas';
import { appError } from '../errors';
import { violatedConstraint } from '../keyset';
import { assertTagsExist } from '../tags/tags.repository';
import { permittedProcedure, router } from '../trpc';

/** The columns a customer list can show; `custom:<key>` adds a custom field. */
export const LIST_COLUMNS = [
  'kind',
  'phone',
  'email',
  'owner',
  'stage',
  'amount12m',
  'amountLifetime',
  'orderCount',
  'lastDealAt',
  'tags',
  'valueLevel',
  'activityLevel',
  'needType',
  'completeness',
  'industry',
  'createdAt',
  'updatedAt',
] as const;

const columnInput = z.union([z.enum(LIST_COLUMNS), z.string().regex(CUSTOM_KEY_PATTERN)]);

const viewOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  shared: z.boolean(),
  mine: z.boolean(),
  ownerName: z.string().nullable(),
  query: customerQueryInput,
  columns: z.array(z.string()),
});

const viewFields = {
  name: userText({ required: true, max: 50 }),
  shared: z.boolean().default(false),
  query: customerQueryInput,
  columns: z.array(columnInput).max(60).default([]),
};

function toOutput(row: SavedView & { owner_name: string | null }, userId: string) {
  return {
    id: row.id,
    name: row.name,
    shared: row.shared,
    mine: row.owner_user_id === userId,
    ownerName: row.owner_name,
    // Stored queries were validated on write; parsing again fills defaults added since.
    query: customerQueryInput.parse(row.query),
    columns: row.columns,
  };
}

async function uniqueName<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (violatedConstraint(error, '23505')) throw appError('VIEW_NAME_TAKEN', {}, 'name');
    throw error;
  }
}

function selectViews(trx: Transaction<Database>, tenantId: string) {
  return trx
    .selectFrom('saved_views')
    .leftJoin('users', 'users.id', 'saved_views.owner_user_id')
    .selectAll('saved_views')
    .select('users.name as owner_name')
    .where('saved_views.tenant_id', '=', tenantId);
}

/** A view names only this tenant's tags and members: anything else is refused, not stored. */
async function checkQueryIds(trx: Transaction<Database>, tenantId: string, query: CustomerQuery) {
  await assertTagsExist(trx, tenantId, query.tagIds ?? [], 'query');
  const owners = [...new Set(query.ownerUserIds ?? [])];
  if (owners.length === 0) return;
  const found = await trx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', owners)
    .executeTakeFirstOrThrow();
  if (Number(found.n) !== owners.length) throw appError('OWNER_NOT_MEMBER', {}, 'query');
}

/** A view the member may change: their own, or a shared one when they may share views. */
async function changeableView(
  ctx: {
    trx: Transaction<Database>;
    tenantId: string;
    role: Parameters<typeof hasPermission>[0];
    auth: { user: { id: string } };
  },
  id: string,
) {
  const row = await selectViews(ctx.trx, ctx.tenantId).where('saved_views.id', '=', id).executeTakeFirst();
  const mine = row?.owner_user_id === ctx.auth.user.id;
  if (!row || (!mine && !row.shared)) throw appError('VIEW_NOT_FOUND');
  if (!mine && !hasPermission(ctx.role, 'views.share')) throw appError('FORBIDDEN');
  return row;
}

/** Saved customer list views: each member's own, and views shared with the whole tenant. */
export const viewsRouter = router({
  list: permittedProcedure('customers.read')
    .output(z.array(viewOutput))
    .query(async ({ ctx }) => {
      const rows = await selectViews(ctx.trx, ctx.tenantId)
        .where((eb) =>
          eb.or([
            eb('saved_views.owner_user_id', '=', ctx.auth.user.id),
            eb('saved_views.shared', '=', true),
          ]),
        )
        .orderBy('saved_views.shared')
        .orderBy('saved_views.name')
        .execute();
      return rows.map((row) => toOutput(row, ctx.auth.user.id));
    }),

  create: permittedProcedure('customers.read', { idempotent: true })
    .input(z.strictObject(viewFields))
    .output(viewOutput)
    .mutation(async ({ ctx, input }) => {
      if (input.shared && !hasPermission(ctx.role, 'views.share')) throw appError('FORBIDDEN');
      await checkQueryIds(ctx.trx, ctx.tenantId, input.query);
      const row = await uniqueName(
        ctx.trx
          .insertInto('saved_views')
          .values({
            tenant_id: ctx.tenantId,
            owner_user_id: ctx.auth.user.id,
            name: input.name,
            shared: input.shared,
            query: JSON.stringify(input.query),
            columns: input.columns,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      const created = await selectViews(ctx.trx, ctx.tenantId)
        .where('saved_views.id', '=', row.id)
        .executeTakeFirstOrThrow();
      return toOutput(created, ctx.auth.user.id);
    }),

  update: permittedProcedure('customers.read')
    .input(
      z.strictObject({
        id: z.uuid(),
        name: viewFields.name.optional(),
        shared: z.boolean().optional(),
        query: customerQueryInput.optional(),
        columns: z.array(columnInput).max(60).optional(),
      }),
    )
    .output(viewOutput)
    .mutation(async ({ ctx, input }) => {
      const current = await changeableView(ctx, input.id);
      const sharing = input.shared ?? current.shared;
      if (sharing !== current.shared && !hasPermission(ctx.role, 'views.share')) throw appError('FORBIDDEN');
      if (input.query) await checkQueryIds(ctx.trx, ctx.tenantId, input.query);
      await uniqueName(
        ctx.trx
          .updateTable('saved_views')
          .set({
            name: input.name ?? current.name,
            shared: sharing,
            query: input.query ? JSON.stringify(input.query) : JSON.stringify(current.query),
            columns: input.columns ?? current.columns,
            updated_at: sql<Date>`now()`,
          })
          .where('tenant_id', '=', ctx.tenantId)
          .where('id', '=', input.id)
          .execute(),
      );
      const updated = await selectViews(ctx.trx, ctx.tenantId)
        .where('saved_views.id', '=', input.id)
        .executeTakeFirstOrThrow();
      return toOutput(updated, ctx.auth.user.id);
    }),

  delete: permittedProcedure('customers.read')
    .input(z.strictObject({ id: z.uuid() }))
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await changeableView(ctx, input.id);
      await ctx.trx
        .deleteFrom('saved_views')
        .where('tenant_id', '=', ctx.tenantId)
        .where('id', '=', input.id)
        .execute();
      return { id: input.id };
    }),
});
