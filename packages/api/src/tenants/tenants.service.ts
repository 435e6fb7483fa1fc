import { ROLE_PERMISSIONS, type ValidatedSession } from '@crm/auth';
import { insertTenantWithOwner } from '../auth/auth.service';
import { readCalendarSettings } from '../calendar/calendar.service';
import type { Context } from '../context';
import { appError } from '../errors';
import type { MemberScope } from '../scope';
import {
  membershipExists,
  renameTenantRow,
  selectTenant,
  selectTenantsOfUser,
  setSessionTenant,
} from './tenants.repository';
import type {
  CreatedTenantOutput,
  CreateTenantInput,
  CurrentTenantOutput,
  MembershipOutput,
} from './tenants.schemas';

/**
 * Tenants (企业) and the signed-in user's place in them. Listing, switching and creating
 * tenants happen before or outside a tenant, so those use cases take the request's context
 * (as the auth service does) and open the transaction they need; the active tenant's own use
 * cases take its scope.
 */

/** A request by a signed-in user, outside any tenant (an authenticated procedure's context). */
type SignedInContext = Context & { auth: ValidatedSession };

/** The tenants the signed-in user belongs to (for the tenant switcher). */
export function listTenantsOfUser(ctx: SignedInContext): Promise<MembershipOutput[]> {
  return ctx.database.withScope({ userId: ctx.auth.user.id }, async (trx) => {
    const rows = await selectTenantsOfUser(trx, ctx.auth.user.id);
    return rows.map((row) => ({ ...row, active: row.id === ctx.auth.session.active_tenant_id }));
  });
}

/** Makes another of the user's tenants the session's active one. */
export function switchTenant(ctx: SignedInContext, tenantId: string): Promise<{ activeTenantId: string }> {
  return ctx.database.withScope({ userId: ctx.auth.user.id }, async (trx) => {
    if (!(await membershipExists(trx, tenantId, ctx.auth.user.id))) throw appError('NOT_A_MEMBER');
    await setSessionTenant(trx, ctx.auth.session.id, tenantId);
    return { activeTenantId: tenantId };
  });
}

/** A signed-in user starts another tenant and becomes its owner; it becomes the active one. */
export function createTenant(ctx: SignedInContext, input: CreateTenantInput): Promise<CreatedTenantOutput> {
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
      await setSessionTenant(trx, ctx.auth.session.id, tenantId);
      return { id: tenant.id, name: tenant.name, industry: tenant.industry };
    },
    ctx.auth.user.id,
  );
}

/** The active tenant, with the member's role and the permissions it grants. */
export async function currentTenant(scope: MemberScope): Promise<CurrentTenantOutput> {
  const [tenant, calendar] = await Promise.all([selectTenant(scope), readCalendarSettings(scope)]);
  return {
    ...tenant,
    role: scope.role,
    permissions: [...ROLE_PERMISSIONS[scope.role]],
    timeZone: calendar.timeZone,
  };
}

export function renameTenant(scope: MemberScope, name: string): Promise<{ id: string; name: string }> {
  return renameTenantRow(scope, name);
}
