import { EMAIL_STATUSES, EMAIL_TRANSPORTS } from '@crm/domain';
import { z } from 'zod';

const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !/[\r\n]/.test(value), 'A header value is one line');

/**
 * One email a capability puts in the outbox (`enqueueEmail`). `kind` says what it is about
 * (a notification kind, or the capability's own word) for the mailbox page; `dedupKey`
 * makes a second enqueue of the same email a no-op, per tenant.
 */
export const emailDraft = z.strictObject({
  to: z.email().max(320),
  subject: oneLine(300),
  text: z.string().max(200_000),
  html: z.string().max(400_000).nullish(),
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/),
  userId: z.uuid().nullish(),
  dedupKey: z.string().min(1).max(300).nullish(),
});
export type EmailDraft = z.input<typeof emailDraft>;

export const listOutboxInput = z.strictObject({
  status: z.enum(EMAIL_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type ListOutboxInput = z.infer<typeof listOutboxInput>;

export const outboxEmailOutput = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  kind: z.string(),
  status: z.enum(EMAIL_STATUSES),
  transport: z.enum(EMAIL_TRANSPORTS).nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
});
export type OutboxEmailOutput = z.infer<typeof outboxEmailOutput>;

export const outboxPageOutput = z.object({
  /** Where emails go now: an SMTP server, or the dev mailbox (nothing leaves the server). */
  transport: z.enum(EMAIL_TRANSPORTS),
  items: outboxEmailOutput.array(),
  nextCursor: z.string().nullable(),
});
export type OutboxPageOutput = z.infer<typeof outboxPageOutput>;

export const retryEmailInput = z.strictObject({ id: z.uuid() });
export const retryEmailOutput = z.object({ queued: z.literal(true) });
