import type { ColumnType } from 'kysely';

/**
 * A tenant's choice about one reminder (提醒) its industry plugin or the core offers: on or
 * off, and another offset in days than the reminder's own. No row: the reminder's defaults.
 */
export type ReminderSettingsTable = {
  tenant_id: string;
  reminder_key: string;
  enabled: boolean;
  offset_days: number | null;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
