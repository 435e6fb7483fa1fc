import type { CrmDatabase } from '@crm/db';
import type { Logger } from '../logger';
import type { TenantCipher } from '../sensitive';

/** What the import pipeline's modules share: batch sizes, the run's totals, an entity's plan. */
/**
 * Rows per COPY into the staging table and per progress report (and at most this many bytes
 * of staged text): small enough that a batch dies young in the garbage collector.
 */
export const BATCH_ROWS = 5_000;
export const BATCH_BYTES = 2 * 1024 * 1024;
/** A cell value kept in the error report is cut to this many characters. */
export const ERROR_VALUE_CHARS = 200;

export class ImportCancelled extends Error {
  constructor() {
    super('Import cancelled');
    this.name = 'ImportCancelled';
  }
}

/** Test seams: called at fixed points inside the run's transaction (a throw rolls it back). */
export type RunHooks = { afterWrite?: () => Promise<void> | void };

export type StagedRow = Record<string, string | number | boolean | null>;

/** One entity's staging table and how a parsed row fills it. */
export type Plan = {
  columns: { name: string; type: string }[];
  /** A valid row's staged values (by column); `id` for new customers. */
  stage(row: Map<string, unknown>, context: RowContext): StagedRow;
};

export type RowContext = { rowNumber: number; cipher: TenantCipher | null; tenantId: string; userId: string };

export type RunDependencies = { database: CrmDatabase; logger: Logger };

export type Totals = {
  total: number;
  valid: number;
  errorRows: number;
  errorCount: number;
  created: number;
  updated: number;
  skipped: number;
};

/** What a commit wrote. */
export type Written = { created: number; updated: number; skipped: number };

/** A cell value as staged text, or null. */
export const text = (value: unknown): string | null =>
  value === undefined || value === null ? null : String(value);

/** A text[] literal. */
export function pgArray(items: string[]): string {
  return `{${items.map((item) => `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
