import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_CHARSET,
  creditCodeCheckCharacter,
  isValidCreditCode,
  normalizeCreditCode,
} from './credit-code';

/** Real codes of registered companies (public business registration). */
const REAL = ['91330100799655058B', '9144030071526726XG', '911100001000079554'];

describe('unified social credit code', () => {
  it.each(REAL)('accepts the real code %s', (code) => {
    expect(normalizeCreditCode(code)).toBe(code);
    expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe(code[17]);
  });

  it('computes the check character (weights 3^(i-1) mod 31, check 31 - sum mod 31)', () => {
    const first17 = '91330100799655058';
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = [...first17].reduce(
      (total, c, i) => total + CREDIT_CODE_CHARSET.indexOf(c) * (weights[i] as number),
      0,
    );
    expect(CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]).toBe('B');
    expect(weights).toEqual(Array.from({ length: 17 }, (_, i) => 3 ** i % 31));
  });

  it('normalises spaces, dashes, case and full width', () => {
    expect(normalizeCreditCode(' 9133 0100 7996 5505 8B ')).toBe('91330100799655058B');
    expect(normalizeCreditCode('91330100-799655058b')).toBe('91330100799655058B');
    expect(normalizeCreditCode('９１３３０１００７９９６５５０５８Ｂ')).toBe('91330100799655058B');
  });

  it('rejects a wrong check character, every single-character typo', () => {
    for (const code of REAL) {
      for (const c of CREDIT_CODE_CHARSET) {
        if (c === code[17]) continue;
        expect(isValidCreditCode(code.slice(0, 17) + c)).toBe(false);
      }
      // A changed character in the body is caught by the check character.
      for (let i = 8; i < 17; i++) {
        const other = code[i] === '0' ? '1' : '0';
        expect(isValidCreditCode(code.slice(0, i) + other + code.slice(i + 1))).toBe(false);
      }
    }
  });

  it.each([
    '91330100799655058', // 17 characters
    '913301007996550580B', // 19
    '91330100799655058I', // I is not in the charset
    '9133O100799655058B', // letter in the division code
    'ABCDEFGHIJKLMNOPQR',
    '',
  ])('rejects %j', (input) => {
    expect(normalizeCreditCode(input)).toBeNull();
  });

  it('generated codes with a computed check character validate', () => {
    const bodies = ['91110108MA01ABCDE', '92440300L12345678', '12100000400012345', '5131000050000000X'];
    for (const body of bodies) {
      const check = creditCodeCheckCharacter(body.replace('X', '0'));
      expect(check).not.toBeNull();
      expect(isValidCreditCode(body.replace('X', '0') + check)).toBe(true);
    }
  });
});
