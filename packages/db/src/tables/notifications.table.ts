import type { EmailStatus, EmailTransportKind } from '@crm/domain';
import type { ColumnType, Generated } from 'kysely';

export {
  EMAIL_STATUSES,
  EMAIL_TRANSPORTS,
  type EmailStatus,
  type EmailTransportKind,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from '@crm/domain';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * A member's in-app notification. Its words are a message key and parameters, rendered in
 * the reader's language (packages/api/src/notifications/notifications.messages.ts).
 */
export type NotificationsTable = {
  tenant_id: string;
  id: Generated<string>;
  user_id: string;
  /** One of NOTIFICATION_KINDS (checked by format in the database, by list in the API). */
  kind: string;
  message_key: string;
  /** JSON text on the way in. */
  params: ColumnType<Record<string, string | number>, string | undefined, never>;
  /** An app path ("/customers/…"), never another site. */
  link: string | null;
  entity_kind: string | null;
  entity_id: string | null;
  dedup_key: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  read_at: Timestamp | null;
};

/** A member's choice for one kind; no row: the kind's default (NOTIFICATION_DEFAULTS). */
export type NotificationPreferencesTable = {
  tenant_id: string;
  user_id: string;
  kind: string;
  in_app: boolean;
  email: boolean;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

/** The transactional outbox: written in the caller's transaction, sent by a job after the commit. */
export type EmailOutboxTable = {
  tenant_id: string;
  id: Generated<string>;
  /** The member it was written for, when there is one (notifications, digests). */
  user_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  kind: string;
  status: ColumnType<EmailStatus, EmailStatus | undefined, EmailStatus>;
  transport: EmailTransportKind | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  /** When a queued email may be sent, or when a claim (status sending) lapses. */
  next_attempt_at: Timestamp;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  sent_at: Timestamp | null;
  dedup_key: string | null;
};
