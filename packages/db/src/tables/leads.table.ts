import type {
  InteractionKind,
  LeadDisqualifyReason,
  LeadGradeChangeKind,
  LeadIntent,
  LeadSource,
  LeadStatus,
} from '@crm/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';

export {
  LEAD_DISQUALIFY_REASONS,
  LEAD_GRADE_CHANGE_KINDS,
  LEAD_INTENTS,
  LEAD_SOURCES,
  LEAD_STATUSES,
  type LeadDisqualifyReason,
  type LeadGradeChangeKind,
  type LeadIntent,
  type LeadSource,
  type LeadStatus,
  SAVED_VIEW_LISTS,
  type SavedViewList,
} from '@crm/domain';

type Timestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/**
 * A lead (线索): a person or company who showed interest, before they are a customer. Its
 * grade comes from the tenant's plugin (`grade_reason` says which rule matched); its
 * follow-up SLA runs from creation or re-grade until the first logged contact.
 */
export type LeadsTable = {
  tenant_id: string;
  id: Generated<string>;
  person_name: string | null;
  company_name: string | null;
  job_title: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  /** Generated: `crm_normalize_phone(phone)`, the customers' phone match key. */
  phone_key: ColumnType<string | null, never, never>;
  /** Generated: `crm_normalize_email(email)`. */
  email_key: ColumnType<string | null, never, never>;
  region: string | null;
  industry: string | null;
  company_size: number | null;
  source: ColumnType<LeadSource, LeadSource | undefined, LeadSource>;
  campaign: string | null;
  intent: LeadIntent | null;
  needs: ColumnType<string[], string[] | undefined, string[]>;
  /** numeric(16,2), read as a string. */
  budget: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  currency: ColumnType<string, string | undefined, string>;
  /** 'YYYY-MM-DD'. */
  expected_close_on: ColumnType<string | null, string | null | undefined, string | null>;
  decision_maker_reached: ColumnType<boolean, boolean | undefined, boolean>;
  custom_fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  notes: string | null;
  owner_user_id: string | null;
  team_id: string | null;
  assigned_at: Timestamp;
  status: ColumnType<LeadStatus, LeadStatus | undefined, LeadStatus>;
  status_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  disqualify_reason: LeadDisqualifyReason | null;
  disqualify_note: string | null;
  grade: string | null;
  grade_key: string | null;
  grade_reason: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  graded_at: Timestamp;
  follow_up_hours: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  follow_up_due_at: Timestamp;
  first_contact_at: Timestamp;
  first_contact_minutes: number | null;
  last_contact_at: Timestamp;
  contact_count: ColumnType<number, number | undefined, number>;
  sla_breached_at: Timestamp;
  sla_escalated_at: Timestamp;
  in_pool: ColumnType<boolean, boolean | undefined, boolean>;
  released_at: Timestamp;
  converted_customer_id: string | null;
  converted_contact_id: string | null;
  converted_at: Timestamp;
  converted_by: string | null;
  import_run_id: string | null;
  /** The open follow-up task of the lead's current grade (its SLA), if any. */
  follow_up_task_id: string | null;
  /** The contact that stopped the current follow-up clock (null while it runs). */
  follow_up_done_at: Timestamp;
  search_grams: ColumnType<string[], never, never>;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
export type Lead = Selectable<LeadsTable>;

/** One grade change of a lead: from → to, when, why, by which rule or person. */
export type LeadGradeHistoryTable = {
  tenant_id: string;
  id: Generated<string>;
  lead_id: string;
  from_grade: string | null;
  to_grade: string | null;
  from_key: string | null;
  to_key: string | null;
  by_kind: LeadGradeChangeKind;
  rule_key: string | null;
  reason: ColumnType<Record<string, unknown>, string | undefined, string>;
  changed_by: string | null;
  changed_at: ColumnType<Date, Date | string | undefined, never>;
};

/** A contact logged on a lead (a call, a visit, a message …); the first stops the follow-up clock. */
export type LeadActivitiesTable = {
  tenant_id: string;
  id: Generated<string>;
  lead_id: string;
  kind: InteractionKind;
  occurred_at: ColumnType<Date, Date | string | undefined, Date | string>;
  summary: string | null;
  user_id: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};

/** What a lead history row records: its creation, a status move, or a change of owner or team. */
export type LeadHistoryKind = 'created' | 'status' | 'owner';

/** A lead's moves other than grades: created, status (with the reason), owner or team (with the way). Append-only. */
export type LeadHistoryTable = {
  tenant_id: string;
  id: Generated<string>;
  lead_id: string;
  kind: LeadHistoryKind;
  from_status: LeadStatus | null;
  to_status: LeadStatus | null;
  from_owner_id: string | null;
  to_owner_id: string | null;
  from_team_id: string | null;
  to_team_id: string | null;
  reason: string | null;
  note: string | null;
  changed_by: string | null;
  changed_at: ColumnType<Date, Date | string | undefined, never>;
};
