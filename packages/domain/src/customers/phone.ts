/**
 * Chinese phone numbers as people type them: full-width digits, spaces, dashes, +86 / 0086.
 * Returns the canonical form (mobile: 11 digits; landline: area code-number[-extension])
 * or null when it is not a valid number.
 */
export function normalizeChinesePhone(input: string): string | null {
  const halfWidth = input
    .replace(/[\uFF10-\uFF19]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[\uFF0B]/g, '+')
    .replace(/[\uFF0D\u2010-\u2015\u2212]/g, '-')
    .replace(/[\uFF08\uFF09()]/g, ' ');
  let compact = halfWidth.replace(/[\s.]/g, '');
  compact = compact.replace(/^(\+86|0086)-?/, '');
  const digitsOnly = compact.replace(/-/g, '');
  if (/^1[3-9]\d{9}$/.test(digitsOnly)) return digitsOnly;
  // Landline: 010 and 02x are followed by 8 digits; other area codes (0 + 3 digits) by 7 or 8.
  const landline = /^(0(?:10|2\d)-?\d{8}|0[3-9]\d{2}-?\d{7,8})(?:-(\d{1,6}))?$/.exec(compact);
  if (landline?.[1]) {
    const main = landline[1].replace('-', '');
    const areaLength = /^0(10|2\d)/.test(main) ? 3 : 4;
    const canonical = `${main.slice(0, areaLength)}-${main.slice(areaLength)}`;
    return landline[2] ? `${canonical}-${landline[2]}` : canonical;
  }
  return null;
}
