import { PERMISSIONS } from '@crm/auth';
import { ROLES } from '@crm/db';
import { z } from 'zod';
import { industryInput, industryOutput, tenantNameInput } from '../auth/auth.schemas';

/** A tenant the signed-in user belongs to, for the tenant switcher. */
export const membershipOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  industry: industryOutput,
  role: z.enum(ROLES),
  active: z.boolean(),
});
export type MembershipOutput = z.infer<typeof membershipOutput>;

export const switchTenantInput = z.strictObject({ tenantId: z.uuid() });
export const switchTenantOutput = z.object({ activeTenantId: z.uuid() });

export const createTenantInput = z.strictObject({ name: tenantNameInput, industry: industryInput });
export type CreateTenantInput = z.infer<typeof createTenantInput>;
export const createdTenantOutput = z.object({ id: z.uuid(), name: z.string(), industry: industryOutput });
export type CreatedTenantOutput = z.infer<typeof createdTenantOutput>;

/** The active tenant, with the member's role and what it permits. */
export const currentTenantOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  industry: industryOutput,
  role: z.enum(ROLES),
  permissions: z.array(z.enum(PERMISSIONS)),
  /** The tenant's time zone (its work calendar's): deadlines and times are shown in it. */
  timeZone: z.string(),
});
export type CurrentTenantOutput = z.infer<typeof currentTenantOutput>;

export const updateTenantInput = z.strictObject({ name: tenantNameInput });
export const updatedTenantOutput = z.object({ id: z.uuid(), name: z.string() });
