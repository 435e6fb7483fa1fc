import { normalizeIdentifier } from './normalize';

/** GB 11643-1999: weights of the first 17 digits, and the check character by sum mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** The check character of the first 17 digits of a resident identity number. */
export function nationalIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += Number(first17[index]) * (WEIGHTS[index] ?? 0);
  return CHECK_CHARACTERS[sum % 11] ?? '';
}

function isValidDate(year: number, month: number, day: number, today: Date): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return false;
  }
  return year >= 1900 && date.getTime() <= today.getTime();
}

export type NationalIdProblem = 'format' | 'region' | 'birth_date' | 'check_digit';
export type NationalIdResult = { ok: true; value: string } | { ok: false; problem: NationalIdProblem };

/**
 * A mainland resident identity number (居民身份证号码, GB 11643-1999): six digits of
 * region (first digit 1–8), the birth date YYYYMMDD (a real date, 1900 to today), three
 * digits of sequence and the check character (0–9 or X) over the first 17. Full-width
 * characters, spaces, dashes and a lower-case x are accepted and normalised.
 *
 * The 15-digit numbers issued before 1999 (birth year without its century, no check
 * character) are accepted and upgraded to their 18-digit form (19 inserted before the
 * year, the check character computed), which is the number the holder's current card
 * carries: the same person is then stored, searched and matched under one value.
 */
export function parseNationalId(input: string, today: Date = new Date()): NationalIdResult {
  let value = normalizeIdentifier(input);
  if (/^\d{15}$/.test(value)) {
    const first17 = `${value.slice(0, 6)}19${value.slice(6)}`;
    value = first17 + nationalIdCheckCharacter(first17);
  }
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, problem: 'format' };
  if (!/^[1-8]/.test(value)) return { ok: false, problem: 'region' };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (!isValidDate(year, month, day, today)) return { ok: false, problem: 'birth_date' };
  if (nationalIdCheckCharacter(value.slice(0, 17)) !== value[17])
    return { ok: false, problem: 'check_digit' };
  return { ok: true, value };
}

export function isValidNationalId(input: string, today?: Date): boolean {
  return parseNationalId(input, today).ok;
}
