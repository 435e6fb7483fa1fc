import { PERMISSIONS, setActiveTenant } from '@crm/auth';
import { ROLES } from '@crm/db';
import { z } from 'zod';
import { industryInput, industryOutput, tenantNameInput } from '../auth/auth.schemas';
import { insertTenantWithOwner } from '../auth/auth.service';
import { appError } from '../errors';
import { authenticatedProcedure, permittedProcedure, router, tenantProcedure } from '../trpc';
import { getTenant, isMember, listTenantsOfUser, renameTenant } from './tenants.repository';

const membershipOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  industry: industryOutput,
  role: z.enum(ROLES),
  active: z.boolean(),
});

const currentTenantOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  industry: industryOutput,
  role: z.enum(ROLES),
  permissions: z.array(z.enum(PERMISSIONS)),
});

export const tenantsRouter = router({
  /** The tenants the signed-in user belongs to (for the tenant switcher). */
  list: authenticatedProcedure.output(z.array(membershipOutput)).query(({ ctx }) =>
    ctx.database.withScope({ userId: ctx.auth.user.id }, async (trx) => {
      const rows = await listTenantsOfUser(trx, ctx.auth.user.id);
      return rows.map((row) => ({ ...row, active: row.id === ctx.auth.session.active_tenant_id }));
    }),
  ),

  switch: authenticatedProcedure
    .input(z.strictObject({ tenantId: z.uuid() }))
    .output(z.object({ activeTenantId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      ctx.database.withScope({ userId: ctx.auth.user.id }, async (trx) => {
        if (!(await isMember(trx, input.tenantId, ctx.auth.user.id))) throw appError('NOT_A_MEMBER');
        await setActiveTenant(trx, ctx.auth.session.id, input.tenantId);
        return { activeTenantId: input.tenantId };
      }),
    ),

  /** A signed-in user starts another tenant and becomes its owner. */
  create: authenticatedProcedure
    .input(z.strictObject({ name: tenantNameInput, industry: industryInput }))
    .output(z.object({ id: z.uuid(), name: z.string(), industry: industryOutput }))
    .mutation(({ ctx, input }) => {
      const tenantId = crypto.randomUUID();
      return ctx.database.withTenant(
        tenantId,
        async (trx) => {
          const tenant = await insertTenantWithOwner(
            trx,
            { id: tenantId, ...input },
            ctx.auth.user.id,
            ctx.plugins,
          );
          await setActiveTenant(trx, ctx.auth.session.id, tenantId);
          return { id: tenant.id, name: tenant.name, industry: tenant.industry };
        },
        ctx.auth.user.id,
      );
    }),

  current: tenantProcedure.output(currentTenantOutput).query(async ({ ctx }) => {
    const tenant = await getTenant(ctx.trx, ctx.tenantId);
    return { ...tenant, role: ctx.role, permissions: [...ctx.permissions] };
  }),

  update: permittedProcedure('tenant.update')
    .input(z.strictObject({ name: tenantNameInput }))
    .output(z.object({ id: z.uuid(), name: z.string() }))
    .mutation(({ ctx, input }) => renameTenant(ctx.trx, ctx.tenantId, input.name)),
});
