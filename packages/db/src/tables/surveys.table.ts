import type { ColumnType, Generated } from 'kysely';

type Instant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Created = ColumnType<Date, Date | string | undefined, Date | string>;

export type SurveyKindColumn = 'nps' | 'csat' | 'needs' | 'custom';
export type SurveyChannelColumn = 'email' | 'sms' | 'link';
export type SurveyInvitationStatusColumn = 'pending' | 'sent' | 'failed' | 'responded';
export type SurveyFollowUpStatusColumn = 'open' | 'analysed' | 'closed';
export type SurveyCauseColumn = 'service' | 'product_mismatch' | 'price' | 'other';

/** A survey a tenant built (migration 2026-12-10-0501-surveys says what each column holds). */
export type SurveysTable = {
  tenant_id: string;
  id: Generated<string>;
  key: string;
  kind: SurveyKindColumn;
  title: string;
  description: string | null;
  locale: ColumnType<'zh-CN' | 'en', 'zh-CN' | 'en' | undefined, 'zh-CN' | 'en'>;
  questions: ColumnType<unknown[], string, string>;
  archived_at: Instant;
  created_by: string | null;
  created_at: Created;
  updated_at: Created;
};

export type SurveySettingsTable = {
  tenant_id: string;
  frequency_cap_days: ColumnType<number, number | undefined, number>;
  link_valid_days: ColumnType<number, number | undefined, number>;
  disabled_keys: ColumnType<string[], string[] | undefined, string[]>;
  updated_by: string | null;
  updated_at: Created;
};

export type SurveyInvitationsTable = {
  tenant_id: string;
  id: Generated<string>;
  survey_key: string;
  survey_kind: SurveyKindColumn;
  customer_id: string;
  contact_id: string | null;
  owner_user_id: string | null;
  tier: string | null;
  occasion: string;
  channel: SurveyChannelColumn;
  status: ColumnType<
    SurveyInvitationStatusColumn,
    SurveyInvitationStatusColumn | undefined,
    SurveyInvitationStatusColumn
  >;
  send_on: ColumnType<string, string, string>;
  sent_at: Instant;
  last_error: string | null;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  responded_at: Instant;
  created_by: string | null;
  created_at: Created;
};

export type SurveyResponsesTable = {
  tenant_id: string;
  id: Generated<string>;
  invitation_id: string | null;
  survey_key: string;
  survey_kind: SurveyKindColumn;
  customer_id: string;
  contact_id: string | null;
  owner_user_id: string | null;
  tier: string | null;
  answers: ColumnType<Record<string, unknown>, string, string>;
  score: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  score_pct: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  low: ColumnType<boolean, boolean | undefined, boolean>;
  locale: ColumnType<'zh-CN' | 'en', 'zh-CN' | 'en' | undefined, 'zh-CN' | 'en'>;
  responded_at: Created;
};

export type SurveyFollowUpsTable = {
  tenant_id: string;
  id: Generated<string>;
  response_id: string;
  customer_id: string;
  owner_user_id: string | null;
  task_id: string | null;
  status: ColumnType<
    SurveyFollowUpStatusColumn,
    SurveyFollowUpStatusColumn | undefined,
    SurveyFollowUpStatusColumn
  >;
  cause: SurveyCauseColumn | null;
  cause_text: string | null;
  improvement: string | null;
  check_back_on: ColumnType<string | null, string | null | undefined, string | null>;
  check_back_task_id: string | null;
  check_back_result: string | null;
  analysed_by: string | null;
  analysed_at: Instant;
  closed_by: string | null;
  closed_at: Instant;
  created_at: Created;
};
