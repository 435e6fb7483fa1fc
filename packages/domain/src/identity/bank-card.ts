import { normalizeIdentifier } from './normalize';

/** Luhn (ISO/IEC 7812-1) over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = Number(digits[index]);
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit to append to `digits`. */
export function luhnCheckDigit(digits: string): string {
  for (let check = 0; check <= 9; check += 1) {
    if (luhnValid(`${digits}${check}`)) return String(check);
  }
  return '0';
}

export type BankCardProblem = 'format' | 'check_digit';
export type BankCardResult = { ok: true; value: string } | { ok: false; problem: BankCardProblem };

/**
 * A payment card number (银行卡号): 13 to 19 digits passing Luhn. UnionPay debit cards
 * are 16–19 digits; spaces, dashes and full-width digits are accepted and normalised.
 */
export function parseBankCard(input: string): BankCardResult {
  const value = normalizeIdentifier(input);
  if (!/^\d{13,19}$/.test(value)) return { ok: false, problem: 'format' };
  if (!luhnValid(value)) return { ok: false, problem: 'check_digit' };
  return { ok: true, value };
}

export function isValidBankCard(input: string): boolean {
  return parseBankCard(input).ok;
}
