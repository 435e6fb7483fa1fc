/**
 * Sensitive fields: AES-256-GCM envelope encryption with a per-tenant data key wrapped by
 * the master key, blind indexes for exact-match search, and masking. What other
 * capabilities (import, export, duplicates) use — through sensitive.service, scope first:
 *
 * - `getCipher(scope)` → `{ encrypt(field, customerId, plaintext) →
 *   { ciphertext, keyVersion, blindIndex, hint }, decrypt(field, customerId, ciphertext),
 *   blindIndex(field, value) }` — the keys are unwrapped once per call, not per row;
 * - rows go to `customer_secrets (tenant_id, customer_id, field, ciphertext, key_version,
 *   blind_index, hint)`; fields are `national_id`, `bank_card` and `custom:<key>`;
 * - `maskHint(hint)` is what every response shows (`**** 1234`).
 *
 * Validate and normalise a value before encrypting it (`parseSensitiveValue`).
 */

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
  maskedSecrets,
  parseSensitiveValue,
  type SecretChange,
  secretHintsColumn,
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
  type ReencryptProgress,
  reencryptTenant,
  rewrapTenantKeys,
  rotateTenantDataKey,
} from './sensitive.jobs';
export {
  addDataKeyVersion,
  allTenantIds,
  ENCRYPTIONS_ROTATE_AT,
  ENCRYPTIONS_WARN_AT,
  getCipher,
  type KeyEvent,
  maskHint,
  onKeyEvent,
  writeSecrets,
} from './sensitive.service';
