import type { ColumnType } from 'kysely';

/** The saved result of a create or import call, by the client's Idempotency-Key. */
export type IdempotencyKeysTable = {
  tenant_id: string;
  user_id: string;
  key: string;
  /** The procedure's path, e.g. `customers.create`. */
  procedure: string;
  /** SHA-256 (hex) of the procedure path and its input, to refuse a key reused for another request. */
  request_hash: string;
  /** The result as the client received it (JSON text, key order kept). */
  response: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};
