import { API_SCOPE_NAMES, type ApiScope } from '@crm/auth';
import { dateTimeInput, userText } from '@crm/domain';
import { z } from 'zod';
import { parseIpRule } from './api-keys.ip';

const apiScope = z.enum(API_SCOPE_NAMES as [ApiScope, ...ApiScope[]]);

export const apiKeyOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  /** `crmk_…` and the secret's last four characters: enough to tell keys apart, never to use one. */
  displayPrefix: z.string(),
  scopes: z.array(apiScope),
  ipAllowlist: z.array(z.string()),
  rateLimitPerMinute: z.number().int(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** active, expired or revoked. */
  status: z.enum(['active', 'expired', 'revoked']),
});
export type ApiKeyOutput = z.infer<typeof apiKeyOutput>;

export const createApiKeyInput = z.strictObject({
  name: userText({ required: true, max: 100 }),
  scopes: z.array(apiScope).min(1).max(64),
  /** Addresses or CIDR ranges (IPv4 or IPv6); empty: any address. */
  ipAllowlist: z
    .array(
      z
        .string()
        .max(60)
        .refine((rule) => parseIpRule(rule) !== null, { error: 'API_KEY_IP_INVALID' }),
    )
    .max(50)
    .default([]),
  rateLimitPerMinute: z.number().int().min(1).max(100000).default(600),
  /** ISO 8601; null or absent: the key does not expire. */
  expiresAt: dateTimeInput.nullish(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

/** The new key and, this once, its token. */
export const createdApiKeyOutput = z.object({ key: apiKeyOutput, token: z.string() });
export type CreatedApiKeyOutput = z.infer<typeof createdApiKeyOutput>;

export const apiKeyIdInput = z.strictObject({ id: z.uuid() });
