import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Instant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A tenant's REST API key (migration 2026-12-10-0601-open-platform says what each column holds). */
export type ApiKeysTable = {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  display_prefix: string;
  secret_hash: Buffer;
  scopes: string[];
  ip_allowlist: ColumnType<string[], string[] | undefined, string[]>;
  rate_limit_per_minute: ColumnType<number, number | undefined, number>;
  expires_at: Instant;
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  last_used_at: Instant;
  last_used_ip: string | null;
  revoked_at: Instant;
  revoked_by: string | null;
};

export type WebhookEndpointsTable = {
  tenant_id: string;
  id: Generated<string>;
  url: string;
  description: string | null;
  events: string[];
  secret_cipher: string;
  previous_secret_cipher: string | null;
  previous_secret_expires_at: Instant;
  status: ColumnType<'active' | 'disabled', 'active' | 'disabled' | undefined, 'active' | 'disabled'>;
  disabled_reason: 'failures' | 'gone' | 'manual' | null;
  disabled_at: Instant;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
};

/** The webhook outbox: one row per event, written in the transaction of the change. */
export type WebhookEventsTable = {
  tenant_id: string;
  id: Generated<string>;
  type: string;
  /** JSON text on the way in. */
  payload: ColumnType<Record<string, unknown>, string, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

export type WebhookDeliveriesTable = {
  tenant_id: string;
  id: Generated<string>;
  endpoint_id: string;
  event_id: string;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Instant;
  last_status: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  finished_at: Instant;
};

export type WebhookAttemptsTable = {
  tenant_id: string;
  id: Generated<string>;
  delivery_id: string;
  endpoint_id: string;
  event_id: string;
  attempt: number;
  attempted_at: ColumnType<Date, Date | string | undefined, never>;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
};

export type WecomSettingsTable = {
  tenant_id: string;
  robot_url_cipher: string | null;
  robot_url_hint: string | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  events: ColumnType<string[], string[] | undefined, string[]>;
  updated_by: string | null;
  updated_at: Timestamp;
};

export type WecomBindingsTable = {
  tenant_id: string;
  user_id: string;
  wecom_user_id: string;
  updated_at: Timestamp;
};

export type WecomOutboxTable = {
  tenant_id: string;
  id: Generated<string>;
  event: string;
  markdown: string;
  mentions: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<
    'pending' | 'sent' | 'failed',
    'pending' | 'sent' | 'failed' | undefined,
    'pending' | 'sent' | 'failed'
  >;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Instant;
  /** When the robot was last asked to post it (WeCom's 20 a minute are counted from it). */
  last_attempt_at: Instant;
  last_error: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  sent_at: Instant;
};
