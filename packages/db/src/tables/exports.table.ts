import type { ColumnType, Generated, Selectable } from 'kysely';

export const EXPORT_ENTITIES = ['customers', 'orders', 'interactions', 'leads'] as const;
export type ExportEntity = (typeof EXPORT_ENTITIES)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_STATUSES = ['queued', 'running', 'done', 'failed', 'expired'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One requested export file: what was asked, its progress, and its result. */
export type ExportRunsTable = {
  tenant_id: string;
  id: Generated<string>;
  entity: ExportEntity;
  format: ExportFormat;
  locale: ColumnType<'zh-CN' | 'en', 'zh-CN' | 'en' | undefined, never>;
  /** The list's filters as the list procedure takes them (JSON text on the way in). */
  filters: ColumnType<Record<string, unknown>, string, never>;
  /** Column keys in the order the view shows them. */
  columns: ColumnType<string[], string, never>;
  /** `{ sort, direction }`. */
  sort: ColumnType<{ sort?: string; direction?: 'asc' | 'desc' }, string, never>;
  reveal_sensitive: ColumnType<boolean, boolean | undefined, never>;
  status: ColumnType<ExportStatus, ExportStatus | undefined, ExportStatus>;
  rows_done: ColumnType<number, number | undefined, number>;
  rows_total: ColumnType<number | null, number | null | undefined, number | null>;
  file_name: string;
  /** bigint: a string from a server, a number from PGlite; read it with Number(). */
  file_size: ColumnType<string | number | null, number | null | undefined, number | null>;
  error_code: string | null;
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  expires_at: Timestamp;
};
export type ExportRun = Selectable<ExportRunsTable>;

/** The file of a run, in order. */
export type ExportFileChunksTable = {
  tenant_id: string;
  run_id: string;
  seq: number;
  bytes: Uint8Array;
};
