import type { ColumnType, Selectable } from 'kysely';

/** A statutory holiday (working false) or make-up working day (调休, working true); global, read-only for crm_app. */
export type StatutoryCalendarDaysTable = {
  /** 'YYYY-MM-DD' */
  day: string;
  working: boolean;
  name: string;
  name_en: string;
};

/** A tenant's work calendar settings (no row: the defaults). Times are 'HH:MM:SS'. */
export type WorkCalendarSettingsTable = {
  tenant_id: string;
  time_zone: ColumnType<string, string | undefined, string>;
  work_start: ColumnType<string, string | undefined, string>;
  work_end: ColumnType<string, string | undefined, string>;
  break_start: ColumnType<string | null, string | null | undefined, string | null>;
  break_end: ColumnType<string | null, string | null | undefined, string | null>;
  working_weekdays: ColumnType<number[], number[] | undefined, number[]>;
  sla_mode: ColumnType<'calendar' | 'business', 'calendar' | 'business' | undefined, 'calendar' | 'business'>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
export type WorkCalendarSettingsRow = Selectable<WorkCalendarSettingsTable>;

/** A tenant's own day off (公司假日, working false) or extra working day (working true). */
export type WorkCalendarOverridesTable = {
  tenant_id: string;
  day: string;
  working: boolean;
  name: string;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};
export type WorkCalendarOverrideRow = Selectable<WorkCalendarOverridesTable>;
