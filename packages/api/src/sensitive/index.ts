/**
 * Sensitive fields: AES-256-GCM envelope encryption with a per-tenant data key wrapped by
 * the master key, blind indexes for exact-match search, and masking. What other
 * capabilities (import, export, duplicates) use:
 *
 * - `getTenantCipher(trx, tenantId)` → `{ encrypt(field, customerId, plaintext) →
 *   { ciphertext, keyVersion, blindIndex, hint }, decrypt(field, customerId, ciphertext),
 *   blindIndex(field, value) }` — the keys are unwrapped once per call, not per row;
 * - rows go to `customer_secrets (tenant_id, customer_id, field, ciphertext, key_version,
 *   blind_index, hint)`; fields are `national_id`, `bank_card` and `custom:<key>`;
 * - `maskHint(hint)` is what every response shows (`**** 1234`).
 *
 * Validate and normalise a value before encrypting it (`parseSensitiveValue`).
 */
import { maskFromHint } from '@crm/domain';

export {
  BLIND_INDEX_HEX,
  ciphertextKeyVersion,
  DecryptionError,
  type Encrypted,
  normalizeForIndex,
  SECRETS_TABLE,
  TenantCipher,
} from './cipher';
export {
  BUILT_IN_SECRET_FIELDS,
  findCustomersByIdentity,
  maskedSecrets,
  parseSensitiveValue,
  revealCustomerSecret,
  type SecretChange,
  secretHintsColumn,
  writeCustomerSecrets,
} from './customer-secrets';
export { seedDemoSecrets } from './demo';
export {
  createKeyring,
  generateMasterKey,
  hasInstalledKeyring,
  installedKeyring,
  installKeyring,
  type Keyring,
  type MasterKey,
  masterKeyId,
  parseMasterKey,
} from './keyring';
export {
  allTenantIds,
  type ReencryptProgress,
  reencryptTenant,
  rewrapTenantKeys,
  rotateTenantDataKey,
} from './rotation';
export {
  addDataKeyVersion,
  ENCRYPTIONS_ROTATE_AT,
  ENCRYPTIONS_WARN_AT,
  getTenantCipher,
  type KeyEvent,
  onKeyEvent,
} from './tenant-keys';

/** The masked form of a stored hint: `**** 1234` (`****` when the hint is empty). */
export function maskHint(hint: string | null | undefined): string {
  return maskFromHint(hint);
}
