import { foldWidth, NAME_CHARACTERS } from './text';

const DROPPED = new RegExp(`[^${NAME_CHARACTERS}]`, 'g');

/**
 * The match key of a person's name: NFKC, ASCII lower-cased, everything but letters and
 * digits removed (spaces, the middle dot of 阿卜杜勒·艾尼, punctuation). `张 伟` → `张伟`,
 * `Zhang Wei` → `zhangwei`. Null when nothing is left.
 */
export function normalizePersonNameKey(input: string | null | undefined): string | null {
  if (input == null) return null;
  const key = foldWidth(input).replace(DROPPED, '');
  return key === '' ? null : key;
}
