import type { ColumnType, Generated, Selectable } from 'kysely';

export const MATCH_KEY_KINDS = ['phone', 'email', 'credit_code', 'name'] as const;
export type MatchKeyKind = (typeof MATCH_KEY_KINDS)[number];

/**
 * The normalised keys a customer can be matched on (crm_normalize_* of its name, phone,
 * email, credit code and its contacts' phones and emails), kept by triggers on customers
 * and contacts. A merged customer has none.
 */
export type CustomerMatchKeysTable = {
  tenant_id: string;
  customer_id: string;
  kind: MatchKeyKind;
  value: string;
  /** A company name key taken from a branch's name (A公司北京分公司 → a). */
  branch: ColumnType<boolean, boolean | undefined, boolean>;
  /** A phone key's digits reversed (C collation): a suffix search is a btree prefix range. */
  value_reversed: ColumnType<string | null, never, never>;
};

export const DUPLICATE_STATUSES = ['pending', 'merged', 'dismissed'] as const;
export type DuplicateStatus = (typeof DUPLICATE_STATUSES)[number];
export const DUPLICATE_SOURCES = ['scan', 'create', 'import'] as const;
export type DuplicateSource = (typeof DUPLICATE_SOURCES)[number];

export type DuplicateCandidatesTable = {
  tenant_id: string;
  id: Generated<string>;
  /** The smaller id of the pair. */
  customer_a: string;
  customer_b: string;
  /** The kinds of keys the two share: phone, email, credit_code, name, and name_branch. */
  reasons: string[];
  confidence: ColumnType<string, string | number, string | number>;
  /**
   * The identity rule's verdict on the pair (`crm_customer_identity`): the key that makes the
   * two the SAME customer, or null for a candidate.
   */
  same_by: ColumnType<string | null, string | null | undefined, string | null>;
  status: ColumnType<DuplicateStatus, DuplicateStatus | undefined, DuplicateStatus>;
  source: ColumnType<DuplicateSource, DuplicateSource | undefined, DuplicateSource>;
  detected_at: ColumnType<Date, Date | string | undefined, Date | string>;
  resolved_by: string | null;
  resolved_at: Date | null;
};
export type DuplicateCandidate = Selectable<DuplicateCandidatesTable>;

export type CustomerMergesTable = {
  tenant_id: string;
  id: Generated<string>;
  survivor_id: string;
  merged_id: string;
  candidate_id: string | null;
  merged_by: string | null;
  merged_at: ColumnType<Date, Date | string | undefined, never>;
  survivor_before: ColumnType<Record<string, unknown>, string, string>;
  merged_before: ColumnType<Record<string, unknown>, string, string>;
  moved: ColumnType<Record<string, unknown>, string, string>;
  undone_at: Date | null;
  undone_by: string | null;
};
export type CustomerMerge = Selectable<CustomerMergesTable>;

export type DuplicateScansTable = {
  tenant_id: string;
  id: Generated<string>;
  requested_by: string | null;
  status: ColumnType<
    'queued' | 'running' | 'done' | 'failed',
    'queued' | 'running' | undefined,
    'running' | 'done' | 'failed'
  >;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  started_at: Date | null;
  finished_at: Date | null;
  pairs: number | null;
  new_pairs: number | null;
  removed_pairs: number | null;
  /** [{ kind, value, customers }]: values shared by more customers than a scan pairs. */
  capped_keys: ColumnType<{ kind: string; value: string; customers: number }[], string | undefined, string>;
};
