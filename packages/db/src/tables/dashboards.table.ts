import type { ColumnType } from 'kysely';

/** A tenant's own target for a KPI of the catalogue (replacing the playbooks' default). */
export type KpiTargetsTable = {
  tenant_id: string;
  kpi: string;
  /** numeric: a decimal string. */
  target: ColumnType<string, string | number, string | number>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
