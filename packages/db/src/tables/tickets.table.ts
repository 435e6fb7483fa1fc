import type {
  TicketChannel,
  TicketEventKind,
  TicketPriority,
  TicketSource,
  TicketStatus,
  TicketType,
} from '@crm/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';

export {
  TICKET_CHANNELS,
  TICKET_EVENT_KINDS,
  TICKET_PRIORITIES,
  TICKET_SLA_STATES,
  TICKET_SOURCES,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketChannel,
  type TicketEventKind,
  type TicketPriority,
  type TicketSlaState,
  type TicketSource,
  type TicketStatus,
  type TicketType,
} from '@crm/domain';

type Instant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A ticket (工单) and its SLA clock (migration 2026-12-09-0501-tickets says what each column holds). */
export type TicketsTable = {
  tenant_id: string;
  id: Generated<string>;
  number: number;
  type: TicketType;
  category: string | null;
  subject: string;
  description: string | null;
  customer_id: string;
  contact_id: string | null;
  priority: ColumnType<TicketPriority, TicketPriority | undefined, TicketPriority>;
  channel: ColumnType<TicketChannel, TicketChannel | undefined, TicketChannel>;
  status: ColumnType<TicketStatus, TicketStatus | undefined, TicketStatus>;
  assignee_user_id: string | null;
  team_id: string | null;
  interaction_id: string | null;
  source: ColumnType<TicketSource, TicketSource | undefined, TicketSource>;
  sla_mode: 'business' | 'calendar';
  sla_policy: string;
  first_response_minutes: number;
  resolution_minutes: number;
  sla_started_at: ColumnType<Date, Date | string, Date | string>;
  sla_pauses: ColumnType<{ from: string; to: string | null }[], string | undefined, string>;
  sla_paused_at: Instant;
  first_response_warn_at: Instant;
  first_response_due_at: Instant;
  first_response_escalate_at: Instant;
  resolution_warn_at: Instant;
  resolution_due_at: Instant;
  resolution_escalate_at: Instant;
  first_response_stage: ColumnType<number, number | undefined, number>;
  resolution_stage: ColumnType<number, number | undefined, number>;
  first_response_breached: ColumnType<boolean, boolean | undefined, boolean>;
  resolution_breached: ColumnType<boolean, boolean | undefined, boolean>;
  sla_next_at: Instant;
  first_responded_at: Instant;
  first_response_ms: ColumnType<string | null, number | null | undefined, number | null>;
  resolved_at: Instant;
  resolution_ms: ColumnType<string | null, number | null | undefined, number | null>;
  closed_at: Instant;
  reopened_count: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
export type Ticket = Selectable<TicketsTable>;

/** The ticket's timeline: replies, notes, the customer's replies, status moves, SLA events. */
export type TicketEventsTable = {
  tenant_id: string;
  id: Generated<string>;
  ticket_id: string;
  kind: TicketEventKind;
  author_user_id: string | null;
  body: string | null;
  from_status: string | null;
  to_status: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};

/** A file attached to a ticket, stored in PostgreSQL (bytea, at most 10 MB). */
export type TicketAttachmentsTable = {
  tenant_id: string;
  id: Generated<string>;
  ticket_id: string;
  event_id: string | null;
  file_name: string;
  content_type: string;
  size: number;
  bytes: Uint8Array;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};

/** The tenant's own ticket categories, and the plugin's it hides (`hidden`, labels null). */
export type TicketCategoriesTable = {
  tenant_id: string;
  key: string;
  label_zh: string | null;
  label_en: string | null;
  position: ColumnType<number, number | undefined, number>;
  hidden: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

/** The tenant's SLA targets per priority and customer tier (null: any). */
export type TicketSlaPoliciesTable = {
  tenant_id: string;
  id: Generated<string>;
  priority: TicketPriority | null;
  tier: string | null;
  first_response_minutes: number;
  resolution_minutes: number;
  mode: 'business' | 'calendar' | null;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

/** Message-IDs of inbound emails already made into tickets (a replayed hook makes nothing twice). */
export type TicketInboundMessagesTable = {
  tenant_id: string;
  message_id: string;
  ticket_id: string | null;
  received_at: ColumnType<Date, Date | string | undefined, never>;
  /** What the hook did (2026-12-12-0302): a new ticket, a reply on one, an unknown sender. */
  outcome: 'created' | 'threaded' | 'unmatched' | null;
  from_address: string | null;
  subject: string | null;
};

/** A tenant's inbound email address: the key its signed token names, the signing secret (encrypted). */
export type TicketInboundSettingsTable = {
  tenant_id: string;
  address_key: Generated<string>;
  secret_cipher: string;
  rotated_by: string | null;
  rotated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
