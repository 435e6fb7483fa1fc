import { z } from 'zod';

export const AUTH_EVENTS = [
  'sign_up',
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'password_changed',
  'api_key_created',
  'api_key_used',
  'api_key_revoked',
  'invitation_accepted',
] as const;
/** What happened (the `event` column of `auth_events` and `account_auth_events`). */
export type AuthEventName = (typeof AUTH_EVENTS)[number];

/** How many of the newest to list (default 100). */
export const listAuthEventsInput = z
  .strictObject({ limit: z.number().int().min(1).max(500).optional() })
  .optional();

export const authEventOutput = z.object({
  id: z.uuid(),
  occurredAt: z.string(),
  event: z.enum(AUTH_EVENTS),
  /** The member (or, for a failed sign-in, the account tried); null when none. */
  userId: z.uuid().nullable(),
  apiKeyId: z.uuid().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuthEventOutput = z.infer<typeof authEventOutput>;
