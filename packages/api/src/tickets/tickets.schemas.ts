import {
  dateInput,
  SLA_MODES,
  TICKET_CHANNELS,
  TICKET_EVENT_KINDS,
  TICKET_PRIORITIES,
  TICKET_SLA_STATES,
  TICKET_SOURCES,
  TICKET_STATUSES,
  TICKET_TYPES,
  userText,
} from '@crm/domain';
import { KEY_PATTERN } from '@crm/plugin-sdk';
import { z } from 'zod';

/** A ticket's SLA as lists and the detail show it, read at the time of the request. */
export const ticketSlaOutput = z.object({
  state: z.enum(TICKET_SLA_STATES),
  /** The clock running to its deadline: first response until answered, then resolution; null once resolved. */
  clock: z.enum(['first_response', 'resolution']).nullable(),
  /** Its deadline (ISO); null while paused or resolved. */
  dueAt: z.string().nullable(),
  /** Time left in the SLA's mode, ms (negative once breached); null when no clock runs. */
  remainingMs: z.number().nullable(),
  mode: z.enum(SLA_MODES),
  firstResponseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
  /** Where the targets came from: `default`, `plugin:<tier>/<priority>` or `tenant:<tier>/<priority>`. */
  policy: z.string(),
  firstResponseDueAt: z.string().nullable(),
  resolutionDueAt: z.string().nullable(),
  firstRespondedAt: z.string().nullable(),
  firstResponseBreached: z.boolean(),
  resolutionBreached: z.boolean(),
  pausedAt: z.string().nullable(),
});
export type TicketSlaOutput = z.infer<typeof ticketSlaOutput>;

/** A ticket (工单) as lists return it. */
export const ticketOutput = z.object({
  id: z.uuid(),
  number: z.number().int(),
  type: z.enum(TICKET_TYPES),
  category: z.string().nullable(),
  subject: z.string(),
  customerId: z.uuid(),
  customerName: z.string(),
  customerTier: z.string().nullable(),
  contactId: z.uuid().nullable(),
  contactName: z.string().nullable(),
  priority: z.enum(TICKET_PRIORITIES),
  channel: z.enum(TICKET_CHANNELS),
  status: z.enum(TICKET_STATUSES),
  assigneeUserId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  teamId: z.uuid().nullable(),
  source: z.enum(TICKET_SOURCES),
  interactionId: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  sla: ticketSlaOutput,
});
export type TicketOutput = z.infer<typeof ticketOutput>;

export const ticketEventOutput = z.object({
  id: z.uuid(),
  kind: z.enum(TICKET_EVENT_KINDS),
  authorUserId: z.uuid().nullable(),
  authorName: z.string().nullable(),
  body: z.string().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  createdAt: z.string(),
});
export type TicketEventOutput = z.infer<typeof ticketEventOutput>;

