import type { ColumnType, Insertable, Selectable } from 'kysely';

/** One row per signed-in browser. Only a SHA-256 of the token's secret is stored. */
export type SessionsTable = {
  id: string;
  secret_hash: Uint8Array;
  user_id: string;
  active_tenant_id: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  last_active_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: ColumnType<Date, Date | string, never>;
};
export type Session = Selectable<SessionsTable>;
export type NewSession = Insertable<SessionsTable>;
