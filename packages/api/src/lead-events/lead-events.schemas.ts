import { z } from 'zod';

/** A lead's behaviour events (its timeline): inputs and outputs. */
export const LEAD_EVENT_KINDS = ['email_open', 'link_click', 'form_submit', 'reply'] as const;

export const listLeadEventsInput = z.strictObject({
  leadId: z.uuid(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(30),
});
export type ListLeadEventsInput = z.infer<typeof listLeadEventsInput>;

export const leadEventOutput = z.object({
  id: z.uuid(),
  kind: z.enum(LEAD_EVENT_KINDS),
  occurredAt: z.iso.datetime(),
  campaignId: z.uuid().nullable(),
  campaignName: z.string().nullable(),
  formId: z.uuid().nullable(),
  formName: z.string().nullable(),
  targetUrl: z.string().nullable(),
});

export const leadEventsPageOutput = z.object({
  items: z.array(leadEventOutput),
  nextCursor: z.string().nullable(),
});
export type LeadEventsPageOutput = z.infer<typeof leadEventsPageOutput>;
