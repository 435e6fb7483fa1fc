import { describe, expect, it } from 'vitest';
import { isValidRange, parseVersion, satisfies } from './semver';

describe('semver', () => {
  it.each([
    ['1.0.0', '^1.0.0', true],
    ['1.4.2', '^1.0.0', true],
    ['2.0.0', '^1.0.0', false],
    ['0.9.9', '^1.0.0', false],
    ['0.2.5', '^0.2.1', true],
    ['0.3.0', '^0.2.1', false],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.0', true],
    ['1.3.0', '~1.2.0', false],
    ['1.9.0', '1.x', true],
    ['2.0.0', '1', false],
    ['1.2.7', '1.2', true],
    ['1.2.3', '1.2.3', true],
    ['1.2.4', '=1.2.3', false],
    ['1.5.0', '>=1.0.0 <2.0.0', true],
    ['2.0.0', '>=1.0.0 <2.0.0', false],
    ['2.0.0', '>= 1.0.0 < 2.0.0', false],
    ['3.1.0', '^1.0.0 || ^3.0.0', true],
    ['7.0.0', '*', true],
    ['1.0.0', '>1.0.0', false],
    ['1.0.0', '<=1.0.0', true],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('tells malformed versions and ranges', () => {
    expect(parseVersion('1.0')).toBeNull();
    expect(parseVersion('01.0.0')).toBeNull();
    expect(parseVersion('1.2.3')).toEqual([1, 2, 3]);
    for (const range of ['', 'latest', '^', '1.0.0.0', '^1.0.0 ||', '=>1.0.0']) {
      expect(isValidRange(range), range).toBe(false);
    }
    expect(satisfies('1.0', '^1.0.0')).toBe(false);
  });
});
