import { z } from 'zod';
import { authenticatedProcedure, permittedProcedure, router, tenantProcedure } from '../trpc';
import {
  createdTenantOutput,
  createTenantInput,
  currentTenantOutput,
  membershipOutput,
  switchTenantInput,
  switchTenantOutput,
  updatedTenantOutput,
  updateTenantInput,
} from './tenants.schemas';
import {
  createTenant,
  currentTenant,
  listTenantsOfUser,
  renameTenant,
  switchTenant,
} from './tenants.service';

/**
 * Tenants. The active tenant's procedures call their use case with `ctx.scope`; listing,
 * switching and creating tenants run before a tenant is chosen, so theirs take the request's
 * context.
 */
export const tenantsRouter = router({
  /** The tenants the signed-in user belongs to (for the tenant switcher). */
  list: authenticatedProcedure.output(z.array(membershipOutput)).query(({ ctx }) => listTenantsOfUser(ctx)),

  switch: authenticatedProcedure
    .input(switchTenantInput)
    .output(switchTenantOutput)
    .mutation(({ ctx, input }) => switchTenant(ctx, input.tenantId)),

  /** A signed-in user starts another tenant and becomes its owner. */
  create: authenticatedProcedure
    .input(createTenantInput)
    .output(createdTenantOutput)
    .mutation(({ ctx, input }) => createTenant(ctx, input)),

  current: tenantProcedure.output(currentTenantOutput).query(({ ctx }) => currentTenant(ctx.scope)),

  update: permittedProcedure('tenant.update')
    .input(updateTenantInput)
    .output(updatedTenantOutput)
    .mutation(({ ctx, input }) => renameTenant(ctx.scope, input.name)),
});
