import { z } from 'zod';

/**
 * What a user may type or import as text. PostgreSQL cannot store U+0000 in text or jsonb
 * (SQLSTATE 22021 / 22P05), other control characters are never meant (they come from binary
 * files or broken exports), and a lone UTF-16 surrogate is not a character at all. Tab is
 * allowed everywhere; line breaks only in multi-line fields (notes, needs, descriptions).
 */
export type UnsafeCharacter = {
  kind: 'control' | 'surrogate' | 'line_break';
  /** The offending code unit as U+XXXX. */
  codePoint: string;
  /** Its 0-based position in the string (UTF-16 code units). */
  index: number;
};

// C0 controls but tab (09), line feed (0A) and carriage return (0D); DEL; C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Characters that take no space on screen: zero-width space, non-joiner and joiner, word
 * joiner and invisible operators, the byte order mark, soft hyphen, bidirectional marks and
 * embeddings. The duplicate check's keys and search drop them.
 */
export const INVISIBLE_CHARACTERS = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u202A-\u202E\u2066-\u2069]/g;

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first character `value` may not hold, or null when it is safe to store. */
export function findUnsafeCharacter(
  value: string,
  options: { multiline?: boolean } = {},
): UnsafeCharacter | null {
  const control = CONTROL.exec(value);
  const surrogate = LONE_SURROGATE.exec(value);
  const lineBreak = options.multiline ? null : LINE_BREAK.exec(value);
  const found = [
    control && { kind: 'control' as const, match: control },
    surrogate && { kind: 'surrogate' as const, match: surrogate },
    lineBreak && { kind: 'line_break' as const, match: lineBreak },
  ]
    .filter((item) => item !== null)
    .sort((left, right) => left.match.index - right.match.index)[0];
  if (!found) return null;
  return {
    kind: found.kind,
    codePoint: hex(found.match[0].charCodeAt(0)),
    index: found.match.index,
  };
}

/** True when `value` holds a character that can never be stored (control or lone surrogate). */
export function hasUnstorableCharacter(value: string): boolean {
  return CONTROL.test(value) || LONE_SURROGATE.test(value);
}

/** `value` without zero-width and other invisible characters. */
export function stripInvisible(value: string): string {
  return value.replace(INVISIBLE_CHARACTERS, '');
}

/** True when `value` is empty once invisible characters and white space are taken away. */
export function isBlankText(value: string): boolean {
  return stripInvisible(value).trim() === '';
}

/** `value` without the characters that cannot be stored (for headers and labels, which are not refused). */
export function stripUnstorable(value: string): string {
  return value
    .replace(new RegExp(CONTROL.source, 'g'), '')
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), '');
}

/**
 * Shows the characters that cannot be stored (for echoing a bad value back in a report): each
 * control character and lone surrogate as its code point in brackets, `[U+0000]`, which every
 * font can draw (the Unicode control pictures such as ␀ are missing from common CJK fonts).
 */
export function replaceUnstorable(value: string): string {
  const show = (char: string) => `[${hex(char.charCodeAt(0))}]`;
  return value
    .replace(new RegExp(CONTROL.source, 'g'), show)
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), show);
}

export type UserTextOptions = {
  /** Line breaks allowed (notes, needs, descriptions). Default false. */
  multiline?: boolean;
  /** At least one visible character (after trimming and dropping invisible characters). */
  required?: boolean;
  max?: number;
};

/** The zod issue codes this refinement raises, read by the API's message catalogue. */
export const USER_TEXT_ISSUES = {
  control: 'TEXT_CONTROL_CHARACTER',
  surrogate: 'TEXT_INVALID_CHARACTER',
  line_break: 'TEXT_LINE_BREAK',
  blank: 'TEXT_BLANK',
} as const;

/**
 * A string a user typed: trimmed, invisible characters dropped from single-line text, and
 * refused (with a custom issue whose `params.reason` is one of {@link USER_TEXT_ISSUES}) when it
 * holds a control character, a lone surrogate, a line break in a single-line field, or — when
 * required — nothing visible.
 */
export function userText(options: UserTextOptions = {}) {
  const base = z.string().superRefine((value, context) => {
    const unsafe = findUnsafeCharacter(value, { multiline: options.multiline });
    if (unsafe) {
      context.addIssue({
        code: 'custom',
        message: `${USER_TEXT_ISSUES[unsafe.kind]} ${unsafe.codePoint}`,
        params: { reason: USER_TEXT_ISSUES[unsafe.kind], codePoint: unsafe.codePoint },
      });
      return;
    }
    if (options.required && isBlankText(value)) {
      context.addIssue({
        code: 'custom',
        message: USER_TEXT_ISSUES.blank,
        params: { reason: USER_TEXT_ISSUES.blank },
      });
    }
  });
  const cleaned = base.transform((value) =>
    options.multiline ? value.trim() : stripInvisible(value).trim(),
  );
  return options.max === undefined ? cleaned : cleaned.pipe(z.string().max(options.max));
}
