import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Login identities: global, read before any tenant is known. */
export type UsersTable = {
  id: Generated<string>;
  /** Lower-cased at write. */
  email: string;
  name: string;
  password_hash: string;
  locale: 'zh-CN' | 'en';
  disabled_at: Date | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  password_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
