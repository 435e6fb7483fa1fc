import { stripUnstorable } from '../text/user-text';
/**
 * Text clean-up for imported cells. Three strengths:
 * - `code` (phones, emails, numbers, amounts, dates, identifiers, headers): full Unicode NFKC, so
 *   full-width digits, letters and punctuation (，：（）￥) become their ASCII forms;
 * - `text` (names, titles, short text): full-width letters, digits and spaces are folded, but
 *   Chinese punctuation stays as written — 北京（中关村）科技有限公司 keeps its full-width
 *   parentheses, as on the business licence;
 * - `prose` (needs, summaries, notes): like `text`, keeping line breaks.
 * All strip zero-width characters, trim, and collapse runs of whitespace to one space.
 */
export type TextMode = 'code' | 'text' | 'prose';

// Zero-width space/joiners, word joiner, byte order mark, soft hyphen, bidi marks.
const INVISIBLE = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u202A-\u202E]/g;
const FULL_WIDTH_ALPHANUMERIC = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const HORIZONTAL_SPACE = /[\t\v\f \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

export function normalizeText(value: string, mode: TextMode = 'text'): string {
  let text = value.replace(INVISIBLE, '');
  if (mode === 'code') {
    text = text.normalize('NFKC');
  } else {
    text = text.replace(FULL_WIDTH_ALPHANUMERIC, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0));
  }
  if (mode === 'prose') {
    return text
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => line.replace(HORIZONTAL_SPACE, ' ').trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(HORIZONTAL_SPACE, ' ')
    .trim();
}

/** A header cell as shown to the user: NFKC-folded, single-line, trimmed. */
export function normalizeHeader(value: string): string {
  // A header becomes a key of the saved mapping (jsonb, which cannot hold U+0000).
  return normalizeText(stripUnstorable(value), 'text');
}

/**
 * A comparison key for headers and enum labels: NFKC, lower case, without whitespace,
 * punctuation or symbols (so 'E-mail', 'e mail' and 'Ｅｍａｉｌ' meet).
 */
export function matchKey(value: string): string {
  return normalizeText(value, 'code')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}
