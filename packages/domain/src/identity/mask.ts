/** What a masked value shows in place of everything it hides; the same whatever the length. */
export const MASK = '****';

/**
 * The suffix a masked value may show: at most `keep` characters, and never more than half
 * of the value, so a short value is not shown nearly whole. Counted in code points.
 */
export function maskedSuffix(value: string, keep = 4): string {
  const characters = Array.from(value);
  const shown = Math.max(0, Math.min(keep, Math.floor(characters.length / 2)));
  return shown === 0 ? '' : characters.slice(-shown).join('');
}

/** The masked form of a stored suffix (hint): `**** 1234`, or `****` when there is none. */
export function maskFromHint(hint: string | null | undefined): string {
  return hint ? `${MASK} ${hint}` : MASK;
}

/**
 * `**** 1234`: the last `keep` characters at most, nothing of the start, and no hint of
 * the length (the mask is always four stars).
 */
export function mask(value: string, keep = 4): string {
  return maskFromHint(maskedSuffix(value, keep));
}
