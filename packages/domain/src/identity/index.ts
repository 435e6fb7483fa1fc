export { type BankCardProblem, isValidBankCard, luhnCheckDigit, luhnValid, parseBankCard } from './bank-card';
export { MASK, mask, maskedSuffix, maskFromHint } from './mask';
export {
  isValidNationalId,
  type NationalIdProblem,
  nationalIdCheckCharacter,
  parseNationalId,
} from './national-id';
export { normalizeIdentifier } from './normalize';
