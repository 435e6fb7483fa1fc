import { foldWidth } from './text';

/**
 * The match key of a phone number: digits only, extension dropped.
 *
 * - Chinese mobile: 11 digits (`13812345678`), with or without +86 / 0086 / 86, spaces,
 *   dashes, dots, brackets, full-width digits.
 * - Chinese landline: trunk 0 + area code + number (`01012345678`, `075588888888`): 010 and
 *   02x take 8 digits, other area codes (0 + 3 digits) 7 or 8. `+86 10 1234 5678` gains its 0.
 * - 400/800 service numbers: 10 digits (`4008108888`).
 * - Other countries (`+1 415 555 0100`, `00852 …`): `+` and the digits (7–15 of them).
 * - An extension is dropped: after 转, 分机, ext, x, #, a comma or semicolon, or as a
 *   trailing group of digits that makes the number too long (`010-12345678-123`). Of two
 *   numbers in one field (`/` or `、` between them) the first is kept.
 * - Anything else (too short, a local number without area code, letters) gives null.
 */
export function normalizePhoneKey(input: string | null | undefined): string | null {
  if (input == null) return null;
  let text = foldWidth(input);
  // Extension or second number: cut at the marker when it follows a digit.
  text = text.replace(/([0-9])[ \t]*(转|分机|ext|x|#|,|;|\/|、).*$/s, '$1');
  const international = /^[^0-9+]*(\+|00)/.exec(text)?.[1];
  let groups = text.split(/[^0-9]+/).filter((group) => group !== '');
  if (groups.length === 0) return null;
  if (international) {
    if (international === '00') groups = stripPrefix(groups, '00');
    if (groups.join('').startsWith('86')) {
      groups = stripPrefix(groups, '86');
      const rest = groups.join('');
      if (rest !== '' && !MOBILE.test(rest) && !SERVICE.test(rest) && !rest.startsWith('0')) {
        groups = [`0${groups[0]}`, ...groups.slice(1)];
      }
    } else {
      const digits = groups.join('');
      return /^[1-9][0-9]{6,14}$/.test(digits) ? `+${digits}` : null;
    }
  } else if (groups.join('').startsWith('86') && MOBILE.test(groups.join('').slice(2))) {
    groups = stripPrefix(groups, '86');
  }
  const whole = groups.join('');
  if (isPhoneKey(whole)) return whole;
  if (groups.length >= 2) {
    const shorter = groups.slice(0, -1).join('');
    if (isPhoneKey(shorter)) return shorter;
  }
  return null;
}

const MOBILE = /^1[3-9][0-9]{9}$/;
/** 400 / 800 service numbers: no trunk 0 after +86 (+864008108888 → 4008108888). */
const SERVICE = /^[48]00[0-9]{7}$/;

function isPhoneKey(digits: string): boolean {
  return (
    MOBILE.test(digits) ||
    /^0(10|2[0-9])[0-9]{8}$/.test(digits) ||
    /^0[3-9][0-9]{2}[0-9]{7,8}$/.test(digits) ||
    SERVICE.test(digits)
  );
}

/** Removes a prefix from the front of the digit groups (it may span groups: `0 086`). */
function stripPrefix(groups: string[], prefix: string): string[] {
  let remaining = prefix.length;
  const out = [...groups];
  while (remaining > 0 && out.length > 0) {
    const first = out[0] as string;
    if (first.length <= remaining) {
      remaining -= first.length;
      out.shift();
    } else {
      out[0] = first.slice(remaining);
      remaining = 0;
    }
  }
  return out;
}
