import { INDUSTRY_PROFILE_PATTERN } from '@crm/db';
import { userText } from '@crm/domain';
import { z } from 'zod';

export const emailInput = z
  .email()
  .max(254)
  .transform((value) => value.trim().toLowerCase());
/** Length and common-password rules are checked by the use case, with their own messages. */
export const passwordInput = z.string().min(1).max(1024);
export const tenantNameInput = userText({ required: true, max: 200 });
export const personNameInput = userText({ required: true, max: 100 });
/** An industry plugin's id; whether the server runs that plugin is checked when the tenant is created. */
export const industryInput = z.string().trim().min(1).max(40).regex(INDUSTRY_PROFILE_PATTERN);
export const industryOutput = z.string();

export const signUpInput = z.strictObject({
  tenantName: tenantNameInput,
  industry: industryInput,
  name: personNameInput,
  email: emailInput,
  password: passwordInput,
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.strictObject({ email: emailInput, password: passwordInput });
export type SignInInput = z.infer<typeof signInInput>;

export const changePasswordInput = z.strictObject({
  currentPassword: passwordInput,
  newPassword: passwordInput,
});

export const userOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  locale: z.enum(['zh-CN', 'en']),
});

export const tenantSummaryOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  industry: industryOutput,
});

export const signedInOutput = z.object({ user: userOutput, activeTenantId: z.uuid().nullable() });

export const sessionOutput = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastActiveAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});
export const okOutput = z.object({ ok: z.literal(true) });
export const signedOutOthersOutput = z.object({ signedOut: z.number().int() });
export const revokeSessionInput = z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/) });
export const signUpOutput = signedInOutput.extend({ tenant: tenantSummaryOutput });
