export { type CompanyNameKey, normalizeCompanyName, normalizeCompanyNameKey } from './company-name';
export {
  CREDIT_CODE_CHARSET,
  creditCodeCheckCharacter,
  isValidCreditCode,
  normalizeCreditCode,
} from './credit-code';
export { normalizeEmailKey } from './email';
export {
  type IdentityRecord,
  type IdentitySide,
  type IdentityVerdict,
  identityOf,
  identityVerdict,
  type SameBy,
  SHARED_KEYS,
  type SharedKey,
  sharedKeysOf,
} from './identity';
export { MATCH_KEY_KINDS, type MatchKey, type MatchKeyKind, matchKeysOf } from './match-keys';
export { normalizePersonNameKey } from './person-name';
export { normalizePhoneKey } from './phone';
