import { describe, expect, it } from 'vitest';
import {
  findUnsafeCharacter,
  hasUnstorableCharacter,
  isBlankText,
  replaceUnstorable,
  stripInvisible,
  userText,
} from './user-text';

describe('findUnsafeCharacter', () => {
  it.each([
    ['华辰工业', false, null],
    ['tab\tinside', false, null],
    ['a\u0000b', false, { kind: 'control', codePoint: 'U+0000', index: 1 }],
    ['\u0007bell', true, { kind: 'control', codePoint: 'U+0007', index: 0 }],
    ['esc\u001b[0m', true, { kind: 'control', codePoint: 'U+001B', index: 3 }],
    ['del\u007f', true, { kind: 'control', codePoint: 'U+007F', index: 3 }],
    ['c1\u0085', true, { kind: 'control', codePoint: 'U+0085', index: 2 }],
    ['line\nbreak', false, { kind: 'line_break', codePoint: 'U+000A', index: 4 }],
    ['line\r\nbreak', true, null],
    ['lone \ud800 high', true, { kind: 'surrogate', codePoint: 'U+D800', index: 5 }],
    ['lone \udc00 low', true, { kind: 'surrogate', codePoint: 'U+DC00', index: 5 }],
    ['pair 😀 ok', false, null],
    ['𠮷野家', false, null],
    ['\u200b华\u200b辰', false, null],
  ] as const)('%j (multiline %s)', (value, multiline, expected) => {
    expect(findUnsafeCharacter(value, { multiline })).toEqual(expected);
  });

  it('reports the first of several', () => {
    expect(findUnsafeCharacter('a\nb\u0000', { multiline: false })?.kind).toBe('line_break');
    expect(findUnsafeCharacter('a\nb\u0000', { multiline: true })?.kind).toBe('control');
  });
});

describe('the helpers', () => {
  it.each([
    ['\u200b\u200c\u200d', true],
    [' \ufeff ', true],
    ['', true],
    ['\u3000', true],
    ['张\u200b三', false],
  ])('isBlankText(%j) = %s', (value, blank) => {
    expect(isBlankText(value)).toBe(blank);
  });

  it('strips invisible characters and replaces unstorable ones', () => {
    expect(stripInvisible('华\u200b辰\u2060科技\ufeff')).toBe('华辰科技');
    expect(replaceUnstorable('a\u0000b\ud800c\u0007d\u007fe\u0085')).toBe(
      'a[U+0000]b[U+D800]c[U+0007]d[U+007F]e[U+0085]',
    );
    expect(hasUnstorableCharacter('ok\n')).toBe(false);
    expect(hasUnstorableCharacter('bad\u0000')).toBe(true);
  });
});

describe('userText', () => {
  it('trims and drops invisible characters from single-line text', () => {
    expect(userText().parse('  华\u200b辰  ')).toBe('华辰');
    expect(userText({ multiline: true }).parse(' 第一行\n第二行 ')).toBe('第一行\n第二行');
  });

  it.each([
    [{}, 'a\u0000', 'TEXT_CONTROL_CHARACTER'],
    [{}, 'a\nb', 'TEXT_LINE_BREAK'],
    [{ multiline: true }, 'x\ud83d', 'TEXT_INVALID_CHARACTER'],
    [{ required: true }, '\u200b\u200b', 'TEXT_BLANK'],
  ] as const)('refuses %j %j with %s', (options, value, reason) => {
    const result = userText(options).safeParse(value);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0] as { params?: { reason?: string } } | undefined;
    expect(issue?.params?.reason).toBe(reason);
  });

  it('checks the length after cleaning', () => {
    expect(userText({ max: 3 }).safeParse('\u200b\u200babc').success).toBe(true);
    expect(userText({ max: 3 }).safeParse('abcd').success).toBe(false);
  });
});
