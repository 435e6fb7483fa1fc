import type { ImportEntity } from '@crm/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';

export {
  IMPORT_ENTITIES,
  type ImportEntity,
} from '@crm/domain';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint counters arrive as strings from the server driver and as numbers from PGlite. */
type Counter = ColumnType<string | number, string | number | undefined, string | number>;

export const IMPORT_STATUSES = [
  'created',
  'validating',
  'validated',
  'committing',
  'committed',
  'failed',
  'cancelled',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export type ImportFilesTable = {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  size: Counter;
  chunk_count: ColumnType<number, number | undefined, number>;
  sha256: string | null;
  format: 'csv' | 'xlsx' | null;
  encoding: string | null;
  uploaded_by: string;
  created_at: CreatedAt;
};

export type ImportFileChunksTable = {
  tenant_id: string;
  file_id: string;
  seq: number;
  bytes: Uint8Array;
};

export type ImportMappingsTable = {
  tenant_id: string;
  id: Generated<string>;
  entity: ImportEntity;
  name: string;
  /** File header → target field. */
  columns: ColumnType<Record<string, string>, string, string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};
export type ImportMapping = Selectable<ImportMappingsTable>;

export type ImportRunsTable = {
  tenant_id: string;
  id: Generated<string>;
  entity: ImportEntity;
  file_id: string | null;
  file_name: string;
  file_sha256: string;
  file_size: Counter;
  mapping: ColumnType<Record<string, string>, string, string>;
  mapping_id: string | null;
  on_match: ColumnType<'update' | 'skip', 'update' | 'skip' | undefined, 'update' | 'skip'>;
  dry_run: boolean;
  status: ColumnType<ImportStatus, ImportStatus | undefined, ImportStatus>;
  rows_read: Counter;
  bytes_read: Counter;
  total_rows: Counter;
  valid_rows: Counter;
  error_rows: Counter;
  error_count: Counter;
  created_count: Counter;
  updated_count: Counter;
  skipped_count: Counter;
  cancel_requested: ColumnType<boolean, boolean | undefined, boolean>;
  /** A commit that writes the valid rows and skips the rows with errors. */
  skip_error_rows: ColumnType<boolean, boolean | undefined, boolean>;
  /** Rows per outcome ({ new, update, skip, error, candidate }), set when the run finishes. */
  outcome_counts: ColumnType<Record<string, number>, string | undefined, string>;
  failure: string | null;
  created_by: string;
  created_at: CreatedAt;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: UpdatedAt;
};
export type ImportRun = Selectable<ImportRunsTable>;

export type ImportErrorsTable = {
  tenant_id: string;
  run_id: string;
  row_number: number;
  seq: number;
  column_name: string;
  value: string | null;
  reason: string;
  message_zh: string;
  message_en: string;
};

export const IMPORT_ROW_OUTCOMES = ['new', 'update', 'skip', 'error', 'candidate'] as const;
export type ImportRowOutcome = (typeof IMPORT_ROW_OUTCOMES)[number];

/** Every row's outcome of a run (dry run or commit). */
export type ImportRowOutcomesTable = {
  tenant_id: string;
  run_id: string;
  row_number: number;
  outcome: ImportRowOutcome;
  match_kind: string | null;
  match_value: string | null;
  matched_id: string | null;
  customer_id: string | null;
  reason: string | null;
};
