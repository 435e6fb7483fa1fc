import { ROLES } from '@crm/db';
import { z } from 'zod';
import { emailInput, passwordInput, personNameInput, signedInOutput } from '../auth/auth.schemas';

const roleInput = z.enum(ROLES);
/** Every role but the owner's: there is one owner, who signed the tenant up. */
const invitableRole = z.enum(ROLES).exclude(['owner']);

export const memberOutput = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: roleInput,
  joinedAt: z.string(),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
});
export type MemberOutput = z.infer<typeof memberOutput>;

export const updateRoleInput = z.strictObject({ userId: z.uuid(), role: invitableRole });
export type UpdateRoleInput = z.infer<typeof updateRoleInput>;
export const updateRoleOutput = z.object({ userId: z.uuid(), role: roleInput });

export const memberIdInput = z.strictObject({ userId: z.uuid() });
export const memberIdOutput = z.object({ userId: z.uuid() });

export const signOutMemberOutput = z.object({ signedOut: z.number().int() });

export const invitationOutput = z.object({
  id: z.uuid(),
  email: z.string().nullable(),
  role: roleInput,
  invitedBy: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
});
export type InvitationOutput = z.infer<typeof invitationOutput>;

export const createInvitationInput = z.strictObject({ role: invitableRole, email: emailInput.optional() });
export type CreateInvitationInput = z.infer<typeof createInvitationInput>;
export const createdInvitationOutput = z.object({ id: z.uuid(), token: z.string(), expiresAt: z.string() });
export type CreatedInvitationOutput = z.infer<typeof createdInvitationOutput>;

export const invitationIdInput = z.strictObject({ id: z.uuid() });
export const invitationIdOutput = z.object({ id: z.uuid() });

/** The invitation link's token (`tenantId.invitationId.secret`). */
export const tokenInput = z.strictObject({ token: z.string().min(1).max(200) });

export const invitationPreviewOutput = z.object({
  tenantName: z.string(),
  role: roleInput,
  email: z.string().nullable(),
  inviterName: z.string().nullable(),
});
export type InvitationPreviewOutput = z.infer<typeof invitationPreviewOutput>;

export const joinedTenantOutput = z.object({ activeTenantId: z.uuid() });

export const acceptAsNewUserInput = tokenInput.extend({
  name: personNameInput,
  email: emailInput,
  password: passwordInput,
});
export type AcceptAsNewUserInput = z.infer<typeof acceptAsNewUserInput>;

/** The new user, signed in, with the tenant they joined as the active one. */
export const acceptAsNewUserOutput = signedInOutput;
