import { WECOM_EVENTS } from '@crm/domain';
import { z } from 'zod';

const wecomEvent = z.enum(WECOM_EVENTS);

/** The group robot's webhook: only WeCom's own host, over HTTPS, with its key. */
export const WECOM_ROBOT_URL =
  /^https:\/\/qyapi\.weixin\.qq\.com\/cgi-bin\/webhook\/send\?key=[A-Za-z0-9-]{8,80}$/;

export const wecomSettingsOutput = z.object({
  connected: z.boolean(),
  /** `…` and the robot key's last four characters (the URL itself is a secret). */
  robotUrlHint: z.string().nullable(),
  enabled: z.boolean(),
  events: z.array(wecomEvent),
  updatedAt: z.string().nullable(),
});
export type WecomSettingsOutput = z.infer<typeof wecomSettingsOutput>;

export const saveWecomSettingsInput = z.strictObject({
  /** A new robot URL; null disconnects; absent keeps the one saved. */
  robotUrl: z.string().trim().regex(WECOM_ROBOT_URL, { error: 'WECOM_ROBOT_URL_INVALID' }).nullish(),
  enabled: z.boolean(),
  events: z.array(wecomEvent).max(WECOM_EVENTS.length),
});
export type SaveWecomSettingsInput = z.infer<typeof saveWecomSettingsInput>;

export const wecomBindingOutput = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  wecomUserId: z.string().nullable(),
});
export type WecomBindingOutput = z.infer<typeof wecomBindingOutput>;

export const saveWecomBindingInput = z.strictObject({
  userId: z.uuid(),
  /** The member's WeCom user id (成员账号), mentioned in the robot's messages; null unbinds. */
  wecomUserId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_@.-]{1,64}$/)
    .nullable(),
});

export const wecomMessageOutput = z.object({
  id: z.uuid(),
  event: z.string(),
  markdown: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type WecomMessageOutput = z.infer<typeof wecomMessageOutput>;
