/**
 * Shared steps of the match-key normalisers. Each has an SQL twin in the duplicates
 * migration (`crm_normalize_*`); the two must give the same result for every input, so the
 * steps avoid anything locale-dependent: NFKC, then A–Z lowered by hand (not toLowerCase,
 * which also lowers non-ASCII letters where PostgreSQL's lower() under the C locale would not).
 */
export function foldWidth(input: string): string {
  return asciiLower(input.normalize('NFKC'));
}

export function asciiLower(input: string): string {
  return input.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * Characters a name key keeps: ASCII digits and letters, Latin-1/Extended-A/B letters,
 * Greek, Cyrillic, kana, CJK ideographs (with extension A and compatibility), Hangul.
 * Everything else (spaces, punctuation, symbols, the middle dot of 阿卜杜勒·艾尼) is dropped.
 */
export const NAME_CHARACTERS =
  '0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af';
