import type { ColumnType, Selectable } from 'kysely';

/** A version of a tenant's data key (DEK), wrapped by the master key (KEK). */
export type TenantDataKeysTable = {
  tenant_id: string;
  version: number;
  /** base64url(nonce | ciphertext | tag) of the 32-byte key. */
  wrapped_key: string;
  /** Which master key wrapped it (a fingerprint, not the key). */
  kek_id: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  /** Set once no stored value uses this version any more. */
  retired_at: Date | null;
  /** Values stored under this version (kept by a trigger on customer_secrets); a bigint, read with Number(). */
  encryptions: ColumnType<string | number, never, never>;
};
export type TenantDataKey = Selectable<TenantDataKeysTable>;

/** The tenant's blind-index key; it does not change when the data key rotates. */
export type TenantIndexKeysTable = {
  tenant_id: string;
  version: ColumnType<number, number | undefined, never>;
  wrapped_key: string;
  kek_id: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};

/** The secret fields a customer can carry; `custom:<key>` for a sensitive custom field. */
export const SECRET_FIELDS = ['national_id', 'bank_card'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number] | `custom:${string}`;

/** One encrypted value of one customer; the plaintext never reaches the database. */
export type CustomerSecretsTable = {
  tenant_id: string;
  customer_id: string;
  field: string;
  /** `v1:<keyVersion>:<base64url(nonce | ciphertext | tag)>`, bound to tenant, field, customer and version. */
  ciphertext: string;
  key_version: number;
  /** Truncated keyed hash of the normalised value, for exact-match search. */
  blind_index: string;
  /** The last four characters, all a response shows without a reveal. */
  hint: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};
export type CustomerSecret = Selectable<CustomerSecretsTable>;
