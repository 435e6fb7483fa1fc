import type { TagColor } from '@crm/domain';
import type { CustomFieldType, CustomFieldValidation } from '@crm/plugin-sdk';
import type { ColumnType, Generated, Selectable } from 'kysely';

export { TAG_COLORS, type TagColor } from '@crm/domain';
// The custom field types are the plugin contract's: one list for plugins, database and web.
export { CUSTOM_FIELD_TYPES, type CustomFieldType } from '@crm/plugin-sdk';

export type TagsTable = {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  color: ColumnType<TagColor, TagColor | undefined, TagColor>;
  description: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};
export type Tag = Selectable<TagsTable>;

export type CustomFieldOption = { value: string; labelZh: string; labelEn: string };

export type CustomFieldDefinitionsTable = {
  tenant_id: string;
  id: Generated<string>;
  key: string;
  label_zh: string;
  label_en: string;
  type: CustomFieldType;
  options: ColumnType<CustomFieldOption[], string | undefined, string>;
  required: ColumnType<boolean, boolean | undefined, boolean>;
  /** Stored encrypted in customer_secrets, shown masked (text fields only). */
  sensitive: ColumnType<boolean, boolean | undefined, boolean>;
  /** The bounds of its values (min / max, integer, rating, length, pattern, check digit). */
  validation: ColumnType<CustomFieldValidation, string | undefined, string>;
  position: ColumnType<number, number | undefined, number>;
  source: ColumnType<'tenant' | 'plugin', 'tenant' | 'plugin' | undefined, never>;
  archived_at: Date | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};
export type CustomFieldDefinition = Selectable<CustomFieldDefinitionsTable>;

export type SavedViewsTable = {
  tenant_id: string;
  id: Generated<string>;
  owner_user_id: string;
  /** Which list the view belongs to ('customers', 'leads' …; `SAVED_VIEW_LISTS`). */
  entity: ColumnType<string, string | undefined, string>;
  name: string;
  shared: ColumnType<boolean, boolean | undefined, boolean>;
  /** The list's filters, sort and direction, as the list procedure takes them. */
  query: ColumnType<Record<string, unknown>, string, string>;
  columns: ColumnType<string[], string[] | undefined, string[]>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
export type SavedView = Selectable<SavedViewsTable>;
