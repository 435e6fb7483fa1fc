import type { CrmDatabase } from '@crm/db';
import type { Logger } from '../logger';
import type { PluginRegistry } from '../plugins/registry';
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

/**
 * Columns every staging table has beside its plan's, set by the plan's checks (never by COPY):
 * the key that matched an existing record and its value, and — for a row kept as new but
 * resembling an existing customer — that customer (the outcome 'candidate').
 */
export const OUTCOME_COLUMNS = [
  { name: 'match_kind', type: 'text' },
  { name: 'match_value', type: 'text' },
  { name: 'candidate_of', type: 'uuid' },
];

/** One entity's staging table and how a parsed row fills it. */
export type Plan = {
  columns: { name: string; type: string }[];
  /** SQL over the staging row `s`: the customer the row is about (its outcome links to it). */
  outcomeCustomer: string;
  /** Whether a matched row is updated when the run says so (else it is always skipped). */
  updatesMatches: boolean;
  /**
   * SQL over the staging row `s`: whether a matched row is one the run may update (a lead
   * import updates the leads it matched, never the customers). Default: every matched row.
   */
  updatableSql?: string;
  /** Why a matched row that is not updated is skipped (the outcome's reason). */
  skipReason: string;
  /** The reason as SQL over the staging row `s`, when it depends on what the row matched. */
  skipReasonSql?: string;
  /**
   * Rows that belong together (an order's lines): the target whose value groups them and its
   * staging column. A row with an error takes the rest of its group out with it.
   */
  group?: { target: string; column: string };
  /** A valid row's staged values (by column); `id` for new customers. */
  stage(row: Map<string, unknown>, context: RowContext): StagedRow;
};

export type RowContext = { rowNumber: number; cipher: TenantCipher | null; tenantId: string; userId: string };

/** What a run needs: the database, the logger and the industry plugins (the grades of imported leads). */
export type RunDependencies = { database: CrmDatabase; logger: Logger; plugins?: PluginRegistry | undefined };

export type Totals = {
  total: number;
  /** Rows per outcome (new, update, skip, error, candidate). */
  outcomes?: Record<string, number>;
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
