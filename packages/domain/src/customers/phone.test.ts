import { describe, expect, it } from 'vitest';
import { normalizeChinesePhone } from './phone';

describe('normalizeChinesePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['0086-13812345678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['010-12345678', '010-12345678'],
    ['01012345678', '010-12345678'],
    ['(021) 6123 4567', '021-61234567'],
    ['0755-1234567', '0755-1234567'],
    ['0571-88886666-123', '0571-88886666-123'],
  ])('accepts %s as %s', (input, expected) => {
    expect(normalizeChinesePhone(input)).toBe(expected);
  });

  it.each(['12812345678', '1381234567', '138123456789', '010-1234567', 'abc', '', '+1 415 555 0100'])(
    'rejects %s',
    (input) => {
      expect(normalizeChinesePhone(input)).toBeNull();
    },
  );
});
