/**
 * The form an identity number is compared and stored in: NFKC turns full-width digits and
 * letters (１２３, Ｘ) into ASCII, then spaces, dashes and dots are dropped and letters
 * upper-cased (a national ID's check character is written x or X).
 */
export function normalizeIdentifier(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/[\s\-‐‑‒–—―−_.·]/g, '')
    .toUpperCase();
}
