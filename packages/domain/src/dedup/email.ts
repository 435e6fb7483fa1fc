import { foldWidth } from './text';

/**
 * The match key of an email address: NFKC (full-width ＠ and letters), trimmed, a leading
 * `mailto:` and any whitespace removed, ASCII letters lower-cased. Null unless it looks
 * like `local@domain.tld`.
 *
 * Gmail's dots and `+tags` are deliberately not folded: other providers treat them as
 * different mailboxes, and folding would pair customers who merely share a prefix.
 */
export function normalizeEmailKey(input: string | null | undefined): string | null {
  if (input == null) return null;
  const text = foldWidth(input)
    .replace(/[ \t\r\n]+/g, '')
    .replace(/^mailto:/, '');
  return /^[^@]+@[^@.]+(\.[^@.]+)+$/.test(text) ? text : null;
}
