import { userText, WEBHOOK_EVENT_TYPES } from '@crm/domain';
import { z } from 'zod';

const eventType = z.enum(WEBHOOK_EVENT_TYPES);

export const webhookEndpointOutput = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  disabledReason: z.enum(['failures', 'gone', 'manual']).nullable(),
  disabledAt: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  /** Whether a previous secret still signs too (a rotation's overlap), and until when. */
  previousSecretExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  /** Deliveries of the last 24 hours. */
  stats: z.object({ succeeded: z.number().int(), failed: z.number().int(), pending: z.number().int() }),
});
export type WebhookEndpointOutput = z.infer<typeof webhookEndpointOutput>;

export const createWebhookInput = z.strictObject({
  url: z.string().trim().min(8).max(2000),
  description: userText({ max: 200 }).nullish(),
  events: z.array(eventType).min(1).max(100),
});
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

export const updateWebhookInput = z.strictObject({
  id: z.uuid(),
  url: z.string().trim().min(8).max(2000).optional(),
  description: userText({ max: 200 }).nullish(),
  events: z.array(eventType).min(1).max(100).optional(),
  /** Turn a disabled endpoint back on (its failure count starts over), or off by hand. */
  enabled: z.boolean().optional(),
});
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;

export const webhookIdInput = z.strictObject({ id: z.uuid() });

/** The endpoint and, this once, its signing secret. */
export const webhookWithSecretOutput = z.object({ endpoint: webhookEndpointOutput, secret: z.string() });
export type WebhookWithSecretOutput = z.infer<typeof webhookWithSecretOutput>;

export const listDeliveriesInput = z.strictObject({
  endpointId: z.uuid(),
  status: z.enum(['pending', 'succeeded', 'failed']).nullish(),
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type ListDeliveriesInput = z.infer<typeof listDeliveriesInput>;

export const deliveryAttemptOutput = z.object({
  attempt: z.number().int(),
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
});

export const deliveryOutput = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  eventType: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Every attempt, newest first (the delivery log). */
  log: z.array(deliveryAttemptOutput),
  payload: z.unknown(),
});
export type DeliveryOutput = z.infer<typeof deliveryOutput>;

export const deliveryPageOutput = z.object({
  items: z.array(deliveryOutput),
  nextCursor: z.string().nullable(),
});
export type DeliveryPageOutput = z.infer<typeof deliveryPageOutput>;

export const deliveryIdInput = z.strictObject({ id: z.uuid() });