export const ticketAttachmentOutput = z.object({
  id: z.uuid(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});
export type TicketAttachmentOutput = z.infer<typeof ticketAttachmentOutput>;

/** The detail: the ticket, its description, timeline and attachments, and what the member may do. */
export const ticketDetailOutput = z.object({
  ticket: ticketOutput,
  description: z.string().nullable(),
  events: z.array(ticketEventOutput),
  attachments: z.array(ticketAttachmentOutput),
  /** The statuses the member may move it to now. */
  moves: z.array(z.enum(TICKET_STATUSES)),
  canWork: z.boolean(),
  canAssign: z.boolean(),
});
export type TicketDetailOutput = z.infer<typeof ticketDetailOutput>;

/** Which tickets a list shows. */
export const TICKET_VIEWS = ['open', 'mine', 'unassigned', 'breached', 'done', 'all'] as const;
export type TicketView = (typeof TICKET_VIEWS)[number];

export const ticketFilterFields = {
  view: z.enum(TICKET_VIEWS).default('open'),
  statuses: z.array(z.enum(TICKET_STATUSES)).max(TICKET_STATUSES.length).optional(),
  types: z.array(z.enum(TICKET_TYPES)).max(TICKET_TYPES.length).optional(),
  priorities: z.array(z.enum(TICKET_PRIORITIES)).max(TICKET_PRIORITIES.length).optional(),
  slaStates: z.array(z.enum(TICKET_SLA_STATES)).max(TICKET_SLA_STATES.length).optional(),
  category: z.string().regex(KEY_PATTERN).optional(),
  customerId: z.uuid().optional(),
  assigneeUserId: z.uuid().optional(),
  /** Words in the subject, or the ticket's number. */
  search: z.string().trim().max(100).optional(),
};
export const ticketFiltersInput = z.strictObject(ticketFilterFields);
export type TicketFilters = z.infer<typeof ticketFiltersInput>;

export const listTicketsInput = z
  .strictObject({
    ...ticketFilterFields,
    cursor: z.string().max(400).nullish(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .default({ view: 'open', limit: 50 });
export type ListTicketsInput = z.infer<typeof listTicketsInput>;

export const ticketPageOutput = z.object({
  items: z.array(ticketOutput),
  nextCursor: z.string().nullable(),
});
export type TicketPageOutput = z.infer<typeof ticketPageOutput>;

export const ticketIdInput = z.strictObject({ id: z.uuid() });

const subject = userText({ required: true, max: 200 });
const description = userText({ multiline: true, max: 10000 });
const categoryKey = z.string().regex(KEY_PATTERN);

export const createTicketInput = z.strictObject({
  customerId: z.uuid(),
  contactId: z.uuid().nullish(),
  type: z.enum(TICKET_TYPES).default('service_request'),
  category: categoryKey.nullish(),
  subject,
  description: description.nullish(),
  priority: z.enum(TICKET_PRIORITIES).default('normal'),
  channel: z.enum(TICKET_CHANNELS).default('web'),
  /** Defaults to nobody (the queue); someone else than oneself needs tickets.manage. */
  assigneeUserId: z.uuid().nullish(),
});
export type CreateTicketInput = z.infer<typeof createTicketInput>;

/** One click on a complaint interaction: its summary becomes the ticket. */
export const createFromInteractionInput = z.strictObject({
  interactionId: z.uuid(),
  category: categoryKey.nullish(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
});
export type CreateFromInteractionInput = z.infer<typeof createFromInteractionInput>;

export const updateTicketInput = z.strictObject({
  id: z.uuid(),
  subject: subject.optional(),
  type: z.enum(TICKET_TYPES).optional(),
  category: categoryKey.nullish(),
  /** A new priority takes the SLA targets of its policy, on the same clock. */
  priority: z.enum(TICKET_PRIORITIES).optional(),
  contactId: z.uuid().nullish(),
});
export type UpdateTicketInput = z.infer<typeof updateTicketInput>;

export const assignTicketInput = z.strictObject({
  id: z.uuid(),
  /** null: back to the queue. */
  assigneeUserId: z.uuid().nullable(),
});
export type AssignTicketInput = z.infer<typeof assignTicketInput>;

/** A reply to the customer, an internal note, or the customer's own reply (logged by an agent, or by email). */
export const TICKET_REPLY_KINDS = ['reply', 'note', 'customer_reply'] as const;
export const replyTicketInput = z.strictObject({
  id: z.uuid(),
  kind: z.enum(TICKET_REPLY_KINDS).default('reply'),
  body: userText({ required: true, multiline: true, max: 10000 }),
});
export type ReplyTicketInput = z.infer<typeof replyTicketInput>;

export const moveTicketInput = z.strictObject({
  id: z.uuid(),
  to: z.enum(TICKET_STATUSES),
  /** Why (shown on the timeline): what was done, what is awaited, why it is reopened. */
  comment: userText({ multiline: true, max: 2000 }).nullish(),
});
export type MoveTicketInput = z.infer<typeof moveTicketInput>;

export const ticketCountsOutput = z.object({
  mine: z.number().int(),
  unassigned: z.number().int(),
  atRisk: z.number().int(),
  breached: z.number().int(),
});
export type TicketCountsOutput = z.infer<typeof ticketCountsOutput>;

// Settings: categories and SLA policies.

export const ticketCategoryOutput = z.object({
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  /** From the industry plugin (hideable, not editable) or the tenant's own. */
  origin: z.enum(['plugin', 'tenant']),
  hidden: z.boolean(),
});
export type TicketCategoryOutput = z.infer<typeof ticketCategoryOutput>;

export const saveTicketCategoryInput = z.strictObject({
  key: categoryKey,
  labelZh: userText({ required: true, max: 60 }),
  labelEn: userText({ required: true, max: 60 }),
});
export type SaveTicketCategoryInput = z.infer<typeof saveTicketCategoryInput>;

export const hideTicketCategoryInput = z.strictObject({ key: categoryKey, hidden: z.boolean() });

const minutes = z
  .number()
  .int()
  .min(1)
  .max(365 * 24 * 60);

export const ticketSlaPolicyOutput = z.object({
  /** null for the plugin's (read-only) policies. */
  id: z.uuid().nullable(),
  origin: z.enum(['plugin', 'tenant', 'default']),
  priority: z.enum(TICKET_PRIORITIES).nullable(),
  tier: z.string().nullable(),
  firstResponseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
  mode: z.enum(SLA_MODES).nullable(),
});
export type TicketSlaPolicyOutput = z.infer<typeof ticketSlaPolicyOutput>;

export const ticketSettingsOutput = z.object({
  categories: z.array(ticketCategoryOutput),
  policies: z.array(ticketSlaPolicyOutput),
  /** The tiers of the tenant's plugin, for the policy form. */
  tiers: z.array(z.object({ key: z.string(), labelZh: z.string(), labelEn: z.string() })),
  warnAtPercent: z.number(),
  escalateAtPercent: z.number(),
  /** The work calendar's default mode, for policies without one. */
  defaultMode: z.enum(SLA_MODES),
});
export type TicketSettingsOutput = z.infer<typeof ticketSettingsOutput>;

export const saveTicketSlaPolicyInput = z
  .strictObject({
    /** Omitted: a new policy. */
    id: z.uuid().optional(),
    priority: z.enum(TICKET_PRIORITIES).nullable(),
    tier: z.string().regex(KEY_PATTERN).nullable(),
    firstResponseMinutes: minutes,
    resolutionMinutes: minutes,
    mode: z.enum(SLA_MODES).nullable(),
  })
  .refine((policy) => policy.firstResponseMinutes <= policy.resolutionMinutes, {
    path: ['firstResponseMinutes'],
    error: 'must be no longer than the resolution target',
  });
export type SaveTicketSlaPolicyInput = z.infer<typeof saveTicketSlaPolicyInput>;

export const deleteTicketSlaPolicyInput = z.strictObject({ id: z.uuid() });

// KPIs.

export const TICKET_KPI_DIMENSIONS = ['month', 'category', 'tier', 'agent', 'type', 'priority'] as const;
export type TicketKpiDimension = (typeof TICKET_KPI_DIMENSIONS)[number];

export const ticketKpisInput = z.strictObject({
  /** Tickets opened from this day (inclusive) to this day (exclusive), in the tenant's time zone. */
  from: dateInput,
  to: dateInput,
  by: z.enum(TICKET_KPI_DIMENSIONS).default('month'),
});
export type TicketKpisInput = z.infer<typeof ticketKpisInput>;

export const ticketKpiRow = z.object({
  /** The month ('2026-12'), category, tier or priority key, or the agent's id; null: none. */
  key: z.string().nullable(),
  /** The agent's name for `agent`. */
  label: z.string().nullable(),
  opened: z.number().int(),
  closed: z.number().int(),
  /** Of the opened, the share resolved or closed (0–1). */
  closureRate: z.number().nullable(),
  /** Mean time to the first reply, hours, in the SLA's time. */
  firstResponseHours: z.number().nullable(),
  /** Mean time to resolution, hours, in the SLA's time. */
  resolutionHours: z.number().nullable(),
  /** Of the answered, the share answered within target. */
  firstResponseMetRate: z.number().nullable(),
  /** Of the resolved, the share resolved within target. */
  resolutionMetRate: z.number().nullable(),
  breached: z.number().int(),
});
export type TicketKpiRow = z.infer<typeof ticketKpiRow>;

export const ticketKpisOutput = z.object({
  by: z.enum(TICKET_KPI_DIMENSIONS),
  rows: z.array(ticketKpiRow),
  total: ticketKpiRow,
});
export type TicketKpisOutput = z.infer<typeof ticketKpisOutput>;

/** What the inbound hook did with a message (邮件转工单). */
export const INBOUND_EMAIL_OUTCOMES = ['created', 'threaded', 'unmatched'] as const;

/** The tenant's inbound email address and what it received lately (设置 → 工单设置). */
export const inboundEmailSettingsOutput = z.object({
  /** Off until an admin creates the address. */
  enabled: z.boolean(),
  /** The URL a mail gateway posts each email to (its token names the tenant and the current key). */
  address: z.string().nullable(),
  rotatedAt: z.string().nullable(),
  rotatedByName: z.string().nullable(),
  messages: z.array(
    z.object({
      messageId: z.string(),
      outcome: z.enum(INBOUND_EMAIL_OUTCOMES).nullable(),
      fromAddress: z.string().nullable(),
      subject: z.string().nullable(),
      ticketId: z.uuid().nullable(),
      ticketNumber: z.number().int().nullable(),
      receivedAt: z.string(),
    }),
  ),
});
export type InboundEmailSettingsOutput = z.infer<typeof inboundEmailSettingsOutput>;

/** A new address and secret: the secret is shown once, here. */
export const inboundEmailRotatedOutput = inboundEmailSettingsOutput.extend({ secret: z.string() });
export type InboundEmailRotatedOutput = z.infer<typeof inboundEmailRotatedOutput>;
