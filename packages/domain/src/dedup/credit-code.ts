/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from
 * 0-9 and A–Y without I, O, S, V, Z; character 1 the registration authority, 2 the kind of
 * organisation, 3–8 the administrative division (digits), 9–17 the organisation code, 18 a
 * check character: weights 3^(i-1) mod 31 over the first 17 values, check = 31 − (sum mod 31),
 * 31 → 0.
 */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters, or null if one is not in the charset. */
export function creditCodeCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17[i] as string);
    if (value < 0) return null;
    sum += value * (WEIGHTS[i] as number);
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARSET[check] as string;
}

/**
 * The canonical form of a credit code: NFKC (full-width), spaces and dashes removed,
 * upper-cased. Null unless it is 18 valid characters, characters 3–8 are digits and the
 * check character is right.
 */
export function normalizeCreditCode(input: string | null | undefined): string | null {
  if (input == null) return null;
  const code = upper(input.normalize('NFKC').replace(/[ \t\r\n-]+/g, ''));
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return null;
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? code : null;
}

export function isValidCreditCode(input: string): boolean {
  return normalizeCreditCode(input) !== null;
}

function upper(text: string): string {
  return text.replace(/[a-z]/g, (letter) => letter.toUpperCase());
}
